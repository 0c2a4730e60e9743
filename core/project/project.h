#pragma once
#include <memory>
#include <string>

#include "core/project/project_config.h"
#include "db/database.h"

namespace sn {

class Store;

// A project folder: project.sqlite (config, runs, metrics, subnets, checkpoints' metadata),
// checkpoints/ and exports/.
class Project {
 public:
  // Creates DIR from a template. InputError when DIR already holds a project, is not
  // writable, or the template is unknown; nothing existing is changed then.
  static Project create(const std::string& dir, const std::string& templateName);
  // Creates DIR with `config`, validated (as a hand-edited config would be) before anything
  // is written: a bad value is an InputError and no folder or database is made.
  static Project create(const std::string& dir, const ProjectConfig& config);
  // Opens an existing project. InputError when it is not one, or its database is from a
  // newer schema (then the file is left untouched).
  static Project open(const std::string& dir);
  // The same on a read-only connection: any write throws. The ranks of a data-parallel run
  // other than rank 0 open the project so.
  static Project openReadOnly(const std::string& dir);

  Project(Project&&) noexcept;
  ~Project();

  const std::string& dir() const { return dir_; }
  std::string databasePath() const;
  std::string checkpointsDir() const;
  std::string checkpointPath(const std::string& relative) const;

  const ProjectConfig& config() const { return config_; }
  void saveConfig(const ProjectConfig& config);
  Store& store() { return *store_; }

 private:
  Project(std::string dir, std::unique_ptr<Store> store, ProjectConfig config);
  static Project openWith(const std::string& dir, Database::Mode mode);

  std::string dir_;
  std::unique_ptr<Store> store_;
  ProjectConfig config_;
};

constexpr const char* kProjectDatabase = "project.sqlite";

}  // namespace sn
