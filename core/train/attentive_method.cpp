#include "core/train/attentive_method.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/train/sandwich_method.h"
#include "core/util/input_error.h"

namespace sn {

AttentiveMethod::AttentiveMethod(SearchSpace space, NetShape shape, AttentiveSpec spec, int subnets, uint64_t seed)
    : TrainingMethod(std::move(space)),
      shape_(shape),
      spec_(std::move(spec)),
      subnets_(subnets),
      bands_(space_, shape_, spec_.bands, seed) {}

std::vector<double> AttentiveMethod::scoresOf(const std::vector<Arch>& candidates, const StepContext& c) const {
  std::vector<double> scores;
  if (predictor_) {
    for (const Arch& a : candidates) scores.push_back(predictor_->predict(a));
    return scores;
  }
  for (double loss : c.lossOf(candidates)) scores.push_back(-loss);
  return scores;
}

std::vector<PlannedPass> AttentiveMethod::plan(const StepContext& context) {
  std::vector<PlannedPass> passes = SandwichMethod::ends(space_);
  lastDraws_.clear();
  std::uniform_int_distribution<int> band(0, bands_.count() - 1);
  for (int i = 0; i < subnets_; ++i) {
    Draw d;
    const int b = band(*context.rng);
    for (int k = 0; k < spec_.candidates; ++k) d.candidates.push_back(bands_.sampleIn(b, *context.rng));
    d.scores = scoresOf(d.candidates, context);
    const auto it = spec_.pick == "best" ? std::max_element(d.scores.begin(), d.scores.end())
                                         : std::min_element(d.scores.begin(), d.scores.end());
    d.picked = static_cast<size_t>(it - d.scores.begin());
    passes.push_back({d.candidates[d.picked], PassRole::Sampled, PassKind::Distill, 1.0});
    lastDraws_.push_back(std::move(d));
  }
  return passes;
}

void AttentiveMethod::observe(const std::vector<Arch>& archs, const std::vector<double>& accuracy) {
  for (size_t i = 0; i < archs.size() && i < accuracy.size(); ++i) observed_[archs[i].toText()] = accuracy[i];
  refit();
}

void AttentiveMethod::refit() {
  predictor_.reset();
  if (spec_.criterion != "predictor" || static_cast<int>(observed_.size()) < AccuracyPredictor::kMinSamples) return;
  std::vector<Arch> archs;
  std::vector<double> accuracy;
  for (const auto& [text, acc] : observed_) {
    archs.push_back(Arch::parse(text, space_));
    accuracy.push_back(acc);
  }
  predictor_ = std::make_unique<AccuracyPredictor>(AccuracyPredictor::fit(space_, shape_, archs, accuracy));
}

std::vector<std::pair<std::string, double>> AttentiveMethod::metricValues(int64_t) const {
  std::vector<std::pair<std::string, double>> values = {
      {"sampling/criterion_predictor", predictor_ ? 1.0 : 0.0},
      {"sampling/predictor_subnets", static_cast<double>(observed_.size())}};
  if (predictor_) values.emplace_back("sampling/predictor_cv_tau", predictor_->chosen().cvTau.tau);
  return values;
}

std::string AttentiveMethod::state() const {
  nlohmann::json observed = nlohmann::json::array();
  for (const auto& [text, acc] : observed_) observed.push_back({text, acc});
  return nlohmann::json{{"method", "attentive"}, {"observed", observed}}.dump();
}

void AttentiveMethod::restore(const std::string& state, const std::string& origin) {
  observed_.clear();
  if (!state.empty()) {
    const nlohmann::json j = nlohmann::json::parse(state, nullptr, false);
    if (j.is_discarded() || j.value("method", "") != "attentive" || !j.contains("observed")) {
      throw InputError(origin + ": the checkpoint holds another training method's state");
    }
    for (const auto& o : j["observed"]) observed_[o.at(0).get<std::string>()] = o.at(1).get<double>();
  }
  refit();
}

}  // namespace sn
