// The Subnets tab on a real project database: scatter, front, table, and the constraint
// sliders dragged with the mouse picking the best stored subnet within the limits.
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QLabel>
#include <QTableWidget>
#include <QTabWidget>
#include <QSlider>
#include <QTableView>
#include <QtTest>

#include "app/studio/main_window.h"
#include "cli_support.h"
#include "colour_count.h"
#include "views/background_job.h"
#include "views/export_dialog.h"
#include "core/search/pareto_front.h"
#include "gui_support.h"
#include "subnet_fixture.h"
#include "test_support.h"
#include "stall_probe.h"
#include "trained_fixture.h"
#include "views/subnet_snapshot.h"
#include "views/subnet_table_model.h"
#include "views/architecture_view.h"
#include "views/constraint_panel.h"
#include "views/latency_view.h"
#include "views/pareto_chart.h"
#include "views/screenshot.h"
#include "views/subnets_page.h"

using namespace sn;

namespace {

// Drags a slider's handle from its right end to `fraction` of its width.
void dragSlider(QSlider* slider, double fraction) {
  const int y = slider->height() / 2;
  const QPoint from(slider->width() - 3, y);
  const QPoint to(static_cast<int>(slider->width() * fraction), y);
  QTest::mousePress(slider, Qt::LeftButton, {}, from);
  for (int step = 1; step <= 10; ++step) {
    QTest::mouseMove(slider, from + (to - from) * step / 10);
  }
  QTest::mouseRelease(slider, Qt::LeftButton, {}, to);
}

// The best stored subnet within the limits, by a full scan of the database rows.
std::optional<SubnetRecord> bruteForceBest(const std::vector<SubnetRecord>& all, const CostLimits& l) {
  std::optional<SubnetRecord> best;
  for (const SubnetRecord& s : all) {
    if (!s.accuracy || s.macs > l.maxMacs || s.params > l.maxParams) continue;
    if (std::isfinite(l.maxLatencyMs) && (!s.latencyMs || *s.latencyMs > l.maxLatencyMs)) continue;
    if (!best || *s.accuracy > *best->accuracy) best = s;
  }
  return best;
}

}  // namespace

class TestSubnetsPage : public QObject {
  Q_OBJECT

 private:
  test::Scratch scratch;

 private Q_SLOTS:
  void initTestCase() { test::isolateSettings(); }

