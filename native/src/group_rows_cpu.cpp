// The CPU passes of group_rows.h: parallel loops that read the rows in place, compiled once per
// vector instruction set (simd_clones.h).
//
// Per-row arithmetic follows the order of operations of autograd over the reference's
// formulation (normalise, multiply, sum; the same backward steps), which keeps the float32
// rounding of the encoder's gradient close to the reference's where it nearly cancels. Every
// sum is taken in an order fixed by the batch alone (rows ascending, kLanes partial sums), never
// by the number of threads, so a step's result does not depend on how many threads ran it.
#include <algorithm>
#include <cmath>
#include <vector>

#include <ATen/Parallel.h>

#include "group_rows.h"
#include "simd_clones.h"

// Lanes values never cross a function boundary that is not inlined into its clone (the kernels
// are `flatten`), so GCC's note that their ABI differs between instruction sets does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace clcrec {
namespace cpu {

namespace {

constexpr float kNormEps = 1e-12f;
constexpr int kLanes = 8;  // partial sums per reduction: one AVX2 register of floats

// kLanes floats as one value: GCC lowers its arithmetic to whatever vector width the clone's
// instruction set has (one AVX register, two SSE registers), lane for lane, so the partial
// sums are the same in every clone.
typedef float Lanes __attribute__((vector_size(kLanes * sizeof(float))));

inline Lanes load(const float* p) {
  Lanes v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}

// The lanes added up in lane order.
inline float lane_total(Lanes v) {
  float out = 0;
  for (int l = 0; l < kLanes; ++l) out += v[l];
  return out;
}

struct Dots {
  float xx = 0, xu = 0, ca = 0, cu = 0;
};

// ||x||^2, <x, u>, <c / nc, a>, <c, u> in one pass over the three rows: kLanes partial sums
// each, the tail (d not a multiple of kLanes) added to lane 0.
inline Dots row_dots(const float* x, const float* c, float nc, const float* u, const float* a, int64_t d) {
  Lanes xx = {}, xu = {}, ca = {}, cu = {};
  int64_t j = 0;
  for (; j + kLanes <= d; j += kLanes) {
    const Lanes xv = load(x + j), cv = load(c + j), uv = load(u + j);
    xx += xv * xv;
    xu += xv * uv;
    ca += (cv / nc) * load(a + j);
    cu += cv * uv;
  }
  for (; j < d; ++j) {
    xx[0] += x[j] * x[j];
    xu[0] += x[j] * u[j];
    ca[0] += (c[j] / nc) * a[j];
    cu[0] += c[j] * u[j];
  }
  Dots out;
  out.xx = lane_total(xx);
  out.xu = lane_total(xu);
  out.ca = lane_total(ca);
  out.cu = lane_total(cu);
  return out;
}

// -<scale g, c> / nc2 / n in kLanes partial sums (for d <= kLanes exactly the sequential sum,
// so small dimensions round as a plain loop does): the radial part of the gradient through
// c / max(||c||, eps), as autograd takes it.
inline float radial_term(const float* g, const float* c, float scale, float nc2, float n, int64_t d) {
  Lanes acc = {};
  int64_t j = 0;
  for (; j + kLanes <= d; j += kLanes) acc += -(scale * load(g + j)) * load(c + j) / nc2;
  for (; j < d; ++j) acc[0] += -(scale * g[j]) * c[j] / nc2;
  return lane_total(acc) / n;
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

struct Coefficients {
  const float* re;
  const float* ui_item;
  const float* ui_hybrid;
  const float* ui_encoded;
  const float* item_reg;
  const float* user_reg;
};

// The encoder rows' gradients are gathered per distinct item: the rows of each item, ascending.
struct RowsByItem {
  std::vector<int64_t> offsets;  // D + 1
  std::vector<int64_t> rows;     // R

  RowsByItem(const int64_t* inverse, int64_t num_rows, int64_t num_distinct)
      : offsets(static_cast<size_t>(num_distinct + 1), 0), rows(static_cast<size_t>(num_rows)) {
    for (int64_t r = 0; r < num_rows; ++r) ++offsets[inverse[r] + 1];
    for (int64_t j = 0; j < num_distinct; ++j) offsets[j + 1] += offsets[j];
    std::vector<int64_t> next(offsets.begin(), offsets.end() - 1);
    for (int64_t r = 0; r < num_rows; ++r) rows[next[inverse[r]]++] = r;
  }
};

// Groups per task: enough rows that a task is worth scheduling.
int64_t grain(int64_t group_size) { return std::max<int64_t>(1, 2048 / std::max<int64_t>(1, group_size)); }

}  // namespace

namespace kernels {

// Separate, externally linked functions: each is cloned per instruction set; a lambda handed
// to at::parallel_for would not be.

CLCREC_SIMD_CLONES void products(const Pointers& p, int64_t begin, int64_t end, float* out) {
  for (int64_t b = begin; b < end; ++b) {
    const float* u = p.users + b * p.d;
    const float* a = p.anchors + b * p.d;
    for (int64_t g = 0; g < p.G; ++g) {
      const int64_t r = b * p.G + g;
      const float nc = std::max(p.encoded_norm[p.inverse[r]], kNormEps);
      const Dots dots = row_dots(p.item(r), p.code(r), nc, u, a, p.d);
      float* row = out + r * 4;
      row[0] = std::sqrt(dots.xx);
      row[1] = dots.xu;
      row[2] = dots.ca;
      row[3] = dots.cu;
    }
  }
}

// For the groups [begin, end): the user's id-table gradient row, and d / d x of the group's
// positive through its R-E anchor (added to that row's item gradient by item_gradients).
CLCREC_SIMD_CLONES void group_gradients(const Pointers& p, const Coefficients& k, int64_t begin, int64_t end,
                                        float* user_grad_rows, float* positive_grad_rows) {
  const int64_t G = p.G, d = p.d;
  std::vector<float> scratch(static_cast<size_t>(2 * d));
  float* anchor_grad = scratch.data();
  float* user_grad = anchor_grad + d;
  for (int64_t b = begin; b < end; ++b) {
    const float* u = p.users + b * d;
    std::fill(anchor_grad, anchor_grad + 2 * d, 0.0f);
    for (int64_t g = 0; g < G; ++g) {
      const int64_t r = b * G + g;
      const float* x = p.item(r);
      const float* c = p.code(r);
      const float nc = std::max(p.encoded_norm[p.inverse[r]], kNormEps);
      const float re = k.re[r], ui_hybrid = k.ui_hybrid[r], ui_item = k.ui_item[r];
      for (int64_t j = 0; j < d; ++j) {
        anchor_grad[j] += re * (c[j] / nc);
        user_grad[j] += ui_hybrid * c[j] + ui_item * x[j];
      }
    }
    float* user_row = user_grad_rows + b * d;
    const float user_reg = k.user_reg[b];
    for (int64_t j = 0; j < d; ++j) user_row[j] = user_grad[j] + user_reg * u[j];

    // Through a_b = x / max(||x||, eps), as autograd takes it: g / n for the division, and
    // x * (-<g, x> / n^2) / ||x|| through the norm where it is not clamped.
    const float* px = p.positives + b * d;
    const float pn = p.positive_norm[b], pnc = std::max(pn, kNormEps);
    const float radial = pn >= kNormEps ? radial_term(anchor_grad, px, 1.0f, pnc * pnc, pn, d) : 0.0f;
    float* positive_grad = positive_grad_rows + b * d;
    for (int64_t j = 0; j < d; ++j) positive_grad[j] = anchor_grad[j] / pnc + px[j] * radial;
  }
}

// For the distinct items [begin, end), over each item's rows r (ascending, the order in which
// scattering the rows one by one would add them up):
//  - its id-table row's gradient: the sum of x * item_reg_r + ui_item_r * u_b (plus the
//    positive's anchor gradient where r is its group's positive);
//  - d / d c: the sum of (re_r a_b) / ||c|| + c * radial_r + ui_encoded_r * u_b, where radial_r
//    is the step through c / max(||c||, eps) for the R-E term.
CLCREC_SIMD_CLONES void item_gradients(const Pointers& p, const Coefficients& k, const RowsByItem& by_item,
                                       const float* positive_grad_rows, int64_t begin, int64_t end,
                                       float* item_grad_rows, float* encoded_grad_rows) {
  const int64_t G = p.G, d = p.d;
  std::vector<float> row(static_cast<size_t>(d));
  for (int64_t item = begin; item < end; ++item) {
    const int64_t first = by_item.offsets[item], last = by_item.offsets[item + 1];
    const float* x = p.item(by_item.rows[first]);
    const float* c = p.encoded + item * d;
    const float cn = p.encoded_norm[item], cnc = std::max(cn, kNormEps);
    float* item_out = item_grad_rows + item * d;
    float* encoded_out = encoded_grad_rows + item * d;
    std::fill(item_out, item_out + d, 0.0f);
    std::fill(encoded_out, encoded_out + d, 0.0f);
    for (int64_t at = first; at < last; ++at) {
      const int64_t r = by_item.rows[at], b = r / G;
      const float* a = p.anchors + b * d;
      const float* u = p.users + b * d;
      const float item_reg = k.item_reg[r], ui_item = k.ui_item[r];
      for (int64_t j = 0; j < d; ++j) row[j] = x[j] * item_reg + ui_item * u[j];
      if (r % G == 0) {
        const float* positive_grad = positive_grad_rows + b * d;
        for (int64_t j = 0; j < d; ++j) row[j] += positive_grad[j];
      }
      for (int64_t j = 0; j < d; ++j) item_out[j] += row[j];

      const float w = k.re[r], ui_encoded = k.ui_encoded[r];
      const float c_radial = (cn >= kNormEps && w != 0.0f) ? radial_term(a, c, w, cnc * cnc, cn, d) : 0.0f;
      for (int64_t j = 0; j < d; ++j) encoded_out[j] += (w * a[j]) / cnc + c[j] * c_radial + ui_encoded * u[j];
    }
  }
}

}  // namespace kernels

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
  at::parallel_for(0, p.B, grain(p.G), [&](int64_t begin, int64_t end) { kernels::products(p, begin, end, o); });
  return out;
}

GroupRowGradients group_row_gradients(const GroupRows& in, const GroupRowCoefficients& coef) {
  const Pointers p(in);
  const int64_t B = p.B, G = p.G, R = B * G, d = p.d, D = in.encoded.size(0);
  auto contiguous = [](const torch::Tensor& t) { return t.contiguous(); };
  const torch::Tensor re = contiguous(coef.re), ui_item = contiguous(coef.ui_item),
                      ui_hybrid = contiguous(coef.ui_hybrid), ui_encoded = contiguous(coef.ui_encoded),
                      item_reg = contiguous(coef.item_reg), user_reg = contiguous(coef.user_reg);
  Coefficients k;
  k.re = re.data_ptr<float>();
  k.ui_item = ui_item.data_ptr<float>();
  k.ui_hybrid = ui_hybrid.data_ptr<float>();
  k.ui_encoded = ui_encoded.data_ptr<float>();
  k.item_reg = item_reg.data_ptr<float>();
  k.user_reg = user_reg.data_ptr<float>();

  // The id table's gradient as B user rows (repeats allowed) and one row per distinct item;
  // the encoder's, one row per distinct item. Gathering each item's rows lets every thread
  // own whole output rows: no per-row gradients to scatter, no per-thread copies to add up.
  const RowsByItem by_item(p.inverse, R, D);
  GroupRowGradients out;
  out.table_grad = torch::empty({B + D, d}, in.table.options());
  out.table_rows = torch::empty({B + D}, in.table_rows.options());
  int64_t* rows = out.table_rows.data_ptr<int64_t>();
  for (int64_t b = 0; b < B; ++b) rows[b] = p.table_rows[b];
  for (int64_t item = 0; item < D; ++item) rows[B + item] = p.table_rows[B + by_item.rows[by_item.offsets[item]]];
  out.encoded = torch::empty({D, d}, in.encoded.options());
  torch::Tensor positive_grad = torch::empty({B, d}, in.table.options());
  float* table_grad = out.table_grad.data_ptr<float>();
  float* positive = positive_grad.data_ptr<float>();
  float* encoded_grad = out.encoded.data_ptr<float>();

  at::parallel_for(0, B, grain(G), [&](int64_t begin, int64_t end) {
    kernels::group_gradients(p, k, begin, end, table_grad, positive);
  });
  const int64_t item_grain = std::max<int64_t>(1, 2048 * D / std::max<int64_t>(R, 1));
  at::parallel_for(0, D, item_grain, [&](int64_t begin, int64_t end) {
    kernels::item_gradients(p, k, by_item, positive, begin, end, table_grad + B * d, encoded_grad);
  });
  return out;
}

}  // namespace cpu
}  // namespace clcrec
