#include "core/project/project.h"

#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/space/presets.h"
#include "core/util/build_info.h"
#include "core/util/input_error.h"
#include "db/store.h"

namespace sn {
namespace fs = std::filesystem;

namespace {

std::unique_ptr<Store> openStore(const std::string& path,
                                 Database::Mode mode = Database::Mode::ReadWrite) {
  try {
    return std::make_unique<Store>(path, mode);
  } catch (const DbError& e) {
    throw InputError(e.what());  // the message already names the file
  }
}

void requireWritableFolder(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw InputError(dir.string() + ": cannot create project folder (" + ec.message() + ")");
  if (!fs::is_directory(dir)) throw InputError(dir.string() + ": not a folder");
  if (::access(dir.c_str(), W_OK) != 0) throw InputError(dir.string() + ": folder is not writable");
}

}  // namespace

Project::Project(std::string dir, std::unique_ptr<Store> store, ProjectConfig config)
    : dir_(std::move(dir)), store_(std::move(store)), config_(std::move(config)) {}
Project::Project(Project&&) noexcept = default;
Project::~Project() = default;

std::string Project::databasePath() const { return (fs::path(dir_) / kProjectDatabase).string(); }
std::string Project::checkpointsDir() const { return (fs::path(dir_) / "checkpoints").string(); }
std::string Project::checkpointPath(const std::string& relative) const {
  return (fs::path(dir_) / relative).string();
}

Project Project::create(const std::string& dir, const std::string& templateName) {
  const nlohmann::json tmpl = projectTemplate(templateName);  // unknown template: nothing made
  return create(dir, ProjectConfig::fromJson(tmpl, "template " + templateName));
}

Project Project::create(const std::string& dir, const ProjectConfig& edited) {
  const fs::path root(dir);
  if (fs::exists(root / kProjectDatabase)) {
    throw InputError(dir + ": already holds a project (" + kProjectDatabase + "); not changed");
  }
  ProjectConfig config = ProjectConfig::fromJson(edited.toJson(), dir);
  requireWritableFolder(root);
  for (const char* sub : {"checkpoints", "exports"}) {
    std::error_code ec;
    fs::create_directories(root / sub, ec);
    if (ec) throw InputError((root / sub).string() + ": cannot create (" + ec.message() + ")");
  }
  auto store = openStore((root / kProjectDatabase).string());
  store->settings().set("config", config.toJson().dump(2));
  store->settings().set("created_by", toolVersion());
  store->settings().set("written_by", toolVersion());
  return Project(fs::absolute(root).string(), std::move(store), std::move(config));
}

Project Project::open(const std::string& dir) { return openWith(dir, Database::Mode::ReadWrite); }

Project Project::openReadOnly(const std::string& dir) {
  return openWith(dir, Database::Mode::ReadOnly);
}

Project Project::openWith(const std::string& dir, Database::Mode mode) {
  const fs::path db = fs::path(dir) / kProjectDatabase;
  if (!fs::is_regular_file(db)) {
    throw InputError(dir + ": not a Supernet Studio project (no " + kProjectDatabase + ")");
  }
  auto store = openStore(db.string(), mode);
  const auto text = store->settings().get("config");
  if (!text) throw InputError(db.string() + ": the project has no configuration");
  ProjectConfig config = ProjectConfig::fromText(*text, db.string());
  // Which version last opened it to write; written only when that changes.
  if (mode == Database::Mode::ReadWrite && store->settings().get("written_by") != std::string(toolVersion())) {
    store->settings().set("written_by", toolVersion());
  }
  return Project(fs::absolute(dir).string(), std::move(store), std::move(config));
}

void Project::saveConfig(const ProjectConfig& config) {
  store_->settings().set("config", config.toJson().dump(2));
  config_ = config;
}

}  // namespace sn
