#pragma once
#include <QString>

class QWidget;

namespace sn {

// Renders `widget` (shown or not) to an image and saves it as PNG at `path`. False when
// the file cannot be written.
bool saveScreenshot(QWidget* widget, const QString& path);
// Saves `widget` (a chart) as SVG when `path` ends in .svg, else as PNG. False when the file
// cannot be written.
bool saveWidgetImage(QWidget* widget, const QString& path);

}  // namespace sn
