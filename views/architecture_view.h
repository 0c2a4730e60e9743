#pragma once
#include <QString>
#include <QWidget>

#include <optional>

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
  void paintChoices(QPainter& p, QRect row, const QString& name, const std::vector<int>& values,
                    int chosen, const std::vector<double>& shares) const;

  std::optional<SearchSpace> space_;
  NetShape shape_;
  std::optional<Arch> arch_;
  ChoiceFrequencies frequencies_;
  QString summary_;
};

}  // namespace sn
