#include "views/architecture_view.h"

#include <QPaintEvent>
#include <QPainter>
#include <QStringList>

#include <algorithm>

#include "core/space/cost_model.h"

namespace sn {
namespace {

constexpr int kMargin = 12;
constexpr int kCaption = 44;
constexpr int kColumn = 168;
constexpr int kFixedColumn = 110;
constexpr int kStageHeader = 58;
constexpr int kCell = 78;
constexpr int kSparsityRow = 16;  // below the choices, when per-layer sparsity is shown
constexpr int kGap = 8;

const QColor kChosen(31, 119, 180);
const QColor kChoice(225, 232, 240);
const QColor kSkipped(236, 236, 236);
const QColor kActiveFill(250, 252, 255);
const QColor kShare(255, 127, 14);

// White at 0 % masked to dark red at 100 %.
QColor heat(double share) {
  const double t = std::clamp(share, 0.0, 1.0);
  return QColor::fromRgbF(1.0 - 0.35 * t, 1.0 - 0.95 * t, 1.0 - 0.95 * t);
}

}  // namespace

ArchitectureView::ArchitectureView(QWidget* parent) : QWidget(parent) {
  setBackgroundRole(QPalette::Base);
  setAutoFillBackground(true);
}

void ArchitectureView::setSpace(const SearchSpace& space, const NetShape& shape) {
  space_ = space;
  shape_ = shape;
  arch_.reset();
  frequencies_ = ChoiceFrequencies(space);
  summary_.clear();
  updateGeometry();
  update();
}

void ArchitectureView::setArch(const Arch& arch) {
  if (!space_) return;
  arch.validate(*space_);
  arch_ = arch;
  const Cost cost = computeCost(*space_, arch, shape_);
  summary_ = QStringLiteral("%1    MACs %2 M    params %3 M")
                 .arg(QString::fromStdString(arch.toText()))
                 .arg(cost.macs / 1e6, 0, 'f', 2)
                 .arg(cost.params / 1e6, 0, 'f', 3);
  update();
}

void ArchitectureView::setFrequencies(const ChoiceFrequencies& frequencies) {
  frequencies_ = frequencies;
  update();
}

int ArchitectureView::cellHeight() const { return kCell + (layerSparsity_.empty() ? 0 : kSparsityRow); }

void ArchitectureView::setLayerSparsity(std::map<std::string, double> sparsity) {
  layerSparsity_ = std::move(sparsity);
  updateGeometry();  // the cells grow a row
  update();
}

void ArchitectureView::clear() {
  space_.reset();
  arch_.reset();
  summary_.clear();
  layerSparsity_.clear();
  update();
}

ArchitectureView::BlockState ArchitectureView::blockState(int stage, int block) const {
  if (!arch_ || stage < 0 || stage >= static_cast<int>(arch_->stages.size())) return {};
  const StageArch& s = arch_->stages[stage];
  if (block < 0 || block >= s.depth()) return {};
  return {true, s.kernels[block], s.expands[block]};
}

QSize ArchitectureView::sizeHint() const {
  if (!space_) return {640, 360};
  const int stages = static_cast<int>(space_->stages.size());
  const int depth = space_->depths.empty() ? 1 : space_->depths.back();
  return {2 * kMargin + 3 * (kFixedColumn + kGap) + stages * (kColumn + kGap),
          2 * kMargin + kCaption + kStageHeader + depth * (cellHeight() + kGap)};
}

void ArchitectureView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  if (!space_) {
    p.drawText(rect(), Qt::AlignCenter, tr("Open a project to see its supernet."));
    return;
  }
  const SearchSpace& s = *space_;
  QFont bold = font();
  bold.setBold(true);
  p.setFont(bold);
  const QString title = arch_ ? summary_ : tr("%1: no subnet selected").arg(QString::fromStdString(s.name));
  p.drawText(QRect(kMargin, kMargin, width() - 2 * kMargin, 20), Qt::AlignLeft, title);
  p.setFont(font());
  QStringList legend;
  if (frequencies_.archs() > 0) legend << tr("orange bars: share of the %1 subnets sampled so far").arg(frequencies_.archs());
  if (!layerSparsity_.empty()) legend << tr("red squares: pruned share of each block's expand | depthwise | project conv");
  if (!legend.isEmpty()) {
    p.drawText(QRect(kMargin, kMargin + 20, width() - 2 * kMargin, 20), Qt::AlignLeft, legend.join(" · "));
  }
  const int top = kMargin + kCaption;
  const int blockHeight = kStageHeader + (s.depths.back()) * (cellHeight() + kGap);
  int x = kMargin;
  paintFixedPart(p, QRect(x, top, kFixedColumn, blockHeight), tr("stem"),
                 tr("conv %1x%1\n%2 ch, stride %3\n%4")
                     .arg(s.stem.kernel)
                     .arg(s.stem.outChannels)
                     .arg(s.stem.stride)
                     .arg(activationName(s.stem.act)));
  x += kFixedColumn + kGap;
  paintFixedPart(p, QRect(x, top, kFixedColumn, blockHeight), tr("first block"),
                 tr("k%1 e%2\n%3 ch\n%4")
                     .arg(s.firstBlock.kernel)
                     .arg(s.firstBlock.expand)
                     .arg(s.firstBlock.outChannels)
                     .arg(activationName(s.firstBlock.act)));
  paintSparsity(p, "first_block", QRect(x, top + kStageHeader, kFixedColumn, cellHeight()));
  x += kFixedColumn + kGap;
  for (int i = 0; i < static_cast<int>(s.stages.size()); ++i) {
    paintStage(p, i, QRect(x, top, kColumn, blockHeight));
    x += kColumn + kGap;
  }
  paintFixedPart(p, QRect(x, top, kFixedColumn, blockHeight), tr("head"),
                 tr("1x1 conv %1\npool, 1x1 %2\nlinear → %3")
                     .arg(s.head.finalExpand)
                     .arg(s.head.feature)
                     .arg(shape_.classes));
}

