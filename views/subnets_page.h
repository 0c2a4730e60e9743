#pragma once
#include <QWidget>

#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "core/latency/latency_model.h"
#include "core/search/accuracy_predictor.h"
#include "core/search/subnet_skyline.h"
#include "core/space/arch.h"
#include "core/space/search_space.h"
#include "db/records.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QMessageBox;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QThread;

namespace sn {

class ArchitectureView;
class BackgroundJob;
class ConstraintPanel;
class ExportDialog;
struct SubnetExportRequest;
struct SubnetExportResult;
class ParetoChart;
class SubnetTableModel;

// Explore a run's subnets: the Pareto scatter (accuracy against MACs or latency, coloured by
// source or epoch), the constraint sliders with the best subnet under them highlighted on
// the scatter and drawn in the architecture view, and the sortable, filterable table, all
// three sharing one selection. Evaluate and search run here as background jobs.
class SubnetsPage : public QWidget {
  Q_OBJECT
 public:
  explicit SubnetsPage(QWidget* parent = nullptr);
  ~SubnetsPage() override;

  void setProject(const QString& dir, const SearchSpace& space, const NetShape& shape);
  void clear();
  // The run's subnets and the device's newest latency table (for subnets not measured).
  void setSubnets(qint64 runId, std::vector<SubnetRecord> subnets,
                  std::optional<LatencyTableRecord> latencyTable);
  qint64 runId() const { return runId_; }

  // The subnet the sliders picked (0: none) and the one the user selected.
  qint64 highlighted() const { return highlighted_; }
  qint64 selected() const { return selected_; }
  void select(qint64 id);
  const SubnetRecord* subnet(qint64 id) const;
  // Latency used for limits and the latency axis: measured, else the table's prediction.
  std::optional<double> latencyOf(size_t index) const { return latency_[index]; }

  ParetoChart* chart() const { return chart_; }
  ConstraintPanel* constraints() const { return panel_; }
  QTableView* table() const { return table_; }
  QComboBox* xAxisChoice() const { return xAxis_; }
  QComboBox* colourChoice() const { return colour_; }
  QLineEdit* filter() const { return filter_; }
  ArchitectureView* archView() const { return archView_; }
  BackgroundJob* job() const { return job_; }
  QLabel* summary() const { return summary_; }
  QLabel* predictorSummary() const { return predictorLabel_; }
  // The newest predictor report; fitted on a worker thread after every reload (several
  // models, cross-validated: seconds), predictorFitted() says when it changes.
  const std::optional<PredictorReport>& predictorReport() const { return predictorReport_; }
  bool predictorFitting() const { return predictorThread_ != nullptr; }
  // Export…: the open dialog, and the summary shown when the export job ends.
  ExportDialog* exportDialog() const { return exportDialog_; }
  QMessageBox* exportSummary() const { return exportSummary_; }
  void startExport(const SubnetExportRequest& request);

 Q_SIGNALS:
  void archChosen(const QString& archText);
  // A job stored new subnets: the owner re-reads them.
  void subnetsStored();
  void message(const QString& text);
  void predictorFitted();

 private:
  void rebuildChart();
  void updateBest();
  void showDetails(const SubnetRecord* s, const QString& heading);
  void fitPredictor();
  void predictorThreadDone();
  QString summaryText(size_t frontSize) const;
  void evaluateSelected();
  void searchUnderLimits();
  void exportSelected();
  void retrainSelected();
  // The selected subnet, else the one the sliders picked; null (and says so) when none.
  const SubnetRecord* pickedSubnet();
  void showExportSummary(const QString& error);
  QString describe(size_t index) const;
  void jobStarted();

  QString dir_;
  SearchSpace space_;
  NetShape shape_;
  qint64 runId_ = 0;
  std::vector<SubnetRecord> subnets_;
  std::unordered_map<qint64, size_t> indexOf_;  // id -> position: slider moves look up by id
  std::vector<std::optional<double>> latency_;
  std::vector<bool> latencyPredicted_;
  SubnetSkyline skyline_;
  std::optional<PredictorReport> predictorReport_;
  QThread* predictorThread_ = nullptr;
  // What the fitting thread leaves for the UI thread, read once the thread has finished.
  struct PredictorFit {
    std::optional<PredictorReport> report;
    QString error;
  };
  std::shared_ptr<PredictorFit> predictorFit_;
  bool predictorStale_ = false;  // subnets changed while a fit ran: fit again after it
  size_t frontSize_ = 0;
  qint64 highlighted_ = 0;
  qint64 selected_ = 0;

  ParetoChart* chart_ = nullptr;
  ConstraintPanel* panel_ = nullptr;
  ArchitectureView* archView_ = nullptr;
  QComboBox* xAxis_ = nullptr;
  QComboBox* colour_ = nullptr;
  QLineEdit* filter_ = nullptr;
  QTableView* table_ = nullptr;
  SubnetTableModel* model_ = nullptr;
  QSortFilterProxyModel* proxy_ = nullptr;
  QLabel* summary_ = nullptr;
  QLabel* predictorLabel_ = nullptr;
  QProgressBar* jobProgress_ = nullptr;
  QPushButton* cancelJob_ = nullptr;
  BackgroundJob* job_ = nullptr;
  ExportDialog* exportDialog_ = nullptr;
  QMessageBox* exportSummary_ = nullptr;
  std::shared_ptr<SubnetExportResult> exportResult_;  // filled by the export job
};

}  // namespace sn
