// Subnets-tab benchmark at real sizes: a project database with N subnets (made in SQL), opened
// in the Subnets tab as the GUI does (rows, scatter, density image and table order on
// workers), then 10k more arriving, then the constraint sliders. Prints, per N: time to the
// first paint (counts, sliders, axes and the measured front), to the rows and best subnet, to
// the whole scatter and table, the longest
// event-loop stall during all of it, the memory the rows take (RSS growth), and slider updates
// p50/p95/max including the repaint of the chart.
//   build/tests/bench_sliders [N ...]   (default 100000 1000000)
#include <QApplication>
#include <QElapsedTimer>
#include <QSlider>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>

#include "../stall_probe.h"
#include "bench_support.h"
#include "../subnet_fixture.h"
#include "views/constraint_panel.h"
#include "views/pareto_chart.h"
#include "views/subnet_snapshot.h"
#include "views/subnets_page.h"

using namespace sn;
using namespace sn::bench;

namespace {

void benchmark(int count) {
  QTemporaryDir tmp;
  const std::string dir = (tmp.path() + "/bench").toStdString();
  auto t = Clock::now();
  int64_t run = 0;
  {
    Project project = Project::create(dir, "fmnist-small");
    run = test::addSqlSubnetRun(project, "bench", count, 1);
  }
  const double fillMs = msSince(t);
  auto page = std::make_unique<SubnetsPage>();
  page->resize(1400, 900);
  page->show();
  page->setProject(QString::fromStdString(dir), Project::open(dir).config().space, {1, 28, 10});
  waitFor([&] { return !page->loading(); });
  const double rssEmpty = rssMb();
  StallProbe probe;
  probe.start();
  t = Clock::now();
  double firstPaintMs = 0, rowsShownMs = 0;
  // SN_BENCH_SHOTS=DIR: what the first paint and the whole load look like (the grabs count
  // in the stall figure).
  const QString shots = qEnvironmentVariable("SN_BENCH_SHOTS");
  QObject::connect(page.get(), &SubnetsPage::previewShown, [&] {
    if (firstPaintMs == 0) firstPaintMs = msSince(t);
    // After the chart's own queued layout, as the screen would show it.
    if (!shots.isEmpty())
      QTimer::singleShot(
          20, [&] { page->grab().save(shots + QString("/first-paint-%1.png").arg(count)); });
  });
  QObject::connect(page.get(), &SubnetsPage::subnetsShown, [&] {
    if (rowsShownMs == 0) rowsShownMs = msSince(t);
    if (firstPaintMs == 0) firstPaintMs = rowsShownMs;
  });
  page->load(run, std::nullopt, "");
  waitFor([&] { return !page->loading(); });
  const double wholeMs = msSince(t);
  probe.stop();
  if (!shots.isEmpty()) page->grab().save(shots + QString("/whole-%1.png").arg(count));
  const double loadStall = probe.longestStallMs();
  const double rssLoaded = rssMb();

  // 10k more, as a search stores them; the page reads only those.
  {
    Project project = Project::open(dir);
    test::appendSqlSubnets(project, run, 10000, 2);
  }
  probe.start();
  t = Clock::now();
  page->load(run, std::nullopt, "");
  waitFor([&] { return !page->loading(); });
  const double moreMs = msSince(t);
  probe.stop();
  const bool incremental = page->snapshot()->incremental;

  std::mt19937 rng(1);
  std::uniform_int_distribution<int> position(0, ConstraintPanel::kSteps);
  std::vector<double> ms;
  QSlider* sliders[] = {page->constraints()->macsSlider(), page->constraints()->paramsSlider(),
                        page->constraints()->latencySlider()};
  for (int i = 0; i < 600; ++i) {
    QSlider* s = sliders[i % 3];
    t = Clock::now();
    s->setValue(position(rng));  // emits limitsChanged -> best subnet, highlight, arch view
    page->chart()->viewport()->repaint();  // the highlighted subnet drawn, density image under it
    ms.push_back(msSince(t));
  }
  std::sort(ms.begin(), ms.end());
  std::printf(
      "%8d subnets: insert %.1f s; first paint (axes, front, counts) %.0f ms, rows and best subnet "
      "%.0f ms, whole scatter and table %.0f ms, longest "
      "UI stall %.1f ms; rows in memory %.0f MB (CompactSubnets), RSS +%.0f MB over an empty page; "
      "10k more: %s in %.0f ms, longest stall %.1f ms; slider update + repaint p50 %.3f ms, "
      "p95 %.3f ms, max %.3f ms (600 updates)\n",
      count, fillMs / 1000, firstPaintMs, rowsShownMs, wholeMs, loadStall,
      page->snapshot()->subnets.bytes() / 1e6, rssLoaded - rssEmpty,
      incremental ? "incremental" : "full", moreMs, probe.longestStallMs(), ms[ms.size() / 2],
      ms[ms.size() * 95 / 100], ms.back());
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
