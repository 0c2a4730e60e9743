#pragma once
// Helpers shared by the test executables: where the real data is, a scratch folder.
#include <QTemporaryDir>
#include <algorithm>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "core/data/dataset_spec.h"
#include "core/util/input_error.h"

namespace sn::test {

inline std::string fashionMnistDir() {
  DatasetSpec spec;
  return spec.resolvedDir();
}

// The middle value (the upper one of an even count).
inline double median(std::vector<double> values) {
  std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
  return values[values.size() / 2];
}

// The message of the InputError `f` throws ("" when it throws none).
inline std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// A scratch folder removed when the test ends.
struct Scratch {
  QTemporaryDir dir;
  std::string path(const std::string& name = "") const {
    return (dir.path() + "/").toStdString() + name;
  }
};

}  // namespace sn::test
