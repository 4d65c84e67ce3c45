// c_api.cpp - the exported C functions: validate every argument, then delegate to Model.
// Every body runs inside guarded(), so no exception ever crosses the C boundary.

#include "clcrec.h"

#include <cmath>
#include <cstring>
#include <string>

#include <torch/cuda.h>
#include <torch/torch.h>

#include "error_boundary.h"
#include "checkpoint.h"
#include "fold_in.h"
#include "kernels.h"
#include "model.h"
#include "validation.h"

using namespace clcrec;

namespace {

const Model& model_of(const clcrec_model* model) {
  require_non_null(model, "model");
  if (!model->impl) invalid_argument("model has been freed or was never created");
  return *model->impl;
}

Model& mutable_model_of(clcrec_model* model) {
  require_non_null(model, "model");
  if (!model->impl) invalid_argument("model has been freed or was never created");
  return *model->impl;
}

void validate_config(const clcrec_config* c) {
  require_non_null(c, "config");
  require_positive(c->num_user, "config.num_user");
  require_positive(c->num_item, "config.num_item");
  if (c->num_warm_item < 0 || c->num_warm_item > c->num_item) {
    invalid_argument("config.num_warm_item = " + std::to_string(c->num_warm_item) +
                     " is out of range 0.." + std::to_string(c->num_item));
  }
  require_positive(c->dim_e, "config.dim_e");
  require_positive(c->hidden_dim, "config.hidden_dim");
  checked_product(c->num_user + c->num_item, c->dim_e, "config: (num_user + num_item) x dim_e");
  require_finite(c->temp_value, "config.temp_value");
  if (c->temp_value <= 0) invalid_argument("config.temp_value = " + std::to_string(c->temp_value) + " must be positive");
  require_finite(c->re_temp_value, "config.re_temp_value");
  if (c->re_temp_value < 0) {
    invalid_argument("config.re_temp_value = " + std::to_string(c->re_temp_value) +
                     " must be positive, or 0 for temp_value");
  }
  require_finite(c->lr_lambda, "config.lr_lambda");
  require_finite(c->reg_weight, "config.reg_weight");
  require_finite(c->learning_rate, "config.learning_rate");
  if (c->learning_rate <= 0) {
    invalid_argument("config.learning_rate = " + std::to_string(c->learning_rate) + " must be positive");
  }
  if (c->device_type != CLCREC_DEVICE_AUTO && c->device_type != CLCREC_DEVICE_CPU &&
      c->device_type != CLCREC_DEVICE_CUDA) {
    invalid_argument("config.device_type = " + std::to_string(c->device_type) +
                     " is not CLCREC_DEVICE_AUTO (0), CPU (1) or CUDA (2)");
  }
  if (c->device_index < 0) {
    invalid_argument("config.device_index = " + std::to_string(c->device_index) + " must not be negative");
  }
  if (c->train_word_embedding != 0 && c->train_word_embedding != 1) {
    invalid_argument("config.train_word_embedding = " + std::to_string(c->train_word_embedding) + " must be 0 or 1");
  }
  if (c->kernels != CLCREC_KERNELS_AUTO && c->kernels != CLCREC_KERNELS_CPU && c->kernels != CLCREC_KERNELS_GENERIC) {
    invalid_argument("config.kernels = " + std::to_string(c->kernels) +
                     " is not CLCREC_KERNELS_AUTO (0), CPU (1) or GENERIC (2)");
  }
}

// Validates modality matrices of num_rows rows; expected_dims (if given) must match.
void validate_modalities(int64_t num_rows, int32_t num_modalities, const float* const* features,
                         const int64_t* feature_dims, const std::vector<int64_t>* expected_dims) {
  if (num_modalities < 0) {
    invalid_argument("num_modalities = " + std::to_string(num_modalities) + " must not be negative");
  }
  if (expected_dims != nullptr && num_modalities != static_cast<int32_t>(expected_dims->size())) {
    invalid_argument("num_modalities = " + std::to_string(num_modalities) + " differs from the model's " +
                     std::to_string(expected_dims->size()));
  }
  if (num_modalities == 0) return;
  require_non_null(features, "features");
  require_non_null(feature_dims, "feature_dims");
  for (int32_t m = 0; m < num_modalities; ++m) {
    const std::string name = "features[" + std::to_string(m) + "]";
    require_non_null(features[m], name.c_str());
    const std::string dim_name = "feature_dims[" + std::to_string(m) + "]";
    require_positive(feature_dims[m], dim_name.c_str());
    if (expected_dims != nullptr && feature_dims[m] != (*expected_dims)[m]) {
      invalid_argument(dim_name + " = " + std::to_string(feature_dims[m]) + " differs from the model's " +
                       std::to_string((*expected_dims)[m]));
    }
    require_finite(features[m], checked_product(num_rows, feature_dims[m], name.c_str()), name);
  }
}

void validate_word_pairs(const int64_t* word_pairs, int64_t num_word_pairs, int64_t num_rows,
                         int64_t num_words) {
  require_non_negative(num_word_pairs, "num_word_pairs");
  if (num_word_pairs == 0) return;
  require_non_null(word_pairs, "word_pairs");
  require_ids_in_range(word_pairs, num_word_pairs, 0, num_rows, "word_pairs[0]");
  require_ids_in_range(word_pairs + num_word_pairs, num_word_pairs, 0, num_words, "word_pairs[1]");
}

BatchInput validate_batch(const Model& model, const int64_t* users, int64_t batch_size,
                          const int64_t* items, int64_t group_size, const int64_t* hybrid_rows,
                          int64_t num_hybrid, bool allow_empty = false) {
  const clcrec_config& c = model.config();
  if (allow_empty && batch_size == 0) {  // a rank with an empty slice of the global batch
    require_positive(group_size, "group_size");
    BatchInput empty;
    empty.group_size = group_size;
    return empty;
  }
  require_positive(batch_size, "batch_size");
  require_positive(group_size, "group_size");
  require_non_null(users, "users");
  require_non_null(items, "items");
  require_non_negative(num_hybrid, "num_hybrid");
  if (num_hybrid > 0) require_non_null(hybrid_rows, "hybrid_rows");
  const int64_t rows = checked_product(batch_size, group_size, "batch_size x group_size");
  require_ids_in_range(users, batch_size, 0, c.num_user, "users");
  require_ids_in_range(items, rows, 0, c.num_item, "items");
  require_ids_in_range(hybrid_rows, num_hybrid, 0, rows, "hybrid_rows");
  BatchInput input;
  input.users = users;
  input.batch_size = batch_size;
  input.items = items;
  input.group_size = group_size;
  input.hybrid_rows = hybrid_rows;
  input.num_hybrid = num_hybrid;
  return input;
}

void require_output(const void* out, int64_t out_len, int64_t needed, const char* what) {
  require_non_null(out, "out");
  if (out_len < needed) {
    invalid_argument("out_len = " + std::to_string(out_len) + " is smaller than the " +
                     std::to_string(needed) + " values of " + what);
  }
}

std::string require_name(const char* name) {
  require_non_null(name, "name");
  return std::string(name);
}

}  // namespace

