#include "contrastive_loss.h"

namespace clcrec {

ContrastiveLoss contrastive_loss(const torch::Tensor& anchors, const torch::Tensor& candidates,
                                 double temperature) {
  // (B x G x d) . (B x d x 1) -> B x G
  torch::Tensor scores = torch::bmm(candidates, anchors.unsqueeze(2)).squeeze(2) / temperature;
  torch::Tensor log_norm = torch::logsumexp(scores, 1);
  torch::Tensor log_prob_pos = scores.select(1, 0) - log_norm;
  ContrastiveLoss result;
  result.loss = (-log_prob_pos).mean();
  result.mat = (1.0 - log_prob_pos.detach().exp()).mean();
  return result;
}

torch::Tensor embedding_norm_regularizer(const torch::Tensor& users, const torch::Tensor& items) {
  return (users.norm(2, 1).mean() + items.norm(2, 1).mean()) / 2.0;
}

}  // namespace clcrec
