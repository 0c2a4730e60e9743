// Arch value type: text, JSON and Once-for-All JSON round trips, hashing, validation.
#include <QtTest>
#include <nlohmann/json.hpp>

#include "core/space/arch.h"
#include "core/space/presets.h"
#include "core/space/search_space.h"
#include "core/util/input_error.h"
#include "test_support.h"

using namespace sn;
using sn::test::errorOf;

class TestArch : public QObject {
  Q_OBJECT

 private:
  SearchSpace ofa = spacePreset("ofa-mbv3");
  SearchSpace small = spacePreset("fmnist-small");

 private Q_SLOTS:
  void presetsLoadWithTheirShape() {
    QCOMPARE(ofa.stageCount(), 5);
    QCOMPARE(ofa.stageWidth(0), 24);
    QCOMPARE(ofa.stageWidth(4), 160);
    QCOMPARE(ofa.finalExpandWidth(), 960);
    QCOMPARE(ofa.featureWidth(), 1280);
    QVERIFY(ofa.stages[1].se && !ofa.stages[2].se && ofa.stages[3].se && ofa.stages[4].se);
    QCOMPARE(small.stageCount(), 3);
  }

  void spaceJsonRoundTrips() {
    QVERIFY(SearchSpace::fromJson(ofa.toJson(), "test") == ofa);
    QVERIFY(SearchSpace::fromJson(small.toJson(), "test") == small);
  }

  void textRoundTripsForRandomArchs() {
    std::mt19937_64 rng(3);
    for (int i = 0; i < 200; ++i) {
      const Arch a = Arch::sample(ofa, rng);
      QCOMPARE(Arch::parse(a.toText(), ofa), a);
      QCOMPARE(Arch::fromJson(a.toJson(), ofa), a);
      QCOMPARE(Arch::fromJson(a.toOfaJson(ofa), ofa), a);
      QCOMPARE(Arch::parse(a.toJson().dump(), ofa), a);
    }
  }

  void maxAndMinNamesResolve() {
    QCOMPARE(Arch::parse("max", ofa), Arch::largest(ofa));
    QCOMPARE(Arch::parse(" min ", ofa), Arch::smallest(ofa));
    QCOMPARE(Arch::largest(ofa).toText(),
             std::string("d=4,4,4,4,4 k=7,7,7,7|7,7,7,7|7,7,7,7|7,7,7,7|7,7,7,7 "
                         "e=6,6,6,6|6,6,6,6|6,6,6,6|6,6,6,6|6,6,6,6"));
  }

  void acceptsOnceForAllJson() {
    // Once-for-All lists all 20 blocks; the values of skipped blocks are ignored.
    nlohmann::json j = {{"ks", {3, 5, 7, 7, 5, 5, 3, 3, 7, 7, 7, 7, 3, 3, 3, 3, 5, 7, 3, 5}},
                        {"e", {3, 4, 6, 6, 4, 4, 3, 3, 6, 6, 6, 6, 3, 3, 3, 3, 4, 6, 3, 4}},
                        {"d", {2, 3, 4, 2, 3}}};
    const Arch a = Arch::fromJson(j, ofa);
    QCOMPARE(a.toText(), std::string("d=2,3,4,2,3 k=3,5|5,5,3|7,7,7,7|3,3|5,7,3 "
                                     "e=3,4|4,4,3|6,6,6,6|3,3|4,6,3"));
  }

  void skippedBlocksDoNotChangeIdentity() {
    const std::string a = "d=2,2,2,2,2 k=" + std::string("3,3,5,5,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3");
    const std::string b = "d=2,2,2,2,2 k=" + std::string("3,3,7,7,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3");
    const std::string e = " e=" + std::string("3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3");
    QCOMPARE(Arch::parse(a + e, ofa), Arch::parse(b + e, ofa));
    QCOMPARE(Arch::parse(a + e, ofa).hash(), Arch::parse(b + e, ofa).hash());
  }

  void hashIsStableAndDistinguishes() {
    // Pinned: a hash stored in a database must mean the same arch in every later build.
    QCOMPARE(Arch::largest(ofa).hash(), Arch::parse(Arch::largest(ofa).toText(), ofa).hash());
    QCOMPARE(Arch::largest(ofa).hash().size(), size_t(16));
    QVERIFY(Arch::largest(ofa).hash() != Arch::smallest(ofa).hash());
  }

  void rejectsValuesOutsideTheSpaceNamingThem() {
    auto message = [&](const std::string& text) { return errorOf([&] { Arch::parse(text, ofa); }); };
    QVERIFY(message("d=2,3,4,3,2 k=9,5|3,3,3|3,3,3,3|3,3,3|3,3 e=3,3|3,3,3|3,3,3,3|3,3,3|3,3")
                .find("stage 1 block 1: kernel 9 is not one of {3,5,7}") != std::string::npos);
    QVERIFY(message("d=5,3,4,3,2 k=3 e=3").find("depth 5") != std::string::npos);
    QVERIFY(message("d=2,3,4,3,2 k=3,3|3,3,3|3,3,3,3|3,3,3|3,3 e=3,3|3,3,3|3,3,3,3|3,3,3|3,8")
                .find("stage 5 block 2: expand 8") != std::string::npos);
    QVERIFY(message("d=2,3,4 k=3 e=3").find("5 stages") != std::string::npos);
    QVERIFY(message("hello").find("unknown part") != std::string::npos);
    QVERIFY(message("{\"d\": [2,").find("not valid JSON") != std::string::npos);
  }

  // Found by the fuzzer (tests/fuzz/regressions): a float or a huge number where a whole
  // number belongs was cast (2.5 -> 2; 1e22 undefined), a string where a number belongs threw
  // nlohmann's own exception past every caller. Each is now an InputError naming the field.
  void refusesNumbersThatAreNotWholeAndFieldsOfTheWrongType() {
    auto archError = [&](const std::string& text) { return errorOf([&] { Arch::parse(text, ofa); }); };
    QVERIFY(archError(R"({"ks":[7,7,7,7.5,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7],"e":[6],"d":[4,4,4,4,4]})")
                .find("must be a whole number, not 7.5") != std::string::npos);
    QVERIFY(archError(R"({"ks":[7],"e":[6],"d":[4,4,4,4,88888888888888888888888]})").find("whole number") !=
            std::string::npos);
    nlohmann::json space = ofa.toJson();
    space["description"] = 28;
    auto spaceError = [](const nlohmann::json& j) {
      return errorOf([&] { SearchSpace::fromJson(j, "my-space.json"); });
    };
    QVERIFY(spaceError(space).find("my-space.json: a field has the wrong type") == 0);
    space = ofa.toJson();
    space["stem"]["out"] = 16.5;
    QVERIFY(spaceError(space).find("field 'out' must be a whole number") != std::string::npos);
    space = ofa.toJson();
    space["kernels"] = {3, 5, 1e30};
    QVERIFY(spaceError(space).find("'kernels' must be a whole number") != std::string::npos);
  }
};

QTEST_APPLESS_MAIN(TestArch)
#include "tst_arch.moc"
