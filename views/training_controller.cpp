#include "views/training_controller.h"

#include <algorithm>
#include <QThread>

#include "core/project/project.h"
#include "core/project/training_session.h"

namespace sn {

TrainingController::TrainingController(QObject* parent) : QObject(parent) {}

TrainingController::~TrainingController() {
  // Only reached with a run going when the application quits without the window's
  // stop-then-close: stop at the next step rather than leave a thread running.
  if (thread_) {
    stop_ = true;
    pause_ = false;
    thread_->wait();
  }
}

bool TrainingController::start(const TrainingRequest& request, QString* error) {
  if (busy()) {
    if (error) *error = tr("A run is already training.");
    return false;
  }
  SearchSpace space;
  try {
    space = Project::open(request.projectDir.toStdString()).config().space;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
  stop_ = false;
  pause_ = false;
  device_ = request.device;
  runId_ = request.resumeRunId > 0 ? request.resumeRunId : std::max<int64_t>(request.createdRunId, 0);
  resultStatus_ = RunStatus::Failed;
  resultError_.clear();
  bridge_ = std::make_unique<TrainingEventBridge>(space);
  connect(bridge_.get(), &TrainingEventBridge::progress, this,
          [this](const TrainingProgress& p, const ChoiceFrequencies& sampled) {
            runId_ = p.runId;
            Q_EMIT progress(p, sampled);
          });
  connect(bridge_.get(), &TrainingEventBridge::metricsWritten, this,
          &TrainingController::metricsWritten);
  connect(bridge_.get(), &TrainingEventBridge::epochFinished, this,
          &TrainingController::epochFinished);

  TrainingEventBridge* sink = bridge_.get();
  thread_ = QThread::create([this, request, sink] {
    try {
      Project project = Project::open(request.projectDir.toStdString());
      SessionOptions options;
      options.device = request.device;
      options.threads = request.threads;
      options.epochs = request.epochs;
      options.runId = request.createdRunId;
      options.stop = &stop_;
      options.pause = &pause_;
      options.sink = sink;
      TrainingSession session(project, options);
      const SessionResult r = request.resumeRunId >= 0 ? session.resume(request.resumeRunId)
                                                       : session.start();
      resultStatus_ = r.status;
      resultRunId_ = r.runId;
    } catch (const std::exception& e) {
      resultStatus_ = RunStatus::Failed;
      resultError_ = e.what();
    }
  });
  connect(thread_, &QThread::finished, this, &TrainingController::onWorkerDone);
  setState(State::Running);
  thread_->start();
  return true;
}

void TrainingController::onWorkerDone() {
  thread_->wait();
  delete thread_;
  thread_ = nullptr;
  if (resultRunId_ > 0) runId_ = resultRunId_;
  setState(State::Idle);
  Q_EMIT finished(resultStatus_, runId_, QString::fromStdString(resultError_));
}

void TrainingController::pause() {
  if (state_ != State::Running) return;
  pause_ = true;
  setState(State::Paused);
}

void TrainingController::resume() {
  if (state_ != State::Paused) return;
  pause_ = false;
  setState(State::Running);
}

void TrainingController::stop() {
  if (state_ != State::Running && state_ != State::Paused) return;
  stop_ = true;
  pause_ = false;
  setState(State::Stopping);
}

void TrainingController::setState(State state) {
  if (state_ == state) return;
  state_ = state;
  Q_EMIT stateChanged(state);
}

}  // namespace sn
