// The Compare tab and the runs dock's run management in the real window, on real project
// databases: three runs compared (curves, fronts, hypervolume history, tables), charts saved
// as PNG and SVG, tables as CSV; new run from a run, delete with confirmation, import.
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPainter>
#include <QPlainTextEdit>
#include <QSlider>
#include <QSvgRenderer>
#include <QTableWidget>
#include <QTabWidget>
#include <QtTest>
#include <filesystem>
#include <fstream>

#include "app/studio/main_window.h"
#include "colour_count.h"
#include "core/util/sha256.h"
#include "gui_support.h"
#include "stall_probe.h"
#include "subnet_fixture.h"
#include "test_support.h"
#include "views/background_job.h"
#include "views/compare_view.h"
#include "views/constraint_panel.h"
#include "views/metric_chart.h"
#include "views/metrics_feed.h"
#include "views/pareto_chart.h"
#include "views/run_actions.h"
#include "views/run_dialog.h"
#include "views/screenshot.h"
#include "views/subnets_page.h"

using namespace sn;

namespace {

constexpr int kLong = 600000;

QString screenshotPath(const QString& name) {
  QDir().mkpath(QStringLiteral(SN_BUILD_DIR) + "/screenshots");
  return QStringLiteral(SN_BUILD_DIR) + "/screenshots/" + name;
}

// Three runs with different recipes and fronts, and a checkpoint file for the last.
std::vector<int64_t> makeThreeRuns(const std::string& dir) {
  Project project = Project::create(dir, "fmnist-small");
  nlohmann::json lower = project.config().toJson();
  lower["recipe"]["lr"] = 0.05;
  nlohmann::json longer = lower;
  longer["recipe"]["epochs"] = 20;
  std::vector<int64_t> ids{test::addSubnetRun(project, "baseline", 400, 1),
                           test::addSubnetRun(project, "lr 0.05", 400, 2, 0.01, lower),
                           test::addSubnetRun(project, "20 epochs", 400, 3, -0.01, longer)};
  const std::string relative = "checkpoints/run-3-step-1000.pt";
  std::filesystem::create_directories(project.checkpointsDir());
  std::ofstream(project.checkpointPath(relative)) << "weights";
  project.store().checkpoints().add({0, ids[2], 10, 1000, relative, sha256File(project.checkpointPath(relative)), 0});
  return ids;
}

void waitForJob(MainWindow& window) {
  QTRY_VERIFY_WITH_TIMEOUT(!window.runActions()->busy(), kLong);
  QCoreApplication::processEvents();
}

}  // namespace

class TestCompareView : public QObject {
  Q_OBJECT
  test::Scratch scratch;

 private Q_SLOTS:
  void initTestCase() { test::isolateSettings(); }

