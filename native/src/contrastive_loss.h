// contrastive_loss.h - the InfoNCE loss of CLCRec as plain functions of tensors.
#pragma once

#include <torch/torch.h>

namespace clcrec {

struct ContrastiveLoss {
  torch::Tensor loss;  // mean_b [ logsumexp_r s_br - s_b0 ]
  torch::Tensor mat;   // mean_b [ 1 - softmax_r(s_b)_0 ]  (no gradient needed)
};

// anchors: B x d (one per group); candidates: B x G x d, candidate 0 of each group the
// positive. Scores s_br = <anchor_b, candidate_br> / temperature.
ContrastiveLoss contrastive_loss(const torch::Tensor& anchors, const torch::Tensor& candidates,
                                 double temperature);

// ( mean ||users_r|| + mean ||items_r|| ) / 2 over rows.
torch::Tensor embedding_norm_regularizer(const torch::Tensor& users, const torch::Tensor& items);

}  // namespace clcrec
