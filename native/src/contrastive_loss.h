// contrastive_loss.h - CLCRec's training objective on one batch (both InfoNCE terms and the
// norm regulariser) and its gradient in closed form.
//
// Everything that touches the batch's R rows of d values is two passes (group_rows.h): their
// products with the group's anchors, and their gradient rows. In between, the InfoNCE terms
// and their derivatives (softmax minus one-hot) work on B x G scores; the backward pass is
// written out by hand instead of taped by autograd.
#pragma once

#include <cstdint>

#include <torch/torch.h>

#include "group_rows.h"
#include "kernels.h"

namespace clcrec {

// One batch as the loss sees it, on the model's device. B groups of G rows (R = B*G), row
// r = b*G + g of group b, g = 0 the positive.
struct LossBatch {
  int64_t batch_size = 0;
  int64_t group_size = 0;
  torch::Tensor table;         // id table E (N x d), read only
  torch::Tensor table_rows;    // B + R rows of E: the B users u_b, then the R items i_r
  torch::Tensor encoded;       // D x d encoder output of the batch's distinct items
  torch::Tensor inverse;       // R: row r's item in encoded (c_r = encoded[inverse[r]])
  torch::Tensor hybrid_count;  // R float: how often row r was drawn as a hybrid row (0: never)
  Kernels kernels = Kernels::kCpu;  // the model's choice (kernels.h)
};

struct LossWeights {
  double temperature = 1;     // the U-I term's
  double re_temperature = 1;  // the R-E term's (the reference: the same as the U-I term's)
  double lr_lambda = 1;
  double reg_weight = 0;
};

// 0-dim float tensors on the batch's device.
struct LossValues {
  torch::Tensor total;  // lr_lambda * re + (1 - lr_lambda) * ui + reg_weight * reg
  torch::Tensor re;     // R-E InfoNCE: anchors normalize(E[p_b]), candidates normalize(c_r), at re_temperature
  torch::Tensor ui;     // U-I InfoNCE: anchors E[u_b], candidates E[i_r] (c_r on hybrid rows)
  torch::Tensor reg;    // (mean_b ||E[u_b]|| + mean_r ||E[i_r]||) / 2
  torch::Tensor mat;    // mean_b (1 - softmax of the U-I scores at the positive)
};

// Gradient of LossValues::total. The id table's part is sparse: one gradient row per touched
// row (repeats allowed; they add up), to be scattered into a dense buffer or applied row-wise.
struct LossGradients {
  torch::Tensor table_rows;  // K touched rows: with the CPU kernels the B users, then each distinct item once
  torch::Tensor table_grad;  // K x d
  torch::Tensor encoded;     // D x d, gradient with respect to LossBatch::encoded
};

class ContrastiveLoss {
 public:
  // Computes the losses and keeps what the gradient needs.
  ContrastiveLoss(const LossBatch& batch, const LossWeights& weights);

  const LossValues& values() const { return values_; }
  LossGradients gradients() const;

 private:
  LossBatch batch_;
  LossWeights weights_;
  LossValues values_;
  GroupRows rows_;
  torch::Tensor user_norm_, item_norm_;  // B, B x G
  torch::Tensor re_scores_, ui_scores_;  // B x G
  torch::Tensor re_lse_, ui_lse_;        // B
  torch::Tensor hybrid_;                 // B x G float mask
};

}  // namespace clcrec