extern "C" {

int32_t clcrec_abi_version(void) { return CLCREC_ABI_VERSION; }

const char* clcrec_last_error(void) { return thread_last_error().c_str(); }

int clcrec_torch_version(char* buf, int64_t cap) {
  return guarded(__func__, [&] {
    copy_truncated(std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) +
                       "." + std::to_string(TORCH_VERSION_PATCH),
                   buf, cap, "buf");
  });
}

int clcrec_cuda_device_count(int32_t* out_count) {
  return guarded(__func__, [&] {
    require_non_null(out_count, "out_count");
    *out_count = torch::cuda::is_available() ? static_cast<int32_t>(torch::cuda::device_count()) : 0;
  });
}

int clcrec_model_create(const clcrec_config* config, int32_t num_modalities,
                        const float* const* features, const int64_t* feature_dims,
                        const int64_t* word_pairs, int64_t num_word_pairs, int64_t num_words,
                        clcrec_model** out_model) {
  return guarded(__func__, [&] {
    require_non_null(out_model, "out_model");
    *out_model = nullptr;
    validate_config(config);
    validate_modalities(config->num_item, num_modalities, features, feature_dims, nullptr);
    if (word_pairs == nullptr && num_word_pairs != 0) {
      invalid_argument("num_word_pairs = " + std::to_string(num_word_pairs) + " but word_pairs is NULL");
    }
    if (word_pairs != nullptr) {
      require_positive(num_word_pairs, "num_word_pairs");
      require_positive(num_words, "num_words");
      require_positive(config->word_dim, "config.word_dim");
      validate_word_pairs(word_pairs, num_word_pairs, config->num_item, num_words);
    }
    if (num_modalities == 0 && word_pairs == nullptr) {
      invalid_argument("a model needs at least one modality or word-level text (num_modalities = 0 and word_pairs is NULL)");
    }
    ContentInput content;
    content.num_rows = config->num_item;
    content.num_modalities = num_modalities;
    content.features = features;
    content.feature_dims = feature_dims;
    content.word_pairs = word_pairs;
    content.num_word_pairs = num_word_pairs;
    auto handle = std::make_unique<clcrec_model>();
    handle->impl = std::make_unique<Model>(*config, content, word_pairs != nullptr ? num_words : 0);
    *out_model = handle.release();
  });
}

