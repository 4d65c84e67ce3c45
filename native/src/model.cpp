#include "model.h"

#include <atomic>
#include <cmath>
#include <cstring>
#include <mutex>
#include <thread>

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/cuda.h>

#include "blas_threads.h"
#include "checkpoint.h"
#include "contrastive_loss.h"
#include "error_boundary.h"
#include "gradient_sync.h"
#include "row_scatter.h"

namespace clcrec {

namespace F = torch::nn::functional;

torch::Device resolve_device(int32_t device_type, int32_t device_index) {
  const bool cuda = torch::cuda::is_available();
  const int64_t count = cuda ? static_cast<int64_t>(torch::cuda::device_count()) : 0;
  if (device_type == CLCREC_DEVICE_CPU) return torch::Device(torch::kCPU);
  if (device_type == CLCREC_DEVICE_CUDA) {
    if (!cuda) {
      fail(CLCREC_ERR_UNSUPPORTED,
           "config.device_type = CUDA, but CUDA is not available (this LibTorch build has no "
           "CUDA support or no GPU is visible); use CPU or AUTO");
    }
    if (device_index < 0 || device_index >= count) {
      fail(CLCREC_ERR_UNSUPPORTED, "config.device_index = " + std::to_string(device_index) +
                                       " is out of range 0.." + std::to_string(count - 1) +
                                       " (CUDA devices present: " + std::to_string(count) + ")");
    }
    return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(device_index));
  }
  // AUTO
  if (cuda) {
    const int32_t index = (device_index >= 0 && device_index < count) ? device_index : 0;
    return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
  }
  return torch::Device(torch::kCPU);
}

Model::Model(const clcrec_config& config, const ContentInput& content, int64_t num_words)
    : config_(config),
      device_(resolve_device(config.device_type, config.device_index)),
      kernels_(resolve_kernels(config.kernels, device_)) {
  const int threads = config.num_threads > 0
                          ? config.num_threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  at::set_num_threads(threads);
  use_single_threaded_blas();  // all parallelism on at::parallel_for's threads (split_matmul.h)
  config_.device_type = device_.is_cuda() ? CLCREC_DEVICE_CUDA : CLCREC_DEVICE_CPU;
  config_.device_index = device_.is_cuda() ? device_.index() : 0;
  config_.kernels = kernels_code(kernels_);

  modality_dims_.assign(content.feature_dims, content.feature_dims + content.num_modalities);
  for (int64_t d : modality_dims_) modality_width_ += d;
  const bool words = content.word_pairs != nullptr;
  num_words_ = words ? num_words : 0;
  train_words_ = words && config.train_word_embedding != 0;
  feature_width_ = modality_width_ + (words ? config.word_dim : 0);
  if (words) {
    words_ = WordIndex::from_pairs(content.word_pairs, content.num_word_pairs, config.num_item);
  }

  ModuleSizes sizes;
  sizes.num_user = config.num_user;
  sizes.num_item = config.num_item;
  sizes.dim_e = config.dim_e;
  sizes.hidden_dim = config.hidden_dim;
  sizes.feature_width = feature_width_;
  sizes.num_words = num_words_;
  sizes.word_dim = config.word_dim;
  module_ = ClcrecModule(sizes);
  // Initialised on the CPU from a private generator, so the same seed gives the same
  // parameters on every device and nothing global is touched.
  at::Generator generator = at::detail::createCPUGenerator(static_cast<uint64_t>(config.seed));
  module_->reset_parameters(generator);
  module_->to(device_);

  torch::Tensor modalities = normalized_modalities(config.num_item, content.num_modalities,
                                                   content.features, content.feature_dims, device_);
  if (words && !train_words_) {
    content_ = torch::cat({modalities,
                           torch::zeros({config.num_item, config.word_dim}, modalities.options())}, 1);
    refresh_frozen_words();
  } else {
    content_ = modalities;
  }
  optimizer_ = make_optimizer();
}

std::unique_ptr<DenseAdam> Model::make_optimizer() const {
  auto options = torch::optim::AdamOptions(config_.learning_rate)
                     .betas(std::make_tuple(0.9, 0.999))
                     .eps(1e-8)
                     .weight_decay(0.0);
  std::vector<torch::Tensor> params;
  for (const auto& named : module_->api_parameters()) params.push_back(named.second);
  return std::make_unique<DenseAdam>(params, options, kernels_);
}

