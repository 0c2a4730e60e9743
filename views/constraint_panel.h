#pragma once
#include <QWidget>
#include <vector>

#include "core/search/subnet_skyline.h"
#include "views/value_span.h"

class QLabel;
class QPushButton;
class QSlider;

namespace sn {

// Sliders for max MACs (M), max params (M) and max latency (ms) over the run's range; a
// slider at its right end means no limit. Shows the best subnet the page found for them.
class ConstraintPanel : public QWidget {
  Q_OBJECT
 public:
  explicit ConstraintPanel(QWidget* parent = nullptr);

  struct Range {
    double min = 0;
    double max = 0;
    bool known = false;  // false: no subnet has this value; the slider is disabled
    // The span of `values`; unknown when there are none.
    static Range of(const std::vector<double>& values);
    static Range of(const ValueSpan& span) { return {span.min, span.max, span.known}; }
  };
  void setRanges(const Range& macsM, const Range& paramsM, const Range& latencyMs);
  CostLimits limits() const;  // in MACs, params and ms
  void setBest(const QString& text);

  QSlider* macsSlider() const { return sliders_[0]; }
  QSlider* paramsSlider() const { return sliders_[1]; }
  QSlider* latencySlider() const { return sliders_[2]; }
  QPushButton* evaluateButton() const { return evaluate_; }
  QPushButton* searchButton() const { return search_; }
  QPushButton* exportButton() const { return export_; }
  QPushButton* retrainButton() const { return retrain_; }
  QList<QPushButton*> actionButtons() const { return {evaluate_, search_, export_, retrain_}; }
  QLabel* bestLabel() const { return best_; }

  static constexpr int kSteps = 1000;

 Q_SIGNALS:
  void limitsChanged();

 private:
  double limitAt(int slider) const;  // +inf at the right end
  void updateLabel(int slider);

  QSlider* sliders_[3] = {};
  QLabel* values_[3] = {};
  Range ranges_[3];
  QLabel* best_ = nullptr;
  QPushButton* evaluate_ = nullptr;
  QPushButton* search_ = nullptr;
  QPushButton* export_ = nullptr;
  QPushButton* retrain_ = nullptr;
};

}  // namespace sn
