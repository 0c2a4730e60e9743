#include "db/project_settings.h"

#include "db/database.h"
#include "db/statement.h"

namespace sn {

void ProjectSettings::set(const std::string& key, const std::string& value) {
  Statement st = db_.prepare(
      "INSERT INTO project_settings (key, value) VALUES (?, ?) "
      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  st.bind(1, key).bind(2, value);
  st.run();
}

std::optional<std::string> ProjectSettings::get(const std::string& key) {
  Statement st = db_.prepare("SELECT value FROM project_settings WHERE key = ?");
  st.bind(1, key);
  if (!st.step()) return std::nullopt;
  return st.columnText(0);
}

}  // namespace sn
