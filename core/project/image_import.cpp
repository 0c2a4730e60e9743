#include "core/project/image_import.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/util/atomic_file.h"
#include "core/util/input_error.h"
#include "db/store.h"

namespace sn {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

void checkResolution(const SearchSpace& space, int resolution) {
  const int down = spaceDownsampling(space);
  if (resolution < down || resolution > 1024) {
    throw InputError("--resolution " + std::to_string(resolution) + ": space '" + space.name +
                     "' shrinks its input " + std::to_string(down) +
                     "x, so it takes resolutions from " + std::to_string(down) + " to 1024");
  }
}

// A project's runs were trained on one input shape; a dataset of another would leave their
// checkpoints unloadable. Transfer (new-run --init-from) is the way to reuse them.
void checkRunsKeepTheirShape(Project& project, const NetShape& next) {
  const auto runs = project.store().runs().all();
  if (runs.empty()) return;
  NetShape now;
  try {
    now = datasetShape(project.config().dataset);
  } catch (const InputError&) {
    return;  // the old data is gone: nothing could be evaluated anyway
  }
  if (now == next) return;
  throw InputError(project.dir() + ": has " + std::to_string(runs.size()) +
                   " runs trained on " + std::to_string(now.channels) + "-channel " +
                   std::to_string(now.resolution) + "x" + std::to_string(now.resolution) +
                   " inputs with " + std::to_string(now.classes) +
                   " classes; import these images into a new project (and start it from a run "
                   "here with new-run --init-from)");
}

void storeReport(const Project& project, const ImageImportRequest& request,
                 const ImageImportReport& report) {
  json bad = json::array();
  for (const auto& b : report.bad) bad.push_back({{"path", b.path}, {"problem", b.problem}});
  const json j = {{"root", request.root},       {"images", report.images},
                  {"train_images", report.trainImages}, {"val_images", report.valImages},
                  {"bad", bad},                  {"max_bad_share", request.cache.maxBadShare},
                  {"failed", report.failed},     {"seconds", report.seconds}};
  writeFileAtomically(imageReportPath(project), [&](const std::string& temp) {
    std::ofstream(temp) << j.dump(2) << "\n";
  });
}

}  // namespace

std::string imageCacheDir(const Project& project) {
  return (fs::path(project.dir()) / "data" / "images").string();
}

std::string imageReportPath(const Project& project) {
  return (fs::path(project.dir()) / "data" / "import_report.json").string();
}

int spaceDownsampling(const SearchSpace& space) {
  int down = space.stem.stride;  // the first block keeps the size
  for (const auto& s : space.stages) down *= s.stride;
  return down;
}

ImageImportReport importImages(Project& project, const ImageImportRequest& request,
                               const std::function<void(const ImageImportProgress&)>& progress,
                               const std::atomic<bool>* stop) {
  const ProjectConfig before = project.config();
  checkResolution(before.space, request.cache.resolution);
  const ImageFolder folder = ImageFolder::scan(request.root, request.split);
  if (folder.val.empty()) {
    throw InputError(request.root + ": no validation images; give a val/ folder or a --val-share above 0");
  }
  checkRunsKeepTheirShape(project, {request.cache.channels, request.cache.resolution,
                                    static_cast<int>(folder.classes.size())});
  fs::create_directories(fs::path(project.dir()) / "data");
  const ImageImportReport report =
      writeImageCache(folder, imageCacheDir(project), request.cache, progress, stop);
  storeReport(project, request, report);
  if (report.failed) {
    throw InputError(request.root + ": " + std::to_string(report.bad.size()) + " of " +
                     std::to_string(report.images) + " files are bad, above --max-bad " +
                     std::to_string(100.0 * request.cache.maxBadShare) + "% (no cache written; " +
                     "the list is in " + imageReportPath(project) + ")\n" + report.toText());
  }
  ProjectConfig config = before;
  config.dataset = DatasetSpec{};
  config.dataset.kind = "images";
  config.dataset.dir = imageCacheDir(project);
  config.dataset.trainLimit = before.dataset.kind == "images" ? before.dataset.trainLimit : 0;
  config.dataset.testLimit = before.dataset.kind == "images" ? before.dataset.testLimit : 0;
  project.saveConfig(config);
  return report;
}

}  // namespace sn
