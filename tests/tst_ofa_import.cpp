// Once-for-All checkpoints: the PyTorch reader (zip and legacy), import-ofa against OFA's own
// logits (tests/fixtures/ofa, made by make_ofa_fixtures.py with OFA's code), export --bn
// stored, export-ofa round trips, and hostile files refused with the project unchanged.
#include <QtTest>
#include <caffe2/serialize/inline_container.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_support.h"
#include "core/export/exported_model.h"
#include "core/project/ofa_import.h"
#include "core/project/project.h"
#include "core/project/subnet_export.h"
#include "core/pytorch_io/torch_checkpoint.h"
#include "core/space/presets.h"
#include "core/supernet/ofa_state_dict.h"
#include "core/supernet/static_subnet.h"
#include "core/supernet/supernet.h"
#include "core/train/checkpoint.h"
#include "db/store.h"
#include "test_support.h"

using namespace sn;
using sn::test::errorOf;

namespace {

const std::string kFixtures = std::string(SN_SOURCE_DIR) + "/tests/fixtures/ofa/";
const std::string kZip = kFixtures + "ofa_w10_c10.zip.pth";
const std::string kLegacy = kFixtures + "ofa_w10_c10.legacy.pth";

// An ofa-mbv3 project on a small synthetic RGB set of OFA's fixture shape: 3x32x32, 10 classes.
Project makeProject(const std::string& dir, int classes = 10) {
  nlohmann::json config = projectTemplate("ofa-mbv3");
  config["dataset"] = {{"kind", "synthetic"},
                       {"synthetic", {{"samples", 96}, {"channels", 3}, {"resolution", 32}, {"classes", classes}}}};
  config["recipe"]["batch_size"] = 16;
  config["recipe"]["eval"] = {{"recal_batches", 1}, {"batch_size", 32}};
  return Project::create(dir, ProjectConfig::fromJson(config, "test"));
}

Supernet loadRun(Project& project, int64_t runId) {
  const auto run = project.store().runs().find(runId);
  const ProjectConfig config = ProjectConfig::fromText(run->configJson, "run");
  Supernet net(config.space, NetShape{3, 32, 10});
  const auto checkpoint = project.store().checkpoints().latest(runId);
  loadCheckpoint(project.checkpointPath(checkpoint->path), *net, nullptr);
  net->eval();
  return net;
}

std::vector<Arch> fixtureArchs(const SearchSpace& space) {
  std::ifstream in(kFixtures + "ofa_archs.json");
  std::vector<Arch> archs;
  for (const auto& a : nlohmann::json::parse(in)) archs.push_back(Arch::fromJson(a, space));
  return archs;
}

struct ProjectState {
  size_t runs = 0;
  size_t files = 0;
  bool operator==(const ProjectState& o) const { return runs == o.runs && files == o.files; }
};

ProjectState stateOf(Project& p) {
  ProjectState s;
  s.runs = p.store().runs().all().size();
  for (const auto& e : std::filesystem::recursive_directory_iterator(p.dir())) s.files += e.is_regular_file();
  return s;
}

// A zip checkpoint with our own data.pkl bytes and storage records.
void writeZip(const std::string& path, const std::string& pickle,
              const std::vector<std::pair<std::string, std::string>>& records = {}) {
  caffe2::serialize::PyTorchStreamWriter writer(path);
  writer.writeRecord("data.pkl", pickle.data(), pickle.size());
  for (const auto& [name, bytes] : records) writer.writeRecord(name, bytes.data(), bytes.size());
  writer.writeEndOfFile();
}

// {"w": tensor of `numel` floats over storage "0" of `storageNumel` elements}.
std::string tensorPickle(int numel, int storageNumel) {
  using namespace std::string_literals;  // the bytes hold NULs
  std::string p = "\x80\x02}q\x00X\x01\x00\x00\x00wctorch._utils\n_rebuild_tensor_v2\n((X\x07\x00\x00\x00storage"s;
  p += "ctorch\nFloatStorage\nX\x01\x00\x00\x00" "0X\x03\x00\x00\x00" "cpuK"s;
  p += static_cast<char>(storageNumel);
  p += "tQK\x00K"s;
  p += static_cast<char>(numel);
  p += "\x85K\x01\x85\x89" "ccollections\nOrderedDict\n)RtRs."s;
  return p;
}

}  // namespace

