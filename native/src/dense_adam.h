// dense_adam.h - torch::optim::Adam with a fused single-pass update for float32 CPU
// parameters (same state, same serialisation, same arithmetic as Adam::step). Every row of
// a parameter is updated each step ("dense"), exactly as the reference's Adam does. With
// Kernels::kGeneric, or any parameter the fused update cannot take, it is Adam::step itself.
#pragma once

#include <torch/torch.h>

#include "kernels.h"

namespace clcrec {

class DenseAdam : public torch::optim::Adam {
 public:
  DenseAdam(std::vector<torch::Tensor> params, torch::optim::AdamOptions options, Kernels kernels)
      : torch::optim::Adam(std::move(params), std::move(options)), kernels_(kernels) {}
  torch::Tensor step(LossClosure closure = nullptr) override;

 private:
  torch::optim::AdamParamState& state_for(const torch::Tensor& param);
  Kernels kernels_;
};

}  // namespace clcrec
