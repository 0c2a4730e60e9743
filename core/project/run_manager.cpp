#include "core/project/run_manager.h"

#include "core/train/method_spec.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <system_error>

#include "core/project/project.h"
#include "core/project/project_config.h"
#include "core/project/training_lock.h"
#include "core/util/atomic_file.h"
#include "core/util/input_error.h"
#include "core/util/sha256.h"
#include "db/store.h"

namespace sn {
namespace fs = std::filesystem;
namespace {

constexpr size_t kMaxTagLength = 40;

std::string trimmed(const std::string& s) {
  const size_t begin = s.find_first_not_of(" \t");
  if (begin == std::string::npos) return {};
  return s.substr(begin, s.find_last_not_of(" \t") - begin + 1);
}

std::string checkedName(const std::string& name) {
  const std::string t = trimmed(name);
  if (t.empty()) throw InputError("a run needs a name");
  if (t.size() > 200) throw InputError("run name '" + t.substr(0, 40) + "…' is too long");
  return t;
}

// Files are named after the run that owns them, so an imported checkpoint gets its new
// run's name, as training would have written it.
std::string checkpointName(int64_t runId, int64_t step) {
  return "checkpoints/run-" + std::to_string(runId) + "-step-" + std::to_string(step) + ".pt";
}

// Checkpoint files named after a run the database does not hold, or after `newRun` (being
// made now, so any file of it is older): what a kill left of an import (its transaction
// rolled back, and the id is given out again) or of a deletion (rows go first). A live
// trainer's files are never among them: its run's row is committed before its first file.
void removeFilesOfMissingRuns(Project& project, int64_t newRun) {
  std::error_code error;
  std::vector<fs::path> abandoned;
  for (const auto& entry : fs::directory_iterator(project.checkpointsDir(), error)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("run-", 0) != 0) continue;
    const size_t digits = name.find_first_not_of("0123456789", 4);
    if (digits == 4 || digits > 22 || name.compare(digits, 6, "-step-") != 0) continue;
    const int64_t runId = std::stoll(name.substr(4, digits - 4));
    if (runId == newRun || !project.store().runs().find(runId)) {
      abandoned.push_back(entry.path());
    }
  }
  for (const fs::path& p : abandoned) fs::remove(p, error);
}

void removeQuietly(const std::vector<std::string>& paths) {
  for (const std::string& p : paths) {
    std::error_code ignored;
    fs::remove(p, ignored);
  }
}

}  // namespace

void RunManager::requireRun(int64_t runId) {
  if (!project_.store().runs().find(runId)) {
    throw InputError(project_.dir() + ": no run " + std::to_string(runId));
  }
}

nlohmann::json RunManager::configOf(int64_t runId) {
  const auto run = project_.store().runs().find(runId);
  if (!run) throw InputError(project_.dir() + ": no run " + std::to_string(runId));
  nlohmann::json config = nlohmann::json::parse(run->configJson, nullptr, false);
  if (config.is_discarded()) {
    throw InputError(project_.dir() + ": run " + std::to_string(runId) + " has no valid config");
  }
  config.erase("device");
  return config;
}

int64_t RunManager::createFrom(int64_t sourceRunId, const NewRunRequest& request) {
  const auto source = project_.store().runs().find(sourceRunId);
  if (!source) throw InputError(project_.dir() + ": no run " + std::to_string(sourceRunId));
  NewRunRequest named = request;
  if (named.name.empty()) named.name = source->name + " copy";
  return create(named, "copied from run " + std::to_string(sourceRunId));
}

int64_t RunManager::create(const NewRunRequest& request, const std::string& origin) {
  // The same checks as a hand-edited project config, so `train --run` cannot fail on it.
  const ProjectConfig config = ProjectConfig::fromJson(request.config, "new run (" + origin + ")");
  RunRecord run;
  run.name = checkedName(request.name);
  run.space = config.space.name;
  run.configJson = config.toJson().dump();
  run.tags = request.tags;
  run.origin = origin;
  return project_.store().runs().create(run);
}

void RunManager::rename(int64_t runId, const std::string& name) {
  requireRun(runId);
  project_.store().runs().rename(runId, checkedName(name));
}

void RunManager::setTags(int64_t runId, const std::vector<std::string>& tags) {
  requireRun(runId);
  project_.store().runs().setTags(runId, tags);
}

std::vector<std::string> RunManager::remove(int64_t runId) {
  Store& store = project_.store();
  const auto run = store.runs().find(runId);
  if (!run) throw InputError(project_.dir() + ": no run " + std::to_string(runId));
  if (run->status == RunStatus::Running && TrainingLock::holder(project_.dir())) {
    throw InputError(project_.dir() + ": run " + std::to_string(runId) +
                     " is being trained now; stop it before deleting it");
  }
  std::vector<std::string> files;
  for (const CheckpointRecord& c : store.checkpoints().forRun(runId)) {
    files.push_back(project_.checkpointPath(c.path));
  }
  // Rows first: a crash between the two leaves orphan files, never rows naming lost files.
  store.runs().remove(runId);
  std::vector<std::string> removed;
  for (const std::string& f : files) {
    std::error_code error;
    if (fs::remove(f, error)) removed.push_back(f);
  }
  return removed;
}