void Model::refresh_frozen_words() {
  // The reference copies the word average into a new tensor: no gradient reaches the table.
  if (num_words_ == 0 || train_words_) return;
  torch::NoGradGuard no_grad;
  content_.narrow(1, modality_width_, config_.word_dim)
      .copy_(word_average_all(module_->word_embedding.detach(), words_));
}

std::string Model::device_name() const { return describe_device(device_, kernels_); }

int64_t Model::step_count() const {
  std::shared_lock lock(mutex_);
  return steps_;
}

torch::Tensor Model::content_rows(const std::vector<int64_t>& items,
                                  const torch::Tensor& items_device) const {
  torch::Tensor rows = content_.index_select(0, items_device);
  if (train_words_) rows = torch::cat({rows, word_average(module_->word_embedding, words_, items)}, 1);
  return rows;
}

torch::Tensor Model::all_content() const {
  if (!train_words_) return content_;
  return torch::cat({content_, word_average_all(module_->word_embedding, words_)}, 1);
}

Model::StepForward Model::forward(const Batch& batch) const {
  StepForward step;
  // Only the distinct items of the batch are encoded (the reference encodes every item).
  step.encoded = module_->encoder->forward_traced(content_rows(batch.distinct, batch.distinct_items), kernels_);
  LossBatch loss_batch;
  loss_batch.batch_size = batch.batch_size;
  loss_batch.group_size = batch.group_size;
  loss_batch.table = module_->id_embedding.detach();
  loss_batch.table_rows = batch.table_rows;
  loss_batch.encoded = step.encoded.output;
  loss_batch.inverse = batch.inverse;
  loss_batch.hybrid_count = batch.hybrid_count;
  loss_batch.kernels = kernels_;
  LossWeights weights;
  weights.temperature = config_.temp_value;
  weights.re_temperature = config_.re_temp_value > 0 ? config_.re_temp_value : config_.temp_value;
  weights.lr_lambda = config_.lr_lambda;
  weights.reg_weight = config_.reg_weight;
  torch::NoGradGuard no_grad;  // the loss's gradient is written out, not taped
  step.loss = std::make_unique<ContrastiveLoss>(loss_batch, weights);
  return step;
}

void Model::clear_gradients() {
  for (auto& p : module_->parameters()) p.mutable_grad() = torch::Tensor();
}

void Model::compute_gradients(const StepForward& step, RowGradient* sparse_rows) {
  LossGradients grads;
  {
    torch::NoGradGuard no_grad;
    grads = step.loss->gradients();
    if (sparse_rows != nullptr) {
      *sparse_rows = coalesce_rows(grads.table_rows, grads.table_grad);
    } else {
      if (!id_gradient_.defined()) id_gradient_ = torch::empty_like(module_->id_embedding);
      id_gradient_.zero_();
      scatter_add_rows(id_gradient_, grads.table_rows, grads.table_grad, kernels_);
    }
  }
  if (sparse_rows == nullptr) module_->id_embedding.mutable_grad() = id_gradient_;
  // The encoder's gradients (and through autograd a trainable word table's).
  module_->encoder->backward(step.encoded, grads.encoded, kernels_);
}

namespace {

// True when every element of every tensor is finite. CPU float32 tensors are scanned in
// one parallel pass over their bits (an element is NaN or infinite iff its exponent bits are
// all ones); anything else (or with Kernels::kGeneric) goes through one reduction per tensor and
// a single device sync.
bool all_finite(const std::vector<torch::Tensor>& tensors, Kernels kernels) {
  std::vector<torch::Tensor> device_checks;
  for (const auto& t : tensors) {
    if (kernels == Kernels::kCpu && t.device().is_cpu() && t.scalar_type() == torch::kFloat32 && t.is_contiguous()) {
      const float* data = t.data_ptr<float>();
      std::atomic<bool> finite{true};
      at::parallel_for(0, t.numel(), 1 << 16, [&](int64_t begin, int64_t end) {
        uint32_t bad = 0;
        for (int64_t i = begin; i < end; ++i) {
          uint32_t bits;
          std::memcpy(&bits, data + i, sizeof bits);
          bad |= static_cast<uint32_t>((bits & 0x7f800000u) == 0x7f800000u);
        }
        if (bad != 0) finite.store(false, std::memory_order_relaxed);
      });
      if (!finite.load()) return false;
    } else {
      device_checks.push_back(torch::isfinite(t).all());
    }
  }
  if (device_checks.empty()) return true;
  return torch::stack(device_checks).all().item<bool>();
}

clcrec_step_result to_result(const LossValues& losses) {
  torch::Tensor all = torch::stack({losses.total, losses.re, losses.ui, losses.reg, losses.mat})
                          .to(torch::kCPU, torch::kFloat64);
  const double* v = all.data_ptr<double>();
  clcrec_step_result result;
  result.loss = v[0];
  result.loss_re = v[1];
  result.loss_ui = v[2];
  result.reg = v[3];
  result.mat = v[4];
  return result;
}

}  // namespace

