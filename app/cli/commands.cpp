#include "app/cli/commands.h"

#include <chrono>
#include <memory>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/cli/arg_parser.h"
#include "app/cli/console_sink.h"
#include "core/bench/kernel_benchmark.h"
#include "core/bench/kernel_selftest.h"
#include "core/bench/train_benchmark.h"
#include "core/project/interrupted_runs.h"
#include "core/project/project.h"
#include "core/space/arch.h"
#include "core/space/cost_model.h"
#include "core/space/presets.h"
#include "core/train/device.h"
#include "core/train/train_recipe.h"
#include "core/util/input_error.h"
#include "db/store.h"

namespace sn::cli {

std::atomic<bool> gStopRequested{false};

namespace {

using nlohmann::json;

// --space takes a preset name or a path to a space JSON file.
SearchSpace spaceFromArg(const std::string& value) {
  std::ifstream in(value);
  if (!in) return spacePreset(value);
  const json j = json::parse(in, nullptr, false);
  if (j.is_discarded()) throw InputError(value + ": not valid JSON");
  return SearchSpace::fromJson(j, value);
}

NetShape shapeFromArgs(const ArgParser& a) {
  return {a.intOr("--channels", 1, 1), a.intOr("--res", 28, 1), a.intOr("--classes", 10, 1)};
}

}  // namespace

int runInit(const std::vector<std::string>& args) {
  ArgParser a(args, {"--template", "--dataset", "--data-dir", "--train-limit", "--test-limit",
                     "--epochs", "--prune-target", "--precision"},
              {});
  const std::string dir = a.required(0, "project folder (init DIR --template NAME)");
  const std::string templateName = a.valueOr("--template", "fmnist-small");
  ProjectConfig config = ProjectConfig::fromJson(projectTemplate(templateName), "template " + templateName);
  if (a.has("--dataset")) config.dataset.kind = a.requiredValue("--dataset");
  if (a.has("--data-dir")) config.dataset.dir = a.requiredValue("--data-dir");
  config.dataset.trainLimit = a.intOr("--train-limit", 0, 0);
  config.dataset.testLimit = a.intOr("--test-limit", 0, 0);
  config.recipe.epochs = a.intOr("--epochs", config.recipe.epochs, 1);
  config.recipe.precision = a.valueOr("--precision", config.recipe.precision);
  if (const auto target = a.positiveDouble("--prune-target")) {
    config.recipe.pruning.enabled = true;
    config.recipe.pruning.target = *target;
  }
  // Validated before anything is written: a bad value leaves no half-made project.
  Project project = Project::create(dir, config);
  std::printf("created project %s (template %s, space %s, dataset %s)\n", project.dir().c_str(),
              config.templateName.c_str(), config.space.name.c_str(),
              config.dataset.kind.c_str());
  return 0;
}

int runRuns(const std::vector<std::string>& args) {
  ArgParser a(args, {}, {"--json"});
  Project project = Project::open(a.required(0, "project folder (runs DIR)"));
  Store& store = project.store();
  json out = json::array();
  std::vector<RunRecord> runs = store.runs().all();
  markInterruptedRuns(runs, project.dir());
  for (const RunRecord& r : runs) {
    const auto checkpoint = store.checkpoints().latest(r.id);
    json row = {{"id", r.id},
                {"name", r.name},
                {"space", r.space},
                {"status", runStatusName(r.status)},
                {"tags", r.tags},
                {"origin", r.origin},
                {"message", r.message},
                {"step", checkpoint ? checkpoint->step : 0},
                {"metrics", store.metrics().count(r.id)},
                {"subnets", store.subnets().count(r.id)}};
    out.push_back(row);
  }
  if (a.has("--json")) {
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  if (out.empty()) {
    std::printf("no runs yet; start one with: supernet-cli train %s\n", project.dir().c_str());
    return 0;
  }
  std::printf("%4s  %-12s %-14s %-9s %8s %8s %8s  %s\n", "id", "name", "space", "status", "step",
              "metrics", "subnets", "tags");
  for (const json& r : out) {
    const std::string tags = joinTags(r["tags"].get<std::vector<std::string>>());
    std::printf("%4lld  %-12s %-14s %-9s %8lld %8lld %8lld  %s\n", r["id"].get<long long>(),
                r["name"].get<std::string>().c_str(), r["space"].get<std::string>().c_str(),
                r["status"].get<std::string>().c_str(), r["step"].get<long long>(),
                r["metrics"].get<long long>(), r["subnets"].get<long long>(), tags.c_str());
  }
  return 0;
}

int runMacs(const std::vector<std::string>& args) {
  ArgParser a(args, {"--space", "--res", "--channels", "--classes", "--arch", "--arch-json"},
              {"--json"});
  const SearchSpace space = spaceFromArg(a.requiredValue("--space"));
  Arch arch;
  if (a.has("--arch-json")) {
    const std::string text = a.requiredValue("--arch-json");
    std::ifstream file(text);
    std::stringstream content;
    if (file) content << file.rdbuf();
    const json j = json::parse(file ? content.str() : text, nullptr, false);
    if (j.is_discarded()) throw InputError("--arch-json: '" + text + "' is not valid JSON");
    arch = Arch::fromJson(j, space);
  } else {
    arch = Arch::parse(a.valueOr("--arch", "max"), space);
  }
  const Cost cost = computeCost(space, arch, shapeFromArgs(a));
  if (a.has("--json")) {
    std::printf("%s\n", json({{"arch", arch.toText()},
                              {"hash", arch.hash()},
                              {"macs", cost.macs},
                              {"params", cost.params}})
                            .dump(2)
                            .c_str());
  } else {
    std::printf("arch: %s\nmacs: %lld\nparams: %lld\n", arch.toText().c_str(),
                static_cast<long long>(cost.macs), static_cast<long long>(cost.params));
  }
  return 0;
}

int runBenchTrain(const std::vector<std::string>& args) {
  ArgParser a(args,
              {"--space", "--res", "--channels", "--classes", "--batch", "--steps", "--warmup",
               "--threads", "--device", "--precision", "--channels-last"},
              {"--json"});
  TrainBenchmarkOptions o;
  o.space = spaceFromArg(a.requiredValue("--space"));
  o.shape = shapeFromArgs(a);
  o.batch = a.intOr("--batch", 128, 2);
  o.steps = a.intOr("--steps", 20, 1);
  o.warmupSteps = a.intOr("--warmup", 3, 0);
  o.threads = a.intOr("--threads", 0, 1);
  o.device = a.valueOr("--device", "cpu");
  o.precision = a.valueOr("--precision", "fp32");
  if (!TrainRecipe::knownPrecision(o.precision)) {
    throw InputError("--precision '" + o.precision + "': use fp32 or bf16");
  }
  o.channelsLast = a.onOffOr("--channels-last", true);
  const json result = runTrainBenchmark(o);
  if (a.has("--json")) {
    std::printf("%s\n", result.dump(2).c_str());
  } else {
    std::printf("%s on %s: %.3f steps/s, %.1f images/s (batch %d, sandwich of 4, %s, %s)\n",
                o.space.name.c_str(), result["device"].get<std::string>().c_str(),
                result["steps_per_s"].get<double>(), result["images_per_s"].get<double>(),
                o.batch, o.precision.c_str(), o.channelsLast ? "channels_last" : "NCHW");
  }
  return 0;
}

int runSelftest(const std::vector<std::string>& args) {
  ArgParser a(args, {"--device", "--seed", "--threads"}, {});
  const c10::Device device = parseDevice(a.valueOr("--device", "cpu"));
  useThreads(a.intOr("--threads", 0, 1));
  const auto seed = static_cast<uint64_t>(
      a.has("--seed") ? a.intOr("--seed", 0, 0)
                      : std::chrono::steady_clock::now().time_since_epoch().count() % 1000000);
  std::printf("selftest on %s (seed %llu; fused kernels %s)\n", deviceDescription(device).c_str(),
              static_cast<unsigned long long>(seed),
              device.is_cuda() ? "CUDA" : "as host loops");
  int failed = 0;
  for (const SelftestCheck& c : sn::runSelftest(device, seed)) {
    std::printf("  %-4s %-46s %-5s max rel. error %.2e (tolerance %.0e)\n",
                c.passed() ? "ok" : "FAIL", c.name.c_str(), c.dtype.c_str(), c.maxError, c.tolerance);
    if (!c.passed()) ++failed;
  }
  std::printf(failed ? "%d check(s) failed\n" : "all checks passed\n", failed);
  return failed ? 1 : 0;
}

int runBenchKernels(const std::vector<std::string>& args) {
  ArgParser a(args, {"--device", "--runs", "--threads"}, {"--json"});
  const c10::Device device = parseDevice(a.valueOr("--device", "cpu"));
  const int threads = useThreads(a.intOr("--threads", 0, 1));
  const std::vector<KernelTiming> timings = runKernelBenchmark(device, a.intOr("--runs", 20, 1));
  json rows = json::array();
  for (const KernelTiming& t : timings) {
    rows.push_back({{"kernel", t.kernel}, {"size", t.size}, {"baseline_ms", t.baselineMs},
                    {"kernel_ms", t.kernelMs}, {"speedup", t.speedup()}});
  }
  if (a.has("--json")) {
    std::printf("%s\n", json{{"device", deviceDescription(device)}, {"threads", threads},
                              {"timings", rows}}.dump(2).c_str());
    return 0;
  }
  std::printf("on %s (%d threads); median ms per call, baseline = ATen path\n",
              deviceDescription(device).c_str(), threads);
  for (const KernelTiming& t : timings) {
    std::printf("  %-50s %-40s %9.4f %9.4f  x%.2f\n", t.kernel.c_str(), t.size.c_str(),
                t.baselineMs, t.kernelMs, t.speedup());
  }
  return 0;
}

JobControl cliJob() {
  // The last stage and its last tenth printed: a stage's progress is printed every 10 %.
  struct Printed {
    std::string stage;
    int tenth = -1;
  };
  auto printed = std::make_shared<Printed>();
  return JobControl(&gStopRequested, [printed](const JobProgress& p) {
    if (p.total <= 0) {
      std::fprintf(stderr, "%s\n", p.stage.c_str());
      *printed = {p.stage, -1};
      return;
    }
    const int tenth = static_cast<int>(10 * p.done / p.total);
    if (p.stage == printed->stage && tenth == printed->tenth && p.done != p.total) return;
    *printed = {p.stage, tenth};
    std::fprintf(stderr, "%s %lld/%lld\n", p.stage.c_str(), static_cast<long long>(p.done),
                 static_cast<long long>(p.total));
  });
}

std::string usage() {
  return R"(supernet-cli — train and explore weight-sharing supernets headless

usage: supernet-cli VERB [ARGS]

  init DIR [--template fmnist-small|ofa-mbv3] [--dataset fashion-mnist|idx|cifar10|images|synthetic]
           [--data-dir D] [--train-limit N] [--test-limit N] [--epochs N] [--prune-target S]
           [--precision fp32|bf16]
      Create a project folder from a template. --prune-target S trains SuperTickets-style:
      the recipe gets a pruning section (magnitude pruning from epoch 1, +10% per epoch up
      to sparsity S; edit recipe.pruning for the schedule, scope, regrowth and shrinking).
      --precision bf16 runs the forward passes under bf16 autocast (fp32 master weights).
  train DIR [--epochs N] [--device cpu|cuda[:N]] [--threads T] [--name NAME] [--run ID]
            [--nproc N] [--dist-timeout S] [--master-addr A] [--master-port P]
            [--check-replicas]
      Train a new run (sandwich rule, in-place distillation). Ctrl-C stops after the
      current step and leaves a resumable checkpoint. --run ID trains a run made by
      new-run with its own recipe.
      Data-parallel (c10d: Gloo on the CPU, NCCL on CUDA): started by torchrun (RANK,
      WORLD_SIZE, MASTER_ADDR, ...) or srun (SLURM_PROCID, SLURM_NTASKS with MASTER_ADDR or
      --master-addr), each process is one rank; --nproc N starts N local ranks itself. The
      global batch is recipe batch_size x ranks; rank 0 alone writes the project. A rank
      that dies or hangs stops the others within --dist-timeout seconds (default 120).
      --check-replicas compares every rank's parameters after each step.
  resume DIR [--run ID] [--device D] [--threads T] [--nproc N] [distributed flags as train]
      Continue the newest (or given) stopped, failed or interrupted run exactly from its
      latest checkpoint (one killed before its first starts over from step 0), on any
      number of ranks that splits the run's global batch evenly.
  evaluate DIR (--arch TEXT | --sample N | --spread N) [--run ID] [--device D] [--threads T]
           [--no-latency] [--latency-batch B] [--latency-runs N] [--seed S] [--recal-seed S]
           [--json]
      Evaluate subnets of the run's latest checkpoint (BN recalibration, test top-1,
      MACs, params, measured latency) and store them. --spread: N across the MAC range.
      --recal-seed: other BN-recalibration batches than the recipe's seed picks.
      ('eval' is the same verb.)
  latency-table DIR [--device D] [--threads T] [--batch B] [--runs N] [--validate N]
                [--method in-network|isolated]
      Time every block configuration of the space on this device (in-network: inside
      whole subnets; isolated: each block alone), check the table against N (default 50)
      random subnets measured twice, and store it. Prints the share within 10% and the
      noise floor: how much the two measurements of the same subnets differ.
  search DIR [--max-macs M] [--max-latency L] [--max-params P] [--method evolution|nsga2|random]
         [--population N] [--generations N] [--keep K] [--verify K] [--holdout F] [--json]
      Fit the accuracy predictor on the run's evaluated subnets, search within the limits
      (M: millions of MACs, L: milliseconds, P: millions of params), store the candidates,
      and evaluate the best K (default 3) for real. The predictor (ridge, ridge with cost
      features, MLP or boosted trees, chosen by cross-validated Kendall tau) is fitted on
      the subnets of the run's newest epoch; every model's tau (95% CI) and RMSE are
      reported on a held-out share F (default 0.2).
  predictor DIR [--run R] [--holdout F] [--ceiling N] [--recal-seed S] [--no-curve]
            [--device D] [--threads T] [--json]
      How well the run's subnets can be ranked: every predictor model on a held-out share
      F (default 0.3), the chosen one's learning curve, and with --ceiling N the tau
      between N subnets' stored accuracy and a second evaluation with other
      BN-recalibration batches (seed S, default 2): what no predictor can beat.
  pareto DIR [--run R] [--by macs|latency] [--all] [--json]
      The run's Pareto front of measured subnets (--all: predicted ones too).
  export DIR (--arch TEXT|max|min | --subnet ID) [--run R] [--out FOLDER | --name NAME]
         [--force] [--batch N] [--formats onnx,torchscript] [--finetune EPOCHS] [--lr LR]
         [--verify-images N] [--no-latency] [--bn recalibrate|stored] [--device D]
         [--threads T] [--json]
      Export a subnet of the run's latest checkpoint as a standalone model: model.onnx,
      model.pt (TorchScript) and manifest.json in FOLDER (default DIR/exports/NAME). Each
      file is loaded back (OpenCV DNN, LibTorch) and checked against the supernet's logits
      and test accuracy. --batch N fixes the batch (default dynamic); --force replaces an
      existing folder. --bn stored keeps the supernet's BN statistics (sliced, as Once-for-All's
      get_active_subnet does) instead of recalibrating them on training data (the default).
      Exit 1 when a check fails (the files are kept for inspection).
  runs DIR [--json]
      List the project's runs. A run whose trainer died (no process holds the project's
      lock) shows as interrupted: resume continues it.
  new-run DIR (--from RUN | --init-from PROJECT:RUN [--head reset|keep]) [--name NAME]
          [--tags a,b] [--set KEY=VALUE]... [--json]
      A new run with RUN's recipe and the changes given (KEY is a dotted path into the
      config, e.g. recipe.epochs=3 or recipe.distill=false; recipe.pruning='{"target":0.8}'
      adds pruning to a dense recipe); train it with --run. --init-from starts it from the
      weights of run RUN of project PROJECT (transfer; same space, the recipe from --from or
      DIR's config, learning rate x0.3 and no warm-up unless --set). --head reset (default)
      gives it a new classifier, keep the source's (same classes); a 1 <-> 3 channel change
      adapts the stem. BN statistics are recalibrated on DIR's data at every evaluation.
  tag-run DIR RUN [--name NAME] [--tags a,b]
      Rename a run and/or replace its tags.
  delete-run DIR RUN --yes
      Delete a run: its metrics, subnets, checkpoints' rows and checkpoint files.
  import-images DIR ROOT [--resolution R] [--grey] [--val-share F] [--seed S]
                [--max-bad SHARE] [--threads T] [--json]
      Decode an image folder (ROOT/<class>/<image>, or ROOT/train/ and ROOT/val/; JPEG,
      PNG, BMP, WebP) once into DIR/data/images and train on it: the shorter side resized
      to R (default 32), centre-cropped, RGB (--grey: 1 channel). Without val/, a share F
      of each class (default 0.1, drawn by seed S) is held out. Bad files are listed in
      DIR/data/import_report.json; the import fails when more than SHARE of them are bad
      (default 0.1%). Ctrl-C cancels and leaves the previous data as it was.
  import-ofa DIR FILE [--name NAME] [--threads T] [--json]
      Open a Once-for-All OFAMobileNetV3 checkpoint (torch.save, zip or legacy; w1.0 or
      w1.2; {"state_dict": ...}, {"model": ...} or the state_dict itself) as a finished run
      of DIR with a checkpoint of ours: evaluate, latency-table, search, export, compare and
      new-run --from (pruning) work on it. Its input channels and classes must be DIR's
      data's. Nothing in the file is run: only tensors, numbers, strings, lists and dicts
      are read.
  export-ofa DIR --run R OUT.pth [--threads T]
      Write an ofa-mbv3 run's newest checkpoint as {"state_dict": ...} for OFA's
      OFAMobileNetV3(...).load_state_dict(torch.load(OUT)["state_dict"]) (pruning masks
      multiplied into the weights).
  import-runs DIR OTHER [--runs 1,2]
      Copy runs (all by default) of project OTHER into DIR with their metrics, subnets and
      checkpoint files (checked against their SHA-256).
  sweep-methods DIR --methods A,B[,...] [--from RUN] [--budget passes|time] [--minutes M]
          [--probe N] [--device D] [--threads N] [--report-only] [--json | --csv [--table methods|history]]
      A fair comparison of training methods (sandwich, uniform, progressive-shrinking,
      attentive, delayed-shrinking, complexity-shifted): one run per method from run RUN's
      recipe (default: the project's), the same data, seed and probe set (at least N subnets,
      default 12), at equal budgets: the reference's epochs x passes per step in
      sandwich-equivalent passes, or M minutes of steps each (from a timed pass). Trains
      them one after the other; run it again to resume the unfinished. Then per method: the
      hypervolume and its history per epoch, the best subnet under 3 MAC limits, training
      time, images/s and the predictor's Kendall tau. The runs carry the tag sweep-run-RUN and
      open side by side in the Compare tab.
  compare DIR RUN RUN... [--by macs|latency] [--ref-cost C] [--ref-accuracy A]
          [--max-macs M] [--max-params P] [--max-latency L] [--json | --csv]
          [--table hypervolume|best|diff|history|front|curves] [--key METRIC]
      Compare 2-6 runs: each Pareto front's hypervolume against the reference point (C in
      M MACs or ms, A in %; default 1.1x the worst cost, 1 point below the worst accuracy)
      and its history per epoch, the best subnet within the limits, and the recipe keys
      that differ. --csv prints one table; curves gives METRIC (default acc/test_largest)
      by step, epoch and seconds.
  ticket-report DIR [--dense RUN] [--runs 1,2] [--finetune EPOCHS] [--no-compute]
                [--device D] [--threads T] [--csv | --json]
      SuperTickets against dense-then-prune: for the largest and smallest subnet of each
      pruning run, the ticket as trained (and retrained), and the dense run's same subnet
      one-shot magnitude-pruned to the ticket's sparsity, with and without a fine-tune of
      EPOCHS (default 1; 0: none). Missing baselines are computed and stored first
      (--no-compute: report only what is stored).
  retrain-ticket DIR --arch max|min|TEXT [--run R] [--epochs N] [--lr LR] [--device D]
                 [--threads T] [--json]
      Retrain a pruning run's subnet on its own for N epochs (default 1), pruned weights
      kept at zero, and store its accuracy (source "retrained").
  macs --space S --res R --channels C --classes K (--arch TEXT | --arch-json J) [--json]
      Exact MACs and parameters of a subnet, computed without running it.
  bench-train --space S --res R --channels C --classes K --batch B --steps N
              [--threads T] [--device D] [--precision fp32|bf16]
              [--channels-last on|off] [--json]
      Sandwich-step throughput on random data.
  bench-kernels [--device D] [--runs N] [--threads T] [--json]
      Each kernel in kernels/ against the ATen path it replaces (the dense 1x1
      conv for the sparse kernel), at stated sizes and sparsities.
  selftest [--device cpu|cuda[:N]] [--seed N]
      Every kernel in kernels/ and a training step on the device against the CPU
      reference on fresh random inputs; exit 1 on a mismatch. On cpu it checks the
      fused kernels' per-element code (as host loops) against the ATen reference.

An arch is 'max', 'min', text such as 'd=2,3,4 k=3,5|7,3,3|5,5,3,7 e=3,4|6,6,3|4,4,4,4',
or JSON (ours, or Once-for-All's {"ks":[...],"e":[...],"d":[...]}). S is a preset name
(fmnist-small, ofa-mbv3) or a space JSON file.
Exit codes: 0 ok, 1 failure, 2 bad input.
)";
}

}  // namespace sn::cli
