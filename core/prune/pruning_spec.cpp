#include "core/prune/pruning_spec.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/util/input_error.h"
#include "core/util/json_ints.h"

namespace sn {

using nlohmann::json;

namespace {

// 0.3 x 3 is 0.8999999999999999: a schedule written as target / steps must still arrive.
constexpr double kReached = 1e-9;

}  // namespace

bool PruningSpec::pruneAt(int64_t epoch) const {
  if (!enabled || epoch < startEpoch || (epoch - startEpoch) % interval != 0) return false;
  // Once the target is reached the masks stay: the remaining epochs train the ticket. (A
  // recompute at a low learning rate swaps weights the run has no time left to adapt to.)
  return epoch == startEpoch || sparsityAt(epoch - interval) < target;
}

double PruningSpec::sparsityAt(int64_t epoch) const {
  if (!enabled || epoch < startEpoch) return 0.0;
  const int64_t steps = (epoch - startEpoch) / interval + 1;
  const double scheduled = step * static_cast<double>(steps);
  return scheduled >= target - kReached ? target : scheduled;
}

json PruningSpec::toJson() const {
  return {{"enabled", enabled},
          {"start_epoch", startEpoch},
          {"interval", interval},
          {"step", step},
          {"target", target},
          {"scope", scope},
          {"regrowth", regrowth},
          {"shrink",
           {{"enabled", shrink.enabled},
            {"l1", shrink.l1},
            {"ramp_epochs", shrink.rampEpochs},
            {"threshold", shrink.threshold},
            {"min_macs", shrink.minMacs}}}};
}

PruningSpec PruningSpec::fromJson(const json& j, const std::string& origin) {
  if (!j.is_object()) throw InputError(origin + ": 'recipe.pruning' must be an object");
  PruningSpec p;
  try {
    p.enabled = j.value("enabled", true);  // a pruning section means pruning unless it says no
    p.startEpoch = jsonWhole(j, "start_epoch", p.startEpoch, origin);
    p.interval = jsonWhole(j, "interval", p.interval, origin);
    p.step = j.value("step", p.step);
    p.target = j.value("target", p.target);
    p.scope = j.value("scope", p.scope);
    p.regrowth = j.value("regrowth", p.regrowth);
    if (j.contains("shrink")) {
      const json& s = j["shrink"];
      p.shrink.enabled = s.value("enabled", true);
      p.shrink.l1 = s.value("l1", p.shrink.l1);
      p.shrink.rampEpochs = s.value("ramp_epochs", p.shrink.rampEpochs);
      p.shrink.threshold = s.value("threshold", p.shrink.threshold);
      p.shrink.minMacs = s.value("min_macs", p.shrink.minMacs);
    }
  } catch (const json::exception& e) {
    throw InputError(origin + ": recipe.pruning field of the wrong type (" + e.what() + ")");
  }
  auto require = [&](bool ok, const std::string& what) {
    if (!ok) throw InputError(origin + ": recipe.pruning " + what);
  };
  require(p.startEpoch >= 0, "start_epoch must not be negative");
  require(p.interval >= 1, "interval must be at least 1 epoch");
  require(p.step > 0 && p.step <= 1, "step must be in (0, 1]");
  require(p.target > 0 && p.target < 1, "target must be in (0, 1)");
  require(p.scope == "global" || p.scope == "layer", "scope must be global or layer");
  require(p.regrowth == "recompute" || p.regrowth == "keep" || p.regrowth == "reset",
          "regrowth must be recompute, keep or reset");
  require(p.shrink.l1 >= 0, "shrink l1 must not be negative");
  require(p.shrink.rampEpochs >= 0, "shrink ramp_epochs must not be negative");
  require(p.shrink.threshold >= 0, "shrink threshold must not be negative");
  require(p.shrink.minMacs >= 0 && p.shrink.minMacs < 1, "shrink min_macs must be in [0, 1)");
  return p;
}

}  // namespace sn