int clcrec_config_device(const clcrec_config* config, char* buf, int64_t cap) {
  return guarded(__func__, [&] {
    validate_config(config);
    const torch::Device device = resolve_device(config->device_type, config->device_index);
    copy_truncated(describe_device(device, resolve_kernels(config->kernels, device)), buf, cap, "buf");
  });
}

void clcrec_model_free(clcrec_model* model) {
  guarded(__func__, [&] { delete model; });
}

int clcrec_model_config(const clcrec_model* model, clcrec_config* out_config) {
  return guarded(__func__, [&] {
    const Model& m = model_of(model);
    require_non_null(out_config, "out_config");
    *out_config = m.config();
  });
}

int clcrec_model_device(const clcrec_model* model, char* buf, int64_t cap) {
  return guarded(__func__, [&] { copy_truncated(model_of(model).device_name(), buf, cap, "buf"); });
}

int clcrec_model_feature_width(const clcrec_model* model, int64_t* out_width) {
  return guarded(__func__, [&] {
    const Model& m = model_of(model);
    require_non_null(out_width, "out_width");
    *out_width = m.feature_width();
  });
}

int clcrec_model_train_step(clcrec_model* model, const int64_t* users, int64_t batch_size,
                            const int64_t* items, int64_t group_size, const int64_t* hybrid_rows,
                            int64_t num_hybrid, clcrec_step_result* out_result) {
  return guarded(__func__, [&] {
    Model& m = mutable_model_of(model);
    require_non_null(out_result, "out_result");
    BatchInput input = validate_batch(m, users, batch_size, items, group_size, hybrid_rows, num_hybrid,
                                      m.in_group());
    *out_result = m.train_step(input);
  });
}

