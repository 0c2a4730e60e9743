// The pieces under the Subnets tab at real sizes, each against a brute-force answer: the
// compact rows, the snapshot load (incremental equals whole), the table's worker-made order,
// the scatter's spatial index and round axes, the density image, and the latest-only runner.
#include <QtTest>
#include <cmath>
#include <random>
#include <set>

#include "subnet_fixture.h"
#include "test_support.h"
#include "views/compact_subnets.h"
#include "views/latest_only_runner.h"
#include "views/point_grid.h"
#include "views/scatter_data.h"
#include "views/subnet_snapshot.h"
#include "views/subnet_table_order.h"

using namespace sn;

namespace {

SubnetLoadRequest requestFor(const std::string& dir, int64_t run) {
  SubnetLoadRequest r;
  r.databasePath = dir + "/project.sqlite";
  r.runId = run;
  r.space = Project::open(dir).config().space;
  r.shape = {1, 28, 10};
  return r;
}

void compareRecords(const SubnetRecord& a, const SubnetRecord& b) {
  QCOMPARE(a.id, b.id);
  QCOMPARE(a.runId, b.runId);
  QCOMPARE(a.checkpointId, b.checkpointId);
  QCOMPARE(a.epoch, b.epoch);
  QCOMPARE(a.arch, b.arch);
  QCOMPARE(a.archHash, b.archHash);
  QCOMPARE(a.macs, b.macs);
  QCOMPARE(a.params, b.params);
  QCOMPARE(a.accuracy, b.accuracy);
  QCOMPARE(a.latencyMs, b.latencyMs);
  QCOMPARE(a.latencyDevice, b.latencyDevice);
  QCOMPARE(a.source, b.source);
  QCOMPARE(a.sparseMacs, b.sparseMacs);
}

}  // namespace

class TestSubnetViews : public QObject {
  Q_OBJECT
  test::Scratch scratch;

 private Q_SLOTS:
  // Every stored field comes back; a copy shares the rows, and appending to it leaves the
  // original as it was.
  void compactRowsRoundTrip() {
    const std::string dir = scratch.path("compact");
    const int64_t run = test::fillSubnetProject(dir, 300);
    Store store(dir + "/project.sqlite", Database::Mode::ReadOnly);
    const std::vector<SubnetRecord> all = store.subnets().forRun(run);
    CompactSubnets rows;
    for (size_t i = 0; i + 1 < all.size(); ++i) rows.append(all[i]);
    QCOMPARE(rows.size(), all.size() - 1);
    for (size_t i = 0; i < rows.size(); ++i) compareRecords(rows.record(i), all[i]);
    QCOMPARE(*rows.indexOf(all[123].id), size_t{123});
    QVERIFY(!rows.indexOf(all.back().id));
    CompactSubnets copy = rows;
    copy.append(all.back());
    QCOMPARE(copy.size(), all.size());
    QCOMPARE(rows.size(), all.size() - 1);
    QCOMPARE(std::string(rows.arch(rows.size() - 1)), all[all.size() - 2].arch);
    compareRecords(copy.record(all.size() - 1), all.back());
    QVERIFY_THROWS_EXCEPTION(std::logic_error, copy.append(all.front()));  // ids must ascend
  }

  // Loading only the rows after the last one seen gives what a whole load gives.
  void incrementalLoadEqualsWholeLoad() {
    const std::string dir = scratch.path("snapshot");
    int64_t run = 0;
    {
      Project project = Project::create(dir, "fmnist-small");
      run = test::addSqlSubnetRun(project, "r", 70000, 1);  // over one 65536-row chunk
    }
    const std::atomic<bool> no{false};
    const SubnetLoadRequest request = requestFor(dir, run);
    const auto first = loadSubnetSnapshot(request, nullptr, no);
    QCOMPARE(first->subnets.size(), size_t{70000});
    QVERIFY(!first->incremental);
    {
      Project project = Project::open(dir);
      test::appendSqlSubnets(project, run, 5000, 2);
    }
    const auto more = loadSubnetSnapshot(request, first, no);
    const auto whole = loadSubnetSnapshot(request, nullptr, no);
    QVERIFY(more->incremental);
    QCOMPARE(first->subnets.size(), size_t{70000});  // the shown snapshot is untouched
    QCOMPARE(more->subnets.size(), whole->subnets.size());
    for (size_t i = 0; i < whole->subnets.size(); i += 97) compareRecords(more->subnets.record(i), whole->subnets.record(i));
    QCOMPARE(more->skyline.entries().size(), whole->skyline.entries().size());
    for (const CostLimits& l : {CostLimits{}, CostLimits{2e6, 1e9, 1e9}, CostLimits{1e9, 1e9, 0.5}}) {
      QCOMPARE(more->skyline.best(l).has_value(), whole->skyline.best(l).has_value());
      if (whole->skyline.best(l)) QCOMPARE(more->skyline.best(l)->accuracy, whole->skyline.best(l)->accuracy);
    }
    QCOMPARE(more->macsM.max, whole->macsM.max);
    QCOMPARE(more->latencyMs.min, whole->latencyMs.min);
    // Rows deleted under it (the run removed, its id reused): read whole again.
    {
      Project project = Project::open(dir);
      project.store().db().exec("DELETE FROM subnets WHERE id % 2 = 0");
    }
    const auto after = loadSubnetSnapshot(request, more, no);
    QVERIFY(!after->incremental);
    QCOMPARE(static_cast<int64_t>(after->subnets.size()), Store(dir + "/project.sqlite", Database::Mode::ReadOnly).subnets().count(run));
    // A superseded load gives nothing.
    const std::atomic<bool> yes{true};
    QVERIFY(!loadSubnetSnapshot(request, nullptr, yes));
  }

