// SuperTickets end to end on real Fashion-MNIST (the tickets fixture: a dense run and a
// pruning run made from it with new-run), the masks' sparsity and dynamics in the metrics
// table, sparse MACs of every evaluated subnet, ticket-report computing the dense-then-prune
// baselines once, retrain-ticket, and bad input.
#include <QtTest>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "cli_support.h"
#include "core/project/project.h"
#include "core/space/arch.h"
#include "core/util/csv_table.h"
#include "db/store.h"
#include "test_support.h"
#include "trained_fixture.h"

using namespace sn;

namespace {

std::map<std::string, std::vector<std::string>> rowsByMethod(const CsvTable& t, const std::string& subnet) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& row : t.rows) {
    if (row[0] == subnet) out[row[2] + "@" + row[1]] = row;
  }
  return out;
}

}  // namespace

class TestTicketCli : public QObject {
  Q_OBJECT
  test::Scratch scratch;
  std::string dir;  // the tickets fixture: run 1 dense, run 2 made from it with pruning
  std::string firstReport;

 private Q_SLOTS:
  void initTestCase() { dir = test::copyOfTrainedProject(test::Trained::Tickets, scratch.path("p")); }

  void reportNeedsADenseAndAPruningRun() {
    const std::string empty = scratch.path("empty");
    CLI_OK(test::runCli(test::q({"init", empty, "--template", "fmnist-tiny"})));
    EXPECT_BAD_INPUT(test::runCli(test::q({"ticket-report", empty})), "no trained run without pruning");
    const std::string dense = test::copyOfTrainedProject(test::Trained::Dense, scratch.path("dense"));
    EXPECT_BAD_INPUT(test::runCli(test::q({"ticket-report", dense})), "no trained run prunes");
    EXPECT_BAD_INPUT(test::runCli(test::q({"new-run", dense, "--from", "1", "--set", R"(recipe.pruning={"target":1.5})"})),
                     "recipe.pruning target");
    QCOMPARE(Project::open(dense).store().runs().all().size(), size_t{1});
  }

  void pruningRunRecordsItsScheduleAndSparsity() {
    Project project = Project::open(dir);
    Store& store = project.store();
    // The schedule, exactly: 25 % opening epoch 1, 50 % opening epoch 2.
    const auto overall = store.metrics().series(2, "sparsity/overall");
    QCOMPARE(overall.size(), size_t{2});
    QVERIFY(std::abs(overall[0].value - 0.25) < 1e-4 && std::abs(overall[1].value - 0.5) < 1e-4);
    QCOMPARE(store.metrics().series(2, "prune/pruned").size(), size_t{2});
    QCOMPARE(store.metrics().series(2, "prune/reactivated").size(), size_t{2});
    int layerKeys = 0;
    for (const std::string& k : store.metrics().keys(2)) layerKeys += k.rfind("sparsity/layer/", 0) == 0;
    QVERIFY(layerKeys > 10);
    QVERIFY(store.metrics().series(1, "sparsity/overall").empty());
    // Evaluated before the first pruning step: dense. After it, cheaper; the largest subnet
    // holds every prunable weight, so its sparsity is the schedule's (masks are counted, not
    // small weights: the same on any CPU).
    const std::string largest = Arch::largest(project.config().space).toText();
    int largestChecked = 0;
    for (const SubnetRecord& s : store.subnets().forRun(2)) {
      const int64_t epoch = *s.epoch;
      if (epoch == 1) {
        QCOMPARE(s.sparsity, 0.0);
        QCOMPARE(s.sparseMacs, s.macs);
        continue;
      }
      QVERIFY2(s.sparsity > 0.05 && s.sparseMacs < s.macs, s.arch.c_str());
      if (s.arch == largest) {
        QVERIFY(std::abs(s.sparsity - (epoch == 2 ? 0.25 : 0.5)) < 1e-3);
        ++largestChecked;
      }
    }
    QCOMPARE(largestChecked, 2);
    for (const SubnetRecord& s : store.subnets().forRun(1)) {
      QCOMPARE(s.sparsity, 0.0);
      QCOMPARE(s.sparseMacs, s.macs);
    }
  }

  void ticketReportComputesTheBaselinesOnce() {
    const test::CliResult first = test::runCli(test::q({"ticket-report", dir, "--csv", "--threads", "2"}));
    CLI_OK(first);
    const CsvTable report = CsvTable::parse(first.out, "ticket-report");
    for (const std::string subnet : {"largest", "smallest"}) {
      const auto rows = rowsByMethod(report, subnet);
      QVERIFY2(rows.count("dense@0") && rows.count("supertickets@0.5") && rows.count("oneshot@0.5") &&
                   rows.count("oneshot+finetune@0.5"),
               first.out.c_str());
      const double ticketSparsity = std::stod(rows.at("supertickets@0.5")[4]);
      // The baseline is pruned to the ticket's own sparsity, and is cheaper than dense.
      QVERIFY(std::abs(std::stod(rows.at("oneshot@0.5")[4]) - ticketSparsity) < 1e-3);
      QVERIFY(std::stoll(rows.at("oneshot@0.5")[6]) < std::stoll(rows.at("dense@0")[6]));
      QCOMPARE(rows.at("oneshot+finetune@0.5")[6], rows.at("oneshot@0.5")[6]);  // zeros kept
      QCOMPARE(rows.at("oneshot@0.5")[3], std::string("1"));
    }
    // Stored: the second report computes nothing and says the same.
    const test::CliResult again = test::runCli(test::q({"ticket-report", dir, "--csv", "--no-compute"}));
    CLI_OK(again);
    QCOMPARE(again.out, first.out);
  }

  void retrainedTicketJoinsTheReport() {
    const test::CliResult retrained =
        test::runCli(test::q({"retrain-ticket", dir, "--run", "2", "--arch", "min", "--epochs", "1", "--json"}));
    CLI_OK(retrained);
    QVERIFY2(retrained.out.find("\"retrained\"") != std::string::npos, retrained.out.c_str());
    // The same JSON shape as evaluate's and search's (one printer for all of them).
    const nlohmann::json rows = nlohmann::json::parse(retrained.out);
    const nlohmann::json evaluated = nlohmann::json::parse(test::runCli(test::q(
        {"evaluate", dir, "--arch", "min", "--no-latency", "--threads", "2", "--json"})).out);
    QVERIFY(!rows.empty());
    for (const auto& [key, value] : evaluated[0].items()) QVERIFY2(rows[0].contains(key), key.c_str());
    QCOMPARE(rows[0].size(), evaluated[0].size());
    QVERIFY(rows[0]["accuracy"].get<double>() > 0);
    QVERIFY(rows[0]["work_seconds"].get<double>() > 0);
    const CsvTable withRetrain =
        CsvTable::parse(test::runCli(test::q({"ticket-report", dir, "--csv", "--no-compute"})).out, "report");
    QVERIFY(rowsByMethod(withRetrain, "smallest").count("supertickets+retrain@0.5"));
    EXPECT_BAD_INPUT(test::runCli(test::q({"retrain-ticket", dir, "--run", "2", "--arch", "d=9"})), "d=9");
    EXPECT_BAD_INPUT(test::runCli(test::q({"ticket-report", dir, "--runs", "1"})), "not a trained pruning run");
  }
};

QTEST_GUILESS_MAIN(TestTicketCli)
#include "tst_ticket_cli.moc"
