#include "core/util/atomic_file.h"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "core/util/first_line.h"
#include "core/util/input_error.h"

namespace sn {
namespace {

void fsyncPath(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) throw std::runtime_error(path + ": cannot open for fsync: " + std::strerror(errno));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw std::runtime_error(path + ": fsync failed: " + std::strerror(errno));
}

// What the file system holding `dir` says when a write there failed: read-only, or (almost)
// full. "" when neither: the writer's own message is the better one then.
std::string fileSystemProblem(const std::string& dir) {
  struct statvfs st {};
  if (::statvfs(dir.c_str(), &st) != 0) return "";
  if (st.f_flag & ST_RDONLY) return "the file system is read-only";
  const unsigned long long freeBytes = static_cast<unsigned long long>(st.f_bavail) * st.f_frsize;
  if (freeBytes < (1ULL << 20)) {
    return "no space left on the disk (" + std::to_string(freeBytes / 1024) + " KiB free)";
  }
  return "";
}

}  // namespace

void writeFileAtomically(const std::string& path,
                         const std::function<void(const std::string& tempPath)>& write) {
  const std::string temp = path + ".tmp-" + std::to_string(::getpid());
  const std::string dir = std::filesystem::path(path).parent_path().string();
  try {
    try {
      write(temp);
    } catch (const InputError&) {
      throw;
    } catch (const std::exception& e) {
      // Asked before the temporary goes: a full disk is still full now.
      const std::string problem = fileSystemProblem(dir.empty() ? "." : dir);
      throw std::runtime_error(path + ": cannot write: " + (problem.empty() ? firstLine(e.what()) : problem));
    }
    fsyncPath(temp, O_RDONLY);
    if (std::rename(temp.c_str(), path.c_str()) != 0) {
      throw std::runtime_error(path + ": cannot rename into place: " + std::strerror(errno));
    }
    fsyncPath(dir.empty() ? "." : dir, O_RDONLY | O_DIRECTORY);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    throw;
  }
}

}  // namespace sn