class TestOfaImport : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { torch::set_num_threads(2); }

  // Both of torch.save's formats read to the same tensors (the legacy file nests the
  // state_dict under "model" with DataParallel's "module." prefix, float16 storages).
  void readerReadsZipAndLegacyAlike() {
    const TorchStateDict zip = readTorchStateDict(kZip);
    const TorchStateDict legacy = readTorchStateDict(kLegacy);
    QCOMPARE(QString::fromStdString(zip.format), QString("zip"));
    QCOMPARE(QString::fromStdString(legacy.format), QString("legacy"));
    QCOMPARE(zip.entries.size(), size_t{475});
    QCOMPARE(legacy.entries.size(), zip.entries.size());
    for (size_t i = 0; i < zip.entries.size(); ++i) {
      QCOMPARE(QString::fromStdString(legacy.entries[i].first), QString::fromStdString(zip.entries[i].first));
      QVERIFY(torch::equal(legacy.entries[i].second, zip.entries[i].second));
    }
    const at::Tensor* matrix = zip.find("blocks.1.conv.depth_conv.conv.7to5_matrix");
    QVERIFY(matrix);
    QCOMPARE(matrix->scalar_type(), at::kHalf);
    QCOMPARE(matrix->sizes(), (at::IntArrayRef{25, 25}));
    QVERIFY(!torch::allclose(matrix->to(at::kFloat), torch::eye(25)));  // perturbed: the transform matters
  }

  // Each storage type the reader takes, and views into one storage (offset, stride,
  // transpose), read alike from both formats; a view shares its storage as in Python.
  void readerReadsEveryTypeAndView() {
    for (const char* name : {"dtypes.zip.pth", "dtypes.legacy.pth"}) {
      const TorchStateDict d = readTorchStateDict(kFixtures + name);
      const auto values = torch::tensor({1.5, -2.25, 3.0}, torch::kFloat64);
      const std::pair<const char*, at::ScalarType> floats[] = {
          {"float32", at::kFloat}, {"float16", at::kHalf}, {"bfloat16", at::kBFloat16}, {"float64", at::kDouble}};
      for (const auto& [key, type] : floats) {
        QCOMPARE(d.find(key)->scalar_type(), type);
        QVERIFY(torch::equal(d.find(key)->to(at::kDouble), values));
      }
      QVERIFY(torch::equal(*d.find("int64"), torch::tensor({int64_t{-7}, int64_t{0}, int64_t{1} << 40})));
      QVERIFY(torch::equal(*d.find("int32"), torch::tensor({-7, 0, 123456}, torch::kInt)));
      QVERIFY(torch::equal(*d.find("bool"), torch::tensor({true, false, true})));
      const at::Tensor base = torch::arange(24, torch::kFloat).view({4, 6});
      QVERIFY(torch::equal(*d.find("base"), base));
      QVERIFY(torch::equal(*d.find("rows"), base.narrow(0, 1, 2)));
      QCOMPARE(d.find("rows")->storage_offset(), int64_t{6});
      QVERIFY(torch::equal(*d.find("strided"), base.slice(1, 0, 6, 2)));
      QVERIFY(torch::equal(*d.find("transposed"), base.t()));
      QVERIFY(d.find("transposed")->data_ptr() == d.find("base")->data_ptr());
    }
  }

  // A w1.2 supernet (OFA's other published width) goes out and back through OFA's names.
  void widthOnePointTwoRoundTrips() {
    test::Scratch scratch;
    Project project = makeProject(scratch.path("p"));
    SearchSpace space = spacePreset("ofa-mbv3");
    space.widthMult = 1.2;
    Supernet net(space, NetShape{3, 32, 10});
    const TorchStateDict state = ofaStateDictOf(*net);
    QCOMPARE(state.find("first_conv.conv.weight")->size(0), int64_t{24});
    writeTorchStateDict(scratch.path("w12.pth"), state.entries, "state_dict");
    const OfaImportResult r = importOfaCheckpoint(project, scratch.path("w12.pth"), "", 2);
    QCOMPARE(QString::fromStdString(r.space), QString("ofa-mbv3-w1.2"));
    Supernet back = loadRun(project, r.runId);
    QCOMPARE(back->space().widthMult, 1.2);
    for (const auto& p : net->named_parameters()) QVERIFY(torch::equal(p.value(), back->named_parameters()[p.key()]));
  }

  // Every fixture arch's logits, from the imported supernet and from its extracted subnet,
  // within 1e-4 of OFA's own; the legacy file imports bit-identically.
  void importMatchesOfaLogits() {
    test::Scratch scratch;
    Project project = makeProject(scratch.path("p"));
    const OfaImportResult zip = importOfaCheckpoint(project, kZip, "", 2);
    const OfaImportResult legacy = importOfaCheckpoint(project, kLegacy, "legacy", 2);
    QCOMPARE(QString::fromStdString(zip.kernelTransform), QString("matrix"));
    const auto run = project.store().runs().find(zip.runId);
    QCOMPARE(run->status, RunStatus::Finished);
    QVERIFY(run->origin.find("imported from") == 0 && run->origin.find(zip.sha256) != std::string::npos);

    const TorchStateDict expected = readTorchStateDict(kFixtures + "ofa_expected.pth");
    const at::Tensor input = *expected.find("input");
    Supernet net = loadRun(project, zip.runId);
    const std::vector<Arch> archs = fixtureArchs(net->space());
    QCOMPARE(archs.size(), size_t{14});
    double worst = 0;
    torch::NoGradGuard noGrad;
    for (size_t i = 0; i < archs.size(); ++i) {
      const at::Tensor ofa = *expected.find("logits." + std::to_string(i));
      net->setActive(archs[i]);
      worst = std::max(worst, maxAbsDifference(net->forward(input), ofa));
      StaticSubnet subnet = extractSubnet(*net, archs[i]);
      subnet->eval();
      worst = std::max(worst, maxAbsDifference(subnet->forward(input), ofa));
    }
    qInfo("largest logit difference against OFA over %zu archs: %.3g", archs.size(), worst);
    QVERIFY(worst <= 1e-4);

    Supernet other = loadRun(project, legacy.runId);
    const auto a = net->named_parameters();
    const auto b = other->named_parameters();
    QCOMPARE(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) QVERIFY(torch::equal(a[i].value(), b[i].value()));
  }

  // export --bn stored gives the ONNX file OFA's get_active_subnet would: for every fixture
  // arch, its logits on the fixture input within 1e-4 of OFA's.
  void exportWithStoredBnMatchesOfa() {
    test::Scratch scratch;
    Project project = makeProject(scratch.path("p"));
    const int64_t runId = importOfaCheckpoint(project, kZip, "", 2).runId;
    const TorchStateDict expected = readTorchStateDict(kFixtures + "ofa_expected.pth");
    const std::vector<Arch> archs = fixtureArchs(loadRun(project, runId)->space());
    double worst = 0;
    for (size_t i = 0; i < archs.size(); ++i) {
      SubnetExportRequest r;
      r.arch = archs[i].toText();
      r.runId = runId;
      r.folder = scratch.path("export" + std::to_string(i));
      r.torchScript = false;
      r.recalibrateBn = false;
      r.measureLatency = false;
      r.threads = 2;
      const SubnetExportResult result = exportSubnet(project, r);
      QVERIFY(result.passed);
      QCOMPARE(QString::fromStdString(result.manifest["bn_recalibration"].get<std::string>()).left(4), QString("none"));
      const at::Tensor logits = ExportedModel::loadOnnxWithOpenCv(r.folder + "/model.onnx").logits(*expected.find("input"));
      const double diff = maxAbsDifference(logits, *expected.find("logits." + std::to_string(i)));
      worst = std::max(worst, diff);
      QVERIFY2(diff <= 1e-4, r.arch.c_str());
    }
    qInfo("ONNX exports (--bn stored) of %zu archs against OFA: largest difference %.3g", archs.size(), worst);
  }

  // export-ofa writes OFA's state_dict (masks applied); importing it back is bit for bit.
  void exportOfaRoundTrips() {
    test::Scratch scratch;
    Project project = makeProject(scratch.path("p"));
    const int64_t first = importOfaCheckpoint(project, kZip, "", 2).runId;
    const std::string out = scratch.path("back.pth");
    const test::CliResult exported = test::runCli(test::q({"export-ofa", project.dir(), "--run", std::to_string(first), out}));
    QVERIFY2(exported.code == 0, exported.err.c_str());
    const TorchStateDict written = readTorchStateDict(out);
    const TorchStateDict original = readTorchStateDict(kZip);
    QCOMPARE(written.entries.size(), original.entries.size());
    for (const auto& [name, tensor] : original.entries) {
      const at::Tensor* mine = written.find(name);
      QVERIFY2(mine, name.c_str());
      QVERIFY2(torch::equal(mine->to(at::kFloat), tensor.to(at::kFloat)) || name.find("num_batches") != std::string::npos,
               name.c_str());
    }
    const test::CliResult again = test::runCli(test::q({"import-ofa", project.dir(), out, "--json"}));
    QVERIFY2(again.code == 0, again.err.c_str());
    const int64_t second = nlohmann::json::parse(again.out)["run"].get<int64_t>();
    Supernet a = loadRun(project, first), b = loadRun(project, second);
    for (const auto& p : a->named_parameters()) QVERIFY(torch::equal(p.value(), b->named_parameters()[p.key()]));
    for (const auto& p : a->named_buffers()) QVERIFY(torch::equal(p.value(), b->named_buffers()[p.key()]));
  }

  // Each hostile or wrong file: one message naming the file and the problem; the project
  // keeps exactly its runs and files.
  void hostileFilesAreRefused() {
    test::Scratch scratch;
    Project project = makeProject(scratch.path("p"));
    const ProjectState before = stateOf(project);
    auto refused = [&](const std::string& file, const std::string& needle) {
      const std::string message = errorOf([&] { importOfaCheckpoint(project, file, "", 2); });
      QVERIFY2(message.find(file) == 0 && message.find(needle) != std::string::npos, message.c_str());
      QVERIFY(stateOf(project) == before);
    };
    using namespace std::string_literals;
    const std::string code = "\x80\x02" "cos\nsystem\nq\x00X\x02\x00\x00\x00lsq\x01\x85q\x02Rq\x03."s;
    std::ofstream(scratch.path("system.pth"), std::ios::binary) << code;
    refused(scratch.path("system.pth"), "refuses to load 'os.system'");
    writeZip(scratch.path("system.zip.pth"), code);
    refused(scratch.path("system.zip.pth"), "refuses to load 'os.system'");

    std::ifstream in(kZip, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(scratch.path("truncated.pth"), std::ios::binary) << bytes.substr(0, bytes.size() / 2);
    refused(scratch.path("truncated.pth"), "truncated");

    writeZip(scratch.path("short.pth"), tensorPickle(100, 100), {{"data/0", std::string(40, '\0')}});
    refused(scratch.path("short.pth"), "holds 40 bytes, its tensors need 400");
    writeZip(scratch.path("view.pth"), tensorPickle(100, 10), {{"data/0", std::string(40, '\0')}});
    refused(scratch.path("view.pth"), "reaches element 99");

    TorchStateDict state = readTorchStateDict(kZip);
    const std::string dropped = "blocks.7.conv.point_linear.bn.bn.running_var";
    auto missing = state.entries;
    missing.erase(std::find_if(missing.begin(), missing.end(), [&](const auto& e) { return e.first == dropped; }));
    writeTorchStateDict(scratch.path("missing.pth"), missing, "state_dict");
    refused(scratch.path("missing.pth"), "no '" + dropped + "'");
    auto wrong = state.entries;
    for (auto& e : wrong) {
      if (e.first == "blocks.3.conv.depth_conv.bn.bn.weight") e.second = torch::ones({12});
    }
    writeTorchStateDict(scratch.path("wrong.pth"), wrong);
    refused(scratch.path("wrong.pth"), "'blocks.3.conv.depth_conv.bn.bn.weight' has shape [12]");

    Project sevenClasses = makeProject(scratch.path("seven"), 7);
    const std::string message = errorOf([&] { importOfaCheckpoint(sevenClasses, kZip, "", 2); });
    QVERIFY2(message.find("10 classes") != std::string::npos && message.find("has 7") != std::string::npos,
             message.c_str());

    const test::CliResult cli = test::runCli(test::q({"import-ofa", project.dir(), scratch.path("system.pth")}));
    QCOMPARE(cli.code, 2);
    QVERIFY2(cli.err.find("os.system") != std::string::npos, cli.err.c_str());
    QVERIFY(stateOf(project) == before);
  }
};

QTEST_GUILESS_MAIN(TestOfaImport)
#include "tst_ofa_import.moc"
