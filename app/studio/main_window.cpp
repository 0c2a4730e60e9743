#include "app/studio/main_window.h"

#include <QTimer>

#include <QAction>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>

#include <cmath>

#include "core/data/dataset_spec.h"
#include "core/project/interrupted_runs.h"
#include "core/project/project.h"
#include "core/project/training_lock.h"
#include "core/train/device_names.h"
#include "core/util/build_info.h"
#include "db/store.h"
#include "views/architecture_page.h"
#include "views/compare_view.h"
#include "views/run_actions.h"
#include "views/latency_view.h"
#include "views/subnets_page.h"
#include "views/metrics_feed.h"
#include "views/new_project_wizard.h"
#include "views/recent_projects.h"
#include "views/runs_table_model.h"
#include "views/start_page.h"
#include "views/training_view.h"

namespace sn {
namespace {

QString duration(double seconds) {
  if (!(seconds > 0) || !std::isfinite(seconds)) return "-";
  const qint64 s = static_cast<qint64>(seconds);
  return QStringLiteral("%1:%2:%3")
      .arg(s / 3600)
      .arg((s / 60) % 60, 2, 10, QChar('0'))
      .arg(s % 60, 2, 10, QChar('0'));
}

QString phaseLabel(const TrainingProgress& p) {
  const QString which = p.phaseArch.empty() ? QString() : QStringLiteral(" of a subnet");
  if (p.phase == "recalibrate") return QObject::tr("Recalibrating BN%1: %p%").arg(which);
  if (p.phase == "evaluate") return QObject::tr("Evaluating%1: %p%").arg(which);
  return QObject::tr("Epoch %1: %p%").arg(static_cast<int>(p.epoch) + 1);
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("Supernet Studio"));
  controller_ = new TrainingController(this);
  feed_ = new MetricsFeed(this);
  runsModel_ = new RunsTableModel(this);
  // A watched trainer that dies writes nothing more, so no database change says so: while one
  // is watched its lock is looked at every second, and its run then shows as interrupted.
  auto* watchdog = new QTimer(this);
  connect(watchdog, &QTimer::timeout, this, [this] {
    if (!externalTrainer_) return;
    checkExternalTrainer();
    if (!externalTrainer_) refreshRuns();
  });
  watchdog->start(1000);

  stack_ = new QStackedWidget();
  startPage_ = new StartPage();
  tabs_ = new QTabWidget();
  trainingView_ = new TrainingView();
  architecturePage_ = new ArchitecturePage();
  tabs_->addTab(trainingView_, tr("Training"));
  tabs_->addTab(architecturePage_, tr("Architecture"));
  subnetsPage_ = new SubnetsPage;
  tabs_->addTab(subnetsPage_, tr("Subnets"));
  latencyView_ = new LatencyView;
  tabs_->addTab(latencyView_, tr("Latency"));
  compareView_ = new CompareView;
  tabs_->addTab(compareView_, tr("Compare"));
  runActions_ = new RunActions(this);
  stack_->addWidget(startPage_);
  stack_->addWidget(tabs_);
  setCentralWidget(stack_);

  buildActions();
  buildMenus();
  buildDocks();
  buildStatusBar();

