#pragma once
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

class QThread;

namespace sn {

// Runs the newest of a stream of requests off the UI thread. A request made while one runs
// waits, replacing any request already waiting, and sets the running one's `superseded`
// flag so long work can give up early; only the newest request's result is applied. The
// work returns its apply step, which runs on the UI thread in one queued call: the UI
// thread only ever swaps in a finished, immutable result.
class LatestOnlyRunner : public QObject {
  Q_OBJECT
 public:
  using Apply = std::function<void()>;
  using Work = std::function<Apply(const std::atomic<bool>& superseded)>;
  // Hands an early result to the UI thread while the work goes on (the first view of a
  // large load): applied in a queued call, before the final one, unless superseded by then.
  using Post = std::function<void(Apply early)>;
  using StagedWork = std::function<Apply(const std::atomic<bool>& superseded, const Post& post)>;

  explicit LatestOnlyRunner(QObject* parent = nullptr);
  ~LatestOnlyRunner() override;  // supersedes the running work and waits for it

  void request(Work work);
  void requestStaged(StagedWork work);
  // Drops the waiting request and supersedes the running one: nothing more is applied.
  void cancel();
  bool busy() const { return thread_ != nullptr || pending_ != nullptr; }

 Q_SIGNALS:
  // The newest request's result was applied (or it failed) and nothing waits.
  void idle();
  void failed(const QString& message);

 private:
  struct Outcome {
    Apply apply;
    QString error;
  };
  void startNext();
  void threadDone();

  QThread* thread_ = nullptr;
  std::shared_ptr<std::atomic<bool>> superseded_;
  std::shared_ptr<Outcome> outcome_;
  StagedWork pending_;
};

}  // namespace sn
