// fold_in.cpp - a new user's embedding from their first interactions, with training's loss.
//
// The item side is frozen, so the objective is a smooth function of dim_e numbers: a full-batch
// Adam on it converges in a few dozen steps. Plain loops in double precision rather than LibTorch:
// the problem is a few hundred rows of 64 floats, where dispatching tensor ops would cost more than
// the arithmetic, and double sums make the result independent of thread counts and BLAS builds.

#include "fold_in.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace clcrec {

namespace {

// Loss gradient with respect to the user: every positive against the shared negatives.
void gradient(const float* items, int64_t num_rows, int64_t dim, int64_t num_positive,
              const FoldInSettings& s, const std::vector<double>& user, std::vector<double>& grad) {
  const int64_t num_negative = num_rows - num_positive;
  std::vector<double> score(num_rows);
  for (int64_t r = 0; r < num_rows; ++r) {
    const float* x = items + r * dim;
    double dot = 0;
    for (int64_t k = 0; k < dim; ++k) dot += user[k] * x[k];
    score[r] = dot / s.temp_value;
  }
  // Each positive's softmax runs over itself and the shared negatives. With e_n = exp(s_n - M),
  // M the negatives' maximum, a positive p with shift m = max(s_p, M) has denominator
  // exp(s_p - m) + exp(M - m) * sum_n e_n, so the negatives' coefficients summed over positives are
  // e_n * sum_p exp(M - m_p) / denom_p: O(P + N) exponentials a step instead of O(P * N).
  double neg_max = -INFINITY;
  for (int64_t r = num_positive; r < num_rows; ++r) neg_max = std::max(neg_max, score[r]);
  std::vector<double> neg_exp(num_negative);
  double neg_sum = 0;
  for (int64_t n = 0; n < num_negative; ++n) {
    neg_exp[n] = std::exp(score[num_positive + n] - neg_max);
    neg_sum += neg_exp[n];
  }
  std::fill(grad.begin(), grad.end(), 0.0);
  double neg_share = 0;
  for (int64_t p = 0; p < num_positive; ++p) {
    const double m = num_negative > 0 ? std::max(score[p], neg_max) : score[p];
    const double shift = num_negative > 0 ? std::exp(neg_max - m) : 0.0;
    const double pos_exp = std::exp(score[p] - m);
    const double denom = pos_exp + shift * neg_sum;
    // d(-log softmax_p)/ds_p = softmax_p - 1; d/ds_n = softmax_n.
    const double pos_coeff = pos_exp / denom - 1.0;
    const float* xp = items + p * dim;
    for (int64_t k = 0; k < dim; ++k) grad[k] += pos_coeff * xp[k];
    neg_share += shift / denom;
  }
  std::vector<double> neg_coeff(num_negative);
  for (int64_t n = 0; n < num_negative; ++n) neg_coeff[n] = neg_share * neg_exp[n];
  for (int64_t n = 0; n < num_negative; ++n) {
    const float* xn = items + (num_positive + n) * dim;
    for (int64_t k = 0; k < dim; ++k) grad[k] += neg_coeff[n] * xn[k];
  }
  const double scale = 1.0 / (static_cast<double>(num_positive) * s.temp_value);
  for (int64_t k = 0; k < dim; ++k) grad[k] *= scale;
  double norm = 0;
  for (int64_t k = 0; k < dim; ++k) norm += user[k] * user[k];
  norm = std::sqrt(norm);
  if (norm > 0) {
    for (int64_t k = 0; k < dim; ++k) grad[k] += 0.5 * s.reg_weight * user[k] / norm;
  }
}

}  // namespace

void fold_in_user(const float* items, int64_t num_rows, int64_t dim, int64_t num_positive,
                  const FoldInSettings& s, float* user_out) {
  std::vector<double> user(user_out, user_out + dim);
  std::vector<double> grad(dim), m1(dim, 0.0), m2(dim, 0.0);
  const double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  for (int32_t t = 1; t <= s.num_steps; ++t) {
    gradient(items, num_rows, dim, num_positive, s, user, grad);
    const double c1 = 1.0 - std::pow(beta1, t);
    const double c2 = 1.0 - std::pow(beta2, t);
    for (int64_t k = 0; k < dim; ++k) {
      m1[k] = beta1 * m1[k] + (1 - beta1) * grad[k];
      m2[k] = beta2 * m2[k] + (1 - beta2) * grad[k] * grad[k];
      user[k] -= s.learning_rate * (m1[k] / c1) / (std::sqrt(m2[k] / c2) + eps);
    }
  }
  for (int64_t k = 0; k < dim; ++k) user_out[k] = static_cast<float>(user[k]);
}

}  // namespace clcrec