  void comparesThreeRuns() {
    const std::string dir = scratch.path("three");
    const std::vector<int64_t> ids = makeThreeRuns(dir);
    MainWindow window;
    window.resize(1500, 950);
    QVERIFY(window.openProject(QString::fromStdString(dir)));
    window.show();
    window.selectRuns({ids[0], ids[1], ids[2]});
    QCOMPARE(window.selectedRuns().size(), size_t(3));
    window.compareSelectedRuns();
    CompareView* view = window.compareView();
    QCOMPARE(window.tabs()->currentWidget(), view);
    QVERIFY(view->loading());  // made on the worker, swapped in whole
    QTRY_VERIFY(!view->loading());
    QVERIFY(view->comparison());
    QCOMPARE(view->comparison()->runs.size(), size_t(3));

    // One series per run on every chart, a front per run, a row per run in the tables.
    view->setMetric("acc/test_largest");
    QCOMPARE(view->curvesChart()->seriesCount(), 3);
    for (int64_t id : ids) QCOMPARE(view->curvesChart()->pointCount(QString::number(id)), qsizetype(10));
    QCOMPARE(view->frontsChart()->seriesCount(), 3);
    QCOMPARE(view->frontsChart()->groupFrontCount(), 3);
    QCOMPARE(view->frontsChart()->pointCount(), qsizetype(3 * 320));
    QCOMPARE(view->historyChart()->seriesCount(), 3);
    QCOMPARE(view->hypervolumeTable()->rowCount(), 3);
    QCOMPARE(view->bestTable()->rowCount(), 3);
    // The diff table lists exactly the two keys that differ.
    QCOMPARE(view->diffTable()->rowCount(), 2);
    QCOMPARE(view->diffTable()->item(0, 0)->text(), QString("recipe.epochs"));
    QCOMPARE(view->diffTable()->item(1, 0)->text(), QString("recipe.lr"));
    // Hypervolumes in the table are the comparison's.
    for (int r = 0; r < 3; ++r) {
      QCOMPARE(view->hypervolumeTable()->item(r, 7)->text().toDouble(), view->comparison()->runs[r].hypervolume);
    }

    // Aligned by wall time and by epoch: the same points, other x.
    view->setXAxis(CompareView::XAxis::Epoch);
    QCOMPARE(view->curvesChart()->pointCount(QString::number(ids[0])), qsizetype(10));
    view->curvesChart()->refreshNow();
    view->historyChart()->refreshNow();
    QTest::qWait(100);
    const QString shot = screenshotPath("compare-view.png");
    QVERIFY(saveScreenshot(&window, shot));
    QVERIFY(test::distinctColours(QImage(shot)) > 50);

    // Charts as PNG and SVG, tables as CSV that reads back to what is shown.
    const QString png = QString::fromStdString(scratch.path("fronts.png"));
    const QString svg = QString::fromStdString(scratch.path("fronts.svg"));
    QVERIFY(view->saveChart("fronts", png));
    QVERIFY(test::distinctColours(QImage(png)) > 10);
    QVERIFY(view->saveChart("curves", svg));
    QFile svgFile(svg);
    QVERIFY(svgFile.open(QIODevice::ReadOnly));
    const QByteArray svgText = svgFile.readAll();
    QVERIFY(svgText.contains("<svg") && svgText.contains("</svg>"));
    // Read back by an SVG renderer, it draws the chart (not an empty page).
    QSvgRenderer renderer(svg);
    QVERIFY(renderer.isValid());
    QImage drawn(renderer.defaultSize(), QImage::Format_ARGB32);
    drawn.fill(Qt::white);
    QPainter painter(&drawn);
    renderer.render(&painter);
    painter.end();
    QVERIFY(test::distinctColours(drawn) > 20);
    drawn.save(screenshotPath("compare-curves-from-svg.png"));
    const QString csv = QString::fromStdString(scratch.path("hv.csv"));
    QVERIFY(view->saveTable("hypervolume", csv));
    std::ifstream in(csv.toStdString());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const CsvTable back = CsvTable::parse(text, "hv.csv");
    QCOMPARE(back.rows, hypervolumeTable(*view->comparison()).rows);
    QVERIFY(!view->saveTable("hypervolume", QString::fromStdString(scratch.path("missing/dir/x.csv"))));
    QVERIFY(view->message().contains("missing/dir/x.csv"));

    // A reference point set by hand changes every hypervolume to the one computed for it.
    view->setReference(3.0, 86.0);
    QTRY_VERIFY(!view->loading());
    QCOMPARE(view->comparison()->reference.cost, 3.0);
    CompareOptions o;
    o.referenceCost = 3.0;
    o.referenceAccuracy = 86.0;
    Project project = Project::open(dir);
    const RunComparison expected = compareRuns(project.store(), ids, o);
    for (int r = 0; r < 3; ++r) QCOMPARE(view->comparison()->runs[r].hypervolume, expected.runs[r].hypervolume);

    // Rows a trainer appends show up: new metric rows grow the curves in place, new subnets
    // re-read the fronts.
    project.store().metrics().append(ids[0], {{1100, 11, "acc/test_largest", 0.95, 1400}});
    window.feed()->poll();
    QTRY_COMPARE_WITH_TIMEOUT(view->curvesChart()->pointCount(QString::number(ids[0])), qsizetype(11), 5000);
    QCOMPARE(view->comparison()->runs[0].measured.size(), size_t(320));
    test::addSubnetRun(project, "late", 10, 9);
    SubnetRecord better = project.store().subnets().forRun(ids[0]).front();
    better.id = 0;
    better.accuracy = 0.999;
    better.source = SubnetSource::Evaluated;
    project.store().subnets().add(better);
    window.feed()->poll();
    QTRY_VERIFY_WITH_TIMEOUT(view->comparison()->runs[0].measured.size() == 321, 5000);
  }

