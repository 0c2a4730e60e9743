#pragma once
#include <QWidget>

class QListWidget;

namespace sn {

// What the window shows with no project open: new, open, and the recent projects.
class StartPage : public QWidget {
  Q_OBJECT
 public:
  explicit StartPage(QWidget* parent = nullptr);
  // Re-reads the recent projects list.
  void refresh();

 Q_SIGNALS:
  void newProjectRequested();
  void openProjectRequested();                   // choose a folder
  void recentProjectChosen(const QString& dir);  // open this one

 private:
  QListWidget* recent_ = nullptr;
};

}  // namespace sn
