#include "distributed_group.h"

#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
// PyTorch's pip wheels ship ProcessGroupGloo.hpp without the Gloo headers it includes: built
// against one, the shim leaves the Gloo backend out and answers CLCREC_ERR_UNSUPPORTED for it.
#if __has_include(<gloo/algorithm.h>)
#define CLCREC_WITH_GLOO 1
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef USE_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include "clcrec.h"
#include "error_boundary.h"

namespace clcrec {

namespace {

constexpr auto kHeartbeatPeriod = std::chrono::milliseconds(300);
const char* const kWorldKey = "clcrec/world_size";

std::string heartbeat_key(int rank) { return "clcrec/heartbeat/" + std::to_string(rank); }
std::string claim_key(int rank) { return "clcrec/claim/" + std::to_string(rank); }
std::string announce_key(int rank) { return "clcrec/announce/" + std::to_string(rank); }

std::vector<uint8_t> bytes(const std::string& s) { return std::vector<uint8_t>(s.begin(), s.end()); }
std::string text(const std::vector<uint8_t>& b) { return std::string(b.begin(), b.end()); }

[[noreturn]] void distributed_failure(const std::string& message) {
  fail(CLCREC_ERR_DISTRIBUTED, message);
}

std::string seconds(std::chrono::milliseconds ms) {
  std::ostringstream s;
  s << ms.count() / 1000.0 << " s";
  return s.str();
}

// LibTorch's messages carry a C++ backtrace after the first line in some builds.
std::string first_line(const std::string& message) {
  auto end = message.find('\n');
  return end == std::string::npos ? message : message.substr(0, end);
}

std::string describe(const std::exception& e) {
  if (auto c10 = dynamic_cast<const c10::Error*>(&e)) return first_line(c10->what_without_backtrace());
  return first_line(e.what());
}

c10::intrusive_ptr<c10d::TCPStore> connect_store(const GroupOptions& o, bool server,
                                                 std::chrono::milliseconds timeout) {
  c10d::TCPStoreOptions store;
  store.port = static_cast<std::uint16_t>(o.port);
  store.isServer = server;
  store.numWorkers = o.world_size;
  store.waitWorkers = false;  // the rendezvous below waits itself, and names who is missing
  store.timeout = timeout;
  return c10::make_intrusive<c10d::TCPStore>(o.master_addr, store);
}

bool is_loopback(const std::string& addr) {
  return addr == "localhost" || addr.rfind("127.", 0) == 0 || addr == "::1";
}

}  // namespace

struct DistributedGroup::Backend {
#ifdef CLCREC_WITH_GLOO
  c10::intrusive_ptr<c10d::ProcessGroupGloo> gloo;
#endif
#ifdef USE_C10D_NCCL
  c10::intrusive_ptr<c10d::ProcessGroupNCCL> nccl;
#endif

  // Runs one collective on whichever process group the constructor created. The two classes share
  // no base across the LibTorch versions we build on (ProcessGroup in 1.13, Backend in 2.x), so the
  // collective is a generic lambda called on the concrete group.
  template <typename Collective>
  c10::intrusive_ptr<c10d::Work> run(Collective collective) {
#ifdef USE_C10D_NCCL
    if (nccl) return collective(*nccl);
#endif
#ifdef CLCREC_WITH_GLOO
    if (gloo) return collective(*gloo);
#endif
    throw std::logic_error("no process group backend was created");
  }

