// ranking.h - scoring users against items and the deterministic masked top-k.
#pragma once

#include <cstdint>

#include <torch/torch.h>

#include "kernels.h"

namespace clcrec {

// A validated top-k request in the C API's layout.
struct TopKRequest {
  const int64_t* users = nullptr;
  int64_t num_users = 0;
  const int64_t* exclude_offsets = nullptr;  // num_users + 1, or NULL
  const int64_t* exclude_items = nullptr;
  const uint8_t* item_masks = nullptr;       // num_masks x num_item, or NULL
  int32_t num_masks = 1;
  int64_t k = 0;
  int64_t* out_items = nullptr;   // num_masks x num_users x k
  float* out_scores = nullptr;    // same layout, may be NULL
};

// user_table: num_user x d and items: num_item x d, both on the model's device. On the CPU
// (float32, Kernels::kCpu) a heap selection per user over each chunk's scores; elsewhere (CUDA,
// or kGeneric) torch ops on the device and select_top_k, with the same result.
void rank_top_k(const torch::Tensor& user_table, const torch::Tensor& items,
                const TopKRequest& request, Kernels kernels);

// Unmasked scores, num_users x num_item, written row-major to out.
void rank_scores(const torch::Tensor& user_table, const torch::Tensor& items,
                 const int64_t* users, int64_t num_users, float* out, Kernels kernels);

// The k best columns of each row of scores (excluded entries are -inf), best first, ties
// broken by the lower column; k <= columns. Columns whose score is -inf come back as -1.
// Returns (items int64, scores float), both rows x k, on the CPU.
std::pair<torch::Tensor, torch::Tensor> select_top_k(const torch::Tensor& scores, int64_t k);

}  // namespace clcrec
