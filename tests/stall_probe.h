#pragma once
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace sn {

// Measures how long the UI event loop goes without running a timer: a 5 ms timer records
// the longest gap between its ticks beyond the interval. A stall is any moment the UI could
// not have repainted or answered input.
class StallProbe : public QObject {
  Q_OBJECT
 public:
  explicit StallProbe(QObject* parent = nullptr);

  void start();
  void stop();
  // The longest gap seen, less the timer interval (ms).
  double longestStallMs() const { return longest_; }
  qint64 ticks() const { return ticks_; }

 private:
  void tick();

  QTimer timer_;
  QElapsedTimer clock_;
  qint64 last_ = 0;
  double longest_ = 0;
  qint64 ticks_ = 0;
};

}  // namespace sn
