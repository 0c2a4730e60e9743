#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3_stmt;

namespace sn {

class Database;

// A prepared statement, finalized in the destructor. Parameters are bound by 1-based index;
// every value reaches SQLite bound, never spliced into SQL text.
class Statement {
 public:
  Statement(Database& db, const std::string& sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, const std::string& value);
  Statement& bind(int index, const char* value) { return bind(index, std::string(value)); }
  Statement& bindNull(int index);
  Statement& bind(int index, const std::optional<double>& value);
  Statement& bind(int index, const std::optional<int64_t>& value);

  // Advances; true while a row is available. Throws DbError on failure.
  bool step();
  // step() for statements without result rows.
  void run();
  void reset();

  int64_t columnInt64(int col) const;
  int columnInt(int col) const { return static_cast<int>(columnInt64(col)); }
  double columnDouble(int col) const;
  std::string columnText(int col) const;
  // The text without a copy: valid until the next step() or reset().
  std::string_view columnTextView(int col) const;
  bool columnIsNull(int col) const;
  std::optional<double> columnOptionalDouble(int col) const;
  std::optional<int64_t> columnOptionalInt64(int col) const;

 private:
  Database* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace sn
