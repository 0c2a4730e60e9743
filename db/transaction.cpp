#include "db/transaction.h"

#include "db/database.h"

namespace sn {

// IMMEDIATE takes the write lock up front: two writers queue on the busy timeout instead
// of one failing with SQLITE_BUSY half-way through its batch.
Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (!done_) {
    try {
      db_.exec("ROLLBACK");
    } catch (...) {
      // Nothing sensible to do in a destructor; SQLite rolls back on close anyway.
    }
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace sn
