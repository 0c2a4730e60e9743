#include "core/data/dataset.h"

#include <algorithm>
#include <string>

#include "core/util/input_error.h"

namespace sn {

NetShape Dataset::shape() const {
  return {static_cast<int>(images.size(1)), static_cast<int>(images.size(2)), classes};
}

Dataset Dataset::head(int64_t n) const {
  if (n <= 0 || n >= size()) return *this;
  Dataset out = *this;
  out.images = images.narrow(0, 0, n);
  out.labels = labels.narrow(0, 0, n);
  return out;
}

Dataset Dataset::slice(int64_t offset, int64_t n) const {
  if (offset <= 0) return head(n);
  if (offset >= size()) {
    throw InputError(name + ": no samples from " + std::to_string(offset) + " on (it has " +
                     std::to_string(size()) + ")");
  }
  Dataset out = *this;
  const int64_t count = n <= 0 ? size() - offset : std::min(n, size() - offset);
  out.images = images.narrow(0, offset, count);
  out.labels = labels.narrow(0, offset, count);
  return out;
}

Dataset Dataset::to(const c10::Device& device) const {
  Dataset out = *this;
  // A memory-mapped split already on the CPU stays a view: making it contiguous would read
  // every image into memory.
  if (images.device() == device) {
    out.labels = labels.contiguous();
    return out;
  }
  out.images = images.to(device).contiguous();
  out.labels = labels.to(device).contiguous();
  return out;
}

std::vector<std::string> fashionMnistClassNames() {
  return {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
          "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
}

std::vector<std::string> cifar10ClassNames() {
  return {"airplane", "automobile", "bird", "cat", "deer",
          "dog",      "frog",       "horse", "ship", "truck"};
}

}  // namespace sn
