#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/util/job_control.h"

namespace sn {

class Project;

struct SubnetExportRequest {
  std::string arch;        // arch text, "max" or "min" (ignored when subnetId is given)
  int64_t subnetId = 0;    // a stored subnet: its run and arch
  int64_t runId = 0;       // 0: the newest run
  std::string folder;      // final folder; empty: <project>/exports/<name>
  std::string name;        // empty: run<R>-<arch hash>
  bool replace = false;    // an existing folder is an error unless this is set
  bool onnx = true;
  bool torchScript = true;
  int64_t batch = 0;       // 0: dynamic batch; N: fixed batch N
  // false (--bn stored): keep the supernet's running BN statistics, sliced, as Once-for-All's
  // get_active_subnet does; true: recalibrate them for this subnet on training data.
  bool recalibrateBn = true;
  int fineTuneEpochs = 0;  // 0: no fine-tuning
  double fineTuneLr = 0.01;
  int64_t verifyImages = 64;  // test images whose logits are compared (fixed batch: the batch)
  double tolerance = 1e-4;    // max abs logit difference that passes, x max(1, largest logit)
  std::string device = "cpu";
  int threads = 0;
  bool measureLatency = true;
  int latencyRuns = 50;
  JobControl job;  // a stage per step ("loading checkpoint", "fine-tuning", "verifying ...")
};

// One written model file loaded back by an independent runtime.
struct ExportCheck {
  std::string format;  // onnx | torchscript
  std::string file;
  std::string runtime;
  double maxAbsDiff = 0;  // logits against the reference on the verification batch
  double accuracy = 0;    // top-1 on the whole test split, from the exported file
  bool passed = false;
};

struct SubnetExportResult {
  std::string folder;
  std::string arch;
  std::vector<ExportCheck> checks;
  double referenceAccuracy = 0;  // the supernet's (or fine-tuned subnet's) own top-1
  std::optional<double> storedAccuracy;
  bool passed = false;  // every check within tolerance and every accuracy matching
  nlohmann::json manifest;
};

// Where an export goes when the request names no folder.
std::string defaultExportFolder(const std::string& projectDir, int64_t runId, const std::string& archHash);

// Extracts a subnet of a run's latest checkpoint as a standalone network (active channels,
// kernel centres or transformed kernels, blocks; pruning masks applied), recalibrates its
// BN on training data (or keeps the stored statistics),
// optionally fine-tunes it, writes model.onnx / model.pt / manifest.json, and verifies each
// file by loading it with OpenCV DNN / LibTorch: logits against the supernet's on real test
// images and top-1 on the test split. Written to a staging folder and renamed into place,
// so a failure or Cancelled leaves nothing under the final name.
SubnetExportResult exportSubnet(Project& project, const SubnetExportRequest& request);

}  // namespace sn
