// The architecture view shows the subnet it is given: active blocks with their kernel and
// expand, skipped blocks, MACs and params from the cost model, and sampling shares.
#include <QLabel>
#include <QtTest>

#include <random>

#include "colour_count.h"
#include "core/space/arch.h"
#include "core/space/cost_model.h"
#include "core/space/presets.h"
#include "views/architecture_page.h"
#include "views/architecture_view.h"
#include "views/screenshot.h"

using namespace sn;

class TestArchitectureView : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void reflectsAGivenArch() {
    const SearchSpace space = spacePreset("fmnist-small");
    const NetShape shape{1, 28, 10};
    ArchitectureView view;
    view.setSpace(space, shape);
    const Arch arch = Arch::parse("d=2,1,2 k=5,3|3|5,5 e=3,2|3|2,3", space);
    view.setArch(arch);
    QCOMPARE(view.blockState(0, 0).kernel, 5);
    QCOMPARE(view.blockState(0, 0).expand, 3);
    QCOMPARE(view.blockState(0, 1).kernel, 3);
    QVERIFY(view.blockState(1, 0).active);
    QVERIFY(!view.blockState(1, 1).active);  // stage 2 has depth 1: its second block is skipped
    QCOMPARE(view.blockState(2, 1).expand, 3);
    const Cost cost = computeCost(space, arch, shape);
    QVERIFY2(view.summary().contains(QString::number(cost.macs / 1e6, 'f', 2)),
             qPrintable(view.summary()));
    QVERIFY(view.summary().contains(QString::fromStdString(arch.toText())));
  }

  void everyRandomArchRoundTripsThroughTheView() {
    const SearchSpace space = spacePreset("ofa-mbv3");
    ArchitectureView view;
    view.setSpace(space, {3, 224, 1000});
    std::mt19937_64 rng(7);
    for (int i = 0; i < 20; ++i) {
      const Arch arch = Arch::sample(space, rng);
      view.setArch(arch);
      for (size_t s = 0; s < space.stages.size(); ++s) {
        for (int b = 0; b < space.depths.back(); ++b) {
          const auto state = view.blockState(static_cast<int>(s), b);
          const StageArch& st = arch.stages[s];
          QCOMPARE(state.active, b < st.depth());
          if (state.active) {
            QCOMPARE(state.kernel, st.kernels[b]);
            QCOMPARE(state.expand, st.expands[b]);
          }
        }
      }
    }
  }

  void samplingSharesCountEveryArch() {
    const SearchSpace space = spacePreset("fmnist-small");
    ChoiceFrequencies f(space);
    f.add(Arch::largest(space));
    f.add(Arch::smallest(space));
    f.add(Arch::largest(space));
    f.add(Arch::parse("d=1,1,1 k=3|3|3 e=2|2|2", space));
    QCOMPARE(f.archs(), 4);
    QCOMPARE(f.depthShare(0, space.depths.back()), 0.5);
    QCOMPARE(f.blockUseShare(0, 1), 0.5);
    // Block 2 of stage 1 was used only by the two largest: always the largest kernel.
    QCOMPARE(f.kernelShare(0, 1, space.kernels.back()), 1.0);
    QCOMPARE(f.kernelShare(0, 0, space.kernels.front()), 0.5);
  }

  void samplingRowsShowTheMethodsChoices() {
    // A Progressive Shrinking run's rows (as a CLI run writes them): the page says which
    // choices the phase enables and the shares sampled, the latest rows winning.
    ArchitecturePage page;
    page.setSpace(spacePreset("fmnist-small"), {1, 28, 10});
    std::vector<MetricSample> rows;
    const auto row = [&](int64_t step, const std::string& key, double value) {
      rows.push_back({step, 1.0, key, value, 0});
    };
    row(10, "sampling/phase", 1);
    row(10, "sampling/enabled/kernel/3", 0);
    row(20, "sampling/phase", 2);
    for (const char* k : {"sampling/enabled/kernel/3", "sampling/enabled/kernel/5", "sampling/enabled/depth/2",
                          "sampling/enabled/expand/3"}) row(20, k, 1);
    row(20, "sampling/enabled/depth/1", 0);
    row(20, "sampling/enabled/expand/2", 0);
    row(20, "sampling/share/kernel/3", 0.25);
    row(20, "sampling/share/kernel/5", 0.75);
    row(20, "loss/largest", 1.5);
    page.takeMetrics(rows, true);
    const QString text = page.samplingText();
    QVERIFY2(text.contains("Enabled now (phase 2): kernel 3, 5 · depth 2 · expand 3"), qPrintable(text));
    QVERIFY2(text.contains("kernel 3 25% · 5 75%"), qPrintable(text));
    // Another run without sampling rows: nothing left of the first.
    page.takeMetrics({{1, 0.1, "loss/largest", 2.0, 0}}, true);
    QVERIFY(page.samplingText().isEmpty());
  }

  void badArchTextIsShownAndKeepsTheSubnet() {
    const SearchSpace space = spacePreset("fmnist-small");
    ArchitecturePage page;
    page.setSpace(space, {1, 28, 10});
    QVERIFY(page.showArchText("max"));
    const Arch before = *page.view()->arch();
    QVERIFY(!page.showArchText("d=9,9,9 k=3|3|3 e=2|2|2"));
    QCOMPARE(*page.view()->arch(), before);
    const auto labels = page.findChildren<QLabel*>();
    bool shown = false;
    for (QLabel* l : labels) shown |= l->text().contains("depth") || l->text().contains("stage");
    QVERIFY2(shown, "the page shows why the text is not an arch of the space");
  }

  void rendersNotBlank() {
    const SearchSpace space = spacePreset("ofa-mbv3");
    ArchitectureView view;
    view.setSpace(space, {3, 32, 10});
    std::mt19937_64 rng(3);
    view.setArch(Arch::sample(space, rng));
    view.resize(view.sizeHint());
    const QString path = QStringLiteral(SN_BUILD_DIR) + "/screenshots/architecture-ofa-mbv3.png";
    QDir().mkpath(QFileInfo(path).path());
    QVERIFY(saveScreenshot(&view, path));
    QVERIFY(test::distinctColours(QImage(path)) > 20);
  }
};

QTEST_MAIN(TestArchitectureView)
#include "tst_architecture_view.moc"
