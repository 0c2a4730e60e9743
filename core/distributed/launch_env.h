#pragma once
#include <functional>
#include <optional>
#include <string>

namespace sn {

// Where this process stands in a data-parallel launch, read from the launcher's environment:
// torchrun's RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT, or
// Slurm's SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID with the address given (MASTER_ADDR, or
// --master-addr). Slurm's variables alone do not start a group: they are also set for a
// plain job step, where a lone trainer must not wait for ranks that never come.
struct LaunchEnv {
  int rank = 0;
  int worldSize = 1;
  int localRank = 0;
  int localWorldSize = 1;
  std::string masterAddr;
  int masterPort = 29500;
  std::string launcher;  // "torchrun" (or any launcher setting its variables) | "slurm"
  // torchrun's elastic agent already hosts the store at MASTER_ADDR:MASTER_PORT
  // (TORCHELASTIC_USE_AGENT_STORE=True): every rank connects as a client, under the prefix of
  // the agent's restart attempt, as PyTorch's own env:// rendezvous does.
  bool agentStore = false;
  std::string storePrefix;

  using Lookup = std::function<const char*(const char*)>;
  // Nullopt when no launcher set a world of two or more. `addr`/`port` override
  // MASTER_ADDR/MASTER_PORT (port 0: not given). InputError naming the variable when one is
  // malformed, missing or out of range.
  static std::optional<LaunchEnv> fromEnvironment(const Lookup& get, const std::string& addr = "",
                                                  int port = 0);
  static std::optional<LaunchEnv> fromProcessEnvironment(const std::string& addr = "",
                                                         int port = 0);
};

}  // namespace sn
