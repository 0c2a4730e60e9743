#include "core/project/ticket_evaluation.h"

#include <torch/torch.h>

#include <chrono>

#include "core/evaluate/top_one_accuracy.h"
#include "core/export/subnet_finetune.h"
#include "core/project/project.h"
#include "core/project/run_context.h"
#include "core/project/workbench.h"
#include "core/prune/subnet_sparsity.h"
#include "core/supernet/static_subnet.h"
#include "core/util/input_error.h"
#include "db/store.h"

namespace sn {
namespace {

using Clock = std::chrono::steady_clock;

SubnetRecord rowFor(const RunContext& ctx, const Arch& arch, const SubnetSparsity& sparsity) {
  SubnetRecord s;
  s.runId = ctx.run->id;
  s.checkpointId = ctx.checkpoint->id;
  s.epoch = ctx.checkpoint->epoch;
  s.arch = arch.toText();
  s.archHash = arch.hash();
  s.macs = sparsity.denseMacs;
  s.sparseMacs = sparsity.sparseMacs;
  s.sparsity = sparsity.sparsity();
  return s;
}

}  // namespace

std::vector<SubnetRecord> evaluateTicket(Project& project, const TicketRequest& r) {
  const RunContext ctx = resolveRun(project, r.runId);
  if (!ctx.run || !ctx.checkpoint) {
    throw InputError(project.dir() + ": " +
                     (ctx.run ? "run " + std::to_string(ctx.run->id) + " has no checkpoint yet"
                              : std::string("the project has no run yet")) +
                     "; a ticket needs trained weights");
  }
  if (r.pruneTo >= 1.0) throw InputError("sparsity " + std::to_string(r.pruneTo) + " must be below 1");
  const Arch arch = Arch::parse(r.arch, ctx.config.space);
  const auto progress = [&](const std::string& stage, int64_t done, int64_t total) { r.job.report(stage, done, total); };
  const Clock::time_point started = Clock::now();
  auto seconds = [&] { return std::chrono::duration<double>(Clock::now() - started).count(); };

  progress("loading checkpoint", 0, 0);
  Workbench w = Workbench::prepare(ctx.config, r.device, r.threads, 1);
  w.trainer->load(verifiedCheckpointPath(project, *ctx.checkpoint));
  SupernetImpl& net = *w.trainer->net();
  if (r.pruneTo >= 0) oneShotPrune(net, arch, r.pruneTo);
  const double before = w.evaluator->accuracy(net, arch, &r.job);
  const SubnetRecord base = rowFor(ctx, arch, subnetSparsity(net, arch));

  std::vector<SubnetRecord> rows;
  auto store = [&](SubnetRecord s, double accuracy, SubnetSource source) {
    s.accuracy = accuracy;
    s.source = source;
    s.workSeconds = seconds();
    s.id = project.store().subnets().add(s);
    rows.push_back(s);
  };
  if (r.pruneTo >= 0) store(base, before, SubnetSource::OneShot);
  if (r.fineTuneEpochs <= 0) return rows;

  // The extracted subnet carries the recalibrated BN statistics and the zeros.
  StaticSubnet subnet = extractSubnet(net, arch);
  FineTuneOptions o;
  o.epochs = r.fineTuneEpochs;
  o.lr = r.fineTuneLr;
  o.batchSize = ctx.config.recipe.batchSize;
  o.augment = ctx.config.recipe.augment;
  o.seed = ctx.config.recipe.seed;
  o.job = r.job.asStage("fine-tuning");
  fineTuneSubnet(*subnet, *w.train, o);
  progress("evaluating the fine-tuned subnet", 0, 0);
  torch::NoGradGuard noGrad;
  const double after = topOneAccuracy(
      [&](const at::Tensor& images) { return subnet->forward(images).to(at::kCPU); }, *w.test,
      ctx.config.recipe.evalBatchSize, r.job.cancelFlag());
  store(base, after, r.pruneTo >= 0 ? SubnetSource::OneShotFinetuned : SubnetSource::Retrained);
  return rows;
}

}  // namespace sn
