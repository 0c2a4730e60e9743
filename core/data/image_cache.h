#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/data/image_folder.h"

namespace sn {

// An image folder decoded once into a project: per split, `<split>.images` (uint8 NHWC,
// memory-mapped at training time) and `<split>.labels` (int32), with meta.json (classes,
// shape, per-channel mean/std of the training split, SHA-256 of each file, how it was made).
struct ImageCacheOptions {
  int channels = 3;
  int resolution = 32;
  double maxBadShare = 0.001;  // the import fails when more of the files than this are bad
  int threads = 0;             // 0: all cores
};

struct ImageImportProgress {
  int64_t done = 0;
  int64_t total = 0;
  int64_t bad = 0;
  double imagesPerSecond = 0;
  double etaSeconds = 0;
};

struct BadImage {
  std::string path;
  std::string problem;
};

struct ImageImportReport {
  int64_t images = 0;  // files tried
  int64_t trainImages = 0;
  int64_t valImages = 0;
  std::vector<BadImage> bad;
  double seconds = 0;
  bool failed = false;  // more bad files than the threshold allows: no cache written
  std::string toText() const;
};

// Decodes `folder` into the cache folder `dir` on `options.threads` threads. The cache is
// built in `dir`.part and renamed into place only when complete, so a cancel (stop set:
// throws Cancelled) or a kill leaves the old cache, or none, and never half of one; a
// leftover .part from a killed import is removed first. The same folder and options give
// the same bytes. The report is returned also when the threshold is exceeded (failed).
ImageImportReport writeImageCache(const ImageFolder& folder, const std::string& dir,
                                  const ImageCacheOptions& options,
                                  const std::function<void(const ImageImportProgress&)>& progress,
                                  const std::atomic<bool>* stop);

// meta.json of a cache; InputError naming the file when it is missing or malformed.
struct ImageCacheMeta {
  int channels = 3;
  int resolution = 32;
  std::vector<std::string> classes;
  std::vector<double> mean, stddev;
  int64_t trainImages = 0, valImages = 0;
  static ImageCacheMeta read(const std::string& dir);
};

}  // namespace sn
