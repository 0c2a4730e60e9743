#pragma once
// What the crash-safety test and the kill soak share: a tiny project that stores a metric row
// every step, and the checks of what a kill may leave behind.
#include <QDir>
#include <QFileInfo>
#include <nlohmann/json.hpp>

#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cli_support.h"
#include "core/project/project.h"
#include "core/util/sha256.h"
#include "db/database.h"
#include "db/statement.h"
#include "db/store.h"
#include "test_support.h"

namespace sn::test {

// fmnist-tiny on `images` training images (1024: 16 steps an epoch), a metric row every step.
inline void makeCrashProject(const std::string& dir, int epochs, double checkpointMinutes,
                             int images) {
  Project project = Project::create(dir, "fmnist-tiny");
  ProjectConfig config = project.config();
  config.dataset.trainLimit = images;
  config.dataset.testLimit = 200;
  config.recipe.batchSize = 64;
  config.recipe.epochs = epochs;
  config.recipe.logEvery = 1;
  config.recipe.subnetsPerStep = 1;
  config.recipe.recalBatches = 2;
  config.recipe.evalBatchSize = 100;
  config.recipe.probeSubnets = 2;
  config.recipe.checkpointMinutes = checkpointMinutes;
  project.saveConfig(config);
}

// Every metric row of run 1 but the timing ones (throughput depends on the machine's moment).
inline std::vector<std::pair<std::string, MetricSample>> metricRows(const std::string& dir) {
  Store store(dir + "/project.sqlite", Database::Mode::ReadOnly);
  std::vector<std::pair<std::string, MetricSample>> rows;
  for (const std::string& key : store.metrics().keys(1)) {
    if (key.rfind("throughput/", 0) == 0) continue;
    for (const MetricSample& m : store.metrics().series(1, key)) rows.emplace_back(key, m);
  }
  return rows;
}

// The same rows, steps and values (to the last bit: the same computation repeated).
inline bool sameRows(const std::string& a, const std::string& b, std::string* why) {
  const auto ra = metricRows(a), rb = metricRows(b);
  if (ra.size() != rb.size()) {
    *why = std::to_string(ra.size()) + " rows vs " + std::to_string(rb.size());
    return false;
  }
  for (size_t i = 0; i < ra.size(); ++i) {
    if (ra[i].first != rb[i].first || ra[i].second.step != rb[i].second.step ||
        ra[i].second.value != rb[i].second.value) {
      *why = ra[i].first + " at step " + std::to_string(ra[i].second.step) + ": " +
             std::to_string(ra[i].second.value) + " vs " + std::to_string(rb[i].second.value);
      return false;
    }
  }
  return true;
}

// The last step with a "loss/largest" row (-1: none, or the database not readable yet).
inline int64_t lastStepStored(const std::string& dir) {
  try {
    Store store(dir + "/project.sqlite", Database::Mode::ReadOnly);
    const auto rows = store.metrics().series(1, "loss/largest");
    return rows.empty() ? -1 : rows.back().step;
  } catch (const std::exception&) {
    return -1;
  }
}

// Run 1's status as `supernet-cli runs` shows it (interrupted when nobody holds its lock);
// "no run" before a trainer has made it.
inline std::string runStatus(const std::string& dir) {
  const CliResult r = runCli(q({"runs", dir, "--json"}));
  const nlohmann::json runs = nlohmann::json::parse(r.out);
  return runs.empty() ? "no run" : runs[0]["status"].get<std::string>();
}

// "" when PRAGMA integrity_check says ok, else what it says.
inline std::string integrityProblem(const std::string& database) {
  Database db(database, Database::Mode::ReadOnly);
  Statement check = db.prepare("PRAGMA integrity_check");
  if (!check.step()) return "integrity_check returned nothing";
  const std::string verdict = check.columnText(0);
  return verdict == "ok" ? "" : database + ": " + verdict;
}

enum class Unrecorded { None, OfMissingRuns };

// "" when checkpoint rows and files agree: no file unrecorded (but, if allowed, files named
// after a run the database does not hold), none half-written (each matches its recorded
// SHA-256), no row without its file, and the database is intact.
inline std::string checkpointProblem(const std::string& dir,
                                     Unrecorded allowed = Unrecorded::None) {
  Project project = Project::open(dir);
  std::set<QString> recorded;
  for (const RunRecord& run : project.store().runs().all()) {
    for (const CheckpointRecord& c : project.store().checkpoints().forRun(run.id)) {
      const std::string path = project.checkpointPath(c.path);
      if (!QFileInfo::exists(QString::fromStdString(path))) return path + ": recorded, missing";
      if (sha256File(path) != c.sha256) return path + ": does not match its recorded SHA-256";
      recorded.insert(QFileInfo(QString::fromStdString(path)).fileName());
    }
  }
  const QStringList files =
      QDir(QString::fromStdString(project.checkpointsDir())).entryList(QDir::Files | QDir::Hidden);
  for (const QString& f : files) {
    if (recorded.count(f)) continue;
    const int runId = f.section('-', 1, 1).toInt();
    if (allowed == Unrecorded::OfMissingRuns && f.startsWith("run-") &&
        !project.store().runs().find(runId)) {
      continue;
    }
    return project.checkpointsDir() + "/" + f.toStdString() + ": unrecorded";
  }
  return integrityProblem(project.databasePath());
}

}  // namespace sn::test
