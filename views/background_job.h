#pragma once
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>

#include "core/util/job_control.h"

class QThread;

namespace sn {

// Runs one piece of long core work (evaluate, search, build a latency table) on its own
// thread, off the UI thread: the GUI's one adapter of core's JobControl. Progress comes back
// queued as `progress`; cancel sets the flag the work polls, so it works while the worker is
// busy. One job at a time.
class BackgroundJob : public QObject {
  Q_OBJECT
 public:
  // Returns a one-line summary; throws on failure (the message is shown).
  using Work = std::function<QString(const JobControl& job)>;

  explicit BackgroundJob(QObject* parent = nullptr);
  ~BackgroundJob() override;  // cancels and waits

  bool start(const QString& title, Work work);
  void cancel() { stop_ = true; }
  bool running() const { return thread_ != nullptr; }
  const QString& title() const { return title_; }

 Q_SIGNALS:
  void progress(const QString& phase, int done, int total);
  void finished(const QString& title, const QString& summary, const QString& error);

 private:
  QThread* thread_ = nullptr;
  std::atomic<bool> stop_{false};
  QString title_;
  QString summary_;
  QString error_;
};

}  // namespace sn
