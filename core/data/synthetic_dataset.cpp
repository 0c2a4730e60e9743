#include "core/data/synthetic_dataset.h"

#include <torch/torch.h>

namespace sn {

Dataset makeSyntheticDataset(const SyntheticSpec& spec) {
  auto gen = at::detail::createCPUGenerator(spec.seed);
  const auto opts = torch::TensorOptions().dtype(torch::kFloat32);
  at::Tensor patterns =
      at::rand({spec.classes, spec.channels, spec.resolution, spec.resolution}, gen, opts);
  at::Tensor labels = at::randint(spec.classes, {spec.samples}, gen, torch::kInt64);
  at::Tensor noise =
      at::randn({spec.samples, spec.channels, spec.resolution, spec.resolution}, gen, opts);
  at::Tensor images = (patterns.index_select(0, labels) * 200.0 + noise * 30.0 + 20.0)
                          .clamp(0, 255)
                          .to(torch::kUInt8);
  Dataset ds;
  ds.name = "synthetic";
  ds.images = images;
  ds.labels = labels;
  ds.classes = spec.classes;
  for (int c = 0; c < spec.classes; ++c) ds.classNames.push_back("class " + std::to_string(c));
  return ds;
}

}  // namespace sn
