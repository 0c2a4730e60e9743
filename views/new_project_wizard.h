#pragma once
#include <QString>
#include <QWizard>

#include "core/project/project_config.h"

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace sn {

// File > New Project: folder; dataset (bundled Fashion-MNIST, an IDX pair, a CIFAR-10
// binary folder, or synthetic data to try the tool); search-space preset; training recipe
// (defaults from the preset's template), precision and device. Every field has a setter so tests and
// scripts drive the same path a user clicks through.
class NewProjectWizard : public QWizard {
  Q_OBJECT
 public:
  explicit NewProjectWizard(QWidget* parent = nullptr);

  void setFolder(const QString& dir);
  // kind: fashion-mnist | idx | cifar10 | synthetic
  void setDataset(const QString& kind, const QString& dir = {});
  void setSyntheticSamples(int samples);
  void setTrainLimit(int samples);  // 0: all
  void setPreset(const QString& space);
  void setEpochs(int epochs);
  void setBatchSize(int batch);
  void setLearningRate(double lr);
  void setSubnetsPerStep(int n);
  void setDistillation(const QString& kind);  // kl | alpha | none
  void setPrecision(const QString& precision);  // fp32 | bf16
  void setDevice(const QString& device);  // cpu | cuda (the first GPU) | cuda:N
  void setStartTraining(bool start);
  // An image folder ("images"): decoded at this resolution, grey or RGB, with this share of
  // each class held out when the folder has no train/ and val/.
  void setImageOptions(int resolution, bool grey, double valShare);

  QString folder() const;
  QString device() const;
  bool startTraining() const;
  // The config the fields describe (template of the preset, then the fields over it).
  ProjectConfig config() const;
  // A problem with the dataset fields (missing files, bad header), or empty.
  QString datasetProblem() const;
  // Creates the project on disk. False with `error` naming the folder or file otherwise;
  // nothing is created then.
  bool createProject(QString* error);

  void accept() override;
  bool validateCurrentPage() override;

 private:
  QWizardPage* folderPage();
  QWizardPage* datasetPage();
  QWizardPage* spacePage();
  QWizardPage* recipePage();
  void loadTemplateDefaults();
  void updateSpaceInfo();
  QString datasetKind() const;
  // The shape the chosen data gives (an image folder's before it is imported).
  NetShape dataShape() const;
  // Decodes the image folder into the new project at `dir`, showing progress with a
  // cancel button; the project is removed again when this fails or is cancelled.
  bool importImageFolder(const std::string& dir, QString* error);

  QLineEdit* folder_ = nullptr;
  QButtonGroup* datasetKind_ = nullptr;
  QLineEdit* dataDir_ = nullptr;
  QSpinBox* syntheticSamples_ = nullptr;
  QSpinBox* trainLimit_ = nullptr;
  QSpinBox* imageResolution_ = nullptr;
  QCheckBox* imageGrey_ = nullptr;
  QDoubleSpinBox* valShare_ = nullptr;
  QLabel* datasetStatus_ = nullptr;
  QComboBox* preset_ = nullptr;
  QLabel* spaceInfo_ = nullptr;
  QSpinBox* epochs_ = nullptr;
  QSpinBox* batch_ = nullptr;
  QDoubleSpinBox* lr_ = nullptr;
  QSpinBox* subnets_ = nullptr;
  QComboBox* distillation_ = nullptr;
  QComboBox* precision_ = nullptr;
  QComboBox* device_ = nullptr;
  QCheckBox* start_ = nullptr;
};

}  // namespace sn
