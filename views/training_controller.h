#pragma once
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <string>

#include "db/run_status.h"
#include "views/training_event_bridge.h"

class QThread;

namespace sn {

struct TrainingRequest {
  QString projectDir;
  std::string device = "cpu";
  int threads = 0;  // 0: every core
  int epochs = 0;   // 0: the recipe's
  int64_t resumeRunId = -1;  // -1: a new run; 0: the newest run; N: run N from its checkpoint
  int64_t createdRunId = 0;  // N > 0 (and resumeRunId -1): train run N made by "New run from…"
};

// Runs one TrainingSession on a worker thread and reports on the UI thread. Pause and stop
// are atomics the UI sets directly, so they act while the worker is busy (the session polls
// them between steps and between evaluation batches). Nothing here ever waits for the
// worker: the end of the run arrives as `finished`.
class TrainingController : public QObject {
  Q_OBJECT
 public:
  enum class State { Idle, Running, Paused, Stopping };
  Q_ENUM(State)

  explicit TrainingController(QObject* parent = nullptr);
  ~TrainingController() override;

  // False (and `error` set) when a run is already going or the project cannot be read.
  bool start(const TrainingRequest& request, QString* error = nullptr);
  void pause();
  void resume();
  // Ends the run after the current step (or cancels the epoch-end evaluation) and writes a
  // checkpoint; `finished` follows.
  void stop();

  State state() const { return state_; }
  bool busy() const { return state_ != State::Idle; }
  qint64 runId() const { return runId_; }
  QString deviceName() const { return QString::fromStdString(device_); }

 Q_SIGNALS:
  void stateChanged(sn::TrainingController::State state);
  void progress(const sn::TrainingProgress& progress, const sn::ChoiceFrequencies& sampled);
  void metricsWritten(qint64 runId, int rows);
  void epochFinished(const sn::EpochSummary& summary);
  // status: Finished, Stopped or Failed; message: the error for failed runs.
  void finished(sn::RunStatus status, qint64 runId, const QString& message);

 private:
  void setState(State state);
  void onWorkerDone();

  State state_ = State::Idle;
  std::atomic<bool> stop_{false};
  std::atomic<bool> pause_{false};
  QThread* thread_ = nullptr;
  std::unique_ptr<TrainingEventBridge> bridge_;
  std::string device_ = "cpu";
  qint64 runId_ = 0;
  // Written by the worker before it ends, read after QThread::finished.
  RunStatus resultStatus_ = RunStatus::Failed;
  std::string resultError_;
  int64_t resultRunId_ = 0;
};

}  // namespace sn

Q_DECLARE_METATYPE(sn::RunStatus)
