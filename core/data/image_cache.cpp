#include "core/data/image_cache.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>


#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/core/version.hpp>
#include <thread>

#include "core/data/image_decoder.h"
#include "core/util/atomic_file.h"
#include "core/util/cancelled.h"
#include "core/util/input_error.h"
#include "core/util/sha256.h"

namespace sn {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using Clock = std::chrono::steady_clock;

// A file of `bytes` mapped writable; closed (synced) by the destructor.
class MappedOutput {
 public:
  MappedOutput(const std::string& path, size_t bytes) : path_(path), bytes_(bytes) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd_ < 0) throw InputError(path + ": cannot create (" + std::strerror(errno) + ")");
    if (::ftruncate(fd_, static_cast<off_t>(bytes)) != 0) fail("cannot size");
    if (bytes == 0) return;
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
    if (p == MAP_FAILED) fail("cannot map");
    data_ = static_cast<uint8_t*>(p);
  }
  ~MappedOutput() {
    if (data_) ::munmap(data_, bytes_);
    if (fd_ >= 0) ::close(fd_);
  }
  MappedOutput(const MappedOutput&) = delete;
  MappedOutput& operator=(const MappedOutput&) = delete;

  uint8_t* data() { return data_; }
  // Keeps the first `bytes`, writes them to disk.
  void finish(size_t bytes) {
    if (data_ && ::msync(data_, bytes_, MS_SYNC) != 0) fail("cannot write (disk full?)");
    if (data_) ::munmap(data_, bytes_);
    data_ = nullptr;
    if (::ftruncate(fd_, static_cast<off_t>(bytes)) != 0 || ::fsync(fd_) != 0) fail("cannot write");
  }

 private:
  [[noreturn]] void fail(const char* what) {
    throw InputError(path_ + ": " + what + " (" + std::strerror(errno) + ")");
  }
  std::string path_;
  size_t bytes_;
  int fd_ = -1;
  uint8_t* data_ = nullptr;
};

// Decodes files[i] into slot i of `out` on `threads` threads; problems[i] is "" or why
// file i is bad. Progress from the calling thread every 200 ms.
std::vector<std::string> decodeAll(const std::vector<ImageFile>& files, const ImageDecoder& decoder,
                                   uint8_t* out, int threads, const ImageImportProgress& before,
                                   const std::function<void(const ImageImportProgress&)>& progress,
                                   const std::atomic<bool>* stop, Clock::time_point start) {
  std::vector<std::string> problems(files.size());
  std::atomic<size_t> next{0}, done{0}, bad{0};
  auto work = [&] {
    for (size_t i; (i = next++) < files.size();) {
      if (stop && stop->load()) return;
      problems[i] = decoder.decode(files[i].path, out + i * decoder.tileBytes());
      if (!problems[i].empty()) ++bad;
      ++done;
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(work);
  // Short waits, so a small split ends at once; progress every 200 ms.
  for (auto last = Clock::now(); done < files.size() && !(stop && stop->load());) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (!progress || Clock::now() - last < std::chrono::milliseconds(200)) continue;
    last = Clock::now();
    ImageImportProgress p = before;
    p.done += static_cast<int64_t>(done.load());
    p.bad += static_cast<int64_t>(bad.load());
    const double s = std::chrono::duration<double>(Clock::now() - start).count();
    p.imagesPerSecond = s > 0 ? p.done / s : 0;
    p.etaSeconds = p.imagesPerSecond > 0 ? (p.total - p.done) / p.imagesPerSecond : 0;
    progress(p);
  }
  for (auto& t : pool) t.join();
  if (stop && stop->load()) throw Cancelled();
  return problems;
}

struct ChannelStatistics {
  std::vector<double> mean, stddev;  // per channel, of pixel / 255
};

// Moves the good tiles to the front (in file order) and returns their labels.
std::vector<int32_t> compact(const std::vector<ImageFile>& files,
                             const std::vector<std::string>& problems, uint8_t* data,
                             size_t tile) {
  std::vector<int32_t> labels;
  for (size_t i = 0; i < files.size(); ++i) {
    if (!problems[i].empty()) continue;
    if (labels.size() != i) std::memmove(data + labels.size() * tile, data + i * tile, tile);
    labels.push_back(files[i].label);
  }
  return labels;
}

// Exact per-channel mean and std of `pixels` HWC pixels (integer sums: no rounding drift, so
// the same images give the same meta.json).
ChannelStatistics channelStatistics(const uint8_t* data, int64_t pixels, int channels) {
  std::vector<uint64_t> s(channels, 0), q(channels, 0);
  for (int64_t p = 0; p < pixels; ++p) {
    for (int c = 0; c < channels; ++c) {
      const uint64_t v = data[p * channels + c];
      s[c] += v;
      q[c] += v * v;
    }
  }
  ChannelStatistics out;
  const double n = std::max<double>(static_cast<double>(pixels), 1.0);
  for (int c = 0; c < channels; ++c) {
    const double mean = static_cast<double>(s[c]) / 255.0 / n;
    const double square = static_cast<double>(q[c]) / (255.0 * 255.0) / n;
    out.mean.push_back(mean);
    out.stddev.push_back(std::sqrt(std::max(square - mean * mean, 1e-6)));
  }
  return out;
}

void writeLabels(const std::string& path, const std::vector<int32_t>& labels) {
  writeFileAtomically(path, [&](const std::string& temp) {
    std::ofstream f(temp, std::ios::binary);
    f.write(reinterpret_cast<const char*>(labels.data()),
            static_cast<std::streamsize>(labels.size() * sizeof(int32_t)));
    if (!f) throw InputError(temp + ": cannot write (disk full?)");
  });
}

}  // namespace