  connect(startPage_, &StartPage::newProjectRequested, this, &MainWindow::newProject);
  connect(startPage_, &StartPage::openProjectRequested, this, &MainWindow::chooseAndOpenProject);
  connect(startPage_, &StartPage::recentProjectChosen, this, &MainWindow::openProject);
  connect(controller_, &TrainingController::progress, this, &MainWindow::onProgress);
  connect(controller_, &TrainingController::finished, this, &MainWindow::onFinished);
  connect(controller_, &TrainingController::stateChanged, this, &MainWindow::updateActions);
  connect(controller_, &TrainingController::metricsWritten, feed_, &MetricsFeed::poll);
  connect(controller_, &TrainingController::epochFinished, this, [this](const EpochSummary& e) {
    log(tr("run %1 epoch %2: test top-1 largest %3%, smallest %4%")
            .arg(e.runId)
            .arg(e.epoch)
            .arg(100 * e.largestAccuracy, 0, 'f', 2)
            .arg(100 * e.smallestAccuracy, 0, 'f', 2));
  });
  connect(feed_, &MetricsFeed::reset, trainingView_,
          [this](qint64 runId, const std::vector<MetricSample>& rows) {
            trainingView_->showRun(runId, rows);
            architecturePage_->takeMetrics(rows, true);
          });
  connect(feed_, &MetricsFeed::appended, trainingView_, [this](qint64, const std::vector<MetricSample>& rows) {
    trainingView_->appendRows(rows);
    architecturePage_->takeMetrics(rows, false);
  });
  connect(feed_, &MetricsFeed::databaseChanged, this, [this] {
    refreshRuns();
    checkExternalTrainer();
    refreshSubnets();
    compareView_->scheduleRefresh();
  });
  connect(feed_, &MetricsFeed::readFailed, this, [this](const QString& message) {
    statusBar()->showMessage(tr("Could not read the project (trying again): %1").arg(message), 5000);
  });
  connect(runActions_, &RunActions::runsChanged, this, [this](const QString& summary) {
    log(summary);
    feed_->poll();
    refreshRuns();
    compareView_->refresh();
  });
  connect(runActions_, &RunActions::failed, this, &MainWindow::showError);
  connect(runActions_, &RunActions::runImported, this, [this](qint64 runId) {
    selectRuns({runId});
    showRun(runId);
  });
  connect(runActions_, &RunActions::trainRequested, this, [this](qint64 runId) {
    showRun(runId);
    startTraining(0, runId);
  });
  connect(subnetsPage_, &SubnetsPage::subnetsStored, this, [this] { refreshSubnets(true); });
  connect(subnetsPage_, &SubnetsPage::message, this, [this](const QString& text) { log(text); });
  connect(subnetsPage_, &SubnetsPage::archChosen, this, [this](const QString& arch) {
    architecturePage_->setMode(ArchitecturePage::Mode::Custom);
    architecturePage_->showArchText(arch);
  });

  restoreWindowState();
  updateActions();
}

MainWindow::~MainWindow() = default;

QString MainWindow::aboutText() {
  return QString("Supernet Studio %1\n%2\nQt %3")
      .arg(toolVersion(), QString::fromStdString(libraryVersions()), qVersion());
}

void MainWindow::buildActions() {
  newAction_ = new QAction(tr("&New Project…"), this);
  newAction_->setShortcut(QKeySequence::New);
  openAction_ = new QAction(tr("&Open Project…"), this);
  openAction_->setShortcut(QKeySequence::Open);
  closeAction_ = new QAction(tr("&Close Project"), this);
  closeAction_->setShortcut(QKeySequence::Close);
  quitAction_ = new QAction(tr("&Quit"), this);
  quitAction_->setShortcut(QKeySequence::Quit);
  startAction_ = new QAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("&Start"), this);
  startAction_->setShortcut(Qt::Key_F5);
  startAction_->setToolTip(tr("Start a new training run of this project"));
  pauseAction_ = new QAction(style()->standardIcon(QStyle::SP_MediaPause), tr("&Pause"), this);
  resumeAction_ =
      new QAction(style()->standardIcon(QStyle::SP_MediaSeekForward), tr("&Resume"), this);
  resumeAction_->setToolTip(tr("Continue a paused run, or the selected stopped run from its "
                               "last checkpoint"));
  stopAction_ = new QAction(style()->standardIcon(QStyle::SP_MediaStop), tr("S&top"), this);
  stopAction_->setShortcut(Qt::SHIFT | Qt::Key_F5);
  stopAction_->setToolTip(tr("Stop after the current step and write a checkpoint"));

