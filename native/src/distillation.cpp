#include "distillation.h"

namespace clcrec {

namespace F = torch::nn::functional;

namespace {

// Binary cross-entropy of logits x against soft targets y, elementwise: softplus(x) - x * y
// (the numerically stable form of -(y log sigmoid(x) + (1 - y) log(1 - sigmoid(x)))).
torch::Tensor soft_bce(const torch::Tensor& x, const torch::Tensor& y) { return F::softplus(x) - x * y; }

// ALDI's identification logit of each positive: how much more it resembles itself than the
// batch's negatives on average, <c_b, c_b> - mean_c <c_b, m_c>.
torch::Tensor identification(const torch::Tensor& pos, const torch::Tensor& neg) {
  return (pos * pos).sum(1) - torch::matmul(pos, neg.t()).mean(1);
}

}  // namespace

DistillTerms distill_terms(const DistillBatch& batch, const torch::Tensor& student, const DistillWeights& weights,
                           torch::Tensor* grad_student) {
  torch::AutoGradMode enable(true);
  const int64_t b = batch.users.size(0);
  torch::Tensor s = student.detach().requires_grad_(true);
  const double inv_t = 1.0 / weights.temperature;
  const torch::Tensor users = batch.users.detach();
  const torch::Tensor s_pos = s.narrow(0, 0, b), s_neg = s.narrow(0, b, b);
  const torch::Tensor t_pos = batch.teacher_pos.detach(), t_neg = batch.teacher_neg.detach();

  torch::Tensor student_p = (users * s_pos).sum(1) * inv_t, student_n = (users * s_neg).sum(1) * inv_t;
  torch::Tensor teacher_p = (users * t_pos).sum(1) * inv_t, teacher_n = (users * t_neg).sum(1) * inv_t;
  torch::Tensor student_gap = student_p - student_n, teacher_gap = teacher_p - teacher_n;
  torch::Tensor w = batch.weights.detach();

  DistillTerms terms;
  terms.supervised = F::softplus(-student_gap).mean();
  terms.ranking = (w * soft_bce(student_gap, torch::sigmoid(teacher_gap))).mean();
  terms.identification = (w * soft_bce(identification(s_pos, s_neg) * inv_t,
                                       torch::sigmoid(identification(t_pos, t_neg) * inv_t))).mean();
  terms.rating = ((teacher_p - student_p).abs() + (teacher_n - student_n).abs()).mean();
  terms.total = weights.supervised * terms.supervised + weights.ranking * terms.ranking +
                weights.identification * terms.identification + weights.rating * terms.rating;
  if (grad_student != nullptr) {
    terms.total.backward();
    *grad_student = s.grad().detach();
  }
  terms.total = terms.total.detach();
  terms.supervised = terms.supervised.detach();
  terms.ranking = terms.ranking.detach();
  terms.identification = terms.identification.detach();
  terms.rating = terms.rating.detach();
  return terms;
}

}  // namespace clcrec
