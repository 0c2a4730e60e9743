// The image folder in the GUI: the New Project wizard imports one (progress, refusal,
// nothing left behind), and "New Run from Weights of…" starts a run of it from a trained
// Fashion-MNIST run. Real widgets under QT_QPA_PLATFORM=offscreen.
#include <QtTest>

#include <QComboBox>
#include <QDialog>
#include <QListWidget>
#include <filesystem>
#include <fstream>

#include "app/studio/main_window.h"
#include "core/data/image_cache.h"
#include "core/project/project.h"
#include "db/store.h"
#include "image_folder_support.h"
#include "trained_fixture.h"
#include "views/new_project_wizard.h"
#include "views/run_actions.h"
#include "views/screenshot.h"

using namespace sn;
using namespace sn::test;
namespace fs = std::filesystem;

namespace {

// A wizard set to import two Fashion-MNIST classes (30 images each) into `s`'s proj/.
void setUpImageProject(NewProjectWizard& wizard, const Scratch& s) {
  writeClasses(s.path("photos"), {{"bag", 8}, {"sneaker", 7}}, 30);
  wizard.setFolder(QString::fromStdString(s.path("proj")));
  wizard.setDataset("images", QString::fromStdString(s.path("photos")));
}

}  // namespace

class TestImageWizard : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void wizardImportsAnImageFolder() {
    Scratch s;
    NewProjectWizard wizard;
    setUpImageProject(wizard, s);
    wizard.setImageOptions(28, false, 0.2);
    QVERIFY2(wizard.datasetProblem().isEmpty(), qPrintable(wizard.datasetProblem()));
    wizard.show();
    wizard.next();  // the dataset page
    saveScreenshot(&wizard, QStringLiteral(SN_BUILD_DIR) + "/screenshots/wizard-image-folder.png");
    QString error;
    QVERIFY2(wizard.createProject(&error), qPrintable(error));
    Project p = Project::open(s.path("proj"));
    QCOMPARE(p.config().dataset.kind, std::string("images"));
    const ImageCacheMeta meta = ImageCacheMeta::read(p.config().dataset.dir);
    QCOMPARE(meta.classes, (std::vector<std::string>{"bag", "sneaker"}));
    QCOMPARE(meta.trainImages + meta.valImages, int64_t{60});
    QCOMPARE(meta.channels, 3);
  }

  void wizardRefusesBadFoldersAndLeavesNoProject() {
    Scratch s;
    writeClasses(s.path("one"), {{"bag", 8}}, 5);
    NewProjectWizard wizard;
    wizard.setDataset("images", QString::fromStdString(s.path("one")));
    QVERIFY2(wizard.datasetProblem().contains("only one class"), qPrintable(wizard.datasetProblem()));

    // Half the files are broken: the import fails after decoding, the new project goes.
    writeClasses(s.path("broken"), {{"a", 1}, {"b", 2}}, 10);
    for (int k = 0; k < 10; ++k) std::ofstream(s.path("broken/a/bad" + std::to_string(k) + ".jpg"));
    wizard.setFolder(QString::fromStdString(s.path("proj")));
    wizard.setDataset("images", QString::fromStdString(s.path("broken")));
    QVERIFY(wizard.datasetProblem().isEmpty());
    QString error;
    QVERIFY(!wizard.createProject(&error));
    QVERIFY2(error.contains("10 of 30 files are bad"), qPrintable(error));
    QVERIFY(!fs::exists(s.path("proj/project.sqlite")));
    QVERIFY(!fs::exists(s.path("proj/data")));
  }

  void newRunFromWeightsOfAnotherProject() {
    Scratch s;
    NewProjectWizard wizard;
    setUpImageProject(wizard, s);
    wizard.setPreset("fmnist-tiny");
    QString error;
    QVERIFY2(wizard.createProject(&error), qPrintable(error));
    const std::string source = trainedProject(Trained::Dense);
    MainWindow window;
    window.show();
    QVERIFY(window.openProject(QString::fromStdString(s.path("proj"))));
    QVERIFY(window.newRunFromWeightsAction()->isEnabled());
    window.runActions()->newRunFromWeightsOf(QString::fromStdString(source));
    QDialog* dialog = window.runActions()->weightsDialog();
    QVERIFY(dialog && dialog->isVisible());
    QCOMPARE(window.runActions()->weightsList()->count(), 1);
    saveScreenshot(dialog, QStringLiteral(SN_BUILD_DIR) + "/screenshots/new-run-from-weights.png");
    dialog->accept();
    QTRY_VERIFY_WITH_TIMEOUT(!window.runActions()->busy(), 60000);
    QVERIFY2(window.lastError().isEmpty(), qPrintable(window.lastError()));
    Project p = Project::open(s.path("proj"));
    const auto run = p.store().runs().latest();
    QVERIFY(run);
    QVERIFY2(run->origin.find("weights from project " + source + " run 1") != std::string::npos,
             run->origin.c_str());
    QVERIFY(ProjectConfig::fromText(run->configJson, "run").initFrom.set());
    window.runActions()->newRunFromWeightsOf(QString::fromStdString(s.path("photos")));
    QVERIFY(window.lastError().contains("not a Supernet Studio project"));
  }
};

QTEST_MAIN(TestImageWizard)
#include "tst_image_wizard.moc"
