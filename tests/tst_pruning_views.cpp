// The GUI of a pruning run, on a real SuperTickets run trained on Fashion-MNIST: sparsity
// and mask-dynamics charts in the Training tab, per-layer sparsity as heat in the
// Architecture tab, the Pareto scatter by sparse MACs, and Retrain ticket as a job.
#include <QComboBox>
#include <QPushButton>
#include <QTabWidget>
#include <QtTest>

#include "app/studio/main_window.h"
#include "cli_support.h"
#include "core/space/arch.h"
#include "core/space/presets.h"
#include "db/store.h"
#include "gui_support.h"
#include "test_support.h"
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

  void pruningRunIsShownAndItsTicketRetrained() {
    const std::string dir = scratch.path("tickets");
    CLI_OK(test::runCli(test::q({"init", dir, "--train-limit", "1024", "--test-limit", "300", "--epochs", "2",
                                 "--prune-target", "0.5"})));
    CLI_OK(test::runCli(test::q({"train", dir, "--threads", "2"})));
    Store store(dir + "/project.sqlite", Database::Mode::ReadOnly);

    MainWindow window;
    window.resize(1500, 1000);
    window.show();
    QVERIFY(window.openProject(QString::fromStdString(dir)));
    TrainingView* training = window.trainingView();
    QTRY_COMPARE(training->runId(), qint64(1));
    // Default schedule (start at epoch 1, +10 %): one pruning step in two epochs.
    QTRY_COMPARE(training->sampleCount("sparsity/overall"), qsizetype(1));
    QVERIFY(training->chartFor("sparsity/overall")->isVisible());
    QVERIFY(training->chartFor("prune/reactivated")->isVisible());
    window.tabs()->setCurrentWidget(training);
    training->refreshNow();
    QVERIFY(saveScreenshot(&window, QStringLiteral(SN_BUILD_DIR) + "/screenshots/pruning-training.png"));

    // The architecture view holds the latest per-layer sparsity the database has.
    ArchitectureView* arch = window.architecturePage()->view();
    const auto stored = store.metrics().series(1, "sparsity/layer/stage1_block1.depth_conv");
    QCOMPARE(stored.size(), size_t{1});
    QTRY_VERIFY(arch->layerSparsity().count("stage1_block1.depth_conv") == 1);
    QCOMPARE(arch->layerSparsity().at("stage1_block1.depth_conv"), stored.back().value);
    QVERIFY(arch->layerSparsity().size() > 10);
    window.tabs()->setCurrentWidget(window.architecturePage());
    const QImage withHeat = arch->grab().toImage();
    QVERIFY(saveScreenshot(&window, QStringLiteral(SN_BUILD_DIR) + "/screenshots/pruning-architecture.png"));
    arch->setLayerSparsity({});
    QVERIFY(arch->grab().toImage() != withHeat);

    // Sparse MACs on the scatter: every evaluated subnet of the run is cheaper than dense.
    SubnetsPage* page = window.subnetsPage();
    window.tabs()->setCurrentWidget(page);
    QTRY_COMPARE(page->runId(), qint64(1));
    const double denseMax = page->chart()->dataBounds().right();
    page->xAxisChoice()->setCurrentIndex(2);
    const double sparseMax = page->chart()->dataBounds().right();
    QVERIFY2(sparseMax < denseMax, qPrintable(QString("%1 vs %2").arg(sparseMax).arg(denseMax)));
    QVERIFY(saveScreenshot(&window, QStringLiteral(SN_BUILD_DIR) + "/screenshots/pruning-sparse-pareto.png"));

    // Retrain ticket: a job with progress; the retrained row keeps the ticket's sparsity.
    const size_t before = store.subnets().forRun(1).size();
    SubnetRecord smallest;
    for (const SubnetRecord& s : store.subnets().forRun(1)) {
      if (s.arch == Arch::smallest(spacePreset("fmnist-small")).toText()) smallest = s;
    }
    page->select(smallest.id);
    QTest::mouseClick(page->constraints()->retrainButton(), Qt::LeftButton);
    QVERIFY(page->job()->running());
    QVERIFY(!page->constraints()->retrainButton()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(!page->job()->running(), 300000);
    QTRY_VERIFY(page->constraints()->retrainButton()->isEnabled());
    const std::vector<SubnetRecord> after = store.subnets().forRun(1);
    QCOMPARE(after.size(), before + 1);
    QCOMPARE(after.back().source, std::string("retrained"));
    QCOMPARE(after.back().arch, smallest.arch);
    QVERIFY(std::abs(after.back().sparsity - smallest.sparsity) < 1e-9);
  }
};

QTEST_MAIN(TestPruningViews)
#include "tst_pruning_views.moc"
