#include "stall_probe.h"

#include <algorithm>

namespace sn {
namespace {
constexpr int kIntervalMs = 5;
}

StallProbe::StallProbe(QObject* parent) : QObject(parent) {
  timer_.setInterval(kIntervalMs);
  timer_.setTimerType(Qt::PreciseTimer);
  connect(&timer_, &QTimer::timeout, this, &StallProbe::tick);
}

void StallProbe::start() {
  longest_ = 0;
  ticks_ = 0;
  clock_.start();
  last_ = clock_.nsecsElapsed();
  timer_.start();
}

void StallProbe::stop() { timer_.stop(); }

void StallProbe::tick() {
  const qint64 now = clock_.nsecsElapsed();
  const double gapMs = static_cast<double>(now - last_) / 1e6 - kIntervalMs;
  longest_ = std::max(longest_, gapMs);
  last_ = now;
  ++ticks_;
}

}  // namespace sn
