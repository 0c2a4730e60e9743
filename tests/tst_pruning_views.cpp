// The GUI of a pruning run, on a real SuperTickets run trained on Fashion-MNIST: sparsity
// and mask-dynamics charts in the Training tab, per-layer sparsity as heat in the
// Architecture tab, the Pareto scatter by sparse MACs, and Retrain ticket as a job.
#include <QComboBox>
#include <QPushButton>
#include <QTabWidget>
#include <QtTest>

#include <map>

#include "app/studio/main_window.h"
#include "core/space/arch.h"
#include "core/space/presets.h"
#include "db/store.h"
#include "gui_support.h"
#include "test_support.h"
#include "trained_fixture.h"
#include "views/architecture_page.h"
#include "views/architecture_view.h"
#include "views/background_job.h"
#include "views/constraint_panel.h"
#include "views/metric_chart.h"
#include "views/pareto_chart.h"
#include "views/screenshot.h"
#include "views/subnets_page.h"
#include "views/training_view.h"

using namespace sn;

class TestPruningViews : public QObject {
  Q_OBJECT
  test::Scratch scratch;

 private Q_SLOTS:
  void initTestCase() { test::isolateSettings(); }

  // Run 2 of the tickets fixture prunes opening epochs 1 (25 %) and 2 (50 %) of 3.
  void pruningRunIsShownAndItsTicketRetrained() {
    const std::string dir = test::copyOfTrainedProject(test::Trained::Tickets, scratch.path("tickets"));
    Store store(dir + "/project.sqlite", Database::Mode::ReadOnly);
    constexpr qint64 kRun = 2;

    MainWindow window;
    window.resize(1500, 1000);
    window.show();
    QVERIFY(window.openProject(QString::fromStdString(dir)));
    window.showRun(kRun);
    TrainingView* training = window.trainingView();
    QTRY_COMPARE(training->runId(), kRun);
    QTRY_COMPARE(training->sampleCount("sparsity/overall"), qsizetype(2));
    QVERIFY(training->chartFor("sparsity/overall")->isVisible());
    QVERIFY(training->chartFor("prune/reactivated")->isVisible());
    window.tabs()->setCurrentWidget(training);
    training->refreshNow();
    QVERIFY(saveScreenshot(&window, QStringLiteral(SN_BUILD_DIR) + "/screenshots/pruning-training.png"));

    // The architecture view holds the latest per-layer sparsity the database has.
    ArchitectureView* arch = window.architecturePage()->view();
    const auto stored = store.metrics().series(kRun, "sparsity/layer/stage1_block1.depth_conv");
    QCOMPARE(stored.size(), size_t{2});
    QTRY_VERIFY(arch->layerSparsity().count("stage1_block1.depth_conv") == 1);
    QCOMPARE(arch->layerSparsity().at("stage1_block1.depth_conv"), stored.back().value);
    QVERIFY(arch->layerSparsity().size() > 10);
    window.tabs()->setCurrentWidget(window.architecturePage());
    const QImage withHeat = arch->grab().toImage();
    QVERIFY(saveScreenshot(&window, QStringLiteral(SN_BUILD_DIR) + "/screenshots/pruning-architecture.png"));
    arch->setLayerSparsity({});
    QVERIFY(arch->grab().toImage() != withHeat);

    // Sparse MACs on the scatter: each evaluation sits at the MACs of the non-zero weights it
    // was evaluated with. The epoch-1 evaluations ran before the first pruning step, so they
    // are at their dense MACs; the largest subnet holds every prunable weight, so once the
    // masks prune anything its later evaluations are strictly cheaper.
    SubnetsPage* page = window.subnetsPage();
    window.tabs()->setCurrentWidget(page);
    QTRY_COMPARE(page->runId(), kRun);
    page->xAxisChoice()->setCurrentIndex(2);
    QTRY_VERIFY(!page->loading());
    const std::string largest = Arch::largest(spacePreset("fmnist-tiny")).toText();
    std::map<int64_t, const PlotPoint*> largestByEpoch;
    const std::vector<SubnetRecord> subnets = store.subnets().forRun(kRun);
    for (const SubnetRecord& s : subnets) {
      const PlotPoint* p = page->chart()->point(s.id);
      QVERIFY2(p, ("subnet " + std::to_string(s.id) + " is not plotted").c_str());
      QCOMPARE(p->x, s.sparseMacs / 1e6);
      if (*s.epoch == 1) QCOMPARE(s.sparseMacs, s.macs);
      else QVERIFY2(s.sparsity > 0.1 && s.sparseMacs < s.macs, s.arch.c_str());
      if (s.arch == largest) largestByEpoch[*s.epoch] = p;
    }
    QCOMPARE(largestByEpoch.size(), size_t{3});
    QVERIFY(largestByEpoch[2]->x < largestByEpoch[1]->x);
    QVERIFY(largestByEpoch[3]->x < largestByEpoch[2]->x);  // 50 % pruned against 25 %
    QCOMPARE(page->chart()->dataBounds().right(), largestByEpoch[1]->x);
    QVERIFY(saveScreenshot(&window, QStringLiteral(SN_BUILD_DIR) + "/screenshots/pruning-sparse-pareto.png"));

    // Retrain ticket: a job with progress; the retrained row keeps the ticket's sparsity.
    const size_t before = subnets.size();
    SubnetRecord smallest;
    for (const SubnetRecord& s : subnets) {
      if (s.arch == Arch::smallest(spacePreset("fmnist-tiny")).toText()) smallest = s;  // its latest
    }
    page->select(smallest.id);
    QTest::mouseClick(page->constraints()->retrainButton(), Qt::LeftButton);
    QVERIFY(page->job()->running());
    QVERIFY(!page->constraints()->retrainButton()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(!page->job()->running(), 300000);
    QTRY_VERIFY(page->constraints()->retrainButton()->isEnabled());
    const std::vector<SubnetRecord> after = store.subnets().forRun(kRun);
    QCOMPARE(after.size(), before + 1);
    QCOMPARE(after.back().source, SubnetSource::Retrained);
    QCOMPARE(after.back().arch, smallest.arch);
    QVERIFY(std::abs(after.back().sparsity - smallest.sparsity) < 1e-9);
  }
};

QTEST_MAIN(TestPruningViews)
#include "tst_pruning_views.moc"
