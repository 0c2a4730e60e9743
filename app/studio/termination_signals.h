#pragma once
#include <QObject>

class QSocketNotifier;

namespace sn {

// SIGTERM and SIGHUP (a desktop logout, `kill`) delivered as a Qt signal on the UI thread, so
// the window can stop training after the step with a checkpoint, as closing it does. The
// handler only writes the signal's number to a socket pair (all a handler may do); a
// QSocketNotifier reads it in the event loop. One instance per process.
class TerminationSignals : public QObject {
  Q_OBJECT
 public:
  explicit TerminationSignals(QObject* parent = nullptr);
  ~TerminationSignals() override;

 Q_SIGNALS:
  void received(int signalNumber);

 private:
  void readSignal();

  QSocketNotifier* notifier_ = nullptr;
};

}  // namespace sn
