#include "core/util/csv_table.h"

#include <cstdio>
#include <cstdlib>

#include "core/util/input_error.h"

namespace sn {
namespace {

std::string quoted(const std::string& cell) {
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string out = "\"";
  for (char c : cell) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void appendLine(std::string& out, const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + quoted(cells[i]);
  out += "\n";
}

}  // namespace

std::string CsvTable::toText() const {
  std::string out;
  appendLine(out, header);
  for (const auto& row : rows) appendLine(out, row);
  return out;
}

CsvTable CsvTable::parse(const std::string& text, const std::string& origin) {
  std::vector<std::vector<std::string>> lines;
  std::vector<std::string> row;
  std::string cell;
  bool inQuotes = false;
  bool any = false;  // the current line has content
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (inQuotes) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        inQuotes = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      inQuotes = any = true;
    } else if (c == ',') {
      row.push_back(cell);
      cell.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (any || !cell.empty()) {
        row.push_back(cell);
        lines.push_back(row);
      }
      row.clear();
      cell.clear();
      any = false;
    } else {
      cell += c;
      any = true;
    }
  }
  if (inQuotes) throw InputError(origin + ": a quoted cell is not closed");
  if (any || !cell.empty()) {
    row.push_back(cell);
    lines.push_back(row);
  }
  CsvTable table;
  if (lines.empty()) return table;
  table.header = lines.front();
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].size() != table.header.size()) {
      throw InputError(origin + ": line " + std::to_string(i + 1) + " has " +
                       std::to_string(lines[i].size()) + " cells, the header " +
                       std::to_string(table.header.size()));
    }
    table.rows.push_back(lines[i]);
  }
  return table;
}

std::string csvNumber(double value) {
  char buffer[32];
  for (int precision = 6; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  return buffer;
}

}  // namespace sn
