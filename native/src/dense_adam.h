// dense_adam.h - torch::optim::Adam with a fused single-pass update for float32 CPU
// parameters (same state, same serialisation, same arithmetic as Adam::step). Every row of
// a parameter is updated each step ("dense"), exactly as the reference's Adam does.
#pragma once

#include <torch/torch.h>

namespace clcrec {

class DenseAdam : public torch::optim::Adam {
 public:
  using torch::optim::Adam::Adam;
  torch::Tensor step(LossClosure closure = nullptr) override;

 private:
  torch::optim::AdamParamState& state_for(const torch::Tensor& param);
};

}  // namespace clcrec
