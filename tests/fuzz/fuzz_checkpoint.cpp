// libFuzzer harness: our training checkpoint loader over any bytes, into a small supernet
// and an optimizer. Refusals are InputError; an accepted checkpoint leaves every parameter
// and buffer with the shape and type the network was built with.
// The seed is written at start-up: SN_FUZZ_SEED_DIR names a folder that gets a real
// checkpoint of this network, in the format of the loader under test.
#include <cstdlib>
#include <filesystem>
#include <map>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "core/space/search_space.h"
#include "core/supernet/supernet.h"
#include "core/train/checkpoint.h"
#include "core/util/input_error.h"
#include "tests/fuzz/fuzz_input_file.h"

namespace {

// Small, so that its checkpoint (with Adam state) is about 140 kB: fast to mutate and load.
const char* kSpace = R"({"name": "fuzz-tiny", "stem": {"out": 4, "kernel": 3, "stride": 2, "act": "relu"},
  "first_block": {"out": 4, "kernel": 3, "expand": 1, "act": "relu", "se": false},
  "stages": [{"width": 8, "stride": 2, "act": "h_swish", "se": true}],
  "kernels": [3, 5], "expands": [1, 2], "depths": [1, 2],
  "head": {"final_expand": 16, "feature": 16, "dropout": 0.0}})";

struct Target {
  sn::Supernet net;
  std::unique_ptr<torch::optim::Adam> optimizer;
  std::map<std::string, std::pair<std::vector<int64_t>, c10::ScalarType>> shapes;

  Target() : net(sn::SearchSpace::fromJson(nlohmann::json::parse(kSpace), "fuzz"), sn::NetShape{}) {
    net->enableMasks();
    optimizer = std::make_unique<torch::optim::Adam>(net->parameters(), torch::optim::AdamOptions(1e-3));
    for (const auto& p : net->named_parameters()) shapes[p.key()] = {p.value().sizes().vec(), p.value().scalar_type()};
    for (const auto& b : net->named_buffers()) shapes[b.key()] = {b.value().sizes().vec(), b.value().scalar_type()};
  }

  void writeSeed(const std::string& dir) {
    // One optimizer step so the seed carries Adam's state too.
    optimizer->zero_grad();
    net->forward(torch::rand({2, 1, 28, 28})).sum().backward();
    optimizer->step();
    sn::CheckpointMeta meta{7, 1, 42, "fuzz-tiny", {0.5, 0.25}, 3, 4};
    std::filesystem::create_directories(dir);
    sn::saveCheckpoint(dir + "/seed.pt", *net, *optimizer, meta);
  }

  bool unchangedShapes() const {
    for (const auto& p : net->named_parameters())
      if (shapes.at(p.key()) != std::make_pair(p.value().sizes().vec(), p.value().scalar_type())) return false;
    for (const auto& b : net->named_buffers())
      if (shapes.at(b.key()) != std::make_pair(b.value().sizes().vec(), b.value().scalar_type())) return false;
    return true;
  }
};

Target& target() {
  static Target t;
  return t;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* dir = std::getenv("SN_FUZZ_SEED_DIR")) target().writeSeed(dir);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = sn::fuzz::writeInput("checkpoint.pt", data, size);
  try {
    sn::loadCheckpoint(path, *target().net, target().optimizer.get());
    if (!target().unchangedShapes()) std::abort();
  } catch (const sn::InputError&) {
  }
  return 0;
}
