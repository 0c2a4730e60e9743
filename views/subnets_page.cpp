#include "views/subnets_page.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTableView>
#include <QThread>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <map>

#include "core/project/project.h"
#include "core/project/subnet_search.h"
#include "core/search/pareto_front.h"
#include "views/architecture_view.h"
#include "views/constraint_panel.h"
#include "views/latest_only_runner.h"
#include "views/lower_thread_priority.h"
#include "views/pareto_chart.h"
#include "views/release_in_background.h"
#include "views/subnet_actions.h"
#include "views/subnet_preview.h"
#include "views/subnet_snapshot.h"
#include "views/subnet_table_model.h"
#include "views/subnet_table_order.h"

namespace sn {
namespace {

// The predictor's report refits on every reload; beyond this many measured subnets the
// newest are enough to judge it.
constexpr size_t kPredictorSample = 2000;

enum class CostAxis { Macs, Latency, SparseMacs };

// Scatter groups by source; one-shot pruned and retrained subnets (pruning) share the last.
int sourceGroupOf(SubnetSource source) {
  switch (source) {
    case SubnetSource::Evaluated:
      return 0;
    case SubnetSource::Searched:
      return 1;
    case SubnetSource::Predicted:
      return 2;
    default:
      return 3;
  }
}

std::vector<ScatterGroup> sourceGroups() {
  return {{subnetSourceName(SubnetSource::Evaluated), QColor(31, 119, 180)},
          {subnetSourceName(SubnetSource::Searched), QColor(44, 160, 44)},
          {subnetSourceName(SubnetSource::Predicted), QColor(190, 190, 190)},
          {"one-shot pruned / retrained", QColor(148, 103, 189)}};
}

// Early epochs blue, late ones red: the front's movement reads as a colour sweep.
std::vector<ScatterGroup> epochGroups(const SubnetSnapshot& s, std::map<int32_t, int>& groupOf) {
  for (size_t i = 0; i < s.subnets.size(); ++i) groupOf[s.subnets.row(i).epoch] = 0;
  std::vector<ScatterGroup> groups;
  const int n = static_cast<int>(groupOf.size());
  for (auto& [epoch, group] : groupOf) {
    group = static_cast<int>(groups.size());
    const QColor colour = QColor::fromHsv(n > 1 ? 240 - 240 * group / (n - 1) : 240, 200, 220);
    groups.push_back({epoch < 0 ? QString("no epoch") : QString("epoch %1").arg(epoch), colour});
  }
  return groups;
}

// Below this many subnets the whole load is quick (0.4 s at 100k): no first view first.
constexpr int64_t kPreviewRows = 100000;

// A row's x on `axis` for the first view; NaN on the latency axis, where most latencies are
// the lookup table's, which needs the arch text the preview does not read.
double previewCost(const SubnetView& r, CostAxis axis) {
  if (axis == CostAxis::Latency) return NAN;
  return (axis == CostAxis::SparseMacs && r.sparseMacs > 0 ? r.sparseMacs : r.macs) / 1e6;
}

QString axisTitle(CostAxis axis) {
  return axis == CostAxis::Latency      ? "latency (ms)"
         : axis == CostAxis::SparseMacs ? "sparse MACs (M)"
                                        : "MACs (M)";
}

// The scatter of a snapshot on one cost axis, the front over the measured (not predicted)
// subnets. Null when superseded midway.
std::shared_ptr<const ScatterData> subnetScatter(const SubnetSnapshot& s, CostAxis axis, bool byEpoch,
                                                 const std::atomic<bool>& superseded) {
  std::map<int32_t, int> epochGroup;
  std::vector<ScatterGroup> groups = byEpoch ? epochGroups(s, epochGroup) : sourceGroups();
  std::vector<PlotPoint> points;
  std::vector<FrontPoint> measured;
  std::vector<size_t> measuredIndex;
  points.reserve(s.subnets.size());
  for (size_t i = 0; i < s.subnets.size(); ++i) {
    if ((i & 0xFFFF) == 0 && superseded) return nullptr;
    const CompactSubnets::Row& r = s.subnets.row(i);
    if (!r.hasAccuracy() || (axis == CostAxis::Latency && !s.hasLatency(i))) continue;
    PlotPoint p;
    p.x = axis == CostAxis::Latency ? s.latency[i]
          : (axis == CostAxis::SparseMacs && r.sparseMacs > 0 ? r.sparseMacs : r.macs) / 1e6;
    p.y = 100 * r.accuracy;
    p.id = r.id;
    p.group = byEpoch ? epochGroup[r.epoch] : sourceGroupOf(r.source);
    if (isMeasured(r.source)) {  // the front is of measured subnets
      measured.push_back({p.x, p.y});
      measuredIndex.push_back(points.size());
    }
    points.push_back(p);
  }
  std::vector<size_t> front;
  for (size_t k : paretoFront(measured)) front.push_back(measuredIndex[k]);
  return ScatterData::build(axisTitle(axis), std::move(groups), std::move(points),
                            std::move(front));
}

}  // namespace

SubnetsPage::SubnetsPage(QWidget* parent) : QWidget(parent) {
  loader_ = new LatestOnlyRunner(this);
  scatterJob_ = new LatestOnlyRunner(this);
  orderJob_ = new LatestOnlyRunner(this);
  panel_ = new ConstraintPanel;
  actions_ = new SubnetActions(panel_, this);
  auto* top = new QSplitter(Qt::Horizontal);
  top->addWidget(buildLeft());
  top->addWidget(buildRight());
  top->setStretchFactor(0, 3);
  top->setStretchFactor(1, 2);
  filter_ = new QLineEdit;
  filter_->setPlaceholderText("filter: arch, source, id…");
  filter_->setClearButtonEnabled(true);
  model_ = new SubnetTableModel(this);
  table_ = new QTableView;
  table_->setModel(model_);
  table_->setSortingEnabled(true);
  table_->sortByColumn(SubnetTableModel::Accuracy, Qt::DescendingOrder);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setStretchLastSection(true);
  auto* bottom = new QWidget;
  auto* bottomLayout = new QVBoxLayout(bottom);
  bottomLayout->setContentsMargins(0, 0, 0, 0);
  bottomLayout->addWidget(filter_);
  bottomLayout->addWidget(table_);
  auto* split = new QSplitter(Qt::Vertical);
  split->addWidget(top);
  split->addWidget(bottom);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(split);

  connect(xAxis_, &QComboBox::currentIndexChanged, this, [this] { requestScatter(); });
  connect(colour_, &QComboBox::currentIndexChanged, this, [this] { requestScatter(); });
  connect(filter_, &QLineEdit::textChanged, this, [this] { requestTableOrder(); });
  connect(model_, &SubnetTableModel::sortRequested, this, [this] { requestTableOrder(); });
  connect(panel_, &ConstraintPanel::limitsChanged, this, [this] { updateBest(); });
  connect(chart_, &ParetoChart::subnetClicked, this, [this](qint64 id) { select(id); });
  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            const int64_t id = model_->idAt(current.row());
            if (id && id != selected_) select(id);
          });
  connect(panel_->evaluateButton(), &QPushButton::clicked, this, [this] {
    if (const std::optional<SubnetRecord> s = pickedSubnet()) actions_->evaluate(*s, runId_);
  });
  connect(panel_->searchButton(), &QPushButton::clicked, this, [this] {
    if (!dir_.isEmpty() && runId_ != 0) actions_->search(runId_, panel_->limits());
  });
  connect(panel_->exportButton(), &QPushButton::clicked, this, [this] {
    if (const std::optional<SubnetRecord> s = pickedSubnet()) actions_->askExport(*s);
  });
  connect(panel_->retrainButton(), &QPushButton::clicked, this, [this] {
    if (const std::optional<SubnetRecord> s = pickedSubnet()) actions_->retrain(*s);
  });
  connect(actions_, &SubnetActions::message, this, &SubnetsPage::message);
  connect(actions_, &SubnetActions::subnetsStored, this, &SubnetsPage::subnetsStored);
  for (LatestOnlyRunner* job : {loader_, scatterJob_, orderJob_}) {
    connect(job, &LatestOnlyRunner::failed, this, &SubnetsPage::message);
  }
}