void ArchitectureView::paintFixedPart(QPainter& p, const QRect& r, const QString& title,
                                      const QString& body) const {
  const QRect box(r.x(), r.y() + kStageHeader, r.width(), cellHeight());
  p.setPen(QPen(palette().color(QPalette::Mid), 1));
  p.setBrush(kActiveFill);
  p.drawRoundedRect(box, 6, 6);
  p.setPen(palette().color(QPalette::Text));
  p.drawText(QRect(r.x(), r.y() + kStageHeader - 20, r.width(), 18), Qt::AlignCenter, title);
  p.drawText(box.adjusted(4, 4, -4, -4), Qt::AlignCenter, body);
}

void ArchitectureView::paintStage(QPainter& p, int stage, const QRect& column) const {
  const StageSpec& spec = space_->stages[stage];
  const int depth = arch_ ? arch_->stages[stage].depth() : 0;
  p.setPen(palette().color(QPalette::Text));
  QString header = tr("stage %1 · %2 ch · s%3\n%4%5")
                       .arg(stage + 1)
                       .arg(spec.width)
                       .arg(spec.stride)
                       .arg(activationName(spec.act))
                       .arg(spec.se ? tr(" · SE") : QString());
  p.drawText(QRect(column.x(), column.y(), column.width(), 34), Qt::AlignCenter, header);
  // Depth choices as a row of chips, like kernel/expand inside blocks.
  std::vector<double> shares;
  for (int d : space_->depths) shares.push_back(frequencies_.depthShare(stage, d));
  paintChoices(p, QRect(column.x() + 4, column.y() + 36, column.width() - 8, 20), tr("d"),
               space_->depths, depth, shares);
  for (int b = 0; b < space_->depths.back(); ++b) {
    const QRect cell(column.x(), column.y() + kStageHeader + b * (cellHeight() + kGap), column.width(),
                     cellHeight());
    paintBlock(p, stage, b, cell);
  }
}

