/*
 * clcrec.h - the C interface of the CLCRec native engine (LibTorch underneath).
 *
 * This header is the one contract between the native library and its callers (the Java
 * bindings are generated from it by jextract). Conventions:
 *   - every function returns an int status: CLCREC_OK (0) or one of the CLCREC_ERR_* codes;
 *     after a failure, clcrec_last_error() returns a message for the calling thread that
 *     names the offending argument;
 *   - results go to out-parameters, which come last;
 *   - sizes, counts and ids are int64_t; arrays are a pointer plus a length;
 *   - users are 0..num_user-1 and items 0..num_item-1 (dense local ids, NOT the reference's
 *     global "num_user + j" ids); items 0..num_warm_item-1 are warm, the rest cold;
 *   - float matrices are row-major float32, owned by the caller; the library copies what it
 *     keeps and never retains a caller pointer after a call returns;
 *   - a model handle may be used from several threads at once: read-only calls (scoring,
 *     top-K, representations, encoding, getting parameters, saving) run concurrently, calls
 *     that change the model (training, setting or loading parameters) run exclusively.
 */
#ifndef CLCREC_H
#define CLCREC_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever a signature or struct layout in this header changes. */
#define CLCREC_ABI_VERSION 6

/* Status codes. */
#define CLCREC_OK 0
#define CLCREC_ERR_INVALID_ARGUMENT 1 /* null pointer, bad size, id out of range, NaN input */
#define CLCREC_ERR_RUNTIME 2          /* LibTorch or CUDA failure */
#define CLCREC_ERR_IO 3               /* checkpoint file missing, unreadable or corrupt */
#define CLCREC_ERR_OUT_OF_MEMORY 4
#define CLCREC_ERR_UNSUPPORTED 5      /* e.g. CUDA requested but not available */
#define CLCREC_ERR_DISTRIBUTED 6      /* rendezvous failed, a rank was lost, a collective timed out */
#define CLCREC_ERR_NOT_FINITE 7       /* a step's loss or gradient, or a model's scores, are NaN or infinite */

/* Device selection for clcrec_config.device_type. */
#define CLCREC_DEVICE_AUTO 0 /* CUDA if available, else CPU */
#define CLCREC_DEVICE_CPU 1
#define CLCREC_DEVICE_CUDA 2

/*
 * Kernel choice for clcrec_config.kernels. On float32 CPU tensors the engine runs hand-written
 * CPU kernels; the generic path is the one of CUDA tensors (ATen operations only). Running it on
 * the CPU checks, without a GPU, the code a GPU runs. CUDA models always run the generic path.
 */
#define CLCREC_KERNELS_AUTO 0    /* the environment variable CLCREC_KERNELS: "cpu" (or unset) or "generic" */
#define CLCREC_KERNELS_CPU 1     /* the hand-written CPU kernels */
#define CLCREC_KERNELS_GENERIC 2 /* the device-generic path, also on the CPU */

/* Exported symbols; everything else in the library is hidden. */
#if defined(__GNUC__)
#define CLCREC_API __attribute__((visibility("default")))
#else
#define CLCREC_API
#endif

typedef struct clcrec_model clcrec_model;

typedef struct clcrec_config {
    int64_t num_user;
    int64_t num_item;
    int64_t num_warm_item;
    int64_t dim_e;          /* id embedding / representation width (reference: 64) */
    int64_t hidden_dim;     /* encoder hidden width (reference: 256) */
    int64_t word_dim;       /* word table width for word-level text (reference: 128) */
    double temp_value;      /* softmax temperature */
    double lr_lambda;       /* weight of the R-E loss; 1 - lr_lambda weighs the U-I loss */
    double reg_weight;      /* weight of the embedding-norm regulariser */
    double learning_rate;   /* Adam step size */
    int32_t device_type;    /* CLCREC_DEVICE_* */
    int32_t device_index;   /* CUDA device ordinal, ignored on CPU */
    int32_t num_threads;    /* LibTorch intra-op threads; <= 0 means all cores */
    int32_t train_word_embedding; /* 1: the word table learns; 0: frozen as in the reference */
    int64_t seed;           /* seeds parameter initialisation */
    int32_t kernels;        /* CLCREC_KERNELS_*, read at creation (resolved: CPU or GENERIC); not stored in checkpoints */
    double re_temp_value;   /* temperature of the R-E term alone; 0: temp_value for both terms, as the reference */
} clcrec_config;

