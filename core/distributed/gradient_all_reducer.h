#pragma once
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace sn {

class TrainingGroup;

struct AllReduceStats {
  double milliseconds = 0;  // wall time of the step's collectives, copies included
  int64_t bytes = 0;        // payload each rank contributed
  int buckets = 0;
};

// Averages gradients over the ranks once per sandwich step, after the last backward: the
// defined gradients, in parameter order, are flattened into buckets of about `bucketBytes`
// and each bucket is one collective (not one per parameter: a collective costs a round trip
// whatever its size). `control` (small float values: losses, the stop vote) rides in the last
// bucket and comes back summed, not averaged, so it costs no collective of its own.
class GradientAllReducer {
 public:
  GradientAllReducer(TrainingGroup& group, int64_t bucketBytes);

  AllReduceStats reduce(const std::vector<at::Tensor>& parameters, at::Tensor& control);

 private:
  void reduceBucket(const std::vector<at::Tensor>& grads, at::Tensor* control,
                    AllReduceStats& stats);

  TrainingGroup& group_;
  int64_t bucketBytes_;
};

}  // namespace sn
