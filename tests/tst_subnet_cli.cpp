// evaluate, latency-table, search and pareto through the real supernet-cli binary on a
// trained project: what they print, what they store, and how they refuse bad input.
#include <QtTest>
#include <nlohmann/json.hpp>
#include <set>

#include "cli_support.h"
#include "core/search/pareto_front.h"
#include "db/store.h"
#include "test_support.h"
#include "trained_fixture.h"

using namespace sn;
using nlohmann::json;
using sn::test::CliResult;
using sn::test::q;
using sn::test::runCli;

namespace {

json runJson(const QStringList& args) {
  const CliResult r = runCli(args);
  if (r.code != 0) qFatal("supernet-cli failed (%d): %s", r.code, r.err.c_str());
  return json::parse(r.out);
}

json runJson(std::initializer_list<std::string> args) { return runJson(q(args)); }

json runJson(const std::vector<std::string>& args) {
  QStringList list;
  for (const std::string& a : args) list << QString::fromStdString(a);
  return runJson(list);
}

}  // namespace

class TestSubnetCli : public QObject {
  Q_OBJECT

 private:
  test::Scratch scratch;
  std::string dir;
  double sameBatchesRmse_ = -1;  // set by the first predictor study, read by the second

 private Q_SLOTS:
  void initTestCase() {
    dir = test::copyOfTrainedProject(test::Trained::Dense, scratch.path("trained"));
  }

  void trainingStoredTheProbeSet() {
    Store store(dir + "/project.sqlite", Database::Mode::ReadOnly);
    QCOMPARE(store.subnets().count(1), int64_t(12));  // 6 probes, 2 epochs
  }

  void evaluateStoresAccuracyAndMeasuredLatency() {
    const json out = runJson({"evaluate", dir, "--spread", "14", "--threads", "2",
                              "--latency-runs", "5", "--json"});
    QCOMPARE(out.size(), size_t(14));
    for (const json& s : out) {
      QVERIFY(s["accuracy"].get<double>() >= 0 && s["accuracy"].get<double>() <= 1);
      QVERIFY(s["latency_ms"].get<double>() > 0);
      QVERIFY(s["latency_device"].get<std::string>().find("threads") != std::string::npos);
      QCOMPARE(s["source"].get<std::string>(), std::string("evaluated"));
      QVERIFY(s["macs"].get<int64_t>() > 0 && s["params"].get<int64_t>() > 0);
    }
    QVERIFY(out.front()["macs"] < out.back()["macs"]);  // spread: smallest first, largest last
  }

  void latencyTableIsStoredAndChecked() {
    const json t = runJson({"latency-table", dir, "--threads", "2", "--runs", "10",
                            "--validate", "6", "--json"});
    // fmnist-tiny: 3 stages x (first block, later blocks) x 2 kernels x 2 expands.
    QCOMPARE(t["blocks"].size(), size_t(24));
    QCOMPARE(t["checks"].size(), size_t(6));
    for (const json& c : t["checks"]) {
      QVERIFY(c["predicted_ms"].get<double>() > 0);
      QVERIFY(c["remeasured_ms"].get<double>() > 0);  // measured twice: the noise floor
    }
    QCOMPARE(t["method"].get<std::string>(), std::string("in-network"));
    QCOMPARE(t["block_scale"].get<double>(), 1.0);
    QVERIFY(t["noise_p90"].get<double>() >= t["noise_median"].get<double>());
    Store store(dir + "/project.sqlite", Database::Mode::ReadOnly);
    QCOMPARE(store.latency().list().size(), size_t(1));
    const LatencyTableRecord stored = *store.latency().find(t["id"].get<int64_t>());
    QCOMPARE(stored.method, std::string("in-network"));
    QCOMPARE(stored.checks.front().remeasuredMs, t["checks"][0]["remeasured_ms"].get<double>());
    // The text output says how the blocks were timed and what the machine's noise is.
    const CliResult text = runCli(q({"latency-table", dir, "--threads", "1", "--runs", "10",
                                     "--validate", "4", "--method", "isolated"}));
    QCOMPARE(text.code, 0);
    QVERIFY2(text.out.find("blocks timed alone") != std::string::npos, text.out.c_str());
    QVERIFY2(text.out.find("noise floor: the same 4 subnets") != std::string::npos, text.out.c_str());
    EXPECT_BAD_INPUT(runCli(q({"latency-table", dir, "--method", "guess"})), "unknown latency table method");
  }

