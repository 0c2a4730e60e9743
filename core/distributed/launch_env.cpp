#include "core/distributed/launch_env.h"

#include <cstdlib>

#include "core/util/input_error.h"

namespace sn {
namespace {

int intVariable(const LaunchEnv::Lookup& get, const char* name, int min, int max) {
  const char* text = get(name);
  if (!text || !*text)
    throw InputError(std::string("environment variable ") + name + " is not set");
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

// What a launcher calls the world size, the rank, the local rank and the local world size.
struct RankNames {
  const char* launcher;
  const char* world;
  const char* rank;
  const char* localRank;
  const char* localWorld;
};

// False for a world of one (nothing to join).
bool readRanks(const LaunchEnv::Lookup& get, const RankNames& names, LaunchEnv& e) {
  constexpr int kMaxRanks = 1 << 16;
  e.launcher = names.launcher;
  e.worldSize = intVariable(get, names.world, 1, kMaxRanks);
  if (e.worldSize < 2) return false;
  e.rank = intVariable(get, names.rank, 0, kMaxRanks);
  e.localRank = intVariableOr(get, names.localRank, 0, 0, kMaxRanks);
  e.localWorldSize = intVariableOr(get, names.localWorld, e.worldSize, 1, kMaxRanks);
  if (e.rank >= e.worldSize) {
    throw InputError(std::string("environment variable ") + names.rank + "=" +
                     std::to_string(e.rank) + " is not below the world size " +
                     std::to_string(e.worldSize));
  }
  return true;
}

}  // namespace

std::optional<LaunchEnv> LaunchEnv::fromEnvironment(const Lookup& get, const std::string& addr,
                                                    int port) {
  LaunchEnv e;
  const char* masterAddr = get("MASTER_ADDR");
  e.masterAddr = !addr.empty() ? addr : (masterAddr ? masterAddr : "");
  const char* worldSize = get("WORLD_SIZE");
  if (worldSize && *worldSize) {
    if (!readRanks(get, {"torchrun", "WORLD_SIZE", "RANK", "LOCAL_RANK", "LOCAL_WORLD_SIZE"}, e)) {
      return std::nullopt;
    }
    const char* agent = get("TORCHELASTIC_USE_AGENT_STORE");
    e.agentStore = agent && std::string(agent) == "True";
    if (e.agentStore) {
      const char* attempt = get("TORCHELASTIC_RESTART_COUNT");
      e.storePrefix = std::string("/worker/attempt_") + (attempt ? attempt : "0");
    }
  } else if (get("SLURM_PROCID") && !e.masterAddr.empty()) {
    const RankNames slurm = {"slurm", "SLURM_NTASKS", "SLURM_PROCID", "SLURM_LOCALID",
                             "SLURM_NTASKS_PER_NODE"};
    if (!readRanks(get, slurm, e)) return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (e.masterAddr.empty()) {
    throw InputError(
        "environment variable MASTER_ADDR is not set (the address of rank 0, which "
        "hosts the rendezvous store)");
  }
  e.masterPort = port > 0 ? port : intVariableOr(get, "MASTER_PORT", e.masterPort, 1, 65535);
  return e;
}

std::optional<LaunchEnv> LaunchEnv::fromProcessEnvironment(const std::string& addr, int port) {
  return fromEnvironment([](const char* name) { return std::getenv(name); }, addr, port);
}

}  // namespace sn
