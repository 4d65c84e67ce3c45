// split_matmul.h - the encoder's matrix products, split by rows over the intra-op threads.
//
// On the CPU the BLAS runs single-threaded (blas_threads.h) and each of these products is cut
// into one block of output rows per thread, every block one BLAS call inside at::parallel_for.
// One pool of threads then does all the work of a step: a threaded BLAS next to OpenMP's
// threads puts two pools on the same cores, which spin against each other between the step's
// small parallel regions (on 2 cores that cost more than the second core gave). Cutting output
// rows leaves every output element the same dot product, in the same order, as one call.
// Elsewhere (CUDA, or Kernels::kGeneric) each is a single library call.
#pragma once

#include <torch/torch.h>

#include "kernels.h"

namespace clcrec {

// input (n x k) times weight (m x k) transposed, plus bias (m): F::linear, split over n.
torch::Tensor linear_rows(const torch::Tensor& input, const torch::Tensor& weight, const torch::Tensor& bias,
                          Kernels kernels);

// a (n x k) times b (k x m), split over n.
torch::Tensor matmul_rows(const torch::Tensor& a, const torch::Tensor& b, Kernels kernels);

// grad (n x m) transposed times input (n x k): a linear layer's weight gradient (m x k), split
// over m.
torch::Tensor weight_gradient(const torch::Tensor& grad, const torch::Tensor& input, Kernels kernels);

}  // namespace clcrec
