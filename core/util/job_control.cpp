#include "core/util/job_control.h"

#include "core/util/cancelled.h"

namespace sn {

void JobControl::throwIfCancelled() const {
  if (cancelled()) throw Cancelled();
}

void JobControl::report(const std::string& stage, int64_t done, int64_t total) const {
  if (listener_) listener_({stage, done, total});
}

void JobControl::tick(const std::string& stage, int64_t done, int64_t total) const {
  throwIfCancelled();
  report(stage, done, total);
}

JobControl JobControl::asStage(const std::string& stage) const {
  if (!listener_) return JobControl(cancel_, nullptr);
  return JobControl(cancel_, [listener = listener_, stage](const JobProgress& p) {
    listener({stage, p.done, p.total});
  });
}

}  // namespace sn
