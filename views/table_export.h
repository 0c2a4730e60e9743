#pragma once
#include <QString>

#include "core/util/csv_table.h"

class QTableWidget;

namespace sn {

// Shows a CsvTable in a table widget: the header as column titles, every cell read-only,
// numbers right-aligned.
void fillTableWidget(QTableWidget* widget, const CsvTable& table);
// Writes the table as CSV; false with `error` naming the file when it cannot be written.
bool saveCsvFile(const CsvTable& table, const QString& path, QString* error);

}  // namespace sn