  newRunAction_ = new QAction(tr("&New Run from This One…"), this);
  newRunAction_->setToolTip(tr("A new run with the selected run's recipe and your changes"));
  newRunFromWeightsAction_ = new QAction(tr("New Run from &Weights of…"), this);
  newRunFromWeightsAction_->setToolTip(
      tr("Transfer: a new run of this project that starts from a trained run's weights "
         "(this or another project, same space)"));
  editRunAction_ = new QAction(tr("&Edit Run…"), this);
  deleteRunAction_ = new QAction(style()->standardIcon(QStyle::SP_TrashIcon), tr("&Delete Runs…"), this);
  importOfaAction_ = new QAction(tr("Import Once-for-All &Checkpoint…"), this);
  importOfaAction_->setToolTip(tr("Open an OFA MobileNetV3 supernet (.pth) as a finished run of "
                                  "this project: evaluate, search, prune and export it"));
  importRunsAction_ = new QAction(tr("&Import Runs…"), this);
  importRunsAction_->setToolTip(tr("Copy runs of another project into this one"));
  compareRunsAction_ = new QAction(tr("&Compare Selected Runs"), this);
  connect(newRunAction_, &QAction::triggered, this, [this] {
    const std::vector<RunRecord> runs = selectedRuns();
    if (!runs.empty()) runActions_->newRunFrom(runs.front());
  });
  connect(newRunFromWeightsAction_, &QAction::triggered, runActions_,
          &RunActions::newRunFromWeights);
  connect(editRunAction_, &QAction::triggered, this, [this] {
    const std::vector<RunRecord> runs = selectedRuns();
    if (!runs.empty()) runActions_->editRun(runs.front());
  });
  connect(deleteRunAction_, &QAction::triggered, this, [this] { runActions_->deleteRuns(selectedRuns()); });
  connect(importRunsAction_, &QAction::triggered, runActions_, &RunActions::importRuns);
  connect(importOfaAction_, &QAction::triggered, runActions_, &RunActions::importOfa);
  aboutAction_ = new QAction(tr("&About Supernet Studio"), this);
  connect(aboutAction_, &QAction::triggered, this, [this] {
    if (aboutBox_) aboutBox_->deleteLater();
    aboutBox_ = new QMessageBox(QMessageBox::Information, tr("About Supernet Studio"), aboutText(),
                                QMessageBox::Ok, this);
    aboutBox_->setInformativeText(tr("Train weight-sharing supernets and pick subnets by accuracy, "
                                     "MACs and latency."));
    aboutBox_->setWindowModality(Qt::WindowModal);
    aboutBox_->open();
  });
  connect(compareRunsAction_, &QAction::triggered, this, &MainWindow::compareSelectedRuns);
  connect(newAction_, &QAction::triggered, this, &MainWindow::newProject);
  connect(openAction_, &QAction::triggered, this, &MainWindow::chooseAndOpenProject);
  connect(closeAction_, &QAction::triggered, this, &MainWindow::closeProject);
  connect(quitAction_, &QAction::triggered, this, &MainWindow::close);
  connect(startAction_, &QAction::triggered, this, [this] { startTraining(); });
  connect(pauseAction_, &QAction::triggered, this, &MainWindow::pauseTraining);
  connect(resumeAction_, &QAction::triggered, this, &MainWindow::resumeTraining);
  connect(stopAction_, &QAction::triggered, this, &MainWindow::stopTraining);
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(newAction_);
  file->addAction(openAction_);
  recentMenu_ = file->addMenu(tr("Open &Recent"));
  file->addAction(closeAction_);
  file->addSeparator();
  file->addAction(importOfaAction_);
  file->addSeparator();
  file->addAction(quitAction_);
  rebuildRecentMenu();

  QMenu* run = menuBar()->addMenu(tr("&Run"));
  run->addAction(startAction_);
  run->addAction(pauseAction_);
  run->addAction(resumeAction_);
  run->addAction(stopAction_);
  run->addSeparator();
  for (QAction* a : {newRunAction_, newRunFromWeightsAction_, editRunAction_, deleteRunAction_,
                     importRunsAction_, compareRunsAction_}) {
    run->addAction(a);
  }

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(aboutAction_);