clcrec_step_result Model::apply_gradients(const clcrec_step_result& result, const RowGradient& sparse_rows) {
  if (!std::isfinite(result.loss)) {
    clear_gradients();
    fail(CLCREC_ERR_NOT_FINITE, "the loss is not finite (loss " + std::to_string(result.loss) +
                                 ", R-E " + std::to_string(result.loss_re) + ", U-I " +
                                 std::to_string(result.loss_ui) + ", reg " +
                                 std::to_string(result.reg) +
                                 "); parameters were left unchanged");
  }
  std::vector<torch::Tensor> gradients;
  for (const auto& p : module_->parameters()) {
    if (p.grad().defined()) gradients.push_back(p.grad());
  }
  if (sparse_) gradients.push_back(sparse_rows.rows.contiguous());
  if (!all_finite(gradients, kernels_)) {
    clear_gradients();
    fail(CLCREC_ERR_NOT_FINITE, "a gradient is not finite although the loss is (loss " +
                                 std::to_string(result.loss) +
                                 "); parameters and optimizer state were left unchanged");
  }
  optimizer_->step();  // the id table has no grad() with sparse updates: dense Adam skips it
  if (sparse_) lazy_adam_step(*optimizer_, module_->id_embedding, sparse_rows);
  invalidate_representation();
  clear_gradients();
  ++steps_;
  return result;
}

clcrec_step_result Model::local_gradients(const BatchInput& input, RowGradient& rows) {
  clear_gradients();
  clcrec_step_result result{};
  if (input.batch_size > 0) {
    Batch batch = make_batch(input, config_.num_user, config_.num_item, device_);
    StepForward step = forward(batch);
    result = to_result(step.loss->values());
    if (std::isfinite(result.loss)) compute_gradients(step, sparse_ ? &rows : nullptr);
  }
  if (sparse_ && !rows.ids.defined()) {
    rows.ids = torch::zeros({0}, torch::TensorOptions().dtype(torch::kInt64).device(device_));
    rows.rows = torch::zeros({0, config_.dim_e}, torch::TensorOptions().device(device_));
  }
  return result;
}

clcrec_step_result Model::train_step(const BatchInput& input) {
  std::unique_lock lock(mutex_);
  RowGradient rows;  // sparse updates: the id table's gradient as (touched rows, gradient rows)
  // In a group, a rank must reach the all-reduce even with an empty slice or a bad loss, or the
  // others would wait for it until the timeout.
  clcrec_step_result result = local_gradients(input, rows);
  // Gradients computed: each trainable parameter's grad() holds d loss / d parameter (the id
  // table's is the dense id_gradient_, or the touched rows with sparse updates). Data-parallel
  // training combines the ranks' gradients here, before the optimizer (gradient_sync.h).
  if (group_ && sparse_) rows = exchange_row_gradients(*group_, rows, input.batch_size, config_.dim_e);
  if (group_) {
    result = synchronize_gradients(*group_, trainable_parameters(), input.batch_size, result, reduction_order_);
  }
  return apply_gradients(result, rows);
}

clcrec_step_result Model::train_step_slices(const std::vector<BatchInput>& slices) {
  std::unique_lock lock(mutex_);
  if (group_) {
    invalid_argument("this model is in a process group, where each rank steps on its own slice "
                     "(clcrec_model_train_step); the slices of a replay are for one process alone");
  }
  // Each slice exactly as the rank holding it computes it, weighted and summed in rank order, as
  // synchronize_gradients and exchange_row_gradients do over a group.
  const std::vector<torch::Tensor> params = trainable_parameters();
  WeightedGradients sum;
  std::vector<RowGradient> slice_rows;
  std::vector<int64_t> slice_sizes;
  for (size_t s = 0; s < slices.size(); ++s) {
    RowGradient rows;
    clcrec_step_result local = local_gradients(slices[s], rows);
    WeightedGradients part = weigh_gradients(params, slices[s].batch_size, local, device_, /*in_place=*/false);
    if (s == 0) {
      sum = std::move(part);
    } else {
      add_weighted(sum, part);
    }
    slice_rows.push_back(std::move(rows));
    slice_sizes.push_back(slices[s].batch_size);
  }
  RowGradient rows = sparse_ ? merge_row_gradients(slice_rows, slice_sizes) : RowGradient{};
  clcrec_step_result result = finish_weighted(sum, params);
  return apply_gradients(result, rows);
}

