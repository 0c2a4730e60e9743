// The Once-for-All verbs: import-ofa (an OFA checkpoint becomes a run) and export-ofa.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "core/project/ofa_import.h"
#include "core/project/project.h"

namespace sn::cli {

int runImportOfa(const std::vector<std::string>& args) {
  ArgParser a(args, {"--name", "--threads"}, {"--json"});
  const std::string dir = a.required(0, "project folder (import-ofa DIR FILE)");
  const std::string file = a.required(1, "checkpoint file (import-ofa DIR FILE)");
  Project project = Project::open(dir);
  const OfaImportResult r = importOfaCheckpoint(project, file, a.valueOr("--name", ""),
                                                a.intOr("--threads", 0, 0), cliJob());
  if (a.has("--json")) {
    std::printf("%s\n", nlohmann::json({{"run", r.runId},
                                        {"sha256", r.sha256},
                                        {"format", r.format},
                                        {"space", r.space},
                                        {"kernel_transform", r.kernelTransform},
                                        {"classes", r.classes},
                                        {"tensors", r.tensors}})
                            .dump(2)
                            .c_str());
    return 0;
  }
  std::printf("imported %s as run %lld: %s (%s kernels), %d classes, %lld tensors, %s format, sha256 %s\n",
              file.c_str(), static_cast<long long>(r.runId), r.space.c_str(), r.kernelTransform.c_str(),
              r.classes, static_cast<long long>(r.tensors), r.format.c_str(), r.sha256.c_str());
  return 0;
}

int runExportOfa(const std::vector<std::string>& args) {
  ArgParser a(args, {"--run", "--threads"}, {});
  const std::string dir = a.required(0, "project folder (export-ofa DIR --run R OUT.pth)");
  const std::string out = a.required(1, "output file (export-ofa DIR --run R OUT.pth)");
  Project project = Project::open(dir);
  const int64_t run = a.intOr("--run", 0, 1);
  exportOfaCheckpoint(project, run, out, a.intOr("--threads", 0, 0));
  std::printf("wrote %s: OFAMobileNetV3 state_dict of run %lld\n", out.c_str(), static_cast<long long>(run));
  return 0;
}

}  // namespace sn::cli
