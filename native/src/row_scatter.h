// row_scatter.h - dst[rows[k]] += src[k] for every k: the one primitive that turns per-row
// gradients (touched rows, gradient rows) into a dense gradient.
#pragma once

#include <torch/torch.h>

#include "kernels.h"

namespace clcrec {

// dst: N x d; rows: K int64 in 0..N-1 (repeats add up); src: K x d, same dtype and device.
// On the CPU (float32, contiguous, Kernels::kCpu) a parallel pass in which each thread owns a
// range of destination rows, so no two threads write one row and every row's sum is taken in
// index order, as index_add_ takes it; elsewhere index_add_.
void scatter_add_rows(torch::Tensor& dst, const torch::Tensor& rows, const torch::Tensor& src, Kernels kernels);

}  // namespace clcrec
