#pragma once
#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>
#include <QString>

#include <optional>
#include <string>
#include <vector>

#include "core/project/project_config.h"
#include "db/records.h"
#include "views/training_controller.h"

class QAction;
class QComboBox;
class QLabel;
class QMenu;
class QPlainTextEdit;
class QProgressBar;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QToolButton;

namespace sn {

class ArchitecturePage;
class CompareView;
class RunActions;
class LatencyView;
class SubnetsPage;
class MetricsFeed;
class RunsTableModel;
class StartPage;
class TrainingView;

// The application window: start page or an open project (training curves, architecture),
// a runs dock and a log dock, Run controls, and the status bar. Wires views/ to the
// TrainingController (training on a worker thread) and the MetricsFeed (the UI's own
// read-only view of the project database).
class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Opens DIR (also a project another process is training: it is then watched). False with
  // an error dialog when DIR is not a project or cannot be read.
  bool openProject(const QString& dir);
  void closeProject();
  bool hasProject() const { return !projectDir_.isEmpty(); }
  QString projectDir() const { return projectDir_; }

  // Run menu. startTraining: a new run; resumeTraining: un-pause, or continue the selected
  // stopped/failed run from its checkpoint.
  // createdRunId: train that run made by "New run from this one…" (0: the shown run when it
  // is such a run, else a new run with the project's config).
  bool startTraining(int epochs = 0, qint64 createdRunId = 0);
  void pauseTraining();
  void resumeTraining();
  void stopTraining();
  void setDevice(const QString& device);
  void setTrainingThreads(int threads) { threads_ = threads; }

  // Runs the New Project wizard (modal); opens the project it creates.
  void newProject();

  TrainingController* controller() const { return controller_; }
  MetricsFeed* feed() const { return feed_; }
  RunsTableModel* runsModel() const { return runsModel_; }
  TrainingView* trainingView() const { return trainingView_; }
  SubnetsPage* subnetsPage() const { return subnetsPage_; }
  LatencyView* latencyView() const { return latencyView_; }
  // Re-reads the shown run's subnets and the latency tables when their counts changed.
  void refreshSubnets(bool force = false);
  ArchitecturePage* architecturePage() const { return architecturePage_; }
  StartPage* startPage() const { return startPage_; }
  QTabWidget* tabs() const { return tabs_; }
  // The selected run (its curves are shown); 0 when none.
  qint64 shownRun() const;
  // The runs selected in the runs dock (several for Compare and Delete), by id.
  std::vector<RunRecord> selectedRuns() const;
  void selectRuns(const std::vector<qint64>& runIds);
  // Opens the Compare tab on the selected runs.
  void compareSelectedRuns();
  CompareView* compareView() const { return compareView_; }
  RunActions* runActions() const { return runActions_; }
  QAction* deleteRunAction() const { return deleteRunAction_; }
  QAction* newRunAction() const { return newRunAction_; }
  QAction* newRunFromWeightsAction() const { return newRunFromWeightsAction_; }
  QAction* importOfaAction() const { return importOfaAction_; }
  QAction* aboutAction() const { return aboutAction_; }
  // The About dialog's text: this version and LibTorch's (with or without CUDA), Qt's and
  // SQLite's; --version prints it too.
  static QString aboutText();
  QMessageBox* aboutBox() const { return aboutBox_; }
  void showRun(qint64 runId);
  // The text of the last error dialog (tests read it; the dialog itself does not block).
  QString lastError() const { return lastError_; }
  QString statusSummary() const;

 protected:
  void closeEvent(QCloseEvent* event) override;
  void showEvent(QShowEvent* event) override;

 private:
  void buildActions();
  void buildMenus();
  void buildDocks();
  void buildStatusBar();
  void restoreWindowState();
  void rebuildRecentMenu();
  void updateActions();
  void refreshRuns();
  void checkExternalTrainer();
  void showError(const QString& title, const QString& text);
  void log(const QString& text);
  void onProgress(const TrainingProgress& p, const ChoiceFrequencies& sampled);
  void onFinished(sn::RunStatus status, qint64 runId, const QString& message);
  void chooseAndOpenProject();
  void scheduleTabWarmUp();
  void warmUpTab(int index);
  // This project on the chosen device and threads; callers set epochs / run to resume.
  TrainingRequest trainingRequest() const;

  TrainingController* controller_ = nullptr;
  MetricsFeed* feed_ = nullptr;
  RunsTableModel* runsModel_ = nullptr;

  QStackedWidget* stack_ = nullptr;
  StartPage* startPage_ = nullptr;
  QTabWidget* tabs_ = nullptr;
  TrainingView* trainingView_ = nullptr;
  ArchitecturePage* architecturePage_ = nullptr;
  SubnetsPage* subnetsPage_ = nullptr;
  LatencyView* latencyView_ = nullptr;
  CompareView* compareView_ = nullptr;
  RunActions* runActions_ = nullptr;
  bool tabsWarm_ = false;  // each tab rendered once off screen (scheduleTabWarmUp)
  qint64 subnetsShownRun_ = -1;
  qint64 subnetsShownLastId_ = -1;
  std::string latencyShownStamp_ = "none";  // MetricsFeed::latencyStamp of what is shown
  QTableView* runsTable_ = nullptr;
  QPlainTextEdit* log_ = nullptr;

  QAction* newAction_ = nullptr;
  QAction* openAction_ = nullptr;
  QAction* closeAction_ = nullptr;
  QAction* quitAction_ = nullptr;
  QAction* startAction_ = nullptr;
  QAction* pauseAction_ = nullptr;
  QAction* resumeAction_ = nullptr;
  QAction* stopAction_ = nullptr;
  QAction* newRunAction_ = nullptr;
  QAction* newRunFromWeightsAction_ = nullptr;
  QAction* importOfaAction_ = nullptr;
  QAction* aboutAction_ = nullptr;
  QPointer<QMessageBox> aboutBox_;
  QAction* editRunAction_ = nullptr;
  QAction* deleteRunAction_ = nullptr;
  QAction* importRunsAction_ = nullptr;
  QAction* compareRunsAction_ = nullptr;
  QMenu* recentMenu_ = nullptr;
  QComboBox* deviceCombo_ = nullptr;

  QLabel* deviceLabel_ = nullptr;
  QLabel* stepLabel_ = nullptr;
  QLabel* speedLabel_ = nullptr;
  QLabel* etaLabel_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QToolButton* cancel_ = nullptr;

  QString projectDir_;
  std::optional<ProjectConfig> config_;
  QString lastError_;
  std::optional<long> externalTrainer_;
  int threads_ = 0;
  bool followNewestRun_ = true;
  bool closeWhenStopped_ = false;
};

}  // namespace sn
