#include "core/train/method_spec.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/util/input_error.h"
#include "core/util/json_ints.h"

namespace sn {

using nlohmann::json;

namespace {

// Fails with "ORIGIN: recipe SECTION.FIELD must ..." when `ok` is false.
struct Checker {
  const std::string& origin;
  std::string section;
  void operator()(bool ok, const std::string& what) const {
    if (!ok) throw InputError(origin + ": recipe " + section + "." + what);
  }
};

double number(const json& j, const char* key, double fallback, const Checker& check) {
  if (!j.contains(key)) return fallback;
  check(j[key].is_number(), std::string(key) + " must be a number, not " + j[key].dump());
  return j[key].get<double>();
}

std::string text(const json& j, const char* key, const std::string& fallback, const Checker& check) {
  if (!j.contains(key)) return fallback;
  check(j[key].is_string(), std::string(key) + " must be a string, not " + j[key].dump());
  return j[key].get<std::string>();
}

UniformSpec readUniform(const json& j, const Checker& check) {
  UniformSpec s;
  s.subnets = jsonWhole(j, "subnets", s.subnets, check.origin + ": uniform");
  check(s.subnets >= 1, "subnets must be at least 1");
  return s;
}

ProgressiveShrinkingSpec readProgressive(const json& j, const Checker& check) {
  ProgressiveShrinkingSpec s;
  const std::string where = check.origin + ": progressive_shrinking";
  s.largestEpochs = jsonWhole(j, "largest_epochs", s.largestEpochs, where);
  s.kernelEpochs = jsonWhole(j, "kernel_epochs", s.kernelEpochs, where);
  s.depthEpochs = jsonWhole(j, "depth_epochs", s.depthEpochs, where);
  s.expandEpochs = jsonWhole(j, "expand_epochs", s.expandEpochs, where);
  s.subnetsPerStep = jsonWhole(j, "subnets_per_step", s.subnetsPerStep, where);
  s.elasticLrFactor = number(j, "elastic_lr_factor", s.elasticLrFactor, check);
  const std::vector<int> epochs = {s.largestEpochs, s.kernelEpochs, s.depthEpochs, s.expandEpochs};
  const bool allDefault = std::all_of(epochs.begin(), epochs.end(), [](int e) { return e == -1; });
  const bool allSet = std::all_of(epochs.begin(), epochs.end(), [](int e) { return e >= 0; });
  check(allDefault || allSet,
        "largest_epochs, kernel_epochs, depth_epochs and expand_epochs are given all four "
        "(0 or more each) or none (the run's epochs split evenly)");
  check(allDefault || epochs[0] + epochs[1] + epochs[2] + epochs[3] >= 1, "phase epochs must add up to at least 1");
  check(s.subnetsPerStep >= 1, "subnets_per_step must be at least 1");
  check(s.elasticLrFactor > 0 && s.elasticLrFactor <= 1, "elastic_lr_factor must be in (0, 1]");
  return s;
}

AttentiveSpec readAttentive(const json& j, const Checker& check) {
  AttentiveSpec s;
  const std::string where = check.origin + ": attentive";
  s.candidates = jsonWhole(j, "candidates", s.candidates, where);
  s.pick = text(j, "pick", s.pick, check);
  s.criterion = text(j, "criterion", s.criterion, check);
  s.bands = jsonWhole(j, "bands", s.bands, where);
  check(s.candidates >= 2 && s.candidates <= 16, "candidates must be 2 to 16");
  check(s.pick == "best" || s.pick == "worst", "pick must be best or worst, not '" + s.pick + "'");
  check(s.criterion == "loss" || s.criterion == "predictor",
        "criterion must be loss or predictor, not '" + s.criterion + "'");
  check(s.bands >= 1 && s.bands <= 50, "bands must be 1 to 50");
  return s;
}

DelayedShrinkingSpec readDelayed(const json& j, const Checker& check) {
  DelayedShrinkingSpec s;
  s.switchFraction = number(j, "switch_fraction", s.switchFraction, check);
  s.rampFraction = number(j, "ramp_fraction", s.rampFraction, check);
  check(s.switchFraction >= 0 && s.switchFraction < 1, "switch_fraction must be in [0, 1)");
  check(s.rampFraction >= 0 && s.switchFraction + s.rampFraction <= 1,
        "ramp_fraction must be at least 0 and switch_fraction + ramp_fraction at most 1");
  return s;
}

ComplexityShiftedSpec readShifted(const json& j, const Checker& check) {
  ComplexityShiftedSpec s;
  const std::string where = check.origin + ": complexity_shifted";
  s.bins = jsonWhole(j, "bins", s.bins, where);
  s.temperature = number(j, "temperature", s.temperature, check);
  s.floor = number(j, "floor", s.floor, check);
  s.updateEvery = jsonWhole(j, "update_every", s.updateEvery, where);
  s.decay = number(j, "decay", s.decay, check);
  check(s.bins >= 2 && s.bins <= 50, "bins must be 2 to 50");
  check(s.temperature > 0, "temperature must be positive");
  check(s.floor >= 0 && s.floor <= 1, "floor must be in [0, 1]");
  check(s.updateEvery >= 1, "update_every must be at least 1");
  check(s.decay >= 0 && s.decay < 1, "decay must be in [0, 1)");
  return s;
}

}  // namespace

const std::vector<std::string>& MethodSpec::names() {
  static const std::vector<std::string> n = {"sandwich",  "uniform",           "progressive-shrinking",
                                             "attentive", "delayed-shrinking", "complexity-shifted"};
  return n;
}

std::string MethodSpec::sectionKey() const {
  if (name == "sandwich") return "";
  std::string key = name;
  std::replace(key.begin(), key.end(), '-', '_');
  return key;
}

void MethodSpec::writeTo(json& recipe) const {
  if (name == "sandwich") return;
  recipe["method"] = name;
  json section;
  if (name == "uniform") {
    section = {{"subnets", uniform.subnets}};
  } else if (name == "progressive-shrinking") {
    const ProgressiveShrinkingSpec& p = progressiveShrinking;
    section = {{"subnets_per_step", p.subnetsPerStep}, {"elastic_lr_factor", p.elasticLrFactor}};
    if (p.largestEpochs >= 0) {
      section["largest_epochs"] = p.largestEpochs;
      section["kernel_epochs"] = p.kernelEpochs;
      section["depth_epochs"] = p.depthEpochs;
      section["expand_epochs"] = p.expandEpochs;
    }
  } else if (name == "attentive") {
    section = {{"candidates", attentive.candidates}, {"pick", attentive.pick},
               {"criterion", attentive.criterion}, {"bands", attentive.bands}};
  } else if (name == "delayed-shrinking") {
    section = {{"switch_fraction", delayedShrinking.switchFraction},
               {"ramp_fraction", delayedShrinking.rampFraction}};
  } else {
    const ComplexityShiftedSpec& c = complexityShifted;
    section = {{"bins", c.bins}, {"temperature", c.temperature}, {"floor", c.floor},
               {"update_every", c.updateEvery}, {"decay", c.decay}};
  }
  recipe[sectionKey()] = section;
}

MethodSpec MethodSpec::readFrom(const json& recipe, const std::string& origin) {
  MethodSpec m;
  if (!recipe.contains("method")) return m;
  if (!recipe["method"].is_string()) {
    throw InputError(origin + ": recipe method must be a string, not " + recipe["method"].dump());
  }
  m.name = recipe["method"].get<std::string>();
  if (std::find(names().begin(), names().end(), m.name) == names().end()) {
    std::string known;
    for (const std::string& n : names()) known += (known.empty() ? "" : ", ") + n;
    throw InputError(origin + ": recipe method '" + m.name + "' is not one of " + known);
  }
  const std::string key = m.sectionKey();
  if (key.empty()) return m;
  const json section = recipe.contains(key) ? recipe[key] : json::object();
  if (!section.is_object()) throw InputError(origin + ": recipe " + key + " must be an object, not " + section.dump());
  const Checker check{origin, key};
  if (m.name == "uniform") m.uniform = readUniform(section, check);
  if (m.name == "progressive-shrinking") m.progressiveShrinking = readProgressive(section, check);
  if (m.name == "attentive") m.attentive = readAttentive(section, check);
  if (m.name == "delayed-shrinking") m.delayedShrinking = readDelayed(section, check);
  if (m.name == "complexity-shifted") m.complexityShifted = readShifted(section, check);
  return m;
}

}  // namespace sn
