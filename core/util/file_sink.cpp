#include "core/util/file_sink.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace sn {

FileSink::FileSink(std::string path)
    : path_(std::move(path)), file_(std::fopen(path_.c_str(), "wb")) {
  if (!file_) throw std::runtime_error(path_ + ": cannot be created: " + std::strerror(errno));
}

FileSink::~FileSink() {
  if (file_) std::fclose(file_);
}

size_t FileSink::write(const void* data, size_t n) {
  if (n == 0) return 0;  // LibTorch passes empty records with a null pointer (fwrite's UB)
  if (error_ == 0 && std::fwrite(data, 1, n, file_) != n) error_ = errno != 0 ? errno : EIO;
  return n;
}

void FileSink::close() {
  if (std::fflush(file_) != 0 && error_ == 0) error_ = errno != 0 ? errno : EIO;
  if (std::fclose(file_) != 0 && error_ == 0) error_ = errno != 0 ? errno : EIO;
  file_ = nullptr;
  if (error_ != 0) throw std::runtime_error(path_ + ": " + std::strerror(error_));
}

void FileSink::writeAll(const std::string& path, const std::string_view& bytes) {
  FileSink sink(path);
  sink.write(bytes.data(), bytes.size());
  sink.close();
}

}  // namespace sn
