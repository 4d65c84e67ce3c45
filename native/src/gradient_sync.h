// gradient_sync.h - data-parallel glue between a training step and a process group: the
// parameters broadcast from rank 0 when a model joins, and the step's gradients and losses
// summed over the ranks (each weighted by its slice of the global batch) before the optimizer.
// The same arithmetic serves one process that replays the ranks' slices one after another
// (Model::train_step_slices), so that it computes the ranks' step bit for bit.
#pragma once

#include <cstdint>
#include <vector>

#include <torch/torch.h>

#include "clcrec.h"
#include "distributed_group.h"

namespace clcrec {

// Overwrites every rank's parameters with rank 0's (in place, no gradient).
void broadcast_parameters(DistributedGroup& group, const std::vector<torch::Tensor>& parameters);

// What one rank (or one replayed slice) contributes to a step: its losses, its slice size B and
// its gradients, each multiplied by B, in the layout the collectives move.
struct WeightedGradients {
  torch::Tensor bucket;              // float32: 5 losses x B, B, then every small gradient x B, flattened
  std::vector<torch::Tensor> large;  // the large gradients x B, one tensor each (never copied into the bucket)
};

// The parameters' current grad() (undefined ones become zeros) and losses weighted by slice_size,
// on device. in_place: the large gradients are scaled inside grad() itself (no copy of the id
// table); otherwise they are copies, so that the next slice's backward may overwrite grad().
WeightedGradients weigh_gradients(const std::vector<torch::Tensor>& parameters, int64_t slice_size,
                                  const clcrec_step_result& local, const torch::Device& device, bool in_place);

// sum += part, element by element. Floating-point sums depend on their order: parts added in
// rank order give exactly what a rank-order reduction over a group gives.
void add_weighted(WeightedGradients& sum, const WeightedGradients& part);

// Writes sum / (the slices' total size) into every parameter's grad() and returns the losses
// combined the same way. A non-finite loss in any part makes the returned loss non-finite.
clcrec_step_result finish_weighted(WeightedGradients& sum, const std::vector<torch::Tensor>& parameters);

// How the ranks' weighted gradients are summed.
enum class ReductionOrder {
  kBackend,    // the backend's all-reduce (Gloo's ring, NCCL's ring or tree): least traffic; with
               // more than two ranks each element's sum runs in an order of the algorithm's choosing
  kRankOrder,  // an all-gather, then ((g_0 + g_1) + g_2) + ... on every rank: reproducible by one
               // process (Model::train_step_slices), at world / 2 times the ring's traffic
};

// Replaces each parameter's gradient by sum_r(B_r * g_r) / sum_r(B_r) and returns the losses
// combined the same way, where B_r is rank r's slice_size and g_r its gradient (undefined
// gradients count as zeros: a rank with an empty slice contributes nothing). After it every
// rank holds the gradient and losses of one step over the whole global batch. A non-finite loss
// on any rank makes the returned loss non-finite on every rank. With two ranks both orders give
// the same bits (a sum of two terms has one order).
clcrec_step_result synchronize_gradients(DistributedGroup& group,
                                         const std::vector<torch::Tensor>& parameters,
                                         int64_t slice_size, const clcrec_step_result& local,
                                         ReductionOrder order);

}  // namespace clcrec
