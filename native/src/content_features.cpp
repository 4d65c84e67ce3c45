#include "content_features.h"

#include <numeric>

namespace clcrec {

namespace F = torch::nn::functional;

static torch::Tensor l2_normalize_rows(const torch::Tensor& x) {
  return F::normalize(x, F::NormalizeFuncOptions().p(2.0).dim(1).eps(1e-12));
}

torch::Tensor normalized_modalities(int64_t num_rows, int32_t num_modalities,
                                    const float* const* features, const int64_t* dims,
                                    const torch::Device& device) {
  std::vector<torch::Tensor> parts;
  for (int32_t m = 0; m < num_modalities; ++m) {
    // from_blob does not copy; .to(device) / the normalisation does, so no caller pointer
    // is retained after this function returns.
    torch::Tensor raw = torch::from_blob(const_cast<float*>(features[m]), {num_rows, dims[m]},
                                         torch::TensorOptions().dtype(torch::kFloat32));
    parts.push_back(l2_normalize_rows(raw.to(device)));
  }
  if (parts.empty()) {
    return torch::zeros({num_rows, 0}, torch::TensorOptions().dtype(torch::kFloat32).device(device));
  }
  return parts.size() == 1 ? parts[0].contiguous() : torch::cat(parts, 1);
}

WordIndex WordIndex::from_pairs(const int64_t* pairs, int64_t num_pairs, int64_t num_items) {
  WordIndex index;
  index.num_items = num_items;
  index.offsets.assign(static_cast<size_t>(num_items) + 1, 0);
  const int64_t* item_row = pairs;
  const int64_t* word_row = pairs + num_pairs;
  for (int64_t p = 0; p < num_pairs; ++p) ++index.offsets[item_row[p] + 1];
  for (int64_t j = 0; j < num_items; ++j) index.offsets[j + 1] += index.offsets[j];
  index.words.resize(static_cast<size_t>(num_pairs));
  std::vector<int64_t> cursor(index.offsets.begin(), index.offsets.end() - 1);
  for (int64_t p = 0; p < num_pairs; ++p) index.words[cursor[item_row[p]]++] = word_row[p];
  return index;
}

torch::Tensor word_average(const torch::Tensor& word_table, const WordIndex& index,
                           const std::vector<int64_t>& items) {
  const int64_t n = static_cast<int64_t>(items.size());
  std::vector<int64_t> segment;
  std::vector<int64_t> words;
  std::vector<float> counts(items.size());
  for (int64_t r = 0; r < n; ++r) {
    const int64_t j = items[r];
    const int64_t begin = index.offsets[j], end = index.offsets[j + 1];
    counts[r] = static_cast<float>(std::max<int64_t>(end - begin, 1));
    for (int64_t p = begin; p < end; ++p) {
      segment.push_back(r);
      words.push_back(index.words[p]);
    }
  }
  const auto device = word_table.device();
  const auto long_opts = torch::TensorOptions().dtype(torch::kInt64);
  torch::Tensor segment_t = torch::tensor(segment, long_opts).to(device);
  torch::Tensor words_t = torch::tensor(words, long_opts).to(device);
  torch::Tensor counts_t =
      torch::tensor(counts, torch::TensorOptions().dtype(torch::kFloat32)).to(device).unsqueeze(1);
  torch::Tensor sums = torch::zeros({n, word_table.size(1)}, word_table.options())
                           .index_add(0, segment_t, word_table.index_select(0, words_t));
  return l2_normalize_rows(sums / counts_t);
}

torch::Tensor word_average_all(const torch::Tensor& word_table, const WordIndex& index) {
  std::vector<int64_t> items(static_cast<size_t>(index.num_items));
  std::iota(items.begin(), items.end(), int64_t{0});
  return word_average(word_table, index, items);
}

}  // namespace clcrec