  void managesRuns() {
    const std::string dir = scratch.path("manage");
    const std::vector<int64_t> ids = makeThreeRuns(dir);
    const std::string otherDir = scratch.path("other");
    Project::create(otherDir, "fmnist-small");
    {
      Project other = Project::open(otherDir);
      test::addSubnetRun(other, "from elsewhere", 30, 5);
    }
    MainWindow window;
    QVERIFY(window.openProject(QString::fromStdString(dir)));
    window.show();

    // New run from run 2 with a changed recipe; not started.
    window.selectRuns({ids[1]});
    window.newRunAction()->trigger();
    RunDialog* dialog = window.runActions()->runDialog();
    QVERIFY(dialog && dialog->isVisible());
    QVERIFY(saveScreenshot(dialog, screenshotPath("new-run-dialog.png")));
    QString config = dialog->configEdit()->toPlainText();
    QVERIFY(config.contains("\"lr\": 0.05"));
    dialog->configEdit()->setPlainText(config.replace("\"lr\": 0.05", "\"lr\": 0.2").replace("\"epochs\": 10", "\"epochs\": 0"));
    dialog->accept();  // epochs 0 is refused in the dialog, which stays open
    QVERIFY(dialog->isVisible());
    QVERIFY(dialog->errorLabel()->text().contains("epochs"));
    dialog->configEdit()->setPlainText(dialog->configEdit()->toPlainText().replace("\"epochs\": 0", "\"epochs\": 3"));
    dialog->nameEdit()->setText("lr 0.2");
    dialog->tagsEdit()->setText("sweep, lr");
    dialog->startBox()->setChecked(false);
    dialog->accept();
    QVERIFY(!dialog->isVisible());
    waitForJob(window);
    Project project = Project::open(dir);
    const auto created = project.store().runs().latest();
    QCOMPARE(created->name, std::string("lr 0.2"));
    QCOMPARE(created->status, RunStatus::Created);
    QCOMPARE(created->tags, (std::vector<std::string>{"sweep", "lr"}));
    QCOMPARE(ProjectConfig::fromText(created->configJson, "run").recipe.lr, 0.2);

    // Delete run 3 through the dock's action: asked first; Cancel keeps it, Yes removes it.
    window.selectRuns({ids[2]});
    window.deleteRunAction()->trigger();
    QMessageBox* ask = window.runActions()->confirmation();
    QVERIFY(ask && ask->isVisible());
    ask->button(QMessageBox::Cancel)->click();
    waitForJob(window);
    QVERIFY(project.store().runs().find(ids[2]));
    window.deleteRunAction()->trigger();
    window.runActions()->confirmation()->button(QMessageBox::Yes)->click();
    waitForJob(window);
    QVERIFY(!project.store().runs().find(ids[2]));
    QVERIFY(!std::filesystem::exists(dir + "/checkpoints/run-3-step-1000.pt"));
    QCOMPARE(project.store().subnets().count(ids[0]), int64_t(400));
    QTRY_COMPARE_WITH_TIMEOUT(window.compareView()->findChild<QListWidget*>()->count(), 3, 5000);

    // Import the other project's run; its rows arrive under a new id.
    window.runActions()->importRunsFrom(QString::fromStdString(otherDir));
    waitForJob(window);  // the other project is opened and listed off the UI thread
    QDialog* import = window.runActions()->importDialog();
    QVERIFY(import && import->isVisible());
    QCOMPARE(window.runActions()->importList()->count(), 1);
    import->accept();
    waitForJob(window);
    const auto imported = project.store().runs().latest();
    QCOMPARE(imported->name, std::string("from elsewhere"));
    QCOMPARE(project.store().subnets().count(imported->id), int64_t(30));
    window.runActions()->importRunsFrom(QString::fromStdString(scratch.path("not-a-project")));
    waitForJob(window);
    QVERIFY(window.lastError().contains("not-a-project"));
    QVERIFY(window.lastError().contains("is not a Supernet Studio project"));

    // Another project: nothing of this one stays checked or compared.
    window.compareSelectedRuns();
    window.compareView()->compare({ids[0], ids[1]});
    QTRY_VERIFY(!window.compareView()->loading());
    QVERIFY(window.compareView()->comparison());
    window.closeProject();
    QVERIFY(window.openProject(QString::fromStdString(otherDir)));
    QVERIFY(window.compareView()->checkedRuns().empty());
    QVERIFY(!window.compareView()->comparison());
    QCOMPARE(window.compareView()->findChild<QListWidget*>()->count(), 1);
  }

