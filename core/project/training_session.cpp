#include "core/project/training_session.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/distributed/replica_check.h"
#include "core/distributed/training_group.h"
#include "core/project/workbench.h"
#include "core/project/project.h"
#include "core/project/training_lock.h"
#include "core/prune/subnet_sparsity.h"
#include "core/search/subnet_sampling.h"
#include "core/space/cost_model.h"
#include "core/train/step_values.h"
#include "core/util/cancelled.h"
#include "core/util/input_error.h"
#include "core/util/sha256.h"
#include "db/store.h"
#include "kernels/async_host_copy.h"

namespace sn {
namespace {

// A metric row every `logEvery` steps, and before the first of those at steps 1, 2, 4, 8...:
// a CPU run's charts show a first point after one step, not after 20. A function of the step
// alone, so a resumed run writes the rows an uninterrupted one does.
bool logDue(int64_t step, int64_t logEvery) {
  if (step % logEvery == 0) return true;
  return step > 0 && step < logEvery && (step & (step - 1)) == 0;
}

using Clock = std::chrono::steady_clock;

class RunLoop {
 public:
  RunLoop(Project& project, const SessionOptions& options, Workbench& w, int64_t runId,
          const CheckpointMeta* restored = nullptr)
      : project_(project), options_(options), w_(w), runId_(runId) {
    if (restored) restorePending(*restored);
  }

  SessionResult run() {
    Store& store = project_.store();
    if (primary()) store.runs().markStarted(runId_);
    result_.runId = runId_;
    result_.totalSteps = w_.trainer->totalSteps();
    result_.worldSize = group() ? group()->worldSize() : 1;
    startStep_ = w_.trainer->globalStep();
    try {
      w_.trainer->broadcastFromRankZero();
      // A resumed run whose last epoch-end evaluation was cancelled has no step left: it
      // still owes that evaluation.
      if (w_.trainer->finished() && startStep_ > 0) endEpoch();
      if (group()) {
        while (!w_.trainer->finished() && !trainStep(stopRequested())) {
        }
      } else {
        while (!w_.trainer->finished() && !stopRequested()) {
          waitWhilePaused();
          if (!stopRequested()) trainStep(false);
        }
      }
      const bool done = w_.trainer->finished() && !evaluationCancelled_;
      // Checkpoint before the flush: it must hold the unfinished interval (see CheckpointMeta).
      if (!done && lastCheckpointStep_ != w_.trainer->globalStep()) writeCheckpoint();
      flushMetrics(Wait::Now);
      result_.status = done ? RunStatus::Finished : RunStatus::Stopped;
      if (primary()) {
        store.runs().setStatus(runId_, result_.status,
                               done ? "" : "stopped at step " + std::to_string(result_.step));
      }
    } catch (const std::exception& e) {
      if (primary()) store.runs().setStatus(runId_, RunStatus::Failed, e.what());
      throw;
    }
    result_.step = w_.trainer->globalStep();
    result_.seconds = seconds();
    return result_;
  }

 private:
  void restorePending(const CheckpointMeta& meta) {
    lastFlushStep_ = meta.lastFlushStep;
    summed_ = static_cast<int>(meta.pendingSteps);
    if (summed_ > 0) {
      const SearchSpace& space = w_.trainer->net()->space();
      std::vector<double> sums = meta.pendingSums;
      if (static_cast<int64_t>(sums.size()) != StepValues::size(space)) {
        sums = StepValues::fromSandwichSums(sums, summed_, space, w_.trainer->recipe().subnetsPerStep);
      }
      sum_ = torch::tensor(sums, torch::kFloat32).to(w_.device);
    }
  }

  TrainingGroup* group() const { return options_.group; }
  // The process that writes the project: the only one, or rank 0.
  bool primary() const { return !group() || group()->primary(); }
  bool stopRequested() const { return options_.stop && options_.stop->load(); }
  bool pauseRequested() const { return options_.pause && options_.pause->load(); }
  // Active time: wall time since the start less the time spent paused.
  double seconds() const {
    return std::chrono::duration<double>(Clock::now() - started_).count() - pausedSeconds_;
  }

