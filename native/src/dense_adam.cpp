#include "dense_adam.h"

#include <cmath>
#include <sstream>
#include <type_traits>

#include <ATen/Parallel.h>

#include "simd_clones.h"

namespace clcrec {

namespace {

// The optimizer's state map is keyed by the parameter's TensorImpl: as a string in
// LibTorch 1.x, as a pointer in 2.x. This picks whichever the compiled version uses.
template <typename Map>
typename Map::key_type state_key(const Map&, const torch::Tensor& param) {
  if constexpr (std::is_same_v<typename Map::key_type, std::string>) {
    std::ostringstream key;  // how LibTorch 1.x spells the key (c10::guts::to_string)
    key << static_cast<const void*>(param.unsafeGetTensorImpl());
    return key.str();
  } else {
    return static_cast<typename Map::key_type>(param.unsafeGetTensorImpl());
  }
}

bool fusable(const torch::Tensor& param) {
  return param.device().is_cpu() && param.scalar_type() == torch::kFloat32 &&
         param.is_contiguous() && param.grad().defined() && !param.grad().is_sparse() &&
         param.grad().is_contiguous() && param.grad().scalar_type() == torch::kFloat32;
}

struct AdamConstants {
  float b1, one_minus_b1, b2, one_minus_b2, bc2_sqrt, eps, neg_step;
};

}  // namespace

// Cloned per instruction set (simd_clones.h); outside the anonymous namespace because function
// multi-versioning needs a linkable symbol.
CLCREC_SIMD_CLONES void adam_update(const AdamConstants& k, int64_t begin, int64_t end, const float* grad,
                                    float* param, float* m, float* v) {
  for (int64_t i = begin; i < end; ++i) {
    const float g = grad[i];
    const float mi = m[i] * k.b1 + k.one_minus_b1 * g;
    const float vi = v[i] * k.b2 + k.one_minus_b2 * g * g;
    m[i] = mi;
    v[i] = vi;
    param[i] += k.neg_step * (mi / (std::sqrt(vi) / k.bc2_sqrt + k.eps));
  }
}

torch::optim::AdamParamState& DenseAdam::state_for(const torch::Tensor& param) {
  auto key = state_key(state_, param);
  auto found = state_.find(key);
  if (found == state_.end()) {
    auto state = std::make_unique<torch::optim::AdamParamState>();
    state->step(0);
    state->exp_avg(torch::zeros_like(param, torch::MemoryFormat::Preserve));
    state->exp_avg_sq(torch::zeros_like(param, torch::MemoryFormat::Preserve));
    found = state_.emplace(key, std::move(state)).first;
  }
  return static_cast<torch::optim::AdamParamState&>(*found->second);
}

torch::Tensor DenseAdam::step(LossClosure closure) {
  bool all_fusable = kernels_ == Kernels::kCpu;
  for (const auto& group : param_groups_) {
    const auto& options = static_cast<const torch::optim::AdamOptions&>(group.options());
    if (options.amsgrad() || options.weight_decay() != 0) all_fusable = false;
    for (const auto& p : group.params()) {
      if (p.grad().defined() && !fusable(p)) all_fusable = false;
    }
  }
  if (!all_fusable) return torch::optim::Adam::step(std::move(closure));

  torch::NoGradGuard no_grad;
  torch::Tensor loss;
  if (closure != nullptr) {
    at::AutoGradMode enable_grad(true);
    loss = closure();
  }
  for (auto& group : param_groups_) {
    const auto& options = static_cast<const torch::optim::AdamOptions&>(group.options());
    const double beta1 = std::get<0>(options.betas());
    const double beta2 = std::get<1>(options.betas());
    for (auto& p : group.params()) {
      if (!p.grad().defined()) continue;
      auto& state = state_for(p);
      state.step(state.step() + 1);
      const double bias_correction1 = 1 - std::pow(beta1, static_cast<double>(state.step()));
      const double bias_correction2 = 1 - std::pow(beta2, static_cast<double>(state.step()));
      // The operations of Adam::step, in its order and float32 precision:
      //   m = m*b1 + (1-b1)*g;  v = v*b2 + (1-b2)*g*g;
      //   denom = sqrt(v) / sqrt(bc2) + eps;  p = p - (lr/bc1) * m / denom
      const float b1 = static_cast<float>(beta1), one_minus_b1 = static_cast<float>(1 - beta1);
      const float b2 = static_cast<float>(beta2), one_minus_b2 = static_cast<float>(1 - beta2);
      const float bc2_sqrt = static_cast<float>(std::sqrt(bias_correction2));
      const float eps = static_cast<float>(options.eps());
      const float neg_step = static_cast<float>(-options.lr() / bias_correction1);
      AdamConstants k{b1, one_minus_b1, b2, one_minus_b2, bc2_sqrt, eps, neg_step};
      float* param = p.data_ptr<float>();
      const float* grad = p.grad().data_ptr<float>();
      float* m = state.exp_avg().data_ptr<float>();
      float* v = state.exp_avg_sq().data_ptr<float>();
      at::parallel_for(0, p.numel(), 1 << 15, [&](int64_t begin, int64_t end) {
        adam_update(k, begin, end, grad, param, m, v);
      });
    }
  }
  return loss;
}

}  // namespace clcrec