  c10::intrusive_ptr<c10d::Work> all_reduce(std::vector<torch::Tensor>& tensors) {
    return run([&](auto& group) { return group.allreduce(tensors); });
  }
  c10::intrusive_ptr<c10d::Work> broadcast(std::vector<torch::Tensor>& tensors, int root) {
    c10d::BroadcastOptions options;
    options.rootRank = root;
    return run([&](auto& group) { return group.broadcast(tensors, options); });
  }
  c10::intrusive_ptr<c10d::Work> all_gather(std::vector<std::vector<torch::Tensor>>& outputs,
                                            std::vector<torch::Tensor>& inputs) {
    return run([&](auto& group) { return group.allgather(outputs, inputs); });
  }
};

DistributedGroup::DistributedGroup(const GroupOptions& options) : options_(options) {
  if (options_.backend == CLCREC_BACKEND_NCCL) {
#ifndef USE_C10D_NCCL
    fail(CLCREC_ERR_UNSUPPORTED,
         "backend = NCCL, but this LibTorch was built without NCCL (a CPU-only build); use "
         "CLCREC_BACKEND_GLOO, or build against a CUDA LibTorch");
#endif
  }
#ifndef CLCREC_WITH_GLOO
  if (options_.backend == CLCREC_BACKEND_GLOO) {
    fail(CLCREC_ERR_UNSUPPORTED,
         "backend = GLOO, but this LibTorch ships without the Gloo headers (a PyTorch pip wheel); use "
         "CLCREC_BACKEND_NCCL, or build against a LibTorch that includes Gloo");
  }
#endif
  rendezvous();
  backend_ = std::make_unique<Backend>();
  auto prefixed = c10::make_intrusive<c10d::PrefixStore>("clcrec/pg", store_);
  try {
#ifdef USE_C10D_NCCL
    if (options_.backend == CLCREC_BACKEND_NCCL) {
      // Without blocking wait, NCCL's wait() only orders streams and never times out.
      setenv("NCCL_BLOCKING_WAIT", "1", 0);
      setenv("TORCH_NCCL_BLOCKING_WAIT", "1", 0);
      auto nccl_options = c10d::ProcessGroupNCCL::Options::create();
      nccl_options->timeout = options_.timeout;
      backend_->nccl = c10::make_intrusive<c10d::ProcessGroupNCCL>(
          prefixed, options_.rank, options_.world_size, nccl_options);
    }
#endif
#ifdef CLCREC_WITH_GLOO
    if (options_.backend == CLCREC_BACKEND_GLOO) {
      auto gloo_options = c10d::ProcessGroupGloo::Options::create(options_.timeout);
      const char* interface = std::getenv("GLOO_SOCKET_IFNAME");
      if (interface != nullptr && *interface != '\0') {
        gloo_options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(interface));
      } else if (is_loopback(options_.master_addr)) {
        gloo_options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
      } else {
        gloo_options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
      }
      gloo_options->threads = 2;
      backend_->gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(
          prefixed, options_.rank, options_.world_size, gloo_options);
    }
#endif
  } catch (const std::exception& e) {
    distributed_failure("rank " + std::to_string(options_.rank) + " could not connect to the other ranks " +
                        where() + ": " + describe(e));
  }
  start_heartbeat();
}

DistributedGroup::~DistributedGroup() {
  stop_heartbeat();
  try {
    backend_.reset();
    store_.reset();
  } catch (...) {
    // a peer already gone while tearing down: nothing left to report to
  }
}

std::string DistributedGroup::where() const {
  return "(master " + options_.master_addr + ":" + std::to_string(options_.port) + ", world size " +
         std::to_string(options_.world_size) + ")";
}

torch::Device DistributedGroup::device() const {
  if (options_.backend == CLCREC_BACKEND_NCCL) {
    return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(options_.device_index));
  }
  return torch::Device(torch::kCPU);
}