QWidget* SubnetsPage::buildLeft() {
  chart_ = new ParetoChart;
  chart_->setTooltipText([this](qint64 id) {
    const std::optional<size_t> i = snapshot_ ? snapshot_->subnets.indexOf(id) : std::nullopt;
    return i ? describe(*i) : QString();
  });
  xAxis_ = new QComboBox;
  xAxis_->addItems({"accuracy vs MACs", "accuracy vs latency", "accuracy vs sparse MACs"});
  xAxis_->setItemData(2, "MACs of the non-zero weights: what a pruned subnet costs with a sparse kernel",
                      Qt::ToolTipRole);
  colour_ = new QComboBox;
  colour_->addItems({"colour by source", "colour by epoch"});
  summary_ = new QLabel;
  // Its own wrapped line: the model, its tau and interval, the held-out figures.
  predictorLabel_ = new QLabel;
  predictorLabel_->setWordWrap(true);
  // Wraps to the chart's width instead of widening the pane.
  predictorLabel_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  predictorLabel_->setVisible(false);
  auto* controls = new QHBoxLayout;
  controls->addWidget(xAxis_);
  controls->addWidget(colour_);
  controls->addWidget(summary_, 1);
  auto* left = new QWidget;
  auto* leftLayout = new QVBoxLayout(left);
  leftLayout->setContentsMargins(0, 0, 0, 0);
  leftLayout->addLayout(controls);
  leftLayout->addWidget(predictorLabel_);
  leftLayout->addWidget(chart_, 1);
  return left;
}

