#include "views/subnets_page.h"

#include <QComboBox>
#include <QDesktopServices>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QScrollArea>
#include <QSplitter>
#include <QTableView>
#include <QThread>
#include <QUrl>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <map>

#include "core/project/project.h"
#include "core/project/subnet_evaluation.h"
#include "core/project/subnet_export.h"
#include "core/project/subnet_search.h"
#include "core/project/ticket_evaluation.h"
#include "core/search/pareto_front.h"
#include "views/architecture_view.h"
#include "views/background_job.h"
#include "views/constraint_panel.h"
#include "views/export_dialog.h"
#include "views/pareto_chart.h"
#include "views/subnet_table_model.h"

namespace sn {
namespace {

// The predictor's report refits on every reload; beyond this many measured subnets the
// newest are enough to judge it and the refit stays well under a frame.
constexpr size_t kPredictorSample = 2000;

// Scatter groups by source; one-shot pruned and retrained subnets (pruning) share the last.
const std::vector<std::string> kSources = {"evaluated", "searched", "predicted"};

int sourceGroup(const std::string& source) {
  return static_cast<int>(std::find(kSources.begin(), kSources.end(), source) - kSources.begin());
}

}  // namespace

SubnetsPage::SubnetsPage(QWidget* parent) : QWidget(parent) {
  chart_ = new ParetoChart;
  panel_ = new ConstraintPanel;
  archView_ = new ArchitectureView;
  archView_->setMinimumHeight(180);
  xAxis_ = new QComboBox;
  xAxis_->addItems({"accuracy vs MACs", "accuracy vs latency", "accuracy vs sparse MACs"});
  xAxis_->setItemData(2, "MACs of the non-zero weights: what a pruned subnet costs with a sparse kernel",
                      Qt::ToolTipRole);
  colour_ = new QComboBox;
  colour_->addItems({"colour by source", "colour by epoch"});
  filter_ = new QLineEdit;
  filter_->setPlaceholderText("filter: arch, source…");
  filter_->setClearButtonEnabled(true);
  summary_ = new QLabel;
  // Its own wrapped line: the model, its tau and interval, the held-out figures.
  predictorLabel_ = new QLabel;
  predictorLabel_->setWordWrap(true);
  // Wraps to the chart's width instead of widening the pane.
  predictorLabel_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  predictorLabel_->setVisible(false);
  model_ = new SubnetTableModel(this);
  proxy_ = new QSortFilterProxyModel(this);
  proxy_->setSourceModel(model_);
  proxy_->setSortRole(Qt::UserRole);
  proxy_->setFilterKeyColumn(-1);
  proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
  table_ = new QTableView;
  table_->setModel(proxy_);
  table_->setSortingEnabled(true);
  table_->sortByColumn(SubnetTableModel::Accuracy, Qt::DescendingOrder);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setStretchLastSection(true);
  jobProgress_ = new QProgressBar;
  jobProgress_->setVisible(false);
  cancelJob_ = new QPushButton("Cancel");
  cancelJob_->setVisible(false);
  job_ = new BackgroundJob(this);

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
  auto* right = new QWidget;
  auto* rightLayout = new QVBoxLayout(right);
  rightLayout->setContentsMargins(0, 0, 0, 0);
  rightLayout->addWidget(panel_);
  auto* jobRow = new QHBoxLayout;
  jobRow->addWidget(jobProgress_, 1);
  jobRow->addWidget(cancelJob_);
  rightLayout->addLayout(jobRow);
  // Scrolled, not squeezed: the view draws its blocks at a fixed size, and a wide space
  // (five stages, 1600 px window) was cut off on the right.
  auto* archScroll = new QScrollArea;
  archScroll->setWidget(archView_);
  archScroll->setWidgetResizable(true);
  archScroll->setFrameShape(QFrame::NoFrame);
  rightLayout->addWidget(archScroll, 1);
  auto* top = new QSplitter(Qt::Horizontal);
  top->addWidget(left);
  top->addWidget(right);
  top->setStretchFactor(0, 3);
  top->setStretchFactor(1, 2);
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

  connect(xAxis_, &QComboBox::currentIndexChanged, this, [this] { rebuildChart(); });
  connect(colour_, &QComboBox::currentIndexChanged, this, [this] { rebuildChart(); });
  connect(filter_, &QLineEdit::textChanged, proxy_, &QSortFilterProxyModel::setFilterFixedString);
  connect(panel_, &ConstraintPanel::limitsChanged, this, [this] { updateBest(); });
  connect(chart_, &ParetoChart::subnetClicked, this, [this](qint64 id) { select(id); });
  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            const SubnetRecord* s = model_->subnetAt(proxy_->mapToSource(current).row());
            if (s && s->id != selected_) select(s->id);
          });
  connect(panel_->evaluateButton(), &QPushButton::clicked, this, [this] { evaluateSelected(); });
  connect(panel_->searchButton(), &QPushButton::clicked, this, [this] { searchUnderLimits(); });
  connect(panel_->exportButton(), &QPushButton::clicked, this, [this] { exportSelected(); });
  connect(panel_->retrainButton(), &QPushButton::clicked, this, [this] { retrainSelected(); });
  connect(cancelJob_, &QPushButton::clicked, job_, &BackgroundJob::cancel);
  connect(job_, &BackgroundJob::progress, this, [this](const QString& phase, int done, int total) {
    jobProgress_->setRange(0, std::max(total, 1));
    jobProgress_->setValue(done);
    jobProgress_->setFormat(job_->title() + " — " + phase + " %v/%m");
  });
  connect(job_, &BackgroundJob::finished, this,
          [this](const QString& title, const QString& summary, const QString& error) {
            jobProgress_->setVisible(false);
            cancelJob_->setVisible(false);
            for (QPushButton* b : panel_->actionButtons()) b->setEnabled(true);
            if (title == "Export") showExportSummary(error);
            Q_EMIT message(error.isEmpty() ? title + ": " + summary : title + " failed: " + error);
            Q_EMIT subnetsStored();
          });
}

