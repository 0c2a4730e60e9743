// The training charts: decimation keeps what matters, live rows grow the series, and the
// view stays cheap to redraw with 200k points per series (numbers printed, not asserted).
#include <QChart>
#include <QElapsedTimer>
#include <QValueAxis>
#include <QtTest>

#include <cmath>

#include "views/decimate.h"
#include "views/metric_chart.h"
#include "views/training_view.h"

using namespace sn;

namespace {

std::vector<MetricSample> rows(const std::string& key, int64_t from, int64_t count, double scale = 1) {
  std::vector<MetricSample> out;
  for (int64_t i = 0; i < count; ++i) {
    const int64_t step = from + i;
    out.push_back({step, step / 100.0, key, scale * std::sin(step * 0.01) + 2.0, 0});
  }
  return out;
}

}  // namespace

class TestTrainingView : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void decimationKeepsExtremesAndBoundsTheCount() {
    QVector<QPointF> points;
    for (int i = 0; i < 100000; ++i) points.append({double(i), std::sin(i * 0.001)});
    points[54321].setY(50.0);  // a spike every-Nth sampling would likely drop
    points[77777].setY(-50.0);
    const QList<QPointF> shown = decimateMinMax(points, 0, 99999, 500);
    QVERIFY(shown.size() <= 2 * 500 + 2);
    QVERIFY(shown.size() >= 500);
    bool spikeUp = false, spikeDown = false;
    for (const QPointF& p : shown) {
      spikeUp |= p.y() == 50.0;
      spikeDown |= p.y() == -50.0;
    }
    QVERIFY(spikeUp && spikeDown);
    for (int i = 1; i < shown.size(); ++i) QVERIFY(shown[i - 1].x() <= shown[i].x());
  }

  void decimationOfAZoomedRangeCoversJustThatRange() {
    QVector<QPointF> points;
    for (int i = 0; i < 1000; ++i) points.append({double(i), double(i % 7)});
    const QList<QPointF> shown = decimateMinMax(points, 100, 200, 1000);
    QCOMPARE(shown.size(), 103);  // 100..200 plus one neighbour each side, all kept
    QCOMPARE(shown.front().x(), 99.0);
    QCOMPARE(shown.back().x(), 201.0);
  }

  void liveRowsGrowTheSeriesAndDuplicatesAreIgnored() {
    TrainingView view;
    view.resize(1000, 700);
    view.show();
    view.showRun(1, rows("loss/largest", 1, 50));
    QCOMPARE(view.sampleCount("loss/largest"), 50);
    view.appendRows(rows("loss/largest", 51, 10));
    view.appendRows(rows("loss/largest", 55, 10));  // 55..60 seen already
    QCOMPARE(view.sampleCount("loss/largest"), 64);
    MetricChart* chart = view.chartFor("loss/largest");
    QVERIFY(chart);
    QCOMPARE(chart->pointCount("loss/largest"), 64);
    QTRY_COMPARE(chart->displayedCount("loss/largest"), 64);  // after the 50 ms redraw tick
  }

  void byEpochRedrawsTheSameSamplesOnTheEpochAxis() {
    TrainingView view;
    view.resize(1000, 700);
    view.showRun(1, rows("lr", 1, 300));
    view.setXAxis(TrainingView::XAxis::Epoch);
    view.refreshNow();
    MetricChart* chart = view.chartFor("lr");
    QCOMPARE(chart->pointCount("lr"), 300);
    const auto* axis = chart->chart()->axes(Qt::Horizontal).front();
    QVERIFY(axis);
    const auto* x = qobject_cast<const QValueAxis*>(axis);
    QVERIFY(x->max() <= 3.0 + 1e-9);  // epochs, not steps
  }

  void zoomAndResetZoom() {
    TrainingView view;
    view.resize(1000, 700);
    view.show();
    view.showRun(1, rows("loss/largest", 1, 20000));
    MetricChart* chart = view.chartFor("loss/largest");
    chart->refreshNow();
    const auto* x = qobject_cast<const QValueAxis*>(chart->chart()->axes(Qt::Horizontal).front());
    QCOMPARE(x->min(), 1.0);
    QCOMPARE(x->max(), 20000.0);
    QTest::keyClick(chart, Qt::Key_Plus);
    QTest::keyClick(chart, Qt::Key_Plus);
    QVERIFY(chart->zoomed());
    chart->refreshNow();
    QVERIFY(x->max() - x->min() < 0.7 * 20000);
    QVERIFY(chart->displayedCount("loss/largest") > 0);
    chart->resetZoom();
    QVERIFY(!chart->zoomed());
    QCOMPARE(x->min(), 1.0);
    QCOMPARE(x->max(), 20000.0);
  }

  // Benchmark: 200k points in each of the six curves of the two busiest charts, then the
  // costs a user feels: one live append + redraw, and a full repaint of the view.
  void fluidAt200kPointsPerSeries() {
    TrainingView view;
    view.resize(1400, 900);
    view.show();
    std::vector<MetricSample> all;
    for (const char* key : {"loss/largest", "loss/smallest", "loss/random", "acc/train_largest",
                            "acc/test_largest", "acc/test_smallest"}) {
      const auto r = rows(key, 1, 200000);
      all.insert(all.end(), r.begin(), r.end());
    }
    QElapsedTimer t;
    t.start();
    view.showRun(1, all);
    view.refreshNow();
    const double loadMs = t.nsecsElapsed() / 1e6;
    MetricChart* loss = view.chartFor("loss/largest");
    QCOMPARE(loss->pointCount("loss/largest"), 200000);
    QVERIFY2(loss->displayedCount("loss/largest") <= 2 * loss->width() + 2,
             "the chart draws at most two points per pixel column");
    double worstAppendMs = 0;
    for (int i = 0; i < 20; ++i) {
      t.restart();
      view.appendRows(rows("loss/largest", 200001 + i * 10, 10));
      view.refreshNow();
      view.repaint();
      worstAppendMs = std::max(worstAppendMs, t.nsecsElapsed() / 1e6);
    }
    t.restart();
    const QImage frame = view.grab().toImage();
    const double paintMs = t.nsecsElapsed() / 1e6;
    qInfo("200k points x 6 series: load+decimate %.1f ms, live append+redraw worst %.1f ms, "
          "full paint %.1f ms", loadMs, worstAppendMs, paintMs);
    QVERIFY(!frame.isNull());
  }
};

QTEST_MAIN(TestTrainingView)
#include "tst_training_view.moc"
