#include "core/distributed/launch_env.h"

#include <cstdlib>

#include "core/util/input_error.h"

namespace sn {
namespace {

int intVariable(const LaunchEnv::Lookup& get, const char* name, int min, int max) {
  const char* text = get(name);
  if (!text || !*text) throw InputError(std::string("environment variable ") + name + " is not set");
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  // Slurm writes per-node counts such as "2(x3)": the leading number is the count.
  const bool slurmCount = *end == '(';
  if (end == text || (*end && !slurmCount) || value < min || value > max) {
    throw InputError(std::string("environment variable ") + name + "='" + text +
                     "' is not a whole number in [" + std::to_string(min) + ", " +
                     std::to_string(max) + "]");
  }
  return static_cast<int>(value);
}

int intVariableOr(const LaunchEnv::Lookup& get, const char* name, int fallback, int min, int max) {
  const char* text = get(name);
  return text && *text ? intVariable(get, name, min, max) : fallback;
}

void requireRankInWorld(const LaunchEnv& e, const std::string& rankName) {
  if (e.rank >= e.worldSize) {
    throw InputError("environment variable " + rankName + "=" + std::to_string(e.rank) +
                     " is not below the world size " + std::to_string(e.worldSize));
  }
}

}  // namespace

std::optional<LaunchEnv> LaunchEnv::fromEnvironment(const Lookup& get, const std::string& addr,
                                                    int port) {
  constexpr int kMaxRanks = 1 << 16;
  LaunchEnv e;
  const char* masterAddr = get("MASTER_ADDR");
  e.masterAddr = !addr.empty() ? addr : (masterAddr ? masterAddr : "");
  const char* worldSize = get("WORLD_SIZE");
  if (worldSize && *worldSize) {
    e.launcher = "torchrun";
    e.worldSize = intVariable(get, "WORLD_SIZE", 1, kMaxRanks);
    if (e.worldSize < 2) return std::nullopt;
    e.rank = intVariable(get, "RANK", 0, kMaxRanks);
    e.localRank = intVariableOr(get, "LOCAL_RANK", 0, 0, kMaxRanks);
    e.localWorldSize = intVariableOr(get, "LOCAL_WORLD_SIZE", e.worldSize, 1, kMaxRanks);
    requireRankInWorld(e, "RANK");
    const char* agent = get("TORCHELASTIC_USE_AGENT_STORE");
    e.agentStore = agent && std::string(agent) == "True";
    if (e.agentStore) {
      const char* attempt = get("TORCHELASTIC_RESTART_COUNT");
      e.storePrefix = std::string("/worker/attempt_") + (attempt ? attempt : "0");
    }
  } else if (get("SLURM_PROCID") && !e.masterAddr.empty()) {
    e.launcher = "slurm";
    e.worldSize = intVariable(get, "SLURM_NTASKS", 1, kMaxRanks);
    if (e.worldSize < 2) return std::nullopt;
    e.rank = intVariable(get, "SLURM_PROCID", 0, kMaxRanks);
    e.localRank = intVariableOr(get, "SLURM_LOCALID", 0, 0, kMaxRanks);
    e.localWorldSize = intVariableOr(get, "SLURM_NTASKS_PER_NODE", e.worldSize, 1, kMaxRanks);
    requireRankInWorld(e, "SLURM_PROCID");
  } else {
    return std::nullopt;
  }
  if (e.masterAddr.empty()) {
    throw InputError("environment variable MASTER_ADDR is not set (the address of rank 0, which "
                     "hosts the rendezvous store)");
  }
  e.masterPort = port > 0 ? port : intVariableOr(get, "MASTER_PORT", e.masterPort, 1, 65535);
  return e;
}

std::optional<LaunchEnv> LaunchEnv::fromProcessEnvironment(const std::string& addr, int port) {
  return fromEnvironment([](const char* name) { return std::getenv(name); }, addr, port);
}

}  // namespace sn