  // A run of over four chunks is read in two id ranges at once; the rows are the same.
  void splitLoadReadsEveryRow() {
    const std::string dir = scratch.path("split");
    int64_t run = 0;
    {
      Project project = Project::create(dir, "fmnist-small");
      run = test::addSqlSubnetRun(project, "r", 4 * 65536 + 1234, 9);
    }
    const std::atomic<bool> no{false};
    const auto s = loadSubnetSnapshot(requestFor(dir, run), nullptr, no);
    Store store(dir + "/project.sqlite", Database::Mode::ReadOnly);
    const std::vector<SubnetRecord> all = store.subnets().forRun(run);
    QCOMPARE(s->subnets.size(), all.size());
    QCOMPARE(s->latency.size(), all.size());
    for (size_t i = 0; i < all.size(); i += 997) compareRecords(s->subnets.record(i), all[i]);
    for (size_t i : {size_t{0}, size_t{2 * 65536 - 1}, size_t{2 * 65536}, all.size() - 1}) {
      compareRecords(s->subnets.record(i), all[i]);
      QCOMPARE(s->hasLatency(i), all[i].latencyMs.has_value());
    }
    // The skyline is the one a single read makes.
    std::vector<SkylineEntry> entries;
    for (const SubnetRecord& r : all) {
      entries.push_back({r.id, double(r.macs), double(r.params), r.latencyMs.value_or(INFINITY), *r.accuracy});
    }
    const SubnetSkyline expected(entries);
    QCOMPARE(s->skyline.entries().size(), expected.entries().size());
    QCOMPARE(s->skyline.best(CostLimits{3e6, 1e9, 0.6})->id, expected.best(CostLimits{3e6, 1e9, 0.6})->id);
  }

  // The worker-made table order: sorted like std::sort would, filtered by id, source or arch.
  void tableOrderSortsAndFilters() {
    const std::string dir = scratch.path("order");
    const int64_t run = test::fillSubnetProject(dir, 2000);
    const std::atomic<bool> no{false};
    const auto snapshot = loadSubnetSnapshot(requestFor(dir, run), nullptr, no);
    const auto byMacs = SubnetTableOrder::build(snapshot, SubnetTableOrder::Macs, false, "", no);
    QCOMPARE(byMacs->order.size(), size_t{2000});
    for (size_t k = 1; k < byMacs->order.size(); ++k) {
      QVERIFY(snapshot->subnets.row(byMacs->order[k - 1]).macs <= snapshot->subnets.row(byMacs->order[k]).macs);
    }
    for (size_t k = 0; k < byMacs->order.size(); k += 37) QCOMPARE(byMacs->rowOf[byMacs->order[k]], int32_t(k));
    const auto searched = SubnetTableOrder::build(snapshot, SubnetTableOrder::Accuracy, true, "SEARCHED", no);
    size_t expected = 0;
    for (size_t i = 0; i < snapshot->subnets.size(); ++i)
      expected += snapshot->subnets.source(i) == SubnetSource::Searched;
    QCOMPARE(searched->order.size(), expected);
    for (size_t k = 1; k < searched->order.size(); ++k) {
      QVERIFY(snapshot->subnets.row(searched->order[k - 1]).accuracy >= snapshot->subnets.row(searched->order[k]).accuracy);
    }
    const std::string arch(snapshot->subnets.arch(5));
    const auto one = SubnetTableOrder::build(snapshot, SubnetTableOrder::Id, false, arch, no);
    QVERIFY(!one->order.empty());
    for (uint32_t i : one->order) QCOMPARE(std::string(snapshot->subnets.arch(i)), arch);
  }

  // The spatial index finds what a scan finds, in and out of the plotted range.
  void pointGridFindsTheNearest() {
    std::mt19937 rng(3);
    std::normal_distribution<double> x(5, 2), y(80, 5);
    std::vector<PlotPoint> points(50000);
    for (size_t i = 0; i < points.size(); ++i) points[i] = {x(rng), y(rng), 0, static_cast<int64_t>(i)};
    const PointGrid grid(points, 0, 10, 60, 100);
    std::uniform_real_distribution<double> qx(-1, 11), qy(55, 105);
    for (int q = 0; q < 500; ++q) {
      const double px = qx(rng), py = qy(rng), radius = q % 2 ? 0.01 : 0.2;
      long best = -1;
      double bestD = radius * radius;
      for (size_t i = 0; i < points.size(); ++i) {
        const double dx = (points[i].x - px) / 10, dy = (points[i].y - py) / 40;
        if (dx * dx + dy * dy <= bestD) bestD = dx * dx + dy * dy, best = static_cast<long>(i);
      }
      const long found = grid.nearest(points, px, py, radius);
      if (best < 0) {
        QCOMPARE(found, -1L);
      } else {
        QVERIFY(found >= 0);
        const double dx = (points[found].x - px) / 10, dy = (points[found].y - py) / 40;
        QCOMPARE(dx * dx + dy * dy, bestD);
      }
    }
  }

