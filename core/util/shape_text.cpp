#include "core/util/shape_text.h"

#include <sstream>

namespace sn {

std::string shapeText(c10::IntArrayRef sizes) {
  std::ostringstream out;
  out << "[";
  for (size_t i = 0; i < sizes.size(); ++i) out << (i ? ", " : "") << sizes[i];
  out << "]";
  return out.str();
}

}  // namespace sn
