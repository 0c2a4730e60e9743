#include "views/latency_view.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QScatterSeries>
#include <QSplitter>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>
#include <algorithm>

#include "core/latency/latency_model.h"

namespace sn {

LatencyView::LatencyView(QWidget* parent) : QWidget(parent) {
  choice_ = new QComboBox;
  summary_ = new QLabel("No latency table yet: build one with supernet-cli latency-table DIR, or "
                        "run a search under a latency limit.");
  summary_->setWordWrap(true);
  entries_ = new QTableWidget(0, 2);
  entries_->setHorizontalHeaderLabels({"block configuration", "ms"});
  entries_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  entries_->verticalHeader()->hide();
  entries_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  entries_->setSortingEnabled(true);
  auto* chart = new QChart;
  chart->setTitle("predicted against measured latency (ms)");
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->legend()->setAlignment(Qt::AlignBottom);
  chartView_ = new QChartView(chart);
  chartView_->setMinimumSize(320, 260);
  auto* split = new QSplitter(Qt::Horizontal);
  split->addWidget(entries_);
  split->addWidget(chartView_);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(choice_);
  layout->addWidget(summary_);
  layout->addWidget(split, 1);
  connect(choice_, &QComboBox::currentIndexChanged, this, [this](int i) { showTable(i); });
}

void LatencyView::setTables(std::vector<LatencyTableRecord> tables) {
  tables_ = std::move(tables);
  const QSignalBlocker block(choice_);
  choice_->clear();
  for (const LatencyTableRecord& t : tables_) {
    choice_->addItem(QString("#%1 %2 · batch %3 · input %4")
                         .arg(t.id)
                         .arg(QString::fromStdString(t.device))
                         .arg(t.batch)
                         .arg(QString::fromStdString(t.inputShape)));
  }
  showTable(tables_.empty() ? -1 : 0);
}

int LatencyView::checkPointCount() const { return checks_ ? checks_->count() : 0; }

void LatencyView::showTable(int index) {
  QChart* chart = chartView_->chart();
  chart->removeAllSeries();
  for (QAbstractAxis* axis : chart->axes()) chart->removeAxis(axis);
  checks_ = nullptr;
  entries_->setSortingEnabled(false);
  entries_->setRowCount(0);
  if (index < 0 || index >= static_cast<int>(tables_.size())) return;
  const LatencyTableRecord& t = tables_[index];
  entries_->setRowCount(static_cast<int>(t.entries.size()));
  for (int row = 0; row < static_cast<int>(t.entries.size()); ++row) {
    entries_->setItem(row, 0, new QTableWidgetItem(QString::fromStdString(t.entries[row].first)));
    auto* ms = new QTableWidgetItem;
    ms->setData(Qt::DisplayRole, t.entries[row].second);
    entries_->setItem(row, 1, ms);
  }
  entries_->setSortingEnabled(true);
  const LatencyAccuracy a = latencyAccuracy(t.checks, 0.10);
  QString text = QString("%1 block configurations, timed %2; latency = %3 ms fixed + %4 × blocks. ")
                     .arg(t.entries.size())
                     .arg(t.method == "isolated" ? "alone" : "inside subnets")
                     .arg(t.fixedMs, 0, 'f', 4)
                     .arg(t.blockScale, 0, 'f', 3);
  text += t.checks.empty() ? QString("Not checked against measured subnets.")
                           : QString("Checked on %1 subnets: %2% within 10%, mean error %3%, worst %4%.")
                                 .arg(t.checks.size())
                                 .arg(100 * a.withinTolerance, 0, 'f', 0)
                                 .arg(100 * a.meanRelativeError, 0, 'f', 1)
                                 .arg(100 * a.worstRelativeError, 0, 'f', 1);
  // Beside the error, so a user sees whether the table or the machine is at fault.
  if (!t.checks.empty()) text += " " + QString::fromStdString(latencyNoiseText(latencyNoise(t.checks))) + ".";
  summary_->setText(text);
  checks_ = new QScatterSeries;
  checks_->setName("subnets");
  checks_->setMarkerSize(7);
  double hi = 0;
  for (const LatencyCheck& c : t.checks) {
    checks_->append(c.measuredMs, c.predictedMs);
    hi = std::max({hi, c.measuredMs, c.predictedMs});
  }
  auto* identity = new QLineSeries;
  identity->setName("predicted = measured");
  identity->append(0, 0);
  identity->append(hi * 1.05, hi * 1.05);
  auto* x = new QValueAxis;
  x->setTitleText("measured (ms)");
  x->setRange(0, hi * 1.05 + 1e-6);
  auto* y = new QValueAxis;
  y->setTitleText("predicted (ms)");
  y->setRange(0, hi * 1.05 + 1e-6);
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  for (QXYSeries* s : std::initializer_list<QXYSeries*>{identity, checks_}) {
    chart->addSeries(s);
    s->attachAxis(x);
    s->attachAxis(y);
  }
}

}  // namespace sn