QWidget* SubnetsPage::buildRight() {
  archView_ = new ArchitectureView;
  archView_->setMinimumHeight(180);
  auto* right = new QWidget;
  auto* rightLayout = new QVBoxLayout(right);
  rightLayout->setContentsMargins(0, 0, 0, 0);
  rightLayout->addWidget(panel_);
  auto* jobRow = new QHBoxLayout;
  jobRow->addWidget(actions_->progressBar(), 1);
  jobRow->addWidget(actions_->cancelButton());
  rightLayout->addLayout(jobRow);
  // Scrolled, not squeezed: the view draws its blocks at a fixed size, and a wide space
  // (five stages, 1600 px window) was cut off on the right.
  auto* archScroll = new QScrollArea;
  archScroll->setWidget(archView_);
  archScroll->setWidgetResizable(true);
  archScroll->setFrameShape(QFrame::NoFrame);
  rightLayout->addWidget(archScroll, 1);
  return right;
}

SubnetsPage::~SubnetsPage() {
  // A fit reads only its own copies; it is waited for so the thread never outlives us.
  if (predictorThread_) {
    predictorThread_->disconnect(this);
    predictorThread_->wait();
    delete predictorThread_;
  }
}

BackgroundJob* SubnetsPage::job() const { return actions_->job(); }
ExportDialog* SubnetsPage::exportDialog() const { return actions_->exportDialog(); }
QMessageBox* SubnetsPage::exportSummary() const { return actions_->exportSummary(); }
void SubnetsPage::startExport(const SubnetExportRequest& request) { actions_->startExport(request); }

void SubnetsPage::setProject(const QString& dir, const SearchSpace& space, const NetShape& shape) {
  dir_ = dir;
  space_ = space;
  shape_ = shape;
  actions_->setProjectDir(dir);
  archView_->setSpace(space, shape);
  archView_->setMinimumWidth(archView_->sizeHint().width());
}

void SubnetsPage::clear() {
  for (LatestOnlyRunner* job : {loader_, scatterJob_, orderJob_}) job->cancel();
  dir_.clear();
  actions_->setProjectDir({});
  applySnapshot(std::make_shared<SubnetSnapshot>());
  archView_->clear();
}

