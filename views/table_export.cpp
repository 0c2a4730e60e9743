#include "views/table_export.h"

#include <QHeaderView>
#include <QSaveFile>
#include <QTableWidget>

namespace sn {

void fillTableWidget(QTableWidget* widget, const CsvTable& table) {
  widget->clear();
  widget->setColumnCount(static_cast<int>(table.header.size()));
  widget->setRowCount(static_cast<int>(table.rows.size()));
  QStringList titles;
  for (const std::string& h : table.header) titles << QString::fromStdString(h);
  widget->setHorizontalHeaderLabels(titles);
  for (int r = 0; r < widget->rowCount(); ++r) {
    for (int c = 0; c < widget->columnCount(); ++c) {
      const QString text = QString::fromStdString(table.rows[r][c]);
      auto* item = new QTableWidgetItem(text);
      item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
      bool number = false;
      text.toDouble(&number);
      if (number) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      item->setToolTip(text);
      widget->setItem(r, c, item);
    }
  }
  widget->resizeColumnsToContents();
}

bool saveCsvFile(const CsvTable& table, const QString& path, QString* error) {
  // QSaveFile: a failed write leaves any earlier file as it was.
  QSaveFile file(path);
  const QByteArray bytes = QByteArray::fromStdString(table.toText());
  if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
    if (error) *error = path + ": cannot write (" + file.errorString() + ")";
    return false;
  }
  return true;
}

}  // namespace sn