  // Polls instead of waiting on a condition: the flags are plain atomics that any thread
  // (a Qt UI, a signal handler) can set without knowing about this loop.
  void waitWhilePaused() {
    if (!pauseRequested() || stopRequested()) return;
    const Clock::time_point pausedAt = Clock::now();
    if (options_.sink) {
      TrainingProgress p = baseProgress("paused");
      options_.sink->onProgress(p);
    }
    while (pauseRequested() && !stopRequested()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const Clock::duration paused = Clock::now() - pausedAt;
    pausedSeconds_ += std::chrono::duration<double>(paused).count();
    lastFlush_ += paused;  // the interval's throughput counts active time only
  }

  // True when the ranks agreed to stop after this step.
  bool trainStep(bool stopWanted) {
    const StepReport report = w_.trainer->step(stopWanted);
    result_.step = w_.trainer->globalStep();
    if (report.allReduce) {
      allReduceMs_ += report.allReduce->milliseconds;
      allReduceBytes_ += report.allReduce->bytes;
      ++allReduceSteps_;
    }
    if (options_.checkReplicas && group()) {
      requireIdenticalReplicas(*group(), *w_.trainer->net(),
                               w_.trainer->recipe().distributed.syncBatchNorm, report.step);
      ++result_.replicaChecks;
    }
    // Images of the batch, once: the same unit as bench-train's images_per_s.
    images_ += report.images / static_cast<int64_t>(report.archs.size());
    // Only the process that writes the rows keeps their sums (the others never flush them).
    if (primary()) {
      sum_ = sum_.defined() ? sum_ + report.values : report.values.clone();
      ++summed_;
    }
    lastLr_ = report.lr;
    lastEpoch_ = report.epoch;
    if (report.prune) writePruneMetrics(*report.prune, report.step);
    if (logDue(result_.step, w_.trainer->recipe().logEvery)) flushMetrics(Wait::Later);
    notifyProgress(report, "train");
    if (w_.trainer->atEpochEnd()) {
      endEpoch();
    } else if (checkpointDue()) {
      // The rows of every interval up to the checkpoint's last flush must be stored before it,
      // or a kill right after it would leave that row missing once resumed.
      writePendingMetrics();
      writeCheckpoint();
    }
    return report.stop;
  }

  TrainingProgress baseProgress(const std::string& phase) const {
    TrainingProgress p;
    p.runId = runId_;
    p.step = result_.step;
    p.totalSteps = result_.totalSteps;
    p.epoch = lastEpoch_;
    p.epochs = w_.trainer->totalSteps() / w_.trainer->stepsPerEpoch();
    const double elapsed = seconds();
    p.imagesPerSecond = elapsed > 0 ? static_cast<double>(images_) / elapsed : 0;
    const int64_t done = result_.step - startStep_;
    p.etaSeconds = done > 0 ? elapsed / done * (result_.totalSteps - result_.step) : 0;
    p.lr = lastLr_;
    p.phase = phase;
    return p;
  }

  void notifyProgress(const StepReport& report, const std::string& phase) {
    if (!options_.sink) return;
    TrainingProgress p = baseProgress(phase);
    for (const Arch& a : report.archs) p.sampledArchs.push_back(a.toText());
    options_.sink->onProgress(p);
  }

  // Progress of the epoch-end evaluation, batch by batch; a stop request cancels it.
  JobControl evalJob(const Arch& arch) const {
    // A rank that cancelled alone would leave the others waiting in the next step.
    const std::atomic<bool>* cancel = group() ? nullptr : options_.stop;
    if (!options_.sink) return JobControl(cancel, nullptr);
    return JobControl(cancel, [this, text = arch.toText()](const JobProgress& j) {
      TrainingProgress p = baseProgress(j.stage);
      p.phaseDone = static_cast<int>(j.done);
      p.phaseTotal = static_cast<int>(j.total);
      p.phaseArch = text;
      options_.sink->onProgress(p);
    });
  }

  // Averages since the last row. Their copy to the host is only started here: the rows are
  // written when the next interval starts its copy (or at once with Wait::Now), so the
  // training loop never waits on the device for a metric.
  enum class Wait { Now, Later };
  void flushMetrics(Wait wait) {
    if (!primary()) return;
    writePendingMetrics();
    if (summed_ > 0) {
      const double elapsed = std::chrono::duration<double>(Clock::now() - lastFlush_).count();
      pendingRow_ = {result_.step, lastEpoch_, lastLr_,
                     elapsed > 0 ? (images_ - imagesAtFlush_) / elapsed : 0.0, nowSeconds()};
      if (allReduceSteps_ > 0) {
        pendingRow_.allReduceMs = allReduceMs_ / allReduceSteps_;
        pendingRow_.allReduceBytes = static_cast<double>(allReduceBytes_) / allReduceSteps_;
        allReduceMs_ = 0;
        allReduceBytes_ = 0;
        allReduceSteps_ = 0;
      }
      pendingRow_.methodValues = w_.trainer->method().metricValues(result_.step);
      metricsCopy_.start(sum_ / static_cast<double>(summed_));
      sum_ = at::Tensor();
      summed_ = 0;
      lastFlushStep_ = result_.step;
      imagesAtFlush_ = images_;
      lastFlush_ = Clock::now();
    }
    if (wait == Wait::Now) writePendingMetrics();
  }

  void writePendingMetrics() {
    if (!metricsCopy_.pending()) return;
    const at::Tensor mean = metricsCopy_.take();
    const auto v = mean.accessor<float, 1>();
    const PendingRow& r = pendingRow_;
    std::vector<MetricSample> rows = {{r.step, r.epoch, "lr", r.lr, r.time},
                                      {r.step, r.epoch, "throughput/images_per_s", r.imagesPerSecond, r.time},
                                      {r.step, r.epoch, "budget/passes_per_step", v[StepValues::kPasses], r.time}};
    // Each loss over the steps that had it (StepValues): a mean of means, as before methods.
    const auto add = [&](const std::string& name, int64_t value, int64_t present) {
      if (v[present] > 0) rows.push_back({r.step, r.epoch, name, v[value] / v[present], r.time});
    };
    add("loss/largest", StepValues::kLossLargest, StepValues::kHasLargest);
    add("loss/smallest", StepValues::kLossSmallest, StepValues::kHasSmallest);
    add("acc/train_largest", StepValues::kTrainAccuracyLargest, StepValues::kHasLargest);
    add("loss/random", StepValues::kLossSampled, StepValues::kHasSampled);
    const std::vector<std::string> shares = StepValues::shareNames(w_.trainer->net()->space());
    for (size_t i = 0; i < shares.size(); ++i) add(shares[i], StepValues::kShares + static_cast<int64_t>(i), StepValues::kHasSampled);
    for (const auto& [name, value] : r.methodValues) rows.push_back({r.step, r.epoch, name, value, r.time});
    if (r.allReduceBytes > 0) {
      rows.push_back({r.step, r.epoch, "distributed/allreduce_ms", r.allReduceMs, r.time});
      rows.push_back({r.step, r.epoch, "distributed/allreduce_bytes", r.allReduceBytes, r.time});
      rows.push_back({r.step, r.epoch, "distributed/world_size",
                      static_cast<double>(group()->worldSize()), r.time});
    }
    writeMetrics(rows);
  }

  void writeMetrics(const std::vector<MetricSample>& rows) {
    if (!primary()) return;
    project_.store().metrics().append(runId_, rows);
    if (options_.sink) options_.sink->onMetrics(runId_, rows);
  }

  // A pruning step changed the masks: the sparsity it reached (overall and per layer) and
  // how many weights it pruned and brought back, at the step that opened the epoch.
  void writePruneMetrics(const PruneReport& p, int64_t step) {
    const double now = nowSeconds();
    const auto epoch = static_cast<double>(p.epoch);
    std::vector<MetricSample> rows = {
        {step, epoch, "sparsity/target", p.target, now},
        {step, epoch, "sparsity/overall", p.sparsity, now},
        {step, epoch, "prune/pruned", static_cast<double>(p.pruned), now},
        {step, epoch, "prune/reactivated", static_cast<double>(p.reactivated), now}};
    for (const auto& [name, sparsity] : p.layers) rows.push_back({step, epoch, "sparsity/layer/" + name, sparsity, now});
    if (w_.trainer->shrinker()) {
      rows.push_back({step, epoch, "shrink/channels_removed", static_cast<double>(p.channelsRemovedTotal), now});
      rows.push_back({step, epoch, "shrink/macs_removed", p.macsRemovedShare, now});
    }
    writeMetrics(rows);
  }

  void endEpoch() {
    flushMetrics(Wait::Now);
    SupernetImpl& net = *w_.trainer->net();
    // The run's own space (a resumed run keeps the config it started with).
    const std::vector<Arch> archs = epochEndArchs(net);
    std::vector<double> accuracy;
    try {
      for (const Arch& arch : archs) {
        const JobControl job = evalJob(arch);
        accuracy.push_back(w_.evaluator->accuracy(net, arch, &job));
      }
    } catch (const Cancelled&) {
      // Stopped during the evaluation: the epoch's weights are kept (the run loop writes the
      // checkpoint as it ends); this epoch just has no test accuracy.
      evaluationCancelled_ = true;
      return;
    }
    // Before the checkpoint: the method's state it saves includes this epoch's evaluations.
    w_.trainer->method().observe(archs, accuracy);
    const int64_t epoch = w_.trainer->completedEpochs();
    const double now = nowSeconds();
    writeMetrics({{result_.step, static_cast<double>(epoch), "acc/test_largest", accuracy[0], now},
                  {result_.step, static_cast<double>(epoch), "acc/test_smallest", accuracy[1],
                   now}});
    const int64_t checkpointId = writeCheckpoint();
    for (size_t i = 0; i < archs.size(); ++i) recordSubnet(archs[i], accuracy[i], checkpointId, epoch);
    result_.largestAccuracy = accuracy[0];
    result_.smallestAccuracy = accuracy[1];
    if (options_.sink) {
      options_.sink->onEpoch({runId_, epoch, accuracy[0], accuracy[1], seconds()});
    }
  }

  // The largest and smallest (their accuracies are the curves), then on probe epochs the
  // rest of the run's fixed probe set.
  std::vector<Arch> epochEndArchs(const SupernetImpl& net) const {
    const TrainRecipe& recipe = w_.trainer->recipe();
    const SearchSpace& space = net.space();
    std::vector<Arch> archs = {Arch::largest(space), Arch::smallest(space)};
    if (w_.trainer->completedEpochs() % recipe.probeEvery != 0) return archs;
    const std::vector<Arch> probes = spreadAcrossMacs(space, net.shape(), recipe.probeSubnets, recipe.seed);
    archs.insert(archs.end(), probes.begin() + 1, probes.end() - 1);
    return archs;
  }

  void recordSubnet(const Arch& arch, double accuracy, int64_t checkpointId, int64_t epoch) {
    if (!primary()) return;
    SupernetImpl& net = *w_.trainer->net();
    const Cost cost = computeCost(net.space(), arch, net.shape());
    const SubnetSparsity sparsity = subnetSparsity(net, arch);
    SubnetRecord s;
    s.runId = runId_;
    s.checkpointId = checkpointId;
    s.epoch = epoch;
    s.arch = arch.toText();
    s.archHash = arch.hash();
    s.macs = cost.macs;
    s.params = cost.params;
    s.accuracy = accuracy;
    s.sparsity = sparsity.sparsity();
    s.sparseMacs = sparsity.sparseMacs;
    s.source = SubnetSource::Evaluated;
    project_.store().subnets().add(s);
  }

  bool checkpointDue() const {
    const double minutes = w_.trainer->recipe().checkpointMinutes;
    return primary() && minutes > 0 &&
           std::chrono::duration<double>(Clock::now() - lastCheckpointAt_).count() >= minutes * 60;
  }

  // Of the run's checkpoints the newest `checkpoint_keep` stay, and every one a stored subnet
  // was measured on (each epoch end's probe set is): the rest go, the row first, so a crash
  // in between leaves an unrecorded file (resume removes it), never a row naming a lost file.
  void pruneCheckpoints() {
    Store& store = project_.store();
    const std::vector<CheckpointRecord> all = store.checkpoints().forRun(runId_);
    const std::vector<int64_t> used = store.subnets().checkpointIdsOf(runId_);
    const auto keep = static_cast<size_t>(w_.trainer->recipe().checkpointKeep);
    for (size_t i = 0; i + keep < all.size(); ++i) {
      if (std::find(used.begin(), used.end(), all[i].id) != used.end()) continue;
      store.checkpoints().remove(all[i].id);
      std::error_code ignored;
      std::filesystem::remove(project_.checkpointPath(all[i].path), ignored);
    }
  }

  // -1 on the ranks that do not write the project.
  int64_t writeCheckpoint() {
    if (!primary()) return -1;
    const int64_t step = w_.trainer->globalStep();
    const std::string relative =
        "checkpoints/run-" + std::to_string(runId_) + "-step-" + std::to_string(step) + ".pt";
    const std::string path = project_.checkpointPath(relative);
    CheckpointMeta pending;
    if (summed_ > 0) {
      const at::Tensor sums = sum_.to(torch::kCPU).to(torch::kFloat64).contiguous();
      pending.pendingSums.assign(sums.data_ptr<double>(), sums.data_ptr<double>() + sums.numel());
      pending.pendingSteps = summed_;
    }
    pending.lastFlushStep = lastFlushStep_;
    w_.trainer->save(path, pending);
    CheckpointRecord c;
    c.runId = runId_;
    c.epoch = w_.trainer->completedEpochs();
    c.step = step;
    c.path = relative;
    c.sha256 = sha256File(path);
    lastCheckpointStep_ = step;
    lastCheckpointAt_ = Clock::now();
    const int64_t id = project_.store().checkpoints().add(c);
    pruneCheckpoints();
    return id;
  }

  Project& project_;
  const SessionOptions& options_;
  Workbench& w_;
  int64_t runId_;
  SessionResult result_;
  Clock::time_point started_ = Clock::now();
  Clock::time_point lastFlush_ = Clock::now();
  Clock::time_point lastCheckpointAt_ = Clock::now();
  int64_t startStep_ = 0;
  int64_t images_ = 0;
  int64_t imagesAtFlush_ = 0;
  at::Tensor sum_;
  int summed_ = 0;
  // The interval whose averages are on their way to the host.
  struct PendingRow {
    int64_t step = 0;
    double epoch = 0, lr = 0, imagesPerSecond = 0, time = 0;
    double allReduceMs = 0, allReduceBytes = 0;  // per step; 0 bytes: not distributed
    std::vector<std::pair<std::string, double>> methodValues;  // the method's sampling/... rows
  };
  PendingRow pendingRow_;
  kernels::AsyncHostCopy metricsCopy_;
  int64_t lastFlushStep_ = 0;
  int64_t lastCheckpointStep_ = -1;
  double lastLr_ = 0;
  double lastEpoch_ = 0;
  double pausedSeconds_ = 0;
  bool evaluationCancelled_ = false;
  double allReduceMs_ = 0;  // since the last metrics row
  int64_t allReduceBytes_ = 0;
  int64_t allReduceSteps_ = 0;
};

// What a run records as its config: the recipe it trains with and the device it trains on.
std::string recordedConfig(const ProjectConfig& config, const std::string& device) {
  nlohmann::json j = config.toJson();
  j["device"] = device;
  return j.dump();
}

int epochsFor(const ProjectConfig& config, const SessionOptions& options) {
  return options.epochs > 0 ? options.epochs : config.recipe.epochs;
}

// Checkpoint files of the run that no row records: one a kill left between a retention's row
// and file deletion, or a temporary a kill left mid-write. Resume removes them.
void removeUnrecordedCheckpoints(Project& project, int64_t runId) {
  namespace fs = std::filesystem;
  std::vector<std::string> recorded;
  for (const CheckpointRecord& c : project.store().checkpoints().forRun(runId)) {
    recorded.push_back(fs::path(project.checkpointPath(c.path)).filename().string());
  }
  const std::string prefix = "run-" + std::to_string(runId) + "-step-";
  std::error_code error;
  std::vector<fs::path> unrecorded;
  for (const auto& entry : fs::directory_iterator(project.checkpointsDir(), error)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) == 0 &&
        std::find(recorded.begin(), recorded.end(), name) == recorded.end()) {
      unrecorded.push_back(entry.path());
    }
  }
  for (const fs::path& p : unrecorded) fs::remove(p, error);
}

int worldSizeOf(const SessionOptions& options) {
  return options.group ? options.group->worldSize() : 1;
}

}  // namespace