bool SubnetsPage::loading() const {
  return loader_->busy() || scatterJob_->busy() || orderJob_->busy() || chart_->rendering();
}

void SubnetsPage::load(qint64 runId, std::optional<LatencyTableRecord> latencyTable,
                       const std::string& latencyStamp) {
  if (dir_.isEmpty()) return;
  SubnetLoadRequest request;
  request.databasePath = dir_.toStdString() + "/" + kProjectDatabase;
  request.runId = runId;
  request.latencyTable = std::move(latencyTable);
  request.latencyStamp = latencyStamp;
  request.space = space_;
  request.shape = shape_;
  // What is shown now: a newer load of the same run starts from it.
  const std::shared_ptr<const SubnetSnapshot> previous = snapshot_;
  const auto axis = static_cast<CostAxis>(std::max(xAxis_->currentIndex(), 0));
  loader_->requestStaged([this, request, previous, axis](
                             const std::atomic<bool>& superseded,
                             const LatestOnlyRunner::Post& post) -> LatestOnlyRunner::Apply {
    if (!extendsSnapshot(previous.get(), request)) {
      const auto costOf = [axis](const SubnetView& r) { return previewCost(r, axis); };
      auto p = loadSubnetPreview(request, kPreviewRows, costOf, axisTitle(axis), superseded);
      if (p) post([this, p] { applyPreview(p); });
    }
    std::shared_ptr<const SubnetSnapshot> s = loadSubnetSnapshot(request, previous, superseded);
    if (!s) return {};
    return [this, s] { applySnapshot(s); };
  });
}

std::optional<SubnetRecord> SubnetsPage::subnet(qint64 id) const {
  const std::optional<size_t> i = snapshot_ ? snapshot_->subnets.indexOf(id) : std::nullopt;
  if (!i) return std::nullopt;
  return snapshot_->subnets.record(*i);
}

// The first view of a large run. The rows of another run shown until now go: the table
// and the best subnet must not describe a run the scatter no longer shows.
void SubnetsPage::applyPreview(std::shared_ptr<const SubnetPreview> preview) {
  preview_ = std::move(preview);
  if (!snapshot_ || snapshot_->runId != preview_->runId) {
    orderJob_->cancel();
    model_->setOrder(nullptr);
    releaseInBackground(std::move(snapshot_));
    snapshot_.reset();
    updateBest();
    panel_->setBest(QString("loading %1 subnets…").arg(preview_->count));
  }
  using Range = ConstraintPanel::Range;
  panel_->setRanges(Range::of(preview_->macsM), Range::of(preview_->paramsM),
                    Range::of(preview_->latencyMs));
  scatterJob_->cancel();
  chart_->setData(preview_->scatter);
  summary_->setText(summaryText());
  Q_EMIT previewShown();
}

// The one queued call a load ends in: constant work in the subnet count, except the
// skyline query (a short scan) and the architecture view of the best subnet.
void SubnetsPage::applySnapshot(std::shared_ptr<const SubnetSnapshot> snapshot) {
  preview_.reset();
  snapshot_ = std::move(snapshot);
  runId_ = snapshot_->runId;
  if (!snapshot_->latencyError.empty()) Q_EMIT message(QString::fromStdString(snapshot_->latencyError));
  using Range = ConstraintPanel::Range;
  panel_->setRanges(Range::of(snapshot_->macsM), Range::of(snapshot_->paramsM), Range::of(snapshot_->latencyMs));
  if (selected_ && !snapshot_->subnets.indexOf(selected_)) selected_ = 0;
  fitPredictor();
  updateBest();
  requestScatter();
  requestTableOrder();
  summary_->setText(summaryText());
  Q_EMIT subnetsShown();
}

