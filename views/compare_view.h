#pragma once
#include <QColor>
#include <QString>
#include <QTimer>
#include <QWidget>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/compare/run_comparison.h"
#include "views/value_span.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QTableWidget;

namespace sn {

class ConstraintPanel;
class LatestOnlyRunner;
class MetricChart;
class ParetoChart;
class Store;

// Compare 2-6 runs of a project: their training curves overlaid (by step, epoch or wall
// time), their Pareto fronts on one scatter (a colour per run), each front's hypervolume
// against a reference point the user can set and its history over epochs, the recipe keys
// that differ, and each run's best subnet under its own constraint sliders. Everything is
// read from the project database through the UI's read connection, so runs that are still
// training compare as they are and the view follows them. The comparison itself (every
// measured subnet of each run, fronts, hypervolumes, the sampled scatter) is made on a worker
// with its own connection and swapped in whole; a newer request supersedes an older one.
// Charts save as PNG or SVG, tables as CSV.
class CompareView : public QWidget {
  Q_OBJECT
 public:
  explicit CompareView(QWidget* parent = nullptr);

  // The UI's read connection, or null when no project is open (the view empties).
  void setStore(Store* store);
  // The project's runs for the picker; what is checked stays checked.
  void setRuns(const std::vector<RunRecord>& runs);
  // Checks exactly these runs and compares them.
  void compare(const std::vector<qint64>& runIds);
  std::vector<qint64> checkedRuns() const;
  // Re-reads the database on the worker and redraws when it is done; scheduleRefresh
  // coalesces (the database changed).
  void refresh();
  // A comparison is being prepared.
  bool loading() const;
  void scheduleRefresh();
  // What the timer runs: a full refresh when a compared run has new subnets, else only the
  // curves grow (a zoom stays).
  void refreshLive();

  enum class XAxis { Step, Epoch, WallTime };
  void setXAxis(XAxis axis);
  void setMetric(const QString& key);
  void setCostAxis(const QString& by);  // macs | latency
  // A fixed reference point (cost in M MACs or ms, accuracy in %), or back to the default.
  void setReference(double cost, double accuracy);
  void setAutoReference();

  // Save a chart ("curves", "fronts", "history") as PNG/SVG by suffix, or a table
  // ("hypervolume", "best", "diff") as CSV. False with message() set when it fails.
  bool saveChart(const QString& which, const QString& path);
  bool saveTable(const QString& which, const QString& path);

  const RunComparison* comparison() const { return comparison_.get(); }  // null: none
  MetricChart* curvesChart() const { return curves_; }
  ParetoChart* frontsChart() const { return fronts_; }
  MetricChart* historyChart() const { return history_; }
  QTableWidget* hypervolumeTable() const { return hvTable_; }
  QTableWidget* bestTable() const { return bestTable_; }
  QTableWidget* diffTable() const { return diffTable_; }
  ConstraintPanel* constraints() const { return constraints_; }
  // The status line: what to do next, the units, or the last error (a failed save).
  QString message() const;
  static QColor runColour(int index);

 Q_SIGNALS:
  // A comparison of other runs than shown: each run's front is drawn, the hypervolumes,
  // curves and tables follow (the first view of a large comparison).
  void frontsShown();

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  QWidget* buildControls();
  QWidget* withButtons(QWidget* content, const QString& which, bool chart);
  struct Prepared;
  void apply(const std::vector<qint64>& ids, const std::shared_ptr<const Prepared>& prepared);
  void drawCurves();
  void drawFronts(const Prepared* prepared);
  static void fillScatter(Prepared& p, const RunComparison& c, const std::vector<RunPoints>& drawn);
  void showFronts(const std::shared_ptr<const Prepared>& early, size_t runs);
  void drawHistory();
  void fillTables();
  void updateConstraintRanges(const Prepared* prepared);
  void onLimitsChanged();
  QString summaryText() const;
  std::vector<int64_t> subnetStamps() const;
  QWidget* chartNamed(const QString& which) const;
  std::optional<CsvTable> tableNamed(const QString& which) const;
  void askSaveChart(const QString& which);
  void askSaveTable(const QString& which);

  Store* store_ = nullptr;
  std::string databasePath_;  // the worker opens its own connection to it
  LatestOnlyRunner* compareJob_ = nullptr;
  std::shared_ptr<RunComparison> comparison_;
  std::vector<qint64> shownRuns_;
  std::vector<int64_t> subnetStamps_;  // newest subnet id of each of shownRuns_ when read
  QString runsShown_;  // the runs the picker lists, as text
  QString curvesShown_;  // key|axis|run ids the curve series were made for
  QListWidget* runList_ = nullptr;
  QComboBox* metric_ = nullptr;
  QComboBox* xAxis_ = nullptr;
  QComboBox* by_ = nullptr;
  QCheckBox* autoReference_ = nullptr;
  QDoubleSpinBox* refCost_ = nullptr;
  QDoubleSpinBox* refAccuracy_ = nullptr;
  ConstraintPanel* constraints_ = nullptr;
  MetricChart* curves_ = nullptr;
  ParetoChart* fronts_ = nullptr;
  MetricChart* history_ = nullptr;
  QTableWidget* hvTable_ = nullptr;
  QTableWidget* bestTable_ = nullptr;
  QTableWidget* diffTable_ = nullptr;
  QLabel* status_ = nullptr;
  QTimer refreshTimer_;
  bool dirty_ = false;
  int applyGeneration_ = 0;     // a newer comparison drops the rest of an older one's drawing
  bool applyPending_ = false;   // curves, history or tables of the newest still to draw
  bool updating_ = false;  // filling widgets: their change signals are not the user's
};

}  // namespace sn