  // Axes at round values that cover the data; labels without noise digits.
  void axesHaveRoundTicks() {
    for (auto [lo, hi] : {std::pair{-0.113, 0.519}, std::pair{0.00855, 0.23}, std::pair{83.2, 91.7},
                          std::pair{1.0, 1.0}, std::pair{120.0, 45000.0}}) {
      const AxisRange r = AxisRange::nice(lo, hi, 0.05, 1e-6);
      QVERIFY(r.min <= lo && r.max >= hi);
      QVERIFY(r.ticks >= 3 && r.ticks <= 12);
      const double step = (r.max - r.min) / (r.ticks - 1);
      const double mantissa = step / std::pow(10, std::floor(std::log10(step)));
      const std::set<double> round{1, 2, 2.5, 5};
      QVERIFY2(round.count(std::round(mantissa * 10) / 10) == 1, qPrintable(QString::number(step)));
      QVERIFY(std::abs(std::remainder(r.min, step)) < 1e-9 * std::max(1.0, std::abs(r.min)));
      // The label of every tick reads exactly as the tick.
      for (int t = 0; t < r.ticks; ++t) {
        const double v = r.min + t * step;
        const QString label = QString::asprintf(qPrintable(r.labelFormat), v);
        QVERIFY2(std::abs(label.toDouble() - v) < 1e-9 * std::max(1.0, std::abs(v)), qPrintable(label));
      }
    }
  }

  // A million points as an image: where they fall, in their group's colour, the last group on top.
  void densityImageShowsTheGroups() {
    std::vector<PlotPoint> points;
    for (int i = 0; i < 200000; ++i) points.push_back({1 + (i % 100) / 100.0, 80.0 + (i % 7), i % 2, i});
    points.push_back({0.5, 95, 2, 300000});  // one lone point of a third group, top left
    const auto data = ScatterData::build("MACs (M)", {{"a", Qt::red}, {"b", Qt::blue}, {"c", Qt::darkGreen}},
                                         points, {});
    const std::atomic<bool> no{false};
    const QImage image = renderDensity(*data, QSize(400, 300), no);
    QCOMPARE(image.size(), QSize(400, 300));
    const int px = static_cast<int>((0.5 - data->x.min) / (data->x.max - data->x.min) * 400);
    const int py = static_cast<int>((data->y.max - 95) / (data->y.max - data->y.min) * 300);
    QCOMPARE(QColor(image.pixel(px, py)), QColor(Qt::darkGreen));  // one subnet: its own colour
    int blue = 0, red = 0, empty = 0;
    for (int y = 0; y < 300; ++y) {
      for (int x = 0; x < 400; ++x) {
        const QColor c = QColor::fromRgba(image.pixel(x, y));
        if (c.alpha() == 0) ++empty;
        else if (c.blue() > c.red()) ++blue;
        else if (c.red() > c.blue()) ++red;
      }
    }
    QVERIFY(blue > 0 && red > 0 && empty > 400 * 300 / 2);
    const std::atomic<bool> yes{true};
    QVERIFY(renderDensity(*data, QSize(400, 300), yes).isNull());
    QCOMPARE(data->find(123456)->id, int64_t{123456});
    QVERIFY(!data->find(-5));
  }

  // Only the newest request is applied; the ones it replaced are never applied.
  void latestOnlyRunnerAppliesTheNewest() {
    LatestOnlyRunner runner;
    std::vector<int> applied;
    std::atomic<int> ran{0};
    for (int i = 0; i < 5; ++i) {
      runner.request([&, i](const std::atomic<bool>& superseded) -> LatestOnlyRunner::Apply {
        ++ran;
        for (int k = 0; k < 50 && !superseded; ++k) QThread::msleep(2);
        return [&, i] { applied.push_back(i); };
      });
    }
    QVERIFY(runner.busy());
    QSignalSpy idle(&runner, &LatestOnlyRunner::idle);
    QVERIFY(idle.wait(10000));
    QCOMPARE(applied, std::vector<int>{4});
    QVERIFY(ran <= 2);  // the first, then only the newest: the three between never ran
    QSignalSpy failed(&runner, &LatestOnlyRunner::failed);
    runner.request([](const std::atomic<bool>&) -> LatestOnlyRunner::Apply { throw std::runtime_error("x.sqlite: gone"); });
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.front().front().toString(), QString("x.sqlite: gone"));
  }
};

QTEST_MAIN(TestSubnetViews)
#include "tst_subnet_views.moc"
