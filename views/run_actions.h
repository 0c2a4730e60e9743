#pragma once
#include <QDialog>
#include <QMessageBox>
#include <QObject>
#include <QPointer>
#include <QProgressDialog>
#include <QString>

#include <atomic>
#include <memory>
#include <functional>
#include <vector>

#include "db/records.h"
#include "views/background_job.h"
#include "views/run_dialog.h"

class QComboBox;
class QListWidget;
class QWidget;

namespace sn {


// The runs dock's actions: New run from this one…, New run from weights of…, Edit…,
// Delete…, Import runs…, Import Once-for-All checkpoint…. Each asks
// through a window-modal dialog (kept for tests), then writes on a BackgroundJob through its
// own connection: the UI thread only reads the database.
class RunActions : public QObject {
  Q_OBJECT
 public:
  explicit RunActions(QWidget* parent);
  ~RunActions() override;

  void setProjectDir(const QString& dir) { dir_ = dir; }
  void newRunFrom(const RunRecord& source);
  void editRun(const RunRecord& run);
  void deleteRuns(const std::vector<RunRecord>& runs);
  // Asks for a project folder, then which of its runs to import.
  void importRuns();
  void importRunsFrom(const QString& otherDir);
  // "New Run from Weights of…": asks for a project folder, then which of its trained runs
  // starts a new run of this project (transfer; see createTransferRun).
  void newRunFromWeights();
  void newRunFromWeightsOf(const QString& otherDir);
  // "Import Once-for-All Checkpoint…": asks for a .pth file, then imports it as a finished
  // run (importOfaCheckpoint) on the job with a progress dialog that cancels; `runImported`
  // names the new run.
  void importOfa();
  void importOfaFrom(const QString& file);
  QProgressDialog* progressDialog() const { return progressDialog_; }

  RunDialog* runDialog() const { return runDialog_; }
  QMessageBox* confirmation() const { return confirmation_; }
  QDialog* importDialog() const { return importDialog_; }
  QListWidget* importList() const { return importList_; }
  QDialog* weightsDialog() const { return weightsDialog_; }
  QListWidget* weightsList() const { return weightsList_; }
  QComboBox* weightsHead() const { return weightsHead_; }
  BackgroundJob* job() const { return job_; }
  bool busy() const;

 Q_SIGNALS:
  void runsChanged(const QString& summary);
  // A new run was made with "Start training it now".
  void trainRequested(qint64 runId);
  void failed(const QString& title, const QString& message);
  void runImported(qint64 runId);

 private:
  void onDialogAccepted();
  void startImport(const QString& otherDir, const std::vector<int64_t>& ids);
  void showImportDialog(const QString& otherDir, const std::vector<RunRecord>& runs);
  // False (and `failed`) while another run operation is going: one at a time.
  bool startJob(const QString& title, BackgroundJob::Work work);

  QWidget* parent_;
  QString dir_;
  BackgroundJob* job_ = nullptr;
  QPointer<RunDialog> runDialog_;
  QPointer<QMessageBox> confirmation_;
  QPointer<QDialog> importDialog_;
  QListWidget* importList_ = nullptr;
  QPointer<QDialog> weightsDialog_;
  QListWidget* weightsList_ = nullptr;
  QComboBox* weightsHead_ = nullptr;
  QPointer<QProgressDialog> progressDialog_;
  std::atomic<qint64> imported_{0};  // the import job sets it on its thread
  // The runs of the project to import from, listed by a job (opening it may migrate it: not
  // on the UI thread); the dialog opens when that job ends.
  std::shared_ptr<std::vector<RunRecord>> importable_;
  QString importableDir_;
  qint64 trainAfter_ = 0;  // the job creating a run to train sets it
  bool wantsTraining_ = false;
};

}  // namespace sn
