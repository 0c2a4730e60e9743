#pragma once
#include <string>

namespace sn {

// The first line of a message (LibTorch's carry a backtrace after it).
inline std::string firstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace sn
