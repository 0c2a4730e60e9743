#include "core/project/subnet_evaluation.h"

#include "core/project/project.h"
#include "core/project/workbench.h"
#include "core/space/cost_model.h"
#include "core/util/input_error.h"
#include "db/store.h"

namespace sn {
namespace {

std::vector<Arch> requestedArchs(const SubnetEvaluationRequest& request, const SearchSpace& space) {
  std::vector<Arch> archs;
  for (const std::string& text : request.archTexts) archs.push_back(Arch::parse(text, space));
  std::mt19937_64 rng(request.seed);
  for (int i = 0; i < request.sample; ++i) archs.push_back(Arch::sample(space, rng));
  if (archs.empty()) throw InputError("nothing to evaluate: give --arch TEXT or --sample N");
  return archs;
}

}  // namespace

SubnetEvaluationResult evaluateSubnets(Project& project, const SubnetEvaluationRequest& request) {
  Store& store = project.store();
  const auto run = request.runId > 0 ? store.runs().find(request.runId) : store.runs().latest();
  if (request.runId > 0 && !run) {
    throw InputError(project.dir() + ": no run " + std::to_string(request.runId));
  }
  ProjectConfig config = project.config();
  if (run) config = ProjectConfig::fromText(run->configJson, "run " + std::to_string(run->id));
  const std::vector<Arch> archs = requestedArchs(request, config.space);

  Workbench w = Workbench::prepare(config, request.device, request.threads, 1);
  SubnetEvaluationResult result;
  std::optional<CheckpointRecord> checkpoint;
  if (run) checkpoint = store.checkpoints().latest(run->id);
  if (checkpoint) {
    w.trainer->load(verifiedCheckpointPath(project, *checkpoint));
    result.trained = true;
    result.checkpoint = checkpoint->path;
  }
  const NetShape shape = w.trainer->net()->shape();
  for (size_t i = 0; i < archs.size(); ++i) {
    if (request.stop && request.stop->load()) break;
    SubnetRecord s;
    const Cost cost = computeCost(config.space, archs[i], shape);
    s.arch = archs[i].toText();
    s.archHash = archs[i].hash();
    s.macs = cost.macs;
    s.params = cost.params;
    s.accuracy = w.evaluator->accuracy(*w.trainer->net(), archs[i]);
    s.source = "evaluated";
    if (checkpoint) {
      s.checkpointId = checkpoint->id;
      s.epoch = checkpoint->epoch;
    }
    if (run) {
      s.runId = run->id;
      s.id = store.subnets().add(s);
      result.stored = true;
    }
    result.subnets.push_back(s);
    if (request.progress) request.progress(static_cast<int>(i + 1), static_cast<int>(archs.size()));
  }
  return result;
}

}  // namespace sn
