#pragma once
#include <QMetaType>
#include <QObject>

#include <atomic>
#include <mutex>

#include "core/space/choice_frequencies.h"
#include "core/space/search_space.h"
#include "core/train/training_sink.h"

Q_DECLARE_METATYPE(sn::TrainingProgress)
Q_DECLARE_METATYPE(sn::EpochSummary)
Q_DECLARE_METATYPE(sn::ChoiceFrequencies)

namespace sn {

// The one place that knows both core's TrainingSink and Qt: core calls it on the training
// thread, it re-emits on the UI thread (queued). Progress arrives every step but is
// coalesced: at most one progress event waits in the UI queue, carrying the newest values,
// so a fast run can never flood the event loop. Sampled archs are counted here, on the
// training thread, so none is missed by the coalescing.
class TrainingEventBridge : public QObject, public TrainingSink {
  Q_OBJECT
 public:
  explicit TrainingEventBridge(const SearchSpace& space, QObject* parent = nullptr);

  void onProgress(const TrainingProgress& progress) override;
  void onMetrics(int64_t runId, const std::vector<MetricSample>& rows) override;
  void onEpoch(const EpochSummary& summary) override;
  void onMessage(const std::string& text) override;

 Q_SIGNALS:
  void progress(const sn::TrainingProgress& progress, const sn::ChoiceFrequencies& sampled);
  void metricsWritten(qint64 runId, int rows);
  void epochFinished(const sn::EpochSummary& summary);
  void message(const QString& text);

 private:
  void deliverProgress();

  SearchSpace space_;
  std::mutex mutex_;  // guards latest_ and sampled_
  TrainingProgress latest_;
  ChoiceFrequencies sampled_;
  std::atomic<bool> progressQueued_{false};
};

}  // namespace sn
