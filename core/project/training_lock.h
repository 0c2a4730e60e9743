#pragma once
#include <optional>
#include <string>

namespace sn {

// One trainer per project folder: an exclusive flock on DIR/.training.lock, held for the
// whole run by whichever process trains (supernet-cli or supernet-studio) and released by
// the kernel if that process dies, so a crashed run never leaves the folder locked. The
// file holds the owner's pid so others can say who trains.
class TrainingLock {
 public:
  // InputError naming the folder when another trainer holds it or it is not writable.
  explicit TrainingLock(const std::string& projectDir);
  ~TrainingLock();
  TrainingLock(const TrainingLock&) = delete;
  TrainingLock& operator=(const TrainingLock&) = delete;

  // The pid of the process training DIR now, or nothing when none is. Takes no lock.
  static std::optional<long> holder(const std::string& projectDir);

 private:
  int fd_ = -1;
};

constexpr const char* kTrainingLockFile = ".training.lock";

}  // namespace sn
