// Comparing runs and managing them: hypervolume against brute force, the recipe diff, the
// comparison's tables and their CSV round trip, and RunManager's delete / import / new run
// on real project folders (SQLite files and checkpoint files).
#include <QtTest>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include "core/compare/hypervolume.h"
#include "core/compare/recipe_diff.h"
#include "core/compare/run_comparison.h"
#include "core/project/run_manager.h"
#include "core/project/training_lock.h"
#include "core/util/csv_table.h"
#include "core/util/input_error.h"
#include "core/util/sha256.h"
#include "db/statement.h"
#include "subnet_fixture.h"
#include "test_support.h"

using namespace sn;
namespace fs = std::filesystem;

namespace {

// Unit cells [x, x+1] x [y, y+1] inside the reference box that some point dominates: the
// hypervolume of integer points, counted.
double bruteForceHypervolume(const std::vector<FrontPoint>& points, const FrontPoint& ref) {
  double cells = 0;
  for (int x = 0; x < static_cast<int>(ref.cost); ++x) {
    for (int y = static_cast<int>(ref.accuracy); y < 100; ++y) {
      for (const FrontPoint& p : points) {
        if (p.cost <= x && p.accuracy >= y + 1 && p.cost < ref.cost && p.accuracy > ref.accuracy) {
          ++cells;
          break;
        }
      }
    }
  }
  return cells;
}

// A checkpoint file with known bytes, recorded as training would record it.
void addCheckpoint(Project& project, int64_t runId, int64_t step) {
  const std::string relative = "checkpoints/run-" + std::to_string(runId) + "-step-" +
                               std::to_string(step) + ".pt";
  fs::create_directories(project.checkpointsDir());
  std::ofstream(project.checkpointPath(relative)) << "weights of run " << runId << " step " << step;
  CheckpointRecord c;
  c.runId = runId;
  c.epoch = step / 100;
  c.step = step;
  c.path = relative;
  c.sha256 = sha256File(project.checkpointPath(relative));
  project.store().checkpoints().add(c);
}

std::set<std::string> filesUnder(const std::string& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) out.insert(fs::relative(e.path(), dir).string());
  }
  return out;
}

int64_t countRows(Store& store, const std::string& table, int64_t runId) {
  Statement st = store.db().prepare("SELECT COUNT(*) FROM " + table + " WHERE run_id = ?");
  st.bind(1, runId);
  st.step();
  return st.columnInt64(0);
}

}  // namespace