SubnetsPage::~SubnetsPage() {
  // A fit reads only its own copies; it is waited for so the thread never outlives us.
  if (predictorThread_) {
    predictorThread_->disconnect(this);
    predictorThread_->wait();
    delete predictorThread_;
  }
}

void SubnetsPage::setProject(const QString& dir, const SearchSpace& space, const NetShape& shape) {
  dir_ = dir;
  space_ = space;
  shape_ = shape;
  archView_->setSpace(space, shape);
  archView_->setMinimumWidth(archView_->sizeHint().width());
}

void SubnetsPage::clear() {
  dir_.clear();
  setSubnets(0, {}, std::nullopt);
  archView_->clear();
}

void SubnetsPage::setSubnets(qint64 runId, std::vector<SubnetRecord> subnets,
                             std::optional<LatencyTableRecord> latencyTable) {
  runId_ = runId;
  model_->setSubnets(nullptr);
  subnets_ = std::move(subnets);
  indexOf_.clear();
  for (size_t i = 0; i < subnets_.size(); ++i) indexOf_.emplace(subnets_[i].id, i);
  latency_.assign(subnets_.size(), std::nullopt);
  latencyPredicted_.assign(subnets_.size(), false);
  std::optional<LatencyModel> lut;
  try {
    if (latencyTable) lut.emplace(*latencyTable, space_, shape_);
  } catch (const std::exception& e) {
    Q_EMIT message(QString::fromUtf8(e.what()));
  }
  std::vector<SkylineEntry> entries;
  std::vector<double> macs, params, latency;
  for (size_t i = 0; i < subnets_.size(); ++i) {
    const SubnetRecord& s = subnets_[i];
    if (s.latencyMs) {
      latency_[i] = s.latencyMs;
    } else if (lut) {
      latency_[i] = lut->predictMs(Arch::parse(s.arch, space_));
      latencyPredicted_[i] = true;
    }
    macs.push_back(s.macs / 1e6);
    params.push_back(s.params / 1e6);
    if (latency_[i]) latency.push_back(*latency_[i]);
    if (!s.accuracy) continue;
    SkylineEntry e;
    e.id = s.id;
    e.macs = static_cast<double>(s.macs);
    e.params = static_cast<double>(s.params);
    if (latency_[i]) e.latencyMs = *latency_[i];
    e.accuracy = *s.accuracy;
    entries.push_back(e);
  }
  skyline_ = SubnetSkyline(std::move(entries));
  model_->setSubnets(&subnets_);
  panel_->setRanges(ConstraintPanel::Range::of(macs), ConstraintPanel::Range::of(params),
                    ConstraintPanel::Range::of(latency));
  fitPredictor();
  rebuildChart();
  updateBest();
  if (selected_ && !subnet(selected_)) selected_ = 0;
  chart_->setSelected(selected_);
}

