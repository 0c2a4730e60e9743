#pragma once
#include <QImage>

namespace sn::test {

// How many distinct colours an image has (every second pixel, up to `limit`): a blank
// (one-colour) render has 1. What tells the screenshot tests a view drew something.
int distinctColours(const QImage& image, int limit = 1000);

}  // namespace sn::test
