#pragma once
#include <string>

#include "core/project/init_from.h"

namespace sn {

class SupernetImpl;

// What a transfer did, for the run's log and the closing message.
struct TransferOutcome {
  int copied = 0;  // tensors taken as they are
  std::string stem;  // "kept", "RGB filters summed to grey", "grey filters repeated / 3"
  std::string head;  // "kept" or "reset (K classes)"
  std::string text() const;
};

// Copies the source checkpoint's weights into `target` (same space): every parameter and
// buffer whose name and shape match. The stem's filters are adapted when the input channels
// differ: 3 -> 1 sums the RGB filters (a grey image then gives the response its RGB copy
// gave), 1 -> 3 repeats the grey filter divided by 3 (an RGB copy of a grey image gives the
// grey response). The classifier stays as initialised with head "reset", and must match with
// "keep". BN running statistics are copied but not trusted: every evaluation recalibrates
// them on the new data first. InputError naming the file when it is missing, changed since
// the run was made (SHA-256), of another space, or cannot be adapted.
TransferOutcome transferWeights(SupernetImpl& target, const InitFrom& from);

}  // namespace sn