clcrec_distill_result Model::distill_step(const int64_t* users, const int64_t* positives, const int64_t* negatives,
                                          const float* weights, int64_t batch_size, const DistillWeights& terms,
                                          double learning_rate) {
  std::unique_lock lock(mutex_);
  if (group_) {
    invalid_argument("this model is in a process group; distillation runs in one process after training "
                     "(leave the group first)");
  }
  const int64_t n = batch_size;
  const auto ids = torch::TensorOptions().dtype(torch::kInt64);
  torch::Tensor user_ids = torch::from_blob(const_cast<int64_t*>(users), {n}, ids).to(device_);
  std::vector<int64_t> items(positives, positives + n);
  items.insert(items.end(), negatives, negatives + n);
  torch::Tensor item_ids = torch::from_blob(items.data(), {2 * n}, ids).to(device_);
  torch::Tensor rows;
  {
    torch::NoGradGuard no_grad;  // the content is the student's input: a trainable word table stays as it is
    rows = content_rows(items, item_ids);
  }
  ContentEncoderImpl::Trace trace = module_->encoder->forward_traced(rows, kernels_);
  DistillBatch batch;
  {
    torch::NoGradGuard no_grad;
    const torch::Tensor table = module_->id_embedding.detach();
    batch.users = table.index_select(0, user_ids);
    torch::Tensor teacher = table.index_select(0, item_ids + config_.num_user);
    batch.teacher_pos = teacher.narrow(0, 0, n);
    batch.teacher_neg = teacher.narrow(0, n, n);
    batch.weights = weights == nullptr
                        ? torch::ones({n}, torch::TensorOptions().device(device_))
                        : torch::from_blob(const_cast<float*>(weights), {n}, torch::kFloat32).to(device_).clone();
  }
  torch::Tensor grad_student;
  DistillTerms values = distill_terms(batch, trace.output, terms, &grad_student);
  torch::Tensor all = torch::stack({values.total, values.supervised, values.ranking, values.identification,
                                    values.rating}).to(torch::kCPU, torch::kFloat64);
  const double* v = all.data_ptr<double>();
  clcrec_distill_result result{v[0], v[1], v[2], v[3], v[4]};
  if (!std::isfinite(result.loss)) {
    fail(CLCREC_ERR_NOT_FINITE, "the distillation loss is not finite (loss " + std::to_string(result.loss) +
                                    "); parameters were left unchanged");
  }
  clear_gradients();
  module_->encoder->backward(trace, grad_student, kernels_);
  std::vector<torch::Tensor> encoder = {module_->encoder->layer1->weight, module_->encoder->layer1->bias,
                                        module_->encoder->layer2->weight, module_->encoder->layer2->bias};
  std::vector<torch::Tensor> gradients;
  for (const auto& p : encoder) gradients.push_back(p.grad());
  if (!all_finite(gradients, kernels_)) {
    clear_gradients();
    fail(CLCREC_ERR_NOT_FINITE, "a distillation gradient is not finite although the loss is (loss " +
                                    std::to_string(result.loss) + "); parameters were left unchanged");
  }
  if (!distill_optimizer_) {
    auto options = torch::optim::AdamOptions(learning_rate).betas(std::make_tuple(0.9, 0.999)).eps(1e-8).weight_decay(0.0);
    distill_optimizer_ = std::make_unique<DenseAdam>(encoder, options, kernels_);
  }
  for (auto& group : distill_optimizer_->param_groups()) {
    static_cast<torch::optim::AdamOptions&>(group.options()).lr(learning_rate);
  }
  distill_optimizer_->step();
  clear_gradients();
  invalidate_representation();
  return result;
}

std::vector<torch::Tensor> Model::trainable_parameters() const {
  std::vector<torch::Tensor> params;
  for (const auto& [name, p] : module_->api_parameters()) {
    if (name == "word_embedding" && !train_words_) continue;
    if (name == "id_embedding" && sparse_) continue;  // its rows go through exchange_row_gradients
    params.push_back(p);
  }
  return params;
}