void SubnetsPage::requestScatter() {
  if (!snapshot_) return;
  const std::shared_ptr<const SubnetSnapshot> s = snapshot_;
  const auto axis = static_cast<CostAxis>(std::max(xAxis_->currentIndex(), 0));
  const bool byEpoch = colour_->currentIndex() == 1;
  scatterJob_->request([this, s, axis, byEpoch](const std::atomic<bool>& superseded) -> LatestOnlyRunner::Apply {
    std::shared_ptr<const ScatterData> data = subnetScatter(*s, axis, byEpoch, superseded);
    if (!data) return {};
    return [this, data] {
      chart_->setData(data);
      chart_->setSelected(selected_);
      chart_->setHighlighted(0);  // the new data's marks
      chart_->setHighlighted(highlighted_);
      summary_->setText(summaryText());
    };
  });
}

void SubnetsPage::requestTableOrder() {
  if (!snapshot_) return;
  const std::shared_ptr<const SubnetSnapshot> s = snapshot_;
  const int column = model_->sortColumn();
  const bool descending = model_->sortOrder() == Qt::DescendingOrder;
  const std::string filter = filter_->text().toStdString();
  orderJob_->request([this, s, column, descending, filter](const std::atomic<bool>& superseded) -> LatestOnlyRunner::Apply {
    std::shared_ptr<const SubnetTableOrder> order = SubnetTableOrder::build(s, column, descending, filter, superseded);
    if (!order) return {};
    return [this, order] { applyTableOrder(order); };
  });
}

void SubnetsPage::applyTableOrder(std::shared_ptr<const SubnetTableOrder> order) {
  model_->setOrder(std::move(order));
  // The reset cleared the table's current row: the selection follows the subnet, not the row.
  const int row = model_->rowOf(selected_);
  if (row >= 0) {
    const QSignalBlocker block(table_->selectionModel());
    table_->selectRow(row);
  }
}

void SubnetsPage::fitPredictor() {
  if (predictorThread_) {
    predictorStale_ = true;  // the running fit's subnets are out of date: refit when it ends
    return;
  }
  predictorStale_ = false;
  // Several models, each cross-validated: seconds of work, never on the UI thread.
  auto fit = std::make_shared<PredictorFit>();
  predictorFit_ = fit;
  predictorThread_ = QThread::create([fit, s = snapshot_, space = space_, shape = shape_] {
    lowerThreadPriority();
    try {
      std::vector<SubnetRecord> recent;
      for (size_t i = s->subnets.size(); i-- > 0 && recent.size() < kPredictorSample;) {
        if (isMeasured(s->subnets.source(i)) && s->subnets.row(i).hasAccuracy()) {
          recent.push_back(s->subnets.record(i));
        }
      }
      std::vector<Arch> archs;
      std::vector<double> accuracy;
      measuredAccuracies(recent, space, archs, accuracy);
      if (static_cast<int>(archs.size()) >= 2 * AccuracyPredictor::kMinSamples) {
        fit->report = AccuracyPredictor::holdOut(space, shape, archs, accuracy, 0.2, 1);
      }
    } catch (const std::exception& e) {
      fit->error = QString::fromUtf8(e.what());
    }
  });
  connect(predictorThread_, &QThread::finished, this, &SubnetsPage::predictorThreadDone);
  predictorThread_->start();
}

void SubnetsPage::predictorThreadDone() {
  predictorThread_->deleteLater();
  predictorThread_ = nullptr;
  if (predictorStale_) {
    fitPredictor();
    return;
  }
  predictorReport_ = predictorFit_->report;
  if (!predictorFit_->error.isEmpty()) Q_EMIT message(predictorFit_->error);
  summary_->setText(summaryText());
  predictorLabel_->setVisible(predictorReport_.has_value());
  if (predictorReport_) {
    predictorLabel_->setText(QString::fromStdString(describePredictor(*predictorReport_)));
  }
  Q_EMIT predictorFitted();
}

