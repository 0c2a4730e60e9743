#include "core/project/subnet_export.h"

#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/evaluate/top_one_accuracy.h"
#include "core/export/export_graph.h"
#include "core/export/exported_model.h"
#include "core/export/onnx_writer.h"
#include "core/export/staged_folder.h"
#include "core/export/subnet_finetune.h"
#include "core/export/torchscript_writer.h"
#include "core/latency/latency_profiler.h"
#include "core/project/project.h"
#include "core/project/run_context.h"
#include "core/project/workbench.h"
#include "core/space/cost_model.h"
#include "core/supernet/static_subnet.h"
#include "core/train/device.h"
#include "core/util/build_info.h"
#include "core/util/cancelled.h"
#include "core/util/file_sink.h"
#include "core/util/input_error.h"
#include "core/util/sha256.h"
#include "db/store.h"

namespace sn {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Two runtimes may break a tie between two classes differently; a handful of such images
// out of the test split is not a broken export.
constexpr double kAccuracyTolerance = 0.001;

struct Target {
  RunContext ctx;
  Arch arch;
};

Target resolveTarget(Project& project, const SubnetExportRequest& r) {
  int64_t runId = r.runId;
  std::string archText = r.arch;
  if (r.subnetId > 0) {
    const auto s = project.store().subnets().find(r.subnetId);
    if (!s) throw InputError(project.dir() + ": no subnet " + std::to_string(r.subnetId));
    runId = s->runId;
    archText = s->arch;
  }
  if (archText.empty()) throw InputError("nothing to export: give --arch TEXT|max|min or --subnet ID");
  RunContext ctx = resolveRun(project, runId);
  if (!ctx.run) throw InputError(project.dir() + ": the project has no run yet; train it before exporting");
  if (!ctx.checkpoint) {
    throw InputError(project.dir() + ": run " + std::to_string(ctx.run->id) +
                     " has no checkpoint yet; export needs trained weights (train or resume it first)");
  }
  Arch arch = Arch::parse(archText, ctx.config.space);
  return {std::move(ctx), std::move(arch)};
}

std::optional<double> storedAccuracy(Project& project, const RunContext& ctx, const Arch& arch) {
  std::optional<double> found;
  for (const SubnetRecord& s : project.store().subnets().forRun(ctx.run->id)) {
    if (s.archHash == arch.hash() && s.checkpointId == ctx.checkpoint->id && isMeasured(s.source) &&
        s.accuracy) {
      found = s.accuracy;
    }
  }
  return found;
}

std::vector<double> channelValues(const at::Tensor& t) {
  const at::Tensor flat = t.to(at::kCPU, at::kDouble).flatten().contiguous();
  return std::vector<double>(flat.data_ptr<double>(), flat.data_ptr<double>() + flat.numel());
}

std::string normalisationText(const BatchLoader& data) {
  return "Input: float32 NCHW, pixel values scaled to [0, 1] then normalised per channel as "
         "(x - mean) / std with mean " + json(channelValues(data.mean())).dump() + " and std " +
         json(channelValues(data.stddev())).dump() + ". Output: logits (apply softmax for probabilities).";
}

json fileEntry(const std::string& folder, const std::string& file) {
  const std::string path = folder + "/" + file;
  return {{"sha256", sha256File(path)}, {"bytes", static_cast<int64_t>(fs::file_size(path))}};
}

// What the deployed model is and how it was checked; also stored inside model.pt.
json baseManifest(const std::string& name, const Target& t, const Workbench& w, const ExportGraph& graph,
                  const SubnetExportRequest& r) {
  const NetShape& shape = graph.shape;
  const Cost cost = computeCost(t.ctx.config.space, t.arch, shape);
  const json batch = r.batch > 0 ? json(r.batch) : json("batch");
  return {
      {"name", name},
      {"tool", {{"name", "Supernet Studio"}, {"version", toolVersion()}}},
      {"created_at", std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count()},
      {"arch", {{"text", t.arch.toText()}, {"json", t.arch.toJson()}, {"hash", t.arch.hash()},
                // Once-for-All's set_active_subnet(ks, e, d) arguments for the same subnet
                {"ofa", t.arch.toOfaJson(t.ctx.config.space)}}},
      {"space", t.ctx.config.space.toJson()},
      {"dataset", {{"spec", t.ctx.config.dataset.toJson()}, {"name", w.train->data().name},
                   {"class_names", w.train->data().classNames}}},
      {"input", {{"name", graph.input}, {"shape", {batch, shape.channels, shape.resolution, shape.resolution}},
                 {"dtype", "float32"}, {"layout", "NCHW"},
                 // Image folders are decoded to RGB; the IDX and CIFAR files hold RGB or grey.
                 {"channel_order", shape.channels == 3 ? "RGB" : "grey"},
                 {"normalisation", {{"scale", 1.0 / 255.0}, {"mean", channelValues(w.train->mean())},
                                    {"std", channelValues(w.train->stddev())},
                                    {"formula", "(pixel / 255 - mean[c]) / std[c]"}}}}},
      {"output", {{"name", graph.output}, {"shape", {batch, shape.classes}}, {"meaning", "logits"}}},
      {"batch", r.batch > 0 ? json(r.batch) : json("dynamic")},
      {"macs", {{"dense", graph.denseMacs()}, {"sparse", graph.sparseMacs()}, {"cost_model", cost.macs}}},
      {"params", cost.params},
      {"exported_weights", graph.weightCount()},
      {"sparsity", graph.sparsity()},
      {"run", {{"id", t.ctx.run->id}, {"name", t.ctx.run->name}}},
      {"checkpoint", {{"path", t.ctx.checkpoint->path}, {"epoch", t.ctx.checkpoint->epoch},
                      {"sha256", t.ctx.checkpoint->sha256}}},
      {"bn_recalibration", r.recalibrateBn ? json{{"batches", t.ctx.config.recipe.recalBatches},
                                                  {"batch_size", t.ctx.config.recipe.batchSize},
                                                  {"split", "train"}}
                                            : json("none: the supernet's stored statistics")},
  };
}

class Progress {
 public:
  explicit Progress(const SubnetExportRequest& r) : r_(r) {}
  void operator()(const std::string& stage, int64_t done = 0, int64_t total = 0) const {
    r_.job.tick(stage, done, total);
  }

