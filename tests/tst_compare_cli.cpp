// supernet-cli's run verbs on real Fashion-MNIST training (the dense fixture): a run made
// from another's recipe with changes, trained with --run; compare as JSON and CSV (the same
// numbers); runs imported into another project compare the same; delete asks for --yes and
// removes only that run.
#include <QtTest>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "cli_support.h"
#include "core/util/csv_table.h"
#include "test_support.h"
#include "trained_fixture.h"

using namespace sn;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

json jsonOf(const test::CliResult& r) {
  const json j = json::parse(r.out, nullptr, false);
  if (j.is_discarded()) qWarning("not JSON: %s", r.out.c_str());
  return j;
}

std::set<std::string> checkpointFiles(const std::string& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir + "/checkpoints")) out.insert(e.path().filename().string());
  return out;
}

}  // namespace

class TestCompareCli : public QObject {
  Q_OBJECT
  test::Scratch scratch;
  std::string dir;  // the dense fixture (run 1, 2 epochs), then run 2 made here
  json cmp;         // compare 1 2 --json --max-macs 1

 private Q_SLOTS:
  void initTestCase() { dir = test::copyOfTrainedProject(test::Trained::Dense, scratch.path("p")); }

  // A new run from run 1: one epoch, no label smoothing; created, then trained by id.
  void newRunIsCreatedThenTrainedById() {
    test::CliResult made = test::runCli(test::q({"new-run", dir, "--from", "1", "--name", "no-ls", "--tags", "ls, sweep",
                                                 "--set", "recipe.label_smoothing=0", "--set", "recipe.epochs=1", "--json"}));
    CLI_OK(made);
    QCOMPARE(jsonOf(made)["id"].get<int>(), 2);
    json runs = jsonOf(test::runCli(test::q({"runs", dir, "--json"})));
    QCOMPARE(runs[1]["status"].get<std::string>(), std::string("created"));
    QCOMPARE(runs[1]["tags"], json({"ls", "sweep"}));
    QCOMPARE(runs[1]["origin"].get<std::string>(), std::string("copied from run 1"));
    CLI_OK(test::runCli(test::q({"train", dir, "--run", "2", "--threads", "2"})));
    EXPECT_BAD_INPUT(test::runCli(test::q({"train", dir, "--run", "2"})), "has already started");
  }

  // JSON: both runs, the recipe keys that differ and nothing else, a history per epoch; CSV
  // says the same numbers.
  void compareGivesTheSameNumbersAsJsonAndCsv() {
    cmp = jsonOf(test::runCli(test::q({"compare", dir, "1", "2", "--json", "--max-macs", "1"})));
    QCOMPARE(cmp["runs"].size(), size_t(2));
    std::set<std::string> keys;
    for (const json& d : cmp["recipe_diff"]) keys.insert(d["key"].get<std::string>());
    QCOMPARE(keys, (std::set<std::string>{"recipe.epochs", "recipe.label_smoothing"}));
    QCOMPARE(cmp["runs"][0]["history"].size(), size_t(2));
    QCOMPARE(cmp["runs"][1]["history"].size(), size_t(1));
    for (const json& r : cmp["runs"]) {
      QVERIFY(r["hypervolume"].get<double>() > 0);
      QVERIFY(!r["front"].empty());
      QVERIFY(r["best"]["macs"].get<double>() <= 1e6);
    }
    const test::CliResult csv = test::runCli(test::q({"compare", dir, "1", "2", "--csv"}));
    CLI_OK(csv);
    const CsvTable hv = CsvTable::parse(csv.out, "compare.csv");
    QCOMPARE(hv.rows.size(), size_t(2));
    for (size_t i = 0; i < 2; ++i) {
      QCOMPARE(std::stod(hv.rows[i][7]), cmp["runs"][i]["hypervolume"].get<double>());
    }
    const test::CliResult curves = test::runCli(test::q({"compare", dir, "1", "2", "--csv", "--table", "curves"}));
    QCOMPARE(CsvTable::parse(curves.out, "curves.csv").rows.size(), size_t(3));  // 2 + 1 epochs
    const CsvTable history = CsvTable::parse(
        test::runCli(test::q({"compare", dir, "1", "2", "--csv", "--table", "history"})).out, "history.csv");
    QCOMPARE(std::stod(history.rows[2][2]), cmp["runs"][1]["history"][0]["hypervolume"].get<double>());
  }

  // Imported into another project, the runs compare the same.
  void importedRunsCompareTheSame() {
    QVERIFY(!cmp.is_null());
    const std::string other = scratch.path("other");
    CLI_OK(test::runCli(test::q({"init", other})));
    CLI_OK(test::runCli(test::q({"import-runs", other, dir})));
    const json there = jsonOf(test::runCli(test::q({"compare", other, "1", "2", "--json", "--max-macs", "1"})));
    for (size_t i = 0; i < 2; ++i) {
      QCOMPARE(there["runs"][i]["hypervolume"], cmp["runs"][i]["hypervolume"]);
      QCOMPARE(there["runs"][i]["best"], cmp["runs"][i]["best"]);
    }
    QCOMPARE(checkpointFiles(other).size(), checkpointFiles(dir).size());
  }

  // Delete: asks for --yes; then run 2 and its files go, run 1 stays whole.
  void deleteAsksThenRemovesOnlyThatRun() {
    QVERIFY(!cmp.is_null());
    const std::set<std::string> before = checkpointFiles(dir);
    EXPECT_BAD_INPUT(test::runCli(test::q({"delete-run", dir, "2"})), "--yes");
    QCOMPARE(jsonOf(test::runCli(test::q({"runs", dir, "--json"}))).size(), size_t(2));
    CLI_OK(test::runCli(test::q({"delete-run", dir, "2", "--yes"})));
    const json runs = jsonOf(test::runCli(test::q({"runs", dir, "--json"})));
    QCOMPARE(runs.size(), size_t(1));
    QCOMPARE(runs[0]["subnets"], cmp["runs"][0]["measured_subnets"]);
    for (const std::string& f : before) {
      QCOMPARE(checkpointFiles(dir).count(f), size_t(f.rfind("run-2-", 0) == 0 ? 0 : 1));
    }
  }

  void badInputNamesTheProblem() {
    EXPECT_BAD_INPUT(test::runCli(test::q({"compare", dir, "1"})), "2 to 6 runs");
    EXPECT_BAD_INPUT(test::runCli(test::q({"compare", dir, "1", "9"})), "no run 9");
    EXPECT_BAD_INPUT(test::runCli(test::q({"compare", dir, "1", "x"})), "run 'x'");
    EXPECT_BAD_INPUT(test::runCli(test::q({"new-run", dir, "--from", "1", "--set", "recipe.bogus=1"})), "recipe.bogus");
    EXPECT_BAD_INPUT(test::runCli(test::q({"import-runs", dir, scratch.path("nothing")})), "nothing");
    CLI_OK(test::runCli(test::q({"tag-run", dir, "1", "--name", "base", "--tags", "kept"})));
    const json runs = jsonOf(test::runCli(test::q({"runs", dir, "--json"})));
    QCOMPARE(runs[0]["name"].get<std::string>(), std::string("base"));
    QCOMPARE(runs[0]["tags"], json({"kept"}));
  }
};

QTEST_GUILESS_MAIN(TestCompareCli)
#include "tst_compare_cli.moc"