/* Losses of one training step, as floats computed on the model's device. */
typedef struct clcrec_step_result {
    double loss;        /* lr_lambda*loss_re + (1-lr_lambda)*loss_ui + reg_weight*reg */
    double loss_re;     /* representation-embedding contrastive loss */
    double loss_ui;     /* user-item contrastive loss */
    double reg;         /* unweighted regulariser */
    double mat;         /* mean over groups of 1 - softmax probability of the positive (U-I) */
} clcrec_step_result;

/* ---- library ---------------------------------------------------------------------------- */

/* CLCREC_ABI_VERSION of the compiled library. Never fails. */
CLCREC_API int32_t clcrec_abi_version(void);

/* The calling thread's last error message ("" if none). Valid until the thread's next call. */
CLCREC_API const char *clcrec_last_error(void);

/* LibTorch version string, e.g. "1.13.0", written NUL-terminated into buf (truncated to cap). */
CLCREC_API int clcrec_torch_version(char *buf, int64_t cap);

/* Number of usable CUDA devices (0 when LibTorch has no CUDA or no GPU is present). */
CLCREC_API int clcrec_cuda_device_count(int32_t *out_count);

/* ---- model lifecycle ---------------------------------------------------------------------- */

/*
 * Creates a model with freshly initialised parameters (seeded by config->seed).
 * Content features: num_modalities matrices (v, a, t order), features[m] pointing to
 * num_item x feature_dims[m] floats; each is L2-normalised per row and concatenated.
 * Word-level text (optional; pass word_pairs = NULL and num_word_pairs = 0 for none):
 * word_pairs holds 2 x num_word_pairs int64 (row 0: item, row 1: word in 0..num_words-1);
 * the per-item average of the word table, L2-normalised, is appended after the modalities.
 * A model needs at least one modality or word-level text.
 */
CLCREC_API int clcrec_model_create(const clcrec_config *config,
                        int32_t num_modalities, const float *const *features,
                        const int64_t *feature_dims,
                        const int64_t *word_pairs, int64_t num_word_pairs, int64_t num_words,
                        clcrec_model **out_model);

/* Frees the model. NULL is a no-op. */
CLCREC_API void clcrec_model_free(clcrec_model *model);

/* The config the model was created with (device_type and kernels are resolved, never AUTO). */
CLCREC_API int clcrec_model_config(const clcrec_model *model, clcrec_config *out_config);

/* Human-readable device in use, e.g. "cpu", "cpu (generic kernels)" or "cuda:0". */
CLCREC_API int clcrec_model_device(const clcrec_model *model, char *buf, int64_t cap);

/*
 * The device a model created with config would report (clcrec_model_device), without creating
 * one, so a program can say where it will train before it starts; fails as clcrec_model_create
 * would for an invalid config, an unavailable device or a bad CLCREC_KERNELS.
 */
CLCREC_API int clcrec_config_device(const clcrec_config *config, char *buf, int64_t cap);

/* Total width of the concatenated, normalised content features fed to the encoder. */
CLCREC_API int clcrec_model_feature_width(const clcrec_model *model, int64_t *out_width);

/* ---- training ----------------------------------------------------------------------------- */

/*
 * One forward/backward pass and one dense Adam step.
 * users: batch_size group users; items: batch_size x group_size item ids, column 0 the
 * positive and the rest negatives; hybrid_rows: num_hybrid indices into the flattened
 * batch (0..batch_size*group_size-1, repeats allowed) whose U-I candidate is the encoder
 * output instead of the id embedding. Only the distinct items of the batch are encoded.
 * A non-finite loss or gradient leaves the parameters and the Adam state untouched and
 * returns CLCREC_ERR_NOT_FINITE.
 */
