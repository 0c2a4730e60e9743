#include "core/data/idx_reader.h"

#include <torch/torch.h>
#include <zlib.h>

#include <filesystem>
#include <memory>

#include "core/util/input_error.h"

namespace sn {
namespace {

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};
using GzFile = std::unique_ptr<gzFile_s, GzCloser>;

// gzread reads plain files unchanged, so one path serves raw and .gz IDX files.
void readExactly(gzFile_s* f, void* dst, size_t n, const std::string& path, const char* what) {
  size_t done = 0;
  auto* out = static_cast<char*>(dst);
  while (done < n) {
    const unsigned chunk = static_cast<unsigned>(std::min<size_t>(n - done, 1u << 30));
    const int got = gzread(f, out + done, chunk);
    if (got < 0) {
      int err = 0;
      throw InputError(path + ": cannot read " + what + " (" + gzerror(f, &err) + ")");
    }
    if (got == 0) {
      throw InputError(path + ": file is truncated: expected " + std::to_string(n) + " bytes of " +
                       what + ", found " + std::to_string(done));
    }
    done += static_cast<size_t>(got);
  }
}

uint32_t bigEndian(const unsigned char* b) {
  return uint32_t(b[0]) << 24 | uint32_t(b[1]) << 16 | uint32_t(b[2]) << 8 | uint32_t(b[3]);
}

// The most data bytes the file can hold: what follows the header in a raw file, and
// deflate's largest ratio (1032:1) times the size of a compressed one.
int64_t dataBytesLimit(const std::string& path, gzFile_s* f) {
  const auto bytes = static_cast<int64_t>(std::filesystem::file_size(path));
  return gzdirect(f) ? bytes : bytes * 1032;
}

}  // namespace

at::Tensor readIdx(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) throw InputError(path + ": file not found");
  GzFile f(gzopen(path.c_str(), "rb"));
  if (!f) throw InputError(path + ": cannot open file");
  unsigned char header[4];
  readExactly(f.get(), header, 4, path, "the IDX header");
  if (header[0] != 0 || header[1] != 0 || header[2] != 0x08 || header[3] < 1 || header[3] > 4) {
    char got[16];
    std::snprintf(got, sizeof got, "%02x%02x%02x%02x", header[0], header[1], header[2], header[3]);
    throw InputError(path + ": not an IDX file of unsigned bytes (magic 0x" + got +
                     ", expected 0x0000080N with N = 1..4 dimensions)");
  }
  std::vector<int64_t> dims(header[3]);
  // The data is allocated before it is read, so the header may not declare more than the
  // file can hold (a forged header would otherwise ask for exabytes, or overflow).
  const int64_t limit = dataBytesLimit(path, f.get());
  int64_t total = 1;
  for (auto& d : dims) {
    unsigned char b[4];
    readExactly(f.get(), b, 4, path, "the IDX dimensions");
    d = bigEndian(b);
    if (d == 0) throw InputError(path + ": IDX file declares no data");
    if (total > limit / d) {
      throw InputError(path + ": file is truncated: its header declares more data than the " +
                       std::to_string(std::filesystem::file_size(path)) + "-byte file holds");
    }
    total *= d;
  }
  at::Tensor data = torch::empty(dims, torch::kUInt8);
  readExactly(f.get(), data.data_ptr(), static_cast<size_t>(total), path, "data");
  return data;
}

Dataset readIdxPair(const std::string& imagesPath, const std::string& labelsPath,
                    const std::string& name) {
  at::Tensor images = readIdx(imagesPath);
  at::Tensor labels = readIdx(labelsPath);
  if (images.dim() == 3) images = images.unsqueeze(1);
  if (images.dim() != 4) {
    throw InputError(imagesPath + ": images must have 3 or 4 dimensions, found " +
                     std::to_string(images.dim()));
  }
  if (labels.dim() != 1) throw InputError(labelsPath + ": labels must have 1 dimension");
  if (labels.size(0) != images.size(0)) {
    throw InputError(labelsPath + ": " + std::to_string(labels.size(0)) + " labels for " +
                     std::to_string(images.size(0)) + " images in " + imagesPath);
  }
  Dataset ds;
  ds.name = name;
  ds.images = images;
  ds.labels = labels.to(torch::kInt64);
  ds.classes = static_cast<int>(ds.labels.max().item<int64_t>()) + 1;
  return ds;
}

std::string findIdxFile(const std::string& dir, const std::string& stem) {
  const std::filesystem::path base = std::filesystem::path(dir) / stem;
  if (std::filesystem::exists(base)) return base.string();
  if (std::filesystem::exists(base.string() + ".gz")) return base.string() + ".gz";
  return base.string() + ".gz";
}

}  // namespace sn
