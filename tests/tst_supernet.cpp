// Supernet forward semantics: extraction equals the supernet, masks act on weights.
#include <QtTest>
#include <torch/torch.h>

#include "core/data/synthetic_dataset.h"
#include "core/space/arch.h"
#include "core/space/presets.h"
#include "core/supernet/static_subnet.h"
#include "core/supernet/supernet.h"
#include "kernels/materialize_weight.h"

using namespace sn;

namespace {

// Gives BN non-trivial statistics so the eval-mode comparison exercises them.
void warmBn(SupernetImpl& net, const NetShape& shape) {
  torch::NoGradGuard noGrad;
  net.train();
  std::mt19937_64 rng(5);
  for (int i = 0; i < 4; ++i) {
    net.setActive(Arch::sample(net.space(), rng));
    net.forward(torch::randn({8, shape.channels, shape.resolution, shape.resolution}));
  }
  net.eval();
}

void extractedSubnetMatches(const std::string& preset, const NetShape& shape) {
  torch::manual_seed(0);
  Supernet net(spacePreset(preset), shape);
  warmBn(*net, shape);
  torch::NoGradGuard noGrad;
  std::mt19937_64 rng(9);
  const torch::Tensor x = torch::randn({4, shape.channels, shape.resolution, shape.resolution});
  for (int i = 0; i < 10; ++i) {
    const Arch arch = i == 0 ? Arch::largest(net->space()) : Arch::sample(net->space(), rng);
    net->setActive(arch);
    const torch::Tensor expected = net->forward(x);
    StaticSubnet subnet = extractSubnet(*net, arch);
    subnet->eval();
    const double diff = (subnet->forward(x) - expected).abs().max().item<double>();
    QVERIFY2(diff <= 1e-5, (arch.toText() + " max abs diff " + std::to_string(diff)).c_str());
  }
}

}  // namespace

class TestSupernet : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void extractedSubnetGivesSupernetLogitsFmnistSmall() {
    extractedSubnetMatches("fmnist-small", {1, 28, 10});
  }

  void extractedSubnetGivesSupernetLogitsOfaMbv3() {
    extractedSubnetMatches("ofa-mbv3", {3, 32, 10});
  }

  void extractedSubnetOwnsItsWeights() {
    Supernet net(spacePreset("fmnist-small"), NetShape{1, 28, 10});
    StaticSubnet subnet = extractSubnet(*net, Arch::smallest(net->space()));
    {
      torch::NoGradGuard noGrad;
      net->stemConv->weight.fill_(0.0);
    }
    QVERIFY(subnet->stemConv->weight.abs().sum().item<double>() > 0);
  }

  void elasticKernelUsesTheCentre() {
    torch::Tensor w = torch::arange(2 * 1 * 7 * 7, torch::kFloat32).view({2, 1, 7, 7});
    const torch::Tensor k3 = kernels::materializeWeight(w, {}, 2, 1, 3);
    QCOMPARE(k3.sizes(), (torch::IntArrayRef{2, 1, 3, 3}));
    QCOMPARE(k3[0][0][0][0].item<float>(), w[0][0][2][2].item<float>());
    QCOMPARE(k3[1][0][2][2].item<float>(), w[1][0][4][4].item<float>());
  }

  void maskedWeightsContributeNothingAndGetNoGradient() {
    torch::Tensor w = torch::randn({4, 3, 5, 5}, torch::requires_grad());
    torch::Tensor mask = (torch::rand({4, 3, 5, 5}) > 0.5).to(torch::kFloat32);
    const torch::Tensor active = kernels::materializeWeight(w, mask, 4, 3, 3);
    const torch::Tensor x = torch::randn({2, 3, 8, 8});
    const torch::Tensor y = torch::conv2d(x, active, {}, 1, 1);
    // Same output as the dense conv with masked-out weights set to zero.
    const torch::Tensor zeroed = (w * mask).narrow(2, 1, 3).narrow(3, 1, 3);
    QVERIFY(torch::allclose(y, torch::conv2d(x, zeroed.detach(), {}, 1, 1), 1e-5, 1e-6));
    y.sum().backward();
    const torch::Tensor gradOfMasked = w.grad().narrow(2, 1, 3).narrow(3, 1, 3) *
                                       (1 - mask.narrow(2, 1, 3).narrow(3, 1, 3));
    QCOMPARE(gradOfMasked.abs().sum().item<double>(), 0.0);
  }

  void enablingMasksKeepsOutputsUntilAMaskChanges() {
    torch::manual_seed(1);
    Supernet net(spacePreset("fmnist-small"), NetShape{1, 28, 10});
    net->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::randn({2, 1, 28, 28});
    const torch::Tensor before = net->forward(x);
    net->enableMasks();
    QVERIFY(torch::allclose(before, net->forward(x)));
    net->blocks[0][0]->projectConv->mask.zero_();
    QVERIFY(!torch::allclose(before, net->forward(x)));
  }

  void shallowerSubnetSkipsBlocks() {
    torch::manual_seed(2);
    Supernet net(spacePreset("fmnist-small"), NetShape{1, 28, 10});
    net->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::randn({2, 1, 28, 28});
    const Arch arch = Arch::smallest(net->space());
    net->setActive(arch);
    const torch::Tensor before = net->forward(x);
    // Weights of a block the subnet skips must not matter.
    net->blocks[0].back()->projectConv->weight.fill_(100.0);
    QVERIFY(torch::equal(before, net->forward(x)));
  }
};

QTEST_APPLESS_MAIN(TestSupernet)
#include "tst_supernet.moc"
