#pragma once
#include <string>
#include <vector>

namespace sn {

// A table as text cells: what the compare view shows, `supernet-cli compare --csv` prints and
// the GUI's "Export CSV…" writes. RFC 4180: a cell with a comma, quote or line break is
// quoted, quotes doubled; lines end in \n.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  std::string toText() const;
  // The inverse of toText; InputError naming `origin` for an unterminated quote or a row
  // whose width differs from the header's.
  static CsvTable parse(const std::string& text, const std::string& origin);
};

// A number as a cell: shortest text that reads back to the same double.
std::string csvNumber(double value);

}  // namespace sn
