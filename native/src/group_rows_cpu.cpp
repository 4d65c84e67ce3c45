// The CPU passes of group_rows.h: one parallel loop over groups each, rows read in place.
// Per-row arithmetic follows the order of operations of autograd over the reference's
// formulation (normalise, multiply, sum; the same backward steps), which keeps the float32
// rounding of the encoder's gradient close to the reference's where it nearly cancels.
#include <algorithm>
#include <cmath>
#include <vector>

#include <ATen/Parallel.h>

#include "group_rows.h"

namespace clcrec {
namespace cpu {

namespace {

constexpr float kNormEps = 1e-12f;
constexpr int kLanes = 8;  // partial sums per reduction, so the compiler can vectorise them

struct Dots {
  float xx = 0, xu = 0, ca = 0, cu = 0;
};

// ||x||^2, <x, u>, <c / nc, a>, <c, u> in one pass over the three rows.
Dots row_dots(const float* x, const float* c, float nc, const float* u, const float* a, int64_t d) {
  float xx[kLanes] = {}, xu[kLanes] = {}, ca[kLanes] = {}, cu[kLanes] = {};
  int64_t j = 0;
  for (; j + kLanes <= d; j += kLanes) {
    for (int l = 0; l < kLanes; ++l) {
      const float xv = x[j + l], cv = c[j + l], uv = u[j + l];
      xx[l] += xv * xv;
      xu[l] += xv * uv;
      ca[l] += (cv / nc) * a[j + l];
      cu[l] += cv * uv;
    }
  }
  for (; j < d; ++j) {
    xx[0] += x[j] * x[j];
    xu[0] += x[j] * u[j];
    ca[0] += (c[j] / nc) * a[j];
    cu[0] += c[j] * u[j];
  }
  Dots out;
  for (int l = 0; l < kLanes; ++l) {
    out.xx += xx[l];
    out.xu += xu[l];
    out.ca += ca[l];
    out.cu += cu[l];
  }
  return out;
}

float dot(const float* a, const float* b, int64_t d) {
  float acc[kLanes] = {};
  int64_t j = 0;
  for (; j + kLanes <= d; j += kLanes) {
    for (int l = 0; l < kLanes; ++l) acc[l] += a[j + l] * b[j + l];
  }
  for (; j < d; ++j) acc[0] += a[j] * b[j];
  float out = 0;
  for (int l = 0; l < kLanes; ++l) out += acc[l];
  return out;
}

struct Pointers {
  int64_t B, G, d;
  const float* table;
  const int64_t* table_rows;
  const float* encoded;
  const int64_t* inverse;
  const float* encoded_norm;
  const float* users;
  const float* positives;
  const float* positive_norm;
  const float* anchors;

  explicit Pointers(const GroupRows& in)
      : B(in.batch_size), G(in.group_size), d(in.table.size(1)),
        table(in.table.data_ptr<float>()), table_rows(in.table_rows.data_ptr<int64_t>()),
        encoded(in.encoded.data_ptr<float>()), inverse(in.inverse.data_ptr<int64_t>()),
        encoded_norm(in.encoded_norm.data_ptr<float>()), users(in.users.data_ptr<float>()),
        positives(in.positives.data_ptr<float>()), positive_norm(in.positive_norm.data_ptr<float>()),
        anchors(in.anchors.data_ptr<float>()) {}

