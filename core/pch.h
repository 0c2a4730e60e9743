// Precompiled once for every torch-using target (see cmake/SupernetHelpers.cmake).
#pragma once
#include <torch/torch.h>

#include <nlohmann/json.hpp>
