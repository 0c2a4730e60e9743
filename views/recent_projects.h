#pragma once
#include <QStringList>

namespace sn {

// The recently opened project folders, newest first, kept in QSettings.
class RecentProjects {
 public:
  static constexpr int kMax = 10;

  static QStringList list();
  // Moves (or adds) `dir` to the front.
  static void add(const QString& dir);
  static void remove(const QString& dir);
};

}  // namespace sn