  QToolBar* bar = addToolBar(tr("Run"));
  bar->setObjectName("runToolBar");
  bar->addAction(startAction_);
  bar->addAction(pauseAction_);
  bar->addAction(resumeAction_);
  bar->addAction(stopAction_);
  bar->addSeparator();
  bar->addWidget(new QLabel(tr(" Device: ")));
  deviceCombo_ = new QComboBox();
  for (const std::string& d : availableDevices()) deviceCombo_->addItem(QString::fromStdString(d));
  deviceCombo_->setToolTip(tr("Where the next run trains (each GPU is listed when this LibTorch "
                              "has CUDA and sees it)"));
  bar->addWidget(deviceCombo_);
}

void MainWindow::buildDocks() {
  runsTable_ = new QTableView();
  runsTable_->setModel(runsModel_);
  runsTable_->setSelectionBehavior(QAbstractItemView::SelectRows);
  runsTable_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  runsTable_->setContextMenuPolicy(Qt::ActionsContextMenu);
  for (QAction* a : {newRunAction_, newRunFromWeightsAction_, editRunAction_, deleteRunAction_,
                     importRunsAction_, compareRunsAction_}) {
    runsTable_->addAction(a);
  }
  runsTable_->horizontalHeader()->setStretchLastSection(true);
  runsTable_->verticalHeader()->hide();
  auto* runsDock = new QDockWidget(tr("Runs"), this);
  runsDock->setObjectName("runsDock");
  runsDock->setWidget(runsTable_);
  addDockWidget(Qt::BottomDockWidgetArea, runsDock);
  connect(runsTable_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &MainWindow::updateActions);
  connect(runsTable_, &QTableView::clicked, this, [this](const QModelIndex& index) {
    if (const RunRecord* run = runsModel_->runAt(index.row())) {
      followNewestRun_ = index.row() == runsModel_->rowCount() - 1;
      showRun(run->id);
    }
  });

  log_ = new QPlainTextEdit();
  log_->setReadOnly(true);
  log_->setMaximumBlockCount(5000);
  auto* logDock = new QDockWidget(tr("Log"), this);
  logDock->setObjectName("logDock");
  logDock->setWidget(log_);
  addDockWidget(Qt::BottomDockWidgetArea, logDock);
  tabifyDockWidget(runsDock, logDock);
  runsDock->raise();
  resizeDocks({runsDock}, {170}, Qt::Vertical);  // the curves get the room; saved state wins

  QMenu* view = menuBar()->addMenu(tr("&View"));
  view->addAction(runsDock->toggleViewAction());
  view->addAction(logDock->toggleViewAction());
}

void MainWindow::buildStatusBar() {
  deviceLabel_ = new QLabel();
  stepLabel_ = new QLabel();
  speedLabel_ = new QLabel();
  etaLabel_ = new QLabel();
  progress_ = new QProgressBar();
  progress_->setRange(0, 1000);
  progress_->setMaximumWidth(260);
  progress_->setTextVisible(true);
  cancel_ = new QToolButton();
  cancel_->setText(tr("Cancel"));
  cancel_->setToolTip(tr("Stop the run after the current step (or cancel the evaluation) "
                         "with a checkpoint"));
  connect(cancel_, &QToolButton::clicked, this, &MainWindow::stopTraining);
  statusBar()->addPermanentWidget(deviceLabel_);
  statusBar()->addPermanentWidget(stepLabel_);
  statusBar()->addPermanentWidget(speedLabel_);
  statusBar()->addPermanentWidget(etaLabel_);
  statusBar()->addPermanentWidget(progress_);
  statusBar()->addPermanentWidget(cancel_);
  progress_->hide();
  cancel_->hide();
}

void MainWindow::restoreWindowState() {
  QSettings settings;
  if (!restoreGeometry(settings.value("window/geometry").toByteArray())) resize(1280, 820);
  restoreState(settings.value("window/state").toByteArray());
}

