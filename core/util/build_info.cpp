#include "core/util/build_info.h"

#include <torch/version.h>  // macros only: no torch headers behind it

#include "db/database.h"

namespace sn {

const char* toolVersion() { return SUPERNET_VERSION; }

std::string libraryVersions() {
  return std::string("LibTorch " TORCH_VERSION) +
         (SUPERNET_TORCH_HAS_CUDA ? " (with CUDA)" : " (CPU only, no CUDA)") + "\nSQLite " + sqliteVersion();
}

}  // namespace sn
