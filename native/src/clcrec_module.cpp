#include "clcrec_module.h"

#include <cmath>

namespace clcrec {

ClcrecModuleImpl::ClcrecModuleImpl(const ModuleSizes& sizes) {
  const auto opts = torch::TensorOptions().dtype(torch::kFloat32);
  id_embedding = register_parameter(
      "id_embedding", torch::empty({sizes.num_user + sizes.num_item, sizes.dim_e}, opts));
  encoder = ContentEncoder(sizes.feature_width, sizes.hidden_dim, sizes.dim_e);
  // Registered through the base type: register_module<ContentEncoderImpl> would instantiate a
  // member template of the default-visible torch::nn::Module with our type, and export it.
  register_module("encoder", std::static_pointer_cast<torch::nn::Module>(encoder.ptr()));
  if (sizes.num_words > 0) {
    word_embedding = register_parameter("word_embedding",
                                        torch::empty({sizes.num_words, sizes.word_dim}, opts));
  }
}

static void xavier_normal(torch::Tensor& t, at::Generator& generator) {
  // std = sqrt(2 / (fan_in + fan_out)) with fan_in = columns, fan_out = rows.
  const double std = std::sqrt(2.0 / static_cast<double>(t.size(0) + t.size(1)));
  t.normal_(0.0, std, generator);
}

void ClcrecModuleImpl::reset_parameters(at::Generator& generator) {
  torch::NoGradGuard no_grad;
  xavier_normal(id_embedding, generator);
  encoder->reset_parameters(generator);
  if (has_words()) xavier_normal(word_embedding, generator);
}

std::vector<std::pair<std::string, torch::Tensor>> ClcrecModuleImpl::api_parameters() const {
  std::vector<std::pair<std::string, torch::Tensor>> params = {
      {"id_embedding", id_embedding},
      {"encoder_layer1_weight", encoder->layer1->weight},
      {"encoder_layer1_bias", encoder->layer1->bias},
      {"encoder_layer2_weight", encoder->layer2->weight},
      {"encoder_layer2_bias", encoder->layer2->bias},
  };
  if (has_words()) params.emplace_back("word_embedding", word_embedding);
  return params;
}

}  // namespace clcrec
