#include "contrastive_loss.h"

namespace clcrec {

namespace {

constexpr double kNormEps = 1e-12;  // F.normalize's eps, as the reference uses it

// d (weight * mean_b [lse_b - s_b0]) / d s = weight / B * (softmax(s) - onehot(0)), with the
// float32 steps of autograd over that expression (weight / B rounded as MeanBackward rounds
// it, scale * exp(s - lse) and -scale added apart): the encoder's gradient nearly cancels in
// places, and Adam turns its last bits into visible steps.
torch::Tensor infonce_gradient(const torch::Tensor& scores, const torch::Tensor& lse, double weight,
                               int64_t batch_size) {
  const float scale = static_cast<float>(weight) / static_cast<float>(batch_size);
  torch::Tensor g = (scores - lse.unsqueeze(1)).exp_().mul_(scale);
  g.select(1, 0).add_(-scale);
  return g;
}

// weight / 2 / count / ||x|| where ||x|| > 0, else 0: the regulariser's gradient as a multiple
// of x (d ||x|| / dx = x / ||x||, taken as 0 at x = 0 as torch's norm backward does), its
// scalar rounded in autograd's order.
torch::Tensor norm_gradient_scale(const torch::Tensor& norm, double weight, int64_t count) {
  const float scale = static_cast<float>(weight) / 2.0f / static_cast<float>(count);
  return torch::where(norm > 0, torch::full_like(norm, scale).div_(norm), torch::zeros_like(norm));
}

}  // namespace

ContrastiveLoss::ContrastiveLoss(const LossBatch& batch, const LossWeights& weights)
    : batch_(batch), weights_(weights) {
  const int64_t B = batch.batch_size, G = batch.group_size, R = B * G;
  const double t = weights.temperature;

  rows_.batch_size = B;
  rows_.group_size = G;
  rows_.kernels = batch.kernels;
  rows_.table = batch.table;
  rows_.table_rows = batch.table_rows;
  rows_.encoded = batch.encoded;
  rows_.inverse = batch.inverse;
  rows_.encoded_norm = batch.encoded.norm(2, {1});  // once per distinct item
  rows_.users = batch.table.index_select(0, batch.table_rows.narrow(0, 0, B));
  rows_.positives = batch.table.index_select(
      0, batch.table_rows.narrow(0, B, R).view({B, G}).select(1, 0).contiguous());
  rows_.positive_norm = rows_.positives.norm(2, {1});
  rows_.anchors = rows_.positives / rows_.positive_norm.clamp_min(kNormEps).unsqueeze(1);

  torch::Tensor products = group_row_products(rows_);  // B x G x 4
  item_norm_ = products.select(2, 0);
  user_norm_ = rows_.users.norm(2, {1});
  re_scores_ = products.select(2, 2) / weights.re_temperature;
  hybrid_ = (batch.hybrid_count > 0).to(products.scalar_type()).view({B, G});
  ui_scores_ = torch::where(hybrid_ > 0, products.select(2, 3), products.select(2, 1)) / t;

  re_lse_ = torch::logsumexp(re_scores_, {1});
  ui_lse_ = torch::logsumexp(ui_scores_, {1});
  values_.re = (re_lse_ - re_scores_.select(1, 0)).mean();
  torch::Tensor ui_log_probability = ui_scores_.select(1, 0) - ui_lse_;
  values_.ui = (-ui_log_probability).mean();
  values_.mat = (1.0 - ui_log_probability.exp()).mean();
  values_.reg = (user_norm_.mean() + item_norm_.mean()) / 2.0;
  values_.total = weights.lr_lambda * values_.re + (1.0 - weights.lr_lambda) * values_.ui +
                  weights.reg_weight * values_.reg;
}

LossGradients ContrastiveLoss::gradients() const {
  const int64_t B = batch_.batch_size, G = batch_.group_size, R = B * G;
  const double t = weights_.temperature, lambda = weights_.lr_lambda;

  GroupRowCoefficients coef;
  coef.re = infonce_gradient(re_scores_, re_lse_, lambda, B).div_(weights_.re_temperature);
  torch::Tensor ui = infonce_gradient(ui_scores_, ui_lse_, 1.0 - lambda, B).div_(t);
  coef.ui_hybrid = ui * hybrid_;
  coef.ui_item = ui - coef.ui_hybrid;
  // The reference assigns the hybrid rows in place, and index_put's backward hands the
  // encoder output of a row drawn k times k times its gradient, although it is a candidate
  // only once: not the loss's derivative, but what the reference computes, and the fixtures'
  // gradients depend on it. Kept on purpose.
  coef.ui_encoded = ui * batch_.hybrid_count.view({B, G});
  coef.item_reg = norm_gradient_scale(item_norm_, weights_.reg_weight, R);
  coef.user_reg = norm_gradient_scale(user_norm_, weights_.reg_weight, B);

  GroupRowGradients rows = group_row_gradients(rows_, coef);
  LossGradients grads;
  grads.table_rows = rows.table_rows;
  grads.table_grad = rows.table_grad;
  grads.encoded = rows.encoded;
  return grads;
}

}  // namespace clcrec