QString SubnetsPage::summaryText() const {
  if (preview_) return QString("%1 subnets · loading…").arg(preview_->count);
  const size_t n = snapshot_ ? snapshot_->subnets.size() : 0;
  QString text = QString("%1 subnets").arg(n);
  if (!scatterJob_->busy()) text += QString(", front of %1 measured").arg(chart_->frontCount());
  else text += " · drawing…";
  if (predictorThread_) text += " · fitting the accuracy predictor…";
  return text;
}

QString SubnetsPage::describe(size_t i) const {
  const CompactSubnets& subnets = snapshot_->subnets;
  const CompactSubnets::Row& s = subnets.row(i);
  const bool predictedRow = !isMeasured(subnets.source(i));
  QString latency = "latency not measured";
  if (snapshot_->hasLatency(i)) {
    latency = QString("%1 ms%2").arg(snapshot_->latency[i], 0, 'f', 3)
                  .arg(snapshot_->latencyPredicted[i] || predictedRow ? " (lookup table)" : "");
  }
  QString accuracy = s.hasAccuracy() ? QString("%1%").arg(100 * s.accuracy, 0, 'f', 2) : "-";
  if (predictedRow) {
    accuracy += predictorReport_ ? QString(" predicted (±%1%)").arg(100 * predictorReport_->rmse, 0, 'f', 2)
                                 : QString(" predicted");
  }
  QString macs = QString("%1 M MACs").arg(s.macs / 1e6, 0, 'f', 2);
  if (s.sparsity > 0) {
    macs += QString(" (%1 M sparse, %2% pruned)").arg(s.sparseMacs / 1e6, 0, 'f', 2).arg(100 * s.sparsity, 0, 'f', 1);
  }
  const std::string_view arch = subnets.arch(i);
  return QString("#%1 %2 · accuracy %3 · %4 · %5 M params · %6\n%7")
      .arg(s.id)
      .arg(subnetSourceName(subnets.source(i)))
      .arg(accuracy)
      .arg(macs)
      .arg(s.params / 1e6, 0, 'f', 3)
      .arg(latency)
      .arg(QString::fromUtf8(arch.data(), static_cast<qsizetype>(arch.size())));
}

void SubnetsPage::updateBest() {
  const std::optional<SkylineEntry> best = snapshot_ ? snapshot_->skyline.best(panel_->limits()) : std::nullopt;
  highlighted_ = best ? best->id : 0;
  chart_->setHighlighted(highlighted_);
  const std::optional<size_t> i = best ? snapshot_->subnets.indexOf(best->id) : std::nullopt;
  if (!i) {
    const bool none = !snapshot_ || snapshot_->subnets.empty();
    panel_->setBest(none ? "no subnets yet" : "no subnet within these limits");
    return;
  }
  showDetails(*i, "Best within the limits");
}

void SubnetsPage::showDetails(size_t i, const QString& heading) {
  panel_->setBest("<b>" + heading + ":</b> " + describe(i).toHtmlEscaped().replace("\n", "<br>"));
  archView_->setArch(Arch::parse(std::string(snapshot_->subnets.arch(i)), space_));
}

void SubnetsPage::select(qint64 id) {
  const std::optional<size_t> i = snapshot_ ? snapshot_->subnets.indexOf(id) : std::nullopt;
  if (!i) return;
  selected_ = id;
  chart_->setSelected(id);
  const int row = model_->rowOf(id);
  if (row >= 0 && table_->currentIndex().row() != row) {
    const QModelIndex index = model_->index(row, 0);
    table_->setCurrentIndex(index);
    table_->scrollTo(index);
  }
  showDetails(*i, "Selected");
  Q_EMIT archChosen(QString::fromUtf8(snapshot_->subnets.arch(*i).data(),
                                      static_cast<qsizetype>(snapshot_->subnets.arch(*i).size())));
}

std::optional<SubnetRecord> SubnetsPage::pickedSubnet() {
  std::optional<SubnetRecord> s = subnet(selected_ ? selected_ : highlighted_);
  if (!s || dir_.isEmpty()) {
    Q_EMIT message("Select a subnet first (click it on the scatter or in the table).");
    return std::nullopt;
  }
  return s;
}

}  // namespace sn
