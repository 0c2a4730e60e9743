// Constraint-slider benchmark: a real project database with N subnets, loaded as the GUI
// loads it, then the time of each slider update (skyline query, scatter highlight,
// architecture view) over many random slider positions. Prints p50/p95/max per N.
//   build/tests/bench_sliders [N ...]   (default 100000 1000000)
#include <QApplication>
#include <QSlider>
#include <QTemporaryDir>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

#include "../subnet_fixture.h"
#include "views/constraint_panel.h"
#include "views/subnets_page.h"

using namespace sn;
using Clock = std::chrono::steady_clock;

namespace {

double msSince(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

void benchmark(int count) {
  QTemporaryDir tmp;
  const std::string dir = (tmp.path() + "/bench").toStdString();
  auto t = Clock::now();
  const int64_t run = test::fillSubnetProject(dir, count);
  const double fillMs = msSince(t);
  Store store(dir + "/project.sqlite", Database::Mode::ReadOnly);
  t = Clock::now();
  std::vector<SubnetRecord> subnets = store.subnets().forRun(run);
  const double loadMs = msSince(t);
  SubnetsPage page;
  page.setProject(QString::fromStdString(dir), Project::open(dir).config().space, {1, 28, 10});
  t = Clock::now();
  page.setSubnets(run, std::move(subnets), std::nullopt);
  const double buildMs = msSince(t);
  std::mt19937 rng(1);
  std::uniform_int_distribution<int> position(0, ConstraintPanel::kSteps);
  std::vector<double> ms;
  QSlider* sliders[] = {page.constraints()->macsSlider(), page.constraints()->paramsSlider(),
                        page.constraints()->latencySlider()};
  for (int i = 0; i < 600; ++i) {
    QSlider* s = sliders[i % 3];
    t = Clock::now();
    s->setValue(position(rng));  // emits limitsChanged -> best subnet, highlight, arch view
    ms.push_back(msSince(t));
  }
  std::sort(ms.begin(), ms.end());
  std::printf("%8d subnets: insert %.1f s, load %.0f ms, page build %.0f ms; slider update p50 %.3f ms, "
              "p95 %.3f ms, max %.3f ms (600 updates)\n",
              count, fillMs / 1000, loadMs, buildMs, ms[ms.size() / 2], ms[ms.size() * 95 / 100], ms.back());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  std::vector<int> counts;
  for (int i = 1; i < argc; ++i) counts.push_back(std::atoi(argv[i]));
  if (counts.empty()) counts = {100000, 1000000};
  for (int n : counts) benchmark(n);
  return 0;
}
