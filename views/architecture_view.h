#pragma once
#include <QString>
#include <QWidget>

#include <map>
#include <optional>
#include <string>

#include "core/space/arch.h"
#include "core/space/choice_frequencies.h"
#include "core/space/search_space.h"

namespace sn {

// The supernet drawn as stages x blocks. Each block slot shows its kernel and expand choices;
// the shown subnet's choices are filled, its skipped blocks greyed; beside each choice a bar
// gives how often training sampled it. The caption carries the subnet's MACs and params.
class ArchitectureView : public QWidget {
  Q_OBJECT
 public:
  struct BlockState {
    bool active = false;
    int kernel = 0;  // 0 when skipped
    int expand = 0;
  };

  explicit ArchitectureView(QWidget* parent = nullptr);

  void setSpace(const SearchSpace& space, const NetShape& shape);
  void setArch(const Arch& arch);  // must belong to the space set
  void setFrequencies(const ChoiceFrequencies& frequencies);
  // Per prunable conv ("stage1_block2.depth_conv"): its share of masked weights, drawn as a
  // heat colour (white 0 % to dark red 100 %) on each block. Empty: nothing drawn.
  void setLayerSparsity(std::map<std::string, double> sparsity);
  const std::map<std::string, double>& layerSparsity() const { return layerSparsity_; }
  void clear();

  const std::optional<Arch>& arch() const { return arch_; }
  BlockState blockState(int stage, int block) const;
  QString summary() const { return summary_; }  // arch text, MACs, params
  QSize sizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  void paintFixedPart(QPainter& p, const QRect& r, const QString& title, const QString& body) const;
  void paintStage(QPainter& p, int stage, const QRect& column) const;
  void paintBlock(QPainter& p, int stage, int block, const QRect& cell) const;
  // Three heat squares (expand, depthwise, project) at the top right of `cell`.
  void paintSparsity(QPainter& p, const std::string& block, const QRect& cell) const;
  int cellHeight() const;
  void paintChoices(QPainter& p, QRect row, const QString& name, const std::vector<int>& values,
                    int chosen, const std::vector<double>& shares) const;

  std::optional<SearchSpace> space_;
  NetShape shape_;
  std::optional<Arch> arch_;
  ChoiceFrequencies frequencies_;
  std::map<std::string, double> layerSparsity_;
  QString summary_;
};

}  // namespace sn
