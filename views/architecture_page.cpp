#include "views/architecture_page.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

#include "core/space/arch.h"
#include "views/architecture_view.h"

namespace sn {

ArchitecturePage::ArchitecturePage(QWidget* parent) : QWidget(parent) {
  mode_ = new QComboBox();
  mode_->addItems({tr("Subnets being sampled"), tr("Largest subnet"), tr("Smallest subnet"),
                   tr("Arch text")});
  archEdit_ = new QLineEdit();
  archEdit_->setPlaceholderText(tr("d=2,2,1 k=3,5|5,3|3 e=2,3|3,2|2   (or max, min, JSON)"));
  auto* show = new QPushButton(tr("Show"));
  error_ = new QLabel();
  error_->setStyleSheet("color: #b00020");
  error_->setWordWrap(true);
  auto* top = new QHBoxLayout();
  top->addWidget(new QLabel(tr("Show:")));
  top->addWidget(mode_);
  top->addWidget(archEdit_, 1);
  top->addWidget(show);
  sampling_ = new QLabel();
  sampling_->setWordWrap(true);
  sampling_->setVisible(false);
  view_ = new ArchitectureView();
  auto* scroll = new QScrollArea();
  scroll->setWidget(view_);
  scroll->setWidgetResizable(true);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addWidget(error_);
  layout->addWidget(sampling_);
  layout->addWidget(scroll, 1);
  connect(mode_, &QComboBox::currentIndexChanged, this, [this] { applyMode(); });
  connect(show, &QPushButton::clicked, this, [this] { showArchText(archEdit_->text()); });
  connect(archEdit_, &QLineEdit::returnPressed, this, [this] { showArchText(archEdit_->text()); });
}

void ArchitecturePage::setSpace(const SearchSpace& space, const NetShape& shape) {
  space_ = space;
  hasSpace_ = true;
  view_->setSpace(space, shape);
  view_->setMinimumSize(view_->sizeHint());
  applyMode();
}

void ArchitecturePage::takeMetrics(const std::vector<MetricSample>& rows, bool replace) {
  static const std::string kPrefix = "sparsity/layer/";
  std::map<std::string, double> sparsity = replace ? std::map<std::string, double>{} : view_->layerSparsity();
  bool changed = replace && !view_->layerSparsity().empty();
  for (const MetricSample& r : rows) {
    if (r.key.compare(0, kPrefix.size(), kPrefix) != 0) continue;
    sparsity[r.key.substr(kPrefix.size())] = r.value;  // rows come in step order: the last wins
    changed = true;
  }
  if (changed) view_->setLayerSparsity(std::move(sparsity));
  if (replace) samplingRows_.clear();
  if (samplingRows_.take(rows) || replace) {
    sampling_->setText(samplingRows_.text());
    sampling_->setVisible(!samplingRows_.empty());
  }
}

QString ArchitecturePage::samplingText() const { return sampling_->text(); }

void ArchitecturePage::clear() {
  hasSpace_ = false;
  view_->clear();
}

void ArchitecturePage::setMode(Mode mode) { mode_->setCurrentIndex(static_cast<int>(mode)); }

ArchitecturePage::Mode ArchitecturePage::mode() const {
  return static_cast<Mode>(mode_->currentIndex());
}

void ArchitecturePage::applyMode() {
  error_->clear();
  if (!hasSpace_) return;
  switch (mode()) {
    case Mode::Largest: view_->setArch(Arch::largest(space_)); break;
    case Mode::Smallest: view_->setArch(Arch::smallest(space_)); break;
    case Mode::Custom:
      if (!archEdit_->text().isEmpty()) showArchText(archEdit_->text());
      break;
    case Mode::Sampled: break;  // the next training step fills it
  }
}

bool ArchitecturePage::showArchText(const QString& text) {
  if (!hasSpace_) return false;
  try {
    const Arch arch = Arch::parse(text.trimmed().toStdString(), space_);
    if (mode() != Mode::Custom) {
      const QSignalBlocker block(mode_);
      mode_->setCurrentIndex(static_cast<int>(Mode::Custom));
    }
    archEdit_->setText(text.trimmed());
    error_->clear();
    view_->setArch(arch);
    return true;
  } catch (const std::exception& e) {
    error_->setText(QString::fromStdString(e.what()));
    return false;
  }
}

void ArchitecturePage::onSampled(const std::vector<std::string>& archs,
                                 const ChoiceFrequencies& frequencies) {
  if (!hasSpace_) return;
  view_->setFrequencies(frequencies);
  if (mode() != Mode::Sampled || archs.empty()) return;
  // The last of the sandwich is a random subnet when the recipe samples any: the most
  // informative of the four to watch.
  try {
    view_->setArch(Arch::parse(archs.back(), space_));
  } catch (const std::exception&) {
    // A run of another space: leave the view as it is.
  }
}

}  // namespace sn