void MainWindow::rebuildRecentMenu() {
  recentMenu_->clear();
  for (const QString& dir : RecentProjects::list()) {
    recentMenu_->addAction(dir, this, [this, dir] { openProject(dir); });
  }
  recentMenu_->setEnabled(!recentMenu_->isEmpty());
  startPage_->refresh();
}

bool MainWindow::openProject(const QString& dir) {
  if (controller_->busy()) {
    showError(tr("Cannot open a project"), tr("Stop the current run first."));
    return false;
  }
  NetShape shape;
  ProjectConfig config;
  QString device = "cpu";
  try {
    // Read-write once: migrations run here, never behind the user's back later.
    Project project = Project::open(dir.toStdString());
    config = project.config();
    if (auto d = project.store().settings().get("device")) device = QString::fromStdString(*d);
    feed_->open(QString::fromStdString(project.databasePath()));
    shape = datasetShape(config.dataset);
  } catch (const std::exception& e) {
    if (!feed_->isOpen()) {
      showError(tr("Cannot open the project"), QString::fromStdString(e.what()));
      return false;
    }
    // The data folder moved or is missing: the curves still open; training will say so.
    log(tr("Dataset: %1").arg(QString::fromStdString(e.what())));
    shape = {1, 28, 10};
  }
  projectDir_ = QDir(dir).absolutePath();
  config_ = config;
  setDevice(device);
  deviceLabel_->setText(tr("device: %1").arg(deviceCombo_->currentText()));
  architecturePage_->setSpace(config.space, shape);
  subnetsPage_->setProject(projectDir_, config.space, shape);
  runActions_->setProjectDir(projectDir_);
  compareView_->setStore(feed_->store());
  subnetsShownRun_ = subnetsShownLastId_ = -1;
  latencyShownStamp_ = "none";
  RecentProjects::add(projectDir_);
  rebuildRecentMenu();
  setWindowTitle(tr("%1 — Supernet Studio").arg(QDir(projectDir_).dirName()));
  stack_->setCurrentWidget(tabs_);
  followNewestRun_ = true;
  refreshRuns();
  checkExternalTrainer();
  updateActions();
  log(tr("Opened %1 (space %2)").arg(projectDir_, QString::fromStdString(config.space.name)));
  scheduleTabWarmUp();
  return true;
}

void MainWindow::showEvent(QShowEvent* event) {
  QMainWindow::showEvent(event);
  scheduleTabWarmUp();
}

// A tab's first show polishes and lays out its widgets and fills its charts' font caches: 29 ms
// for the Compare tab, and up to 54 with a large comparison starting beside it. Rendered once
// off screen as soon as the tabs show, a tab an event-loop turn (13-17 ms), the first switch to
// a tab takes 12-18 ms.
void MainWindow::scheduleTabWarmUp() {
  if (tabsWarm_) return;
  tabsWarm_ = true;
  QTimer::singleShot(0, this, [this] { warmUpTab(0); });
}

void MainWindow::warmUpTab(int index) {
  if (index >= tabs_->count()) return;
  if (!tabs_->isVisible()) {  // the window or the tabs not shown yet: again when they are
    tabsWarm_ = false;
    return;
  }
  if (index != tabs_->currentIndex()) tabs_->widget(index)->grab();
  QTimer::singleShot(0, this, [this, index] { warmUpTab(index + 1); });
}

void MainWindow::closeProject() {
  if (controller_->busy()) {
    showError(tr("Cannot close the project"), tr("Stop the current run first."));
    return;
  }
  feed_->close();
  projectDir_.clear();
  config_.reset();
  runsModel_->setRuns({});
  compareView_->setStore(nullptr);
  runActions_->setProjectDir({});
  trainingView_->showRun(0, {});
  architecturePage_->clear();
  externalTrainer_.reset();
  setWindowTitle(tr("Supernet Studio"));
  startPage_->refresh();
  stack_->setCurrentWidget(startPage_);
  updateActions();
}