  // Export… on a trained project: the dialog, the job, and the summary of the checks.
  void exportDialogWritesVerifiedModels() {
    const std::string dir = test::copyOfTrainedProject(test::Trained::Dense, scratch.path("trained"));
    MainWindow window;
    window.resize(1400, 950);
    window.show();
    QVERIFY(window.openProject(QString::fromStdString(dir)));
    window.tabs()->setCurrentWidget(window.subnetsPage());
    SubnetsPage* page = window.subnetsPage();
    QTRY_COMPARE(page->runId(), qint64(1));
    Store store(dir + "/project.sqlite", Database::Mode::ReadOnly);
    const SubnetRecord probe = store.subnets().forRun(1).back();
    page->select(probe.id);
    QTest::mouseClick(page->constraints()->exportButton(), Qt::LeftButton);
    ExportDialog* dialog = page->exportDialog();
    QVERIFY(dialog && dialog->isVisible());
    QVERIFY(dialog->folder()->text().startsWith(QString::fromStdString(dir + "/exports/run1-")));
    const QString folder = QString::fromStdString(scratch.path("gui-export"));
    dialog->folder()->setText(folder);
    dialog->batchMode()->setCurrentIndex(1);
    dialog->batch()->setValue(4);
    QVERIFY(dialog->batch()->isEnabled());
    QVERIFY(saveScreenshot(dialog, QStringLiteral(SN_BUILD_DIR) + "/screenshots/export-dialog.png"));
    dialog->accept();
    QVERIFY(page->job()->running());
    QVERIFY(!page->constraints()->exportButton()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(page->exportSummary() != nullptr, 300000);
    QMessageBox* summary = page->exportSummary();
    QVERIFY2(summary->text().contains("Verification passed"), qPrintable(summary->text()));
    QVERIFY(summary->text().contains("OpenCV"));
    QVERIFY(summary->text().contains("LibTorch"));
    QVERIFY(QFileInfo::exists(folder + "/model.onnx"));
    QVERIFY(QFileInfo::exists(folder + "/model.pt"));
    QFile file(folder + "/manifest.json");
    QVERIFY(file.open(QIODevice::ReadOnly));
    const nlohmann::json manifest = nlohmann::json::parse(file.readAll().toStdString());
    QCOMPARE(manifest["arch"]["text"].get<std::string>(), probe.arch);
    QCOMPARE(manifest["input"]["shape"][0].get<int>(), 4);
    QVERIFY(saveScreenshot(summary, QStringLiteral(SN_BUILD_DIR) + "/screenshots/export-summary.png"));
    QVERIFY(page->constraints()->exportButton()->isEnabled());
  }

  void exportWithoutCheckpointSaysSo() {
    const std::string dir = scratch.path("untrained");
    test::fillSubnetProject(dir, 20);
    MainWindow window;
    window.show();
    QVERIFY(window.openProject(QString::fromStdString(dir)));
    SubnetsPage* page = window.subnetsPage();
    QTRY_VERIFY(page->runId() != 0);
    Store store(dir + "/project.sqlite", Database::Mode::ReadOnly);
    page->select(store.subnets().forRun(page->runId()).front().id);
    QTest::mouseClick(page->constraints()->exportButton(), Qt::LeftButton);
    page->exportDialog()->folder()->setText(QString::fromStdString(scratch.path("never")));
    page->exportDialog()->accept();
    QTRY_VERIFY_WITH_TIMEOUT(page->exportSummary() != nullptr, 60000);
    QVERIFY2(page->exportSummary()->text().contains("no checkpoint"), qPrintable(page->exportSummary()->text()));
    QVERIFY(!QFileInfo::exists(QString::fromStdString(scratch.path("never"))));
  }

  void slidersPickTheBestStoredSubnet() {
    const std::string dir = scratch.path("explore");
    const int64_t run = test::fillSubnetProject(dir, 3000);
    MainWindow window;
    window.resize(1400, 950);
    window.show();
    QVERIFY(window.openProject(QString::fromStdString(dir)));
    window.tabs()->setCurrentWidget(window.subnetsPage());
    QTRY_COMPARE(window.subnetsPage()->runId(), run);
    SubnetsPage* page = window.subnetsPage();
    QTRY_VERIFY(!page->loading());  // the scatter and the table's order come from workers
    Store store(dir + "/project.sqlite", Database::Mode::ReadOnly);
    const std::vector<SubnetRecord> all = store.subnets().forRun(run);

    // The scatter: every subnet, one series per source, the front over measured ones.
    QCOMPARE(page->chart()->pointCount(), qsizetype(all.size()));
    QCOMPARE(page->chart()->seriesCount(), 4);  // evaluated, searched, predicted, one-shot/retrained
    std::vector<FrontPoint> measured;
    for (const SubnetRecord& s : all) {
      if (isMeasured(s.source)) measured.push_back({s.macs / 1e6, 100 * *s.accuracy});
    }
    QCOMPARE(page->chart()->frontCount(), qsizetype(paretoFront(measured).size()));
    QCOMPARE(page->table()->model()->rowCount(), int(all.size()));

    // No limits: the best of all.
    QCOMPARE(page->highlighted(), bruteForceBest(all, {})->id);

    ConstraintPanel* panel = page->constraints();
    dragSlider(panel->macsSlider(), 0.35);
    QVERIFY(panel->macsSlider()->value() < ConstraintPanel::kSteps / 2);
    CostLimits limits = panel->limits();
    QVERIFY(std::isfinite(limits.maxMacs));
    std::optional<SubnetRecord> expected = bruteForceBest(all, limits);
    QVERIFY(expected);
    std::optional<SubnetRecord> picked = page->subnet(page->highlighted());
    QVERIFY(picked);
    QVERIFY(picked->macs <= limits.maxMacs);
    QCOMPARE(*picked->accuracy, *expected->accuracy);
    QCOMPARE(page->chart()->highlighted(), picked->id);
    QCOMPARE(page->archView()->arch()->toText(), picked->arch);

    // A latency limit as well: unmeasured subnets (no lookup table here) drop out.
    dragSlider(panel->latencySlider(), 0.5);
    limits = panel->limits();
    QVERIFY(std::isfinite(limits.maxLatencyMs));
    expected = bruteForceBest(all, limits);
    if (expected) {
      picked = page->subnet(page->highlighted());
      QVERIFY(picked && picked->latencyMs && *picked->latencyMs <= limits.maxLatencyMs);
      QCOMPARE(*picked->accuracy, *expected->accuracy);
    } else {
      QCOMPARE(page->highlighted(), qint64(0));
    }
    // The accuracy predictor is fitted off the UI thread, then named with its tau.
    QTRY_VERIFY_WITH_TIMEOUT(page->predictorReport().has_value(), 60000);
    QVERIFY(!page->predictorFitting());
    const QString summary = page->predictorSummary()->text();
    QVERIFY2(summary.contains("chosen by 5-fold CV") &&
                 summary.contains(QString::fromStdString(page->predictorReport()->model)),
             qPrintable(summary));
    QVERIFY(saveScreenshot(&window, QStringLiteral(SN_BUILD_DIR) + "/screenshots/subnets-page.png"));

    // Selecting in the table selects on the scatter and in the architecture tab.
    page->table()->selectRow(5);
    QVERIFY(page->selected() != 0);
    QCOMPARE(page->chart()->selected(), page->selected());
    QCOMPARE(page->archView()->arch()->toText(), page->subnet(page->selected())->arch);

    // The latency axis plots only subnets with a latency.
    page->xAxisChoice()->setCurrentIndex(1);
    QVERIFY(page->loading());
    QTRY_VERIFY(!page->loading());
    qsizetype withLatency = 0;
    for (const SubnetRecord& s : all) withLatency += s.latencyMs ? 1 : 0;
    QCOMPARE(page->chart()->pointCount(), withLatency);
    page->colourChoice()->setCurrentIndex(1);
    QTRY_VERIFY(!page->loading());
    QCOMPARE(page->chart()->seriesCount(), 10);  // one per epoch
  }

  // A run of 200k subnets: the tab fills, takes 10k more as a search stores them, sorts and
  // filters its table, while the event loop never waits 50 ms (rows, scatter, density image
  // and table order are made on workers and swapped in whole).
  void largeRunLoadsWithoutStalling() {
    const std::string dir = scratch.path("large");
    constexpr int kRows = 200000, kMore = 10000;
    int64_t run = 0;
    {
      Project project = Project::create(dir, "fmnist-small");
      run = test::addSqlSubnetRun(project, "large", kRows, 3);
    }
    MainWindow window;
    window.resize(1400, 950);
    window.show();
    QVERIFY(window.openProject(QString::fromStdString(dir)));
    SubnetsPage* page = window.subnetsPage();
    ParetoChart* chart = page->chart();
    // The first paint comes from the numeric columns, before any row is held.
    qsizetype previewFront = -1;
    QRectF previewBounds;
    bool rowsAtPreview = true;
    QString summaryAtPreview;
    connect(page, &SubnetsPage::previewShown, this, [&] {
      previewFront = chart->frontCount();
      previewBounds = chart->dataBounds();
      rowsAtPreview = page->snapshot() && !page->snapshot()->subnets.empty();
      summaryAtPreview = page->summary()->text();
    });
    StallProbe probe;
    probe.start();
    window.tabs()->setCurrentWidget(page);
    QTRY_COMPARE_WITH_TIMEOUT(page->runId(), run, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(!page->loading(), 60000);
    probe.stop();
    qInfo("longest UI stall while loading %d subnets: %.1f ms", kRows, probe.longestStallMs());
    QVERIFY2(probe.longestStallMs() < 50, qPrintable(QString::number(probe.longestStallMs())));

    // Everything is there: every subnet on the scatter (as a density image), in the table,
    // and the sliders' best is the database's most accurate subnet.
    QCOMPARE(chart->pointCount(), qsizetype(kRows));
    QVERIFY(chart->densityMode());
    QCOMPARE(chart->displayedCount(), qsizetype(kRows));
    QCOMPARE(chart->seriesCount(), 4);  // the legend still names the four sources
    QCOMPARE(page->table()->model()->rowCount(), kRows);
    Store store(dir + "/project.sqlite", Database::Mode::ReadOnly);
    const std::vector<SubnetRecord> all = store.subnets().forRun(run);
    QCOMPARE(*page->subnet(page->highlighted())->accuracy, *bruteForceBest(all, {})->accuracy);
    std::vector<FrontPoint> measured;
    for (const SubnetRecord& s : all) {
      if (isMeasured(s.source)) measured.push_back({s.macs / 1e6, 100 * *s.accuracy});
    }
    QCOMPARE(chart->frontCount(), qsizetype(paretoFront(measured).size()));
    QVERIFY(!rowsAtPreview);
    QCOMPARE(previewFront, chart->frontCount());
    QCOMPARE(previewBounds, chart->dataBounds());  // the axes of every subnet, not of the front
    QVERIFY2(summaryAtPreview.startsWith(QString("%1 subnets · loading").arg(kRows)),
             qPrintable(summaryAtPreview));
    // The image shows the sources' colours where the subnets are.
    const QImage shot = chart->grab().toImage();
    QVERIFY(saveScreenshot(&window, QStringLiteral(SN_BUILD_DIR) + "/screenshots/subnets-200k.png"));
    QVERIFY(test::distinctColours(shot) > 20);
    // Hover and click find the nearest real subnet through the spatial index.
    const SubnetRecord& probeSubnet = all[12345];
    const QPointF at = chart->chart()->mapToPosition(QPointF(probeSubnet.macs / 1e6, 100 * *probeSubnet.accuracy));
    const PlotPoint* hit = chart->pointAt(chart->mapFromScene(chart->chart()->mapToScene(at)));
    QVERIFY(hit);
    QVERIFY(std::abs(hit->x - probeSubnet.macs / 1e6) < 0.02 * chart->dataBounds().width());

    // 10k more, stored by another connection: only they are read, and nothing stalls.
    {
      Project project = Project::open(dir);
      test::appendSqlSubnets(project, run, kMore, 4);
    }
    probe.start();
    QTRY_COMPARE_WITH_TIMEOUT(page->snapshot()->subnets.size(), size_t{kRows + kMore}, 60000);
    QVERIFY(page->snapshot()->incremental);
    QTRY_VERIFY_WITH_TIMEOUT(!page->loading(), 60000);
    QCOMPARE(chart->pointCount(), qsizetype(kRows + kMore));
    QCOMPARE(page->table()->model()->rowCount(), kRows + kMore);

    // The table sorts and filters on a worker too.
    page->table()->sortByColumn(SubnetTableModel::Macs, Qt::AscendingOrder);
    QTRY_VERIFY_WITH_TIMEOUT(!page->loading(), 60000);
    auto* model = static_cast<SubnetTableModel*>(page->table()->model());
    const int64_t fewest = std::min_element(all.begin(), all.end(), [](const SubnetRecord& a, const SubnetRecord& b) {
                             return a.macs < b.macs;
                           })->macs;
    QCOMPARE(page->subnet(model->idAt(0))->macs, fewest);
    page->filter()->setText("searched");
    QTRY_VERIFY_WITH_TIMEOUT(!page->loading(), 60000);
    probe.stop();
    qInfo("longest UI stall with 10k more, a sort and a filter: %.1f ms", probe.longestStallMs());
    QVERIFY2(probe.longestStallMs() < 50, qPrintable(QString::number(probe.longestStallMs())));
    const std::vector<SubnetRecord> now = store.subnets().forRun(run);
    const int searched =
        static_cast<int>(std::count_if(now.begin(), now.end(), [](const SubnetRecord& s) {
          return s.source == SubnetSource::Searched;
        }));
    QCOMPARE(model->rowCount(), searched);
    for (int row : {0, searched / 2, searched - 1})
      QCOMPARE(page->subnet(model->idAt(row))->source, SubnetSource::Searched);
  }

  void latencyTabShowsTheStoredTable() {
    const std::string dir = scratch.path("latency");
    test::fillSubnetProject(dir, 50);
    {
      Project project = Project::open(dir);
      LatencyTableRecord t;
      t.device = "cpu: test x1 threads";
      t.spaceHash = "x";
      t.inputShape = "1x28x28";
      t.fixedMs = 0.1;
      t.entries = {{"in=16 out=24 stride=2 k=3 e=2 size=14 act=relu se=0", 0.05},
                   {"in=24 out=24 stride=1 k=3 e=2 size=14 act=relu se=0", 0.04}};
      t.checks = {{"a", 1.0, 1.05, 1.0}, {"b", 2.0, 1.7, 1.75}, {"c", 0.5, 0.51, 0.5}};
      project.store().latency().add(t);
    }
    MainWindow window;
    window.resize(1200, 800);
    window.show();
    QVERIFY(window.openProject(QString::fromStdString(dir)));
    LatencyView* view = window.latencyView();
    QTRY_COMPARE(view->tableCount(), 1);
    QCOMPARE(view->entries()->rowCount(), 2);
    QCOMPARE(view->checkPointCount(), 3);
    QVERIFY2(view->summary()->text().contains("67% within 10%"), qPrintable(view->summary()->text()));
    // Beside the error, the machine's own spread: |1.05 - 1| / 1 is the largest of the three.
    QVERIFY2(view->summary()->text().contains("noise floor: the same 3 subnets measured twice differ "
                                              "by 2.9% (median), 5.0% (90th percentile)"),
             qPrintable(view->summary()->text()));
  }
};

QTEST_MAIN(TestSubnetsPage)
#include "tst_subnets_page.moc"
