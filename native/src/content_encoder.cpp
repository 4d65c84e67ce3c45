#include "content_encoder.h"

#include <cmath>

#include "split_matmul.h"

namespace clcrec {

namespace {
constexpr double kSlope = 0.01;  // the reference's leaky_relu slope
}  // namespace

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

torch::Tensor ContentEncoderImpl::forward(const torch::Tensor& features, Kernels kernels) const {
  return forward_traced(features, kernels).output;
}

ContentEncoderImpl::Trace ContentEncoderImpl::forward_traced(const torch::Tensor& features, Kernels kernels) const {
  torch::NoGradGuard no_grad;
  Trace trace;
  trace.features = features;
  trace.hidden = linear_rows(features.detach(), layer1->weight, layer1->bias, kernels);
  trace.output = linear_rows(torch::leaky_relu(trace.hidden, kSlope), layer2->weight, layer2->bias, kernels);
  return trace;
}

// The steps of autograd's backward through linear, leaky_relu, linear.
void ContentEncoderImpl::backward(const Trace& trace, const torch::Tensor& grad_output, Kernels kernels) {
  torch::Tensor grad_hidden;
  {
    torch::NoGradGuard no_grad;
    // Recomputed rather than kept from the forward pass: one elementwise pass is cheaper than
    // holding a second n x hidden_dim tensor (70 MB at the Amazon shape) across the loss.
    const torch::Tensor activation = torch::leaky_relu(trace.hidden, kSlope);
    layer2->weight.mutable_grad() = weight_gradient(grad_output, activation, kernels);
    layer2->bias.mutable_grad() = grad_output.sum(0);
    grad_hidden = torch::leaky_relu_backward(matmul_rows(grad_output, layer2->weight, kernels), trace.hidden, kSlope,
                                             /*self_is_result=*/false);
    layer1->weight.mutable_grad() = weight_gradient(grad_hidden, trace.features.detach(), kernels);
    layer1->bias.mutable_grad() = grad_hidden.sum(0);
  }
  if (trace.features.requires_grad()) trace.features.backward(matmul_rows(grad_hidden, layer1->weight, kernels));
}

}  // namespace clcrec
