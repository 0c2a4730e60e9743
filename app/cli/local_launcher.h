#pragma once
#include <chrono>
#include <string>
#include <vector>

namespace sn::cli {

// `supernet-cli VERB ARGS --nproc N`: starts N copies of this program as the ranks of one
// data-parallel run on this machine, with the variables torchrun would set (RANK,
// WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR=127.0.0.1, a free MASTER_PORT).
// The ranks run in a process group of their own: Ctrl-C (or SIGTERM) here is passed on once
// as SIGINT, so every rank stops after the same step with a checkpoint; if this process is
// killed outright, the ranks get SIGTERM (PR_SET_PDEATHSIG) and stop the same way. When a rank
// fails, the others stop by themselves (their next collective fails); any still alive `grace` later
// are killed. Returns rank 0's exit status if it failed, else the first failing rank's, else 0.
int launchLocalRanks(const std::vector<std::string>& verbAndArgs, int ranks,
                     std::chrono::seconds grace);

}  // namespace sn::cli