void MainWindow::chooseAndOpenProject() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Project"),
                                                        QDir::homePath());
  if (!dir.isEmpty()) openProject(dir);
}

void MainWindow::newProject() {
  NewProjectWizard wizard(this);
  if (wizard.exec() != QDialog::Accepted) return;
  if (hasProject()) closeProject();
  if (openProject(wizard.folder()) && wizard.startTraining()) {
    setDevice(wizard.device());
    startTraining();
  }
}

void MainWindow::setDevice(const QString& device) {
  const int i = deviceCombo_->findText(QString::fromStdString(chooserDeviceName(device.toStdString())));
  if (i >= 0) {
    deviceCombo_->setCurrentIndex(i);
  } else {
    log(tr("Device %1 is not available here; using cpu").arg(device));
    deviceCombo_->setCurrentIndex(0);
  }
}

bool MainWindow::startTraining(int epochs, qint64 createdRunId) {
  if (!hasProject() || controller_->busy()) return false;
  checkExternalTrainer();
  if (externalTrainer_) {
    showError(tr("Cannot start training"),
              tr("Process %1 is training this project; its curves are shown live here.")
                  .arg(*externalTrainer_));
    return false;
  }
  TrainingRequest request = trainingRequest();
  request.epochs = epochs;
  // Start on a run made by "New run from this one…" trains that run with its own recipe.
  const RunRecord* shown = runsModel_->runAt(runsModel_->rowOf(shownRun()));
  if (createdRunId == 0 && shown && shown->status == RunStatus::Created) createdRunId = shown->id;
  request.createdRunId = createdRunId;
  QString error;
  if (!controller_->start(request, &error)) {
    showError(tr("Cannot start training"), error);
    return false;
  }
  followNewestRun_ = true;
  log(createdRunId > 0 ? tr("Training run %1 on %2").arg(createdRunId).arg(deviceCombo_->currentText())
                       : tr("Training a new run on %1").arg(deviceCombo_->currentText()));
  return true;
}

TrainingRequest MainWindow::trainingRequest() const {
  TrainingRequest request;
  request.projectDir = projectDir_;
  request.device = deviceCombo_->currentText().toStdString();
  request.threads = threads_;
  return request;
}

void MainWindow::pauseTraining() { controller_->pause(); }

void MainWindow::resumeTraining() {
  if (controller_->state() == TrainingController::State::Paused) {
    controller_->resume();
    return;
  }
  const qint64 runId = shownRun();
  if (!hasProject() || controller_->busy() || runId <= 0) return;
  TrainingRequest request = trainingRequest();
  request.resumeRunId = runId;
  QString error;
  if (!controller_->start(request, &error)) {
    showError(tr("Cannot resume"), error);
    return;
  }
  log(tr("Resuming run %1 from its last checkpoint").arg(runId));
}

void MainWindow::stopTraining() {
  if (!controller_->busy()) return;
  controller_->stop();
  statusBar()->showMessage(tr("Stopping after the current step…"));
}

void MainWindow::onProgress(const TrainingProgress& p, const ChoiceFrequencies& sampled) {
  if (p.runId > 0 && trainingView_->runId() != p.runId && followNewestRun_) {
    refreshRuns();
    showRun(p.runId);
  }
  deviceLabel_->setText(tr("device: %1").arg(controller_->deviceName()));
  stepLabel_->setText(tr("epoch %1/%2 · step %3/%4")
                          .arg(std::min<int64_t>(static_cast<int64_t>(p.epoch) + 1, p.epochs))
                          .arg(p.epochs)
                          .arg(p.step)
                          .arg(p.totalSteps));
  speedLabel_->setText(tr("%1 images/s").arg(p.imagesPerSecond, 0, 'f', 0));
  etaLabel_->setText(tr("ETA %1").arg(duration(p.etaSeconds)));
  progress_->show();
  cancel_->show();
  if (p.phase == "recalibrate" || p.phase == "evaluate") {
    progress_->setValue(p.phaseTotal > 0 ? 1000 * p.phaseDone / p.phaseTotal : 0);
  } else {
    progress_->setValue(static_cast<int>(1000 * (p.epoch - std::floor(p.epoch))));
  }
  progress_->setFormat(p.phase == "paused" ? tr("Paused") : phaseLabel(p));
  if (p.phase == "train") architecturePage_->onSampled(p.sampledArchs, sampled);
}

