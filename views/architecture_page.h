#pragma once
#include <QWidget>

#include <string>
#include <vector>

#include "core/space/choice_frequencies.h"
#include "core/space/search_space.h"
#include "db/records.h"
#include "views/sampling_summary.h"

class QComboBox;
class QLabel;
class QLineEdit;

namespace sn {

class ArchitectureView;

// The architecture tab: what to show (the subnets being sampled, the largest, the smallest,
// or an arch typed in) above the ArchitectureView.
class ArchitecturePage : public QWidget {
  Q_OBJECT
 public:
  enum class Mode { Sampled, Largest, Smallest, Custom };

  explicit ArchitecturePage(QWidget* parent = nullptr);

  void setSpace(const SearchSpace& space, const NetShape& shape);
  void clear();
  void setMode(Mode mode);
  Mode mode() const;
  // Shows `text` (canonical arch text, max, min, JSON); false with the reason shown in the
  // page when it is not an arch of the space.
  bool showArchText(const QString& text);
  // During training: this step's sandwich (largest first) and the counts so far.
  void onSampled(const std::vector<std::string>& archs, const ChoiceFrequencies& frequencies);

  // A run's metric rows: the latest per-layer sparsity rows ("sparsity/layer/...") colour
  // the blocks, the latest sampling rows say what the method samples (and, for Progressive
  // Shrinking, which choices its phase enables). `replace` starts over (another run shown).
  void takeMetrics(const std::vector<MetricSample>& rows, bool replace);

  ArchitectureView* view() const { return view_; }
  QString samplingText() const;

 private:
  void applyMode();

  ArchitectureView* view_ = nullptr;
  QLabel* sampling_ = nullptr;  // the method's sampling rows: enabled choices, shares
  SamplingSummary samplingRows_;
  QComboBox* mode_ = nullptr;
  QLineEdit* archEdit_ = nullptr;
  QLabel* error_ = nullptr;
  SearchSpace space_;
  bool hasSpace_ = false;
};

}  // namespace sn
