#pragma once
#include <string>

namespace sn {

// A folder written under a temporary name beside its final one and renamed into place only
// when complete, so a failed or cancelled export never leaves half-written files under the
// final name. Destroyed unpublished, the temporary folder is removed. What a killed export
// left (it could not remove anything) is tidied by the next one for the same folder: its
// temporary folder removed, and an old folder it had moved aside put back if the new one
// never took its place.
class StagedFolder {
 public:
  // InputError when `finalPath` exists and `replace` is false (nothing is touched then).
  StagedFolder(std::string finalPath, bool replace);
  ~StagedFolder();
  StagedFolder(const StagedFolder&) = delete;
  StagedFolder& operator=(const StagedFolder&) = delete;

  const std::string& path() const { return staging_; }
  const std::string& finalPath() const { return final_; }
  // Moves the staged folder to its final name (replacing the old folder, if allowed).
  void publish();

 private:
  std::string final_;
  std::string staging_;
  bool replace_;
  bool published_ = false;
};

}  // namespace sn
