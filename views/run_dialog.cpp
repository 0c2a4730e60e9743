#include "views/run_dialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QVBoxLayout>

#include "core/project/project_config.h"
#include "core/util/input_error.h"
#include "db/run_repository.h"

namespace sn {
namespace {

// The source run's config without the device it ran on: the new run picks its own.
QString editableConfig(const RunRecord& run) {
  nlohmann::json config = nlohmann::json::parse(run.configJson, nullptr, false);
  if (config.is_discarded()) return QString::fromStdString(run.configJson);
  config.erase("device");
  return QString::fromStdString(config.dump(2));
}

}  // namespace

RunDialog::RunDialog(Mode mode, const RunRecord& run, QWidget* parent)
    : QDialog(parent), mode_(mode), runId_(run.id) {
  const bool newRun = mode == Mode::NewFrom;
  setWindowTitle(newRun ? tr("New run from run %1").arg(run.id) : tr("Edit run %1").arg(run.id));
  auto* form = new QFormLayout;
  name_ = new QLineEdit(QString::fromStdString(newRun ? run.name + " copy" : run.name));
  tags_ = new QLineEdit(QString::fromStdString(joinTags(run.tags)));
  tags_->setPlaceholderText(tr("comma-separated, e.g. distill, 90%"));
  form->addRow(tr("Name:"), name_);
  form->addRow(tr("Tags:"), tags_);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  if (newRun) {
    layout->addWidget(new QLabel(tr("Recipe (the source run's config; edit what should differ):")));
    config_ = new QPlainTextEdit(editableConfig(run));
    config_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    config_->setMinimumSize(520, 380);
    layout->addWidget(config_, 1);
    start_ = new QCheckBox(tr("Start training it now"));
    start_->setChecked(true);
    layout->addWidget(start_);
  }
  error_ = new QLabel;
  error_->setWordWrap(true);
  error_->setStyleSheet("color: #b00020");
  layout->addWidget(error_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  connect(buttons, &QDialogButtonBox::accepted, this, &RunDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &RunDialog::reject);
  layout->addWidget(buttons);
}

bool RunDialog::startTraining() const { return start_ && start_->isChecked(); }

void RunDialog::accept() {
  try {
    NewRunRequest r;
    r.name = name_->text().trimmed().toStdString();
    if (r.name.empty()) throw InputError("a run needs a name");
    r.tags = parseTags(tags_->text().toStdString());
    if (config_) {
      r.config = nlohmann::json::parse(config_->toPlainText().toStdString(), nullptr, false);
      if (r.config.is_discarded()) throw InputError("the recipe is not valid JSON");
      ProjectConfig::fromJson(r.config, "the recipe");  // the checks training would make
    }
    request_ = std::move(r);
  } catch (const std::exception& e) {
    error_->setText(QString::fromStdString(e.what()));
    return;
  }
  error_->clear();
  QDialog::accept();
}

}  // namespace sn
