#include "app/cli/console_sink.h"

#include <unistd.h>

#include <string>

namespace sn::cli {

std::string formatDuration(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%02ld:%02ld", s / 60, s % 60);
  }
  return buf;
}

ConsoleSink::ConsoleSink(std::FILE* out) : out_(out), tty_(::isatty(::fileno(out)) != 0) {}

ConsoleSink::~ConsoleSink() { clearLine(); }

void ConsoleSink::clearLine() {
  if (lineOpen_) {
    std::fprintf(out_, "\r\033[K");
    lineOpen_ = false;
  }
}

void ConsoleSink::onProgress(const TrainingProgress& p) {
  const auto now = std::chrono::steady_clock::now();
  const auto interval = tty_ ? std::chrono::milliseconds(200) : std::chrono::milliseconds(10000);
  if (now - lastPrint_ < interval && p.step != p.totalSteps) return;
  lastPrint_ = now;
  const double fraction = p.totalSteps ? static_cast<double>(p.step) / p.totalSteps : 0;
  if (tty_) {
    const int width = 24, filled = static_cast<int>(fraction * width);
    std::fprintf(out_, "\r\033[Kepoch %.2f/%lld [%s%s] step %lld/%lld  %.0f img/s  ETA %s", p.epoch,
                 static_cast<long long>(p.epochs), std::string(filled, '#').c_str(),
                 std::string(width - filled, '.').c_str(), static_cast<long long>(p.step),
                 static_cast<long long>(p.totalSteps), p.imagesPerSecond,
                 formatDuration(p.etaSeconds).c_str());
    lineOpen_ = true;
  } else {
    std::fprintf(out_, "step %lld/%lld  epoch %.2f  %.0f img/s  lr %.4g  ETA %s\n",
                 static_cast<long long>(p.step), static_cast<long long>(p.totalSteps), p.epoch,
                 p.imagesPerSecond, p.lr, formatDuration(p.etaSeconds).c_str());
  }
  std::fflush(out_);
}

void ConsoleSink::onEpoch(const EpochSummary& e) {
  clearLine();
  std::fprintf(out_, "epoch %lld: test accuracy largest %.2f%%  smallest %.2f%%  (%s)\n",
               static_cast<long long>(e.epoch), 100 * e.largestAccuracy, 100 * e.smallestAccuracy,
               formatDuration(e.seconds).c_str());
  std::fflush(out_);
}

void ConsoleSink::onMessage(const std::string& text) {
  clearLine();
  std::fprintf(out_, "%s\n", text.c_str());
  std::fflush(out_);
}

}  // namespace sn::cli
