#pragma once
#include <QDialog>

#include "core/project/subnet_export.h"

class QCheckBox;
class QComboBox;
class QLineEdit;
class QSpinBox;

namespace sn {

// Export… for one subnet: formats, batch mode, optional fine-tuning, the folder. Accepting
// over an existing folder asks before replacing it.
class ExportDialog : public QDialog {
  Q_OBJECT
 public:
  ExportDialog(const QString& archText, qint64 subnetId, qint64 runId, const QString& defaultFolder,
               QWidget* parent = nullptr);

  // What the dialog's fields ask for (arch, run and stop/progress are the caller's).
  SubnetExportRequest request() const;

  QCheckBox* onnx() const { return onnx_; }
  QCheckBox* torchScript() const { return torchScript_; }
  QComboBox* batchMode() const { return batchMode_; }
  QSpinBox* batch() const { return batch_; }
  QSpinBox* fineTuneEpochs() const { return fineTune_; }
  QLineEdit* folder() const { return folder_; }

  void accept() override;

 private:
  qint64 subnetId_;
  qint64 runId_;
  bool replace_ = false;
  QCheckBox* onnx_ = nullptr;
  QCheckBox* torchScript_ = nullptr;
  QComboBox* batchMode_ = nullptr;
  QSpinBox* batch_ = nullptr;
  QSpinBox* fineTune_ = nullptr;
  QLineEdit* folder_ = nullptr;
};

}  // namespace sn