  // Two runs of 100k subnets compared, sliders moved, then 10k more stored in one: the event
  // loop never waits 50 ms (the comparison is made on a worker and swapped in whole).
  void largeComparisonDoesNotStall() {
    const std::string dir = scratch.path("large");
    std::vector<int64_t> ids;
    {
      Project project = Project::create(dir, "fmnist-small");
      ids = {test::addSqlSubnetRun(project, "a", 100000, 5), test::addSqlSubnetRun(project, "b", 100000, 6)};
    }
    MainWindow window;
    window.resize(1500, 950);
    QVERIFY(window.openProject(QString::fromStdString(dir)));
    window.show();
    window.selectRuns({ids[0], ids[1]});
    CompareView* view = window.compareView();
    // A user clicks Compare once the window shows its first run: the comparison is timed on
    // its own, as bench_compare times it.
    QTRY_VERIFY_WITH_TIMEOUT(!window.subnetsPage()->loading(), 60000);
    StallProbe probe;
    // The fronts are drawn first, before the comparison with its hypervolumes is swapped in.
    bool comparedBeforeFronts = false;
    int frontsShown = 0;
    connect(view, &CompareView::frontsShown, this, [&] {
      ++frontsShown;
      comparedBeforeFronts = view->comparison() != nullptr;
    });
    probe.start();
    window.compareSelectedRuns();
    QTRY_VERIFY_WITH_TIMEOUT(!view->loading(), 60000);
    probe.stop();
    QCOMPARE(frontsShown, 1);
    QVERIFY(!comparedBeforeFronts);
    qInfo("longest UI stall comparing 2 x 100k subnets: %.1f ms", probe.longestStallMs());
    QVERIFY2(probe.longestStallMs() < 50, qPrintable(QString::number(probe.longestStallMs())));
    QVERIFY(view->comparison());
    Store store(dir + "/project.sqlite", Database::Mode::ReadOnly);
    const auto measuredOf = [&](int64_t run) {
      std::vector<SubnetRecord> out;
      for (const SubnetRecord& s : store.subnets().forRun(run)) {
        if (isMeasured(s.source) && s.accuracy) out.push_back(s);
      }
      return out;
    };
    for (size_t r = 0; r < 2; ++r) QCOMPARE(view->comparison()->runs[r].measured.size(), measuredOf(ids[r]).size());
    // A sample drawn beside the fronts: at most 2000 a run plus its front.
    const qsizetype fronts = static_cast<qsizetype>(view->comparison()->runs[0].front.size() +
                                                    view->comparison()->runs[1].front.size());
    QVERIFY(view->frontsChart()->pointCount() <= 2 * 2000 + fronts);

    // The sliders pick each run's best from its skyline: the same as a scan of every row
    // (the scans, on this thread, are made before the probe runs).
    const std::vector<std::vector<SubnetRecord>> measured = {measuredOf(ids[0]), measuredOf(ids[1])};
    {
      Project project = Project::open(dir);
      test::appendSqlSubnets(project, ids[0], 10000, 7);
    }
    const size_t more = measuredOf(ids[0]).size();
    probe.start();
    QSlider* macs = view->constraints()->macsSlider();
    for (int v : {ConstraintPanel::kSteps / 3, ConstraintPanel::kSteps / 2}) macs->setValue(v);
    const CostLimits limits = view->constraints()->limits();
    for (size_t r = 0; r < 2; ++r) {
      std::optional<SubnetRecord> best;
      for (const SubnetRecord& s : measured[r]) {
        if (s.macs > limits.maxMacs || s.params > limits.maxParams) continue;
        if (!best || *s.accuracy > *best->accuracy) best = s;
      }
      QVERIFY(best && view->comparison()->runs[r].best);
      QCOMPARE(*view->comparison()->runs[r].best->accuracy, *best->accuracy);
    }

    // The 10k more in run a, stored by another connection: the view follows without stalling.
    window.feed()->poll();
    QTRY_COMPARE_WITH_TIMEOUT(view->comparison()->runs[0].measured.size(), more, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(!view->loading(), 60000);
    probe.stop();
    qInfo("longest UI stall with sliders and 10k more: %.1f ms", probe.longestStallMs());
    QVERIFY2(probe.longestStallMs() < 50, qPrintable(QString::number(probe.longestStallMs())));
  }

  // A run made from another trains with its own recipe when started from the dialog.
  void newRunTrainsWithItsRecipe() {
    const QString dir = QString::fromStdString(scratch.path("tiny"));
    QString error;
    QVERIFY2(test::makeTinyProject(dir, 1, &error), qPrintable(error));
    MainWindow window;
    window.setTrainingThreads(2);
    QVERIFY(window.openProject(dir));
    QVERIFY(window.startTraining());
    QTRY_COMPARE_WITH_TIMEOUT(window.controller()->state(), TrainingController::State::Idle, kLong);
    const qint64 first = window.shownRun();
    window.selectRuns({first});
    window.newRunAction()->trigger();
    RunDialog* dialog = window.runActions()->runDialog();
    QString config = dialog->configEdit()->toPlainText();
    QVERIFY(config.contains("\"epochs\": 1"));
    dialog->configEdit()->setPlainText(config.replace("\"epochs\": 1", "\"epochs\": 2"));
    dialog->accept();  // "Start training it now" is on by default
    QTRY_VERIFY_WITH_TIMEOUT(window.controller()->busy(), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(window.controller()->state(), TrainingController::State::Idle, kLong);
    Project project = Project::open(dir.toStdString());
    const auto second = project.store().runs().latest();
    QVERIFY(second->id != first);
    QCOMPARE(second->status, RunStatus::Finished);
    QCOMPARE(ProjectConfig::fromText(second->configJson, "run").recipe.epochs, 2);
    // Two epochs of evaluations against the first run's one.
    QCOMPARE(project.store().metrics().series(second->id, "acc/test_largest").size(), size_t(2));
    QCOMPARE(project.store().runs().all().size(), size_t(2));
  }
};

QTEST_MAIN(TestCompareView)
#include "tst_compare_view.moc"
