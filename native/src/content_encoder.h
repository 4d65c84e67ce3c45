// content_encoder.h - f(x) = W2 * leaky_relu(W1 * x + b1, 0.01) + b2, the item content encoder.
#pragma once

#include <torch/torch.h>

namespace clcrec {

class ContentEncoderImpl : public torch::nn::Module {
 public:
  ContentEncoderImpl(int64_t input_width, int64_t hidden_dim, int64_t output_dim);

  // PyTorch's default Linear init (uniform in +-1/sqrt(fan_in) for weights and biases),
  // drawn from the given generator so that creation is reproducible.
  void reset_parameters(at::Generator& generator);

  torch::Tensor forward(const torch::Tensor& features) const;

  torch::nn::Linear layer1{nullptr};
  torch::nn::Linear layer2{nullptr};
};
TORCH_MODULE(ContentEncoder);

}  // namespace clcrec
