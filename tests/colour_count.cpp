#include "colour_count.h"

#include <QSet>

namespace sn::test {

int distinctColours(const QImage& image, int limit) {
  QSet<QRgb> seen;
  for (int y = 0; y < image.height(); y += 2) {
    for (int x = 0; x < image.width(); x += 2) {
      seen.insert(image.pixel(x, y));
      if (seen.size() >= limit) return limit;
    }
  }
  return static_cast<int>(seen.size());
}

}  // namespace sn::test
