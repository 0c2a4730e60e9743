// Renders each main view to PNG under <build>/screenshots and checks none is blank. The
// PNGs are for people: docs/ and the README show current ones.
#include <QtTest>

#include "colour_count.h"
#include "app/studio/main_window.h"
#include "core/project/project.h"
#include "core/project/training_session.h"
#include "core/util/allocator_tuning.h"
#include "gui_support.h"
#include "test_support.h"
#include "views/architecture_page.h"
#include "views/new_project_wizard.h"
#include "views/screenshot.h"
#include "views/start_page.h"
#include "views/training_view.h"
#include "views/recent_projects.h"

using namespace sn;

namespace {

QString shotPath(const QString& name) {
  const QString dir = QStringLiteral(SN_BUILD_DIR) + "/screenshots";
  QDir().mkpath(dir);
  return dir + "/" + name + ".png";
}

void checkShot(QWidget* w, const QString& name, int minColours) {
  const QString path = shotPath(name);
  QVERIFY2(saveScreenshot(w, path), qPrintable(path));
  const int colours = test::distinctColours(QImage(path));
  qInfo("%s: %d colours", qPrintable(path), colours);
  QVERIFY2(colours >= minColours, qPrintable(name + " looks blank"));
}

}  // namespace

class TestScreenshots : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    test::isolateSettings();
    keepFreedMemoryForReuse();
    QCOMPARE(QGuiApplication::platformName(), QString("offscreen"));
  }

  void wizardPages() {
    NewProjectWizard wizard;
    wizard.resize(760, 560);
    wizard.show();
    const QStringList names = {"wizard-1-folder", "wizard-2-dataset", "wizard-3-space",
                               "wizard-4-recipe"};
    for (int i = 0; i < names.size(); ++i) {
      checkShot(&wizard, names[i], 8);
      wizard.next();
    }
  }

  void startPageAndTrainedProject() {
    test::Scratch s;
    const QString dir = QString::fromStdString(s.path("fmnist-demo"));
    QString error;
    QVERIFY2(test::makeTinyProject(dir, 3, &error), qPrintable(error));
    {
      Project project = Project::open(dir.toStdString());
      SessionOptions options;
      options.threads = 2;
      TrainingSession(project, options).start();
    }
    RecentProjects::add(dir);
    MainWindow window;
    window.resize(1400, 900);
    window.show();
    checkShot(&window, "start-page", 8);

    QVERIFY(window.openProject(dir));
    window.trainingView()->refreshNow();
    QTest::qWait(100);
    checkShot(&window, "training-view", 40);
    window.tabs()->setCurrentIndex(1);
    window.architecturePage()->setMode(ArchitecturePage::Mode::Largest);
    window.architecturePage()->showArchText("d=2,1,2 k=5,3|3|5,3 e=3,2|3|2,3");
    QTest::qWait(50);
    checkShot(&window, "architecture-view", 20);
  }
};

QTEST_MAIN(TestScreenshots)
#include "tst_screenshots.moc"
