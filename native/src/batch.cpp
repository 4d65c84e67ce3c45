#include "batch.h"

namespace clcrec {

template <typename T>
static torch::Tensor to_device(std::vector<T>&& values, const torch::Device& device) {
  const int64_t n = static_cast<int64_t>(values.size());
  auto owned = new std::vector<T>(std::move(values));
  torch::Tensor host = torch::from_blob(
      owned->data(), {n}, [owned](void*) { delete owned; },
      torch::TensorOptions().dtype(c10::CppTypeToScalarType<T>::value));
  return host.to(device);
}

Batch make_batch(const BatchInput& input, int64_t num_user, int64_t num_item,
                 const torch::Device& device) {
  Batch batch;
  batch.batch_size = input.batch_size;
  batch.group_size = input.group_size;
  const int64_t B = input.batch_size;
  const int64_t rows = input.batch_size * input.group_size;

  std::vector<int64_t> table_rows(static_cast<size_t>(B + rows));
  std::vector<int64_t> position(static_cast<size_t>(num_item), -1);
  for (int64_t b = 0; b < B; ++b) table_rows[b] = input.users[b];
  for (int64_t r = 0; r < rows; ++r) {
    table_rows[B + r] = num_user + input.items[r];
    position[input.items[r]] = 0;
  }
  for (int64_t j = 0; j < num_item; ++j) {
    if (position[j] >= 0) {
      position[j] = static_cast<int64_t>(batch.distinct.size());
      batch.distinct.push_back(j);
    }
  }
  std::vector<int64_t> inverse(static_cast<size_t>(rows));
  for (int64_t r = 0; r < rows; ++r) inverse[r] = position[input.items[r]];
  // Hybrid rows are drawn with replacement: a row drawn k times is one hybrid candidate whose
  // encoder output the reference nevertheless credits k times (see contrastive_loss.cpp).
  std::vector<float> hybrid_count(static_cast<size_t>(rows), 0.0f);
  for (int64_t h = 0; h < input.num_hybrid; ++h) hybrid_count[input.hybrid_rows[h]] += 1.0f;

  batch.table_rows = to_device(std::move(table_rows), device);
  batch.items = to_device(std::vector<int64_t>(input.items, input.items + rows), device);
  batch.distinct_items = to_device(std::vector<int64_t>(batch.distinct), device);
  batch.inverse = to_device(std::move(inverse), device);
  batch.hybrid_count = to_device(std::move(hybrid_count), device);
  return batch;
}

}  // namespace clcrec
