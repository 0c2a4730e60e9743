#pragma once
#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>

namespace sn {

// A file written in chunks by a writer that must not be told of a failed write: LibTorch's
// archive writer, given a short count, throws from a destructor and the process ends
// (std::terminate; found with a full disk). Every chunk is accepted; the first failure is
// remembered and close() throws it, naming the file.
class FileSink {
 public:
  explicit FileSink(std::string path);  // std::runtime_error when it cannot be created
  ~FileSink();
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;

  // Always `n`, whatever happened: see above.
  size_t write(const void* data, size_t n);
  // Flushes and closes; std::runtime_error "<path>: <reason>" if any write failed.
  void close();
  // `bytes` as the whole file at `path`, checked as above.
  static void writeAll(const std::string& path, const std::string_view& bytes);

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  int error_ = 0;
};

}  // namespace sn
