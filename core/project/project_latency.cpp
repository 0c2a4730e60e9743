#include "core/project/project_latency.h"

#include <torch/torch.h>

#include "core/latency/latency_profiler.h"
#include "core/project/project.h"
#include "core/project/run_context.h"
#include "core/supernet/supernet.h"
#include "core/train/device.h"
#include "db/store.h"

namespace sn {

LatencyTableResult buildProjectLatencyTable(Project& project, const LatencyTableRequest& request) {
  const RunContext ctx = resolveRun(project, request.runId);
  LatencyOptions options;
  options.device = parseDevice(request.device);
  options.batch = request.batch;
  options.warmup = request.warmup;
  options.runs = request.runs;
  options.threads = useThreads(request.threads);
  options.method = request.method;
  options.job = request.job;
  // Latency does not depend on the weights: a freshly initialised supernet is timed.
  torch::manual_seed(request.seed);
  Supernet net(ctx.config.space, datasetShape(ctx.config.dataset));
  net->to(options.device);

  std::mt19937_64 rng(request.seed);
  std::vector<Arch> archs;
  for (int i = 0; i < request.validate; ++i) archs.push_back(Arch::sample(ctx.config.space, rng));
  LatencyTableResult result;
  result.table = buildLatencyTable(*net, options, archs);
  result.accuracy = latencyAccuracy(result.table.checks, 0.10);
  result.noise = latencyNoise(result.table.checks);
  result.table.id = project.store().latency().add(result.table);
  return result;
}

std::optional<LatencyTableRecord> findLatencyTable(Project& project, const ProjectConfig& config,
                                                   const std::string& deviceName, int64_t batch) {
  return project.store().latency().latest(deviceName, spaceHash(config.space),
                                          inputShapeText(datasetShape(config.dataset)), batch);
}

}  // namespace sn
