#include "views/training_view.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

#include "views/metric_chart.h"

namespace sn {
namespace {

// Tableau-like colours, distinguishable on light backgrounds and for most colour vision.
const QColor kLargest(31, 119, 180);
const QColor kSmallest(255, 127, 14);
const QColor kRandom(44, 160, 44);
const QColor kTest(214, 39, 40);
const QColor kTestSmall(148, 103, 189);

}  // namespace

TrainingView::TrainingView(QWidget* parent) : QWidget(parent) {
  auto* top = new QHBoxLayout();
  caption_ = new QLabel(tr("No run selected"));
  caption_->setObjectName("trainingCaption");
  xCombo_ = new QComboBox();
  xCombo_->addItems({tr("by step"), tr("by epoch")});
  auto* reset = new QPushButton(tr("Reset zoom"));
  reset->setToolTip(tr("Follow the data again (or double-click a chart). Left drag zooms, "
                       "right drag pans, the wheel zooms."));
  top->addWidget(caption_, 1);
  top->addWidget(new QLabel(tr("X axis:")));
  top->addWidget(xCombo_);
  top->addWidget(reset);

  auto* grid = new QGridLayout();
  // The largest network's cross-entropy (about 2 early on) and the smaller subnets' losses
  // (with in-place distillation, a divergence from the largest: near 0) on axes of their own,
  // or the second pair is a flat line at the bottom of the first's.
  auto* loss = new MetricChart(tr("Loss, largest"), tr("loss"));
  auto* smallerLoss = new MetricChart(tr("Loss, smaller subnets"), tr("loss"));
  auto* acc = new MetricChart(tr("Accuracy"), tr("top-1"));
  auto* lr = new MetricChart(tr("Learning rate"), tr("lr"));
  auto* speed = new MetricChart(tr("Throughput"), tr("images/s"));
  addChart(loss, {{"loss/largest", tr("largest")}});
  addChart(smallerLoss, {{"loss/smallest", tr("smallest")}, {"loss/random", tr("random")}});
  addChart(acc, {{"acc/train_largest", tr("train, largest")},
                 {"acc/test_largest", tr("test, largest")},
                 {"acc/test_smallest", tr("test, smallest")}});
  addChart(lr, {{"lr", tr("learning rate")}});
  addChart(speed, {{"throughput/images_per_s", tr("images/s")}});
  grid->addWidget(loss, 0, 0);
  grid->addWidget(smallerLoss, 0, 1);
  grid->addWidget(acc, 0, 2);
  grid->addWidget(lr, 1, 0);
  grid->addWidget(speed, 1, 1);
  // Pruning runs only: the masks' sparsity against its schedule, and per pruning step how
  // many weights were pruned and how many came back (SuperTickets' connectivity changes).
  auto* sparsity = new MetricChart(tr("Sparsity"), tr("share of prunable weights"));
  auto* dynamics = new MetricChart(tr("Mask dynamics"), tr("weights per pruning step"));
  addChart(sparsity, {{"sparsity/overall", tr("masked")}, {"sparsity/target", tr("scheduled")}});
  addChart(dynamics, {{"prune/pruned", tr("newly pruned")}, {"prune/reactivated", tr("re-activated")}});
  grid->addWidget(sparsity, 1, 2);
  grid->addWidget(dynamics, 2, 0, 1, 3);
  pruningCharts_ = {sparsity, dynamics};
  for (MetricChart* c : pruningCharts_) c->setVisible(false);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addLayout(grid, 1);

  connect(xCombo_, &QComboBox::currentIndexChanged, this,
          [this](int i) { setXAxis(i == 0 ? XAxis::Step : XAxis::Epoch); });
  connect(reset, &QPushButton::clicked, this, [this] {
    for (MetricChart* c : charts_) c->resetZoom();
  });
  setXAxis(XAxis::Step);
}

void TrainingView::addChart(MetricChart* chart, const QList<QPair<QString, QString>>& keyLabels) {
  const QList<QColor> colours = {kLargest, kSmallest, kRandom};
  int i = 0;
  for (const auto& [key, label] : keyLabels) {
    QColor colour = colours[i++ % colours.size()];
    if (key == "acc/test_largest") colour = kTest;
    if (key == "acc/test_smallest") colour = kTestSmall;
    // Test accuracy and pruning steps have one point an epoch: markers make each visible.
    chart->addSeries(key, label, colour, key.startsWith("acc/test") || key.startsWith("sparsity/") || key.startsWith("prune/"));
    chartOfKey_.insert(key, chart);
  }
  charts_.append(chart);
}

void TrainingView::showRun(qint64 runId, const std::vector<MetricSample>& rows) {
  runId_ = runId;
  samples_.clear();
  for (MetricChart* c : charts_) c->clearData();
  for (MetricChart* c : pruningCharts_) c->setVisible(false);
  appendRows(rows);
}

void TrainingView::appendRows(const std::vector<MetricSample>& rows) {
  QMap<QString, QVector<Sample>> fresh;
  for (const MetricSample& r : rows) {
    const QString key = QString::fromStdString(r.key);
    QVector<Sample>& held = samples_[key];
    // A row at or before the last held step is one already shown (a watcher may see the
    // same rows twice); the database stays the reference.
    if (!held.isEmpty() && static_cast<double>(r.step) <= held.back().step) continue;
    const Sample s{static_cast<double>(r.step), r.epoch, r.value};
    held.append(s);
    fresh[key].append(s);
  }
  for (auto it = fresh.begin(); it != fresh.end(); ++it) {
    MetricChart* c = chartOfKey_.value(it.key());
    if (!c) continue;
    c->append(it.key(), pointsOf(it.value()));
    if (pruningCharts_.contains(c)) c->setVisible(true);
  }
}

QVector<QPointF> TrainingView::pointsOf(const QVector<Sample>& samples) const {
  QVector<QPointF> points;
  points.reserve(samples.size());
  for (const Sample& s : samples) {
    points.append({xAxis_ == XAxis::Step ? s.step : s.epoch, s.value});
  }
  return points;
}

void TrainingView::setXAxis(XAxis axis) {
  xAxis_ = axis;
  if (xCombo_->currentIndex() != (axis == XAxis::Step ? 0 : 1)) {
    xCombo_->setCurrentIndex(axis == XAxis::Step ? 0 : 1);
  }
  rebuildCharts();
}

void TrainingView::rebuildCharts() {
  for (MetricChart* c : charts_) {
    c->setXTitle(xAxis_ == XAxis::Step ? tr("step") : tr("epoch"));
    c->resetZoom();
  }
  for (auto it = chartOfKey_.begin(); it != chartOfKey_.end(); ++it) {
    it.value()->setData(it.key(), pointsOf(samples_.value(it.key())));
  }
}

void TrainingView::setCaption(const QString& text) { caption_->setText(text); }

qsizetype TrainingView::sampleCount(const QString& key) const {
  return samples_.value(key).size();
}

MetricChart* TrainingView::chartFor(const QString& key) const { return chartOfKey_.value(key); }

QList<MetricChart*> TrainingView::charts() const { return charts_; }

void TrainingView::refreshNow() {
  for (MetricChart* c : charts_) c->refreshNow();
}

}  // namespace sn
