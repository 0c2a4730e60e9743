#include "views/recent_projects.h"

#include <QDir>
#include <QSettings>

namespace sn {
namespace {
constexpr const char* kKey = "recentProjects";
}

QStringList RecentProjects::list() { return QSettings().value(kKey).toStringList(); }

void RecentProjects::add(const QString& dir) {
  const QString path = QDir(dir).absolutePath();
  QStringList all = list();
  all.removeAll(path);
  all.prepend(path);
  while (all.size() > kMax) all.removeLast();
  QSettings().setValue(kKey, all);
}

void RecentProjects::remove(const QString& dir) {
  QStringList all = list();
  all.removeAll(QDir(dir).absolutePath());
  QSettings().setValue(kKey, all);
}

}  // namespace sn
