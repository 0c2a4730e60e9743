#pragma once
#include <string>

#include "core/pytorch_io/torch_checkpoint.h"
#include "core/space/search_space.h"

namespace sn {

class SupernetImpl;

// The OFA-MobileNetV3 space (d234 e346 k357) a Once-for-All state_dict was trained in: its
// width multiplier (1.0 or 1.2, read from first_conv's channels), kernel transform (matrix
// when the file has 7to5_matrix, else slice) and the network shape (input channels, classes;
// `resolution` is the caller's). InputError naming the file when it is not an OFAMobileNetV3.
struct OfaLayout {
  SearchSpace space;
  NetShape shape;
};
OfaLayout ofaLayoutOf(const TorchStateDict& state, const std::string& file, int resolution);

// Copies every parameter and buffer of `net` from OFA's names, as load_state_dict(strict)
// would: InputError naming the file and the key for a missing key, a wrong shape or a key
// the network does not have (num_batches_tracked excepted). `net` changes only when all fit.
void loadOfaStateDict(SupernetImpl& net, const TorchStateDict& state, const std::string& file);

// `net` under OFA's names, as OFAMobileNetV3.load_state_dict takes it: pruning masks
// multiplied into the weights, identity matrices for a "slice" space (the same kernels),
// num_batches_tracked as 0. InputError when `net`'s space is not OFA-MobileNetV3's layout.
TorchStateDict ofaStateDictOf(SupernetImpl& net);

// True when `space` has OFA-MobileNetV3's layout (any width multiplier and transform).
bool isOfaMobileNetV3(const SearchSpace& space);

}  // namespace sn