TrainingSession::TrainingSession(Project& project, SessionOptions options)
    : project_(project), options_(std::move(options)) {}

bool TrainingSession::follower() const { return options_.group && !options_.group->primary(); }

void TrainingSession::announce(const std::string& run, const std::string& checkpoint) {
  if (!options_.group) return;
  options_.group->publish("checkpoint", checkpoint);
  options_.group->publish("run", run);  // last: the others read "checkpoint" after it
}

// Runs rank 0's part; if it fails before the run is announced, the others learn why.
template <class F>
SessionResult TrainingSession::announcing(F body) {
  announced_ = false;
  try {
    return body();
  } catch (const std::exception& e) {
    if (!announced_) announce(std::string("failed: ") + e.what());
    throw;
  }
}

SessionResult TrainingSession::start() {
  if (follower()) return follow(false);
  return announcing([this] {
    const TrainingLock lock(project_.dir());
    if (options_.runId > 0) return startCreated();
    ProjectConfig config = project_.config();
    config.recipe.epochs = epochsFor(config, options_);
    config.recipe.distributed.worldSize = worldSizeOf(options_);
    Workbench w = Workbench::prepare(config, options_.device, options_.threads,
                                     config.recipe.epochs, options_.group);
    RunRecord run;
    run.name = options_.runName.empty()
                   ? "run " + std::to_string(project_.store().runs().all().size() + 1)
                   : options_.runName;
    run.space = config.space.name;
    run.configJson = recordedConfig(config, options_.device);
    const int64_t runId = project_.store().runs().create(run);
    announceRun(runId);
    return RunLoop(project_, options_, w, runId).run();
  });
}