// The store checks come before the process group's own rendezvous, so that the usual mistakes
// get a message saying what is wrong instead of a timeout inside Gloo.
void DistributedGroup::rendezvous() {
  const int rank = options_.rank, world = options_.world_size;
  try {
    store_ = connect_store(options_, rank == 0, options_.timeout);
  } catch (const std::exception& e) {
    if (rank == 0) {
      distributed_failure("rank 0 cannot serve the rendezvous store on " + options_.master_addr + ":" +
                          std::to_string(options_.port) + " (is the port in use, or the address not "
                          "this machine's?): " + describe(e));
    }
    distributed_failure("rank " + std::to_string(rank) + " cannot reach the master " +
                        options_.master_addr + ":" + std::to_string(options_.port) + " within " +
                        seconds(options_.timeout) + " (is rank 0 running, and is the address right?): " +
                        describe(e));
  }
  try {
    if (store_->add(claim_key(rank), 1) != 1) {
      distributed_failure("rank " + std::to_string(rank) + " is already taken by another process " + where() +
                          "; give every process its own rank");
    }
    if (rank == 0) store_->set(kWorldKey, bytes(std::to_string(world)));
    const std::string master_world = text(store_->get(kWorldKey));
    if (master_world != std::to_string(world)) {
      distributed_failure("world size mismatch: rank " + std::to_string(rank) + " was started with world size " +
                          std::to_string(world) + ", but the master (rank 0) at " + options_.master_addr + ":" +
                          std::to_string(options_.port) + " has world size " + master_world);
    }
    store_->set(announce_key(rank), bytes(std::to_string(world)));
    store_->add(heartbeat_key(rank), 1);
    if (rank == 0) {
      std::vector<std::string> keys;
      for (int r = 1; r < world; ++r) keys.push_back(announce_key(r));
      const auto deadline = std::chrono::steady_clock::now() + options_.timeout;
      std::vector<int> missing;
      for (;;) {
        missing.clear();
        for (int r = 1; r < world; ++r) {
          if (!store_->check({announce_key(r)})) missing.push_back(r);
        }
        if (missing.empty() || std::chrono::steady_clock::now() >= deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      if (!missing.empty()) {
        std::string list;
        for (int r : missing) list += (list.empty() ? "" : ", ") + std::to_string(r);
        distributed_failure("rank(s) " + list + " did not join within " + seconds(options_.timeout) + " " +
                            where() + "; start every rank, with the same world size");
      }
    }
  } catch (const ClcrecError&) {
    throw;
  } catch (const std::exception& e) {
    distributed_failure("rendezvous of rank " + std::to_string(rank) + " failed " + where() + ": " + describe(e));
  }
}

void DistributedGroup::start_heartbeat() {
  // A separate connection: the main one may be blocked in a wait when a peer dies.
  c10::intrusive_ptr<c10d::Store> beat;
  try {
    beat = connect_store(options_, false, options_.timeout);
  } catch (const std::exception& e) {
    distributed_failure("rank " + std::to_string(options_.rank) + " lost the master " + where() +
                        " right after joining: " + describe(e));
  }
  heartbeat_ = std::thread([this, beat]() mutable {
    std::unique_lock lock(heartbeat_mutex_);
    while (!heartbeat_stop_) {
      lock.unlock();
      try {
        beat->add(heartbeat_key(options_.rank), 1);
      } catch (...) {
        return;  // the master is gone; the next collective reports it
      }
      lock.lock();
      heartbeat_wake_.wait_for(lock, kHeartbeatPeriod, [this] { return heartbeat_stop_; });
    }
  });
}

void DistributedGroup::stop_heartbeat() {
  {
    std::lock_guard lock(heartbeat_mutex_);
    heartbeat_stop_ = true;
  }
  heartbeat_wake_.notify_all();
  if (heartbeat_.joinable()) heartbeat_.join();
}

// Ranks whose heartbeat counter stops advancing over a few periods are the lost ones; when the
// store itself cannot be reached, rank 0 (which serves it) is gone.
std::string DistributedGroup::lost_ranks_diagnosis() {
  try {
    auto probe = connect_store(options_, false, std::chrono::milliseconds(3000));
    std::vector<int64_t> before(options_.world_size);
    for (int r = 0; r < options_.world_size; ++r) before[r] = probe->add(heartbeat_key(r), 0);
    std::this_thread::sleep_for(kHeartbeatPeriod * 5);
    std::string lost;
    for (int r = 0; r < options_.world_size; ++r) {
      if (r == options_.rank) continue;
      if (probe->add(heartbeat_key(r), 0) == before[r]) lost += (lost.empty() ? "" : ", ") + std::to_string(r);
    }
    if (lost.empty()) return "every other rank is still alive (they are out of step with this one, or slow)";
    return "lost rank(s): " + lost + " (stopped responding)";
  } catch (const std::exception&) {
    return "lost rank 0: the master " + options_.master_addr + ":" + std::to_string(options_.port) +
           " (which serves the rendezvous store) is unreachable";
  }
}

void DistributedGroup::collective(const char* what, const std::function<void()>& body) {
  std::lock_guard lock(collective_mutex_);
  if (broken_) distributed_failure(broken_reason_);
  try {
    body();
  } catch (const std::exception& e) {
    broken_ = true;
    broken_reason_ = "rank " + std::to_string(options_.rank) + ": " + what + " failed " + where() + "; " +
                     lost_ranks_diagnosis() + " [" + describe(e) + "]";
    distributed_failure(broken_reason_);
  }
}

void DistributedGroup::all_reduce_sum(std::vector<torch::Tensor>& tensors, const char* what) {
  collective(what, [&] {
    auto work = backend_->all_reduce(tensors);
    work->wait(options_.timeout);
  });
}

void DistributedGroup::broadcast(std::vector<torch::Tensor>& tensors, int root, const char* what) {
  collective(what, [&] {
    auto work = backend_->broadcast(tensors, root);
    work->wait(options_.timeout);
  });
}

std::vector<torch::Tensor> DistributedGroup::all_gather(const torch::Tensor& tensor, const char* what) {
  std::vector<std::vector<torch::Tensor>> outputs(1);
  for (int r = 0; r < options_.world_size; ++r) outputs[0].push_back(torch::empty_like(tensor));
  std::vector<torch::Tensor> inputs{tensor};
  collective(what, [&] {
    auto work = backend_->all_gather(outputs, inputs);
    work->wait(options_.timeout);
  });
  return outputs[0];
}

void DistributedGroup::barrier() {
  // An all-reduce of one value: the same on every backend, and bounded by the same timeout.
  std::vector<torch::Tensor> one{torch::ones({1}, torch::TensorOptions().device(device()))};
  all_reduce_sum(one, "barrier");
}

}  // namespace clcrec