void Model::join_group(std::shared_ptr<DistributedGroup> group) {
  std::unique_lock lock(mutex_);
  if (group && group->device() != device_) {
    invalid_argument("group: its backend works on " + group->device().str() + " tensors, but this model is on " +
                     device_.str() + " (Gloo serves CPU models, NCCL CUDA models)");
  }
  if (group) {
    std::vector<torch::Tensor> params;
    for (const auto& named : module_->api_parameters()) params.push_back(named.second);
    broadcast_parameters(*group, params);
    refresh_frozen_words();
    invalidate_representation();
  }
  group_ = std::move(group);
}

void Model::set_sparse_updates(bool enabled) {
  std::unique_lock lock(mutex_);
  sparse_ = enabled;
}

void Model::set_learning_rate(double learning_rate) {
  std::unique_lock lock(mutex_);
  config_.learning_rate = learning_rate;
  for (auto& group : optimizer_->param_groups()) {
    static_cast<torch::optim::AdamOptions&>(group.options()).lr(learning_rate);
  }
}

void Model::set_reduction_order(ReductionOrder order) {
  std::unique_lock lock(mutex_);
  reduction_order_ = order;
}

bool Model::in_group() const {
  std::shared_lock lock(mutex_);
  return group_ != nullptr;
}

clcrec_step_result Model::compute_loss(const BatchInput& input) const {
  std::shared_lock lock(mutex_);
  torch::NoGradGuard no_grad;
  Batch batch = make_batch(input, config_.num_user, config_.num_item, device_);
  return to_result(forward(batch).loss->values());
}

torch::Tensor Model::representation() const {
  std::lock_guard<std::mutex> guard(representation_mutex_);
  if (!representation_.defined()) representation_ = compute_representation();
  return representation_;
}

void Model::invalidate_representation() {
  std::lock_guard<std::mutex> guard(representation_mutex_);
  representation_ = torch::Tensor();
}

torch::Tensor Model::compute_representation() const {
  torch::NoGradGuard no_grad;
  const torch::Tensor& table = module_->id_embedding;
  const int64_t warm = config_.num_warm_item, cold = config_.num_item - warm;
  torch::Tensor warm_rows = table.narrow(0, config_.num_user, warm);
  if (cold == 0) return warm_rows;
  torch::Tensor content;
  if (train_words_) {
    std::vector<int64_t> cold_items;
    for (int64_t j = warm; j < config_.num_item; ++j) cold_items.push_back(j);
    content = torch::cat({content_.narrow(0, warm, cold),
                          word_average(module_->word_embedding, words_, cold_items)}, 1);
  } else {
    content = content_.narrow(0, warm, cold);
  }
  return torch::cat({warm_rows, module_->encoder->forward(content, kernels_)}, 0);
}

static void copy_out(const torch::Tensor& tensor, float* out) {
  torch::Tensor host = tensor.detach().to(torch::kCPU).contiguous();
  std::memcpy(out, host.data_ptr<float>(), sizeof(float) * host.numel());
}

void Model::top_k(const TopKRequest& request) const {
  std::shared_lock lock(mutex_);
  torch::NoGradGuard no_grad;
  torch::Tensor users = module_->id_embedding.narrow(0, 0, config_.num_user);
  rank_top_k(users, representation(), request, kernels_);
}

void Model::score(const int64_t* users, int64_t num_users, float* out) const {
  std::shared_lock lock(mutex_);
  torch::NoGradGuard no_grad;
  rank_scores(module_->id_embedding.narrow(0, 0, config_.num_user), representation(), users,
              num_users, out, kernels_);
}

void Model::user_embeddings(float* out) const {
  std::shared_lock lock(mutex_);
  copy_out(module_->id_embedding.narrow(0, 0, config_.num_user), out);
}

void Model::item_representation(float* out) const {
  std::shared_lock lock(mutex_);
  copy_out(representation(), out);
}

void Model::encoder_output(float* out) const {
  std::shared_lock lock(mutex_);
  torch::NoGradGuard no_grad;
  copy_out(module_->encoder->forward(all_content(), kernels_), out);
}

void Model::encode(const ContentInput& content, float* out) const {
  std::shared_lock lock(mutex_);
  torch::NoGradGuard no_grad;
  torch::Tensor rows = normalized_modalities(content.num_rows, content.num_modalities,
                                             content.features, content.feature_dims, device_);
  if (num_words_ > 0) {
    WordIndex index = WordIndex::from_pairs(content.word_pairs, content.num_word_pairs, content.num_rows);
    rows = torch::cat({rows, word_average_all(module_->word_embedding, index)}, 1);
  }
  copy_out(module_->encoder->forward(rows, kernels_), out);
}

