#pragma once
// Trained projects shared by the integration and GUI tests. Training is most of what those
// tests cost, and most of them only need "a project with a trained run", so each kind is
// trained once per ctest run (the fixture test tst_fixture_projects, which CTest runs before
// every test that needs it) and a test copies it into its own scratch folder: nothing one test
// does reaches another. A test run on its own trains a missing (or older than supernet-cli)
// fixture first.
#include <string>

namespace sn::test {

enum class Trained {
  // fmnist-tiny on 2048 Fashion-MNIST training / 500 test images, 2 epochs: run 1 "dense".
  Dense,
  // Dense plus run 2 "tickets", made from run 1 with new-run (on the first 1024 training
  // images) and trained with pruning: start at epoch 1, +25 % a step up to 50 % (prunes
  // opening epochs 1 and 2 of 3), so its epoch-1 evaluations are dense and the later ones
  // sparse.
  Tickets,
};

// The shared copy (read it, never change it), trained first when missing or stale.
std::string trainedProject(Trained kind);
// A private copy at `dir` (which must not exist), for a test that changes the project.
std::string copyOfTrainedProject(Trained kind, const std::string& dir);
// Trains the fixture anew (what tst_fixture_projects does at the start of a ctest run).
std::string rebuildTrainedProject(Trained kind);

}  // namespace sn::test
