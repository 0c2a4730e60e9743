// File > Import Once-for-All Checkpoint… in the window: the import runs as a job behind a
// progress dialog, the new run is selected and shown; a hostile file is refused with one
// message and no run. Real widgets under QT_QPA_PLATFORM=offscreen.
#include <QtTest>

#include <nlohmann/json.hpp>

#include "app/studio/main_window.h"
#include "core/project/project.h"
#include "core/space/presets.h"
#include "db/store.h"
#include "test_support.h"
#include "views/run_actions.h"
#include "views/screenshot.h"

using namespace sn;
using namespace sn::test;

class TestOfaGui : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void importSelectsTheNewRun() {
    Scratch s;
    nlohmann::json config = projectTemplate("ofa-mbv3");
    config["dataset"] = {{"kind", "synthetic"},
                         {"synthetic", {{"samples", 64}, {"channels", 3}, {"resolution", 32}, {"classes", 10}}}};
    config["recipe"]["batch_size"] = 16;
    Project::create(s.path("p"), ProjectConfig::fromJson(config, "test"));
    MainWindow window;
    window.resize(1400, 900);
    window.show();
    QVERIFY(!window.importOfaAction()->isEnabled());  // no project yet
    QVERIFY(window.openProject(QString::fromStdString(s.path("p"))));
    QVERIFY(window.importOfaAction()->isEnabled());

    const QString file = QStringLiteral(SN_SOURCE_DIR) + "/tests/fixtures/ofa/ofa_w10_c10.zip.pth";
    window.runActions()->importOfaFrom(file);
    QVERIFY(window.runActions()->busy());
    QVERIFY(window.runActions()->progressDialog());
    QTRY_VERIFY_WITH_TIMEOUT(!window.runActions()->busy(), 60000);
    QVERIFY2(window.lastError().isEmpty(), qPrintable(window.lastError()));
    QTRY_COMPARE(window.selectedRuns().size(), size_t{1});
    const RunRecord run = window.selectedRuns().front();
    QCOMPARE(run.status, RunStatus::Finished);
    QVERIFY(QString::fromStdString(run.origin).startsWith("imported from " + file));
    saveScreenshot(&window, QStringLiteral(SN_BUILD_DIR) + "/screenshots/ofa-imported.png");

    const QString hostile = QString::fromStdString(s.path("system.pth"));
    QFile f(hostile);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray("\x80\x02" "cos\nsystem\nq\x00X\x02\x00\x00\x00lsq\x01\x85q\x02Rq\x03.", 30));
    f.close();
    window.runActions()->importOfaFrom(hostile);
    QTRY_VERIFY_WITH_TIMEOUT(!window.runActions()->busy(), 60000);
    QVERIFY2(window.lastError().contains("os.system"), qPrintable(window.lastError()));
    QCOMPARE(Project::open(s.path("p")).store().runs().all().size(), size_t{1});
  }
};

QTEST_MAIN(TestOfaGui)
#include "tst_ofa_gui.moc"
