#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/search/accuracy_predictor.h"
#include "core/search/nsga2_search.h"
#include "db/records.h"

#include "core/util/job_control.h"

namespace sn {

class Project;

enum class SearchMethod { Evolution, Nsga2, Random };
// "evolution", "nsga2", "random"; InputError otherwise.
SearchMethod parseSearchMethod(const std::string& name);

struct SubnetSearchRequest {
  int64_t runId = 0;  // 0: the newest run
  CostLimits limits;
  SearchMethod method = SearchMethod::Evolution;
  EvolutionOptions evolution;  // population, generations, keep, seed (random: the same count)
  int verify = 3;              // best candidates then evaluated for real
  double predictorHoldout = 0.2;  // share of measured subnets held out for the report
  std::string device = "cpu";
  int threads = 0;
  int latencyBatch = 1;
  JobControl job;  // stages "latency" (a table built first), "search", "verify"
};

struct SubnetSearchResult {
  PredictorReport predictor;           // on the run's subnets held out (fit: all of them)
  ModelScore searchModel;              // the kind chosen on all of them, which the search used
  int64_t evaluations = 0;             // candidates scored by the predictor
  double searchSeconds = 0;
  std::vector<SubnetRecord> predicted; // stored with source 'predicted'
  std::vector<SubnetRecord> verified;  // evaluated for real, stored with source 'searched'
  bool cancelled = false;
};

// Fits the accuracy predictor on the run's evaluated subnets, searches the space for the
// best (evolution, random) or the whole front (NSGA-II) within the limits, stores the
// candidates as predicted subnets (latency from the device's lookup table, which is built
// first when missing) and verifies the best by real evaluation.
SubnetSearchResult searchSubnets(Project& project, const SubnetSearchRequest& request);

// The run's measured subnets as predictor training data: those of the newest epoch that
// has any, one entry per arch (repeated evaluations averaged).
void measuredAccuracies(const std::vector<SubnetRecord>& subnets, const SearchSpace& space,
                        std::vector<Arch>& archs, std::vector<double>& accuracy);

}  // namespace sn
