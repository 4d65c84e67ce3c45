#include "content_encoder.h"

#include <cmath>

namespace clcrec {

ContentEncoderImpl::ContentEncoderImpl(int64_t input_width, int64_t hidden_dim, int64_t output_dim) {
  layer1 = register_module("layer1", torch::nn::Linear(input_width, hidden_dim));
  layer2 = register_module("layer2", torch::nn::Linear(hidden_dim, output_dim));
}

static void reset_linear(torch::nn::Linear& linear, at::Generator& generator) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(linear->weight.size(1)));
  torch::NoGradGuard no_grad;
  linear->weight.uniform_(-bound, bound, generator);
  linear->bias.uniform_(-bound, bound, generator);
}

void ContentEncoderImpl::reset_parameters(at::Generator& generator) {
  reset_linear(layer1, generator);
  reset_linear(layer2, generator);
}

torch::Tensor ContentEncoderImpl::forward(const torch::Tensor& features) const {
  namespace F = torch::nn::functional;
  torch::Tensor hidden = torch::leaky_relu(F::linear(features, layer1->weight, layer1->bias), 0.01);
  return F::linear(hidden, layer2->weight, layer2->bias);
}

}  // namespace clcrec
