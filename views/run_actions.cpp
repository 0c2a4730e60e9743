#include "views/run_actions.h"

#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QVBoxLayout>
#include <memory>

#include "core/project/project.h"
#include "core/project/run_manager.h"
#include "core/project/ofa_import.h"
#include "core/project/run_transfer.h"
#include "db/store.h"
#include "views/background_job.h"
#include "views/run_dialog.h"

namespace sn {
namespace {

// "3 · dense (finished, fmnist-tiny)", with the run id as the item's data.
QListWidgetItem* runItem(const RunRecord& r) {
  auto* item =
      new QListWidgetItem(QString("%1 · %2 (%3, %4)")
                              .arg(r.id)
                              .arg(QString::fromStdString(r.name), QString(runStatusName(r.status)),
                                   QString::fromStdString(r.space)));
  item->setData(Qt::UserRole, QVariant::fromValue<qlonglong>(r.id));
  return item;
}

void addOkCancel(QDialog* dialog, QVBoxLayout* layout) {
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  QObject::connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
  QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
  layout->addWidget(buttons);
}

}  // namespace

RunActions::RunActions(QWidget* parent) : QObject(parent), parent_(parent) {
  job_ = new BackgroundJob(this);
  connect(job_, &BackgroundJob::finished, this,
          [this](const QString& title, const QString& summary, const QString& error) {
            if (!error.isEmpty()) {
              importable_.reset();
              Q_EMIT failed(title, error);
              return;
            }
            if (importable_) {  // the runs to import are listed: the user picks them now
              const auto runs = std::move(importable_);
              showImportDialog(importableDir_, *runs);
              return;
            }
            Q_EMIT runsChanged(summary);
            if (wantsTraining_ && trainAfter_ > 0) Q_EMIT trainRequested(trainAfter_);
            wantsTraining_ = false;
            if (const qint64 id = imported_.exchange(0)) Q_EMIT runImported(id);
          });
}

RunActions::~RunActions() = default;

bool RunActions::busy() const { return job_->running(); }

bool RunActions::startJob(const QString& title, BackgroundJob::Work work) {
  const bool started = job_->start(title, std::move(work));
  if (!started) Q_EMIT failed(title, tr("Another run operation (%1) is still going.").arg(job_->title()));
  return started;
}

void RunActions::newRunFrom(const RunRecord& source) {
  if (runDialog_) runDialog_->deleteLater();
  runDialog_ = new RunDialog(RunDialog::Mode::NewFrom, source, parent_);
  connect(runDialog_, &QDialog::accepted, this, &RunActions::onDialogAccepted);
  runDialog_->open();
}

void RunActions::editRun(const RunRecord& run) {
  if (runDialog_) runDialog_->deleteLater();
  runDialog_ = new RunDialog(RunDialog::Mode::Edit, run, parent_);
  connect(runDialog_, &QDialog::accepted, this, &RunActions::onDialogAccepted);
  runDialog_->open();
}

void RunActions::onDialogAccepted() {
  const std::string dir = dir_.toStdString();
  const qint64 runId = runDialog_->runId();
  const NewRunRequest request = runDialog_->request();
  if (runDialog_->mode() == RunDialog::Mode::Edit) {
    startJob(tr("Edit run"), [dir, runId, request](const JobControl&) {
      Project project = Project::open(dir);
      RunManager runs(project);
      runs.rename(runId, request.name);
      runs.setTags(runId, request.tags);
      return QString("Run %1 updated").arg(runId);
    });
    return;
  }
  wantsTraining_ = runDialog_->startTraining();
  trainAfter_ = 0;
  qint64* created = &trainAfter_;  // written by the job before `finished` is queued
  startJob(tr("New run"), [dir, runId, request, created](const JobControl&) {
    Project project = Project::open(dir);
    *created = RunManager(project).createFrom(runId, request);
    return QString("Run %1 created from run %2").arg(*created).arg(runId);
  });
}

void RunActions::deleteRuns(const std::vector<RunRecord>& runs) {
  if (runs.empty()) return;
  QStringList names;
  std::vector<int64_t> ids;
  for (const RunRecord& r : runs) {
    names << QString("%1 (%2)").arg(r.id).arg(QString::fromStdString(r.name));
    ids.push_back(r.id);
  }
  if (confirmation_) confirmation_->deleteLater();
  confirmation_ = new QMessageBox(
      QMessageBox::Warning, tr("Delete runs"),
      tr("Delete run %1?\n\nIts metrics, evaluated subnets and checkpoint files are removed "
         "for good. Exported models stay.")
          .arg(names.join(", ")),
      QMessageBox::Yes | QMessageBox::Cancel, parent_);
  confirmation_->setDefaultButton(QMessageBox::Cancel);
  connect(confirmation_, &QMessageBox::finished, this, [this, ids](int result) {
    if (result != QMessageBox::Yes) return;
    const std::string dir = dir_.toStdString();
    startJob(tr("Delete runs"), [dir, ids](const JobControl&) {
      Project project = Project::open(dir);
      RunManager manager(project);
      size_t files = 0;
      for (int64_t id : ids) files += manager.remove(id).size();
      return QString("Deleted %1 runs and %2 checkpoint files").arg(ids.size()).arg(files);
    });
  });
  confirmation_->open();
}

void RunActions::importOfa() {
  const QString file = QFileDialog::getOpenFileName(
      parent_, tr("Import Once-for-All checkpoint"), QDir::homePath(),
      tr("PyTorch checkpoints (*.pth *.pt *.pth.tar *.tar);;All files (*)"));
  if (!file.isEmpty()) importOfaFrom(file);
}

void RunActions::importOfaFrom(const QString& file) {
  const std::string dir = dir_.toStdString();
  const std::string path = file.toStdString();
  imported_ = 0;
  const bool started = startJob(tr("Import Once-for-All checkpoint"), [this, dir, path](
                                    const JobControl& job) {
    Project project = Project::open(dir);
    // The import names its stages; the dialog says them in words, as one of three steps.
    int stage = 0;
    const JobControl steps(job.cancelFlag(), [&](const JobProgress& p) {
      const QString label = p.stage == "reading"    ? tr("Reading the checkpoint…")
                            : p.stage == "checking" ? tr("Checking it against this project's data…")
                                                    : tr("Writing the run and its checkpoint…");
      job.report(label.toStdString(), stage++, 3);
    });
    const OfaImportResult r = importOfaCheckpoint(project, path, "", 0, steps);
    imported_ = r.runId;
    return tr("Imported %1 as run %2 (%3, %4 kernels, %5 classes)")
        .arg(QString::fromStdString(path)).arg(r.runId).arg(QString::fromStdString(r.space))
        .arg(QString::fromStdString(r.kernelTransform)).arg(r.classes);
  });
  if (!started) return;
  if (progressDialog_) progressDialog_->deleteLater();
  progressDialog_ = new QProgressDialog(tr("Reading %1…").arg(file), tr("Cancel"), 0, 3, parent_);
  progressDialog_->setWindowTitle(tr("Import Once-for-All checkpoint"));
  progressDialog_->setWindowModality(Qt::WindowModal);
  progressDialog_->setMinimumDuration(0);
  progressDialog_->setValue(0);
  connect(progressDialog_, &QProgressDialog::canceled, job_, &BackgroundJob::cancel);
  connect(job_, &BackgroundJob::progress, progressDialog_, [dialog = progressDialog_](const QString& phase, int done, int) {
    dialog->setLabelText(phase);
    dialog->setValue(done);
  });
  connect(job_, &BackgroundJob::finished, progressDialog_, &QProgressDialog::deleteLater);
}

void RunActions::importRuns() {
  const QString dir = QFileDialog::getExistingDirectory(parent_, tr("Import runs from project"),
                                                        QDir::homePath());
  if (!dir.isEmpty()) importRunsFrom(dir);
}

void RunActions::importRunsFrom(const QString& otherDir) {
  // Opened as any open does (an older schema is brought up to date, nothing else), on the
  // job's thread: a large or old project must not hold the window.
  auto runs = std::make_shared<std::vector<RunRecord>>();
  const std::string other = otherDir.toStdString();
  const bool started = startJob(tr("Import runs"), [runs, other, otherDir](const JobControl&) {
    try {
      *runs = Project::open(other).store().runs().all();
    } catch (const std::exception& e) {
      throw std::runtime_error(
          tr("%1 is not a Supernet Studio project: %2").arg(otherDir, e.what()).toStdString());
    }
    return tr("Read the runs of %1").arg(otherDir);
  });
  if (!started) return;
  importable_ = runs;
  importableDir_ = otherDir;
}

void RunActions::showImportDialog(const QString& otherDir, const std::vector<RunRecord>& runs) {
  if (importDialog_) importDialog_->deleteLater();
  importDialog_ = new QDialog(parent_);
  importDialog_->setWindowTitle(tr("Import runs"));
  auto* layout = new QVBoxLayout(importDialog_);
  layout->addWidget(new QLabel(tr("Runs of %1 to copy into this project:").arg(otherDir)));
  importList_ = new QListWidget;
  for (const RunRecord& r : runs) {
    QListWidgetItem* item = runItem(r);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(Qt::Checked);
    importList_->addItem(item);
  }
  layout->addWidget(importList_);
  addOkCancel(importDialog_, layout);
  connect(importDialog_, &QDialog::accepted, this, [this, otherDir] {
    std::vector<int64_t> ids;
    for (int i = 0; i < importList_->count(); ++i) {
      if (importList_->item(i)->checkState() == Qt::Checked) {
        ids.push_back(importList_->item(i)->data(Qt::UserRole).toLongLong());
      }
    }
    if (!ids.empty()) startImport(otherDir, ids);
  });
  importDialog_->open();
}

void RunActions::newRunFromWeights() {
  const QString dir = QFileDialog::getExistingDirectory(
      parent_, tr("New run from the weights of a run of project"), QDir::homePath());
  if (!dir.isEmpty()) newRunFromWeightsOf(dir);
}

void RunActions::newRunFromWeightsOf(const QString& otherDir) {
  std::vector<RunRecord> trained;
  try {  // read-only: listing another project must not migrate or lock it
    Project other = Project::openReadOnly(otherDir.toStdString());
    for (const RunRecord& r : other.store().runs().all()) {
      if (other.store().checkpoints().latest(r.id)) trained.push_back(r);
    }
  } catch (const std::exception& e) {
    Q_EMIT failed(tr("New run from weights"),
                  tr("%1 is not a Supernet Studio project: %2").arg(otherDir, e.what()));
    return;
  }
  if (trained.empty()) {
    Q_EMIT failed(tr("New run from weights"), tr("%1 has no run with a checkpoint yet.").arg(otherDir));
    return;
  }
  if (weightsDialog_) weightsDialog_->deleteLater();
  weightsDialog_ = new QDialog(parent_);
  weightsDialog_->setWindowTitle(tr("New run from weights"));
  auto* layout = new QVBoxLayout(weightsDialog_);
  auto* about = new QLabel(tr("Start a run of this project from the newest checkpoint of a run "
                              "of %1. The new run takes that run's space; the stem is adapted "
                              "between grey and RGB, and BN statistics are recalibrated on this "
                              "project's data before every evaluation.")
                               .arg(otherDir));
  about->setWordWrap(true);
  layout->addWidget(about);
  weightsList_ = new QListWidget;
  for (const RunRecord& r : trained) {
    weightsList_->addItem(runItem(r));
  }
  weightsList_->setCurrentRow(0);
  layout->addWidget(weightsList_);
  weightsHead_ = new QComboBox;
  weightsHead_->addItem(tr("New classifier (other classes)"), "reset");
  weightsHead_->addItem(tr("Keep the classifier (same classes)"), "keep");
  layout->addWidget(weightsHead_);
  addOkCancel(weightsDialog_, layout);
  connect(weightsDialog_, &QDialog::accepted, this, [this, otherDir] {
    if (!weightsList_->currentItem()) return;
    const int64_t sourceRun = weightsList_->currentItem()->data(Qt::UserRole).toLongLong();
    const std::string head = weightsHead_->currentData().toString().toStdString();
    const std::string dir = dir_.toStdString(), other = otherDir.toStdString();
    startJob(tr("New run from weights"), [dir, other, sourceRun, head](
                                             const JobControl&) {
      Project project = Project::open(dir);
      NewRunRequest request;
      request.config = project.config().toJson();
      applyFineTuneDefaults(request.config);
      const int64_t id = createTransferRun(project, request, resolveInitFrom(other, sourceRun, head));
      return QString("Run %1 created from the weights of run %2 of %3")
          .arg(id).arg(sourceRun).arg(QString::fromStdString(other));
    });
  });
  weightsDialog_->open();
}

void RunActions::startImport(const QString& otherDir, const std::vector<int64_t>& ids) {
  const std::string dir = dir_.toStdString();
  const std::string other = otherDir.toStdString();
  startJob(tr("Import runs"), [dir, other, ids](const JobControl& job) {
    Project project = Project::open(dir);
    const std::vector<int64_t> imported = RunManager(project).importFrom(other, ids, job);
    return QString("Imported %1 runs").arg(imported.size());
  });
}

}  // namespace sn
