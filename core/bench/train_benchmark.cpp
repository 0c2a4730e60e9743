#include "core/bench/train_benchmark.h"

#include <torch/torch.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "core/data/synthetic_dataset.h"
#include "core/train/device.h"
#include "core/train/trainer.h"
#include "kernels/kernel_dispatch.h"

namespace sn {

nlohmann::json runTrainBenchmark(const TrainBenchmarkOptions& o) {
  const c10::Device device = parseDevice(o.device);
  const int threads = useThreads(o.threads);
  TrainRecipe recipe;
  recipe.batchSize = o.batch;
  recipe.subnetsPerStep = 2;
  recipe.precision = o.precision;
  recipe.channelsLast = o.channelsLast;
  const int64_t samples = int64_t{o.batch} * 4;
  const Dataset data = makeSyntheticDataset(
      {samples, o.shape.channels, o.shape.resolution, o.shape.classes, 7});
  const auto [mean, stddev] = BatchLoader::channelStatistics(data);
  const BatchLoader loader(data.to(device), mean, stddev);
  Supernet net(o.space, o.shape);
  net->to(device);
  const int total = o.warmupSteps + o.steps;
  Trainer trainer(net, recipe, loader, (total + 3) / 4 + 1);

  for (int i = 0; i < o.warmupSteps; ++i) trainer.step().values.to(torch::kCPU);
  if (device.is_cuda()) torch::cuda::synchronize();
  const auto start = std::chrono::steady_clock::now();
  int64_t images = 0;
  at::Tensor last;
  for (int i = 0; i < o.steps; ++i) {
    StepReport r = trainer.step();
    images += r.images;
    last = r.values;
  }
  last.to(torch::kCPU);  // waits for the device
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return {{"space", o.space.name},
          {"resolution", o.shape.resolution},
          {"channels", o.shape.channels},
          {"classes", o.shape.classes},
          {"batch", o.batch},
          {"steps", o.steps},
          {"subnets_per_step", 4},
          {"threads", threads},
          {"device", deviceDescription(device)},
          {"precision", o.precision},
          {"channels_last", o.channelsLast},
          {"fused_kernels", device.is_cuda() && kernels::cudaKernelsBuilt()},
          {"seconds", seconds},
          {"steps_per_s", o.steps / seconds},
          {"images_per_s", static_cast<double>(o.batch) * o.steps / seconds},
          {"subnet_images_per_s", static_cast<double>(images) / seconds}};
}

}  // namespace sn
