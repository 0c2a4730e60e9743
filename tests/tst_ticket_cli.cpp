// SuperTickets end to end on real Fashion-MNIST: a dense run and a pruning run made from
// it, the masks' sparsity and dynamics in the metrics table, sparse MACs of every evaluated
// subnet, ticket-report computing the dense-then-prune baselines once, retrain-ticket, and
// bad input.
#include <QtTest>
#include <cmath>
#include <map>

#include "cli_support.h"
#include "core/project/project.h"
#include "core/util/csv_table.h"
#include "db/store.h"
#include "test_support.h"

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

 private Q_SLOTS:
  void ticketsAreTrainedReportedAndRetrained() {
    const std::string dir = scratch.path("p");
    CLI_OK(test::runCli(test::q({"init", dir, "--train-limit", "1536", "--test-limit", "500", "--epochs", "2"})));
    EXPECT_BAD_INPUT(test::runCli(test::q({"ticket-report", dir})), "no trained run without pruning");
    CLI_OK(test::runCli(test::q({"train", dir, "--threads", "2", "--name", "dense"})));
    EXPECT_BAD_INPUT(test::runCli(test::q({"ticket-report", dir})), "no trained run prunes");
    EXPECT_BAD_INPUT(test::runCli(test::q({"new-run", dir, "--from", "1", "--set", R"(recipe.pruning={"target":1.5})"})),
                     "recipe.pruning target");
    CLI_OK(test::runCli(test::q({"new-run", dir, "--from", "1", "--name", "tickets", "--set",
                                 R"(recipe.pruning={"start_epoch":0,"interval":1,"step":0.25,"target":0.5})"})));
    CLI_OK(test::runCli(test::q({"train", dir, "--run", "2", "--threads", "2"})));

    {
      Project project = Project::open(dir);
      Store& store = project.store();
      // The schedule, exactly: 25 % opening epoch 0, 50 % opening epoch 1.
      const auto overall = store.metrics().series(2, "sparsity/overall");
      QCOMPARE(overall.size(), size_t{2});
      QVERIFY(std::abs(overall[0].value - 0.25) < 1e-4 && std::abs(overall[1].value - 0.5) < 1e-4);
      QCOMPARE(store.metrics().series(2, "prune/pruned").size(), size_t{2});
      QCOMPARE(store.metrics().series(2, "prune/reactivated").size(), size_t{2});
      int layerKeys = 0;
      for (const std::string& k : store.metrics().keys(2)) layerKeys += k.rfind("sparsity/layer/", 0) == 0;
      QVERIFY(layerKeys > 10);
      QVERIFY(store.metrics().series(1, "sparsity/overall").empty());
      for (const SubnetRecord& s : store.subnets().forRun(2)) {
        QVERIFY2(s.sparsity > 0.1 && s.sparseMacs < s.macs, s.arch.c_str());
      }
      for (const SubnetRecord& s : store.subnets().forRun(1)) {
        QCOMPARE(s.sparsity, 0.0);
        QCOMPARE(s.sparseMacs, s.macs);
      }
    }

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

    const test::CliResult retrained =
        test::runCli(test::q({"retrain-ticket", dir, "--run", "2", "--arch", "min", "--epochs", "1", "--json"}));
    CLI_OK(retrained);
    QVERIFY2(retrained.out.find("\"retrained\"") != std::string::npos, retrained.out.c_str());
    const CsvTable withRetrain =
        CsvTable::parse(test::runCli(test::q({"ticket-report", dir, "--csv", "--no-compute"})).out, "report");
    QVERIFY(rowsByMethod(withRetrain, "smallest").count("supertickets+retrain@0.5"));
    EXPECT_BAD_INPUT(test::runCli(test::q({"retrain-ticket", dir, "--run", "2", "--arch", "d=9"})), "d=9");
    EXPECT_BAD_INPUT(test::runCli(test::q({"ticket-report", dir, "--runs", "1"})), "not a trained pruning run");
  }
};

QTEST_GUILESS_MAIN(TestTicketCli)
#include "tst_ticket_cli.moc"