void ArchitectureView::paintBlock(QPainter& p, int stage, int block, const QRect& cell) const {
  const BlockState state = blockState(stage, block);
  const bool shown = arch_.has_value();
  p.setPen(QPen(state.active ? kChosen : palette().color(QPalette::Mid), state.active ? 2 : 1));
  p.setBrush(!shown || state.active ? kActiveFill : kSkipped);
  p.drawRoundedRect(cell.adjusted(1, 1, -1, -1), 6, 6);
  p.setPen(shown && !state.active ? palette().color(QPalette::Mid)
                                  : palette().color(QPalette::Text));
  QString label = tr("block %1").arg(block + 1);
  if (shown && !state.active) label += tr(" (skipped)");
  if (frequencies_.archs() > 0) {
    label += tr("  used %1%").arg(qRound(100 * frequencies_.blockUseShare(stage, block)));
  }
  p.drawText(QRect(cell.x() + 6, cell.y() + 4, cell.width() - 12, 16), Qt::AlignLeft, label);
  paintSparsity(p, "stage" + std::to_string(stage + 1) + "_block" + std::to_string(block + 1), cell);
  std::vector<double> kShares, eShares;
  for (int k : space_->kernels) kShares.push_back(frequencies_.kernelShare(stage, block, k));
  for (int e : space_->expands) eShares.push_back(frequencies_.expandShare(stage, block, e));
  paintChoices(p, QRect(cell.x() + 6, cell.y() + 24, cell.width() - 12, 22), tr("k"),
               space_->kernels, state.kernel, kShares);
  paintChoices(p, QRect(cell.x() + 6, cell.y() + 50, cell.width() - 12, 22), tr("e"),
               space_->expands, state.expand, eShares);
}

void ArchitectureView::paintSparsity(QPainter& p, const std::string& block, const QRect& cell) const {
  if (layerSparsity_.empty()) return;
  constexpr int kSquare = 11;
  int x = cell.right() - 6 - 3 * (kSquare + 2);
  QStringList tip;
  for (const char* conv : {".expand_conv", ".depth_conv", ".project_conv"}) {
    const auto it = layerSparsity_.find(block + conv);
    if (it != layerSparsity_.end()) {
      p.setPen(QPen(palette().color(QPalette::Mid), 1));
      p.setBrush(heat(it->second));
      p.drawRect(QRect(x, cell.y() + 5, kSquare, kSquare));
      tip << QString::number(qRound(100 * it->second));
    }
    x += kSquare + 2;
  }
  if (tip.isEmpty()) return;
  p.setPen(palette().color(QPalette::Text));
  p.drawText(QRect(cell.x() + 6, cell.bottom() - kSparsityRow, cell.width() - 12, kSparsityRow - 2),
             Qt::AlignRight, tr("pruned %1 %").arg(tip.join(" | ")));
}

void ArchitectureView::paintChoices(QPainter& p, QRect row, const QString& name,
                                    const std::vector<int>& values, int chosen,
                                    const std::vector<double>& shares) const {
  p.setPen(palette().color(QPalette::Text));
  p.drawText(QRect(row.x(), row.y(), 14, row.height()), Qt::AlignVCenter | Qt::AlignLeft, name);
  const int n = static_cast<int>(values.size());
  const int chipWidth = std::min(36, (row.width() - 16) / std::max(n, 1) - 4);
  for (int i = 0; i < n; ++i) {
    const QRect chip(row.x() + 16 + i * (chipWidth + 4), row.y(), chipWidth, row.height() - 4);
    const bool on = values[i] == chosen;
    p.setPen(Qt::NoPen);
    p.setBrush(on ? kChosen : kChoice);
    p.drawRoundedRect(chip, 4, 4);
    p.setPen(on ? Qt::white : palette().color(QPalette::Text));
    p.drawText(chip, Qt::AlignCenter, QString::number(values[i]));
    if (i < static_cast<int>(shares.size()) && frequencies_.archs() > 0) {
      const int w = qRound(shares[i] * chip.width());
      p.fillRect(QRect(chip.x(), chip.bottom() + 1, w, 3), kShare);
    }
  }
}

}  // namespace sn
