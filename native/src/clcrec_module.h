// clcrec_module.h - the CLCRec model's parameters: the id embedding table (users, then
// items), the content encoder and, with word-level text, the word table.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <torch/torch.h>

#include "content_encoder.h"

namespace clcrec {

struct ModuleSizes {
  int64_t num_user = 0;
  int64_t num_item = 0;
  int64_t dim_e = 0;
  int64_t hidden_dim = 0;
  int64_t feature_width = 0;  // encoder input width, word average included
  int64_t num_words = 0;      // 0: no word-level text
  int64_t word_dim = 0;
};

class ClcrecModuleImpl : public torch::nn::Module {
 public:
  explicit ClcrecModuleImpl(const ModuleSizes& sizes);

  // Xavier-normal id embedding and word table, PyTorch-default encoder init.
  void reset_parameters(at::Generator& generator);

  // Parameters under the names of the C API, in a fixed order.
  std::vector<std::pair<std::string, torch::Tensor>> api_parameters() const;

  bool has_words() const { return word_embedding.defined(); }

  torch::Tensor id_embedding;
  ContentEncoder encoder{nullptr};
  torch::Tensor word_embedding;  // undefined without word-level text
};
TORCH_MODULE(ClcrecModule);

}  // namespace clcrec