 private:
  const SubnetExportRequest& r_;
};

// The tolerance is relative once logits exceed 1: float32 resolves about 1e-7 of a value,
// so a subnet whose logits reach 16000 (stored BN statistics can give that) differs by 2e-3
// in its last bit, and an absolute 1e-4 would fail a correct file.
double logitScale(const at::Tensor& reference) {
  return std::max(1.0, reference.abs().max().item<double>());
}

ExportCheck verifyFile(const ExportedModel& model, const std::string& format, const std::string& file,
                       const at::Tensor& images, const at::Tensor& reference, const BatchLoader& test,
                       int64_t batch, double referenceAccuracy, const SubnetExportRequest& r) {
  ExportCheck c;
  c.format = format;
  c.file = file;
  c.runtime = model.runtime();
  c.maxAbsDiff = maxAbsDifference(model.logits(images), reference);
  c.accuracy = model.accuracy(test, batch, r.job.cancelFlag());
  c.passed = c.maxAbsDiff <= r.tolerance * logitScale(reference) &&
             std::abs(c.accuracy - referenceAccuracy) <= kAccuracyTolerance;
  return c;
}

double fineTunedAccuracy(StaticSubnetImpl& subnet, const BatchLoader& test) {
  torch::NoGradGuard noGrad;
  return topOneAccuracy([&](const at::Tensor& images) { return subnet.forward(images).to(at::kCPU); }, test, 500);
}

json checkJson(const ExportCheck& c) {
  return {{"format", c.format}, {"file", c.file}, {"runtime", c.runtime}, {"max_abs_diff", c.maxAbsDiff},
          {"accuracy", c.accuracy}, {"passed", c.passed}};
}

}  // namespace

std::string defaultExportFolder(const std::string& projectDir, int64_t runId, const std::string& archHash) {
  return projectDir + "/exports/run" + std::to_string(runId) + "-" + archHash.substr(0, 10);
}

