// content_encoder.h - f(x) = W2 * leaky_relu(W1 * x + b1, 0.01) + b2, the item content encoder.
#pragma once

#include <torch/torch.h>

#include "kernels.h"

namespace clcrec {

class ContentEncoderImpl : public torch::nn::Module {
 public:
  ContentEncoderImpl(int64_t input_width, int64_t hidden_dim, int64_t output_dim);

  // PyTorch's default Linear init (uniform in +-1/sqrt(fan_in) for weights and biases),
  // drawn from the given generator so that creation is reproducible.
  void reset_parameters(at::Generator& generator);

  // For inference: no autograd graph.
  torch::Tensor forward(const torch::Tensor& features, Kernels kernels) const;

  // A training step's pass, written out instead of taped by autograd so that its matrix
  // products split over the threads (split_matmul.h): forward keeps what backward needs, and
  // backward sets the four parameters' grad() and hands the features' gradient to autograd
  // when they require one (a trainable word table).
  struct Trace {
    torch::Tensor features;  // n x input_width
    torch::Tensor hidden;    // n x hidden_dim, before the activation
    torch::Tensor output;    // n x output_dim
  };
  Trace forward_traced(const torch::Tensor& features, Kernels kernels) const;
  void backward(const Trace& trace, const torch::Tensor& grad_output, Kernels kernels);

  torch::nn::Linear layer1{nullptr};
  torch::nn::Linear layer2{nullptr};
};
TORCH_MODULE(ContentEncoder);

}  // namespace clcrec