std::vector<std::string> Model::parameter_names() const {
  std::vector<std::string> names;
  for (const auto& named : module_->api_parameters()) names.push_back(named.first);
  return names;
}

torch::Tensor Model::parameter(const std::string& name) const {
  for (const auto& named : module_->api_parameters()) {
    if (named.first == name) return named.second;
  }
  std::string known;
  for (const auto& n : parameter_names()) known += (known.empty() ? "" : ", ") + n;
  invalid_argument("name = '" + name + "' is not a parameter of this model (parameters: " + known + ")");
}

std::vector<int64_t> Model::parameter_shape(const std::string& name) const {
  std::shared_lock lock(mutex_);
  return parameter(name).sizes().vec();
}

void Model::parameter_get(const std::string& name, float* out, int64_t out_len) const {
  std::shared_lock lock(mutex_);
  torch::Tensor p = parameter(name);
  if (out_len < p.numel()) {
    invalid_argument("out_len = " + std::to_string(out_len) + " is smaller than parameter '" + name +
                     "' (" + std::to_string(p.numel()) + " values)");
  }
  copy_out(p, out);
}

void Model::parameter_set(const std::string& name, const float* data, int64_t len) {
  std::unique_lock lock(mutex_);
  torch::Tensor p = parameter(name);
  if (len != p.numel()) {
    invalid_argument("len = " + std::to_string(len) + " does not match parameter '" + name +
                     "' (" + std::to_string(p.numel()) + " values, shape " + c10::str(p.sizes()) + ")");
  }
  torch::NoGradGuard no_grad;
  torch::Tensor host = torch::from_blob(const_cast<float*>(data), p.sizes(),
                                        torch::TensorOptions().dtype(torch::kFloat32));
  p.copy_(host);
  if (name == "word_embedding") refresh_frozen_words();
  invalidate_representation();
}

void Model::save(const std::string& path) const {
  std::shared_lock lock(mutex_);
  CheckpointHeader header;
  header.config = config_;
  header.feature_width = feature_width_;
  header.num_words = num_words_;
  header.steps = steps_;
  write_checkpoint(path, header, module_->api_parameters(), *optimizer_);
}

void Model::load(const std::string& path) {
  std::unique_lock lock(mutex_);
  load_locked(open_checkpoint(path, device_), path);
}

void Model::load(const char* data, size_t size, const std::string& label) {
  std::unique_lock lock(mutex_);
  load_locked(open_checkpoint(data, size, label, device_), label);
}

void Model::load_locked(std::unique_ptr<OpenCheckpoint> checkpoint, const std::string& path) {
  const CheckpointHeader& h = checkpoint->header;
  auto mismatch = [&](const char* what, int64_t stored, int64_t expected) {
    if (stored != expected) {
      fail(CLCREC_ERR_IO, "checkpoint '" + path + "': " + what + " is " + std::to_string(stored) +
                              ", this model has " + std::to_string(expected));
    }
  };
  mismatch("num_user", h.config.num_user, config_.num_user);
  mismatch("num_item", h.config.num_item, config_.num_item);
  mismatch("dim_e", h.config.dim_e, config_.dim_e);
  mismatch("hidden_dim", h.config.hidden_dim, config_.hidden_dim);
  mismatch("feature width", h.feature_width, feature_width_);
  mismatch("num_words", h.num_words, num_words_);

  std::vector<std::pair<torch::Tensor, torch::Tensor>> updates;
  for (const auto& [name, param] : module_->api_parameters()) {
    updates.emplace_back(param, read_checkpoint_parameter(*checkpoint, path, name, param.sizes()));
  }
  auto optimizer = make_optimizer();
  read_checkpoint_optimizer(*checkpoint, path, *optimizer);
  for (auto& group : optimizer->param_groups()) {
    static_cast<torch::optim::AdamOptions&>(group.options()).lr(config_.learning_rate);
  }
  {
    torch::NoGradGuard no_grad;
    for (auto& [param, value] : updates) param.copy_(value);
  }
  optimizer_ = std::move(optimizer);
  distill_optimizer_.reset();
  steps_ = h.steps;
  refresh_frozen_words();
  invalidate_representation();
}

}  // namespace clcrec
