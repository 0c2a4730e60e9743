#include "app/studio/termination_signals.h"

#include <QSocketNotifier>

#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <stdexcept>

namespace sn {
namespace {

int gSockets[2] = {-1, -1};  // [0] written by the handler, [1] read by the notifier

void onSignal(int number) {
  const char byte = static_cast<char>(number);
  [[maybe_unused]] const ssize_t n = ::write(gSockets[0], &byte, 1);
}

}  // namespace

TerminationSignals::TerminationSignals(QObject* parent) : QObject(parent) {
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, gSockets) != 0) {
    throw std::runtime_error("cannot create the socket pair for SIGTERM");
  }
  notifier_ = new QSocketNotifier(gSockets[1], QSocketNotifier::Read, this);
  connect(notifier_, &QSocketNotifier::activated, this, &TerminationSignals::readSignal);
  struct sigaction action {};
  action.sa_handler = onSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGHUP, &action, nullptr);
}

TerminationSignals::~TerminationSignals() {
  std::signal(SIGTERM, SIG_DFL);
  std::signal(SIGHUP, SIG_DFL);
  ::close(gSockets[0]);
  ::close(gSockets[1]);
  gSockets[0] = gSockets[1] = -1;
}

void TerminationSignals::readSignal() {
  char byte = 0;
  if (::read(gSockets[1], &byte, 1) == 1) Q_EMIT received(byte);
}

}  // namespace sn
