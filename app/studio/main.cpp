// supernet-studio: the desktop application. Options let the README's demo open a project
// with training started, and let a screenshot script render the views without a person.
#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include "app/studio/main_window.h"
#include "app/studio/termination_signals.h"
#include "core/util/allocator_tuning.h"
#include "core/util/build_info.h"
#include "views/screenshot.h"

#include <cstdio>

int main(int argc, char** argv) {
  sn::keepFreedMemoryForReuse();  // as the CLI: training's big tensors are reused each step
  QApplication app(argc, argv);
  QApplication::setOrganizationName("SupernetStudio");
  QApplication::setApplicationName("supernet-studio");
  QApplication::setApplicationVersion(sn::toolVersion());

  QCommandLineParser parser;
  parser.setApplicationDescription("Supernet Studio: train and explore weight-sharing supernets");
  parser.addHelpOption();
  QCommandLineOption version({"v", "version"}, "Print the version and those of LibTorch, Qt and SQLite");
  parser.addOption(version);
  parser.addPositionalArgument("project", "Project folder to open (optional)");
  QCommandLineOption start("start", "Start a new training run of the project once it is open");
  QCommandLineOption epochs("epochs", "Epochs of the run --start begins (default: the recipe's)",
                            "N");
  QCommandLineOption device("device", "Training device: cpu or cuda[:N]", "D");
  QCommandLineOption threads("threads", "CPU threads for training (default: every core)", "N");
  QCommandLineOption screenshot("screenshot",
                                "Open, let the window render, save it to FILE (PNG) and quit: for scripts "
                                "and the package test",
                                "FILE");
  parser.addOptions({start, epochs, device, threads, screenshot});
  parser.process(app);
  if (parser.isSet(version)) {
    std::printf("supernet-studio (Supernet Studio) %s\n%s\nQt %s\n", sn::toolVersion(),
                sn::libraryVersions().c_str(), qVersion());
    return 0;
  }

  sn::MainWindow window;
  // A logout or `kill` closes the window as the user would: training stops after the step,
  // with a checkpoint, then the application quits.
  sn::TerminationSignals termination;
  QObject::connect(&termination, &sn::TerminationSignals::received, &window, [&window](int) { window.close(); });
  if (parser.isSet(threads)) window.setTrainingThreads(parser.value(threads).toInt());
  window.show();
  const QStringList args = parser.positionalArguments();
  if (!args.isEmpty()) {
    // After the event loop starts, so errors appear over a shown window.
    QTimer::singleShot(0, &window, [&] {
      if (!window.openProject(args.front())) return;
      if (parser.isSet(device)) window.setDevice(parser.value(device));
      if (parser.isSet(start)) window.startTraining(parser.value(epochs).toInt());
    });
  }
  if (parser.isSet(screenshot)) {
    // Two seconds: the project's tables and charts load after the window shows.
    QTimer::singleShot(2000, &window, [&] {
      const bool saved = sn::saveScreenshot(&window, parser.value(screenshot));
      if (!saved) std::fprintf(stderr, "supernet-studio: %s: cannot be written\n", qPrintable(parser.value(screenshot)));
      QApplication::exit(saved ? 0 : 1);
    });
  }
  return app.exec();
}