// The run keeps its recipe; its stored config gains the device, epochs and ranks actually used.
SessionResult TrainingSession::startCreated() {
  Store& store = project_.store();
  const auto run = store.runs().find(options_.runId);
  const std::string name = project_.dir() + ": run " + std::to_string(options_.runId);
  if (!run) throw InputError(project_.dir() + ": no run " + std::to_string(options_.runId));
  if (run->status != RunStatus::Created) {
    throw InputError(name + " has already started (" + runStatusName(run->status) +
                     "); resume it, or make a new run from it");
  }
  ProjectConfig config = ProjectConfig::fromText(run->configJson, name);
  config.recipe.epochs = epochsFor(config, options_);
  config.recipe.distributed.worldSize = worldSizeOf(options_);
  Workbench w = Workbench::prepare(config, options_.device, options_.threads,
                                   config.recipe.epochs, options_.group);
  w.startFrom(config.initFrom);
  if (options_.sink && !w.transfer.empty()) {
    options_.sink->onMessage("weights from " + config.initFrom.describe() + ": " + w.transfer);
  }
  store.runs().setConfig(run->id, recordedConfig(config, options_.device));
  announceRun(run->id);
  return RunLoop(project_, options_, w, run->id).run();
}

SessionResult TrainingSession::resume(int64_t runId) {
  if (follower()) return follow(true);
  return announcing([this, runId] {
    const TrainingLock lock(project_.dir());
    Store& store = project_.store();
    const auto run = runId > 0 ? store.runs().find(runId) : store.runs().latest();
    if (!run) throw InputError(project_.dir() + ": no run to resume");
    if (run->status == RunStatus::Finished) {
      throw InputError(project_.dir() + ": run " + std::to_string(run->id) +
                       " has finished; start a new one with 'train'");
    }
    if (run->status == RunStatus::Created) {
      throw InputError(project_.dir() + ": run " + std::to_string(run->id) +
                       " has not started; train it with: supernet-cli train DIR --run " +
                       std::to_string(run->id));
    }
    removeUnrecordedCheckpoints(project_, run->id);
    const ProjectConfig config =
        ProjectConfig::fromText(run->configJson, "run " + std::to_string(run->id));
    // The recorded world size stays: it fixes the global batch, whatever the ranks now.
    Workbench w = Workbench::prepare(config, options_.device, options_.threads,
                                     config.recipe.epochs, options_.group);
    const auto checkpoint = store.checkpoints().latest(run->id);
    if (!checkpoint) {
      // Killed before its first checkpoint: it starts over. Every stream is a function of the
      // seed and the step, so the result is still that of an uninterrupted run.
      store.metrics().truncateAfter(run->id, -1);
      announceRun(run->id);
      return RunLoop(project_, options_, w, run->id).run();
    }
    const CheckpointMeta meta = w.trainer->load(verifiedCheckpointPath(project_, *checkpoint));
    // Rows after the last whole interval are rewritten: the partial row a stop flushed, and
    // anything a crash left past the checkpoint.
    store.metrics().truncateAfter(run->id, meta.lastFlushStep);
    announceRun(run->id, checkpoint->path);
    return RunLoop(project_, options_, w, run->id, &meta).run();
  });
}

