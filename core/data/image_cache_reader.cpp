#include "core/data/image_cache_reader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <torch/torch.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/data/image_cache.h"
#include "core/util/input_error.h"

namespace sn {
namespace fs = std::filesystem;

namespace {

// The whole file mapped read-only in effect (private, so a stray write never reaches disk);
// unmapped when the last tensor viewing it goes.
at::Tensor mapFile(const std::string& path, int64_t bytes) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) throw InputError(path + ": missing (" + ec.message() + "); import the images again");
  if (static_cast<int64_t>(size) != bytes) {
    throw InputError(path + ": " + std::to_string(size) + " bytes, meta.json expects " +
                     std::to_string(bytes) + "; the cache is damaged, import the images again");
  }
  if (bytes == 0) return torch::empty({0}, torch::kUInt8);
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) throw InputError(path + ": cannot open (" + std::strerror(errno) + ")");
  void* p = ::mmap(nullptr, static_cast<size_t>(bytes), PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (p == MAP_FAILED) throw InputError(path + ": cannot map (" + std::strerror(errno) + ")");
  return torch::from_blob(
      p, {bytes}, [bytes](void* q) { ::munmap(q, static_cast<size_t>(bytes)); }, torch::kUInt8);
}

}  // namespace

Dataset readImageCache(const std::string& dir, const std::string& split) {
  const ImageCacheMeta meta = ImageCacheMeta::read(dir);
  const int64_t n = split == "train" ? meta.trainImages : meta.valImages;
  const int64_t r = meta.resolution, c = meta.channels;
  Dataset ds;
  ds.name = "images-" + split;
  ds.images = mapFile(dir + "/" + split + ".images", n * r * r * c)
                  .view({n, r, r, c})
                  .permute({0, 3, 1, 2});
  const at::Tensor labels = mapFile(dir + "/" + split + ".labels", n * 4);
  ds.labels = labels.view(torch::kInt32).to(torch::kInt64);
  ds.classes = static_cast<int>(meta.classes.size());
  ds.classNames = meta.classes;
  if (n && ds.labels.max().item<int64_t>() >= ds.classes) {
    throw InputError(dir + "/" + split + ".labels: a label beyond the " +
                     std::to_string(ds.classes) + " classes; import the images again");
  }
  return ds;
}

}  // namespace sn
