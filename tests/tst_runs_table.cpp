// The runs dock while the runs change underneath it (another process renames, adds, deletes
// runs): the table follows row by row, never reset, and the user's selection of several runs
// stays (less a run that went).
#include <QTableView>
#include <QtTest>

#include "app/studio/main_window.h"
#include "core/project/project.h"
#include "db/store.h"
#include "gui_support.h"
#include "test_support.h"
#include "views/metrics_feed.h"
#include "views/runs_table_model.h"

using namespace sn;

namespace {

std::vector<qint64> idsOf(const std::vector<RunRecord>& runs) {
  std::vector<qint64> ids;
  for (const RunRecord& r : runs) ids.push_back(r.id);
  return ids;
}

int64_t addRun(Store& store, const std::string& name) {
  RunRecord run;
  run.name = name;
  run.space = "fmnist-tiny";
  run.configJson = "{}";
  run.status = RunStatus::Finished;
  return store.runs().create(run);
}

}  // namespace

class TestRunsTable : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { test::isolateSettings(); }

  void aSelectionOfSeveralRunsOutlivesChangesToTheRuns() {
    test::Scratch s;
    const std::string dir = s.path("proj");
    Project::create(dir, "fmnist-tiny");
    Store writer(dir + "/project.sqlite");
    for (const char* name : {"a", "b", "c", "d"}) addRun(writer, name);

    MainWindow window;
    window.show();
    QVERIFY(window.openProject(QString::fromStdString(dir)));
    RunsTableModel* model = window.runsModel();
    QCOMPARE(model->rowCount(), 4);
    window.selectRuns({1, 3, 4});
    QCOMPARE(idsOf(window.selectedRuns()), (std::vector<qint64>{1, 3, 4}));

    // Another connection renames one run, deletes the last and adds one, which SQLite gives
    // the deleted run's id: another run, so it is not selected.
    writer.runs().rename(2, "b renamed");
    writer.runs().remove(4);
    QCOMPARE(addRun(writer, "e"), int64_t{4});
    QSignalSpy resets(model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
    window.feed()->poll();

    QCOMPARE(model->rowCount(), 4);
    QCOMPARE(model->runAt(1)->name, std::string("b renamed"));
    QCOMPARE(model->runAt(3)->name, std::string("e"));
    QCOMPARE(resets.count(), 0);
    QVERIFY(changed.count() >= 1);
    QCOMPARE(idsOf(window.selectedRuns()), (std::vector<qint64>{1, 3}));
    QCOMPARE(window.feed()->readErrors(), 0);
  }
};

QTEST_MAIN(TestRunsTable)
#include "tst_runs_table.moc"
