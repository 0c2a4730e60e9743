#pragma once
// Helpers shared by the test executables: where the real data is, a scratch folder.
#include <QTemporaryDir>
#include <cstdlib>
#include <string>

#include "core/data/dataset_spec.h"

namespace sn::test {

inline std::string fashionMnistDir() {
  DatasetSpec spec;
  return spec.resolvedDir();
}

// A scratch folder removed when the test ends.
struct Scratch {
  QTemporaryDir dir;
  std::string path(const std::string& name = "") const {
    return (dir.path() + "/").toStdString() + name;
  }
};

}  // namespace sn::test
