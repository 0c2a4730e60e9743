#pragma once
// What the GUI benchmarks share: elapsed time, resident memory, and waiting in a real event
// loop.
#include <QEventLoop>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <fstream>
#include <string>

namespace sn::bench {

using Clock = std::chrono::steady_clock;

inline double msSince(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// This process's resident memory (VmRSS) in MB.
inline double rssMb() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "VmRSS:") {
      double kb = 0;
      status >> kb;
      return kb / 1024;
    }
    status.ignore(1 << 12, '\n');
  }
  return 0;
}

// Runs the event loop until `done` or 10 minutes pass; `each` every 2 ms. A real event loop
// that sleeps between events, as the app's does: a processEvents spin would take a whole core
// from the loaders' threads.
template <typename F, typename G>
void waitFor(F done, G each) {
  if (done()) return;
  const auto start = Clock::now();
  QEventLoop loop;
  QTimer poll;
  QObject::connect(&poll, &QTimer::timeout, [&] {
    each();
    if (done() || msSince(start) > 600000) loop.quit();
  });
  poll.start(2);
  loop.exec();
}

template <typename F>
void waitFor(F done) {
  waitFor(done, [] {});
}

}  // namespace sn::bench
