// c_api_distributed.cpp - the exported process-group functions; every body runs inside
// guarded(), so a lost rank or a timeout is a status code, never an exception or a hang.

#include <string>

#include "clcrec.h"
#include "distributed_group.h"
#include "error_boundary.h"
#include "model.h"
#include "validation.h"

using namespace clcrec;

namespace {

DistributedGroup& group_of(const clcrec_group* group) {
  require_non_null(group, "group");
  if (!group->impl) invalid_argument("group has been freed or was never created");
  return *group->impl;
}

}  // namespace

int clcrec_group_create(const char* master_addr, int32_t master_port, int32_t world_size, int32_t rank,
                        int32_t backend, int32_t device_index, int64_t timeout_ms, clcrec_group** out_group) {
  return guarded(__func__, [&] {
    require_non_null(out_group, "out_group");
    *out_group = nullptr;
    require_non_null(master_addr, "master_addr");
    if (*master_addr == '\0') invalid_argument("master_addr is empty");
    if (master_port < 1 || master_port > 65535) {
      invalid_argument("master_port = " + std::to_string(master_port) + " is out of range 1..65535");
    }
    if (world_size < 1) invalid_argument("world_size = " + std::to_string(world_size) + " must be at least 1");
    if (rank < 0 || rank >= world_size) {
      invalid_argument("rank = " + std::to_string(rank) + " is out of range 0.." + std::to_string(world_size - 1) +
                       " (world size " + std::to_string(world_size) + ")");
    }
    if (backend != CLCREC_BACKEND_GLOO && backend != CLCREC_BACKEND_NCCL) {
      invalid_argument("backend = " + std::to_string(backend) +
                       " is not CLCREC_BACKEND_GLOO (1) or CLCREC_BACKEND_NCCL (2)");
    }
    if (device_index < 0) invalid_argument("device_index = " + std::to_string(device_index) + " must not be negative");
    if (timeout_ms < 1) invalid_argument("timeout_ms = " + std::to_string(timeout_ms) + " must be positive");
    GroupOptions options;
    options.master_addr = master_addr;
    options.port = master_port;
    options.world_size = world_size;
    options.rank = rank;
    options.backend = backend;
    options.device_index = device_index;
    options.timeout = std::chrono::milliseconds(timeout_ms);
    auto handle = std::make_unique<clcrec_group>();
    handle->impl = std::make_shared<DistributedGroup>(options);
    *out_group = handle.release();
  });
}

void clcrec_group_free(clcrec_group* group) {
  if (group == nullptr) return;
  guarded(__func__, [&] { delete group; });
}

int clcrec_group_rank(const clcrec_group* group, int32_t* out_rank) {
  return guarded(__func__, [&] {
    require_non_null(out_rank, "out_rank");
    *out_rank = group_of(group).rank();
  });
}

int clcrec_group_size(const clcrec_group* group, int32_t* out_size) {
  return guarded(__func__, [&] {
    require_non_null(out_size, "out_size");
    *out_size = group_of(group).size();
  });
}

int clcrec_group_barrier(clcrec_group* group) {
  return guarded(__func__, [&] { group_of(group).barrier(); });
}

int clcrec_group_all_reduce_sum(clcrec_group* group, double* values, int64_t len) {
  return guarded(__func__, [&] {
    DistributedGroup& g = group_of(group);
    require_non_negative(len, "len");
    if (len == 0) return;
    require_non_null(values, "values");
    torch::Tensor host = torch::from_blob(values, {len}, torch::TensorOptions().dtype(torch::kFloat64));
    std::vector<torch::Tensor> tensors{host.to(g.device(), /*non_blocking=*/false, /*copy=*/true)};
    g.all_reduce_sum(tensors, "all-reduce of values");
    host.copy_(tensors[0].to(torch::kCPU));
  });
}

int clcrec_model_join_group(clcrec_model* model, clcrec_group* group) {
  return guarded(__func__, [&] {
    require_non_null(model, "model");
    if (!model->impl) invalid_argument("model has been freed or was never created");
    std::shared_ptr<DistributedGroup> impl;
    if (group != nullptr) {
      group_of(group);
      impl = group->impl;
    }
    model->impl->join_group(std::move(impl));
  });
}

int clcrec_model_set_sparse_updates(clcrec_model* model, int32_t enabled) {
  return guarded(__func__, [&] {
    require_non_null(model, "model");
    if (!model->impl) invalid_argument("model has been freed or was never created");
    if (enabled != 0 && enabled != 1) invalid_argument("enabled = " + std::to_string(enabled) + " must be 0 or 1");
    model->impl->set_sparse_updates(enabled == 1);
  });
}

int clcrec_model_set_reduction_order(clcrec_model* model, int32_t order) {
  return guarded(__func__, [&] {
    require_non_null(model, "model");
    if (!model->impl) invalid_argument("model has been freed or was never created");
    if (order != CLCREC_REDUCTION_BACKEND && order != CLCREC_REDUCTION_RANK_ORDER) {
      invalid_argument("order = " + std::to_string(order) +
                       " must be CLCREC_REDUCTION_BACKEND (0) or CLCREC_REDUCTION_RANK_ORDER (1)");
    }
    model->impl->set_reduction_order(order == CLCREC_REDUCTION_RANK_ORDER ? ReductionOrder::kRankOrder
                                                                          : ReductionOrder::kBackend);
  });
}