  void predictorStudyComparesModelsAndMeasuresTheCeiling() {
    // Enough subnets of the newest epoch for a held-out split.
    QCOMPARE(runCli(q({"evaluate", dir, "--sample", "16", "--seed", "9", "--no-latency",
                       "--threads", "2"})).code, 0);
    const json same = runJson({"predictor", dir, "--ceiling", "6", "--recal-seed", "1",
                               "--threads", "2", "--json"});
    QCOMPARE(same["models"].size(), size_t(4));
    std::set<std::string> names;
    for (const json& m : same["models"]) {
      names.insert(m["model"].get<std::string>());
      QVERIFY(m.contains("held_out_tau"));
      QVERIFY(m["cv_tau"]["low"].get<double>() <= m["cv_tau"]["tau"].get<double>());
    }
    QCOMPARE(names, (std::set<std::string>{"ridge", "ridge+cost", "mlp", "gbt"}));
    QVERIFY(names.count(same["chosen"].get<std::string>()));
    QVERIFY(same["measured"].get<int>() >= 20);
    QVERIFY(!same["curve"].empty());
    QCOMPARE(same["curve"].back()["subnets"].get<int>(), same["fitted"].get<int>());
    // Re-evaluated with the recipe's own recalibration seed (1): the same batches, the same
    // accuracies (up to an image of the 500 flipping with another thread count).
    // The fixture tests on its first 500 images: a second ceiling also takes the next 500.
    QCOMPARE(same["ceilings"].size(), size_t(2));
    const json& sameBatches = same["ceilings"][0];
    QCOMPARE(sameBatches["differs"].get<std::string>(), std::string("recalibration batches"));
    QCOMPARE(sameBatches["subnets"].get<int>(), 6);
    QVERIFY(sameBatches["rmse"].get<double>() <= 0.002);
    // Other images: other accuracies.
    QVERIFY(same["ceilings"][1]["rmse"].get<double>() > sameBatches["rmse"].get<double>());
    sameBatchesRmse_ = sameBatches["rmse"].get<double>();
  }

  // Split from the one above so neither nears a minute on the slowest machine.
  void predictorCeilingWithOtherBatchesStoresNothing() {
    QVERIFY2(sameBatchesRmse_ >= 0, "runs after predictorStudyComparesModelsAndMeasuresTheCeiling");
    // Other batches: the two evaluations differ, and that is the ceiling.
    const json other = runJson({"predictor", dir, "--ceiling", "6", "--no-curve", "--threads",
                                "2", "--json"});
    QVERIFY(other["ceilings"][0]["rmse"].get<double>() > sameBatchesRmse_);
    QVERIFY(std::abs(other["ceilings"][0]["tau"]["tau"].get<double>()) <= 1.0);
    // Nothing was stored by the study.
    Store store(dir + "/project.sqlite", Database::Mode::ReadOnly);
    const int64_t count = store.subnets().count(1);
    runJson({"predictor", dir, "--ceiling", "3", "--no-curve", "--json"});
    QCOMPARE(store.subnets().count(1), count);
  }

