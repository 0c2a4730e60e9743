#include "db/subnet_source.h"

#include <array>
#include <string>

#include "db/db_error.h"

namespace sn {

namespace {
constexpr std::array<const char*, kSubnetSourceCount> kSubnetSourceNames = {
    "evaluated", "predicted", "searched", "oneshot", "oneshot-ft", "retrained"};
}

const char* subnetSourceName(SubnetSource source) {
  return kSubnetSourceNames[static_cast<size_t>(source)];
}

SubnetSource parseSubnetSource(std::string_view name) {
  for (size_t i = 0; i < kSubnetSourceNames.size(); ++i)
    if (name == kSubnetSourceNames[i]) return static_cast<SubnetSource>(i);
  throw DbError("unknown subnet source '" + std::string(name) + "'");
}

}  // namespace sn
