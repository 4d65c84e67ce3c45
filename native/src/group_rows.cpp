#include "group_rows.h"

namespace clcrec {

namespace {

constexpr double kNormEps = 1e-12;  // F.normalize's eps

torch::Tensor clamped(const torch::Tensor& norm) { return norm.clamp_min(kNormEps); }

}  // namespace

torch::Tensor group_row_products(const GroupRows& in) {
  if (in.kernels == Kernels::kCpu && cpu::supports(in)) return cpu::group_row_products(in);
  const int64_t B = in.batch_size, G = in.group_size, R = B * G, d = in.table.size(1);
  torch::Tensor items = in.table.index_select(0, in.table_rows.narrow(0, B, R)).view({B, G, d});
  torch::Tensor encoded = in.encoded.index_select(0, in.inverse).view({B, G, d});
  torch::Tensor encoded_scale =
      clamped(in.encoded_norm).reciprocal().index_select(0, in.inverse).view({B, G});
  torch::Tensor item_dots = torch::bmm(items, in.users.unsqueeze(2)).squeeze(2);
  torch::Tensor encoded_dots = torch::bmm(encoded, torch::stack({in.anchors, in.users}, 2));
  return torch::stack({items.norm(2, {2}), item_dots, encoded_dots.select(2, 0) * encoded_scale,
                       encoded_dots.select(2, 1)},
                      2);
}

GroupRowGradients group_row_gradients(const GroupRows& in, const GroupRowCoefficients& coef) {
  if (in.kernels == Kernels::kCpu && cpu::supports(in)) return cpu::group_row_gradients(in, coef);
  const int64_t B = in.batch_size, G = in.group_size, R = B * G, d = in.table.size(1);
  const int64_t D = in.encoded.size(0);
  torch::Tensor items = in.table.index_select(0, in.table_rows.narrow(0, B, R)).view({B, G, d});
  torch::Tensor encoded = in.encoded.index_select(0, in.inverse).view({B, G, d});
  torch::Tensor encoded_norm = in.encoded_norm.index_select(0, in.inverse).view({B, G});
  torch::Tensor encoded_clamped = clamped(encoded_norm);

  // Sums over each group: d / d a_b and d / d u_b.
  torch::Tensor re_scaled = coef.re / encoded_clamped;  // d / d <c_r, a_b>
  torch::Tensor sums = torch::bmm(encoded.transpose(1, 2), torch::stack({re_scaled, coef.ui_hybrid}, 2));
  torch::Tensor anchor_grad = sums.select(2, 0);
  torch::Tensor user_grad = sums.select(2, 1) +
                            torch::bmm(items.transpose(1, 2), coef.ui_item.unsqueeze(2)).squeeze(2) +
                            in.users * coef.user_reg.unsqueeze(1);
  // Through a_b = x / max(||x||, eps): (g - a <g, a>) / ||x||, or g / eps where clamped.
  torch::Tensor projected = anchor_grad - in.anchors * (anchor_grad * in.anchors).sum(1, true);
  torch::Tensor positive_grad =
      torch::where((in.positive_norm >= kNormEps).unsqueeze(1), projected, anchor_grad) /
      clamped(in.positive_norm).unsqueeze(1);

  GroupRowGradients out;
  out.table_rows = in.table_rows;
  out.table_grad = torch::empty({B + R, d}, in.table.options());
  out.table_grad.narrow(0, 0, B).copy_(user_grad);
  torch::Tensor item_grad = out.table_grad.narrow(0, B, R).view({B, G, d});
  torch::mul_out(item_grad, items, coef.item_reg.unsqueeze(2));
  item_grad.baddbmm_(coef.ui_item.unsqueeze(2), in.users.unsqueeze(1));
  item_grad.select(1, 0).add_(positive_grad);

  // d / d c_r: re_scaled * (a_b - c_r <c_r, a_b> / ||c_r||^2) where ||c_r|| >= eps, plus
  // ui_encoded * u_b.
  torch::Tensor row_grad =
      torch::bmm(torch::stack({re_scaled, coef.ui_encoded}, 2), torch::stack({in.anchors, in.users}, 1));
  torch::Tensor encoded_dot = torch::bmm(encoded, in.anchors.unsqueeze(2)).squeeze(2);
  torch::Tensor radial = torch::where(encoded_norm >= kNormEps,
                                      -re_scaled * encoded_dot / (encoded_norm * encoded_norm),
                                      torch::zeros_like(re_scaled));
  out.encoded = torch::zeros({D, d}, in.encoded.options()).index_add_(0, in.inverse, row_grad.view({R, d}));
  torch::Tensor radial_sum = torch::zeros({D}, in.encoded.options()).index_add_(0, in.inverse, radial.view({R}));
  out.encoded.addcmul_(in.encoded, radial_sum.unsqueeze(1));
  return out;
}

}  // namespace clcrec
