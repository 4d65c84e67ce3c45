// model.h - the model handle: config, device, parameters, content features, Adam state
// and step count, guarded by a shared mutex (readers shared, writers exclusive).
#pragma once

#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "batch.h"
#include "clcrec.h"
#include "clcrec_module.h"
#include "content_features.h"
#include "contrastive_loss.h"
#include "dense_adam.h"
#include "distillation.h"
#include "distributed_group.h"
#include "gradient_sync.h"
#include "kernels.h"
#include "sparse_rows.h"
#include "ranking.h"

namespace clcrec {

struct OpenCheckpoint;  // checkpoint.h

// Raw content as the C API receives it (already validated).
struct ContentInput {
  int64_t num_rows = 0;
  int32_t num_modalities = 0;
  const float* const* features = nullptr;
  const int64_t* feature_dims = nullptr;
  const int64_t* word_pairs = nullptr;  // 2 x num_word_pairs, or NULL
  int64_t num_word_pairs = 0;
};

class Model {
 public:
  // config must be validated; device_type may be AUTO (resolved here).
  Model(const clcrec_config& config, const ContentInput& content, int64_t num_words);

  const clcrec_config& config() const { return config_; }  // immutable after creation
  std::string device_name() const;
  int64_t feature_width() const { return feature_width_; }
  const std::vector<int64_t>& modality_dims() const { return modality_dims_; }
  bool has_words() const { return num_words_ > 0; }
  int64_t step_count() const;

  clcrec_step_result train_step(const BatchInput& input);
  // One step computed as slices.size() ranks compute it, each holding one slice of the global
  // batch (gradient_sync.h): bit-identical to such a group with a rank-order reduction (or any
  // reduction, for two ranks). A model in a group refuses it (INVALID_STATE).
  clcrec_step_result train_step_slices(const std::vector<BatchInput>& slices);
  clcrec_step_result compute_loss(const BatchInput& input) const;
  // One teacher-student step on the encoder alone (distillation.h, clcrec_model_distill_step);
  // the arguments are validated. weights may be null (all 1).
  clcrec_distill_result distill_step(const int64_t* users, const int64_t* positives, const int64_t* negatives,
                                     const float* weights, int64_t batch_size, const DistillWeights& terms,
                                     double learning_rate);

  void top_k(const TopKRequest& request) const;
  void score(const int64_t* users, int64_t num_users, float* out) const;
  void user_embeddings(float* out) const;
  void item_representation(float* out) const;
  void encoder_output(float* out) const;
  void encode(const ContentInput& content, float* out) const;

  std::vector<std::string> parameter_names() const;
  // Throws INVALID_ARGUMENT naming the unknown parameter.
  std::vector<int64_t> parameter_shape(const std::string& name) const;
  void parameter_get(const std::string& name, float* out, int64_t out_len) const;
  void parameter_set(const std::string& name, const float* data, int64_t len);

  void save(const std::string& path) const;
  void load(const std::string& path);
  // Loads a checkpoint held in memory; label names it in errors.
  void load(const char* data, size_t size, const std::string& label);

  // Data-parallel training: broadcasts rank 0's parameters, then every step all-reduces its
  // gradients over the group (gradient_sync.h). nullptr leaves the group.
  void join_group(std::shared_ptr<DistributedGroup> group);
  bool in_group() const;
  // Row-wise lazy Adam for the id table (sparse_rows.h) instead of the reference's dense Adam.
  void set_sparse_updates(bool enabled);
  // How a group sums the ranks' gradients (gradient_sync.h).
  void set_reduction_order(ReductionOrder order);
  // The training optimizer's step size from the next step on (its moments are kept).
  void set_learning_rate(double learning_rate);

 private:
  void load_locked(std::unique_ptr<OpenCheckpoint> checkpoint, const std::string& path);
  // The forward half of a step: the encoder run on the batch's distinct items (with autograd
  // history when grad mode is on, so that its parameters' gradients come from its small graph)
  // and the loss evaluated on that output, detached.
  struct StepForward {
    ContentEncoderImpl::Trace encoded;  // the D distinct items' encoder pass
    std::unique_ptr<ContrastiveLoss> loss;
  };
  StepForward forward(const Batch& batch) const;
  // Leaves d loss / d parameter in every trainable parameter's grad(); the id table's in
  // id_gradient_, a dense buffer reused across steps.
  // With sparse_rows set (sparse updates), the id table's gradient goes there as (touched rows,
  // gradient rows) instead, and the table gets no grad().
  void compute_gradients(const StepForward& step, RowGradient* sparse_rows = nullptr);
  // Refuses a non-finite loss or gradient (parameters and Adam state untouched), else steps
  // (the id table row-wise from sparse_rows with sparse updates).
  clcrec_step_result apply_gradients(const clcrec_step_result& result, const RowGradient& sparse_rows);
  void clear_gradients();
  // The forward and backward half of a step on one batch (or slice): its losses, with every
  // trainable gradient in grad() (a bad loss skips the backward; an empty batch computes nothing).
  clcrec_step_result local_gradients(const BatchInput& input, RowGradient& sparse_rows);
  // Encoder input rows for the given items (host list and device tensor).
  torch::Tensor content_rows(const std::vector<int64_t>& items, const torch::Tensor& items_device) const;
  torch::Tensor all_content() const;
  // num_item x dim_e, no grad; computed once and kept until the parameters change (callers
  // hold mutex_ shared or exclusive; every change of a parameter calls
  // invalidate_representation() under the exclusive lock).
  torch::Tensor representation() const;
  torch::Tensor compute_representation() const;
  void invalidate_representation();
  torch::Tensor parameter(const std::string& name) const;
  void refresh_frozen_words();
  std::unique_ptr<DenseAdam> make_optimizer() const;
  // The parameters that receive a gradient (the frozen word table does not).
  std::vector<torch::Tensor> trainable_parameters() const;

  mutable std::shared_mutex mutex_;
  clcrec_config config_;
  torch::Device device_;
  Kernels kernels_;  // the CPU kernels or the device-generic path (kernels.h), fixed at creation
  std::vector<int64_t> modality_dims_;
  int64_t modality_width_ = 0;
  int64_t num_words_ = 0;
  bool train_words_ = false;
  int64_t feature_width_ = 0;
  WordIndex words_;
  // num_item x (modality_width [+ word_dim when the word table is frozen]), on device_.
  torch::Tensor content_;
  ClcrecModule module_{nullptr};
  std::unique_ptr<DenseAdam> optimizer_;
  // The distillation's own Adam over the encoder (created by its first step; training's Adam,
  // its moments and its step count are not touched by distillation).
  std::unique_ptr<DenseAdam> distill_optimizer_;
  torch::Tensor id_gradient_;  // same shape as the id table; allocated on the first step
  int64_t steps_ = 0;
  std::shared_ptr<DistributedGroup> group_;  // null: a single process
  bool sparse_ = false;
  ReductionOrder reduction_order_ = ReductionOrder::kBackend;
  mutable std::mutex representation_mutex_;  // guards representation_ among shared readers
  mutable torch::Tensor representation_;
};

// Resolves AUTO/CPU/CUDA to a device; CUDA requested without CUDA -> UNSUPPORTED.
torch::Device resolve_device(int32_t device_type, int32_t device_index);

}  // namespace clcrec

struct clcrec_model {
  std::unique_ptr<clcrec::Model> impl;
};