const SubnetRecord* SubnetsPage::subnet(qint64 id) const {
  const auto it = indexOf_.find(id);
  return it == indexOf_.end() ? nullptr : &subnets_[it->second];
}

void SubnetsPage::fitPredictor() {
  if (predictorThread_) {
    predictorStale_ = true;  // the running fit's subnets are out of date: refit when it ends
    return;
  }
  predictorStale_ = false;
  std::vector<SubnetRecord> recent;
  for (auto it = subnets_.rbegin(); it != subnets_.rend() && recent.size() < kPredictorSample; ++it) {
    if (it->source != "predicted" && it->accuracy) recent.push_back(*it);
  }
  // Several models, each cross-validated: seconds of work, never on the UI thread.
  auto fit = std::make_shared<PredictorFit>();
  predictorFit_ = fit;
  predictorThread_ = QThread::create([fit, recent = std::move(recent), space = space_,
                                      shape = shape_] {
    try {
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
  predictorThread_->start(QThread::LowPriority);
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
  summary_->setText(summaryText(frontSize_));
  predictorLabel_->setVisible(predictorReport_.has_value());
  if (predictorReport_) {
    predictorLabel_->setText(QString::fromStdString(describePredictor(*predictorReport_)));
  }
  Q_EMIT predictorFitted();
}

QString SubnetsPage::summaryText(size_t frontSize) const {
  QString text = QString("%1 subnets, front of %2 measured").arg(subnets_.size()).arg(frontSize);
  if (predictorThread_) text += " · fitting the accuracy predictor…";
  return text;
}

void SubnetsPage::rebuildChart() {
  const bool byLatency = xAxis_->currentIndex() == 1;
  const bool bySparse = xAxis_->currentIndex() == 2;
  const bool byEpoch = colour_->currentIndex() == 1;
  std::vector<ParetoChart::Group> groups;
  std::map<int64_t, int> epochGroup;
  if (byEpoch) {
    for (const SubnetRecord& s : subnets_) epochGroup[s.epoch.value_or(-1)] = 0;
    // Early epochs blue, late ones red: the front's movement reads as a colour sweep.
    const int n = static_cast<int>(epochGroup.size());
    int g = 0;
    for (auto& [epoch, group] : epochGroup) {
      group = g;
      const QColor colour = QColor::fromHsv(n > 1 ? 240 - 240 * g / (n - 1) : 240, 200, 220);
      groups.push_back({epoch < 0 ? QString("no epoch") : QString("epoch %1").arg(epoch), colour});
      ++g;
    }
  } else {
    groups = {{"evaluated", QColor(31, 119, 180)}, {"searched", QColor(44, 160, 44)},
              {"predicted", QColor(190, 190, 190)}, {"one-shot pruned / retrained", QColor(148, 103, 189)}};
  }
  std::vector<PlotPoint> points;
  std::vector<FrontPoint> measured;
  std::vector<size_t> measuredIndex;
  for (size_t i = 0; i < subnets_.size(); ++i) {
    const SubnetRecord& s = subnets_[i];
    if (!s.accuracy || (byLatency && !latency_[i])) continue;
    PlotPoint p;
    p.x = byLatency ? *latency_[i] : (bySparse && s.sparseMacs > 0 ? s.sparseMacs : s.macs) / 1e6;
    p.y = 100 * *s.accuracy;
    p.id = s.id;
    p.group = byEpoch ? epochGroup[s.epoch.value_or(-1)]
                      : sourceGroup(s.source);
    if (s.source != "predicted") {
      measured.push_back({p.x, p.y});
      measuredIndex.push_back(points.size());
    }
    points.push_back(p);
  }
  std::vector<size_t> front;
  for (size_t k : paretoFront(measured)) front.push_back(measuredIndex[k]);
  chart_->setTooltipText([this](qint64 id) {
    const auto it = indexOf_.find(id);
    return it == indexOf_.end() ? QString() : describe(it->second);
  });
  chart_->setData(byLatency ? "latency (ms)" : bySparse ? "sparse MACs (M)" : "MACs (M)", groups, std::move(points), front);
  frontSize_ = front.size();
  summary_->setText(summaryText(frontSize_));
}

QString SubnetsPage::describe(size_t i) const {
  const SubnetRecord& s = subnets_[i];
  QString latency = "latency not measured";
  if (latency_[i]) {
    latency = QString("%1 ms%2").arg(*latency_[i], 0, 'f', 3).arg(latencyPredicted_[i] || s.source == "predicted" ? " (lookup table)" : "");
  }
  QString accuracy = s.accuracy ? QString("%1%").arg(100 * *s.accuracy, 0, 'f', 2) : "-";
  if (s.source == "predicted") {
    accuracy += predictorReport_ ? QString(" predicted (±%1%)").arg(100 * predictorReport_->rmse, 0, 'f', 2)
                                 : QString(" predicted");
  }
  QString macs = QString("%1 M MACs").arg(s.macs / 1e6, 0, 'f', 2);
  if (s.sparsity > 0) {
    macs += QString(" (%1 M sparse, %2% pruned)").arg(s.sparseMacs / 1e6, 0, 'f', 2).arg(100 * s.sparsity, 0, 'f', 1);
  }
  return QString("#%1 %2 · accuracy %3 · %4 · %5 M params · %6\n%7")
      .arg(s.id)
      .arg(QString::fromStdString(s.source))
      .arg(accuracy)
      .arg(macs)
      .arg(s.params / 1e6, 0, 'f', 3)
      .arg(latency)
      .arg(QString::fromStdString(s.arch));
}

void SubnetsPage::updateBest() {
  const std::optional<SkylineEntry> best = skyline_.best(panel_->limits());
  highlighted_ = best ? best->id : 0;
  chart_->setHighlighted(highlighted_);
  const SubnetRecord* s = best ? subnet(best->id) : nullptr;
  if (!s) {
    panel_->setBest(subnets_.empty() ? "no subnets yet" : "no subnet within these limits");
    return;
  }
  showDetails(s, "Best within the limits");
}

void SubnetsPage::showDetails(const SubnetRecord* s, const QString& heading) {
  panel_->setBest("<b>" + heading + ":</b> " + describe(indexOf_.at(s->id)).toHtmlEscaped().replace("\n", "<br>"));
  archView_->setArch(Arch::parse(s->arch, space_));
}

void SubnetsPage::select(qint64 id) {
  const SubnetRecord* s = subnet(id);
  if (!s) return;
  selected_ = id;
  chart_->setSelected(id);
  const QModelIndex index = proxy_->mapFromSource(model_->index(model_->rowOf(id), 0));
  if (index.isValid() && table_->currentIndex().row() != index.row()) {
    table_->setCurrentIndex(index);
    table_->scrollTo(index);
  }
  showDetails(s, "Selected");
  Q_EMIT archChosen(QString::fromStdString(s->arch));
}

const SubnetRecord* SubnetsPage::pickedSubnet() {
  const SubnetRecord* s = subnet(selected_ ? selected_ : highlighted_);
  if (!s || dir_.isEmpty()) {
    Q_EMIT message("Select a subnet first (click it on the scatter or in the table).");
    return nullptr;
  }
  return s;
}

void SubnetsPage::jobStarted() {
  jobProgress_->setVisible(true);
  cancelJob_->setVisible(true);
  for (QPushButton* b : panel_->actionButtons()) b->setEnabled(false);
}

void SubnetsPage::retrainSelected() {
  const SubnetRecord* s = pickedSubnet();
  if (!s) return;
  const std::string dir = dir_.toStdString(), arch = s->arch;
  const int64_t run = s->runId;
  const bool started = job_->start("Retrain ticket", [dir, arch, run](const std::atomic<bool>& stop,
                                                                     const BackgroundJob::Progress& progress) {
    Project project = Project::open(dir);
    TicketRequest request;
    request.runId = run;
    request.arch = arch;
    request.stop = &stop;
    request.progress = [&](const std::string& stage, int64_t done, int64_t total) {
      progress(QString::fromStdString(stage), static_cast<int>(done), static_cast<int>(total));
    };
    const std::vector<SubnetRecord> rows = evaluateTicket(project, request);
    const SubnetRecord& r = rows.back();
    return QString("accuracy %1% at %2% sparsity after %3 s").arg(100 * r.accuracy.value_or(0), 0, 'f', 2)
        .arg(100 * r.sparsity, 0, 'f', 1).arg(r.workSeconds, 0, 'f', 0);
  });
  if (started) jobStarted();
}

void SubnetsPage::evaluateSelected() {
  const SubnetRecord* s = pickedSubnet();
  if (!s) return;
  const std::string dir = dir_.toStdString(), arch = s->arch;
  const int64_t run = runId_;
  const bool started = job_->start("Evaluate", [dir, arch, run](const std::atomic<bool>& stop,
                                                                 const BackgroundJob::Progress& progress) {
    Project project = Project::open(dir);
    SubnetEvaluationRequest request;
    request.archTexts = {arch};
    request.runId = run;
    request.stop = &stop;
    request.progress = [&](int done, int total) { progress("evaluated", done, total); };
    const SubnetEvaluationResult r = evaluateSubnets(project, request);
    if (r.subnets.empty()) return QString("cancelled");
    const SubnetRecord& e = r.subnets.front();
    return QString("accuracy %1%, latency %2 ms").arg(100 * e.accuracy.value_or(0), 0, 'f', 2)
        .arg(e.latencyMs.value_or(0), 0, 'f', 3);
  });
  if (started) jobStarted();
}

void SubnetsPage::searchUnderLimits() {
  if (dir_.isEmpty() || runId_ == 0) return;
  const std::string dir = dir_.toStdString();
  const int64_t run = runId_;
  const CostLimits limits = panel_->limits();
  const bool started = job_->start("Search", [dir, run, limits](const std::atomic<bool>& stop,
                                                               const BackgroundJob::Progress& progress) {
    Project project = Project::open(dir);
    SubnetSearchRequest request;
    request.runId = run;
    request.limits = limits;
    request.stop = &stop;
    request.progress = [&](const std::string& phase, int done, int total) {
      progress(QString::fromStdString(phase), done, total);
    };
    const SubnetSearchResult r = searchSubnets(project, request);
    QString text = QString("%1 candidates in %2 s").arg(r.evaluations).arg(r.searchSeconds, 0, 'f', 2);
    if (!r.verified.empty()) {
      text += QString("; best verified: %1%").arg(100 * r.verified.front().accuracy.value_or(0), 0, 'f', 2);
    }
    return text;
  });
  if (started) jobStarted();
}

void SubnetsPage::exportSelected() {
  const SubnetRecord* s = pickedSubnet();
  if (!s) return;
  if (exportDialog_) exportDialog_->deleteLater();
  const QString folder = QString::fromStdString(defaultExportFolder(dir_.toStdString(), s->runId, s->archHash));
  exportDialog_ = new ExportDialog(QString::fromStdString(s->arch), s->id, s->runId, folder, this);
  connect(exportDialog_, &QDialog::accepted, this, [this] { startExport(exportDialog_->request()); });
  exportDialog_->open();
}

void SubnetsPage::startExport(const SubnetExportRequest& request) {
  if (dir_.isEmpty()) return;
  const std::string dir = dir_.toStdString();
  auto result = std::make_shared<SubnetExportResult>();
  const bool started = job_->start("Export", [dir, request, result](const std::atomic<bool>& stop,
                                                                   const BackgroundJob::Progress& progress) {
    Project project = Project::open(dir);
    SubnetExportRequest r = request;
    r.stop = &stop;
    r.progress = [&](const std::string& stage, int64_t done, int64_t total) {
      progress(QString::fromStdString(stage), static_cast<int>(done), static_cast<int>(total));
    };
    *result = exportSubnet(project, r);
    return QString("%1 — verification %2").arg(QString::fromStdString(result->folder),
                                              result->passed ? "passed" : "FAILED");
  });
  if (!started) return;
  exportResult_ = result;
  jobStarted();
}

// The outcome as the user needs it: where the files are, whether each loaded back and gave
// the supernet's logits and accuracy, and a button to open the folder.
void SubnetsPage::showExportSummary(const QString& error) {
  if (exportSummary_) exportSummary_->deleteLater();
  exportSummary_ = new QMessageBox(this);
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
