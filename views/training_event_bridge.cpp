#include "views/training_event_bridge.h"

#include "core/space/arch.h"

namespace sn {

TrainingEventBridge::TrainingEventBridge(const SearchSpace& space, QObject* parent)
    : QObject(parent), space_(space), sampled_(space) {}

void TrainingEventBridge::onProgress(const TrainingProgress& p) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    latest_ = p;
    for (const std::string& text : p.sampledArchs) {
      try {
        sampled_.add(Arch::parse(text, space_));
      } catch (const std::exception&) {
        // A run trained with another space than the project's: nothing to count.
      }
    }
  }
  if (!progressQueued_.exchange(true)) {
    QMetaObject::invokeMethod(this, &TrainingEventBridge::deliverProgress, Qt::QueuedConnection);
  }
}

void TrainingEventBridge::deliverProgress() {
  TrainingProgress p;
  ChoiceFrequencies sampled;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    progressQueued_ = false;
    p = latest_;
    sampled = sampled_;
  }
  Q_EMIT progress(p, sampled);
}

void TrainingEventBridge::onMetrics(int64_t runId, const std::vector<MetricSample>& rows) {
  // The rows are in SQLite already; the UI reads them from there (one path for its own runs
  // and for runs another process trains). This only says "look now".
  Q_EMIT metricsWritten(runId, static_cast<int>(rows.size()));
}

void TrainingEventBridge::onEpoch(const EpochSummary& summary) { Q_EMIT epochFinished(summary); }

void TrainingEventBridge::onMessage(const std::string& text) {
  Q_EMIT message(QString::fromStdString(text));
}

}  // namespace sn
