#pragma once
#include <stdexcept>

namespace sn {

// Thrown by long work (evaluation, recalibration) when the user asked it to stop. Not an
// error: the caller keeps what is already stored and ends cleanly.
class Cancelled : public std::runtime_error {
 public:
  Cancelled() : std::runtime_error("cancelled") {}
};

}  // namespace sn