std::vector<int64_t> RunManager::importFrom(const std::string& otherDir,
                                            std::vector<int64_t> runIds,
                                            const JobControl& job) {
  if (fs::weakly_canonical(otherDir) == fs::weakly_canonical(project_.dir())) {
    throw InputError(otherDir + ": is this project; use New run from this one to copy a run");
  }
  Project other = Project::open(otherDir);  // InputError when it is not a project
  if (runIds.empty()) {
    for (const RunRecord& r : other.store().runs().all()) runIds.push_back(r.id);
  }
  for (int64_t id : runIds) {
    if (!other.store().runs().find(id)) {
      throw InputError(otherDir + ": no run " + std::to_string(id));
    }
  }
  std::vector<int64_t> imported;
  for (int64_t id : runIds) {
    job.report("imported", static_cast<int64_t>(imported.size()), static_cast<int64_t>(runIds.size()));
    imported.push_back(importOne(otherDir, other.databasePath(), id));
  }
  job.report("imported", static_cast<int64_t>(imported.size()), static_cast<int64_t>(runIds.size()));
  return imported;
}

int64_t RunManager::importOne(const std::string& otherDir, const std::string& otherDatabase,
                              int64_t runId) {
  const std::string origin =
      "imported from " + fs::absolute(otherDir).string() + " run " + std::to_string(runId);
  std::vector<std::string> copied;
  const auto place = [&](int64_t newId, const std::vector<CheckpointRecord>& checkpoints) {
    // Inside the import's write transaction: no other import into this project is half-way.
    removeFilesOfMissingRuns(project_, newId);
    fs::create_directories(project_.checkpointsDir());
    std::map<int64_t, std::string> paths;
    for (const CheckpointRecord& c : checkpoints) {
      const std::string from = (fs::path(otherDir) / c.path).string();
      const std::string relative = checkpointName(newId, c.step);
      const std::string to = project_.checkpointPath(relative);
      if (!fs::exists(from)) throw InputError(from + ": checkpoint file is missing");
      copied.push_back(to);
      writeFileAtomically(to, [&](const std::string& temp) { fs::copy_file(from, temp); });
      if (sha256File(to) != c.sha256) {
        throw InputError(from + ": checkpoint file does not match its recorded SHA-256");
      }
      paths[c.id] = relative;
    }
    return paths;
  };
  try {
    return project_.store().runs().importRun(otherDatabase, runId, origin, place);
  } catch (...) {
    removeQuietly(copied);
    throw;
  }
}

std::vector<std::string> parseTags(const std::string& text) {
  std::vector<std::string> tags;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    const size_t end = comma == std::string::npos ? text.size() : comma;
    const std::string tag = trimmed(text.substr(start, end - start));
    if (tag.size() > kMaxTagLength) throw InputError("tag '" + tag + "' is longer than 40 characters");
    if (!tag.empty() && std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(tag);
    start = end + 1;
  }
  return tags;
}

namespace {

bool isOptionalSection(const std::string& path) {
  if (path == "recipe.pruning" || path == "recipe.pruning.shrink" || path == "recipe.method") return true;
  // A training method's section (recipe.attentive, ...), written only for that method.
  for (const std::string& name : MethodSpec::names()) {
    MethodSpec m;
    m.name = name;
    if (!m.sectionKey().empty() && path == "recipe." + m.sectionKey()) return true;
  }
  return false;
}

}  // namespace

void setConfigValue(nlohmann::json& config, const std::string& assignment) {
  const size_t eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw InputError("--set '" + assignment + "': expected KEY=VALUE, e.g. recipe.epochs=3");
  }
  const std::string path = assignment.substr(0, eq);
  const std::string text = assignment.substr(eq + 1);
  nlohmann::json* node = &config;
  size_t start = 0;
  while (true) {
    const size_t dot = path.find('.', start);
    const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    // Optional sections a dense config leaves out may be added whole.
    const bool optionalSection = dot == std::string::npos && isOptionalSection(path);
    if (!node->is_object() || (!node->contains(key) && !optionalSection)) {
      throw InputError("--set '" + assignment + "': the config has no '" + path.substr(0, dot) + "'");
    }
    node = &(*node)[key];
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  const nlohmann::json value = nlohmann::json::parse(text, nullptr, false);
  *node = value.is_discarded() ? nlohmann::json(text) : value;
}

}  // namespace sn
