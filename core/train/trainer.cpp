#include "core/train/trainer.h"

#include <torch/torch.h>

#include "core/distributed/sync_batch_norm.h"
#include "core/distributed/training_group.h"
#include "core/prune/channel_shrinker.h"
#include "core/prune/magnitude_pruner.h"
#include "core/train/autocast_scope.h"
#include "core/train/distillation.h"
#include "core/train/grad_clip.h"
#include "core/train/step_values.h"
#include "core/util/input_error.h"

namespace sn {
namespace {

namespace optim = torch::optim;

// BN scale/shift and biases (all 1-D) get no weight decay.
std::unique_ptr<optim::Optimizer> makeOptimizer(SupernetImpl& net, const TrainRecipe& r) {
  std::vector<torch::Tensor> decay, noDecay;
  for (auto& p : net.parameters()) (p.dim() <= 1 ? noDecay : decay).push_back(p);
  if (r.optimizer == "adamw") {
    std::vector<optim::OptimizerParamGroup> groups;
    groups.emplace_back(decay, std::make_unique<optim::AdamWOptions>(
                                   optim::AdamWOptions(r.lr).weight_decay(r.weightDecay)));
    groups.emplace_back(noDecay, std::make_unique<optim::AdamWOptions>(
                                     optim::AdamWOptions(r.lr).weight_decay(0.0)));
    return std::make_unique<optim::AdamW>(std::move(groups), optim::AdamWOptions(r.lr));
  }
  auto sgd = [&](double wd) {
    return std::make_unique<optim::SGDOptions>(
        optim::SGDOptions(r.lr).momentum(r.momentum).nesterov(r.nesterov).weight_decay(wd));
  };
  std::vector<optim::OptimizerParamGroup> groups;
  groups.emplace_back(decay, sgd(r.weightDecay));
  groups.emplace_back(noDecay, sgd(0.0));
  return std::make_unique<optim::SGD>(std::move(groups), *sgd(r.weightDecay));
}

uint64_t mix(uint64_t seed, uint64_t value) {
  uint64_t z = seed * 0x9E3779B97F4A7C15ULL + value + 0x632BE59BD9B4E019ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// One rank's share of the global batch; InputError when it does not split evenly.
int64_t localBatchOf(int64_t globalBatch, const TrainRecipe& r, int world) {
  if (globalBatch % world != 0 || globalBatch / world < 2) {
    throw InputError("the run's global batch of " + std::to_string(globalBatch) +
                     " (batch_size " + std::to_string(r.batchSize) + " x the " +
                     std::to_string(r.distributed.worldSize) +
                     " rank(s) it started with) does not split into " + std::to_string(world) +
                     " equal batches of at least 2");
  }
  return globalBatch / world;
}

}  // namespace

Trainer::Trainer(Supernet net, TrainRecipe recipe, const BatchLoader& train, int64_t totalEpochs,
                 TrainingGroup* group)
    : net_(std::move(net)),
      recipe_(std::move(recipe)),
      train_(train),
      totalEpochs_(totalEpochs),
      group_(group),
      rank_(group ? group->rank() : 0),
      globalBatch_(static_cast<int64_t>(recipe_.batchSize) * recipe_.distributed.worldSize),
      localBatch_(localBatchOf(globalBatch_, recipe_, group ? group->worldSize() : 1)),
      stepsPerEpoch_(train.data().size() / globalBatch_) {
  if (stepsPerEpoch_ < 1) {
    throw InputError("the training set has " + std::to_string(train.data().size()) +
                     " samples, fewer than one batch of " + std::to_string(globalBatch_));
  }
  if (group_) {
    reducer_ = std::make_unique<GradientAllReducer>(
        *group_, static_cast<int64_t>(recipe_.distributed.bucketMb * 1024 * 1024));
    if (recipe_.distributed.syncBatchNorm) useSyncBatchNorm(*net_, group_);
  }
  optimizer_ = makeOptimizer(*net_, recipe_);
  net_->setChannelsLast(recipe_.channelsLast);
  const PruningSpec& pruning = recipe_.pruning;
  if (pruning.enabled) {
    // Masks (and channel masks) exist before any checkpoint is loaded into them.
    net_->enableMasks();
    if (pruning.shrink.enabled) shrinker_ = std::make_unique<ChannelShrinker>(*net_, pruning.shrink);
    pruner_ = std::make_unique<MagnitudePruner>(*net_, pruning);
    for (const PrunableLayer& l : pruner_->layers()) l.conv->straightThrough = pruning.regrows();
  }
  method_ = makeTrainingMethod(recipe_, net_->space(), net_->shape(), stepsPerEpoch_, totalSteps());
  // Every gradient exists from the start, zero until a pass uses it. The optimizer skips a
  // parameter whose gradient is undefined, and zero_grad keeps a defined one: a method that
  // never trains the largest (uniform) would otherwise update a weight only once some
  // subnet had used it, and a resumed run (fresh gradients) would differ from an
  // uninterrupted one.
  for (at::Tensor& p : net_->parameters()) {
    if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
  }
}

Trainer::~Trainer() = default;

at::Tensor Trainer::forwardLogits(const at::Tensor& images) {
  // Only the forward is autocast; losses and their gradients start in fp32.
  AutocastScope autocast(images.device(), recipe_.precision == "bf16");
  return net_->forward(images);
}

std::vector<double> Trainer::lossesOf(const std::vector<Arch>& archs, const at::Tensor& images,
                                      const at::Tensor& labels) {
  torch::NoGradGuard noGrad;
  std::vector<at::Tensor> losses;
  for (const Arch& arch : archs) {
    net_->setActive(arch);
    losses.push_back(torch::nn::functional::cross_entropy(forwardLogits(images).to(torch::kFloat32), labels));
  }
  const at::Tensor host = torch::stack(losses).to(torch::kCPU).to(torch::kFloat64).contiguous();
  return std::vector<double>(host.data_ptr<double>(), host.data_ptr<double>() + host.numel());
}

at::Tensor Trainer::batchIndices() {
  const int64_t epoch = step_ / stepsPerEpoch_;
  if (epoch != orderEpoch_) {
    // Moved to the data's device once an epoch: a step then slices indices already there.
    order_ = BatchLoader::epochOrder(train_.data().size(), recipe_.seed, epoch)
                 .to(train_.data().images.device());
    orderEpoch_ = epoch;
  }
  // This rank's slice of the step's global batch: the ranks together read what one process
  // with the global batch would.
  const int64_t start = (step_ % stepsPerEpoch_) * globalBatch_ + rank_ * localBatch_;
  return order_.narrow(0, start, localBatch_);
}

void Trainer::setLearningRate(double lr) {
  for (auto& group : optimizer_->param_groups()) {
    if (auto* sgd = dynamic_cast<optim::SGDOptions*>(&group.options())) sgd->lr(lr);
    if (auto* adamw = dynamic_cast<optim::AdamWOptions*>(&group.options())) adamw->lr(lr);
  }
}

PruneReport Trainer::pruneStep(int64_t epoch) {
  ShrinkResult shrunk;
  if (shrinker_ && epoch >= recipe_.pruning.shrink.rampEpochs) shrunk = shrinker_->shrink(optimizer_.get());
  PruneReport report = pruner_->prune(recipe_.pruning.sparsityAt(epoch), optimizer_.get());
  report.epoch = epoch;
  report.channelsRemoved = shrunk.channels;
  report.channelsRemovedTotal = shrunk.channelsTotal;
  report.macsRemovedShare = shrunk.macsShare;
  return report;
}

void Trainer::averageOverRanks(StepReport& report, bool stopWanted) {
  group_->beginStep(step_);
  const at::Tensor vote = torch::full({1}, stopWanted ? 1.0f : 0.0f, report.values.options());
  at::Tensor control = torch::cat({report.values, vote});
  report.allReduce = reducer_->reduce(net_->parameters(), control);
  const auto n = report.values.size(0);
  report.values = control.narrow(0, 0, n) / static_cast<double>(group_->worldSize());
  report.stop = control[n].item<float>() > 0;
}

StepReport Trainer::step(bool stopWanted) {
  StepReport report;
  report.step = step_;
  if (pruner_ && step_ % stepsPerEpoch_ == 0 && recipe_.pruning.pruneAt(step_ / stepsPerEpoch_)) {
    report.prune = pruneStep(step_ / stepsPerEpoch_);
  }
  // Seeding per step makes augmentation and dropout a function of the step alone.
  const uint64_t stepSeed = mix(recipe_.seed, static_cast<uint64_t>(step_));
  torch::manual_seed(rank_ == 0 ? stepSeed : mix(stepSeed, static_cast<uint64_t>(rank_)));
  std::mt19937_64 rng(mix(recipe_.seed ^ 0xA5A5A5A5ULL, static_cast<uint64_t>(step_)));
  const Batch batch = train_.get(batchIndices(), recipe_.augment);
  const int64_t warmup = static_cast<int64_t>(recipe_.warmupEpochs * stepsPerEpoch_);
  const double baseLr = recipe_.lr * recipe_.distributed.lrFactor();

  net_->train();
  int scoredForwards = 0;
  StepContext context{step_, baseLr, warmup, totalSteps(), &rng,
                      [&](const std::vector<Arch>& archs) {
                        scoredForwards += static_cast<int>(archs.size());
                        return lossesOf(archs, batch.images, batch.labels);
                      }};
  const std::vector<PlannedPass> passes = method_->plan(context);
  for (const PlannedPass& p : passes) report.archs.push_back(p.arch);
  report.lr = method_->learningRate(baseLr, step_, warmup, totalSteps());
  setLearningRate(report.lr);

  optimizer_->zero_grad();
  std::vector<at::Tensor> losses;
  at::Tensor teacher, trainAcc;
  for (const PlannedPass& pass : passes) {
    net_->setActive(pass.arch);
    std::optional<torch::NoGradGuard> noGrad;
    if (pass.kind == PassKind::Teacher) noGrad.emplace();
    const at::Tensor logits = forwardLogits(batch.images).to(torch::kFloat32);
    const at::Tensor loss = passLoss(pass.kind, logits, batch.labels, teacher);
    if (pass.role == PassRole::Largest) {
      teacher = torch::softmax(logits.detach(), 1);
      trainAcc = (logits.detach().argmax(1) == batch.labels).to(torch::kFloat32).mean();
    }
    if (pass.kind != PassKind::Teacher) (pass.weight == 1.0 ? loss : loss * pass.weight).backward();
    losses.push_back(loss.detach());
  }
  report.values = stepValues(passes, losses, trainAcc, TrainingMethod::passCost(passes, scoredForwards));
  report.stop = stopWanted;
  if (group_) averageOverRanks(report, stopWanted);
  if (shrinker_) shrinker_->addPenaltyGradient(static_cast<double>(step_) / static_cast<double>(stepsPerEpoch_));
  if (recipe_.gradClip > 0) clipGradNorm(net_->parameters(), recipe_.gradClip);
  optimizer_->step();
  if (shrinker_) shrinker_->enforce();
  method_->afterStep(step_, passes, losses);

  // Distributed: the images of the global batch, so throughput reads the same at any world size.
  report.images = batch.images.size(0) * static_cast<int64_t>(report.archs.size()) *
                  (group_ ? group_->worldSize() : 1);
  ++step_;
  report.epoch = static_cast<double>(step_) / static_cast<double>(stepsPerEpoch_);
  return report;
}

at::Tensor Trainer::passLoss(PassKind kind, const at::Tensor& logits, const at::Tensor& labels,
                             const at::Tensor& teacher) const {
  const bool withTeacher = teacher.defined() && recipe_.distillation.kind != "none";
  if (kind == PassKind::Distill && withTeacher) return distillationLoss(logits, teacher, recipe_.distillation);
  at::Tensor loss = smoothedCrossEntropy(logits, labels, recipe_.labelSmoothing);
  if (kind == PassKind::LabelsAndDistill && withTeacher) loss = loss + distillationLoss(logits, teacher, recipe_.distillation);
  return loss;
}

at::Tensor Trainer::stepValues(const std::vector<PlannedPass>& passes, const std::vector<at::Tensor>& losses,
                               const at::Tensor& trainAcc, double passCost) const {
  const at::Tensor zero = torch::zeros_like(losses.at(0));
  at::Tensor largest = zero, smallest = zero;
  std::vector<at::Tensor> sampled;
  for (size_t i = 0; i < passes.size(); ++i) {
    if (passes[i].role == PassRole::Largest) largest = losses[i];
    if (passes[i].role == PassRole::Smallest) smallest = losses[i];
    if (passes[i].role == PassRole::Sampled) sampled.push_back(losses[i]);
  }
  const at::Tensor sampledMean = sampled.empty() ? zero : torch::stack(sampled).mean();
  const at::Tensor onDevice = torch::stack({largest, smallest, sampledMean, trainAcc.defined() ? trainAcc : zero});
  const at::Tensor host = torch::tensor(StepValues::hostPart(net_->space(), passes, passCost), torch::kFloat32);
  return torch::cat({onDevice, host.to(onDevice.device())});
}

void Trainer::broadcastFromRankZero() {
  if (!group_) return;
  torch::NoGradGuard noGrad;
  for (at::Tensor p : net_->parameters()) group_->broadcast(p, 0);
  for (at::Tensor b : net_->buffers()) group_->broadcast(b, 0);
}

void Trainer::save(const std::string& path, CheckpointMeta meta) {
  meta.step = step_;
  meta.epoch = completedEpochs();
  meta.seed = recipe_.seed;
  meta.space = net_->space().name;
  meta.methodState = method_->state();
  saveCheckpoint(path, *net_, *optimizer_, meta);
}

CheckpointMeta Trainer::load(const std::string& path) {
  const CheckpointMeta meta = loadCheckpoint(path, *net_, optimizer_.get());
  method_->restore(meta.methodState, path);
  step_ = meta.step;
  orderEpoch_ = -1;
  return meta;
}

}  // namespace sn