void MainWindow::onFinished(RunStatus status, qint64 runId, const QString& message) {
  progress_->hide();
  cancel_->hide();
  statusBar()->clearMessage();
  refreshRuns();
  feed_->poll();
  if (status == RunStatus::Failed) {
    log(tr("Run %1 failed: %2").arg(runId).arg(message));
    showError(tr("Training stopped"),
              tr("%1\n\nEverything up to the last checkpoint is kept; fix the problem and use "
                 "Run > Resume to continue.")
                  .arg(message));
  } else {
    log(tr("Run %1 %2").arg(runId).arg(runStatusName(status)));
  }
  if (closeWhenStopped_) close();
}

void MainWindow::refreshRuns() {
  if (!feed_->isOpen()) return;
  const qint64 shown = shownRun();
  std::vector<RunRecord> runs = feed_->runs();
  markInterruptedRuns(runs, projectDir_.toStdString());
  const qint64 newest = runs.empty() ? 0 : runs.back().id;
  compareView_->setRuns(runs);
  runsModel_->setRuns(std::move(runs));
  const bool shownGone = runsModel_->rowOf(shown) < 0;  // deleted
  const qint64 target = followNewestRun_ || shown == 0 || shownGone ? newest : shown;
  const int row = runsModel_->rowOf(target);
  // One selected row follows the shown run; a selection of several (to compare, to delete)
  // is the user's and stays while the runs change.
  if (row >= 0 && selectedRuns().size() < 2) runsTable_->selectRow(row);
  if (target != trainingView_->runId()) showRun(target);
  updateActions();
}

qint64 MainWindow::shownRun() const { return trainingView_->runId(); }

std::vector<RunRecord> MainWindow::selectedRuns() const {
  std::vector<RunRecord> runs;
  if (!runsTable_ || !runsTable_->selectionModel()) return runs;
  for (const QModelIndex& index : runsTable_->selectionModel()->selectedRows()) {
    if (const RunRecord* r = runsModel_->runAt(index.row())) runs.push_back(*r);
  }
  std::sort(runs.begin(), runs.end(), [](const RunRecord& a, const RunRecord& b) { return a.id < b.id; });
  return runs;
}

