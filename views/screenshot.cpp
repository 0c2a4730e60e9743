#include "views/screenshot.h"

#include <QFile>
#include <QPainter>
#include <QSet>
#include <QSvgGenerator>
#include <QWidget>

namespace sn {

bool saveScreenshot(QWidget* widget, const QString& path) {
  return widget->grab().toImage().save(path, "PNG");
}

bool saveWidgetImage(QWidget* widget, const QString& path) {
  if (!path.endsWith(".svg", Qt::CaseInsensitive)) return saveScreenshot(widget, path);
  QSvgGenerator svg;
  svg.setFileName(path);
  svg.setSize(widget->size());
  svg.setViewBox(widget->rect());
  svg.setTitle(widget->windowTitle());
  QPainter painter;
  if (!painter.begin(&svg)) return false;
  widget->render(&painter);
  painter.end();
  return QFile(path).size() > 0;
}

}  // namespace sn
