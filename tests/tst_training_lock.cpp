// One trainer per project folder: the lock refuses a second trainer, names the holder, and
// is gone when its owner is.
#include <QtTest>

#include <unistd.h>

#include <filesystem>

#include "core/project/training_lock.h"
#include "core/util/input_error.h"
#include "test_support.h"

using namespace sn;

class TestTrainingLock : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void secondTrainerIsRefusedWithTheHoldersPid() {
    test::Scratch s;
    const TrainingLock first(s.path());
    try {
      const TrainingLock second(s.path());
      QFAIL("a second lock of the same folder was granted");
    } catch (const InputError& e) {
      const std::string msg = e.what();
      QVERIFY2(msg.find("pid " + std::to_string(getpid())) != std::string::npos, e.what());
      QVERIFY2(msg.find(s.path()) != std::string::npos, e.what());
    }
  }

  void holderReportsTheTrainerOnlyWhileItHoldsTheLock() {
    test::Scratch s;
    QVERIFY(!TrainingLock::holder(s.path()));
    {
      const TrainingLock lock(s.path());
      QCOMPARE(TrainingLock::holder(s.path()).value_or(-1), static_cast<long>(getpid()));
    }
    QVERIFY(!TrainingLock::holder(s.path()));
    const TrainingLock again(s.path());  // released: can be taken again
  }

  void unwritableFolderIsAClearError() {
    if (geteuid() == 0) QSKIP("root writes into read-only folders");
    test::Scratch s;
    std::filesystem::permissions(s.path(), std::filesystem::perms::owner_read |
                                               std::filesystem::perms::owner_exec);
    QVERIFY_THROWS_EXCEPTION(InputError, TrainingLock lock(s.path()));
    std::filesystem::permissions(s.path(), std::filesystem::perms::owner_all);
  }
};

QTEST_APPLESS_MAIN(TestTrainingLock)
#include "tst_training_lock.moc"
