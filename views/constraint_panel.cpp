#include "views/constraint_panel.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <limits>

namespace sn {

ConstraintPanel::Range ConstraintPanel::Range::of(const std::vector<double>& values) {
  if (values.empty()) return {};
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  return {*lo, *hi, true};
}
namespace {

const char* kNames[] = {"max MACs", "max params", "max latency"};
const char* kUnits[] = {"M", "M", "ms"};

}  // namespace

ConstraintPanel::ConstraintPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* form = new QFormLayout;
  for (int i = 0; i < 3; ++i) {
    sliders_[i] = new QSlider(Qt::Horizontal);
    sliders_[i]->setRange(0, kSteps);
    sliders_[i]->setValue(kSteps);
    sliders_[i]->setObjectName(QString(kNames[i]).replace(' ', '_'));
    values_[i] = new QLabel;
    values_[i]->setMinimumWidth(90);
    auto* row = new QHBoxLayout;
    row->addWidget(sliders_[i], 1);
    row->addWidget(values_[i]);
    form->addRow(kNames[i], row);
    connect(sliders_[i], &QSlider::valueChanged, this, [this, i] {
      updateLabel(i);
      Q_EMIT limitsChanged();
    });
    updateLabel(i);
  }
  layout->addLayout(form);
  best_ = new QLabel("no subnets yet");
  best_->setWordWrap(true);
  best_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(best_);
  auto* buttons = new QHBoxLayout;
  evaluate_ = new QPushButton("Evaluate this subnet");
  evaluate_->setToolTip("BN recalibration, test accuracy and measured latency of the selected subnet");
  search_ = new QPushButton("Search under these limits");
  search_->setToolTip("Evolutionary search with the accuracy predictor; the best 3 are evaluated for real");
  buttons->addWidget(evaluate_);
  export_ = new QPushButton("Export…");
  export_->setToolTip("Write the selected subnet as ONNX and TorchScript, verified against the supernet");
  retrain_ = new QPushButton("Retrain ticket");
  retrain_->setToolTip("Train the selected subnet on its own for an epoch, its pruned weights kept at zero, "
                       "and store its accuracy (source \"retrained\"); ticket-report compares it");
  buttons->addWidget(search_);
  buttons->addWidget(export_);
  buttons->addWidget(retrain_);
  layout->addLayout(buttons);
}

void ConstraintPanel::setRanges(const Range& macsM, const Range& paramsM, const Range& latencyMs) {
  ranges_[0] = macsM;
  ranges_[1] = paramsM;
  ranges_[2] = latencyMs;
  for (int i = 0; i < 3; ++i) {
    sliders_[i]->setEnabled(ranges_[i].known);
    updateLabel(i);
  }
}

double ConstraintPanel::limitAt(int i) const {
  const int v = sliders_[i]->value();
  if (v >= kSteps || !ranges_[i].known) return std::numeric_limits<double>::infinity();
  const Range& r = ranges_[i];
  return r.min + (r.max - r.min) * v / kSteps;
}

void ConstraintPanel::updateLabel(int i) {
  const double limit = limitAt(i);
  values_[i]->setText(std::isinf(limit) ? QString("no limit")
                                        : QString::number(limit, 'f', i == 0 ? 2 : 3) + " " + kUnits[i]);
}

CostLimits ConstraintPanel::limits() const {
  CostLimits l;
  l.maxMacs = limitAt(0) * 1e6;
  l.maxParams = limitAt(1) * 1e6;
  l.maxLatencyMs = limitAt(2);
  return l;
}

void ConstraintPanel::setBest(const QString& text) { best_->setText(text); }

}  // namespace sn