class TestCompare : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void hypervolumeOfKnownFronts() {
    // One point: the rectangle to the reference.
    QCOMPARE(hypervolume({{2, 80}}, {10, 70}), 8.0 * 10.0);
    // A staircase: 2..5 at height 5, 5..10 at height 15 (above 70).
    QCOMPARE(hypervolume({{2, 75}, {5, 85}, {6, 80}}, {10, 70}), 3 * 5.0 + 5 * 15.0);
    // Points outside the box add nothing; no points, nothing.
    QCOMPARE(hypervolume({{12, 99}, {1, 60}}, {10, 70}), 0.0);
    QCOMPARE(hypervolume({}, {10, 70}), 0.0);
  }

  void hypervolumeMatchesBruteForce() {
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> cost(0, 40), accuracy(50, 99), n(0, 25);
    for (int trial = 0; trial < 300; ++trial) {
      std::vector<FrontPoint> points(n(rng));
      for (FrontPoint& p : points) p = {double(cost(rng)), double(accuracy(rng))};
      const FrontPoint ref{double(cost(rng) + 1), double(accuracy(rng) - 1)};
      QCOMPARE(hypervolume(points, ref), bruteForceHypervolume(points, ref));
    }
  }

  void recipeDiffListsExactlyTheDifferingKeys() {
    const nlohmann::json a = {{"recipe", {{"lr", 0.1}, {"epochs", 10}, {"distillation", {{"kind", "kl"}}}}},
                              {"space", {{"kernels", {3, 5}}}},
                              {"dataset", {{"kind", "fashion-mnist"}}}};
    nlohmann::json b = a, c = a;
    b["recipe"]["lr"] = 0.05;
    c["recipe"]["distillation"]["kind"] = "alpha";
    c["space"]["kernels"] = {3, 5, 7};
    c["recipe"]["pruning"] = {{"target", 0.9}};  // only in c
    const std::vector<DiffRow> rows = recipeDiff({a, b, c});
    std::vector<std::string> keys;
    for (const DiffRow& r : rows) keys.push_back(r.key);
    QCOMPARE(keys, (std::vector<std::string>{"recipe.distillation.kind", "recipe.lr",
                                             "recipe.pruning.target", "space.kernels"}));
    QCOMPARE(rows[1].values[0].value(), std::string("0.1"));
    QCOMPARE(rows[1].values[1].value(), std::string("0.05"));
    QVERIFY(!rows[2].values[0].has_value());
    QCOMPARE(rows[3].values[2].value(), std::string("[3,5,7]"));
    QVERIFY(recipeDiff({a, a}).empty());
  }

  void csvRoundTripsAwkwardCells() {
    CsvTable t{{"a", "b,c", "quote\"d"}, {{"1", "x, y", "say \"hi\""}, {"", "line\nbreak", "2.5"}}};
    const CsvTable back = CsvTable::parse(t.toText(), "t.csv");
    QCOMPARE(back.header, t.header);
    QCOMPARE(back.rows, t.rows);
    QVERIFY_THROWS_EXCEPTION(InputError, CsvTable::parse("a,b\n1\n", "bad.csv"));
    QVERIFY_THROWS_EXCEPTION(InputError, CsvTable::parse("a,\"b\n", "bad.csv"));
    for (double v : {0.1, 91.2, 1.0 / 3, 6.7e6, -2.5e-9}) QCOMPARE(std::stod(csvNumber(v)), v);
  }

  void comparisonOfThreeRuns() {
    test::Scratch scratch;
    Project project = Project::create(scratch.path("p"), "fmnist-small");
    nlohmann::json other = project.config().toJson();
    other["recipe"]["lr"] = 0.05;
    other["recipe"]["method"] = "uniform";
    const int64_t a = test::addSubnetRun(project, "base", 300, 1);
    const int64_t b = test::addSubnetRun(project, "better", 300, 2, 0.01, other);
    const int64_t c = test::addSubnetRun(project, "worse", 300, 3, -0.02);
    CompareOptions o;
    o.limits.maxMacs = 5e6;
    // The first view: every run's measured points and front, before its numbers are read.
    std::vector<RunPoints> early;
    bool earlyMeasured = false;
    const RunComparison cmp = compareRuns(
        project.store(), {a, b, c}, o,
        [&](const RunComparison& runs, const std::vector<RunPoints>& points) {
          for (const RunFront& r : runs.runs)
            earlyMeasured |= !r.measured.empty() || r.hypervolume != 0 || r.best.has_value();
          early = points;
        });
    QCOMPARE(cmp.runs.size(), size_t(3));
    QCOMPARE(early.size(), size_t(3));
    QVERIFY(!earlyMeasured);
    for (size_t i = 0; i < 3; ++i) {
      // The same front and sample as the whole comparison's scatter draws: 240 measured, all
      // drawn (under kDrawnPerRun), the front first.
      const RunPoints whole = pointsOf(cmp.runs[i], cmp.by);
      QCOMPARE(early[i].measured, size_t(240));
      QCOMPARE(whole.measured, size_t(240));
      QCOMPARE(early[i].frontSize, cmp.runs[i].front.size());
      QCOMPARE(early[i].ids, whole.ids);
      QCOMPARE(early[i].ids.size(), size_t(240));
      for (size_t k = 0; k < whole.points.size(); ++k) {
        QCOMPARE(early[i].points[k].cost, whole.points[k].cost);
        QCOMPARE(early[i].points[k].accuracy, whole.points[k].accuracy);
      }
      for (size_t k = 0; k < early[i].frontSize; ++k)
        QCOMPARE(early[i].ids[k], cmp.runs[i].measured[cmp.runs[i].front[k]].id);
    }
    // The shifted runs order as they were made; the default reference is below everything.
    QVERIFY(cmp.runs[1].hypervolume > cmp.runs[0].hypervolume);
    QVERIFY(cmp.runs[0].hypervolume > cmp.runs[2].hypervolume);
    for (const RunFront& r : cmp.runs) {
      // Only measured subnets: 300 minus the predicted fifth.
      QCOMPARE(r.measured.size(), size_t(240));
      QVERIFY(!r.front.empty());
      // No measured subnet dominates a front point; the best is the brute-force best.
      for (size_t i : r.front) {
        for (const MeasuredSubnet& s : r.measured) {
          const bool dominates = s.macs <= r.measured[i].macs && s.accuracy >= r.measured[i].accuracy &&
                                 (s.macs < r.measured[i].macs || s.accuracy > r.measured[i].accuracy);
          QVERIFY(!dominates);
        }
      }
      // The numbers are the stored rows' (only the text is left out), and every front
      // subnet's whole record is kept for the tables.
      std::vector<SubnetRecord> stored;
      for (const SubnetRecord& s : project.store().subnets().forRun(r.run.id)) {
        if (isMeasured(s.source)) stored.push_back(s);
      }
      QCOMPARE(stored.size(), r.measured.size());
      for (size_t i = 0; i < stored.size(); ++i) {
        QCOMPARE(r.measured[i].id, stored[i].id);
        QCOMPARE(r.measured[i].macs, stored[i].macs);
        QCOMPARE(r.measured[i].params, stored[i].params);
        QCOMPARE(r.measured[i].accuracy, *stored[i].accuracy);
        QCOMPARE(r.measured[i].latencyMs, stored[i].latencyMs);
        QCOMPARE(r.measured[i].epoch, stored[i].epoch);
        QCOMPARE(r.measured[i].source, stored[i].source);
      }
      for (size_t i : r.front) QCOMPARE(r.shown.at(r.measured[i].id).arch, stored[i].arch);
      const SubnetRecord* best = nullptr;
      for (const SubnetRecord& s : stored) {
        if (s.macs <= 5e6 && (!best || *s.accuracy > *best->accuracy)) best = &s;
      }
      QVERIFY(r.best && best);
      QCOMPARE(*r.best->accuracy, *best->accuracy);
      QCOMPARE(r.best->arch, project.store().subnets().find(r.best->id)->arch);
      // One history point per epoch with evaluated subnets (the fixture's epochs 1 and 6
      // hold only predicted ones), each no more than the whole.
      QCOMPARE(r.history.size(), size_t(8));
      for (const auto& [epoch, hv] : r.history) QVERIFY(hv <= r.hypervolume + 1e-9);
    }
    // The training method is a column of its own, and a recipe difference like any other.
    QCOMPARE(cmp.runs[0].method, std::string("sandwich"));
    QCOMPARE(cmp.runs[1].method, std::string("uniform"));
    QCOMPARE(hypervolumeTable(cmp).header[3], std::string("method"));
    QCOMPARE(hypervolumeTable(cmp).rows[1][3], std::string("uniform"));
    QCOMPARE(cmp.recipeDiff.size(), size_t(2));
    QCOMPARE(cmp.recipeDiff[0].key, std::string("recipe.lr"));
    QCOMPARE(cmp.recipeDiff[1].key, std::string("recipe.method"));

    // Every table survives CSV, numbers included.
    for (const CsvTable& t : {hypervolumeTable(cmp), bestSubnetTable(cmp), recipeDiffTable(cmp),
                              historyTable(cmp), frontTable(cmp),
                              curvesTable(project.store(), {a, b, c}, "acc/test_largest")}) {
      const CsvTable back = CsvTable::parse(t.toText(), "table.csv");
      QCOMPARE(back.header, t.header);
      QCOMPARE(back.rows, t.rows);
    }
    const CsvTable hv = CsvTable::parse(hypervolumeTable(cmp).toText(), "hv.csv");
    for (size_t i = 0; i < 3; ++i) QCOMPARE(std::stod(hv.rows[i][7]), cmp.runs[i].hypervolume);
    QCOMPARE(curvesTable(project.store(), {a, b, c}, "acc/test_largest").rows.size(), size_t(30));

    // A set reference point is used as given; tighter limits re-pick without the database.
    o.referenceCost = 4;
    o.referenceAccuracy = 85;
    const RunComparison fixed = compareRuns(project.store(), {a, b}, o);
    QCOMPARE(fixed.reference.cost, 4.0);
    QCOMPARE(fixed.reference.accuracy, 85.0);
    RunComparison tight = cmp;
    CostLimits none;
    none.maxMacs = 1;  // nothing fits
    applyLimits(tight, none);
    for (const RunFront& r : tight.runs) QVERIFY(!r.best);
  }

  void firstViewByLatencyHasOnlySubnetsWithALatency() {
    test::Scratch scratch;
    Project project = Project::create(scratch.path("p"), "fmnist-small");
    const int64_t a = test::addSubnetRun(project, "a", 200, 1);
    const int64_t b = test::addSubnetRun(project, "b", 200, 2);
    // A third of them never had their latency measured.
    project.store().db().exec("UPDATE subnets SET latency_ms = NULL WHERE id % 3 = 0");
    CompareOptions o;
    o.by = "latency";
    std::vector<RunPoints> early;
    const RunComparison cmp = compareRuns(
        project.store(), {a, b}, o,
        [&](const RunComparison&, const std::vector<RunPoints>& points) { early = points; });
    QCOMPARE(early.size(), size_t(2));
    for (size_t i = 0; i < 2; ++i) {
      // 200 less the predicted fifth, less the measured ones without a latency.
      size_t withLatency = 0;
      for (const SubnetRecord& s : project.store().subnets().forRun(cmp.runs[i].run.id)) {
        withLatency += isMeasured(s.source) && s.accuracy && s.latencyMs;
      }
      QVERIFY(withLatency < 160);
      QCOMPARE(early[i].measured, withLatency);
      QCOMPARE(early[i].ids, pointsOf(cmp.runs[i], "latency").ids);
      QCOMPARE(early[i].frontSize, cmp.runs[i].front.size());
      for (size_t k = 0; k < early[i].frontSize; ++k) {
        QCOMPARE(early[i].points[k].cost, *cmp.runs[i].measured[cmp.runs[i].front[k]].latencyMs);
      }
    }
  }

  void comparisonRefusesBadRequests() {
    test::Scratch scratch;
    Project project = Project::create(scratch.path("p"), "fmnist-small");
    const int64_t a = test::addSubnetRun(project, "a", 20, 1);
    const int64_t b = test::addSubnetRun(project, "b", 20, 2);
    CompareOptions o;
    QVERIFY_THROWS_EXCEPTION(InputError, compareRuns(project.store(), {a}, o));
    QVERIFY_THROWS_EXCEPTION(InputError, compareRuns(project.store(), {a, a}, o));
    QVERIFY_THROWS_EXCEPTION(InputError, compareRuns(project.store(), {a, 99}, o));
    QVERIFY_THROWS_EXCEPTION(InputError, compareRuns(project.store(), {a, b, a, b, a, b, 7}, o));
    o.by = "speed";
    QVERIFY_THROWS_EXCEPTION(InputError, compareRuns(project.store(), {a, b}, o));
  }

  void deletingARunRemovesItsRowsAndFilesAndNothingElse() {
    test::Scratch scratch;
    Project project = Project::create(scratch.path("p"), "fmnist-small");
    const int64_t keep = test::addSubnetRun(project, "keep", 50, 1);
    const int64_t gone = test::addSubnetRun(project, "gone", 50, 2);
    for (int64_t step : {100, 200}) {
      addCheckpoint(project, keep, step);
      addCheckpoint(project, gone, step);
    }
    fs::create_directories(project.dir() + "/exports/run2-abc");
    std::ofstream(project.dir() + "/exports/run2-abc/model.onnx") << "exported";
    std::ofstream(project.checkpointsDir() + "/notes.txt") << "the user's file";
    const std::set<std::string> before = filesUnder(project.dir());
    Store& store = project.store();
    const int64_t keepMetrics = countRows(store, "metrics", keep);

    const std::vector<std::string> removed = RunManager(project).remove(gone);
    QCOMPARE(removed.size(), size_t(2));
    QVERIFY(!store.runs().find(gone));
    for (const char* table : {"metrics", "checkpoints", "subnets"}) QCOMPARE(countRows(store, table, gone), 0);
    QCOMPARE(countRows(store, "metrics", keep), keepMetrics);
    QCOMPARE(countRows(store, "subnets", keep), int64_t(50));
    QCOMPARE(countRows(store, "checkpoints", keep), int64_t(2));
    std::set<std::string> expected = before;
    expected.erase("checkpoints/run-2-step-100.pt");
    expected.erase("checkpoints/run-2-step-200.pt");
    const std::set<std::string> after = filesUnder(project.dir());
    for (const std::string& f : expected) QVERIFY2(after.count(f), f.c_str());
    QVERIFY(!after.count("checkpoints/run-2-step-100.pt"));
    QVERIFY_THROWS_EXCEPTION(InputError, RunManager(project).remove(gone));

    // The run a trainer holds is refused, and kept, until that trainer lets go.
    project.store().runs().markStarted(keep);
    {
      const TrainingLock lock(project.dir());
      QVERIFY_THROWS_EXCEPTION(InputError, RunManager(project).remove(keep));
      QVERIFY(store.runs().find(keep));
    }
    QCOMPARE(RunManager(project).remove(keep).size(), size_t(2));  // a crashed run's "running"
  }

  void importCopiesRowsAndVerifiedFiles() {
    test::Scratch scratch;
    Project source = Project::create(scratch.path("src"), "fmnist-small");
    const int64_t s1 = test::addSubnetRun(source, "one", 40, 1);
    const int64_t s2 = test::addSubnetRun(source, "two", 40, 2);
    addCheckpoint(source, s1, 100);
    addCheckpoint(source, s2, 100);
    // Subnets that name their checkpoint must name the copy's.
    source.store().db().exec("UPDATE subnets SET checkpoint_id = (SELECT id FROM checkpoints WHERE run_id = subnets.run_id)");
    Project target = Project::create(scratch.path("dst"), "fmnist-small");
    const int64_t own = test::addSubnetRun(target, "own", 10, 3);

    const std::vector<int64_t> ids = RunManager(target).importFrom(source.dir(), {s2});
    QCOMPARE(ids.size(), size_t(1));
    const int64_t id = ids[0];
    QVERIFY(id != own);
    const auto run = target.store().runs().find(id);
    QCOMPARE(run->name, std::string("two"));
    QVERIFY(run->origin.find("imported from") == 0);
    QCOMPARE(countRows(target.store(), "subnets", id), int64_t(40));
    QCOMPARE(target.store().metrics().count(id), source.store().metrics().count(s2));
    const auto checkpoint = target.store().checkpoints().latest(id);
    QVERIFY(checkpoint);
    QCOMPARE(checkpoint->path, "checkpoints/run-" + std::to_string(id) + "-step-100.pt");
    QCOMPARE(sha256File(target.checkpointPath(checkpoint->path)), checkpoint->sha256);
    for (const SubnetRecord& s : target.store().subnets().forRun(id)) QCOMPARE(s.checkpointId.value(), checkpoint->id);
    // The same comparison numbers in both projects.
    const CompareOptions o;
    const RunComparison there = compareRuns(source.store(), {s1, s2}, o);
    const std::vector<int64_t> both = RunManager(target).importFrom(source.dir(), {s1});
    const RunComparison here = compareRuns(target.store(), {both[0], id}, o);
    QCOMPARE(here.runs[1].hypervolume, there.runs[1].hypervolume);

    // A corrupt checkpoint: that run's import is undone, its files and rows gone.
    std::ofstream(source.checkpointPath("checkpoints/run-1-step-100.pt")) << "changed";
    const auto runsBefore = target.store().runs().all().size();
    const auto filesBefore = filesUnder(target.dir());
    try {
      RunManager(target).importFrom(source.dir(), {s1});
      QFAIL("a corrupt checkpoint was imported");
    } catch (const InputError& e) {
      QVERIFY2(std::string(e.what()).find("run-1-step-100.pt") != std::string::npos, e.what());
    }
    QCOMPARE(target.store().runs().all().size(), runsBefore);
    QCOMPARE(filesUnder(target.dir()), filesBefore);
    QVERIFY_THROWS_EXCEPTION(InputError, RunManager(target).importFrom(source.dir(), {42}));
    QVERIFY_THROWS_EXCEPTION(InputError, RunManager(target).importFrom(scratch.path("nowhere"), {}));
    QVERIFY_THROWS_EXCEPTION(InputError, RunManager(target).importFrom(target.dir(), {}));
  }

  void newRunCopiesTheRecipeWithChanges() {
    test::Scratch scratch;
    Project project = Project::create(scratch.path("p"), "fmnist-small");
    const int64_t source = test::addSubnetRun(project, "base", 5, 1);
    RunManager runs(project);
    NewRunRequest r;
    r.name = "lower lr";
    r.tags = parseTags(" lr , sweep,lr,, ");
    QCOMPARE(r.tags, (std::vector<std::string>{"lr", "sweep"}));
    r.config = runs.configOf(source);
    setConfigValue(r.config, "recipe.lr=0.025");
    setConfigValue(r.config, "recipe.distillation.kind=\"kl\"");
    const int64_t id = runs.createFrom(source, r);
    const auto run = project.store().runs().find(id);
    QCOMPARE(run->status, RunStatus::Created);
    QCOMPARE(run->tags, r.tags);
    QCOMPARE(run->origin, "copied from run " + std::to_string(source));
    const ProjectConfig config = ProjectConfig::fromText(run->configJson, "run");
    QCOMPARE(config.recipe.lr, 0.025);
    const std::vector<DiffRow> diff = recipeDiff({runs.configOf(source), runs.configOf(id)});
    QCOMPARE(diff.size(), size_t(1));
    QCOMPARE(diff[0].key, std::string("recipe.lr"));

    runs.rename(id, "  renamed ");
    runs.setTags(id, {"x"});
    QCOMPARE(project.store().runs().find(id)->name, std::string("renamed"));
    QCOMPARE(project.store().runs().find(id)->tags, std::vector<std::string>{"x"});

    // Bad changes name themselves and store nothing.
    const size_t count = project.store().runs().all().size();
    nlohmann::json bad = runs.configOf(source);
    QVERIFY_THROWS_EXCEPTION(InputError, setConfigValue(bad, "recipe.nope=1"));
    QVERIFY_THROWS_EXCEPTION(InputError, setConfigValue(bad, "recipe.lr"));
    setConfigValue(bad, "recipe.epochs=0");
    r.config = bad;
    QVERIFY_THROWS_EXCEPTION(InputError, runs.createFrom(source, r));
    r.config = runs.configOf(source);
    setConfigValue(r.config, "recipe.grad_clip=-1");  // used to pass as "off"
    QVERIFY_THROWS_EXCEPTION(InputError, runs.createFrom(source, r));
    QVERIFY_THROWS_EXCEPTION(InputError, runs.rename(id, "   "));
    QVERIFY_THROWS_EXCEPTION(InputError, parseTags(std::string(41, 't')));
    QCOMPARE(project.store().runs().all().size(), count);
  }
};

QTEST_GUILESS_MAIN(TestCompare)
#include "tst_compare.moc"
