#include "core/project/subnet_evaluation.h"

#include "core/latency/latency_profiler.h"
#include "core/project/project.h"
#include "core/project/run_context.h"
#include "core/project/workbench.h"
#include "core/prune/subnet_sparsity.h"
#include "core/search/subnet_sampling.h"
#include "core/space/cost_model.h"
#include "core/train/device.h"
#include "core/util/cancelled.h"
#include "core/util/input_error.h"
#include "db/store.h"

namespace sn {
namespace {

std::vector<Arch> requestedArchs(const SubnetEvaluationRequest& request, const SearchSpace& space,
                                 const NetShape& shape) {
  std::vector<Arch> archs;
  for (const std::string& text : request.archTexts) archs.push_back(Arch::parse(text, space));
  for (const Arch& a : request.archs) {
    a.validate(space);
    archs.push_back(a);
  }
  std::mt19937_64 rng(request.seed);
  for (int i = 0; i < request.sample; ++i) archs.push_back(Arch::sample(space, rng));
  for (Arch& a : spreadAcrossMacs(space, shape, request.spread, request.seed)) archs.push_back(std::move(a));
  if (archs.empty()) throw InputError("nothing to evaluate: give --arch TEXT, --sample N or --spread N");
  return archs;
}

}  // namespace

SubnetEvaluationResult evaluateSubnets(Project& project, const SubnetEvaluationRequest& request) {
  const RunContext ctx = resolveRun(project, request.runId);
  const NetShape shape = datasetShape(ctx.config.dataset);
  const std::vector<Arch> archs = requestedArchs(request, ctx.config.space, shape);

  ProjectConfig config = ctx.config;
  if (request.testOffset) config.dataset.testOffset = *request.testOffset;
  Workbench w = Workbench::prepare(config, request.device, request.threads, 1);
  if (request.recalSeed) {
    EvalOptions options = w.evaluator->options();
    options.seed = *request.recalSeed;
    w.evaluator = std::make_unique<Evaluator>(*w.train, *w.test, options);
  }
  SubnetEvaluationResult result;
  if (ctx.checkpoint) {
    w.trainer->load(verifiedCheckpointPath(project, *ctx.checkpoint));
    result.trained = true;
    result.checkpoint = ctx.checkpoint->path;
  }
  LatencyOptions latency;
  latency.device = w.device;
  latency.batch = request.latencyBatch;
  latency.runs = request.latencyRuns;
  latency.threads = useThreads(request.threads);
  SupernetImpl& net = *w.trainer->net();
  // Cancel only: the batches of one subnet are not the progress the caller shows.
  const JobControl cancelOnly(request.job.cancelFlag(), nullptr);
  for (size_t i = 0; i < archs.size(); ++i) {
    SubnetRecord s;
    try {
      s.accuracy = w.evaluator->accuracy(net, archs[i], &cancelOnly);
    } catch (const Cancelled&) {
      result.cancelled = true;
      break;
    }
    const Cost cost = computeCost(ctx.config.space, archs[i], shape);
    s.arch = archs[i].toText();
    s.archHash = archs[i].hash();
    s.macs = cost.macs;
    s.params = cost.params;
    const SubnetSparsity sparsity = subnetSparsity(net, archs[i]);
    s.sparsity = sparsity.sparsity();
    s.sparseMacs = sparsity.sparseMacs;
    s.source = request.source;
    if (request.measureLatency) {
      s.latencyMs = measureSubnetLatencyMs(net, archs[i], latency);
      s.latencyDevice = latencyDeviceName(latency);
    }
    if (ctx.checkpoint) {
      s.checkpointId = ctx.checkpoint->id;
      s.epoch = ctx.checkpoint->epoch;
    }
    if (ctx.run && request.store) {
      s.runId = ctx.run->id;
      s.id = project.store().subnets().add(s);
      result.stored = true;
    }
    result.subnets.push_back(s);
    request.job.report("evaluated", static_cast<int64_t>(i + 1), static_cast<int64_t>(archs.size()));
  }
  return result;
}

}  // namespace sn
