// Compare-tab benchmark at real sizes: a project of R runs x N subnets (made in SQL), compared
// in the Compare tab as the GUI does it (compareRuns, the sampled scatter and the sliders'
// spans on a worker; widgets filled over three event-loop turns), then 10k more subnets
// arriving in the first run while it is shown. Prints the time to the first paint (fronts and
// summary), to the whole view (curves, history, tables), the longest event-loop stall, and
// the memory growth.
//   build/tests/bench_compare [RUNS [N [SHOTS]]]   (default 6 200000)
// SHOTS: a folder for screenshots of the first view and the whole view (their grabs, on the
// UI thread, add to the whole view's time and to the longest stall).
#include <QApplication>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include <QEventLoop>
#include <QTemporaryDir>
#include <QTimer>

#include "../stall_probe.h"
#include "../subnet_fixture.h"
#include "app/studio/main_window.h"
#include "bench_support.h"
#include "views/compare_view.h"
#include "views/metrics_feed.h"
#include "views/screenshot.h"
#include "views/subnets_page.h"

using namespace sn;
using namespace sn::bench;

int main(int argc, char** argv) {
  qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  const int runs = argc > 1 ? std::atoi(argv[1]) : 6;
  const int count = argc > 2 ? std::atoi(argv[2]) : 200000;
  const QString shots = argc > 3 ? QString(argv[3]) : QString();
  QTemporaryDir tmp;
  const std::string dir = (tmp.path() + "/bench").toStdString();
  auto t = Clock::now();
  std::vector<qint64> ids;
  {
    Project project = Project::create(dir, "fmnist-small");
    for (int r = 0; r < runs; ++r) ids.push_back(test::addSqlSubnetRun(project, "run" + std::to_string(r), count, 10 + r));
  }
  const double fillS = msSince(t) / 1000;
  MainWindow window;
  window.resize(1500, 950);
  if (!window.openProject(QString::fromStdString(dir))) return 1;
  window.show();
  window.selectRuns(ids);
  CompareView* view = window.compareView();
  // The Subnets tab loads the selected run first: the comparison is timed on its own, as a
  // user who clicks Compare a moment later sees it.
  waitFor([&] { return !window.subnetsPage()->loading(); }, [] {});
  const double rssBefore = rssMb();
  StallProbe probe;
  probe.start();
  t = Clock::now();
  double firstPaintMs = 0, comparedMs = 0;
  QObject::connect(view, &CompareView::frontsShown, [&] {
    if (firstPaintMs != 0) return;
    firstPaintMs = msSince(t);
    // Once the event loop has laid the chart out, as the user sees it.
    if (!shots.isEmpty())
      QTimer::singleShot(0, view,
                         [&] { saveScreenshot(&window, shots + "/compare-first-view.png"); });
  });
  window.compareSelectedRuns();
  waitFor([&] { return !view->loading() && view->comparison(); },
          [&] { if (comparedMs == 0 && view->comparison()) comparedMs = msSince(t); });
  const double wholeMs = msSince(t);
  probe.stop();
  const double loadStall = probe.longestStallMs();
  const double rssAfter = rssMb();
  if (!shots.isEmpty()) saveScreenshot(&window, shots + "/compare-whole-view.png");

  // 10k more in the first run, stored by another connection while the comparison is shown.
  const size_t measuredBefore = view->comparison()->runs[0].measured.size();
  {
    Project project = Project::open(dir);
    test::appendSqlSubnets(project, ids[0], 10000, 99);
  }
  probe.start();
  t = Clock::now();
  window.feed()->poll();
  waitFor([&] { return !view->loading() && view->comparison()->runs[0].measured.size() > measuredBefore; }, [] {});
  const double moreMs = msSince(t);
  probe.stop();
  std::printf("%d runs x %d subnets: insert %.1f s; first paint (fronts) %.0f ms, hypervolumes and summary %.0f ms, whole view %.0f ms, "
              "longest UI stall %.1f ms; RSS +%.0f MB after the comparison; 10k more in run %lld: followed in "
              "%.0f ms, longest stall %.1f ms\n",
              runs, count, fillS, firstPaintMs, comparedMs, wholeMs, loadStall, rssAfter - rssBefore,
              static_cast<long long>(ids[0]), moreMs, probe.longestStallMs());
  return 0;
}
