#pragma once
#include <memory>
#include <string>

#include "db/db_error.h"

struct sqlite3;

namespace sn {

// The SQLite library's version ("3.40.1").
std::string sqliteVersion();

class Statement;

// One SQLite connection (RAII). Opened in WAL mode with foreign keys on, so a reader on
// another connection never blocks the writer and never sees an uncommitted transaction.
class Database {
 public:
  enum class Mode { ReadWrite, ReadOnly };
  // Who calls the connection. Shared: any thread, each call serialised on the connection's
  // mutex. One: only the thread that opened it (a job's own connection), no mutex: a large
  // scan spent a fifth of its time taking it, once per column of every row.
  enum class Threads { Shared, One };

  // Opens (ReadWrite creates) the file. Throws DbError naming the path on failure.
  explicit Database(const std::string& path, Mode mode = Mode::ReadWrite,
                    Threads threads = Threads::Shared);
  ~Database();
  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(const std::string& sql);
  Statement prepare(const std::string& sql);
  int userVersion();
  void setUserVersion(int version);
  long long lastInsertId() const;
  // PRAGMA data_version: changes whenever another connection (any process) has committed
  // to the file since the last call on this one. A watcher's cheap "anything new?".
  long long dataVersion();
  int changes() const;

  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_.get(); }

  // "<path>: <what> (<sqlite message>)" — every error of the store reads this way.
  [[noreturn]] void fail(const std::string& what) const;

 private:
  struct Closer {
    void operator()(sqlite3* db) const;
  };
  std::unique_ptr<sqlite3, Closer> db_;
  std::string path_;
};

}  // namespace sn
