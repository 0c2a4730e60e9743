#pragma once
#include <QObject>
#include <QString>

#include <memory>

#include "core/search/subnet_skyline.h"
#include "db/records.h"

class QMessageBox;
class QProgressBar;
class QPushButton;
class QWidget;

namespace sn {

class BackgroundJob;
class ConstraintPanel;
class ExportDialog;
struct SubnetExportRequest;
struct SubnetExportResult;

// The Subnets tab's actions on one subnet or run: Evaluate, Search under the limits,
// Export… and Retrain ticket. Each runs on a BackgroundJob through its own connection, with
// its progress in the bar the tab shows and a Cancel button; the panel's action buttons are
// off while one runs. As RunActions does for the runs dock.
class SubnetActions : public QObject {
  Q_OBJECT
 public:
  SubnetActions(ConstraintPanel* panel, QWidget* parent);
  ~SubnetActions() override;

  void setProjectDir(const QString& dir) { dir_ = dir; }
  void evaluate(const SubnetRecord& subnet, int64_t runId);
  void search(int64_t runId, const CostLimits& limits);
  void retrain(const SubnetRecord& subnet);
  // Opens the export dialog for the subnet; its OK starts the export job.
  void askExport(const SubnetRecord& subnet);
  void startExport(const SubnetExportRequest& request);

  BackgroundJob* job() const { return job_; }
  QProgressBar* progressBar() const { return progress_; }
  QPushButton* cancelButton() const { return cancel_; }
  ExportDialog* exportDialog() const { return exportDialog_; }
  QMessageBox* exportSummary() const { return exportSummary_; }

 Q_SIGNALS:
  void message(const QString& text);
  // A job stored new subnets: the owner re-reads them.
  void subnetsStored();

 private:
  void started();
  void ended(const QString& title, const QString& summary, const QString& error);
  void showExportSummary(const QString& error);

  QWidget* parent_ = nullptr;
  ConstraintPanel* panel_ = nullptr;
  QString dir_;
  BackgroundJob* job_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QPushButton* cancel_ = nullptr;
  ExportDialog* exportDialog_ = nullptr;
  QMessageBox* exportSummary_ = nullptr;
  std::shared_ptr<SubnetExportResult> exportResult_;  // filled by the export job
};

}  // namespace sn
