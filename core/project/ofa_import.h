#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "core/util/job_control.h"

namespace sn {

class Project;

// What import-ofa made.
struct OfaImportResult {
  int64_t runId = 0;
  std::string sha256;    // of the file imported
  std::string format;    // "zip" or "legacy"
  std::string space;     // "ofa-mbv3" or "ofa-mbv3-w1.2"
  std::string kernelTransform;  // "matrix" or "slice"
  int classes = 0;
  int64_t tensors = 0;
};

// supernet-cli import-ofa: a Once-for-All OFAMobileNetV3 checkpoint (torch.save, zip or
// legacy) becomes a finished run of `project` with a checkpoint in our format, origin
// "imported from FILE (sha256 ...)", so evaluation, latency, search, export, compare and
// pruning runs (new-run --from: the run's config names its own checkpoint as init_from) work
// on it. Everything is checked before anything is written: InputError naming the file for a
// file that is not such a checkpoint, and naming what differs when its input channels or
// classes are not this project's data's. `name` empty: "OFA <file name>". `job` hears the
// stages as the work goes ("reading", "checking", "writing"; no counts) and is cancelled
// between them.
OfaImportResult importOfaCheckpoint(Project& project, const std::string& file, const std::string& name,
                                    int threads, const JobControl& job = {});

// supernet-cli export-ofa: run `runId`'s newest checkpoint as a torch.save file
// {"state_dict": ...} that OFA's OFAMobileNetV3(...).load_state_dict takes (pruning masks
// multiplied into the weights). InputError when the run's space is not OFA-MobileNetV3's
// layout, its data is not 3-channel, or it has no checkpoint.
void exportOfaCheckpoint(Project& project, int64_t runId, const std::string& out, int threads);

}  // namespace sn
