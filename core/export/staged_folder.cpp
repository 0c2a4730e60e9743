#include "core/export/staged_folder.h"

#include <unistd.h>

#include <filesystem>

#include "core/util/input_error.h"

namespace sn {
namespace fs = std::filesystem;

namespace {

// A sibling of `path` that no other process would pick: hidden, with our pid.
std::string sibling(const fs::path& path, const std::string& what) {
  return (path.parent_path() / ("." + path.filename().string() + "." + what + "-" + std::to_string(::getpid())))
      .string();
}

}  // namespace

StagedFolder::StagedFolder(std::string finalPath, bool replace)
    : final_(fs::absolute(finalPath).lexically_normal().string()), replace_(replace) {
  if (!final_.empty() && final_.back() == '/') final_.pop_back();
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
