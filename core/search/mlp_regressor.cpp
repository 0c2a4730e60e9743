#include "core/search/mlp_regressor.h"

#include <ATen/CPUGeneratorImpl.h>
#include <cmath>
#include <numeric>
#include <torch/torch.h>

namespace sn {

struct MlpRegressor::Weights {
  std::vector<torch::Tensor> w, b;  // per layer, the last one to a single output
  double mean = 0, scale = 1;       // of the targets

  torch::Tensor forward(const torch::Tensor& x) const {
    torch::Tensor h = x;
    for (size_t i = 0; i < w.size(); ++i) {
      h = torch::addmm(b[i], h, w[i]);
      if (i + 1 < w.size()) h = torch::relu(h);
    }
    return h.squeeze(1);
  }
};

namespace {

torch::Tensor toTensor(const FeatureRows& rows) {
  const int64_t n = static_cast<int64_t>(rows.size());
  const int64_t d = n ? static_cast<int64_t>(rows[0].size()) : 0;
  torch::Tensor x = torch::empty({n, d}, torch::kFloat);
  auto a = x.accessor<float, 2>();
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = 0; j < d; ++j) a[i][j] = static_cast<float>(rows[i][j]);
  }
  return x;
}

// He initialisation from our own generator: the global one belongs to training.
torch::Tensor initialWeight(int64_t in, int64_t out, at::Generator& gen) {
  return (at::randn({in, out}, gen, torch::kFloat) * std::sqrt(2.0 / static_cast<double>(in)))
      .requires_grad_();
}

}  // namespace

MlpRegressor::MlpRegressor(std::unique_ptr<Weights> w) : w_(std::move(w)) {}
MlpRegressor::~MlpRegressor() = default;

std::unique_ptr<MlpRegressor> MlpRegressor::fit(const FeatureRows& rows,
                                                const std::vector<double>& targets,
                                                const Options& o) {
  auto w = std::make_unique<Weights>();
  const double n = static_cast<double>(targets.size());
  w->mean = std::accumulate(targets.begin(), targets.end(), 0.0) / n;
  double var = 0;
  for (double t : targets) var += (t - w->mean) * (t - w->mean) / n;
  // Accuracies differ by fractions of a percent: standardised, Adam's step means the same
  // on every run.
  w->scale = var > 0 ? std::sqrt(var) : 1.0;
  at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(o.seed);
  int64_t in = rows.empty() ? 0 : static_cast<int64_t>(rows[0].size());
  std::vector<torch::Tensor> params;
  for (int l = 0; l <= o.layers; ++l) {
    const int64_t out = l < o.layers ? o.hidden : 1;
    w->w.push_back(initialWeight(in, out, gen));
    w->b.push_back(torch::zeros({out}, torch::kFloat).requires_grad_());
    params.push_back(w->w.back());
    params.push_back(w->b.back());
    in = out;
  }
  const torch::Tensor x = toTensor(rows);
  std::vector<float> standardised;
  for (double t : targets) standardised.push_back(static_cast<float>((t - w->mean) / w->scale));
  const torch::Tensor y = torch::tensor(standardised);
  torch::optim::Adam adam(params, torch::optim::AdamOptions(o.lr).weight_decay(o.weightDecay));
  for (int step = 0; step < o.steps; ++step) {
    adam.zero_grad();
    torch::mse_loss(w->forward(x), y).backward();
    adam.step();
  }
  for (torch::Tensor& t : w->w) t = t.detach();
  for (torch::Tensor& t : w->b) t = t.detach();
  return std::unique_ptr<MlpRegressor>(new MlpRegressor(std::move(w)));
}

double MlpRegressor::predict(const std::vector<double>& row) const {
  torch::NoGradGuard noGrad;
  const torch::Tensor out = w_->forward(toTensor({row}));
  return w_->mean + w_->scale * out.item<double>();
}

}  // namespace sn
