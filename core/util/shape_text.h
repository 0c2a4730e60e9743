#pragma once
#include <c10/util/ArrayRef.h>

#include <string>

namespace sn {

// A tensor's sizes as "[16, 3, 3, 3]", for messages that name a mismatch.
std::string shapeText(c10::IntArrayRef sizes);

}  // namespace sn
