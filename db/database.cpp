#include "db/database.h"

#include <sqlite3.h>

#include <mutex>

#include "db/statement.h"

namespace sn {

std::string sqliteVersion() { return sqlite3_libversion(); }

void Database::Closer::operator()(sqlite3* db) const { sqlite3_close_v2(db); }

namespace {

// SQLite's memory statistics take one process-wide mutex on every allocation: two job
// connections scanning at once queued on it, and nothing here reads those statistics. The
// setting must come before SQLite initialises; if something else initialised it first, the
// call is refused and SQLite keeps counting, which is only slower.
void configureSqliteOnce() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

}  // namespace

Database::Database(const std::string& path, Mode mode, Threads threads) : path_(path) {
  configureSqliteOnce();
  sqlite3* raw = nullptr;
  const int flags =
      (mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
      (threads == Threads::One ? SQLITE_OPEN_NOMUTEX : SQLITE_OPEN_FULLMUTEX);
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  db_.reset(raw);
  if (rc != SQLITE_OK) {
    const std::string msg = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    throw DbError(path + ": cannot open database (" + msg + ")");
  }
  // A busy writer holds the lock only for one short batch; wait rather than fail.
  sqlite3_busy_timeout(raw, 5000);
  sqlite3_extended_result_codes(raw, 1);
}

Database::~Database() = default;
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;

namespace {

// What a user can act on, for the two failures that are the machine's, not ours.
std::string plainCause(int code) {
  switch (code & 0xff) {
    case SQLITE_READONLY: return "cannot write: the database or its folder is read-only";
    case SQLITE_FULL: return "cannot write: the disk is full";
    default: return "";
  }
}

}  // namespace

void Database::fail(const std::string& what) const {
  const std::string cause = plainCause(sqlite3_extended_errcode(db_.get()));
  throw DbError(path_ + ": " + (cause.empty() ? what : cause) + " (" + sqlite3_errmsg(db_.get()) + ")");
}

void Database::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    const std::string cause = plainCause(sqlite3_extended_errcode(db_.get()));
    if (!cause.empty()) throw DbError(path_ + ": " + cause + " (" + msg + ")");
    throw DbError(path_ + ": " + msg + " while running: " + sql.substr(0, 80));
  }
}

Statement Database::prepare(const std::string& sql) { return Statement(*this, sql); }

int Database::userVersion() {
  Statement st = prepare("PRAGMA user_version");
  st.step();
  return st.columnInt(0);
}

long long Database::dataVersion() {
  Statement st = prepare("PRAGMA data_version");
  st.step();
  return st.columnInt64(0);
}

void Database::setUserVersion(int version) {
  exec("PRAGMA user_version = " + std::to_string(version));
}

long long Database::lastInsertId() const { return sqlite3_last_insert_rowid(db_.get()); }

int Database::changes() const { return sqlite3_changes(db_.get()); }

}  // namespace sn
