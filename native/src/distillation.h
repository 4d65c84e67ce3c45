// distillation.h - ALDI-style teacher-student terms (SIGIR 2023, "Aligning Distillation For
// Cold-start Item Recommendation"): the warm items' id embeddings (teacher) teach the content
// encoder (student) to put an item where its id embedding would be. Definitions in clcrec.h
// (clcrec_distill_options).
//
// Why a phase after training and not a term of the fused training step: ALDI is post hoc by design
// (its teacher is a finished warm model, frozen), and a teacher that still moves would teach the
// encoder yesterday's positions; the fused step and its closed-form gradient (contrastive_loss.h),
// which the reference's fixtures pin down bit for bit, stay untouched, so the option off cannot
// change them; and one training run gives the model before and after distillation, so the two are
// compared on the same teacher.
//
// One departure from ALDI: it also passes the teacher's user embeddings through a student network
// (f_U) and ranks cold items with those mapped users. Here the student lands in the teacher's own
// space and every item, warm or cold, is ranked by the same user embedding, as the model's
// representation (and its serving, fold-in and retrieval) already assume.
#pragma once

#include <torch/torch.h>

namespace clcrec {

struct DistillWeights {
  double supervised = 1;
  double ranking = 0;
  double identification = 0;
  double rating = 0;
  double temperature = 1;  // the model's temp_value: logits are dot products over it
};

// One batch of B triples on the model's device.
struct DistillBatch {
  torch::Tensor users;         // B x d teacher user rows
  torch::Tensor teacher_pos;   // B x d teacher rows of the positives
  torch::Tensor teacher_neg;   // B x d teacher rows of the negatives
  torch::Tensor weights;       // B popularity weights of the positives
};

// 0-dim tensors, unweighted terms; total is their weighted sum.
struct DistillTerms {
  torch::Tensor total, supervised, ranking, identification, rating;
};

// The terms for the student's rows (2B x d: the B positives, then the B negatives), and in
// *grad_student (when not null) d total / d student, 2B x d. Autograd over this small graph only:
// the encoder's own backward (content_encoder.h) takes the gradient from there.
DistillTerms distill_terms(const DistillBatch& batch, const torch::Tensor& student, const DistillWeights& weights,
                           torch::Tensor* grad_student);

}  // namespace clcrec
