// The export verb: a subnet as model.onnx + model.pt + manifest.json, verified.
#include <cstdio>
#include <sstream>

#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "core/project/project.h"
#include "core/project/subnet_export.h"
#include "core/util/input_error.h"

namespace sn::cli {
namespace {

void parseFormats(const std::string& text, SubnetExportRequest& r) {
  r.onnx = r.torchScript = false;
  std::stringstream in(text);
  std::string f;
  while (std::getline(in, f, ',')) {
    if (f == "onnx") {
      r.onnx = true;
    } else if (f == "torchscript" || f == "pt") {
      r.torchScript = true;
    } else {
      throw InputError("--formats: unknown format '" + f + "' (onnx, torchscript)");
    }
  }
}

void printSummary(const SubnetExportResult& r) {
  std::printf("exported %s\n  to %s\n", r.arch.c_str(), r.folder.c_str());
  std::printf("  reference accuracy %.2f%%", 100 * r.referenceAccuracy);
  if (r.storedAccuracy) std::printf(" (stored: %.2f%%)", 100 * *r.storedAccuracy);
  std::printf("\n");
  for (const ExportCheck& c : r.checks) {
    std::printf("  %-10s %-22s max |logit diff| %.2e, accuracy %.2f%%  %s\n", c.file.c_str(),
                c.runtime.c_str(), c.maxAbsDiff, 100 * c.accuracy, c.passed ? "ok" : "FAILED");
  }
  std::printf("verification %s\n", r.passed ? "passed" : "FAILED");
}

}  // namespace

int runExport(const std::vector<std::string>& args) {
  ArgParser a(args,
              {"--arch", "--subnet", "--run", "--out", "--name", "--batch", "--formats", "--finetune", "--lr",
               "--verify-images", "--device", "--threads", "--latency-runs", "--bn"},
              {"--force", "--json", "--no-latency"});
  SubnetExportRequest r;
  if (a.has("--arch") == a.has("--subnet")) throw InputError("export: give exactly one of --arch TEXT|max|min or --subnet ID");
  if (a.has("--out") && a.has("--name")) throw InputError("export: give --out FOLDER or --name NAME, not both");
  r.arch = a.valueOr("--arch", "");
  r.subnetId = a.intOr("--subnet", 0, 1);
  r.runId = a.intOr("--run", 0, 1);
  r.folder = a.valueOr("--out", "");
  r.name = a.valueOr("--name", "");
  r.replace = a.has("--force");
  r.batch = a.intOr("--batch", 0, 1);
  if (a.has("--formats")) parseFormats(a.requiredValue("--formats"), r);
  r.fineTuneEpochs = a.intOr("--finetune", 0, 0);
  if (const auto lr = a.positiveDouble("--lr")) r.fineTuneLr = *lr;
  r.verifyImages = a.intOr("--verify-images", 64, 1);
  r.device = a.valueOr("--device", "cpu");
  r.threads = a.intOr("--threads", 0, 1);
  r.measureLatency = !a.has("--no-latency");
  const std::string bn = a.valueOr("--bn", "recalibrate");
  if (bn != "recalibrate" && bn != "stored") throw InputError("--bn " + bn + ": use recalibrate or stored");
  r.recalibrateBn = bn == "recalibrate";
  r.latencyRuns = a.intOr("--latency-runs", 50, 1);
  r.job = cliJob();
  Project project = Project::open(a.required(0, "project folder (export DIR --arch TEXT)"));
  const SubnetExportResult result = exportSubnet(project, r);
  if (a.has("--json")) {
    std::printf("%s\n", result.manifest.dump(2).c_str());
  } else {
    printSummary(result);
  }
  return result.passed ? 0 : 1;
}

}  // namespace sn::cli
