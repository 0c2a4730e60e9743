#pragma once
// Running the real supernet-cli binary from a test.
#include <QProcess>
#include <QStringList>
#include <initializer_list>
#include <string>

namespace sn::test {

struct CliResult {
  int code = -1;
  std::string out;
  std::string err;
};

inline CliResult runCli(const QStringList& args, int timeoutMs = 300000) {
  QProcess p;
  p.start(SN_CLI_PATH, args);
  p.waitForFinished(timeoutMs);
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
          p.readAllStandardOutput().toStdString(), p.readAllStandardError().toStdString()};
}

inline QStringList q(std::initializer_list<std::string> args) {
  QStringList out;
  for (const auto& a : args) out << QString::fromStdString(a);
  return out;
}

}  // namespace sn::test

#define EXPECT_BAD_INPUT(result, needle)                                                     \
  do {                                                                                       \
    const sn::test::CliResult& r_ = (result);                                                \
    QVERIFY2(r_.code == 2, ("exit " + std::to_string(r_.code) + ": " + r_.err).c_str());     \
    QVERIFY2(r_.err.find(needle) != std::string::npos, ("stderr: " + r_.err).c_str());       \
  } while (0)

#define CLI_OK(result)                                                                    \
  do {                                                                                    \
    const sn::test::CliResult& r_ = (result);                                             \
    QVERIFY2(r_.code == 0, ("exit " + std::to_string(r_.code) + ": " + r_.err).c_str());  \
  } while (0)
