#pragma once
#include <QWidget>

#include <memory>
#include <optional>
#include <string>

#include "core/search/accuracy_predictor.h"
#include "core/space/arch.h"
#include "core/space/search_space.h"
#include "db/records.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QMessageBox;
class QTableView;
class QThread;

namespace sn {

class ArchitectureView;
class BackgroundJob;
class ConstraintPanel;
class ExportDialog;
class LatestOnlyRunner;
class ParetoChart;
class SubnetActions;
class SubnetTableModel;
struct SubnetExportRequest;
struct SubnetPreview;
struct SubnetSnapshot;
struct SubnetTableOrder;

// Explore a run's subnets: the Pareto scatter (accuracy against MACs or latency, coloured by
// source or epoch), the constraint sliders with the best subnet under them highlighted on
// the scatter and drawn in the architecture view, and the sortable, filterable table, all
// three sharing one selection. Everything that grows with the subnet count is prepared on
// workers and swapped in whole: the rows (a SubnetSnapshot), the scatter (ScatterData and its
// density image) and the table's order. The actions (evaluate, search, export, retrain) are
// SubnetActions' jobs.
class SubnetsPage : public QWidget {
  Q_OBJECT
 public:
  explicit SubnetsPage(QWidget* parent = nullptr);
  ~SubnetsPage() override;

  void setProject(const QString& dir, const SearchSpace& space, const NetShape& shape);
  void clear();
  // Loads the run's subnets on a worker and shows them when ready; the newest latency table
  // gives the latency of subnets not measured. Reloading the same run with the same tables
  // reads only the rows after the last one shown.
  void load(qint64 runId, std::optional<LatencyTableRecord> latencyTable, const std::string& latencyStamp);
  // Something is still being prepared: the rows, the scatter, its density image, the table.
  bool loading() const;
  qint64 runId() const { return runId_; }
  const SubnetSnapshot* snapshot() const { return snapshot_.get(); }

  // The subnet the sliders picked (0: none) and the one the user selected.
  qint64 highlighted() const { return highlighted_; }
  qint64 selected() const { return selected_; }
  void select(qint64 id);
  std::optional<SubnetRecord> subnet(qint64 id) const;

  ParetoChart* chart() const { return chart_; }
  ConstraintPanel* constraints() const { return panel_; }
  QTableView* table() const { return table_; }
  QComboBox* xAxisChoice() const { return xAxis_; }
  QComboBox* colourChoice() const { return colour_; }
  QLineEdit* filter() const { return filter_; }
  ArchitectureView* archView() const { return archView_; }
  SubnetActions* actions() const { return actions_; }
  BackgroundJob* job() const;
  QLabel* summary() const { return summary_; }
  QLabel* predictorSummary() const { return predictorLabel_; }
  // The newest predictor report; fitted on a worker thread after every reload (several
  // models, cross-validated: seconds), predictorFitted() says when it changes.
  const std::optional<PredictorReport>& predictorReport() const { return predictorReport_; }
  bool predictorFitting() const { return predictorThread_ != nullptr; }
  ExportDialog* exportDialog() const;
  QMessageBox* exportSummary() const;
  void startExport(const SubnetExportRequest& request);

 Q_SIGNALS:
  void archChosen(const QString& archText);
  // A job stored new subnets: the owner re-reads them.
  void subnetsStored();
  void message(const QString& text);
  void predictorFitted();
  // A large run's first view is shown (counts, sliders, axes and the measured front), read
  // from its numeric columns before its rows; subnetsShown follows.
  void previewShown();
  // A load's rows are shown (counts, sliders, best subnet); the scatter and table follow.
  void subnetsShown();

 private:
  QWidget* buildLeft();
  QWidget* buildRight();
  void applyPreview(std::shared_ptr<const SubnetPreview> preview);
  void applySnapshot(std::shared_ptr<const SubnetSnapshot> snapshot);
  void requestScatter();
  void requestTableOrder();
  void applyTableOrder(std::shared_ptr<const SubnetTableOrder> order);
  void updateBest();
  void showDetails(size_t index, const QString& heading);
  void fitPredictor();
  void predictorThreadDone();
  QString summaryText() const;
  QString describe(size_t index) const;
  // The selected subnet, else the one the sliders picked; nullopt (and says so) when none.
  std::optional<SubnetRecord> pickedSubnet();

  QString dir_;
  SearchSpace space_;
  NetShape shape_;
  qint64 runId_ = 0;
  std::shared_ptr<const SubnetSnapshot> snapshot_;
  std::shared_ptr<const SubnetPreview> preview_;  // while a large run's rows load
  LatestOnlyRunner* loader_ = nullptr;
  LatestOnlyRunner* scatterJob_ = nullptr;
  LatestOnlyRunner* orderJob_ = nullptr;
  std::optional<PredictorReport> predictorReport_;
  QThread* predictorThread_ = nullptr;
  // What the fitting thread leaves for the UI thread, read once the thread has finished.
  struct PredictorFit {
    std::optional<PredictorReport> report;
    QString error;
  };
  std::shared_ptr<PredictorFit> predictorFit_;
  bool predictorStale_ = false;  // subnets changed while a fit ran: fit again after it
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
  QLabel* summary_ = nullptr;
  QLabel* predictorLabel_ = nullptr;
  SubnetActions* actions_ = nullptr;
};

}  // namespace sn
