// sparse_rows.h - the --sparse-updates step of the id table: the gradient as (touched rows, their
// gradient rows), exchanged between ranks as ids + rows, and a row-wise lazy Adam (the update of
// dense Adam applied to the touched rows only, like torch.optim.SparseAdam), so a step's cost
// follows the batch, not the size of the table.
#pragma once

#include <cstdint>
#include <vector>

#include <torch/torch.h>

#include "distributed_group.h"

namespace clcrec {

// Distinct row ids (int64, ascending) and the summed gradient of each (rows x dim).
struct RowGradient {
  torch::Tensor ids;
  torch::Tensor rows;
};

// Sums the gradient rows of repeated ids.
RowGradient coalesce_rows(const torch::Tensor& ids, const torch::Tensor& rows);

// sum_r(B_r * g_r) / sum_r(B_r) over the ranks, where g_r is rank r's row gradient and B_r its
// slice size, merged by id: every rank gets the same rows. Costs two small all-reduces of the
// counts and one of ids + rows (padded to the largest rank's count), none of the table's size.
RowGradient exchange_row_gradients(DistributedGroup& group, const RowGradient& local, int64_t slice_size,
                                   int64_t dim);

// What exchange_row_gradients returns on every rank of a group whose rank r held slices[r] (of
// slice_sizes[r] pairs): the slices' weighted rows in rank order, merged by id, bit for bit.
// For one process that replays the ranks' slices (Model::train_step_slices).
RowGradient merge_row_gradients(const std::vector<RowGradient>& slices, const std::vector<int64_t>& slice_sizes);

// One lazy Adam step on the rows g.ids of param, with the optimizer's own state for param (its
// exp_avg/exp_avg_sq/step, so checkpoints keep it): m, v and the parameter change only on those
// rows, with dense Adam's arithmetic and the parameter's shared step count for bias correction.
void lazy_adam_step(torch::optim::Adam& optimizer, const torch::Tensor& param, const RowGradient& g);

}  // namespace clcrec
