// batch.h - a training batch moved onto the model's device, with its distinct items.
#pragma once

#include <cstdint>
#include <vector>

#include <torch/torch.h>

namespace clcrec {

// A validated batch as the C API receives it (local item ids).
struct BatchInput {
  const int64_t* users = nullptr;  // batch_size
  int64_t batch_size = 0;
  const int64_t* items = nullptr;  // batch_size x group_size, column 0 the positive
  int64_t group_size = 0;
  const int64_t* hybrid_rows = nullptr;  // num_hybrid row indices into the flattened batch
  int64_t num_hybrid = 0;
};

struct Batch {
  int64_t batch_size = 0;
  int64_t group_size = 0;
  torch::Tensor table_rows;   // B + R id-table rows: the users, then num_user + j per row
  torch::Tensor items;        // R = B*G local item ids j, row-major
  std::vector<int64_t> distinct;  // distinct local items, ascending (host)
  torch::Tensor distinct_items;   // the same on the device
  torch::Tensor inverse;      // R: position of each row's item in distinct
  torch::Tensor hybrid_count; // R float: how often each row was drawn as a hybrid row
};

Batch make_batch(const BatchInput& input, int64_t num_user, int64_t num_item,
                 const torch::Device& device);

}  // namespace clcrec
