#include "core/project/training_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/util/input_error.h"

namespace sn {
namespace {

std::string lockPath(const std::string& dir) {
  return (std::filesystem::path(dir) / kTrainingLockFile).string();
}

long readPid(int fd) {
  char buf[32] = {};
  const ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
  return n > 0 ? std::strtol(buf, nullptr, 10) : 0;
}

}  // namespace

TrainingLock::TrainingLock(const std::string& projectDir) {
  const std::string path = lockPath(projectDir);
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw InputError(projectDir + ": cannot train here, the folder is not writable (" +
                     std::strerror(errno) + ")");
  }
  // flock, not fcntl locks: a second open in the same process conflicts too.
  if (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const long pid = readPid(fd_);
    ::close(fd_);
    fd_ = -1;
    throw InputError(projectDir + ": another process (pid " + std::to_string(pid) +
                     ") is training this project; wait for it or stop it first");
  }
  const std::string pid = std::to_string(static_cast<long>(getpid())) + "\n";
  if (ftruncate(fd_, 0) != 0 || pwrite(fd_, pid.data(), pid.size(), 0) < 0) {
    // The pid is only informative; the lock itself is held.
  }
}

TrainingLock::~TrainingLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

std::optional<long> TrainingLock::holder(const std::string& projectDir) {
  const int fd = ::open(lockPath(projectDir).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::optional<long> pid;
  if (flock(fd, LOCK_SH | LOCK_NB) != 0) {
    pid = readPid(fd);
  } else {
    flock(fd, LOCK_UN);
  }
  ::close(fd);
  return pid;
}

}  // namespace sn