  const float* item(int64_t r) const { return table + table_rows[B + r] * d; }
  const float* code(int64_t r) const { return encoded + inverse[r] * d; }
};

// Groups per task: enough rows that a task is worth scheduling.
int64_t grain(int64_t group_size) { return std::max<int64_t>(1, 2048 / std::max<int64_t>(1, group_size)); }

}  // namespace

bool supports(const GroupRows& in) {
  auto ok = [](const torch::Tensor& t, c10::ScalarType type) {
    return t.device().is_cpu() && t.scalar_type() == type && t.is_contiguous();
  };
  return ok(in.table, torch::kFloat32) && ok(in.table_rows, torch::kInt64) &&
         ok(in.encoded, torch::kFloat32) && ok(in.inverse, torch::kInt64) &&
         ok(in.encoded_norm, torch::kFloat32) && ok(in.users, torch::kFloat32) &&
         ok(in.positives, torch::kFloat32) && ok(in.positive_norm, torch::kFloat32) &&
         ok(in.anchors, torch::kFloat32);
}

torch::Tensor group_row_products(const GroupRows& in) {
  const Pointers p(in);
  torch::Tensor out = torch::empty({p.B, p.G, 4}, in.table.options());
  float* o = out.data_ptr<float>();
  at::parallel_for(0, p.B, grain(p.G), [&](int64_t begin, int64_t end) {
    for (int64_t b = begin; b < end; ++b) {
      const float* u = p.users + b * p.d;
      const float* a = p.anchors + b * p.d;
      for (int64_t g = 0; g < p.G; ++g) {
        const int64_t r = b * p.G + g;
        const float nc = std::max(p.encoded_norm[p.inverse[r]], kNormEps);
        const Dots dots = row_dots(p.item(r), p.code(r), nc, u, a, p.d);
        float* row = o + r * 4;
        row[0] = std::sqrt(dots.xx);
        row[1] = dots.xu;
        row[2] = dots.ca;
        row[3] = dots.cu;
      }
    }
  });
  return out;
}

GroupRowGradients group_row_gradients(const GroupRows& in, const GroupRowCoefficients& coef) {
  const Pointers p(in);
  const int64_t B = p.B, G = p.G, d = p.d, D = in.encoded.size(0);
  auto contiguous = [](const torch::Tensor& t) { return t.contiguous(); };
  const torch::Tensor re_t = contiguous(coef.re), ui_item_t = contiguous(coef.ui_item),
                      ui_hybrid_t = contiguous(coef.ui_hybrid), ui_encoded_t = contiguous(coef.ui_encoded),
                      item_reg_t = contiguous(coef.item_reg), user_reg_t = contiguous(coef.user_reg);
  const float* re = re_t.data_ptr<float>();
  const float* ui_item = ui_item_t.data_ptr<float>();
  const float* ui_hybrid = ui_hybrid_t.data_ptr<float>();
  const float* ui_encoded = ui_encoded_t.data_ptr<float>();
  const float* item_reg = item_reg_t.data_ptr<float>();
  const float* user_reg = user_reg_t.data_ptr<float>();

  GroupRowGradients out;
  out.table_grad = torch::empty({B + B * G, d}, in.table.options());
  float* table_grad = out.table_grad.data_ptr<float>();
  // Encoder rows are shared between groups: each thread adds into its own D x d slice.
  const int threads = at::get_num_threads();
  torch::Tensor partial = torch::zeros({threads, D, d}, in.encoded.options());
  float* partials = partial.data_ptr<float>();

  at::parallel_for(0, B, grain(G), [&](int64_t begin, int64_t end) {
    float* acc = partials + static_cast<int64_t>(at::get_thread_num()) * D * d;
    std::vector<float> anchor_grad(d), user_grad(d), positive_grad(d);
    for (int64_t b = begin; b < end; ++b) {
      const float* u = p.users + b * d;
      const float* a = p.anchors + b * d;
      std::fill(anchor_grad.begin(), anchor_grad.end(), 0.0f);
      std::fill(user_grad.begin(), user_grad.end(), 0.0f);
      for (int64_t g = 0; g < G; ++g) {
        const int64_t r = b * G + g;
        const float* x = p.item(r);
        const float* c = p.code(r);
        const float nc = std::max(p.encoded_norm[p.inverse[r]], kNormEps);
        for (int64_t j = 0; j < d; ++j) {
          anchor_grad[j] += re[r] * (c[j] / nc);
          user_grad[j] += ui_hybrid[r] * c[j] + ui_item[r] * x[j];
        }
      }
      float* user_row = table_grad + b * d;
      for (int64_t j = 0; j < d; ++j) user_row[j] = user_grad[j] + user_reg[b] * u[j];

      // Through a_b = x / max(||x||, eps), as autograd takes it: g / n for the division, and
      // x * (-<g, x> / n^2) / ||x|| through the norm where it is not clamped.
      const float* px = p.positives + b * d;
      const float pn = p.positive_norm[b], pnc = std::max(pn, kNormEps);
      float radial = 0;
      if (pn >= kNormEps) {
        float s = 0;
        for (int64_t j = 0; j < d; ++j) s += -anchor_grad[j] * px[j] / (pnc * pnc);
        radial = s / pn;
      }
      for (int64_t j = 0; j < d; ++j) positive_grad[j] = anchor_grad[j] / pnc + px[j] * radial;

      for (int64_t g = 0; g < G; ++g) {
        const int64_t r = b * G + g;
        const float* x = p.item(r);
        float* item_row = table_grad + (B + r) * d;
        for (int64_t j = 0; j < d; ++j) item_row[j] = x[j] * item_reg[r] + ui_item[r] * u[j];
        if (g == 0) {
          for (int64_t j = 0; j < d; ++j) item_row[j] += positive_grad[j];
        }
        // d / d c_r, the same steps for c / max(||c||, eps), plus the U-I credit.
        const float* c = p.code(r);
        const float cn = p.encoded_norm[p.inverse[r]], cnc = std::max(cn, kNormEps);
        float c_radial = 0;
        if (cn >= kNormEps && re[r] != 0.0f) {
          float s = 0;
          for (int64_t j = 0; j < d; ++j) s += -(re[r] * a[j]) * c[j] / (cnc * cnc);
          c_radial = s / cn;
        }
        float* grad = acc + p.inverse[r] * d;
        for (int64_t j = 0; j < d; ++j) {
          grad[j] += (re[r] * a[j]) / cnc + c[j] * c_radial + ui_encoded[r] * u[j];
        }
      }
    }
  });
  out.encoded = threads == 1 ? partial[0] : partial.sum(0);
  return out;
}

}  // namespace cpu
}  // namespace clcrec