int clcrec_model_train_step_slices(clcrec_model* model, const int64_t* users, int64_t batch_size,
                                   const int64_t* items, int64_t group_size, const int64_t* hybrid_rows,
                                   int64_t num_hybrid, const int64_t* slice_sizes, const int64_t* slice_hybrid,
                                   int32_t num_slices, clcrec_step_result* out_result) {
  return guarded(__func__, [&] {
    Model& m = mutable_model_of(model);
    require_non_null(out_result, "out_result");
    require_positive(num_slices, "num_slices");
    require_non_null(slice_sizes, "slice_sizes");
    require_non_null(slice_hybrid, "slice_hybrid");
    require_positive(batch_size, "batch_size");
    require_positive(group_size, "group_size");
    require_non_negative(num_hybrid, "num_hybrid");
    checked_product(batch_size, group_size, "batch_size x group_size");
    std::vector<BatchInput> slices;
    int64_t pairs = 0, hybrid = 0;
    for (int32_t s = 0; s < num_slices; ++s) {
      const std::string which = "[" + std::to_string(s) + "]";
      require_non_negative(slice_sizes[s], ("slice_sizes" + which).c_str());
      require_non_negative(slice_hybrid[s], ("slice_hybrid" + which).c_str());
      if (slice_sizes[s] > batch_size - pairs || slice_hybrid[s] > num_hybrid - hybrid) {
        invalid_argument("slice_sizes and slice_hybrid must sum to batch_size = " + std::to_string(batch_size) +
                         " and num_hybrid = " + std::to_string(num_hybrid) + "; slice " + std::to_string(s) +
                         " goes past them");
      }
      if (slice_sizes[s] == 0 && slice_hybrid[s] > 0) {
        invalid_argument("slice " + std::to_string(s) + " is empty but has " + std::to_string(slice_hybrid[s]) +
                         " hybrid rows");
      }
      slices.push_back(validate_batch(m, users + pairs, slice_sizes[s], items + pairs * group_size, group_size,
                                      hybrid_rows == nullptr ? nullptr : hybrid_rows + hybrid, slice_hybrid[s],
                                      /*allow_empty=*/true));
      pairs += slice_sizes[s];
      hybrid += slice_hybrid[s];
    }
    if (pairs != batch_size || hybrid != num_hybrid) {
      invalid_argument("the slices hold " + std::to_string(pairs) + " pairs and " + std::to_string(hybrid) +
                       " hybrid rows, but batch_size = " + std::to_string(batch_size) + " and num_hybrid = " +
                       std::to_string(num_hybrid));
    }
    *out_result = m.train_step_slices(slices);
  });
}

int clcrec_model_compute_loss(const clcrec_model* model, const int64_t* users, int64_t batch_size,
                              const int64_t* items, int64_t group_size, const int64_t* hybrid_rows,
                              int64_t num_hybrid, clcrec_step_result* out_result) {
  return guarded(__func__, [&] {
    const Model& m = model_of(model);
    require_non_null(out_result, "out_result");
    BatchInput input = validate_batch(m, users, batch_size, items, group_size, hybrid_rows, num_hybrid);
    *out_result = m.compute_loss(input);
  });
}

int clcrec_model_distill_step(clcrec_model* model, const int64_t* users, const int64_t* positives,
                              const int64_t* negatives, const float* weights, int64_t batch_size,
                              const clcrec_distill_options* options, clcrec_distill_result* out_result) {
  return guarded(__func__, [&] {
    Model& m = mutable_model_of(model);
    const clcrec_config& c = m.config();
    require_non_null(out_result, "out_result");
    require_non_null(options, "options");
    require_positive(batch_size, "batch_size");
    require_non_null(users, "users");
    require_non_null(positives, "positives");
    require_non_null(negatives, "negatives");
    require_ids_in_range(users, batch_size, 0, c.num_user, "users");
    if (c.num_warm_item == 0) invalid_argument("the model has no warm items: there is no teacher to distil from");
    // A cold item's id row never trained: it cannot teach.
    require_ids_in_range(positives, batch_size, 0, c.num_warm_item, "positives");
    require_ids_in_range(negatives, batch_size, 0, c.num_warm_item, "negatives");
    if (weights != nullptr) {
      require_finite(weights, batch_size, "weights");
      for (int64_t i = 0; i < batch_size; ++i) {
        if (weights[i] < 0) {
          invalid_argument("weights[" + std::to_string(i) + "] = " + std::to_string(weights[i]) + " is negative");
        }
      }
    }
    const std::pair<const char*, double> term_weights[] = {
        {"options.supervised_weight", options->supervised_weight},
        {"options.ranking_weight", options->ranking_weight},
        {"options.identification_weight", options->identification_weight},
        {"options.rating_weight", options->rating_weight}};
    for (const auto& [name, value] : term_weights) {
      if (!(value >= 0) || !std::isfinite(value)) invalid_argument(std::string(name) + " must be a finite number >= 0");
    }
    if (!(options->learning_rate > 0) || !std::isfinite(options->learning_rate)) {
      invalid_argument("options.learning_rate must be a finite number > 0");
    }
    DistillWeights terms;
    terms.supervised = options->supervised_weight;
    terms.ranking = options->ranking_weight;
    terms.identification = options->identification_weight;
    terms.rating = options->rating_weight;
    terms.temperature = c.temp_value;
    *out_result = m.distill_step(users, positives, negatives, weights, batch_size, terms, options->learning_rate);
  });
}