void TrainingSession::announceRun(int64_t runId, const std::string& checkpoint) {
  announce(std::to_string(runId), checkpoint);
  announced_ = true;
}

// Reads what rank 0 decided from the store and the run's recorded config from the database
// (rank 0 has written it before announcing); writes nothing.
SessionResult TrainingSession::follow(bool resuming) {
  TrainingGroup& group = *options_.group;
  const std::string announced = group.awaitValue("run");
  if (announced.rfind("failed: ", 0) == 0) {
    throw std::runtime_error("rank 0 could not start the run: " + announced.substr(8));
  }
  const int64_t runId = std::stoll(announced);
  const auto run = project_.store().runs().find(runId);
  if (!run) throw InputError(project_.dir() + ": no run " + announced + " (announced by rank 0)");
  const ProjectConfig config =
      ProjectConfig::fromText(run->configJson, "run " + std::to_string(runId));
  Workbench w = Workbench::prepare(config, options_.device, options_.threads,
                                   config.recipe.epochs, options_.group);
  const std::string checkpoint = group.awaitValue("checkpoint");
  if (!resuming) w.startFrom(config.initFrom);
  if (!resuming || checkpoint.empty()) return RunLoop(project_, options_, w, runId).run();
  const CheckpointMeta meta = w.trainer->load(project_.checkpointPath(checkpoint));
  return RunLoop(project_, options_, w, runId, &meta).run();
}

}  // namespace sn