CLCREC_API int clcrec_model_train_step(clcrec_model *model,
                            const int64_t *users, int64_t batch_size,
                            const int64_t *items, int64_t group_size,
                            const int64_t *hybrid_rows, int64_t num_hybrid,
                            clcrec_step_result *out_result);

/*
 * One training step computed exactly as num_slices ranks of a group compute it together, each
 * holding one slice of the global batch (see clcrec_model_join_group): slice s is the next
 * slice_sizes[s] pairs of users/items (the sizes sum to batch_size; a slice may be empty) with
 * the next slice_hybrid[s] entries of hybrid_rows (summing to num_hybrid), numbered within the
 * slice's own rows. Each slice's gradient is that of its own mean loss, as on its rank; the
 * slices' gradients and losses, weighted by slice size, are summed in slice order and divided
 * by batch_size. The result is bit-identical to such a group's step with
 * CLCREC_REDUCTION_RANK_ORDER, and for two slices with either reduction: one process replays a
 * data-parallel run exactly. Not for a model joined to a group. Errors as
 * clcrec_model_train_step.
 */
CLCREC_API int clcrec_model_train_step_slices(clcrec_model *model,
                            const int64_t *users, int64_t batch_size,
                            const int64_t *items, int64_t group_size,
                            const int64_t *hybrid_rows, int64_t num_hybrid,
                            const int64_t *slice_sizes, const int64_t *slice_hybrid,
                            int32_t num_slices, clcrec_step_result *out_result);

/*
 * Sets the Adam step size of the next training steps, keeping the optimizer's moments and step
 * count: a schedule that lowers it when validation stops improving. The value is the config's
 * learning_rate from now on (clcrec_model_config, and what clcrec_model_save stores).
 * learning_rate must be positive and finite.
 */
CLCREC_API int clcrec_model_set_learning_rate(clcrec_model *model, double learning_rate);

/* The same losses as clcrec_model_train_step without changing anything (no gradient). */
CLCREC_API int clcrec_model_compute_loss(const clcrec_model *model,
                              const int64_t *users, int64_t batch_size,
                              const int64_t *items, int64_t group_size,
                              const int64_t *hybrid_rows, int64_t num_hybrid,
                              clcrec_step_result *out_result);

/* ---- teacher-student distillation of the encoder (ALDI, SIGIR 2023) ------------------------ */

/*
 * Weights of clcrec_model_distill_step's terms. The teacher is the model's own id table (user rows
 * and warm item rows, frozen); the student is the content encoder. Logits are dot products divided
 * by the model's temp_value: teacher t_ui = <E[u], E[i]> / temp_value, student s_ui = <E[u], f(x_i)> /
 * temp_value. For B triples (u_b, p_b, n_b) with popularity weights w_b of the positives:
 *   supervised     = mean_b softplus(-(s_up - s_un))                               (BPR on the student)
 *   ranking        = mean_b w_b * BCE(s_up - s_un, sigmoid(t_up - t_un))          (ALDI's alpha)
 *   identification = mean_b w_b * BCE(g_S[b], sigmoid(g_T[b])), g[b] = (<c_b, c_b> - mean_c <c_b, m_c>)
 *                    / temp_value over the positives c and negatives m of the batch  (ALDI's beta)
 *   rating         = mean_b (|t_up - s_up| + |t_un - s_un|)                        (ALDI's gamma)
 * with BCE(x, y) = softplus(x) - x * y; loss = the weighted sum of the four.
 */
typedef struct clcrec_distill_options {
    double supervised_weight;
    double ranking_weight;
    double identification_weight;
    double rating_weight;
    double learning_rate;   /* step size of the distillation's own Adam over the encoder */
} clcrec_distill_options;

