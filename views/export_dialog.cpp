#include "views/export_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>

namespace sn {

ExportDialog::ExportDialog(const QString& archText, qint64 subnetId, qint64 runId, const QString& defaultFolder,
                           QWidget* parent)
    : QDialog(parent), subnetId_(subnetId), runId_(runId) {
  setWindowTitle("Export subnet");
  auto* form = new QFormLayout(this);
  auto* arch = new QLabel(archText);
  arch->setWordWrap(true);
  arch->setTextInteractionFlags(Qt::TextSelectableByMouse);
  form->addRow("Subnet", arch);

  onnx_ = new QCheckBox("ONNX (model.onnx, opset 14) — checked with OpenCV DNN");
  torchScript_ = new QCheckBox("TorchScript (model.pt) — checked with LibTorch");
  onnx_->setChecked(true);
  torchScript_->setChecked(true);
  form->addRow("Formats", onnx_);
  form->addRow("", torchScript_);

  auto* batchRow = new QHBoxLayout;
  batchMode_ = new QComboBox;
  batchMode_->addItems({"Dynamic batch", "Fixed batch"});
  batch_ = new QSpinBox;
  batch_->setRange(1, 4096);
  batch_->setValue(1);
  batch_->setEnabled(false);
  batchRow->addWidget(batchMode_);
  batchRow->addWidget(batch_);
  form->addRow("Batch", batchRow);
  connect(batchMode_, &QComboBox::currentIndexChanged, this, [this](int i) { batch_->setEnabled(i == 1); });

  fineTune_ = new QSpinBox;
  fineTune_->setRange(0, 100);
  fineTune_->setSpecialValueText("No fine-tuning");
  fineTune_->setSuffix(" epochs");
  fineTune_->setToolTip("Train the extracted subnet alone first (pruned weights stay zero)");
  form->addRow("Fine-tune", fineTune_);

  auto* folderRow = new QHBoxLayout;
  folder_ = new QLineEdit(defaultFolder);
  auto* browse = new QPushButton("Browse…");
  folderRow->addWidget(folder_);
  folderRow->addWidget(browse);
  form->addRow("Folder", folderRow);
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getSaveFileName(this, "Export folder", folder_->text());
    if (!dir.isEmpty()) folder_->setText(dir);
  });

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  buttons->button(QDialogButtonBox::Ok)->setText("Export");
  form->addRow(buttons);
  connect(buttons, &QDialogButtonBox::accepted, this, &ExportDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &ExportDialog::reject);
}

SubnetExportRequest ExportDialog::request() const {
  SubnetExportRequest r;
  r.subnetId = subnetId_;
  r.runId = runId_;
  r.folder = folder_->text().trimmed().toStdString();
  r.replace = replace_;
  r.onnx = onnx_->isChecked();
  r.torchScript = torchScript_->isChecked();
  r.batch = batchMode_->currentIndex() == 1 ? batch_->value() : 0;
  r.fineTuneEpochs = fineTune_->value();
  return r;
}

void ExportDialog::accept() {
  if (!onnx_->isChecked() && !torchScript_->isChecked()) {
    QMessageBox::warning(this, "Export", "Choose ONNX, TorchScript or both.");
    return;
  }
  const QString folder = folder_->text().trimmed();
  if (folder.isEmpty()) {
    QMessageBox::warning(this, "Export", "Choose a folder to export into.");
    return;
  }
  replace_ = false;
  if (QFileInfo::exists(folder)) {
    const auto answer = QMessageBox::question(
        this, "Export", folder + " already exists.\nReplace it? (It is kept until the new export is complete.)");
    if (answer != QMessageBox::Yes) return;
    replace_ = true;
  }
  QDialog::accept();
}

}  // namespace sn