namespace {

// The weights as they will be exported: the run's checkpoint, BN recalibrated for the
// subnet (or its stored statistics), in eval mode.
Workbench loadedNetwork(Project& project, const Target& t, const SubnetExportRequest& r,
                        const Progress& progress, const JobControl& monitor) {
  progress("loading checkpoint");
  Workbench w = Workbench::prepare(t.ctx.config, r.device, r.threads, 1);
  w.trainer->load(verifiedCheckpointPath(project, *t.ctx.checkpoint));
  SupernetImpl& net = *w.trainer->net();
  if (r.recalibrateBn) {
    progress("recalibrating batch norm");
    w.evaluator->recalibrateBn(net, t.arch, &monitor);
  } else {
    net.setActive(t.arch);
  }
  net.eval();
  return w;
}

// What the written files are checked against: the supernet's (or, fine-tuned, the static
// subnet's) logits on the first images and its test accuracy.
struct Reference {
  StaticSubnet subnet{nullptr};
  at::Tensor images;
  at::Tensor logits;
  double supernetAccuracy = 0;
  double accuracy = 0;
  json fineTune = nullptr;
};

Reference referenceOf(Workbench& w, const Target& t, const SubnetExportRequest& r, const Progress& progress,
                      const JobControl& monitor) {
  SupernetImpl& net = *w.trainer->net();
  Reference ref;
  progress("measuring supernet accuracy");
  ref.supernetAccuracy = ref.accuracy = w.evaluator->testAccuracy(net, &monitor);
  const int64_t verifyCount = std::min<int64_t>(r.batch > 0 ? r.batch : r.verifyImages, w.test->data().size());
  ref.images = w.test->range(0, verifyCount).images;
  ref.subnet = extractSubnet(net, t.arch);
  ref.subnet->eval();
  {
    torch::NoGradGuard noGrad;
    ref.logits = net.forward(ref.images);
  }
  if (r.fineTuneEpochs <= 0) return ref;
  FineTuneOptions o;
  o.epochs = r.fineTuneEpochs;
  o.lr = r.fineTuneLr;
  o.batchSize = t.ctx.config.recipe.batchSize;
  o.augment = t.ctx.config.recipe.augment;
  o.seed = t.ctx.config.recipe.seed;
  o.job = r.job.asStage("fine-tuning");
  fineTuneSubnet(*ref.subnet, *w.train, o);
  torch::NoGradGuard noGrad;
  ref.logits = ref.subnet->forward(ref.images);
  ref.accuracy = fineTunedAccuracy(*ref.subnet, *w.test);
  ref.fineTune = {{"epochs", r.fineTuneEpochs}, {"lr", r.fineTuneLr}, {"accuracy_before", ref.supernetAccuracy},
                  {"accuracy_after", ref.accuracy}, {"accuracy_change", ref.accuracy - ref.supernetAccuracy}};
  return ref;
}

void writeModelFiles(const ExportGraph& graph, const json& manifest, const std::string& dir, const Target& t,
                     const Workbench& w, const SubnetExportRequest& r) {
  if (r.onnx) {
    OnnxWriteOptions o;
    o.batch = r.batch;
    o.docString = normalisationText(*w.train);
    o.producerVersion = toolVersion();
    o.metadata = {{"arch", t.arch.toText()}, {"class_names", json(w.train->data().classNames).dump()},
                  {"normalisation", manifest["input"]["normalisation"].dump()}};
    writeOnnxModel(graph, dir + "/model.onnx", o);
  }
  if (r.torchScript) writeTorchScriptModel(graph, dir + "/model.pt", {{"manifest.json", manifest.dump(2)}});
}

// Each written file loaded back by its own runtime (OpenCV DNN, LibTorch) and compared.
std::vector<ExportCheck> verifyModelFiles(const std::string& dir, const Reference& ref, const Workbench& w,
                                          const SubnetExportRequest& r, const Progress& progress) {
  const int64_t accuracyBatch = r.batch > 0 ? r.batch : 500;
  std::vector<ExportCheck> checks;
  if (r.onnx) {
    progress("verifying model.onnx with OpenCV DNN");
    checks.push_back(verifyFile(ExportedModel::loadOnnxWithOpenCv(dir + "/model.onnx"), "onnx", "model.onnx",
                                ref.images, ref.logits, *w.test, accuracyBatch, ref.accuracy, r));
  }
  if (r.torchScript) {
    progress("verifying model.pt with LibTorch");
    checks.push_back(verifyFile(ExportedModel::loadTorchScript(dir + "/model.pt"), "torchscript", "model.pt",
                                ref.images, ref.logits, *w.test, accuracyBatch, ref.accuracy, r));
  }
  return checks;
}

json latencyJson(Workbench& w, const Target& t, const SubnetExportRequest& r, const Progress& progress) {
  if (!r.measureLatency) return nullptr;
  progress("measuring latency");
  LatencyOptions latency;
  latency.device = w.device;
  latency.runs = r.latencyRuns;
  latency.threads = useThreads(r.threads);
  latency.job = JobControl(r.job.cancelFlag(), nullptr);
  return {{"ms", measureSubnetLatencyMs(*w.trainer->net(), t.arch, latency)},
          {"device", latencyDeviceName(latency)}, {"batch", latency.batch}};
}

// The manifest once the files are written and checked: accuracy, verification, latency, files.
void completeManifest(json& manifest, SubnetExportResult& result, const Reference& ref, Workbench& w,
                      const Target& t, const SubnetExportRequest& r, const Progress& progress,
                      const std::string& dir) {
  result.passed = true;
  json checks = json::array();
  for (const ExportCheck& c : result.checks) {
    result.passed = result.passed && c.passed;
    checks.push_back(checkJson(c));
  }
  manifest["accuracy"] = {{"reference", result.referenceAccuracy}, {"supernet", ref.supernetAccuracy},
                          {"stored", result.storedAccuracy ? json(*result.storedAccuracy) : json(nullptr)},
                          {"split", "test"}, {"images", w.test->data().size()}};
  manifest["verification"] = {{"images", ref.images.size(0)}, {"tolerance", r.tolerance},
                              {"tolerance_scale", logitScale(ref.logits)},
                              {"accuracy_tolerance", kAccuracyTolerance},
                              {"reference", r.fineTuneEpochs > 0 ? "fine-tuned subnet" : "supernet"},
                              {"checks", checks}, {"passed", result.passed}};
  manifest["latency"] = latencyJson(w, t, r, progress);
  json files = json::object();
  if (r.onnx) files["model.onnx"] = fileEntry(dir, "model.onnx");
  if (r.torchScript) files["model.pt"] = fileEntry(dir, "model.pt");
  manifest["files"] = files;
}

}  // namespace

