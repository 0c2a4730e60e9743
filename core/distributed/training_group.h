#pragma once
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>

namespace sn {

// The ranks of a data-parallel run, as training sees them: collectives over tensors plus a
// few small values shared through the rendezvous store. Every rank calls the collectives in
// the same order; each returns with the same bytes on every rank. core/ trains against this
// interface only, so it needs no c10d header (C10dTrainingGroup is the real one).
class TrainingGroup {
 public:
  virtual ~TrainingGroup() = default;

  virtual int rank() const = 0;
  virtual int worldSize() const = 0;
  bool primary() const { return rank() == 0; }
  // "gloo" or "nccl".
  virtual std::string backend() const = 0;

  // Sums `tensor` over every rank, in place.
  virtual void allReduceSum(at::Tensor& tensor) = 0;
  // Rank `root`'s `tensor` into every rank's, in place.
  virtual void broadcast(at::Tensor& tensor, int root) = 0;
  // Records that this rank began step `step`, so a failure can name the rank left behind.
  virtual void beginStep(int64_t step) = 0;

  // Rank 0 tells the others what it decided (the run id, the checkpoint to resume from).
  virtual void publish(const std::string& key, const std::string& value) = 0;
  // Waits for a published value, up to the group's timeout.
  virtual std::string awaitValue(const std::string& key) = 0;
};

}  // namespace sn
