// Verbs that manage and compare a project's runs: new-run, tag-run, delete-run,
// import-runs, compare.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>

#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "core/compare/run_comparison.h"
#include "core/project/project.h"
#include "core/project/run_manager.h"
#include "core/project/run_transfer.h"
#include "core/util/input_error.h"
#include "db/store.h"

namespace sn::cli {

int64_t parseRunId(const std::string& text) {
  try {
    size_t used = 0;
    const long long id = std::stoll(text, &used);
    if (used == text.size() && id > 0) return id;
  } catch (const std::exception&) {
  }
  throw InputError("run '" + text + "': expected a run id (see 'supernet-cli runs DIR')");
}

int64_t runIdArg(const ArgParser& a, size_t n, const std::string& what) {
  return parseRunId(a.required(n, what));
}

// "1, 2,3": the same splitting as tags.
std::vector<int64_t> runIdList(const std::string& text) {
  std::vector<int64_t> ids;
  for (const std::string& part : parseTags(text)) ids.push_back(parseRunId(part));
  return ids;
}

namespace {

void printTable(const CsvTable& t) { std::fputs(t.toText().c_str(), stdout); }

CsvTable tableNamed(const std::string& name, const RunComparison& c, Store& store,
                    const std::vector<int64_t>& ids, const std::string& key) {
  if (name == "hypervolume") return hypervolumeTable(c);
  if (name == "best") return bestSubnetTable(c);
  if (name == "diff") return recipeDiffTable(c);
  if (name == "history") return historyTable(c);
  if (name == "front") return frontTable(c);
  if (name == "curves") return curvesTable(store, ids, key);
  throw InputError("--table '" + name + "': expected hypervolume, best, diff, history, front or curves");
}

void printSummary(const RunComparison& c) {
  const std::string unit = c.by == "latency" ? "ms" : "M MACs";
  std::printf("reference point: %.4g %s, %.2f%% accuracy\n", c.reference.cost, unit.c_str(),
              c.reference.accuracy);
  std::printf("%4s  %-16s %-9s %-21s %8s %6s %14s  %s\n", "run", "name", "status", "method", "measured",
              "front", "hypervolume", "best within limits");
  for (const RunFront& r : c.runs) {
    std::string best = "none";
    if (r.best) {
      char text[160];
      std::snprintf(text, sizeof text, "#%lld %.2f%% at %.2f M MACs", static_cast<long long>(r.best->id),
                    100 * *r.best->accuracy, r.best->macs / 1e6);
      best = text;
    }
    std::printf("%4lld  %-16s %-9s %-21s %8zu %6zu %14.4f  %s\n", static_cast<long long>(r.run.id),
                r.run.name.c_str(), runStatusName(r.run.status), r.method.c_str(), r.measured.size(),
                r.front.size(), r.hypervolume, best.c_str());
  }
  if (c.recipeDiff.empty()) {
    std::printf("recipes: identical\n");
    return;
  }
  std::printf("recipe differences:\n");
  for (const DiffRow& d : c.recipeDiff) {
    std::printf("  %s:", d.key.c_str());
    for (size_t i = 0; i < d.values.size(); ++i) {
      std::printf(" [run %lld] %s", static_cast<long long>(c.runs[i].run.id),
                  d.values[i].value_or("(none)").c_str());
    }
    std::printf("\n");
  }
}

}  // namespace

int runNewRun(const std::vector<std::string>& args) {
  ArgParser a(args, {"--from", "--init-from", "--head", "--name", "--tags", "--set"}, {"--json"});
  const std::string dir = a.required(0, "project folder (new-run DIR --from RUN)");
  if (!a.has("--from") && !a.has("--init-from")) {
    throw InputError("new-run: give --from RUN (its recipe) and/or --init-from PROJECT:RUN (its weights)");
  }
  Project project = Project::open(dir);
  RunManager runs(project);
  NewRunRequest request;
  request.name = a.valueOr("--name", "");
  request.tags = parseTags(a.valueOr("--tags", ""));
  const int64_t recipeRun = a.has("--from") ? parseRunId(a.requiredValue("--from")) : 0;
  request.config = recipeRun > 0 ? runs.configOf(recipeRun) : project.config().toJson();
  std::optional<TransferSource> weights;
  if (const auto spec = a.value("--init-from")) {
    const size_t colon = spec->rfind(':');
    if (colon == std::string::npos || colon == 0) {
      throw InputError("--init-from " + *spec + ": give PROJECT:RUN, e.g. ../fmnist:3");
    }
    weights = resolveInitFrom(spec->substr(0, colon), parseRunId(spec->substr(colon + 1)),
                              a.valueOr("--head", "reset"));
    applyFineTuneDefaults(request.config);
  }
  for (const std::string& assignment : a.values("--set")) setConfigValue(request.config, assignment);
  const int64_t id = weights ? createTransferRun(project, request, *weights)
                             : runs.createFrom(recipeRun, request);
  if (a.has("--json")) {
    std::printf("%s\n", nlohmann::json({{"id", id}}).dump().c_str());
  } else {
    std::printf("created run %lld (%s); train it with: supernet-cli train %s --run %lld\n",
                static_cast<long long>(id), project.store().runs().find(id)->origin.c_str(),
                dir.c_str(), static_cast<long long>(id));
  }
  return 0;
}

int runTagRun(const std::vector<std::string>& args) {
  ArgParser a(args, {"--name", "--tags"}, {});
  const std::string dir = a.required(0, "project folder (tag-run DIR RUN --name N --tags T)");
  const int64_t id = runIdArg(a, 1, "run id (tag-run DIR RUN)");
  if (!a.has("--name") && !a.has("--tags")) throw InputError("tag-run: give --name and/or --tags");
  Project project = Project::open(dir);
  RunManager runs(project);
  const std::vector<std::string> tags = parseTags(a.valueOr("--tags", ""));
  if (a.has("--name")) runs.rename(id, a.requiredValue("--name"));
  if (a.has("--tags")) runs.setTags(id, tags);
  std::printf("run %lld updated\n", static_cast<long long>(id));
  return 0;
}

int runDeleteRun(const std::vector<std::string>& args) {
  ArgParser a(args, {}, {"--yes"});
  const std::string dir = a.required(0, "project folder (delete-run DIR RUN --yes)");
  const int64_t id = runIdArg(a, 1, "run id (delete-run DIR RUN --yes)");
  Project project = Project::open(dir);
  const auto run = project.store().runs().find(id);
  if (!run) throw InputError(dir + ": no run " + std::to_string(id));
  if (!a.has("--yes")) {
    throw InputError("delete-run: deleting run " + std::to_string(id) + " ('" + run->name +
                     "') removes its metrics, subnets and checkpoints; add --yes to confirm");
  }
  const std::vector<std::string> removed = RunManager(project).remove(id);
  std::printf("deleted run %lld ('%s') and %zu checkpoint files\n", static_cast<long long>(id),
              run->name.c_str(), removed.size());
  return 0;
}

int runImportRuns(const std::vector<std::string>& args) {
  ArgParser a(args, {"--runs"}, {});
  const std::string dir = a.required(0, "project folder (import-runs DIR OTHER)");
  const std::string other = a.required(1, "project to import from (import-runs DIR OTHER)");
  const std::vector<int64_t> ids = runIdList(a.valueOr("--runs", ""));
  Project project = Project::open(dir);
  const std::vector<int64_t> imported = RunManager(project).importFrom(other, ids, cliJob());
  std::printf("imported %zu runs from %s as:", imported.size(), other.c_str());
  for (int64_t id : imported) std::printf(" %lld", static_cast<long long>(id));
  std::printf("\n");
  return 0;
}

int runCompare(const std::vector<std::string>& args) {
  ArgParser a(args,
              {"--by", "--ref-cost", "--ref-accuracy", "--max-macs", "--max-params",
               "--max-latency", "--table", "--key"},
              {"--json", "--csv"});
  const std::string dir = a.required(0, "project folder (compare DIR RUN RUN...)");
  std::vector<int64_t> ids;
  for (size_t i = 1; i < a.positional().size(); ++i) ids.push_back(runIdArg(a, i, "run id"));
  CompareOptions o;
  o.by = a.valueOr("--by", "macs");
  o.referenceCost = a.positiveDouble("--ref-cost");
  if (a.has("--ref-accuracy")) o.referenceAccuracy = a.positiveDouble("--ref-accuracy", -1e-300);
  o.limits = limitsFromArgs(a);
  const std::string table = a.valueOr("--table", "hypervolume");
  const std::string key = a.valueOr("--key", "acc/test_largest");
  Project project = Project::open(dir);
  const RunComparison c = compareRuns(project.store(), ids, o);
  if (a.has("--json")) {
    nlohmann::json out = toJson(c);
    if (a.has("--key")) {
      const CsvTable curves = curvesTable(project.store(), ids, key);
      out["curves"] = {{"key", key}, {"header", curves.header}, {"rows", curves.rows}};
    }
    std::printf("%s\n", out.dump(2).c_str());
  } else if (a.has("--csv")) {
    printTable(tableNamed(table, c, project.store(), ids, key));
  } else {
    printSummary(c);
  }
  return 0;
}

}  // namespace sn::cli
