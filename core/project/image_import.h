#pragma once
#include <atomic>
#include <functional>
#include <string>

#include "core/data/image_cache.h"
#include "core/project/project.h"

namespace sn {

struct ImageImportRequest {
  std::string root;  // ROOT/<class>/<image>, or ROOT/train/ and ROOT/val/
  ImageFolderOptions split;
  ImageCacheOptions cache;
};

// `supernet-cli import-images` and the wizard's dataset page: decodes the folder into the
// project's data/images cache and points the project's dataset at it. The report (bad files
// by path) is stored as data/import_report.json whatever happens. InputError, with nothing
// changed, for a folder the space cannot use (see ImageFolder::scan), a resolution below the
// space's downsampling, a project whose runs were trained on another input shape, or more bad
// files than cache.maxBadShare (naming the threshold).
ImageImportReport importImages(Project& project, const ImageImportRequest& request,
                               const std::function<void(const ImageImportProgress&)>& progress,
                               const std::atomic<bool>* stop);

// Where a project keeps its image cache and the report.
std::string imageCacheDir(const Project& project);
std::string imageReportPath(const Project& project);

// How many times the space's stem, first block and stages shrink the input.
int spaceDownsampling(const SearchSpace& space);

}  // namespace sn
