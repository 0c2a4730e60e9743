#include "views/background_job.h"

#include <QThread>
#include <exception>

#include "core/util/cancelled.h"

namespace sn {

BackgroundJob::BackgroundJob(QObject* parent) : QObject(parent) {}

BackgroundJob::~BackgroundJob() {
  if (!thread_) return;
  stop_ = true;
  thread_->wait();
}

bool BackgroundJob::start(const QString& title, Work work) {
  if (thread_) return false;
  stop_ = false;
  title_ = title;
  summary_.clear();
  error_.clear();
  thread_ = QThread::create([this, work = std::move(work)] {
    const JobControl job(&stop_, [this](const JobProgress& p) {
      const QString stage = QString::fromStdString(p.stage);
      const int done = static_cast<int>(p.done), total = static_cast<int>(p.total);
      QMetaObject::invokeMethod(this, [this, stage, done, total] { Q_EMIT progress(stage, done, total); },
                                Qt::QueuedConnection);
    });
    try {
      summary_ = work(job);
    } catch (const Cancelled&) {
      summary_ = "cancelled; what was done is stored";
    } catch (const std::exception& e) {
      error_ = QString::fromUtf8(e.what());
    }
  });
  connect(thread_, &QThread::finished, this, [this] {
    thread_->deleteLater();
    thread_ = nullptr;
    Q_EMIT finished(title_, summary_, error_);
  });
  thread_->start();
  return true;
}

}  // namespace sn
