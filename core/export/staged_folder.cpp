#include "core/export/staged_folder.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <vector>

#include "core/util/input_error.h"

namespace sn {
namespace fs = std::filesystem;

namespace {

// A sibling of `path` that no other process would pick: hidden, with our pid.
std::string sibling(const fs::path& path, const std::string& what) {
  return (path.parent_path() / ("." + path.filename().string() + "." + what + "-" + std::to_string(::getpid())))
      .string();
}

bool processIsGone(const std::string& pidText) {
  if (pidText.empty() || pidText.size() > 9 || pidText.find_first_not_of("0123456789") != std::string::npos) {
    return false;  // not a pid we wrote (and std::stol must not overflow)
  }
  return ::kill(static_cast<pid_t>(std::stol(pidText)), 0) != 0 && errno == ESRCH;
}

// The siblings of `path` a process that no longer exists left: its ".partial" folder is
// removed; its ".old" one (moved aside by a replace killed before the new folder took its
// name) is put back when nothing has that name, else removed.
void tidyAfterKilledExports(const fs::path& path) {
  const std::string partial = "." + path.filename().string() + ".partial-";
  const std::string old = "." + path.filename().string() + ".old-";
  std::error_code ec;
  std::vector<fs::path> leftPartial, leftOld;
  for (const auto& entry : fs::directory_iterator(path.parent_path(), ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(partial, 0) == 0 && processIsGone(name.substr(partial.size()))) {
      leftPartial.push_back(entry.path());
    } else if (name.rfind(old, 0) == 0 && processIsGone(name.substr(old.size()))) {
      leftOld.push_back(entry.path());
    }
  }
  for (const fs::path& p : leftPartial) fs::remove_all(p, ec);
  for (const fs::path& p : leftOld) {
    if (!fs::exists(path)) {
      fs::rename(p, path, ec);
    } else {
      fs::remove_all(p, ec);
    }
  }
}

}  // namespace

StagedFolder::StagedFolder(std::string finalPath, bool replace)
    : final_(fs::absolute(finalPath).lexically_normal().string()), replace_(replace) {
  if (!final_.empty() && final_.back() == '/') final_.pop_back();
  tidyAfterKilledExports(final_);
  if (fs::exists(final_) && !replace_) {
    throw InputError(final_ + ": already exists; choose another folder or replace it (--force)");
  }
  std::error_code ec;
  fs::create_directories(fs::path(final_).parent_path(), ec);
  staging_ = sibling(final_, "partial");
  fs::remove_all(staging_, ec);
  if (!fs::create_directory(staging_, ec)) {
    throw InputError(staging_ + ": cannot create the export folder: " + ec.message());
  }
}

StagedFolder::~StagedFolder() {
  if (published_) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);
}

void StagedFolder::publish() {
  // The old folder is moved aside first and removed only once the new one is in place.
  const std::string old = sibling(final_, "old");
  const bool hadOld = fs::exists(final_);
  if (hadOld) fs::rename(final_, old);
  fs::rename(staging_, final_);
  published_ = true;
  std::error_code ec;
  if (hadOld) fs::remove_all(old, ec);
}

}  // namespace sn