int clcrec_model_top_k(const clcrec_model* model, const int64_t* users, int64_t num_users,
                       const int64_t* exclude_offsets, const int64_t* exclude_items,
                       const uint8_t* item_masks, int32_t num_masks, int64_t k,
                       int64_t* out_items, float* out_scores) {
  return guarded(__func__, [&] {
    const Model& m = model_of(model);
    const clcrec_config& c = m.config();
    require_positive(num_users, "num_users");
    require_non_null(users, "users");
    require_ids_in_range(users, num_users, 0, c.num_user, "users");
    require_positive(k, "k");
    require_non_null(out_items, "out_items");
    if (num_masks < 1) invalid_argument("num_masks = " + std::to_string(num_masks) + " must be at least 1");
    if (item_masks == nullptr && num_masks != 1) {
      invalid_argument("item_masks is NULL but num_masks = " + std::to_string(num_masks) + " (NULL is allowed only with 1 mask)");
    }
    checked_product(checked_product(num_masks, num_users, "num_masks x num_users"), k, "num_masks x num_users x k");
    if ((exclude_offsets == nullptr) != (exclude_items == nullptr)) {
      // exclude_items may be NULL only if every user excludes nothing.
      if (exclude_offsets == nullptr) invalid_argument("exclude_offsets is NULL but exclude_items is not");
    }
    if (exclude_offsets != nullptr) {
      if (exclude_offsets[0] != 0) {
        invalid_argument("exclude_offsets[0] = " + std::to_string(exclude_offsets[0]) + " must be 0");
      }
      for (int64_t u = 0; u < num_users; ++u) {
        if (exclude_offsets[u + 1] < exclude_offsets[u]) {
          invalid_argument("exclude_offsets[" + std::to_string(u + 1) + "] = " +
                           std::to_string(exclude_offsets[u + 1]) + " is smaller than exclude_offsets[" +
                           std::to_string(u) + "] = " + std::to_string(exclude_offsets[u]));
        }
      }
      const int64_t total = exclude_offsets[num_users];
      if (total > 0) require_non_null(exclude_items, "exclude_items");
      require_ids_in_range(exclude_items, total, 0, c.num_item, "exclude_items");
    }
    TopKRequest request;
    request.users = users;
    request.num_users = num_users;
    request.exclude_offsets = exclude_offsets;
    request.exclude_items = exclude_items;
    request.item_masks = item_masks;
    request.num_masks = num_masks;
    request.k = k;
    request.out_items = out_items;
    request.out_scores = out_scores;
    m.top_k(request);
  });
}

int clcrec_model_score(const clcrec_model* model, const int64_t* users, int64_t num_users,
                       float* out_scores) {
  return guarded(__func__, [&] {
    const Model& m = model_of(model);
    require_positive(num_users, "num_users");
    require_non_null(users, "users");
    require_non_null(out_scores, "out_scores");
    require_ids_in_range(users, num_users, 0, m.config().num_user, "users");
    checked_product(num_users, m.config().num_item, "num_users x num_item");
    m.score(users, num_users, out_scores);
  });
}

int clcrec_model_user_embeddings(const clcrec_model* model, float* out, int64_t out_len) {
  return guarded(__func__, [&] {
    const Model& m = model_of(model);
    require_output(out, out_len, m.config().num_user * m.config().dim_e, "num_user x dim_e");
    m.user_embeddings(out);
  });
}

int clcrec_model_item_representation(const clcrec_model* model, float* out, int64_t out_len) {
  return guarded(__func__, [&] {
    const Model& m = model_of(model);
    require_output(out, out_len, m.config().num_item * m.config().dim_e, "num_item x dim_e");
    m.item_representation(out);
  });
}

