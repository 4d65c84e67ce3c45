#include "contrastive_loss.h"

namespace clcrec {

ContrastiveLoss contrastive_loss(const torch::Tensor& anchors, const torch::Tensor& candidates,
                                 double temperature) {
  // s_br = <candidate_br, anchor_b> / t, as an elementwise product summed over d (the
  // reference's order of operations, which keeps float32 rounding close to it).
  torch::Tensor scores = (candidates * anchors.unsqueeze(1)).sum(2) / temperature;  // B x G
  ContrastiveLoss result;
  // Log-sum-exp form, always: the same function as the reference's -log(exp(s_0) / sum exp(s_r)),
  // but it neither overflows nor underflows, whatever the scores.
  torch::Tensor log_probability = scores.select(1, 0) - torch::logsumexp(scores, 1);
  result.loss = (-log_probability).mean();
  result.mat = (1.0 - log_probability.detach().exp()).mean();
  return result;
}

torch::Tensor embedding_norm_regularizer(const torch::Tensor& users, const torch::Tensor& items) {
  return (users.norm(2, 1).mean() + items.norm(2, 1).mean()) / 2.0;
}

}  // namespace clcrec
