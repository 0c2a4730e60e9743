#include "views/new_project_wizard.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QEventLoop>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/data/dataset_spec.h"
#include "core/data/image_folder.h"
#include "core/project/image_import.h"
#include "core/project/project.h"
#include "core/space/arch.h"
#include "core/space/cost_model.h"
#include "core/space/presets.h"
#include "core/train/device_names.h"
#include "core/train/train_recipe.h"
#include "db/store.h"
#include "views/background_job.h"

namespace sn {
namespace {

const QStringList kDatasetKinds = {"fashion-mnist", "idx", "cifar10", "synthetic", "images"};

QHBoxLayout* withBrowse(QLineEdit* edit, QWidget* parent, const QString& caption) {
  auto* row = new QHBoxLayout();
  auto* browse = new QPushButton(QObject::tr("Browse…"));
  row->addWidget(edit, 1);
  row->addWidget(browse);
  QObject::connect(browse, &QPushButton::clicked, parent, [edit, parent, caption] {
    const QString dir = QFileDialog::getExistingDirectory(parent, caption, edit->text());
    if (!dir.isEmpty()) edit->setText(dir);
  });
  return row;
}

}  // namespace

NewProjectWizard::NewProjectWizard(QWidget* parent) : QWizard(parent) {
  setWindowTitle(tr("New Project"));
  setOption(QWizard::NoBackButtonOnStartPage);
  addPage(folderPage());
  addPage(datasetPage());
  addPage(spacePage());
  addPage(recipePage());
  loadTemplateDefaults();
  updateSpaceInfo();
}

QWizardPage* NewProjectWizard::folderPage() {
  auto* page = new QWizardPage();
  page->setTitle(tr("Project folder"));
  page->setSubTitle(tr("A project is one folder: its database, checkpoints and exports. "
                       "Pick a new or empty folder."));
  folder_ = new QLineEdit(QDir::home().filePath("supernet-projects/fmnist-small"));
  folder_->setObjectName("folder");
  auto* form = new QFormLayout(page);
  form->addRow(tr("Folder:"), withBrowse(folder_, this, tr("Project folder")));
  return page;
}

QWizardPage* NewProjectWizard::datasetPage() {
  auto* page = new QWizardPage();
  page->setTitle(tr("Dataset"));
  page->setSubTitle(tr("The data the supernet trains on. Files are read when training "
                       "starts; only an image folder is decoded once into the project."));
  datasetKind_ = new QButtonGroup(page);
  const QStringList labels = {
      tr("Fashion-MNIST (bundled: %1)").arg(QString::fromStdString(DatasetSpec{}.resolvedDir())),
      tr("IDX pair folder (train-/t10k-images-idx3-ubyte and -labels-idx1-ubyte, raw or .gz)"),
      tr("CIFAR-10 binary folder (data_batch_1..5.bin, test_batch.bin)"),
      tr("Synthetic patterns (no files; to try the tool quickly)"),
      tr("Image folder (ROOT/<class>/<image>, or ROOT/train/ and ROOT/val/; JPEG, PNG, BMP, "
         "WebP): decoded once into the project")};
  auto* layout = new QVBoxLayout(page);
  for (int i = 0; i < labels.size(); ++i) {
    auto* radio = new QRadioButton(labels[i]);
    datasetKind_->addButton(radio, i);
    layout->addWidget(radio);
  }
  datasetKind_->button(0)->setChecked(true);
  dataDir_ = new QLineEdit();
  syntheticSamples_ = new QSpinBox();
  syntheticSamples_->setRange(16, 1000000);
  syntheticSamples_->setValue(2048);
  trainLimit_ = new QSpinBox();
  trainLimit_->setRange(0, 10000000);
  trainLimit_->setSpecialValueText(tr("all"));
  imageResolution_ = new QSpinBox();
  imageResolution_->setRange(8, 1024);
  imageResolution_->setValue(32);
  imageResolution_->setToolTip(tr("Shorter side resized to this (area averaging), centre-cropped"));
  imageGrey_ = new QCheckBox(tr("Grey (1 channel) instead of RGB"));
  valShare_ = new QDoubleSpinBox();
  valShare_->setRange(0.0, 0.9);
  valShare_->setSingleStep(0.05);
  valShare_->setValue(0.1);
  auto* form = new QFormLayout();
  form->addRow(tr("Data folder:"), withBrowse(dataDir_, this, tr("Dataset folder")));
  form->addRow(tr("Image resolution:"), imageResolution_);
  form->addRow(QString(), imageGrey_);
  form->addRow(tr("Held-out share per class:"), valShare_);
  form->addRow(tr("Synthetic samples:"), syntheticSamples_);
  form->addRow(tr("Use first N training samples:"), trainLimit_);
  layout->addLayout(form);
  datasetStatus_ = new QLabel();
  datasetStatus_->setWordWrap(true);
  datasetStatus_->setStyleSheet("color: #b00020");
  layout->addWidget(datasetStatus_);
  layout->addStretch(1);
  auto enableFields = [this] {
    const QString kind = datasetKind();
    dataDir_->setEnabled(kind == "idx" || kind == "cifar10" || kind == "images");
    for (QWidget* w : std::initializer_list<QWidget*>{imageResolution_, imageGrey_, valShare_}) {
      w->setEnabled(kind == "images");
    }
    syntheticSamples_->setEnabled(kind == "synthetic");
    datasetStatus_->clear();
    updateSpaceInfo();
  };
  connect(datasetKind_, &QButtonGroup::idClicked, this, enableFields);
  enableFields();
  return page;
}

QWizardPage* NewProjectWizard::spacePage() {
  auto* page = new QWizardPage();
  page->setTitle(tr("Search space"));
  page->setSubTitle(tr("The elastic dimensions the supernet covers: depth per stage, kernel "
                       "size and expand ratio per block."));
  preset_ = new QComboBox();
  for (const std::string& name : spacePresetNames()) preset_->addItem(QString::fromStdString(name));
  preset_->setCurrentText("fmnist-small");
  spaceInfo_ = new QLabel();
  spaceInfo_->setWordWrap(true);
  auto* layout = new QFormLayout(page);
  layout->addRow(tr("Preset:"), preset_);
  layout->addRow(spaceInfo_);
  connect(preset_, &QComboBox::currentTextChanged, this, [this] {
    loadTemplateDefaults();
    updateSpaceInfo();
  });
  return page;
}

QWizardPage* NewProjectWizard::recipePage() {
  auto* page = new QWizardPage();
  page->setTitle(tr("Training recipe"));
  page->setSubTitle(tr("Sandwich rule: every step trains the largest, the smallest and N "
                       "random subnets; the others learn from the largest (in-place "
                       "distillation)."));
  epochs_ = new QSpinBox();
  epochs_->setRange(1, 10000);
  batch_ = new QSpinBox();
  batch_->setRange(1, 65536);
  lr_ = new QDoubleSpinBox();
  lr_->setDecimals(5);
  lr_->setRange(1e-5, 10);
  lr_->setSingleStep(0.01);
  subnets_ = new QSpinBox();
  subnets_->setRange(0, 16);
  distillation_ = new QComboBox();
  distillation_->addItems({"kl", "alpha", "none"});
  distillation_->setToolTip(tr("kl: KL to the largest's soft labels; alpha: AlphaNet's adaptive "
                               "alpha-divergence; none: plain cross-entropy"));
  precision_ = new QComboBox();
  for (const std::string& p : TrainRecipe::precisions()) precision_->addItem(QString::fromStdString(p));
  precision_->setToolTip(tr("bf16: forward passes under bf16 autocast (tensor cores on a GPU), "
                            "fp32 master weights and losses"));
  device_ = new QComboBox();
  for (const std::string& d : availableDevices()) device_->addItem(QString::fromStdString(d));
  start_ = new QCheckBox(tr("Start training when the project is created"));
  start_->setChecked(true);
  auto* form = new QFormLayout(page);
  form->addRow(tr("Epochs:"), epochs_);
  form->addRow(tr("Batch size:"), batch_);
  form->addRow(tr("Learning rate:"), lr_);
  form->addRow(tr("Random subnets per step:"), subnets_);
  form->addRow(tr("Distillation:"), distillation_);
  form->addRow(tr("Precision:"), precision_);
  form->addRow(tr("Device:"), device_);
  form->addRow(start_);
  return page;
}

// The preset's template gives the recipe defaults (the one other presets borrow when
// they have none of their own).
void NewProjectWizard::loadTemplateDefaults() {
  const std::vector<std::string> templates = templateNames();
  const std::string preset = preset_->currentText().toStdString();
  const bool own = std::find(templates.begin(), templates.end(), preset) != templates.end();
  const ProjectConfig base =
      ProjectConfig::fromJson(projectTemplate(own ? preset : "fmnist-small"), "template");
  epochs_->setValue(base.recipe.epochs);
  batch_->setValue(base.recipe.batchSize);
  lr_->setValue(base.recipe.lr);
  subnets_->setValue(base.recipe.subnetsPerStep);
  distillation_->setCurrentText(QString::fromStdString(base.recipe.distillation.kind));
  precision_->setCurrentText(QString::fromStdString(base.recipe.precision));
}

void NewProjectWizard::updateSpaceInfo() {
  if (!preset_ || !spaceInfo_) return;
  try {
    const SearchSpace space = spacePreset(preset_->currentText().toStdString());
    QString text = QString::fromStdString(space.description);
    if (datasetProblem().isEmpty()) {
      const NetShape shape = dataShape();
      const Cost lo = computeCost(space, Arch::smallest(space), shape);
      const Cost hi = computeCost(space, Arch::largest(space), shape);
      text += tr("\n\nOn this data (%1 ch, %2 px, %3 classes): %4 to %5 MMACs, %6 to %7 M "
                 "params.")
                  .arg(shape.channels)
                  .arg(shape.resolution)
                  .arg(shape.classes)
                  .arg(lo.macs / 1e6, 0, 'f', 2)
                  .arg(hi.macs / 1e6, 0, 'f', 2)
                  .arg(lo.params / 1e6, 0, 'f', 3)
                  .arg(hi.params / 1e6, 0, 'f', 3);
    }
    spaceInfo_->setText(text);
  } catch (const std::exception& e) {
    spaceInfo_->setText(QString::fromStdString(e.what()));
  }
}

QString NewProjectWizard::datasetKind() const {
  const int id = datasetKind_->checkedId();
  return id >= 0 ? kDatasetKinds[id] : kDatasetKinds[0];
}

void NewProjectWizard::setFolder(const QString& dir) { folder_->setText(dir); }

void NewProjectWizard::setDataset(const QString& kind, const QString& dir) {
  const int id = static_cast<int>(kDatasetKinds.indexOf(kind));
  if (id < 0) return;
  datasetKind_->button(id)->click();
  dataDir_->setText(dir);
}

void NewProjectWizard::setImageOptions(int resolution, bool grey, double valShare) {
  imageResolution_->setValue(resolution);
  imageGrey_->setChecked(grey);
  valShare_->setValue(valShare);
}

void NewProjectWizard::setSyntheticSamples(int samples) { syntheticSamples_->setValue(samples); }
void NewProjectWizard::setTrainLimit(int samples) { trainLimit_->setValue(samples); }
void NewProjectWizard::setPreset(const QString& space) { preset_->setCurrentText(space); }
void NewProjectWizard::setEpochs(int epochs) { epochs_->setValue(epochs); }
void NewProjectWizard::setBatchSize(int batch) { batch_->setValue(batch); }
void NewProjectWizard::setLearningRate(double lr) { lr_->setValue(lr); }
void NewProjectWizard::setSubnetsPerStep(int n) { subnets_->setValue(n); }
void NewProjectWizard::setDistillation(const QString& kind) { distillation_->setCurrentText(kind); }
void NewProjectWizard::setPrecision(const QString& precision) { precision_->setCurrentText(precision); }
void NewProjectWizard::setDevice(const QString& device) {
  device_->setCurrentText(QString::fromStdString(chooserDeviceName(device.toStdString())));
}
void NewProjectWizard::setStartTraining(bool start) { start_->setChecked(start); }

QString NewProjectWizard::folder() const { return folder_->text().trimmed(); }
QString NewProjectWizard::device() const { return device_->currentText(); }
bool NewProjectWizard::startTraining() const { return start_->isChecked(); }

ProjectConfig NewProjectWizard::config() const {
  const std::vector<std::string> templates = templateNames();
  const std::string preset = preset_->currentText().toStdString();
  const bool own = std::find(templates.begin(), templates.end(), preset) != templates.end();
  ProjectConfig c = ProjectConfig::fromJson(projectTemplate(own ? preset : "fmnist-small"),
                                            "template");
  c.templateName = own ? preset : "fmnist-small";
  c.space = spacePreset(preset);
  c.dataset = DatasetSpec{};
  c.dataset.kind = datasetKind().toStdString();
  if (c.dataset.kind == "idx" || c.dataset.kind == "cifar10") {
    c.dataset.dir = dataDir_->text().trimmed().toStdString();
  }
  if (c.dataset.kind == "images") {
    c.dataset.dir = (std::filesystem::absolute(folder().toStdString()) / "data" / "images").string();
  }
  if (c.dataset.kind == "synthetic") c.dataset.synthetic.samples = syntheticSamples_->value();
  c.dataset.trainLimit = trainLimit_->value();
  c.recipe.epochs = epochs_->value();
  c.recipe.batchSize = batch_->value();
  c.recipe.lr = lr_->value();
  c.recipe.subnetsPerStep = subnets_->value();
  c.recipe.distillation.kind = distillation_->currentText().toStdString();
  c.recipe.precision = precision_->currentText().toStdString();
  return c;
}

QString NewProjectWizard::datasetProblem() const {
  const QString kind = datasetKind();
  if ((kind == "idx" || kind == "cifar10" || kind == "images") &&
      dataDir_->text().trimmed().isEmpty()) {
    return kind == "images" ? tr("Choose the image folder (one sub-folder per class).")
                            : tr("Choose the folder that holds the %1 files.")
                                  .arg(kind == "idx" ? "IDX" : "CIFAR-10");
  }
  try {
    if (kind == "images") {
      // Listing only; whether each file decodes is found out by the import.
      ImageFolder::scan(dataDir_->text().trimmed().toStdString(), {valShare_->value(), 0});
      return {};
    }
    DatasetSpec spec;
    spec.kind = kind.toStdString();
    spec.dir = dataDir_->text().trimmed().toStdString();
    // CIFAR-10: the six files and their sizes; IDX: the headers. No image is read here.
    datasetShape(spec);
    return {};
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
}

bool NewProjectWizard::validateCurrentPage() {
  if (currentPage() && currentPage()->title() == tr("Dataset")) {
    const QString problem = datasetProblem();
    datasetStatus_->setText(problem);
    updateSpaceInfo();
    if (!problem.isEmpty()) return false;
  }
  return QWizard::validateCurrentPage();
}

bool NewProjectWizard::createProject(QString* error) {
  try {
    const QString problem = datasetProblem();
    if (!problem.isEmpty()) throw std::runtime_error(problem.toStdString());
    const ProjectConfig c = config();
    {
      Project project = Project::create(folder().toStdString(), c);
      project.store().settings().set("device", device().toStdString());
    }
    return c.dataset.kind != "images" || importImageFolder(folder().toStdString(), error);
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
}

NetShape NewProjectWizard::dataShape() const {
  if (datasetKind() != "images") return datasetShape(config().dataset);
  const ImageFolder f =
      ImageFolder::scan(dataDir_->text().trimmed().toStdString(), {valShare_->value(), 0});
  return {imageGrey_->isChecked() ? 1 : 3, imageResolution_->value(),
          static_cast<int>(f.classes.size())};
}

bool NewProjectWizard::importImageFolder(const std::string& dir, QString* error) {
  ImageImportRequest request;
  request.root = dataDir_->text().trimmed().toStdString();
  request.split.valShare = valShare_->value();
  request.cache.channels = imageGrey_->isChecked() ? 1 : 3;
  request.cache.resolution = imageResolution_->value();
  QProgressDialog dialog(tr("Decoding images…"), tr("Cancel"), 0, 100, this);
  dialog.setWindowTitle(tr("Importing the image folder"));
  dialog.setMinimumDuration(0);
  BackgroundJob job;
  QEventLoop loop;
  bool cancelled = false;
  QString failure;
  connect(&dialog, &QProgressDialog::canceled, &job, [&] {
    cancelled = true;
    job.cancel();
  });
  connect(&job, &BackgroundJob::progress, &dialog, [&](const QString& phase, int done, int total) {
    dialog.setMaximum(std::max(total, 1));
    dialog.setValue(done);
    dialog.setLabelText(phase);
  });
  connect(&job, &BackgroundJob::finished, &loop,
          [&](const QString&, const QString&, const QString& e) {
            failure = e;
            loop.quit();
          });
  job.start(tr("Import images"), [dir, request](const JobControl& job) {
    Project project = Project::open(dir);
    // The import's own progress carries its rate and bad count: the stage line says them.
    const auto report = importImages(project, request, [&](const ImageImportProgress& p) {
      job.report(QString("decoded %1/%2, %3 bad, %4 images/s, about %5 s left")
                     .arg(p.done).arg(p.total).arg(p.bad).arg(p.imagesPerSecond, 0, 'f', 0)
                     .arg(p.etaSeconds, 0, 'f', 0).toStdString(),
                 p.done, p.total);
    }, job.cancelFlag());
    return QString::fromStdString(report.toText());
  });
  dialog.show();
  loop.exec();
  if (!cancelled && failure.isEmpty()) return true;
  // The project was made for this import alone: take it away again, all of it.
  for (const char* part : {"project.sqlite", "project.sqlite-wal", "project.sqlite-shm",
                           "checkpoints", "exports", "data"}) {
    std::error_code ec;
    std::filesystem::remove_all(std::filesystem::path(dir) / part, ec);
  }
  if (error) *error = cancelled ? tr("Import cancelled; no project was made.") : failure;
  return false;
}

void NewProjectWizard::accept() {
  QString error;
  if (!createProject(&error)) {
    QMessageBox::critical(this, tr("Cannot create the project"), error);
    return;
  }
  QWizard::accept();
}

}  // namespace sn