int clcrec_model_encoder_output(const clcrec_model* model, float* out, int64_t out_len) {
  return guarded(__func__, [&] {
    const Model& m = model_of(model);
    require_output(out, out_len, m.config().num_item * m.config().dim_e, "num_item x dim_e");
    m.encoder_output(out);
  });
}

int clcrec_model_encode(const clcrec_model* model, int64_t num_rows, int32_t num_modalities,
                        const float* const* features, const int64_t* feature_dims,
                        const int64_t* word_pairs, int64_t num_word_pairs, float* out,
                        int64_t out_len) {
  return guarded(__func__, [&] {
    const Model& m = model_of(model);
    require_positive(num_rows, "num_rows");
    validate_modalities(num_rows, num_modalities, features, feature_dims, &m.modality_dims());
    if (m.has_words()) {
      validate_word_pairs(word_pairs, num_word_pairs, num_rows, m.parameter_shape("word_embedding")[0]);
    } else if (word_pairs != nullptr || num_word_pairs != 0) {
      invalid_argument("word_pairs given, but the model has no word-level text");
    }
    require_output(out, out_len, checked_product(num_rows, m.config().dim_e, "num_rows x dim_e"),
                   "num_rows x dim_e");
    ContentInput content;
    content.num_rows = num_rows;
    content.num_modalities = num_modalities;
    content.features = features;
    content.feature_dims = feature_dims;
    content.word_pairs = word_pairs;
    content.num_word_pairs = num_word_pairs;
    m.encode(content, out);
  });
}

int clcrec_model_parameter_count(const clcrec_model* model, int32_t* out_count) {
  return guarded(__func__, [&] {
    const Model& m = model_of(model);
    require_non_null(out_count, "out_count");
    *out_count = static_cast<int32_t>(m.parameter_names().size());
  });
}

int clcrec_model_parameter_name(const clcrec_model* model, int32_t index, char* buf, int64_t cap) {
  return guarded(__func__, [&] {
    const Model& m = model_of(model);
    const auto names = m.parameter_names();
    if (index < 0 || index >= static_cast<int32_t>(names.size())) {
      invalid_argument("index = " + std::to_string(index) + " is out of range 0.." +
                       std::to_string(names.size() - 1));
    }
    require_non_null(buf, "buf");
    const std::string& name = names[index];
    if (cap < static_cast<int64_t>(name.size()) + 1) {
      invalid_argument("cap = " + std::to_string(cap) + " is too small for parameter name '" + name +
                       "' (needs " + std::to_string(name.size() + 1) + ")");
    }
    copy_truncated(name, buf, cap, "buf");
  });
}

int clcrec_model_parameter_shape(const clcrec_model* model, const char* name, int64_t* out_shape,
                                 int32_t* out_ndim) {
  return guarded(__func__, [&] {
    const Model& m = model_of(model);
    const std::string n = require_name(name);
    require_non_null(out_shape, "out_shape");
    require_non_null(out_ndim, "out_ndim");
    const auto shape = m.parameter_shape(n);
    for (size_t i = 0; i < shape.size(); ++i) out_shape[i] = shape[i];
    *out_ndim = static_cast<int32_t>(shape.size());
  });
}

int clcrec_model_parameter_get(const clcrec_model* model, const char* name, float* out,
                               int64_t out_len) {
  return guarded(__func__, [&] {
    const Model& m = model_of(model);
    const std::string n = require_name(name);
    require_non_null(out, "out");
    m.parameter_get(n, out, out_len);
  });
}

int clcrec_model_parameter_set(clcrec_model* model, const char* name, const float* data, int64_t len) {
  return guarded(__func__, [&] {
    Model& m = mutable_model_of(model);
    const std::string n = require_name(name);
    require_non_null(data, "data");
    require_finite(data, std::max<int64_t>(len, 0), "data");
    m.parameter_set(n, data, len);
  });
}

int clcrec_model_save(const clcrec_model* model, const char* path) {
  return guarded(__func__, [&] {
    const Model& m = model_of(model);
    require_non_null(path, "path");
    if (path[0] == '\0') invalid_argument("path is empty");
    m.save(path);
  });
}

