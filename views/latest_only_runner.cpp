#include "views/latest_only_runner.h"

#include <QThread>
#include <exception>

namespace sn {

LatestOnlyRunner::LatestOnlyRunner(QObject* parent) : QObject(parent) {}

LatestOnlyRunner::~LatestOnlyRunner() {
  pending_ = nullptr;
  if (!thread_) return;
  *superseded_ = true;
  thread_->disconnect(this);
  thread_->wait();
  delete thread_;
}

void LatestOnlyRunner::request(Work work) {
  requestStaged([work = std::move(work)](const std::atomic<bool>& superseded, const Post&) {
    return work(superseded);
  });
}

void LatestOnlyRunner::requestStaged(StagedWork work) {
  pending_ = std::move(work);
  if (thread_) {
    *superseded_ = true;  // it finishes (or gives up), then the newest request starts
    return;
  }
  startNext();
}

void LatestOnlyRunner::cancel() {
  pending_ = nullptr;
  if (thread_) *superseded_ = true;
}

void LatestOnlyRunner::startNext() {
  StagedWork work = std::move(pending_);
  pending_ = nullptr;
  auto superseded = std::make_shared<std::atomic<bool>>(false);
  auto outcome = std::make_shared<Outcome>();
  superseded_ = superseded;
  outcome_ = outcome;
  // Queued to this object: Qt drops the call if the runner is gone by then.
  Post post = [this, superseded](Apply early) {
    QMetaObject::invokeMethod(
        this,
        [superseded, early = std::move(early)] {
          if (!*superseded) early();
        },
        Qt::QueuedConnection);
  };
  thread_ = QThread::create([work = std::move(work), post = std::move(post), superseded, outcome] {
    try {
      outcome->apply = work(*superseded, post);
    } catch (const std::exception& e) {
      outcome->error = QString::fromUtf8(e.what());
    }
  });
  connect(thread_, &QThread::finished, this, &LatestOnlyRunner::threadDone);
  // Below the UI thread: on two cores a load must not take the event loop's turn.
  thread_->start(QThread::LowPriority);
}

void LatestOnlyRunner::threadDone() {
  thread_->deleteLater();
  thread_ = nullptr;
  if (pending_) return startNext();
  const std::shared_ptr<Outcome> outcome = std::move(outcome_);
  if (!*superseded_) {
    if (!outcome->error.isEmpty()) Q_EMIT failed(outcome->error);
    else if (outcome->apply) outcome->apply();
  }
  if (!busy()) Q_EMIT idle();
}

}  // namespace sn
