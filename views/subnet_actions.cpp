#include "views/subnet_actions.h"

#include <QDesktopServices>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QUrl>
#include <algorithm>

#include "core/project/project.h"
#include "core/project/subnet_evaluation.h"
#include "core/project/subnet_export.h"
#include "core/project/subnet_search.h"
#include "core/project/ticket_evaluation.h"
#include "views/background_job.h"
#include "views/constraint_panel.h"
#include "views/export_dialog.h"

namespace sn {

SubnetActions::SubnetActions(ConstraintPanel* panel, QWidget* parent)
    : QObject(parent), parent_(parent), panel_(panel) {
  job_ = new BackgroundJob(this);
  progress_ = new QProgressBar;
  progress_->setVisible(false);
  cancel_ = new QPushButton("Cancel");
  cancel_->setVisible(false);
  connect(cancel_, &QPushButton::clicked, job_, &BackgroundJob::cancel);
  connect(job_, &BackgroundJob::progress, this, [this](const QString& phase, int done, int total) {
    progress_->setRange(0, std::max(total, 1));
    progress_->setValue(done);
    progress_->setFormat(job_->title() + " — " + phase + " %v/%m");
  });
  connect(job_, &BackgroundJob::finished, this, &SubnetActions::ended);
}

SubnetActions::~SubnetActions() = default;

void SubnetActions::started() {
  progress_->setVisible(true);
  cancel_->setVisible(true);
  for (QPushButton* b : panel_->actionButtons()) b->setEnabled(false);
}

void SubnetActions::ended(const QString& title, const QString& summary, const QString& error) {
  progress_->setVisible(false);
  cancel_->setVisible(false);
  for (QPushButton* b : panel_->actionButtons()) b->setEnabled(true);
  if (title == "Export") showExportSummary(error);
  Q_EMIT message(error.isEmpty() ? title + ": " + summary : title + " failed: " + error);
  Q_EMIT subnetsStored();
}

void SubnetActions::retrain(const SubnetRecord& s) {
  const std::string dir = dir_.toStdString(), arch = s.arch;
  const int64_t run = s.runId;
  const bool ok = job_->start("Retrain ticket", [dir, arch, run](const JobControl& job) {
    Project project = Project::open(dir);
    TicketRequest request;
    request.runId = run;
    request.arch = arch;
    request.job = job;
    const std::vector<SubnetRecord> rows = evaluateTicket(project, request);
    const SubnetRecord& r = rows.back();
    return QString("accuracy %1% at %2% sparsity after %3 s").arg(100 * r.accuracy.value_or(0), 0, 'f', 2)
        .arg(100 * r.sparsity, 0, 'f', 1).arg(r.workSeconds, 0, 'f', 0);
  });
  if (ok) started();
}

void SubnetActions::evaluate(const SubnetRecord& s, int64_t run) {
  const std::string dir = dir_.toStdString(), arch = s.arch;
  const bool ok = job_->start("Evaluate", [dir, arch, run](const JobControl& job) {
    Project project = Project::open(dir);
    SubnetEvaluationRequest request;
    request.archTexts = {arch};
    request.runId = run;
    request.job = job;
    const SubnetEvaluationResult r = evaluateSubnets(project, request);
    if (r.subnets.empty()) return QString("cancelled");
    const SubnetRecord& e = r.subnets.front();
    return QString("accuracy %1%, latency %2 ms").arg(100 * e.accuracy.value_or(0), 0, 'f', 2)
        .arg(e.latencyMs.value_or(0), 0, 'f', 3);
  });
  if (ok) started();
}

void SubnetActions::search(int64_t run, const CostLimits& limits) {
  const std::string dir = dir_.toStdString();
  const bool ok = job_->start("Search", [dir, run, limits](const JobControl& job) {
    Project project = Project::open(dir);
    SubnetSearchRequest request;
    request.runId = run;
    request.limits = limits;
    request.job = job;
    const SubnetSearchResult r = searchSubnets(project, request);
    QString text = QString("%1 candidates in %2 s").arg(r.evaluations).arg(r.searchSeconds, 0, 'f', 2);
    if (!r.verified.empty()) {
      text += QString("; best verified: %1%").arg(100 * r.verified.front().accuracy.value_or(0), 0, 'f', 2);
    }
    return text;
  });
  if (ok) started();
}

void SubnetActions::askExport(const SubnetRecord& s) {
  if (exportDialog_) exportDialog_->deleteLater();
  const QString folder = QString::fromStdString(defaultExportFolder(dir_.toStdString(), s.runId, s.archHash));
  exportDialog_ = new ExportDialog(QString::fromStdString(s.arch), s.id, s.runId, folder, parent_);
  connect(exportDialog_, &QDialog::accepted, this, [this] { startExport(exportDialog_->request()); });
  exportDialog_->open();
}

void SubnetActions::startExport(const SubnetExportRequest& request) {
  if (dir_.isEmpty()) return;
  const std::string dir = dir_.toStdString();
  auto result = std::make_shared<SubnetExportResult>();
  const bool ok = job_->start("Export", [dir, request, result](const JobControl& job) {
    Project project = Project::open(dir);
    SubnetExportRequest r = request;
    r.job = job;
    *result = exportSubnet(project, r);
    return QString("%1 — verification %2").arg(QString::fromStdString(result->folder),
                                              result->passed ? "passed" : "FAILED");
  });
  if (!ok) return;
  exportResult_ = result;
  started();
}

// The outcome as the user needs it: where the files are, whether each loaded back and gave
// the supernet's logits and accuracy, and a button to open the folder.
void SubnetActions::showExportSummary(const QString& error) {
  if (exportSummary_) exportSummary_->deleteLater();
  exportSummary_ = new QMessageBox(parent_);
  exportSummary_->setWindowTitle("Export");
  const SubnetExportResult* r = exportResult_.get();
  if (!error.isEmpty() || !r || r->folder.empty()) {
    exportSummary_->setIcon(QMessageBox::Warning);
    exportSummary_->setText("Export failed: " + (error.isEmpty() ? QString("cancelled") : error) +
                            "\nNothing was written under the export folder.");
    exportSummary_->open();
    return;
  }
  QString text = QString("<b>Verification %1</b><br>%2<br><br>Reference accuracy %3%")
                     .arg(r->passed ? "passed" : "FAILED", QString::fromStdString(r->folder).toHtmlEscaped())
                     .arg(100 * r->referenceAccuracy, 0, 'f', 2);
  if (r->storedAccuracy) text += QString(" (stored: %1%)").arg(100 * *r->storedAccuracy, 0, 'f', 2);
  text += "<table cellspacing=6>";
  for (const ExportCheck& c : r->checks) {
    text += QString("<tr><td nowrap>%1</td><td nowrap>%2</td><td nowrap>max |Δlogit| %3</td>"
                    "<td nowrap>accuracy %4%</td><td nowrap>%5</td></tr>")
                .arg(QString::fromStdString(c.file), QString::fromStdString(c.runtime))
                .arg(c.maxAbsDiff, 0, 'e', 1)
                .arg(100 * c.accuracy, 0, 'f', 2)
                .arg(c.passed ? "ok" : "<b>FAILED</b>");
  }
  text += "</table>";
  exportSummary_->setIcon(r->passed ? QMessageBox::Information : QMessageBox::Warning);
  exportSummary_->setTextFormat(Qt::RichText);
  exportSummary_->setText(text);
  QPushButton* open = exportSummary_->addButton("Open folder", QMessageBox::ActionRole);
  exportSummary_->addButton(QMessageBox::Close);
  const QString folder = QString::fromStdString(r->folder);
  // ActionRole buttons would close the box; open the folder and keep the summary up.
  disconnect(open, &QAbstractButton::clicked, nullptr, nullptr);
  connect(open, &QPushButton::clicked, this, [folder] { QDesktopServices::openUrl(QUrl::fromLocalFile(folder)); });
  exportSummary_->open();
}

}  // namespace sn