  void searchStaysWithinTheLimitsAndVerifies() {
    Store store(dir + "/project.sqlite", Database::Mode::ReadOnly);
    std::vector<double> macs;
    for (const SubnetRecord& s : store.subnets().forRun(1)) macs.push_back(s.macs);
    const double limit = test::median(macs);
    const json out = runJson({"search", dir, "--max-macs", std::to_string(limit / 1e6),
                              "--population", "20", "--generations", "15", "--verify", "2",
                              "--threads", "2", "--json"});
    int searched = 0;
    for (const json& s : out) {
      QVERIFY(s["macs"].get<double>() <= limit);
      if (s["source"] == "searched") {
        ++searched;
        QVERIFY(s["latency_ms"].get<double>() > 0);
      } else {
        QCOMPARE(s["source"].get<std::string>(), std::string("predicted"));
        QVERIFY(!s["latency_ms"].is_null());  // the lookup table exists for this device
      }
    }
    QCOMPARE(searched, 2);
  }

  void nsga2UnderALatencyLimit() {
    // The limit comes from the lookup table's own predictions (what the search compares), at
    // the median of an unconstrained front: binding, and met by half that front. (A limit from
    // measured latencies failed once: the table put the smallest subnet above their midpoint.)
    const auto search = [&](const std::vector<std::string>& extra) {
      std::vector<std::string> args = {"search", dir, "--method", "nsga2", "--population", "20",
                                       "--generations", "10", "--verify", "0", "--threads", "2",
                                       "--json"};
      args.insert(args.end(), extra.begin(), extra.end());
      return runJson(args);
    };
    const json free = search({"--max-latency", "1000"});
    QVERIFY(free.size() >= 4);
    const double limit = free[free.size() / 2]["latency_ms"].get<double>();
    const json out = search({"--max-latency", std::to_string(limit)});
    QVERIFY(out.size() >= 2);
    for (const json& s : out) QVERIFY(s["latency_ms"].get<double>() <= limit);
    for (size_t i = 1; i < out.size(); ++i) QVERIFY(out[i - 1]["latency_ms"] <= out[i]["latency_ms"]);
  }

  void paretoIsTheNonDominatedMeasuredSubnets() {
    for (const std::string by : {"macs", "latency"}) {
      const json front = runJson({"pareto", dir, "--by", by, "--json"});
      QVERIFY(!front.empty());
      Store store(dir + "/project.sqlite", Database::Mode::ReadOnly);
      for (const json& f : front) {
        QVERIFY(f["source"] != "predicted");
        const double cost = by == "macs" ? f["macs"].get<double>() : f["latency_ms"].get<double>();
        for (const SubnetRecord& s : store.subnets().forRun(1)) {
          if (!isMeasured(s.source) || !s.latencyMs) continue;
          const double c = by == "macs" ? double(s.macs) : *s.latencyMs;
          const bool dominates = c <= cost && *s.accuracy >= f["accuracy"].get<double>() &&
                                 (c < cost || *s.accuracy > f["accuracy"].get<double>());
          QVERIFY2(!dominates, (s.arch + " dominates " + f["arch"].get<std::string>()).c_str());
        }
      }
    }
  }

  void badInputIsOneClearMessage() {
    EXPECT_BAD_INPUT(runCli(q({"search", dir, "--max-macs", "0.001"})), "even the smallest");
    EXPECT_BAD_INPUT(runCli(q({"search", dir, "--max-macs", "lots"})), "not a number");
    EXPECT_BAD_INPUT(runCli(q({"search", dir, "--method", "annealing"})), "unknown search method");
    EXPECT_BAD_INPUT(runCli(q({"pareto", dir, "--by", "flops"})), "use macs or latency");
    EXPECT_BAD_INPUT(runCli(q({"evaluate", dir, "--arch", "d=9,9,9"})), "d=9");
    const std::string fresh = scratch.path("fresh");
    QCOMPARE(runCli(q({"init", fresh, "--dataset", "synthetic"})).code, 0);
    EXPECT_BAD_INPUT(runCli(q({"pareto", fresh, "--json"})), "no run yet");
    EXPECT_BAD_INPUT(runCli(q({"search", fresh, "--max-macs", "5"})), "no run yet");
  }
};

QTEST_GUILESS_MAIN(TestSubnetCli)
#include "tst_subnet_cli.moc"
