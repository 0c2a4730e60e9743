#pragma once
#include <optional>
#include <string>

namespace sn {

class Database;

// Key/value settings of the project (its configuration JSON, the template it came from).
class ProjectSettings {
 public:
  explicit ProjectSettings(Database& db) : db_(db) {}

  void set(const std::string& key, const std::string& value);
  std::optional<std::string> get(const std::string& key);

 private:
  Database& db_;
};

}  // namespace sn
