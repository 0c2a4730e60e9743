// supernet-studio: the desktop application. Options let the README's demo open a project
// with training started, and let a screenshot script render the views without a person.
#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include "app/studio/main_window.h"
#include "core/util/allocator_tuning.h"

int main(int argc, char** argv) {
  sn::keepFreedMemoryForReuse();  // as the CLI: training's big tensors are reused each step
  QApplication app(argc, argv);
  QApplication::setOrganizationName("SupernetStudio");
  QApplication::setApplicationName("supernet-studio");
  QApplication::setApplicationVersion("0.1.0");

  QCommandLineParser parser;
  parser.setApplicationDescription("Supernet Studio: train and explore weight-sharing supernets");
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addPositionalArgument("project", "Project folder to open (optional)");
  QCommandLineOption start("start", "Start a new training run of the project once it is open");
  QCommandLineOption epochs("epochs", "Epochs of the run --start begins (default: the recipe's)",
                            "N");
  QCommandLineOption device("device", "Training device: cpu or cuda[:N]", "D");
  QCommandLineOption threads("threads", "CPU threads for training (default: every core)", "N");
  parser.addOptions({start, epochs, device, threads});
  parser.process(app);

  sn::MainWindow window;
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
  return app.exec();
}