/* Terms of one distillation step, unweighted, before the step; loss is their weighted sum. */
typedef struct clcrec_distill_result {
    double loss;
    double supervised;
    double ranking;
    double identification;
    double rating;
} clcrec_distill_result;

/*
 * One step of teacher-student distillation: only the encoder's four parameters change, by an Adam
 * of their own (created on the first call with options->learning_rate, later calls set its step
 * size; not saved in checkpoints; loading a checkpoint discards it). The id table, the word table,
 * the training Adam and the step count stay as they are. users, positives, negatives: batch_size
 * ids each; positives and negatives must be warm items (their id rows are the teacher). weights:
 * batch_size finite values >= 0 (the positives' popularity weights; NULL: all 1). A non-finite loss
 * or gradient changes nothing and returns CLCREC_ERR_NOT_FINITE.
 */
CLCREC_API int clcrec_model_distill_step(clcrec_model *model,
                            const int64_t *users, const int64_t *positives, const int64_t *negatives,
                            const float *weights, int64_t batch_size,
                            const clcrec_distill_options *options,
                            clcrec_distill_result *out_result);

/* ---- ranking ------------------------------------------------------------------------------ */

/*
 * Top-k items for num_users users, scored by dot product of the user embedding with the
 * ranking representation (warm items: id embedding, cold items: encoder output), computed
 * once per user and ranked under num_masks item masks.
 * exclude_offsets (num_users + 1 entries, CSR, starting at 0) and exclude_items give each
 * user's excluded items (may be NULL together when nothing is excluded per user).
 * item_masks: num_masks x num_item bytes, nonzero = excluded for that mask (may be NULL
 * when num_masks is 1, meaning no item-level exclusion).
 * Output: out_items and out_scores, num_masks x num_users x k, best first. Excluded items
 * never appear; ties are broken by the lower item id; when fewer than k items remain the
 * tail is filled with item -1 and score -infinity. out_scores may be NULL.
 */
CLCREC_API int clcrec_model_top_k(const clcrec_model *model,
                       const int64_t *users, int64_t num_users,
                       const int64_t *exclude_offsets, const int64_t *exclude_items,
                       const uint8_t *item_masks, int32_t num_masks,
                       int64_t k,
                       int64_t *out_items, float *out_scores);

/* Scores of num_users users against all items (num_users x num_item floats), unmasked. */
CLCREC_API int clcrec_model_score(const clcrec_model *model,
                       const int64_t *users, int64_t num_users,
                       float *out_scores);

/* Users' id embeddings: num_user x dim_e floats. */
CLCREC_API int clcrec_model_user_embeddings(const clcrec_model *model, float *out, int64_t out_len);

/* Ranking representation of items: num_item x dim_e (warm: id embedding, cold: encoder). */
CLCREC_API int clcrec_model_item_representation(const clcrec_model *model, float *out, int64_t out_len);

/* Encoder output for every item: num_item x dim_e floats. */
CLCREC_API int clcrec_model_encoder_output(const clcrec_model *model, float *out, int64_t out_len);

/*
 * Embeds brand-new items from raw content: num_rows rows of each modality (same modalities
 * and widths as at creation, normalised the same way), plus word pairs (item in
 * 0..num_rows-1) when the model uses word-level text. Writes num_rows x dim_e floats.
 */
CLCREC_API int clcrec_model_encode(const clcrec_model *model, int64_t num_rows,
                        int32_t num_modalities, const float *const *features,
                        const int64_t *feature_dims,
                        const int64_t *word_pairs, int64_t num_word_pairs,
                        float *out, int64_t out_len);

/* ---- parameters --------------------------------------------------------------------------- */

/*
 * Parameters are named "id_embedding" ((num_user+num_item) x dim_e), "encoder_layer1_weight"
 * (hidden_dim x width), "encoder_layer1_bias", "encoder_layer2_weight" (dim_e x hidden_dim),
 * "encoder_layer2_bias" and, with word-level text, "word_embedding" (num_words x word_dim).
 */