std::string ImageImportReport::toText() const {
  std::string t = std::to_string(images) + " files: " + std::to_string(trainImages) +
                  " training and " + std::to_string(valImages) + " validation images kept, " +
                  std::to_string(bad.size()) + " bad";
  for (size_t i = 0; i < bad.size() && i < 20; ++i) {
    t += "\n  " + bad[i].path + ": " + bad[i].problem;
  }
  if (bad.size() > 20) t += "\n  ... and " + std::to_string(bad.size() - 20) + " more";
  return t;
}

ImageImportReport writeImageCache(const ImageFolder& folder, const std::string& dir,
                                  const ImageCacheOptions& options,
                                  const std::function<void(const ImageImportProgress&)>& progress,
                                  const std::atomic<bool>* stop) {
  const auto start = Clock::now();
  const fs::path part = dir + ".part";
  fs::remove_all(part);  // a killed import's leftovers: redo, do not trust them
  fs::create_directories(part);
  const ImageDecoder decoder(options.channels, options.resolution);
  const size_t tile = static_cast<size_t>(decoder.tileBytes());
  const int threads = options.threads > 0
                          ? options.threads
                          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  ImageImportReport report;
  report.images = static_cast<int64_t>(folder.train.size() + folder.val.size());
  ImageImportProgress before;
  before.total = report.images;
  json meta = {{"format", 1},
               {"source", folder.root},
               {"layout", folder.layout},
               {"classes", folder.classes},
               {"channels", options.channels},
               {"resolution", options.resolution},
               {"layout_of_images", "uint8 NHWC"},
               {"labels", "int32"},
               {"decoder", std::string("OpenCV ") + CV_VERSION},
               {"resize", "shorter side to resolution (INTER_AREA shrinking, bilinear enlarging), centre crop"},
               {"files", json::object()}};
  ChannelStatistics trainStats;
  const std::pair<std::string, const std::vector<ImageFile>*> splits[] = {{"train", &folder.train},
                                                                           {"val", &folder.val}};
  try {
    for (const auto& [split, filesOf] : splits) {
      const std::vector<ImageFile>& files = *filesOf;
      MappedOutput out((part / (split + ".images")).string(), files.size() * tile);
      const auto problems =
          decodeAll(files, decoder, out.data(), threads, before, progress, stop, start);
      const auto labels = compact(files, problems, out.data(), tile);
      for (size_t i = 0; i < files.size(); ++i) {
        if (!problems[i].empty()) report.bad.push_back({files[i].path, problems[i]});
      }
      const auto kept = static_cast<int64_t>(labels.size());
      if (split == "train") {
        trainStats = channelStatistics(
            out.data(), kept * options.resolution * options.resolution, options.channels);
      }
      (split == "train" ? report.trainImages : report.valImages) = kept;
      out.finish(labels.size() * tile);
      writeLabels((part / (split + ".labels")).string(), labels);
      before.done += static_cast<int64_t>(files.size());
      before.bad = static_cast<int64_t>(report.bad.size());
    }
  } catch (...) {
    fs::remove_all(part);
    throw;
  }
  report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  report.failed = static_cast<double>(report.bad.size()) >
                  options.maxBadShare * static_cast<double>(report.images);
  if (report.failed || report.trainImages == 0 || report.valImages == 0) {
    fs::remove_all(part);
    report.failed = true;
    return report;
  }
  meta["mean"] = trainStats.mean;
  meta["std"] = trainStats.stddev;
  meta["train_images"] = report.trainImages;
  meta["val_images"] = report.valImages;
  meta["bad_images"] = report.bad.size();
  for (const char* f : {"train.images", "train.labels", "val.images", "val.labels"}) {
    meta["files"][f] = sha256File((part / f).string());
  }
  writeFileAtomically((part / "meta.json").string(), [&](const std::string& temp) {
    std::ofstream(temp) << meta.dump(2) << "\n";
  });
  // Swap in: the old cache goes only once the new one is complete.
  const fs::path old = dir + ".old";
  fs::remove_all(old);
  if (fs::exists(dir)) fs::rename(dir, old);
  fs::rename(part, dir);
  fs::remove_all(old);
  return report;
}

ImageCacheMeta ImageCacheMeta::read(const std::string& dir) {
  const std::string path = dir + "/meta.json";
  std::ifstream in(path);
  if (!in) {
    throw InputError(path + ": no image cache here (run supernet-cli import-images first)");
  }
  ImageCacheMeta m;
  try {
    const json j = json::parse(in);
    m.channels = j.at("channels").get<int>();
    m.resolution = j.at("resolution").get<int>();
    m.classes = j.at("classes").get<std::vector<std::string>>();
    m.mean = j.at("mean").get<std::vector<double>>();
    m.stddev = j.at("std").get<std::vector<double>>();
    m.trainImages = j.at("train_images").get<int64_t>();
    m.valImages = j.at("val_images").get<int64_t>();
  } catch (const json::exception& e) {
    throw InputError(path + ": not an image cache's meta.json (" + e.what() + ")");
  }
  return m;
}

}  // namespace sn
