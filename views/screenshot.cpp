#include "views/screenshot.h"

#include <QSet>
#include <QWidget>

namespace sn {

bool saveScreenshot(QWidget* widget, const QString& path) {
  return widget->grab().toImage().save(path, "PNG");
}

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

}  // namespace sn