CLCREC_API int clcrec_model_parameter_count(const clcrec_model *model, int32_t *out_count);
CLCREC_API int clcrec_model_parameter_name(const clcrec_model *model, int32_t index, char *buf, int64_t cap);
/* Shape of a parameter: up to 2 dimensions written to out_shape; out_ndim gets their count. */
CLCREC_API int clcrec_model_parameter_shape(const clcrec_model *model, const char *name,
                                 int64_t *out_shape, int32_t *out_ndim);
CLCREC_API int clcrec_model_parameter_get(const clcrec_model *model, const char *name,
                               float *out, int64_t out_len);
/* Replaces a parameter's values (out_len must equal its element count; all finite). */
CLCREC_API int clcrec_model_parameter_set(clcrec_model *model, const char *name,
                               const float *data, int64_t len);

/* ---- checkpoints -------------------------------------------------------------------------- */

/*
 * Writes parameters, Adam state, step count and config to path (via a temporary file in
 * the same folder renamed into place, so a crash never leaves a half-written checkpoint).
 */
CLCREC_API int clcrec_model_save(const clcrec_model *model, const char *path);

/* Reads the config stored in a checkpoint (to create a matching model before loading); kernels reads AUTO. */
CLCREC_API int clcrec_checkpoint_read_config(const char *path, clcrec_config *out_config);

/* Loads parameters and Adam state from a checkpoint whose sizes match this model. */
CLCREC_API int clcrec_model_load(clcrec_model *model, const char *path);

/* Number of training steps taken (restored by clcrec_model_load). */
CLCREC_API int clcrec_model_step_count(const clcrec_model *model, int64_t *out_steps);

/*
 * clcrec_checkpoint_read_config and clcrec_model_load for a checkpoint held in memory (len bytes
 * at data, as clcrec_model_save wrote them), so that a caller can verify the bytes' checksum and
 * load exactly the bytes it verified. label names the checkpoint in error messages (may be NULL).
 * Loading refuses parameters or Adam moments that are NaN or infinite.
 */
CLCREC_API int clcrec_checkpoint_read_config_buffer(const void *data, int64_t len, const char *label,
                                         clcrec_config *out_config);
CLCREC_API int clcrec_model_load_buffer(clcrec_model *model, const void *data, int64_t len,
                                         const char *label);

/* ---- distributed data-parallel training (LibTorch's c10d) ---------------------------------- */

typedef struct clcrec_group clcrec_group;

/* Backends for clcrec_group_create. */
#define CLCREC_BACKEND_GLOO 1 /* CPU tensors; always built in */
#define CLCREC_BACKEND_NCCL 2 /* CUDA tensors; only when this LibTorch has NCCL (else UNSUPPORTED) */

/*
 * Joins a process group of world_size ranks: rank 0 serves the rendezvous store on
 * master_addr:master_port (TCP), the other ranks connect to it. Blocks until every rank has
 * joined or timeout_ms passes. The same timeout bounds every later collective. A mismatched
 * world size, a rank taken twice, an unreachable master or a timeout returns
 * CLCREC_ERR_DISTRIBUTED with a message naming the rank and address concerned.
 * device_index: the CUDA device of the NCCL backend (ignored by Gloo).
 */
CLCREC_API int clcrec_group_create(const char *master_addr, int32_t master_port,
                                   int32_t world_size, int32_t rank, int32_t backend,
                                   int32_t device_index, int64_t timeout_ms,
                                   clcrec_group **out_group);

/* Leaves the group and frees it (a model joined to it keeps the connection until it leaves
 * or is freed). NULL is a no-op. */
CLCREC_API void clcrec_group_free(clcrec_group *group);

CLCREC_API int clcrec_group_rank(const clcrec_group *group, int32_t *out_rank);
CLCREC_API int clcrec_group_size(const clcrec_group *group, int32_t *out_size);

