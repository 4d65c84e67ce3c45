#include "contrastive_loss.h"

namespace clcrec {

namespace {

// Largest |score| for which the reference's direct form exp(s_pos) / sum exp(s_r) can
// neither overflow (G * e^80 stays far below FLT_MAX for any realistic group) nor underflow
// to 0/0.
constexpr double kDirectFormLimit = 80.0;

}  // namespace

ContrastiveLoss contrastive_loss(const torch::Tensor& anchors, const torch::Tensor& candidates,
                                 double temperature) {
  // s_br = <candidate_br, anchor_b> / t, as an elementwise product summed over d (the
  // reference's order of operations, which keeps float32 rounding close to it).
  torch::Tensor scores = (candidates * anchors.unsqueeze(1)).sum(2) / temperature;  // B x G
  ContrastiveLoss result;
  const double largest = scores.detach().abs().max().item<double>();
  if (largest <= kDirectFormLimit) {
    // Same function as below, computed the way the reference does; in this range it cannot
    // overflow, and it reproduces the reference's gradients to float32 rounding even for
    // near-zero gradients that Adam's normalisation magnifies.
    torch::Tensor exps = scores.exp();
    torch::Tensor positive = exps.select(1, 0);
    torch::Tensor total = exps.sum(1);
    torch::Tensor probability = positive / total;
    result.loss = (-torch::log(probability)).mean();
    result.mat = (1.0 - probability.detach()).mean();
    return result;
  }
  // Log-sum-exp form: never overflows, whatever the scores.
  torch::Tensor log_probability = scores.select(1, 0) - torch::logsumexp(scores, 1);
  result.loss = (-log_probability).mean();
  result.mat = (1.0 - log_probability.detach().exp()).mean();
  return result;
}

torch::Tensor embedding_norm_regularizer(const torch::Tensor& users, const torch::Tensor& items) {
  return (users.norm(2, 1).mean() + items.norm(2, 1).mean()) / 2.0;
}

}  // namespace clcrec
