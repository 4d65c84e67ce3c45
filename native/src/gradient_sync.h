// gradient_sync.h - data-parallel glue between a training step and a process group: the
// parameters broadcast from rank 0 when a model joins, and the step's gradients and losses
// summed over the ranks (each weighted by its slice of the global batch) before the optimizer.
#pragma once

#include <cstdint>
#include <vector>

#include <torch/torch.h>

#include "clcrec.h"
#include "distributed_group.h"

namespace clcrec {

// Overwrites every rank's parameters with rank 0's (in place, no gradient).
void broadcast_parameters(DistributedGroup& group, const std::vector<torch::Tensor>& parameters);

// Replaces each parameter's gradient by sum_r(B_r * g_r) / sum_r(B_r) and returns the losses
// combined the same way, where B_r is rank r's slice_size and g_r its gradient (undefined
// gradients count as zeros: a rank with an empty slice contributes nothing). After it every
// rank holds the gradient and losses of one step over the whole global batch. A non-finite loss
// on any rank makes the returned loss non-finite on every rank.
clcrec_step_result synchronize_gradients(DistributedGroup& group,
                                         const std::vector<torch::Tensor>& parameters,
                                         int64_t slice_size, const clcrec_step_result& local);

}  // namespace clcrec
