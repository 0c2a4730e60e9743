#pragma once
#include <c10/core/Device.h>

#include <chrono>
#include <memory>
#include <string>

#include "core/distributed/launch_env.h"
#include "core/distributed/training_group.h"

namespace sn {

// A TrainingGroup on PyTorch's own distributed engine: a c10d TCPStore for the rendezvous
// (hosted by rank 0 at MASTER_ADDR:MASTER_PORT) and a ProcessGroupGloo on the CPU, or a
// ProcessGroupNCCL on CUDA where the LibTorch has one. Every collective waits at most
// `timeout`; when one fails (a rank died, hung or left), the error says which rank, found
// from the store: each rank beats every half second on a thread of its own and records the
// step it began.
class C10dTrainingGroup : public TrainingGroup {
 public:
  // Blocks until every rank has joined (or `timeout`, then throws naming the address).
  C10dTrainingGroup(const LaunchEnv& env, const c10::Device& device,
                    std::chrono::milliseconds timeout);
  ~C10dTrainingGroup() override;

  int rank() const override;
  int worldSize() const override;
  std::string backend() const override;
  void allReduceSum(at::Tensor& tensor) override;
  void broadcast(at::Tensor& tensor, int root) override;
  void beginStep(int64_t step) override;
  void publish(const std::string& key, const std::string& value) override;
  std::string awaitValue(const std::string& key) override;

 private:
  struct Impl;
  // Rethrows a failed collective as std::runtime_error naming the rank at fault.
  [[noreturn]] void failed(const std::string& what, const std::exception& cause);
  std::string diagnose();

  std::unique_ptr<Impl> impl_;
};

}  // namespace sn
