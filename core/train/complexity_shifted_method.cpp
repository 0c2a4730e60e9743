#include "core/train/complexity_shifted_method.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/train/sandwich_method.h"
#include "core/util/input_error.h"

namespace sn {

ComplexityShiftedMethod::ComplexityShiftedMethod(SearchSpace space, NetShape shape, ComplexityShiftedSpec spec,
                                                 int randomSubnets, uint64_t seed)
    : TrainingMethod(std::move(space)),
      spec_(spec),
      randomSubnets_(randomSubnets),
      bins_(space_, shape, spec.bins, seed),
      probabilities_(static_cast<size_t>(bins_.count()), 1.0 / bins_.count()),
      average_(static_cast<size_t>(bins_.count())),
      pendingCounts_(static_cast<size_t>(bins_.count()), 0) {}

std::vector<PlannedPass> ComplexityShiftedMethod::plan(const StepContext& context) {
  std::vector<PlannedPass> passes = SandwichMethod::ends(space_);
  std::discrete_distribution<int> bin(probabilities_.begin(), probabilities_.end());
  lastBins_.clear();
  for (int i = 0; i < randomSubnets_; ++i) {
    const int b = bin(*context.rng);
    lastBins_.push_back(b);
    passes.push_back({bins_.sampleIn(b, *context.rng), PassRole::Sampled, PassKind::Distill, 1.0});
  }
  return passes;
}

void ComplexityShiftedMethod::afterStep(int64_t step, const std::vector<PlannedPass>& passes,
                                        const std::vector<at::Tensor>& losses) {
  if (!pendingSums_.defined()) {
    const auto options = torch::TensorOptions().dtype(torch::kFloat32).device(losses.at(0).device());
    pendingSums_ = restoredSums_.empty() ? torch::zeros({bins_.count()}, options)
                                         : torch::tensor(restoredSums_, torch::kFloat64).to(options);
    restoredSums_.clear();
  }
  size_t k = 0;
  for (size_t i = 0; i < passes.size(); ++i) {
    if (passes[i].role != PassRole::Sampled || k >= lastBins_.size()) continue;
    const int b = lastBins_[k++];
    pendingSums_[b].add_(losses[i].to(torch::kFloat32));
    ++pendingCounts_[static_cast<size_t>(b)];
  }
  if ((step + 1) % spec_.updateEvery == 0) update();
}

void ComplexityShiftedMethod::update() {
  const at::Tensor sums = pendingSums_.to(torch::kCPU).to(torch::kFloat64).contiguous();
  const double* s = sums.data_ptr<double>();
  const size_t n = probabilities_.size();
  for (size_t b = 0; b < n; ++b) {
    if (pendingCounts_[b] == 0) continue;
    const double mean = s[b] / static_cast<double>(pendingCounts_[b]);
    average_[b] = average_[b] ? spec_.decay * *average_[b] + (1 - spec_.decay) * mean : mean;
  }
  double highest = -INFINITY;
  for (const auto& a : average_) {
    if (a) highest = std::max(highest, *a);
  }
  if (std::isfinite(highest)) {
    std::vector<double> weight(n);
    double total = 0;
    for (size_t b = 0; b < n; ++b) {
      weight[b] = std::exp((average_[b].value_or(highest) - highest) / spec_.temperature);
      total += weight[b];
    }
    for (size_t b = 0; b < n; ++b) {
      probabilities_[b] = spec_.floor / static_cast<double>(n) + (1 - spec_.floor) * weight[b] / total;
    }
  }
  pendingSums_.zero_();
  std::fill(pendingCounts_.begin(), pendingCounts_.end(), 0);
}

std::vector<std::pair<std::string, double>> ComplexityShiftedMethod::metricValues(int64_t) const {
  std::vector<std::pair<std::string, double>> values;
  for (size_t b = 0; b < probabilities_.size(); ++b) {
    values.emplace_back("sampling/bin_probability/" + std::to_string(b), probabilities_[b]);
    if (average_[b]) values.emplace_back("sampling/bin_loss/" + std::to_string(b), *average_[b]);
  }
  return values;
}

std::string ComplexityShiftedMethod::state() const {
  nlohmann::json average = nlohmann::json::array();
  for (const auto& a : average_) average.push_back(a ? nlohmann::json(*a) : nlohmann::json());
  std::vector<double> sums = restoredSums_;
  if (sums.empty()) sums.assign(probabilities_.size(), 0.0);
  if (pendingSums_.defined()) {
    const at::Tensor host = pendingSums_.to(torch::kCPU).to(torch::kFloat64).contiguous();
    sums.assign(host.data_ptr<double>(), host.data_ptr<double>() + host.numel());
  }
  return nlohmann::json{{"method", "complexity-shifted"}, {"probabilities", probabilities_},
                        {"average", average},           {"pending_sums", sums},
                        {"pending_counts", pendingCounts_}}
      .dump();
}

void ComplexityShiftedMethod::restore(const std::string& state, const std::string& origin) {
  if (state.empty()) return;  // a checkpoint from before methods: nothing learnt yet
  const nlohmann::json j = nlohmann::json::parse(state, nullptr, false);
  const size_t n = probabilities_.size();
  const auto sized = [&](const char* key) { return j.contains(key) && j[key].is_array() && j[key].size() == n; };
  if (j.is_discarded() || j.value("method", "") != "complexity-shifted" || !sized("probabilities") ||
      !sized("average") || !sized("pending_sums") || !sized("pending_counts")) {
    throw InputError(origin + ": the checkpoint holds another training method's state (or other bins)");
  }
  probabilities_ = j["probabilities"].get<std::vector<double>>();
  for (size_t b = 0; b < n; ++b) {
    average_[b] = j["average"][b].is_null() ? std::nullopt : std::optional<double>(j["average"][b].get<double>());
  }
  restoredSums_ = j["pending_sums"].get<std::vector<double>>();
  pendingCounts_ = j["pending_counts"].get<std::vector<int64_t>>();
  pendingSums_ = at::Tensor();
}

}  // namespace sn
