#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/search/accuracy_predictor.h"

#include "core/util/job_control.h"

namespace sn {

class Project;

struct PredictorStudyRequest {
  int64_t runId = 0;       // 0: the newest run
  double holdout = 0.3;    // share of the measured subnets held out
  bool curve = true;       // tau on the held-out share against the number of fitted subnets
  // Re-evaluate this many of the run's measured subnets with other BN-recalibration
  // batches (recalSeed) and rank the two evaluations against each other: the ceiling no
  // predictor can beat. 0: skip (it costs one evaluation per subnet).
  int ceiling = 0;
  uint64_t recalSeed = 2;
  std::string device = "cpu";
  int threads = 0;
  JobControl job;  // stage "evaluated": the ceiling's evaluations
};

struct CurvePoint {
  int subnets = 0;
  double tau = 0;
};

struct PredictorStudy {
  PredictorReport report;   // every kind on one held-out split
  ModelScore onAll;         // the kind chosen on all measured subnets: what search uses
  int measured = 0;         // distinct measured subnets of the newest epoch
  std::vector<CurvePoint> curve;  // the held-out report's chosen kind
  int curvePlateau = 0;     // fewest fitted subnets whose tau is within 0.02 of the most's
  // The ceiling: the stored evaluation against one with other BN-recalibration batches,
  // and, when the run's test split is limited, one that also uses the next test images.
  struct Ceiling {
    std::string differs;  // "recalibration batches" or "recalibration batches and test images"
    int subnets = 0;
    TauInterval tau;
    double rmse = 0;  // between the two evaluations
  };
  std::vector<Ceiling> ceilings;
};

// How well the run's subnets can be ranked from their architecture: the predictor kinds
// compared on a held-out split, the learning curve and the re-evaluation ceiling.
PredictorStudy studyPredictor(Project& project, const PredictorStudyRequest& request);

}  // namespace sn
