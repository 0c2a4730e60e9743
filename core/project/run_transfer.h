#pragma once
#include <cstdint>
#include <string>

#include "core/project/init_from.h"
#include "core/project/run_manager.h"

namespace sn {

class Project;

// new-run --init-from PROJECT:RUN: the source run's newest checkpoint, verified and pinned by
// its SHA-256, with the input shape it was trained on. InputError naming the project or run
// when it is not a project, has no such run, or the run has no checkpoint yet.
struct TransferSource {
  InitFrom from;
  SearchSpace space;  // the source run's: the new run builds the same supernet
};
TransferSource resolveInitFrom(const std::string& sourceProject, int64_t sourceRun,
                               const std::string& head);

// A created run of `target` whose recipe is `request.config` and whose first weights come
// from `from`. Checked before anything is written: the same space as the source, input
// channels equal or 1 <-> 3, the same classes for head "keep", and this project's data
// readable. Returns the new run's id.
int64_t createTransferRun(Project& target, NewRunRequest request, const TransferSource& source);

// Fine-tuning defaults a transferred run starts with unless the user set them: the source's
// recipe is for training from scratch: the learning rate scaled by kFineTuneLrScale and no
// warm-up (the weights are already trained). Measured in the closing note of issue 21.
void applyFineTuneDefaults(nlohmann::json& config);
constexpr double kFineTuneLrScale = 0.3;

}  // namespace sn
