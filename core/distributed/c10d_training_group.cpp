#include "core/distributed/c10d_training_group.h"

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef USE_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace sn {
namespace {

using namespace std::chrono_literals;

std::string toString(const std::vector<uint8_t>& bytes) { return {bytes.begin(), bytes.end()}; }
std::vector<uint8_t> toBytes(const std::string& s) { return {s.begin(), s.end()}; }

c10::intrusive_ptr<c10d::TCPStore> connect(const LaunchEnv& env, bool server,
                                           std::chrono::milliseconds timeout) {
  c10d::TCPStoreOptions o;
  o.port = static_cast<uint16_t>(env.masterPort);
  o.isServer = server;
  if (server) o.numWorkers = static_cast<size_t>(env.worldSize);
  o.waitWorkers = false;
  o.timeout = timeout;
  return c10::make_intrusive<c10d::TCPStore>(env.masterAddr, o);
}

// Our keys, apart from anything else the store holds (torchrun's agent keeps its own there).
c10::intrusive_ptr<c10d::Store> storeOf(const LaunchEnv& env,
                                        const c10::intrusive_ptr<c10d::TCPStore>& tcp) {
  c10::intrusive_ptr<c10d::Store> base = tcp;
  if (!env.storePrefix.empty())
    base = c10::make_intrusive<c10d::PrefixStore>(env.storePrefix, base);
  return c10::make_intrusive<c10d::PrefixStore>("supernet", base);
}

// The two collectives training uses, whatever the group's class: in LibTorch 1.13 the
// backends are c10d::ProcessGroups, from 2.0 on c10d::Backends; both have these calls.
struct Collectives {
  std::function<void(std::vector<at::Tensor>&)> allReduce;
  std::function<void(std::vector<at::Tensor>&, int)> broadcast;
};

template <class Group>
Collectives collectivesOf(const c10::intrusive_ptr<Group>& group) {
  return {[group](std::vector<at::Tensor>& t) { group->allreduce(t)->wait(); },
          [group](std::vector<at::Tensor>& t, int root) {
            c10d::BroadcastOptions o;
            o.rootRank = root;
            group->broadcast(t, o)->wait();
          }};
}

bool loopback(const std::string& addr) {
  return addr == "localhost" || addr.rfind("127.", 0) == 0 || addr == "::1";
}

// Gloo's transport device: loopback for a launch on one machine; otherwise the interface
// GLOO_SOCKET_IFNAME names (as in PyTorch), or the one the host name resolves to.
std::shared_ptr<::gloo::transport::Device> glooDevice(const LaunchEnv& env) {
  if (loopback(env.masterAddr)) return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
  if (const char* ifname = std::getenv("GLOO_SOCKET_IFNAME")) {
    return c10d::ProcessGroupGloo::createDeviceForInterface(ifname);
  }
  return c10d::ProcessGroupGloo::createDefaultDevice();
}

// c10d's errors carry a C++ backtrace in what(); the user needs the first line.
std::string reasonOf(const std::exception& e) {
  if (const auto* c10 = dynamic_cast<const c10::Error*>(&e)) return c10->what_without_backtrace();
  return e.what();
}

std::string hostName() {
  char name[256] = {};
  gethostname(name, sizeof name - 1);
  return name;
}

}  // namespace

struct C10dTrainingGroup::Impl {
  LaunchEnv env;
  std::chrono::milliseconds timeout;
  c10::intrusive_ptr<c10d::Store> store;
  Collectives group;
  std::string backend;
  int64_t step = -1;
  // The heartbeat: its own store connection (a TCPStore client is not thread-safe).
  c10::intrusive_ptr<c10d::Store> beatStore;
  std::thread beat;
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;
};

C10dTrainingGroup::C10dTrainingGroup(const LaunchEnv& env, const c10::Device& device,
                                     std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.env = env;
  m.timeout = timeout;
  const std::string where = env.masterAddr + ":" + std::to_string(env.masterPort);
  try {
    m.store = storeOf(env, connect(env, env.rank == 0 && !env.agentStore, timeout));
    m.store->set("member/" + std::to_string(env.rank),
                 toBytes(std::to_string(getpid()) + "@" + hostName()));
    if (device.is_cuda()) {
#ifdef USE_C10D_NCCL
      auto opts = c10d::ProcessGroupNCCL::Options::create();
      opts->timeout = timeout;
      m.group = collectivesOf(
          c10::make_intrusive<c10d::ProcessGroupNCCL>(m.store, env.rank, env.worldSize, opts));
      m.backend = "nccl";
#else
      throw std::runtime_error("this LibTorch was built without NCCL: train with --device cpu");
#endif
    } else {
      auto opts = c10d::ProcessGroupGloo::Options::create(timeout);
      opts->devices.push_back(glooDevice(env));
      m.group = collectivesOf(
          c10::make_intrusive<c10d::ProcessGroupGloo>(m.store, env.rank, env.worldSize, opts));
      m.backend = "gloo";
    }
    m.beatStore = storeOf(env, connect(env, false, timeout));
  } catch (const std::exception& e) {
    throw std::runtime_error("rank " + std::to_string(env.rank) + " of " +
                             std::to_string(env.worldSize) + " could not join the group at " +
                             where + " within " + std::to_string(timeout.count() / 1000) +
                             " s: " + reasonOf(e));
  }
  m.beat = std::thread([&m] {
    const std::string key = "beat/" + std::to_string(m.env.rank);
    std::unique_lock<std::mutex> lock(m.mutex);
    for (int64_t n = 0; !m.stopping; ++n) {
      try {
        m.beatStore->set(key, toBytes(std::to_string(n)));
      } catch (const std::exception&) {
        return;  // the store (rank 0) is gone: the next collective reports it
      }
      m.wake.wait_for(lock, 500ms, [&m] { return m.stopping; });
    }
  });
}

C10dTrainingGroup::~C10dTrainingGroup() {
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  if (impl_->beat.joinable()) impl_->beat.join();
}

int C10dTrainingGroup::rank() const { return impl_->env.rank; }
int C10dTrainingGroup::worldSize() const { return impl_->env.worldSize; }
std::string C10dTrainingGroup::backend() const { return impl_->backend; }

void C10dTrainingGroup::allReduceSum(at::Tensor& tensor) {
  try {
    std::vector<at::Tensor> tensors = {tensor.is_contiguous() ? tensor : tensor.contiguous()};
    impl_->group.allReduce(tensors);
    if (!tensor.is_same(tensors[0])) tensor.copy_(tensors[0]);
  } catch (const std::exception& e) {
    failed("an all-reduce", e);
  }
}

void C10dTrainingGroup::broadcast(at::Tensor& tensor, int root) {
  try {
    std::vector<at::Tensor> tensors = {tensor.is_contiguous() ? tensor : tensor.contiguous()};
    impl_->group.broadcast(tensors, root);
    if (!tensor.is_same(tensors[0])) tensor.copy_(tensors[0]);
  } catch (const std::exception& e) {
    failed("a broadcast", e);
  }
}

void C10dTrainingGroup::beginStep(int64_t step) {
  impl_->step = step;
  try {
    impl_->store->set("step/" + std::to_string(rank()), toBytes(std::to_string(step)));
  } catch (const std::exception& e) {
    failed("recording the step", e);
  }
}

void C10dTrainingGroup::publish(const std::string& key, const std::string& value) {
  impl_->store->set("value/" + key, toBytes(value));
}

std::string C10dTrainingGroup::awaitValue(const std::string& key) {
  try {
    return toString(impl_->store->get("value/" + key));  // waits up to the store's timeout
  } catch (const std::exception& e) {
    failed("waiting for rank 0's '" + key + "'", e);
  }
}

void C10dTrainingGroup::failed(const std::string& what, const std::exception& cause) {
  throw std::runtime_error("distributed training stopped on rank " + std::to_string(rank()) +
                           " during " + what + ": " + diagnose() + " (" + reasonOf(cause) + ")");
}

// Which rank is at fault: one whose heartbeat stopped (its process died or is frozen), or one
// still at an earlier step than this one. Rank 0 hosts the store, so when the store does not
// answer, rank 0 is the one gone.
std::string C10dTrainingGroup::diagnose() {
  const Impl& m = *impl_;
  try {
    auto probe = storeOf(m.env, connect(m.env, false, 3000ms));
    probe->setTimeout(3000ms);
    auto read = [&](const std::string& key) {
      return probe->check({key}) ? std::stoll(toString(probe->get(key))) : -1LL;
    };
    std::map<int, long long> beats;
    for (int r = 0; r < m.env.worldSize; ++r) beats[r] = read("beat/" + std::to_string(r));
    std::this_thread::sleep_for(1500ms);  // three beats
    std::string found;
    for (int r = 0; r < m.env.worldSize; ++r) {
      if (r == m.env.rank) continue;
      const std::string who = "rank " + std::to_string(r);
      if (read("beat/" + std::to_string(r)) == beats[r]) {
        found += (found.empty() ? "" : "; ") + who +
                 " stopped responding (its process died or is frozen)";
      } else if (const long long step = read("step/" + std::to_string(r)); step < m.step) {
        found += (found.empty() ? "" : "; ") + who + " is stuck at step " + std::to_string(step) +
                 " while this rank is at step " + std::to_string(m.step);
      }
    }
    return found.empty() ? "every rank still beats at the same step; a peer closed its connection"
                         : found;
  } catch (const std::exception&) {
    const std::string where = m.env.masterAddr + ":" + std::to_string(m.env.masterPort);
    return m.env.agentStore
               ? "the launcher's rendezvous store at " + where + " does not answer"
               : "rank 0, which hosts the rendezvous store at " + where + ", is gone or frozen";
  }
}

}  // namespace sn
