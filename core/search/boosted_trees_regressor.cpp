#include "core/search/boosted_trees_regressor.h"

#include <cmath>
#include <stdexcept>
#include <string>
#include <xgboost/c_api.h>

namespace sn {
namespace {

void check(int rc, const char* what) {
  if (rc != 0) throw std::runtime_error(std::string("XGBoost ") + what + ": " + XGBGetLastError());
}

std::vector<float> flatten(const FeatureRows& rows) {
  std::vector<float> flat;
  for (const auto& r : rows) flat.insert(flat.end(), r.begin(), r.end());
  return flat;
}

// Owns a DMatrix for the span of one call.
struct Matrix {
  DMatrixHandle h = nullptr;
  Matrix(const std::vector<float>& flat, size_t rows, size_t cols) {
    check(XGDMatrixCreateFromMat(flat.data(), rows, cols, std::nanf(""), &h), "matrix");
  }
  ~Matrix() { XGDMatrixFree(h); }
};

}  // namespace

std::unique_ptr<BoostedTreesRegressor> BoostedTreesRegressor::fit(const FeatureRows& rows,
                                                                  const std::vector<double>& targets,
                                                                  uint64_t seed) {
  const size_t cols = rows.empty() ? 0 : rows[0].size();
  Matrix data(flatten(rows), rows.size(), cols);
  const std::vector<float> labels(targets.begin(), targets.end());
  check(XGDMatrixSetFloatInfo(data.h, "label", labels.data(), labels.size()), "labels");
  BoosterHandle booster = nullptr;
  check(XGBoosterCreate(&data.h, 1, &booster), "booster");
  std::unique_ptr<BoostedTreesRegressor> model(new BoostedTreesRegressor(booster, cols));
  const std::string seedText = std::to_string(seed);
  for (const auto& [key, value] :
       std::initializer_list<std::pair<const char*, const char*>>{
           {"objective", "reg:squarederror"}, {"max_depth", "3"}, {"eta", "0.1"},
           {"min_child_weight", "2"}, {"subsample", "1"}, {"nthread", "1"},
           {"seed", seedText.c_str()}, {"verbosity", "0"}}) {
    check(XGBoosterSetParam(booster, key, value), key);
  }
  constexpr int kRounds = 200;
  for (int round = 0; round < kRounds; ++round) {
    check(XGBoosterUpdateOneIter(booster, round, data.h), "training");
  }
  return model;
}

BoostedTreesRegressor::~BoostedTreesRegressor() { XGBoosterFree(booster_); }

double BoostedTreesRegressor::predict(const std::vector<double>& row) const {
  const std::vector<float> flat(row.begin(), row.end());
  Matrix m(flat, 1, features_);
  bst_ulong length = 0;
  const float* out = nullptr;
  check(XGBoosterPredict(booster_, m.h, 0, 0, 0, &length, &out), "prediction");
  return length ? out[0] : 0.0;
}

}  // namespace sn
