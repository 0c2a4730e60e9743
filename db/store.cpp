#include "db/store.h"

#include <chrono>

#include "db/migrations.h"

namespace sn {

double nowSeconds() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

Database Store::openChecked(const std::string& path, Database::Mode mode,
                            Database::Threads threads) {
  Database db(path, mode, threads);
  // Checked before WAL is switched on: switching rewrites the header of a file we refuse.
  refuseNewerSchema(db);
  if (mode == Database::Mode::ReadWrite) {
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
    migrate(db);
  }
  db.exec("PRAGMA foreign_keys = ON");
  return db;
}

Store::Store(const std::string& path, Database::Mode mode, Database::Threads threads)
    : db_(openChecked(path, mode, threads)),
      runs_(db_),
      metrics_(db_),
      checkpoints_(db_),
      subnets_(db_),
      settings_(db_),
      latency_(db_) {}

}  // namespace sn
