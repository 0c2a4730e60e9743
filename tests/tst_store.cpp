// The SQLite store: migrations, refusal of newer schemas, batched metrics, concurrency.
#include <QtTest>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/util/sha256.h"
#include "db/database.h"
#include "db/db_error.h"
#include "db/migrations.h"
#include "db/statement.h"
#include "db/store.h"
#include "test_support.h"

using namespace sn;

namespace {

RunRecord newRun(const std::string& name) {
  RunRecord r;
  r.name = name;
  r.space = "fmnist-small";
  r.configJson = "{}";
  return r;
}

// The text of the first column of the first row `sql` returns, as SQLite stores it.
std::string storedText(Store& store, const std::string& sql) {
  Statement st = store.db().prepare(sql);
  return st.step() ? st.columnText(0) : std::string();
}

std::vector<MetricSample> stepRows(int64_t step, int keys) {
  std::vector<MetricSample> rows;
  for (int k = 0; k < keys; ++k) {
    rows.push_back({step, step / 100.0, "key" + std::to_string(k), step * 0.5 + k, 1.0 * step});
  }
  return rows;
}

}  // namespace

class TestStore : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void migratesAnEmptyDatabaseToTheCurrentSchema() {
    test::Scratch s;
    Store store(s.path("p.sqlite"));
    QCOMPARE(store.db().userVersion(), kSchemaVersion);
    for (const char* table : {"runs", "metrics", "subnets", "checkpoints", "project_settings"}) {
      Statement st = store.db().prepare("SELECT count(*) FROM sqlite_master WHERE name = ?");
      st.bind(1, table);
      QVERIFY(st.step());
      QCOMPARE(st.columnInt(0), 1);
    }
    Statement wal = store.db().prepare("PRAGMA journal_mode");
    wal.step();
    QCOMPARE(wal.columnText(0), std::string("wal"));
  }

  // Version 3 -> 4 rebuilds the subnets table (new sources): rows survive, unpruned.
  void migratesVersion3SubnetsKeepingTheirRows() {
    test::Scratch s;
    {
      Database old(s.path("p.sqlite"));
      migrate(old, 3);
      QCOMPARE(old.userVersion(), 3);
      old.exec("INSERT INTO runs (id, name, space, config_json, status, created_at, updated_at) "
               "VALUES (1, 'r', 'fmnist-small', '{}', 'finished', 0, 0);"
               "INSERT INTO subnets (run_id, arch, arch_hash, macs, params, accuracy, source, created_at) "
               "VALUES (1, 'max', 'h', 6100000, 90000, 0.9, 'evaluated', 0);");
    }
    Store store(s.path("p.sqlite"));
    QCOMPARE(store.db().userVersion(), kSchemaVersion);
    const std::vector<SubnetRecord> rows = store.subnets().forRun(1);
    QCOMPARE(rows.size(), size_t{1});
    QCOMPARE(rows[0].sparseMacs, int64_t{6100000});
    QCOMPARE(rows[0].accuracy.value_or(0), 0.9);
    SubnetRecord pruned = rows[0];
    pruned.source = SubnetSource::OneShot;
    pruned.sparseMacs = 1000;
    store.subnets().add(pruned);
    QCOMPARE(store.subnets().forRun(1).back().sparseMacs, int64_t{1000});
    store.runs().remove(1);  // the rebuilt table still cascades
    QCOMPARE(store.subnets().count(1), int64_t{0});
  }

  // Statuses and sources are enums in memory and their names in the file, which other
  // tools (and older builds) read: each stored value reads back as itself, under its name.
  void statusesAndSourcesRoundTripUnderTheirNames() {
    test::Scratch s;
    Store store(s.path("p.sqlite"));
    const int64_t run = store.runs().create(newRun("r"));
    for (RunStatus status : {RunStatus::Created, RunStatus::Running, RunStatus::Stopped,
                             RunStatus::Finished, RunStatus::Failed}) {
      store.runs().setStatus(run, status);
      QCOMPARE(store.runs().find(run)->status, status);
      QCOMPARE(storedText(store, "SELECT status FROM runs"), std::string(runStatusName(status)));
      QCOMPARE(store.runs().find(run)->finishedAt.has_value(), runEnded(status));
    }
    // Interrupted is only shown, never stored: the column's CHECK refuses it.
    QVERIFY_THROWS_EXCEPTION(DbError, store.runs().setStatus(run, RunStatus::Interrupted));
    for (int k = 0; k < kSubnetSourceCount; ++k) {
      SubnetRecord subnet;
      subnet.runId = run;
      subnet.arch = "max";
      subnet.archHash = "h";
      subnet.source = static_cast<SubnetSource>(k);
      const int64_t id = store.subnets().add(subnet);
      QCOMPARE(store.subnets().forRun(run).back().source, subnet.source);
      QCOMPARE(storedText(store, "SELECT source FROM subnets WHERE id = " + std::to_string(id)),
               std::string(subnetSourceName(subnet.source)));
      QCOMPARE(parseSubnetSource(subnetSourceName(subnet.source)), subnet.source);
    }
    QCOMPARE(parseRunStatus("interrupted"), RunStatus::Interrupted);
    QVERIFY_THROWS_EXCEPTION(DbError, parseRunStatus("Finished"));  // names are exact
    QVERIFY_THROWS_EXCEPTION(DbError, parseSubnetSource("one-shot"));
  }
  void reopeningKeepsData() {
    test::Scratch s;
    int64_t id = 0;
    {
      Store store(s.path("p.sqlite"));
      id = store.runs().create(newRun("first"));
    }
    Store again(s.path("p.sqlite"));
    QCOMPARE(again.runs().find(id)->name, std::string("first"));
  }

  void refusesANewerSchemaAndLeavesTheFileUntouched() {
    test::Scratch s;
    const std::string path = s.path("new.sqlite");
    {
      Database db(path);
      db.exec("CREATE TABLE future (x INTEGER); INSERT INTO future VALUES (42);");
      db.setUserVersion(kSchemaVersion + 5);
    }
    const std::string before = sha256File(path);
    bool refused = false;
    try {
      Store store(path);
    } catch (const SchemaTooNewError& e) {
      refused = true;
      QVERIFY(std::string(e.what()).find(path) == 0);
      QVERIFY(std::string(e.what()).find("newer") != std::string::npos);
    }
    QVERIFY(refused);
    QCOMPARE(sha256File(path), before);
  }

  void metricsRoundTripInStepOrder() {
    test::Scratch s;
    Store store(s.path("p.sqlite"));
    const int64_t run = store.runs().create(newRun("r"));
    for (int64_t step = 1; step <= 50; ++step) store.metrics().append(run, stepRows(step, 3));
    const auto series = store.metrics().series(run, "key1");
    QCOMPARE(series.size(), size_t(50));
    QCOMPARE(series[9].step, int64_t(10));
    QCOMPARE(series[9].value, 10 * 0.5 + 1);
    QCOMPARE(store.metrics().series(run, "key1", 45).size(), size_t(5));
    store.metrics().truncateAfter(run, 20);
    QCOMPARE(store.metrics().count(run), int64_t(60));
  }

  // What the window checks before re-reading latency tables: changes with a new table and
  // with replaced checks (same count), not without a change.
  void latencyChangeStampFollowsTablesAndChecks() {
    test::Scratch s;
    Store store(s.path("p.sqlite"));
    const std::string empty = store.latency().changeStamp();
    LatencyTableRecord t;
    t.device = "cpu";
    t.spaceHash = "h";
    t.inputShape = "1x28x28";
    t.entries = {{"block", 0.5}};
    t.checks = {{"arch", 1.0, 1.1, 0}};
    const int64_t id = store.latency().add(t);
    const std::string one = store.latency().changeStamp();
    QVERIFY(one != empty);
    QCOMPARE(store.latency().changeStamp(), one);
    store.latency().setChecks(id, {{"arch", 1.0, 1.3, 0}});
    QVERIFY(store.latency().changeStamp() != one);
  }

  void failedBatchLeavesNothingBehind() {
    test::Scratch s;
    Store store(s.path("p.sqlite"));
    // Run 999 does not exist: the foreign key fails on the first row, the batch rolls back.
    QVERIFY_THROWS_EXCEPTION(DbError, store.metrics().append(999, stepRows(1, 5)));
    QCOMPARE(store.metrics().count(999), int64_t(0));
  }

  void deletingARunCascadesToItsRows() {
    test::Scratch s;
    Store store(s.path("p.sqlite"));
    const int64_t keep = store.runs().create(newRun("keep"));
    const int64_t drop = store.runs().create(newRun("drop"));
    store.metrics().append(keep, stepRows(1, 2));
    store.metrics().append(drop, stepRows(1, 2));
    CheckpointRecord checkpoint;
    checkpoint.runId = drop;
    checkpoint.path = "checkpoints/x.pt";
    checkpoint.sha256 = "abc";
    store.checkpoints().add(checkpoint);
    store.db().exec("DELETE FROM runs WHERE id = " + std::to_string(drop));
    QCOMPARE(store.metrics().count(drop), int64_t(0));
    QCOMPARE(store.metrics().count(keep), int64_t(2));
    QVERIFY(!store.checkpoints().latest(drop));
  }

  void readerInAnotherThreadSeesOnlyWholeSteps() {
    test::Scratch s;
    const std::string path = s.path("p.sqlite");
    Store writer(path);
    const int64_t run = writer.runs().create(newRun("r"));
    constexpr int kKeys = 7;
    std::atomic<bool> done{false};
    std::atomic<int> reads{0};
    std::atomic<int> torn{0};
    std::thread reader([&] {
      Store store(path, Database::Mode::ReadOnly);
      while (!done.load()) {
        const int64_t n = store.metrics().count(run);
        if (n % kKeys != 0) ++torn;
        ++reads;
      }
    });
    for (int64_t step = 1; step <= 400; ++step) writer.metrics().append(run, stepRows(step, kKeys));
    done = true;
    reader.join();
    QVERIFY(reads.load() > 0);
    QCOMPARE(torn.load(), 0);
    QCOMPARE(writer.metrics().count(run), int64_t(400 * kKeys));
  }

  void batchedInsertRate() {
    // A benchmark, reported rather than asserted: rows per second for 100k metric rows.
    test::Scratch s;
    Store store(s.path("p.sqlite"));
    const int64_t run = store.runs().create(newRun("r"));
    std::vector<MetricSample> rows;
    for (int64_t i = 0; i < 100000; ++i) rows.push_back({i, i / 1000.0, "loss", 0.5, 1.0});
    const auto start = std::chrono::steady_clock::now();
    for (size_t i = 0; i < rows.size(); i += 1000) {
      store.metrics().append(run, {rows.begin() + i, rows.begin() + i + 1000});
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    qInfo("metric inserts: %.0f rows/s (100k rows in batches of 1000)", 100000 / seconds);
    QCOMPARE(store.metrics().count(run), int64_t(100000));
  }
};

QTEST_APPLESS_MAIN(TestStore)
#include "tst_store.moc"
