#include "views/compare_view.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <set>

#include "db/store.h"
#include "views/constraint_panel.h"
#include "views/latest_only_runner.h"
#include "views/release_in_background.h"
#include "views/metric_chart.h"
#include "views/pareto_chart.h"
#include "views/screenshot.h"
#include "views/table_export.h"

namespace sn {

// A comparison as the worker leaves it for the UI thread: the runs' fronts and tables, the
// sliders' ranges and the sampled scatter, made where a million rows cost nothing to the UI.
struct CompareView::Prepared {
  std::shared_ptr<RunComparison> comparison;
  std::string error;
  ValueSpan macsM, paramsM, latencyMs;
  std::shared_ptr<const ScatterData> scatter;
  std::vector<std::vector<size_t>> fronts;  // per run, into scatter's points
  bool sampled = false;         // some run has more measured subnets than the scatter draws
  std::vector<int64_t> stamps;  // newest subnet id per run when read
};

namespace {

constexpr int kMaxRuns = 6;
constexpr int kRefreshMs = 1500;  // a training run writes rows every few seconds

QString runName(const RunRecord& r) {
  return QString("%1 · %2").arg(r.id).arg(QString::fromStdString(r.name));
}

// Each run's row (one per run, in order) starts in the run's colour, as on the charts.
void colourRunColumn(QTableWidget* table) {
  for (int r = 0; r < table->rowCount(); ++r) {
    if (QTableWidgetItem* item = table->item(r, 0)) item->setForeground(CompareView::runColour(r));
  }
}


}  // namespace

QColor CompareView::runColour(int index) {
  static const QColor colours[kMaxRuns] = {QColor(31, 119, 180), QColor(214, 39, 40),
                                           QColor(44, 160, 44),  QColor(255, 127, 14),
                                           QColor(148, 103, 189), QColor(140, 86, 75)};
  return colours[index % kMaxRuns];
}

CompareView::CompareView(QWidget* parent) : QWidget(parent) {
  curves_ = new MetricChart(tr("Training curves"), tr("value"));
  fronts_ = new ParetoChart;
  fronts_->chart()->setTitle(tr("Pareto fronts"));
  history_ = new MetricChart(tr("Hypervolume by epoch"), tr("hypervolume"));
  history_->setXTitle(tr("epoch"));
  hvTable_ = new QTableWidget;
  bestTable_ = new QTableWidget;
  diffTable_ = new QTableWidget;
  for (QTableWidget* t : {hvTable_, bestTable_, diffTable_}) {
    t->verticalHeader()->hide();
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
  }
  auto* tables = new QTabWidget;
  tables->addTab(withButtons(hvTable_, "hypervolume", false), tr("Hypervolume"));
  tables->addTab(withButtons(bestTable_, "best", false), tr("Best under limits"));
  tables->addTab(withButtons(diffTable_, "diff", false), tr("Recipe diff"));

  auto* top = new QSplitter(Qt::Horizontal);
  top->addWidget(withButtons(curves_, "curves", true));
  top->addWidget(withButtons(fronts_, "fronts", true));
  auto* bottom = new QSplitter(Qt::Horizontal);
  bottom->addWidget(withButtons(history_, "history", true));
  bottom->addWidget(tables);
  auto* charts = new QSplitter(Qt::Vertical);
  charts->addWidget(top);
  charts->addWidget(bottom);

  auto* layout = new QHBoxLayout(this);
  layout->addWidget(buildControls());
  layout->addWidget(charts, 1);

  compareJob_ = new LatestOnlyRunner(this);
  refreshTimer_.setSingleShot(true);
  refreshTimer_.setInterval(kRefreshMs);
  connect(&refreshTimer_, &QTimer::timeout, this, &CompareView::refreshLive);
}

QWidget* CompareView::buildControls() {
  auto* panel = new QWidget;
  panel->setMaximumWidth(300);
  auto* v = new QVBoxLayout(panel);
  v->setContentsMargins(0, 0, 0, 0);
  v->addWidget(new QLabel(tr("Runs to compare (2–6):")));
  runList_ = new QListWidget;
  runList_->setMaximumHeight(150);
  v->addWidget(runList_);
  connect(runList_, &QListWidget::itemChanged, this, [this] {
    if (!updating_) refresh();
  });

  auto* form = new QFormLayout;
  metric_ = new QComboBox;
  metric_->setEditable(false);
  xAxis_ = new QComboBox;
  xAxis_->addItems({tr("step"), tr("epoch"), tr("wall time")});
  by_ = new QComboBox;
  by_->addItem(tr("MACs"), "macs");
  by_->addItem(tr("latency"), "latency");
  form->addRow(tr("Curve:"), metric_);
  form->addRow(tr("Align by:"), xAxis_);
  form->addRow(tr("Front cost:"), by_);
  autoReference_ = new QCheckBox(tr("default reference point"));
  autoReference_->setChecked(true);
  refCost_ = new QDoubleSpinBox;
  refCost_->setRange(0, 1e9);
  refCost_->setDecimals(4);
  refAccuracy_ = new QDoubleSpinBox;
  refAccuracy_->setRange(0, 100);
  refAccuracy_->setDecimals(2);
  refAccuracy_->setSuffix(" %");
  form->addRow(autoReference_);
  form->addRow(tr("Reference cost:"), refCost_);
  form->addRow(tr("Reference accuracy:"), refAccuracy_);
  v->addLayout(form);
  connect(metric_, &QComboBox::currentTextChanged, this, [this] {
    if (!updating_) drawCurves();
  });
  connect(xAxis_, &QComboBox::currentIndexChanged, this, [this] { drawCurves(); });
  connect(by_, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
  connect(autoReference_, &QCheckBox::toggled, this, [this] { refresh(); });
  for (QDoubleSpinBox* box : {refCost_, refAccuracy_}) {
    connect(box, &QDoubleSpinBox::editingFinished, this, [this] {
      if (!autoReference_->isChecked()) refresh();
    });
  }

  constraints_ = new ConstraintPanel;
  for (QPushButton* b : constraints_->actionButtons()) {
    b->hide();
  }
  connect(constraints_, &ConstraintPanel::limitsChanged, this, &CompareView::onLimitsChanged);
  v->addWidget(constraints_);
  status_ = new QLabel;
  status_->setWordWrap(true);
  v->addWidget(status_);
  v->addStretch(1);
  return panel;
}

QWidget* CompareView::withButtons(QWidget* content, const QString& which, bool chart) {
  auto* box = new QWidget;
  auto* v = new QVBoxLayout(box);
  v->setContentsMargins(0, 0, 0, 0);
  v->addWidget(content, 1);
  auto* save = new QPushButton(chart ? tr("Save chart…") : tr("Export CSV…"));
  save->setObjectName("save-" + which);
  auto* row = new QHBoxLayout;
  row->addStretch(1);
  row->addWidget(save);
  v->addLayout(row);
  connect(save, &QPushButton::clicked, this, [this, which, chart] {
    chart ? askSaveChart(which) : askSaveTable(which);
  });
  return box;
}

void CompareView::setStore(Store* store) {
  // Another project (or none): nothing of the last one stays checked.
  store_ = store;
  databasePath_ = store ? store->db().path() : std::string();
  updating_ = true;
  runList_->clear();
  updating_ = false;
  runsShown_.clear();
  refresh();
}

void CompareView::setRuns(const std::vector<RunRecord>& runs) {
  // Called whenever the database changes (a training run writes every few seconds): the
  // list is rebuilt only when a run was added, removed, renamed or changed status.
  QString shown;
  for (const RunRecord& r : runs) shown += runName(r) + runStatusName(r.status) + "\n";
  if (shown == runsShown_) return;
  runsShown_ = shown;
  const std::vector<qint64> checked = checkedRuns();
  updating_ = true;
  runList_->clear();
  for (const RunRecord& r : runs) {
    auto* item = new QListWidgetItem(runName(r) + "  (" + QString(runStatusName(r.status)) + ")");
    item->setData(Qt::UserRole, QVariant::fromValue<qlonglong>(r.id));
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    const bool on = std::find(checked.begin(), checked.end(), r.id) != checked.end();
    item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
    runList_->addItem(item);
  }
  updating_ = false;
}

std::vector<qint64> CompareView::checkedRuns() const {
  std::vector<qint64> ids;
  for (int i = 0; i < runList_->count(); ++i) {
    const QListWidgetItem* item = runList_->item(i);
    if (item->checkState() == Qt::Checked) ids.push_back(item->data(Qt::UserRole).toLongLong());
  }
  return ids;
}

void CompareView::compare(const std::vector<qint64>& runIds) {
  updating_ = true;
  for (int i = 0; i < runList_->count(); ++i) {
    QListWidgetItem* item = runList_->item(i);
    const qint64 id = item->data(Qt::UserRole).toLongLong();
    const bool on = std::find(runIds.begin(), runIds.end(), id) != runIds.end();
    item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
  }
  updating_ = false;
  refresh();
}

void CompareView::scheduleRefresh() {
  if (!isVisible()) {
    dirty_ = true;
    return;
  }
  if (!refreshTimer_.isActive()) refreshTimer_.start();
}

void CompareView::refreshLive() {
  if (!store_ || !comparison_) return refresh();
  // New subnets: the worker reads the runs again (a newer request supersedes); meanwhile
  // only the curves grow, and their zoom stays.
  if (subnetStamps() != subnetStamps_ && !loading()) return refresh();
  drawCurves();
}

// The runs' newest subnet ids: index lookups, where counting scanned every row.
std::vector<int64_t> CompareView::subnetStamps() const {
  std::vector<int64_t> stamps;
  for (qint64 id : shownRuns_) stamps.push_back(store_ ? store_->subnets().lastId(id) : 0);
  return stamps;
}

void CompareView::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (dirty_) refresh();
}

namespace {

// One run's group of the scatter, named with its measured count (whether all are drawn, the
// chart's title says: in the legend it cut the names). Appends to `points`; `front` gets the
// front's indices there.
ScatterGroup addRunToScatter(const RunRecord& run, int colour, const RunPoints& r,
                             std::vector<PlotPoint>& points, std::vector<size_t>& front) {
  for (size_t k = 0; k < r.ids.size(); ++k) {
    if (k < r.frontSize) front.push_back(points.size());
    points.push_back({r.points[k].cost, r.points[k].accuracy, colour, r.ids[k]});
  }
  return {runName(run) + QString(" (%1)").arg(r.measured),
          CompareView::runColour(colour).lighter(140), false};
}

}  // namespace

// The scatter of the compared runs, and each run's front as indices into it. `drawn[g]` is
// what is drawn of run g: the first view's, read on their own, or the whole comparison's.
void CompareView::fillScatter(Prepared& p, const RunComparison& c,
                              const std::vector<RunPoints>& drawn) {
  std::vector<ScatterGroup> groups;
  std::vector<PlotPoint> points;
  for (size_t g = 0; g < c.runs.size(); ++g) {
    p.sampled |= drawn[g].ids.size() < drawn[g].measured;
    p.fronts.emplace_back();
    groups.push_back(
        addRunToScatter(c.runs[g].run, static_cast<int>(g), drawn[g], points, p.fronts.back()));
  }
  p.scatter = ScatterData::build(c.by == "latency" ? tr("latency (ms)") : tr("MACs (M)"),
                                 std::move(groups), std::move(points), {});
}

void CompareView::refresh() {
  dirty_ = false;
  const std::vector<qint64> ids = checkedRuns();
  refCost_->setEnabled(!autoReference_->isChecked());
  refAccuracy_->setEnabled(!autoReference_->isChecked());
  if (!store_ || ids.size() < 2 || ids.size() > static_cast<size_t>(kMaxRuns)) {
    compareJob_->cancel();
    return apply(ids, std::make_shared<Prepared>());
  }
  CompareOptions o;
  o.by = by_->currentData().toString().toStdString();
  if (!autoReference_->isChecked()) {
    o.referenceCost = refCost_->value();
    o.referenceAccuracy = refAccuracy_->value();
  }
  o.limits = constraints_->limits();
  const std::string path = databasePath_;
  // Other runs than shown: their fronts are drawn as soon as they are read.
  const bool firstView = ids != shownRuns_ || !comparison_;
  compareJob_->requestStaged([this, path, ids, o, firstView](const std::atomic<bool>&,
                                                               const LatestOnlyRunner::Post& post) -> LatestOnlyRunner::Apply {
    auto p = std::make_shared<Prepared>();
    try {
      Store store(path, Database::Mode::ReadOnly, Database::Threads::One);
      for (qint64 id : ids) p->stamps.push_back(store.subnets().lastId(id));
      const auto onFronts = [&](const RunComparison& runs, const std::vector<RunPoints>& points) {
        auto early = std::make_shared<Prepared>();
        fillScatter(*early, runs, points);
        post([this, early, n = runs.runs.size()] { showFronts(early, n); });
      };
      p->comparison = std::make_shared<RunComparison>(
          compareRuns(store, std::vector<int64_t>(ids.begin(), ids.end()), o,
                      firstView ? onFronts : FrontsSeen()));
      for (const RunFront& r : p->comparison->runs) {
        for (const MeasuredSubnet& s : r.measured) {
          p->macsM.add(s.macs / 1e6);
          p->paramsM.add(s.params / 1e6);
          if (s.latencyMs) p->latencyMs.add(*s.latencyMs);
        }
      }
      std::vector<RunPoints> drawn;
      for (const RunFront& r : p->comparison->runs) drawn.push_back(pointsOf(r, p->comparison->by));
      fillScatter(*p, *p->comparison, drawn);
    } catch (const std::exception& e) {
      p->error = e.what();
      p->comparison.reset();
    }
    return [this, ids, p] { apply(ids, p); };
  });
}

bool CompareView::loading() const { return compareJob_->busy() || applyPending_; }

// The one queued call a comparison ends in: widgets filled from what the worker made.
void CompareView::apply(const std::vector<qint64>& ids, const std::shared_ptr<const Prepared>& p) {
  // Swapped, not copied; the old one is freed off the UI thread.
  std::shared_ptr<RunComparison> old = std::move(comparison_);
  comparison_ = p->comparison;
  releaseInBackground(std::move(old));
  const bool runsChanged = ids != shownRuns_;
  shownRuns_ = ids;
  subnetStamps_ = p->stamps;
  if (comparison_ && autoReference_->isChecked()) {
    const QSignalBlocker costBlock(refCost_), accuracyBlock(refAccuracy_);
    refCost_->setValue(comparison_->reference.cost);
    refAccuracy_->setValue(comparison_->reference.accuracy);
  }
  if (runsChanged || !comparison_) updateConstraintRanges(p.get());
  drawFronts(p.get());
  status_->setText(p->error.empty() ? summaryText() : QString::fromStdString(p->error));
  // The other charts and the tables in later turns of the event loop, each with its own
  // repaint: in one turn they held the UI for ~40 ms.
  const int generation = ++applyGeneration_;
  QTimer::singleShot(0, this, [this, generation] {
    if (generation != applyGeneration_) return;
    drawCurves();
    drawHistory();
    QTimer::singleShot(0, this, [this, generation] {
      if (generation != applyGeneration_) return;
      fillTables();
      applyPending_ = false;
    });
  });
  applyPending_ = true;
}

QString CompareView::message() const { return status_->text(); }

QString CompareView::summaryText() const {
  const size_t n = shownRuns_.size();
  if (!store_) return tr("Open a project to compare its runs.");
  if (n < 2) return tr("Check 2 to 6 runs to compare them.");
  if (n > static_cast<size_t>(kMaxRuns)) return tr("Check at most 6 runs (%1 checked).").arg(n);
  QString text = tr("%1 runs; hypervolume in %2 × %.").arg(n).arg(comparison_->by == "latency" ? "ms" : "M MACs");
  QStringList empty;
  for (const RunFront& r : comparison_->runs) {
    if (r.measured.empty()) empty << QString::number(r.run.id);
  }
  if (!empty.isEmpty()) {
    text += " " + tr("No measured subnets%1 in run %2.")
                      .arg(comparison_->by == "latency" ? tr(" with a measured latency") : QString())
                      .arg(empty.join(", "));
  }
  return text;
}

void CompareView::setXAxis(XAxis axis) { xAxis_->setCurrentIndex(static_cast<int>(axis)); }

void CompareView::setMetric(const QString& key) {
  if (metric_->findText(key) < 0) metric_->addItem(key);
  metric_->setCurrentText(key);
}

void CompareView::setCostAxis(const QString& by) { by_->setCurrentIndex(by_->findData(by)); }

void CompareView::setReference(double cost, double accuracy) {
  const QSignalBlocker block(autoReference_);
  autoReference_->setChecked(false);
  refCost_->setValue(cost);
  refAccuracy_->setValue(accuracy);
  refresh();
}

void CompareView::setAutoReference() { autoReference_->setChecked(true); }

void CompareView::drawCurves() {
  // The metric list: every key any compared run has; the chosen one kept.
  std::set<std::string> keys;
  if (store_) {
    for (qint64 id : shownRuns_) {
      for (const std::string& k : store_->metrics().keys(id)) keys.insert(k);
    }
  }
  const QString wanted = metric_->currentText().isEmpty() ? "acc/test_largest" : metric_->currentText();
  updating_ = true;
  metric_->clear();
  for (const std::string& k : keys) metric_->addItem(QString::fromStdString(k));
  if (metric_->findText(wanted) < 0 && !keys.empty()) {
    metric_->setCurrentIndex(0);
  } else {
    metric_->setCurrentText(wanted);
  }
  updating_ = false;
  const QString key = metric_->currentText();
  const int axis = xAxis_->currentIndex();
  // The same runs, key and axis: new points into the same series (a zoom stays).
  QString shown = key + "|" + QString::number(axis);
  if (comparison_) {
    for (const RunFront& r : comparison_->runs) shown += "|" + QString::number(r.run.id);
  }
  const bool same = comparison_ && shown == curvesShown_;
  curvesShown_ = shown;
  if (!same) {
    curves_->removeAllSeries();
    curves_->chart()->setTitle(tr("Training curves: %1").arg(key));
    curves_->setXTitle(axis == 0 ? tr("step") : axis == 1 ? tr("epoch") : tr("wall time (min)"));
  }
  if (!comparison_) return;
  for (size_t i = 0; i < comparison_->runs.size(); ++i) {
    const RunRecord& run = comparison_->runs[i].run;
    const QString series = QString::number(run.id);
    const std::vector<MetricSample> rows = store_->metrics().series(run.id, key.toStdString());
    // Sparse series (one evaluation per epoch, a one-epoch run) need markers to be seen.
    if (!same) curves_->addSeries(series, runName(run), runColour(static_cast<int>(i)), rows.size() <= 30);
    QVector<QPointF> points;
    for (const MetricSample& m : rows) {
      const double x = axis == 0 ? static_cast<double>(m.step)
                       : axis == 1 ? m.epoch
                                   : (m.wallTime - rows.front().wallTime) / 60.0;
      points.append(QPointF(x, m.value));
    }
    curves_->setData(series, std::move(points));
  }
  if (!same) curves_->resetZoom();
}

void CompareView::showFronts(const std::shared_ptr<const Prepared>& early, size_t runs) {
  drawFronts(early.get());
  status_->setText(tr("Fronts of %1 runs; their hypervolumes, curves and tables follow…").arg(runs));
  Q_EMIT frontsShown();
}

void CompareView::drawFronts(const Prepared* p) {
  if (!p->scatter) {
    fronts_->setData(tr("MACs (M)"), {}, {}, {});
    return;
  }
  fronts_->setData(p->scatter);
  fronts_->setGroupFronts(p->fronts);
  fronts_->chart()->setTitle(
      p->sampled
          ? tr("Pareto fronts: each front, and about %1 other subnets a run").arg(kDrawnPerRun)
          : tr("Pareto fronts"));
}

void CompareView::drawHistory() {
  history_->removeAllSeries();
  if (!comparison_) return;
  for (size_t i = 0; i < comparison_->runs.size(); ++i) {
    const RunFront& r = comparison_->runs[i];
    const QString series = QString::number(r.run.id);
    history_->addSeries(series, runName(r.run), runColour(static_cast<int>(i)), true);
    QVector<QPointF> points;
    for (const auto& [epoch, hv] : r.history) points.append(QPointF(epoch, hv));
    history_->setData(series, std::move(points));
  }
  history_->resetZoom();
}

void CompareView::fillTables() {
  for (const QString& which : {QString("hypervolume"), QString("best"), QString("diff")}) {
    QTableWidget* widget = which == "hypervolume" ? hvTable_ : which == "best" ? bestTable_ : diffTable_;
    fillTableWidget(widget, tableNamed(which).value_or(CsvTable{}));
  }
  if (!comparison_) return;
  colourRunColumn(hvTable_);
  colourRunColumn(bestTable_);
}

void CompareView::updateConstraintRanges(const Prepared* p) {
  using Range = ConstraintPanel::Range;
  const QSignalBlocker block(constraints_);
  constraints_->setRanges(Range::of(p->macsM), Range::of(p->paramsM), Range::of(p->latencyMs));
  constraints_->setBest(comparison_ ? tr("Each run's best within these limits: the Best under "
                                         "limits table.")
                                    : QString());
  if (comparison_) applyLimits(*comparison_, constraints_->limits());
}

void CompareView::onLimitsChanged() {
  if (!comparison_) return;
  applyLimits(*comparison_, constraints_->limits());
  fillTableWidget(bestTable_, bestSubnetTable(*comparison_));
  colourRunColumn(bestTable_);
}

QWidget* CompareView::chartNamed(const QString& which) const {
  if (which == "curves") return curves_;
  if (which == "fronts") return fronts_;
  if (which == "history") return history_;
  return nullptr;
}

std::optional<CsvTable> CompareView::tableNamed(const QString& which) const {
  if (!comparison_) return std::nullopt;
  if (which == "hypervolume") return sn::hypervolumeTable(*comparison_);
  if (which == "best") return sn::bestSubnetTable(*comparison_);
  if (which == "diff") return recipeDiffTable(*comparison_);
  return std::nullopt;
}

bool CompareView::saveChart(const QString& which, const QString& path) {
  QWidget* chart = chartNamed(which);
  if (chart && saveWidgetImage(chart, path)) return true;
  status_->setText(tr("%1: cannot write the chart").arg(path));
  return false;
}

bool CompareView::saveTable(const QString& which, const QString& path) {
  const std::optional<CsvTable> table = tableNamed(which);
  QString error = tr("Nothing to export: check 2 to 6 runs first.");
  if (table && saveCsvFile(*table, path, &error)) return true;
  status_->setText(error);
  return false;
}

void CompareView::askSaveChart(const QString& which) {
  const QString path = QFileDialog::getSaveFileName(this, tr("Save chart"), which + ".png",
                                                    tr("PNG image (*.png);;SVG drawing (*.svg)"));
  if (!path.isEmpty() && saveChart(which, path)) status_->setText(tr("Saved %1").arg(path));
}

void CompareView::askSaveTable(const QString& which) {
  const QString path = QFileDialog::getSaveFileName(this, tr("Export table"), which + ".csv",
                                                    tr("CSV (*.csv)"));
  if (!path.isEmpty() && saveTable(which, path)) status_->setText(tr("Saved %1").arg(path));
}

}  // namespace sn