// Stages: the target and its folder, the loaded network, the reference outputs (fine-tuned
// if asked), the model files, their verification, the manifest, then the folder published.
SubnetExportResult exportSubnet(Project& project, const SubnetExportRequest& r) {
  if (!r.onnx && !r.torchScript) throw InputError("nothing to write: choose ONNX, TorchScript or both");
  if (!r.name.empty() && (r.name.find('/') != std::string::npos || r.name[0] == '.')) {
    throw InputError("export name '" + r.name + "': must not contain '/' or start with '.'");
  }
  const Progress progress(r);
  const Target t = resolveTarget(project, r);
  std::string folder = r.folder;
  if (folder.empty()) {
    folder = r.name.empty() ? defaultExportFolder(project.dir(), t.ctx.run->id, t.arch.hash())
                            : project.dir() + "/exports/" + r.name;
  }
  StagedFolder staged(folder, r.replace);
  const std::string name = fs::path(staged.finalPath()).filename().string();
  // Cancel only: a batch of the recalibration is not a stage the user follows.
  const JobControl monitor(r.job.cancelFlag(), nullptr);
  Workbench w = loadedNetwork(project, t, r, progress, monitor);

  SubnetExportResult result;
  result.arch = t.arch.toText();
  result.storedAccuracy = storedAccuracy(project, t.ctx, t.arch);
  const Reference ref = referenceOf(w, t, r, progress, monitor);
  result.referenceAccuracy = ref.accuracy;
  const ExportGraph graph = buildExportGraph(*ref.subnet, w.trainer->net()->shape());
  json manifest = baseManifest(name, t, w, graph, r);
  manifest["fine_tune"] = ref.fineTune;

  progress("writing model files");
  const std::string dir = staged.path();
  writeModelFiles(graph, manifest, dir, t, w, r);
  result.checks = verifyModelFiles(dir, ref, w, r, progress);
  completeManifest(manifest, result, ref, w, t, r, progress, dir);
  // Checked: a full disk must not publish a cut manifest.
  FileSink::writeAll(dir + "/manifest.json", manifest.dump(2) + "\n");
  progress("publishing");
  staged.publish();
  result.folder = staged.finalPath();
  result.manifest = std::move(manifest);
  return result;
}

}  // namespace sn