int clcrec_checkpoint_read_config(const char* path, clcrec_config* out_config) {
  return guarded(__func__, [&] {
    require_non_null(path, "path");
    require_non_null(out_config, "out_config");
    if (path[0] == '\0') invalid_argument("path is empty");
    *out_config = open_checkpoint(path, torch::Device(torch::kCPU))->header.config;
  });
}

int clcrec_model_load(clcrec_model* model, const char* path) {
  return guarded(__func__, [&] {
    Model& m = mutable_model_of(model);
    require_non_null(path, "path");
    if (path[0] == '\0') invalid_argument("path is empty");
    m.load(path);
  });
}

int clcrec_checkpoint_read_config_buffer(const void* data, int64_t len, const char* label,
                                         clcrec_config* out_config) {
  return guarded(__func__, [&] {
    require_non_null(data, "data");
    require_non_null(out_config, "out_config");
    if (len <= 0) invalid_argument("len must be positive, got " + std::to_string(len));
    const std::string name = label == nullptr ? std::string("<memory>") : std::string(label);
    *out_config = open_checkpoint(static_cast<const char*>(data), static_cast<size_t>(len), name,
                                  torch::Device(torch::kCPU))
                      ->header.config;
  });
}

int clcrec_model_load_buffer(clcrec_model* model, const void* data, int64_t len, const char* label) {
  return guarded(__func__, [&] {
    Model& m = mutable_model_of(model);
    require_non_null(data, "data");
    if (len <= 0) invalid_argument("len must be positive, got " + std::to_string(len));
    const std::string name = label == nullptr ? std::string("<memory>") : std::string(label);
    m.load(static_cast<const char*>(data), static_cast<size_t>(len), name);
  });
}

int clcrec_model_set_learning_rate(clcrec_model* model, double learning_rate) {
  return guarded(__func__, [&] {
    Model& m = mutable_model_of(model);
    if (!(learning_rate > 0) || !std::isfinite(learning_rate)) {
      invalid_argument("learning_rate = " + std::to_string(learning_rate) + " must be positive and finite");
    }
    m.set_learning_rate(learning_rate);
  });
}

int clcrec_model_step_count(const clcrec_model* model, int64_t* out_steps) {
  return guarded(__func__, [&] {
    const Model& m = model_of(model);
    require_non_null(out_steps, "out_steps");
    *out_steps = m.step_count();
  });
}

}  // extern "C"

int clcrec_fold_in_user(const float* items, int64_t num_rows, int64_t dim_e, int64_t num_positive,
                        const clcrec_fold_in_options* options, float* user, int64_t user_len) {
  return guarded(__func__, [&] {
    require_non_null(options, "options");
    require_positive(dim_e, "dim_e");
    require_positive(num_positive, "num_positive");
    if (num_rows < num_positive) {
      invalid_argument("num_rows (" + std::to_string(num_rows) + ") < num_positive (" +
                       std::to_string(num_positive) + ")");
    }
    require_non_null(items, "items");
    require_output(user, user_len, dim_e, "dim_e");
    const int64_t values = checked_product(num_rows, dim_e, "num_rows x dim_e");
    require_finite(items, values, "items");
    require_finite(user, dim_e, "user");
    if (!(options->temp_value > 0) || !std::isfinite(options->temp_value)) {
      invalid_argument("options.temp_value must be a finite number > 0");
    }
    if (!(options->reg_weight >= 0) || !std::isfinite(options->reg_weight)) {
      invalid_argument("options.reg_weight must be a finite number >= 0");
    }
    if (!(options->learning_rate > 0) || !std::isfinite(options->learning_rate)) {
      invalid_argument("options.learning_rate must be a finite number > 0");
    }
    if (options->num_steps < 1 || options->num_steps > 100000) {
      invalid_argument("options.num_steps must be in 1..100000");
    }
    fold_in_user(items, num_rows, dim_e, num_positive,
                 FoldInSettings{options->temp_value, options->reg_weight, options->learning_rate,
                                options->num_steps},
                 user);
    require_finite(user, dim_e, "fitted user embedding");
  });
}
