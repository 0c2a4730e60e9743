#pragma once
// Helpers of the GUI tests: a tiny synthetic project made through the New Project wizard.
#include <QStandardPaths>
#include <QtTest>

#include "core/project/project.h"
#include "views/new_project_wizard.h"

namespace sn::test {

// Keeps the tests' QSettings (recent projects, window state) away from the user's.
inline void isolateSettings() {
  QStandardPaths::setTestModeEnabled(true);
  QCoreApplication::setOrganizationName("SupernetStudioTests");
  QCoreApplication::setApplicationName("supernet-studio-tests");
}

// 512 synthetic 28x28 images, batch 32: 16 steps an epoch, a metric row every 2 steps.
inline bool makeTinyProject(const QString& dir, int epochs, QString* error) {
  NewProjectWizard wizard;
  wizard.setFolder(dir);
  wizard.setDataset("synthetic");
  wizard.setSyntheticSamples(512);
  wizard.setPreset("fmnist-small");
  wizard.setEpochs(epochs);
  wizard.setBatchSize(32);
  wizard.setSubnetsPerStep(1);
  wizard.setStartTraining(false);
  if (!wizard.createProject(error)) return false;
  Project project = Project::open(dir.toStdString());
  ProjectConfig config = project.config();
  config.recipe.logEvery = 2;
  config.recipe.recalBatches = 2;
  config.recipe.evalBatchSize = 64;
  project.saveConfig(config);
  return true;
}

}  // namespace sn::test
