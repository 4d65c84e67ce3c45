// content_features.h - turning raw item content into the encoder's input rows:
// per-modality L2 normalisation (like F.normalize, eps 1e-12), concatenation in v, a, t
// order, and the word-level text average (mean of word-table rows per item, normalised).
#pragma once

#include <cstdint>
#include <vector>

#include <torch/torch.h>

namespace clcrec {

// Normalises each modality per row and concatenates them: num_rows x sum(dims), on device.
// Returns an empty (num_rows x 0) tensor when there are no modalities.
torch::Tensor normalized_modalities(int64_t num_rows, int32_t num_modalities,
                                    const float* const* features, const int64_t* dims,
                                    const torch::Device& device);

// (item, word) pairs grouped by item: words of item j are words[offsets[j]..offsets[j+1]).
struct WordIndex {
  int64_t num_items = 0;
  std::vector<int64_t> offsets;  // num_items + 1
  std::vector<int64_t> words;

  static WordIndex from_pairs(const int64_t* pairs, int64_t num_pairs, int64_t num_items);
  bool empty() const { return offsets.empty(); }
};

// Mean of word_table rows over each listed item's words, L2-normalised (items without words
// give a zero row). items are indices into index; the result is items.size() x word_dim on
// the table's device and carries the table's autograd history.
torch::Tensor word_average(const torch::Tensor& word_table, const WordIndex& index,
                           const std::vector<int64_t>& items);

// Same for every item of the index, in order.
torch::Tensor word_average_all(const torch::Tensor& word_table, const WordIndex& index);

}  // namespace clcrec
