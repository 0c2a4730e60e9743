#pragma once
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace sn {

// SPOS / single-path: `subnets` random subnets per step, each from the labels, no teacher.
struct UniformSpec {
  int subnets = 4;  // as many passes as the default sandwich (largest + smallest + 2)
};

// Once-for-All: the largest network alone, then phases that make kernel, depth (largest
// depths first) and expand (largest first) elastic, each (sub)phase with its cosine learning
// rate restarted. Phase lengths in epochs; -1 splits the run's epochs evenly over the four.
struct ProgressiveShrinkingSpec {
  int largestEpochs = -1;
  int kernelEpochs = -1;
  int depthEpochs = -1;
  int expandEpochs = -1;
  int subnetsPerStep = 2;          // sampled from the enabled choices, taught by the largest
  double elasticLrFactor = 0.3;    // the elastic phases' base learning rate, x recipe.lr
};

// AttentiveNAS: per sampled subnet, a MAC band drawn uniformly, `candidates` subnets drawn in
// it, and the best (BestUp) or worst (WorstUp) of them by `criterion` trained.
struct AttentiveSpec {
  int candidates = 4;
  std::string pick = "best";      // best | worst
  std::string criterion = "loss"; // loss (the minibatch's) | predictor (fitted on the probes)
  int bands = 5;                  // MAC bands, equal shares of uniformly drawn subnets
};

// DεpS: the largest network alone until `switch_fraction` of the run's steps, then the
// sandwich. Over the next `ramp_fraction` of the run the subnets' effective learning rate
// (the learning rate x their loss weight) rises linearly from 0 to what the schedule gives
// at the ramp's end (the paper's ε heuristic, as its code does it); the largest keeps its own.
struct DelayedShrinkingSpec {
  double switchFraction = 0.5;
  double rampFraction = 0.1;
};

// ShiftNAS-style: the random subnets of the sandwich drawn by MAC bin, each bin's probability
// a softmax of its recent training loss (under-trained regions get more steps), mixed with a
// uniform floor so no bin starves.
struct ComplexityShiftedSpec {
  int bins = 5;
  double temperature = 0.1;  // of the softmax over bin losses
  double floor = 0.2;        // share of the probability spread uniformly over the bins
  int updateEvery = 20;      // steps between probability updates
  double decay = 0.8;        // of the per-bin loss average, per update
};

// How a supernet is trained (recipe.method, each method with its own section).
struct MethodSpec {
  std::string name = "sandwich";
  UniformSpec uniform;
  ProgressiveShrinkingSpec progressiveShrinking;
  AttentiveSpec attentive;
  DelayedShrinkingSpec delayedShrinking;
  ComplexityShiftedSpec complexityShifted;

  static const std::vector<std::string>& names();
  // The recipe's section key of this method ("progressive_shrinking"), "" for sandwich.
  std::string sectionKey() const;

  // Writes "method" and the chosen method's section into a recipe's JSON; nothing for the
  // default sandwich, so older runs' configs and recipe diffs stay as they were.
  void writeTo(nlohmann::json& recipe) const;
  // Reads "method" and its section; InputError naming `origin`, the field and the range.
  static MethodSpec readFrom(const nlohmann::json& recipe, const std::string& origin);
};

}  // namespace sn