void MainWindow::selectRuns(const std::vector<qint64>& runIds) {
  runsTable_->clearSelection();
  for (qint64 id : runIds) {
    const int row = runsModel_->rowOf(id);
    if (row >= 0) {
      runsTable_->selectionModel()->select(runsModel_->index(row, 0),
                                           QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
  }
  updateActions();
}

void MainWindow::compareSelectedRuns() {
  std::vector<qint64> ids;
  for (const RunRecord& r : selectedRuns()) ids.push_back(r.id);
  tabs_->setCurrentWidget(compareView_);
  compareView_->compare(ids);
}

void MainWindow::refreshSubnets(bool force) {
  if (!feed_->isOpen()) return;
  const qint64 run = feed_->watchedRun();
  // The run's newest subnet id: an index lookup, where a count scanned a million rows.
  const qint64 lastId = feed_->subnetLastId(run);
  const std::vector<LatencyTableRecord>& tables = feed_->latencyTables();
  const bool tablesChanged = feed_->latencyStamp() != latencyShownStamp_;
  if (tablesChanged) {
    latencyView_->setTables(tables);
    latencyShownStamp_ = feed_->latencyStamp();
  }
  if (!force && !tablesChanged && run == subnetsShownRun_ && lastId == subnetsShownLastId_) return;
  subnetsShownRun_ = run;
  subnetsShownLastId_ = lastId;
  // The newest table matching this project's input; the page checks it fits the space. The
  // rows load on the page's worker: only the rows after the last shown when the run is the same.
  std::optional<LatencyTableRecord> table;
  if (!tables.empty()) table = tables.front();
  subnetsPage_->load(run, table, feed_->latencyStamp());
}

void MainWindow::showRun(qint64 runId) {
  feed_->watchRun(runId);
  refreshSubnets();
  const int row = runsModel_->rowOf(runId);
  if (row >= 0) {
    const RunRecord* run = runsModel_->runAt(row);
    trainingView_->setCaption(tr("Run %1 — %2 — %3")
                                  .arg(runId)
                                  .arg(QString::fromStdString(run->name))
                                  .arg(runStatusName(run->status)));
  }
}

// A project trained by another process (supernet-cli) is watched: its curves grow as its
// rows arrive, and this window offers no training of its own until that process is done.
void MainWindow::checkExternalTrainer() {
  externalTrainer_.reset();
  if (!hasProject() || controller_->busy()) return;
  externalTrainer_ = TrainingLock::holder(projectDir_.toStdString());
  if (externalTrainer_) {
    statusBar()->showMessage(
        tr("Watching: process %1 is training this project").arg(*externalTrainer_));
  }
  updateActions();
}

void MainWindow::updateActions() {
  using State = TrainingController::State;
  const State s = controller_->state();
  const bool idle = s == State::Idle;
  const bool free = hasProject() && idle && !externalTrainer_;
  const RunRecord* shown = runsModel_->runAt(runsModel_->rowOf(shownRun()));
  const bool resumable =
      shown && shown->status != RunStatus::Finished && shown->status != RunStatus::Created;
  startAction_->setEnabled(free);
  pauseAction_->setEnabled(s == State::Running);
  resumeAction_->setEnabled(s == State::Paused || (free && resumable));
  stopAction_->setEnabled(s == State::Running || s == State::Paused);
  closeAction_->setEnabled(hasProject() && idle);
  openAction_->setEnabled(idle);
  newAction_->setEnabled(idle);
  deviceCombo_->setEnabled(idle);
  const size_t selected = selectedRuns().size();
  newRunAction_->setEnabled(hasProject() && selected == 1);
  editRunAction_->setEnabled(hasProject() && selected == 1);
  deleteRunAction_->setEnabled(hasProject() && selected >= 1);
  importRunsAction_->setEnabled(hasProject());
  newRunFromWeightsAction_->setEnabled(hasProject());
  importOfaAction_->setEnabled(hasProject());
  compareRunsAction_->setEnabled(hasProject() && selected >= 2 && selected <= 6);
  if (s == State::Paused) progress_->setFormat(tr("Paused"));
}

void MainWindow::showError(const QString& title, const QString& text) {
  lastError_ = text;
  log(title + ": " + text);
  // Window-modal and non-blocking: the event loop (and a run's progress) keeps going.
  auto* box = new QMessageBox(QMessageBox::Critical, title, text, QMessageBox::Ok, this);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
}

void MainWindow::log(const QString& text) {
  log_->appendPlainText(QDateTime::currentDateTime().toString("hh:mm:ss  ") + text);
}

QString MainWindow::statusSummary() const {
  return QStringList{deviceLabel_->text(), stepLabel_->text(), speedLabel_->text(),
                     etaLabel_->text()}
      .join(" | ");
}

// Closing while training stops the run after its current step (with a checkpoint) and closes
// when the worker has finished; the window never blocks waiting for it.
void MainWindow::closeEvent(QCloseEvent* event) {
  if (controller_->busy()) {
    closeWhenStopped_ = true;
    stopTraining();
    event->ignore();
    return;
  }
  QSettings settings;
  settings.setValue("window/geometry", saveGeometry());
  settings.setValue("window/state", saveState());
  event->accept();
}

}  // namespace sn
