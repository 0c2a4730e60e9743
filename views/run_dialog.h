#pragma once
#include <QDialog>

#include "core/project/run_manager.h"
#include "db/records.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace sn {

// "New run from this one…" (name, tags, and the source run's whole config as editable JSON,
// with "start training now") or "Edit run…" (name and tags). OK checks everything first: a
// config that would not train, or a bad tag, is shown in the dialog, which stays open.
class RunDialog : public QDialog {
  Q_OBJECT
 public:
  enum class Mode { NewFrom, Edit };
  RunDialog(Mode mode, const RunRecord& run, QWidget* parent = nullptr);

  Mode mode() const { return mode_; }
  qint64 runId() const { return runId_; }
  // Valid once accepted: name, tags and (NewFrom) the edited config.
  const NewRunRequest& request() const { return request_; }
  bool startTraining() const;

  QLineEdit* nameEdit() const { return name_; }
  QLineEdit* tagsEdit() const { return tags_; }
  QPlainTextEdit* configEdit() const { return config_; }
  QCheckBox* startBox() const { return start_; }
  QLabel* errorLabel() const { return error_; }

  void accept() override;

 private:
  Mode mode_;
  qint64 runId_ = 0;
  NewRunRequest request_;
  QLineEdit* name_ = nullptr;
  QLineEdit* tags_ = nullptr;
  QPlainTextEdit* config_ = nullptr;
  QCheckBox* start_ = nullptr;
  QLabel* error_ = nullptr;
};

}  // namespace sn
