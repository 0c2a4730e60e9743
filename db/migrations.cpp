#include "db/migrations.h"

#include <algorithm>

#include <string>
#include <vector>

#include "db/database.h"
#include "db/transaction.h"

namespace sn {
namespace {

// Ordered: step i takes the schema from version i to i + 1. Never edit a released step;
// append a new one.
const std::vector<const char*>& steps() {
  static const std::vector<const char*> kSteps = {
      // 0 -> 1: the first schema.
      R"sql(
      CREATE TABLE project_settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      CREATE TABLE runs (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL,
        space       TEXT NOT NULL,
        config_json TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN
                      ('created', 'running', 'stopped', 'finished', 'failed')),
        message     TEXT NOT NULL DEFAULT '',
        created_at  REAL NOT NULL,
        started_at  REAL,
        finished_at REAL,
        updated_at  REAL NOT NULL
      );
      CREATE TABLE metrics (
        run_id    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step      INTEGER NOT NULL,
        epoch     REAL NOT NULL,
        key       TEXT NOT NULL,
        value     REAL NOT NULL,
        wall_time REAL NOT NULL
      );
      CREATE INDEX metrics_by_run_key_step ON metrics(run_id, key, step);
      CREATE TABLE checkpoints (
        id         INTEGER PRIMARY KEY,
        run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        epoch      INTEGER NOT NULL,
        step       INTEGER NOT NULL,
        path       TEXT NOT NULL,
        sha256     TEXT NOT NULL,
        created_at REAL NOT NULL
      );
      CREATE INDEX checkpoints_by_run ON checkpoints(run_id, step);
      CREATE TABLE subnets (
        id             INTEGER PRIMARY KEY,
        run_id         INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        checkpoint_id  INTEGER REFERENCES checkpoints(id) ON DELETE SET NULL,
        epoch          INTEGER,
        arch           TEXT NOT NULL,
        arch_hash      TEXT NOT NULL,
        macs           INTEGER NOT NULL,
        params         INTEGER NOT NULL,
        accuracy       REAL,
        latency_ms     REAL,
        latency_device TEXT,
        sparsity       REAL NOT NULL DEFAULT 0,
        source         TEXT NOT NULL CHECK (source IN ('evaluated', 'predicted', 'searched')),
        created_at     REAL NOT NULL
      );
      CREATE INDEX subnets_by_run ON subnets(run_id, arch_hash);
      )sql",
      // 1 -> 2: latency lookup tables, one per device, space, input shape and batch size,
      // with the subnets they were checked against.
      R"sql(
      CREATE TABLE latency_tables (
        id          INTEGER PRIMARY KEY,
        device      TEXT NOT NULL,
        space_hash  TEXT NOT NULL,
        input_shape TEXT NOT NULL,
        batch       INTEGER NOT NULL,
        threads     INTEGER NOT NULL,
        fixed_ms    REAL NOT NULL,
        block_scale REAL NOT NULL,
        created_at  REAL NOT NULL
      );
      CREATE INDEX latency_tables_by_key ON latency_tables(device, space_hash, input_shape, batch);
      CREATE TABLE latency_entries (
        table_id INTEGER NOT NULL REFERENCES latency_tables(id) ON DELETE CASCADE,
        block    TEXT NOT NULL,
        ms       REAL NOT NULL,
        PRIMARY KEY (table_id, block)
      );
      CREATE TABLE latency_checks (
        table_id     INTEGER NOT NULL REFERENCES latency_tables(id) ON DELETE CASCADE,
        arch         TEXT NOT NULL,
        predicted_ms REAL NOT NULL,
        measured_ms  REAL NOT NULL
      );
      )sql",
      // 2 -> 3: runs get tags (comma-separated) and where they came from ("copied from run
      // 3", "imported from /path run 2"), for comparing and managing many runs.
      R"sql(
      ALTER TABLE runs ADD COLUMN tags TEXT NOT NULL DEFAULT '';
      ALTER TABLE runs ADD COLUMN origin TEXT NOT NULL DEFAULT '';
      )sql",
      // 3 -> 4: pruning. A subnet's MACs of its non-zero weights beside the dense ones
      // (older rows were unpruned: the same), the seconds of work after training that made
      // a row (one-shot pruning, fine-tuning) for the ticket report's wall times, and the
      // pruning sources. SQLite cannot change a CHECK in place: the table is rebuilt (no
      // other table refers to it).
      R"sql(
      CREATE TABLE subnets_v4 (
        id             INTEGER PRIMARY KEY,
        run_id         INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        checkpoint_id  INTEGER REFERENCES checkpoints(id) ON DELETE SET NULL,
        epoch          INTEGER,
        arch           TEXT NOT NULL,
        arch_hash      TEXT NOT NULL,
        macs           INTEGER NOT NULL,
        params         INTEGER NOT NULL,
        accuracy       REAL,
        latency_ms     REAL,
        latency_device TEXT,
        sparsity       REAL NOT NULL DEFAULT 0,
        source         TEXT NOT NULL CHECK (source IN ('evaluated', 'predicted', 'searched',
                                                       'oneshot', 'oneshot-ft', 'retrained')),
        created_at     REAL NOT NULL,
        sparse_macs    INTEGER NOT NULL DEFAULT 0,
        work_seconds   REAL NOT NULL DEFAULT 0
      );
      INSERT INTO subnets_v4 SELECT id, run_id, checkpoint_id, epoch, arch, arch_hash, macs,
        params, accuracy, latency_ms, latency_device, sparsity, source, created_at, macs, 0
        FROM subnets;
      DROP TABLE subnets;
      ALTER TABLE subnets_v4 RENAME TO subnets;
      CREATE INDEX subnets_by_run ON subnets(run_id, arch_hash);
      )sql",
      // 4 -> 5: how a latency table timed its blocks (older ones timed each block alone),
      // and each check's second measurement, whose spread is the machine's noise floor.
      R"sql(
      ALTER TABLE latency_tables ADD COLUMN method TEXT NOT NULL DEFAULT 'isolated';
      ALTER TABLE latency_checks ADD COLUMN remeasured_ms REAL;
      )sql",
      // 5 -> 6: a run's subnets by id, so the GUI's change check (the run's newest id) and
      // its incremental reads (the rows after the last id seen) are index lookups, not scans
      // of a million rows on every database change.
      R"sql(
      CREATE INDEX subnets_by_run_id ON subnets(run_id, id);
      )sql",
  };
  return kSteps;
}

}  // namespace

void refuseNewerSchema(Database& db) {
  const int version = db.userVersion();
  if (version > kSchemaVersion) {
    throw SchemaTooNewError(db.path() + ": database schema version " + std::to_string(version) +
                            " is newer than this build supports (" +
                            std::to_string(kSchemaVersion) +
                            "); open it with a newer Supernet Studio. The file was not changed.");
  }
}

void migrate(Database& db, int upTo) {
  refuseNewerSchema(db);
  const auto& all = steps();
  for (int version = db.userVersion(); version < std::min(upTo, static_cast<int>(all.size())); ++version) {
    Transaction tx(db);
    db.exec(all[version]);
    db.setUserVersion(version + 1);
    tx.commit();
  }
}

}  // namespace sn