/* Returns when every rank has called it (or fails with CLCREC_ERR_DISTRIBUTED). */
CLCREC_API int clcrec_group_barrier(clcrec_group *group);

/* Replaces values[0..len) by their sums over all ranks (float64, e.g. metric sums). */
CLCREC_API int clcrec_group_all_reduce_sum(clcrec_group *group, double *values, int64_t len);

/*
 * Joins the model to the group (every rank must call it, in the same order as the other
 * collectives): the parameters are broadcast from rank 0, and from then on every
 * clcrec_model_train_step sums the ranks' gradients and losses, each rank weighted by its
 * batch_size (its slice of the global batch), and divides by the global batch size before the
 * optimizer step, so every rank applies the same update: the step of one process over the
 * whole global batch. A joined model accepts batch_size 0 (a rank whose slice is empty).
 * group = NULL leaves the group. The Adam state is not broadcast: ranks must start from the
 * same state (fresh, or the same checkpoint).
 */
CLCREC_API int clcrec_model_join_group(clcrec_model *model, clcrec_group *group);

/*
 * enabled = 1: from the next step on, the id table is updated row-wise ("lazy" Adam, like
 * torch.optim.SparseAdam): only the rows the step's batch touched get a gradient, are exchanged
 * between ranks (ids + rows) and have their Adam moments and values updated, with dense Adam's
 * arithmetic and step count; the other rows, and their moments, do not change. A step then costs
 * what its batch costs, whatever the size of the table. enabled = 0 (the default): dense Adam over
 * every row, as the reference. The encoder is always updated densely.
 */
CLCREC_API int clcrec_model_set_sparse_updates(clcrec_model *model, int32_t enabled);

/* How a joined model's steps sum the ranks' weighted gradients. */
#define CLCREC_REDUCTION_BACKEND 0    /* the backend's all-reduce (the default): least traffic; with
                                         more than two ranks the order of each element's sum is
                                         the algorithm's, so one process cannot replay it exactly */
#define CLCREC_REDUCTION_RANK_ORDER 1 /* an all-gather, then a sum in rank order on every rank:
                                         world_size / 2 times the traffic, and reproduced bit for bit
                                         by clcrec_model_train_step_slices */

/* Sets the reduction of the next steps; every rank must choose the same. The id table's rows
 * under sparse updates are exchanged whole and merged in rank order with either choice. */
CLCREC_API int clcrec_model_set_reduction_order(clcrec_model *model, int32_t order);

/* ---- folding in a new user ---------------------------------------------------------------- */

/* Settings of clcrec_fold_in_user; take temp_value and reg_weight from the model's config. */
typedef struct clcrec_fold_in_options {
    double temp_value;     /* the model's softmax temperature */
    double reg_weight;     /* weight of the user's embedding norm, as in training */
    double learning_rate;  /* Adam step size */
    int32_t num_steps;     /* Adam steps (full batch: every positive against every negative) */
} clcrec_fold_in_options;

/*
 * Fits one user's embedding to frozen item representations with the model's user-item objective,
 * the way a model user's embedding was trained (Oryx-style fold-in): items holds num_rows x dim_e
 * floats, the user's items in rows 0..num_positive-1 and shared negatives in the rows after them;
 * the loss is mean over positives p of -log( exp(s_p) / (exp(s_p) + sum_n exp(s_n)) ) with
 * s = <user, item> / temp_value, plus reg_weight * ||user||_2 / 2 (training's regulariser for
 * one row). user (dim_e floats) holds the starting point on entry and the fitted embedding on
 * return. Pure CPU arithmetic in double precision; deterministic; needs no model handle.
 */
CLCREC_API int clcrec_fold_in_user(const float *items, int64_t num_rows, int64_t dim_e,
                        int64_t num_positive, const clcrec_fold_in_options *options,
                        float *user, int64_t user_len);

#ifdef __cplusplus
}
#endif

#endif /* CLCREC_H */
