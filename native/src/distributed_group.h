// distributed_group.h - a c10d process group (Gloo for CPU tensors, NCCL for CUDA tensors when
// this LibTorch has it) joined through a TCPStore rendezvous, whose every failure (an
// unreachable master, mismatched world sizes, a lost rank, a timeout) is a ClcrecError with
// CLCREC_ERR_DISTRIBUTED and a message naming the rank concerned, never a hang past the timeout.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <torch/torch.h>

namespace c10d {
class Store;
}

namespace clcrec {

struct GroupOptions {
  std::string master_addr;
  int port = 0;
  int world_size = 0;
  int rank = 0;
  int backend = 0;       // CLCREC_BACKEND_*
  int device_index = 0;  // CUDA device of the NCCL backend
  std::chrono::milliseconds timeout{0};
};

class DistributedGroup {
 public:
  explicit DistributedGroup(const GroupOptions& options);
  ~DistributedGroup();
  DistributedGroup(const DistributedGroup&) = delete;
  DistributedGroup& operator=(const DistributedGroup&) = delete;

  int rank() const { return options_.rank; }
  int size() const { return options_.world_size; }
  int backend() const { return options_.backend; }
  // Where collective tensors must live (CPU for Gloo, the CUDA device for NCCL).
  torch::Device device() const;

  // Collectives, each waited for under the timeout. Tensors must be contiguous, on device().
  void all_reduce_sum(std::vector<torch::Tensor>& tensors, const char* what);
  void broadcast(std::vector<torch::Tensor>& tensors, int root, const char* what);
  // Every rank's copy of tensor (same shape on every rank), indexed by rank.
  std::vector<torch::Tensor> all_gather(const torch::Tensor& tensor, const char* what);
  void barrier();

 private:
  struct Backend;  // the concrete c10d process group, hidden from includers
  void rendezvous();
  void start_heartbeat();
  void stop_heartbeat();
  // Runs one collective; a failure or timeout is turned into an error naming the lost ranks.
  void collective(const char* what, const std::function<void()>& body);
  std::string lost_ranks_diagnosis();
  std::string where() const;

  GroupOptions options_;
  c10::intrusive_ptr<c10d::Store> store_;
  std::unique_ptr<Backend> backend_;
  std::mutex collective_mutex_;  // collectives must be issued in the same order on every rank
  bool broken_ = false;          // after a failed collective every later call fails at once
  std::string broken_reason_;

  std::thread heartbeat_;
  std::mutex heartbeat_mutex_;
  std::condition_variable heartbeat_wake_;
  bool heartbeat_stop_ = false;
};

}  // namespace clcrec

struct clcrec_group {
  std::shared_ptr<clcrec::DistributedGroup> impl;
};
