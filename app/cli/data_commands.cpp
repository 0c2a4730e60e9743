// The data verb: import-images.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "app/cli/console_sink.h"
#include "core/project/image_import.h"
#include "core/util/input_error.h"

namespace sn::cli {

namespace {

// "--max-bad 0.1%" or "--max-bad 0.001": the share of files that may fail to decode.
double shareFrom(const std::string& text) {
  try {
    size_t used = 0;
    const bool percent = !text.empty() && text.back() == '%';
    const double v = std::stod(percent ? text.substr(0, text.size() - 1) : text, &used);
    if (used != text.size() - (percent ? 1 : 0) || v < 0 || (percent ? v / 100 : v) > 1) {
      throw std::invalid_argument(text);
    }
    return percent ? v / 100 : v;
  } catch (const std::exception&) {
    throw InputError("--max-bad " + text + ": give a share such as 0.1% or 0.001");
  }
}

void printProgress(const ImageImportProgress& p) {
  std::fprintf(stderr, "decoded %lld/%lld  %lld bad  %.0f images/s  ETA %s\n",
               static_cast<long long>(p.done), static_cast<long long>(p.total),
               static_cast<long long>(p.bad), p.imagesPerSecond, formatDuration(p.etaSeconds).c_str());
}

}  // namespace

int runImportImages(const std::vector<std::string>& args) {
  ArgParser a(args, {"--resolution", "--val-share", "--seed", "--max-bad", "--threads"},
              {"--grey", "--json"});
  const std::string dir = a.required(0, "project folder (import-images DIR ROOT --resolution R)");
  ImageImportRequest request;
  request.root = a.required(1, "image folder (import-images DIR ROOT --resolution R)");
  request.cache.resolution = a.intOr("--resolution", 32, 1);
  request.cache.channels = a.has("--grey") ? 1 : 3;
  request.cache.threads = a.intOr("--threads", 0, 0);
  request.cache.maxBadShare = shareFrom(a.valueOr("--max-bad", "0.1%"));
  request.split.valShare = a.positiveDouble("--val-share", -1).value_or(0.1);
  request.split.seed = static_cast<uint64_t>(a.intOr("--seed", 0, 0));
  Project project = Project::open(dir);
  const ImageImportReport report = importImages(project, request, printProgress, &gStopRequested);
  const ImageCacheMeta meta = ImageCacheMeta::read(imageCacheDir(project));
  if (a.has("--json")) {
    nlohmann::json bad = nlohmann::json::array();
    for (const auto& b : report.bad) bad.push_back({{"path", b.path}, {"problem", b.problem}});
    std::printf("%s\n", nlohmann::json({{"cache", imageCacheDir(project)},
                                        {"classes", meta.classes},
                                        {"train_images", report.trainImages},
                                        {"val_images", report.valImages},
                                        {"bad", bad},
                                        {"seconds", report.seconds},
                                        {"mean", meta.mean},
                                        {"std", meta.stddev}})
                            .dump(2)
                            .c_str());
    return 0;
  }
  std::printf("%s\n", report.toText().c_str());
  std::printf("%zu classes, %dx%d %s, %.0f images/s; cache %s, report %s\n", meta.classes.size(),
              meta.resolution, meta.resolution, meta.channels == 1 ? "grey" : "RGB",
              report.seconds > 0 ? report.images / report.seconds : 0.0,
              imageCacheDir(project).c_str(), imageReportPath(project).c_str());
  return 0;
}

}  // namespace sn::cli
