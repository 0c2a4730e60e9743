#include "core/util/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace sn {
namespace {

void fsyncPath(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) throw std::runtime_error(path + ": cannot open for fsync: " + std::strerror(errno));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw std::runtime_error(path + ": fsync failed: " + std::strerror(errno));
}

}  // namespace

void writeFileAtomically(const std::string& path,
                         const std::function<void(const std::string& tempPath)>& write) {
  const std::string temp = path + ".tmp-" + std::to_string(::getpid());
  try {
    write(temp);
    fsyncPath(temp, O_RDONLY);
    if (std::rename(temp.c_str(), path.c_str()) != 0) {
      throw std::runtime_error(path + ": cannot rename into place: " + std::strerror(errno));
    }
    const std::string dir = std::filesystem::path(path).parent_path().string();
    fsyncPath(dir.empty() ? "." : dir, O_RDONLY | O_DIRECTORY);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    throw;
  }
}

}  // namespace sn
