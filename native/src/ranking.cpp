#include "ranking.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <limits>
#include <vector>

#include <ATen/Parallel.h>

#include "error_boundary.h"
#include "split_matmul.h"

namespace clcrec {

namespace {

constexpr int64_t kChunkElements = int64_t{1} << 22;  // scores held at once per chunk

int64_t chunk_rows(int64_t num_item) {
  return std::max<int64_t>(1, kChunkElements / std::max<int64_t>(num_item, 1));
}

torch::Tensor host_long(const int64_t* values, int64_t n) {
  return torch::from_blob(const_cast<int64_t*>(values), {n},
                          torch::TensorOptions().dtype(torch::kInt64)).clone();
}

torch::Tensor chunk_scores(const torch::Tensor& user_table, const torch::Tensor& items,
                           const int64_t* users, int64_t n, Kernels kernels) {
  torch::Tensor ids = host_long(users, n).to(user_table.device());
  return matmul_rows(user_table.index_select(0, ids), items.t(), kernels);
}

}  // namespace

std::pair<torch::Tensor, torch::Tensor> select_top_k(const torch::Tensor& scores, int64_t k) {
  const int64_t rows = scores.size(0);
  // The k-th best value of each row; every entry above it is selected, and of the entries
  // equal to it only the lowest-numbered ones, as many as are still needed.
  torch::Tensor kth = std::get<0>(scores.topk(k, 1, /*largest=*/true, /*sorted=*/true))
                          .select(1, k - 1).unsqueeze(1);
  torch::Tensor above = scores > kth;
  torch::Tensor tied = scores == kth;
  torch::Tensor needed = k - above.sum(1, /*keepdim=*/true);
  torch::Tensor selected = above.logical_or(tied.logical_and(tied.cumsum(1) <= needed));
  // nonzero() lists each row's selected columns in ascending order: exactly k per row.
  torch::Tensor columns = selected.nonzero().select(1, 1).view({rows, k});
  torch::Tensor values = scores.gather(1, columns);
  auto sorted = values.sort(/*stable=*/true, /*dim=*/1, /*descending=*/true);
  torch::Tensor best_scores = std::get<0>(sorted);
  torch::Tensor best_items = columns.gather(1, std::get<1>(sorted));
  best_items.masked_fill_(best_scores == -std::numeric_limits<float>::infinity(), -1);
  return {best_items.to(torch::kCPU).contiguous(), best_scores.to(torch::kCPU).contiguous()};
}

namespace {

// One selection of the best k (score, item) pairs of a row, as a binary heap whose root is the
// worst pair kept. Items are offered in ascending id order, so a later item never beats an
// earlier one with the same score: once the heap is full, an item enters iff its score is
// strictly above the root's, which makes ties go to the lower item id.
class Selection {
 public:
  Selection(float* scores, int64_t* items, int64_t capacity)
      : scores_(scores), items_(items), capacity_(capacity) {}

  void clear() {
    size_ = 0;
    threshold_ = -std::numeric_limits<float>::infinity();
  }
  // Items scoring at or below the threshold cannot enter (-inf until the heap is full, so
  // -inf scores, i.e. excluded items, never do).
  float threshold() const { return threshold_; }
  int64_t size() const { return size_; }

  // Precondition: score > threshold() and item above every item offered before.
  void offer(float score, int64_t item) {
    if (size_ < capacity_) {
      int64_t i = size_++;
      while (i > 0) {  // sift up: the parent must stay the worse one
        const int64_t parent = (i - 1) / 2;
        if (!worse(score, item, scores_[parent], items_[parent])) break;
        scores_[i] = scores_[parent];
        items_[i] = items_[parent];
        i = parent;
      }
      scores_[i] = score;
      items_[i] = item;
      if (size_ == capacity_) threshold_ = scores_[0];
      return;
    }
    int64_t i = 0;  // replace the root and sift down
    for (;;) {
      const int64_t left = 2 * i + 1;
      if (left >= size_) break;
      int64_t child = left;
      if (left + 1 < size_ && worse(scores_[left + 1], items_[left + 1], scores_[left], items_[left])) {
        child = left + 1;
      }
      if (!worse(scores_[child], items_[child], score, item)) break;
      scores_[i] = scores_[child];
      items_[i] = items_[child];
      i = child;
    }
    scores_[i] = score;
    items_[i] = item;
    threshold_ = scores_[0];
  }

  // Writes the kept pairs best first (score descending, then item ascending) and pads to k
  // with item -1 and score -inf.
  void write(int64_t k, int64_t* out_items, float* out_scores) {
    std::vector<int64_t>& order = order_;
    order.resize(static_cast<size_t>(size_));
    for (int64_t i = 0; i < size_; ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
      return worse(scores_[b], items_[b], scores_[a], items_[a]);
    });
    for (int64_t r = 0; r < size_; ++r) {
      out_items[r] = items_[order[r]];
      if (out_scores != nullptr) out_scores[r] = scores_[order[r]];
    }
    std::fill(out_items + size_, out_items + k, int64_t{-1});
    if (out_scores != nullptr) {
      std::fill(out_scores + size_, out_scores + k, -std::numeric_limits<float>::infinity());
    }
  }

 private:
  static bool worse(float sa, int64_t ia, float sb, int64_t ib) {
    return sa < sb || (sa == sb && ia > ib);
  }

  float* scores_;
  int64_t* items_;
  int64_t capacity_;
  int64_t size_ = 0;
  float threshold_ = -std::numeric_limits<float>::infinity();
  std::vector<int64_t> order_;
};

// Offers the items of [begin, end) of one score row to a selection. Blocks of 16 scores are
// first compared with the threshold as a whole (a branch-free test that vectorises); only a
// block holding a candidate is walked item by item.
void scan_run(const float* row, int64_t begin, int64_t end, Selection& selection) {
  constexpr int64_t kBlock = 16;
  int64_t j = begin;
  for (; j + kBlock <= end; j += kBlock) {
    const float threshold = selection.threshold();
    int any = 0;
    for (int64_t t = 0; t < kBlock; ++t) any |= row[j + t] > threshold;
    if (any == 0) continue;
    for (int64_t t = 0; t < kBlock; ++t) {
      if (row[j + t] > selection.threshold()) selection.offer(row[j + t], j + t);
    }
  }
  for (; j < end; ++j) {
    if (row[j] > selection.threshold()) selection.offer(row[j], j);
  }
}

// True when the row holds a NaN (exponent all ones, mantissa nonzero), in one vectorisable pass.
bool has_nan(const float* row, int64_t n) {
  int32_t bad = 0;
  for (int64_t j = 0; j < n; ++j) {
    int32_t bits;
    std::memcpy(&bits, row + j, sizeof bits);
    bad |= (bits & 0x7fffffff) > 0x7f800000;
  }
  return bad != 0;
}

// The maximal runs [begin, end) of items each mask leaves in, ascending.
std::vector<std::vector<std::pair<int64_t, int64_t>>> mask_runs(const TopKRequest& request,
                                                                int64_t num_item) {
  std::vector<std::vector<std::pair<int64_t, int64_t>>> runs(static_cast<size_t>(request.num_masks));
  for (int32_t m = 0; m < request.num_masks; ++m) {
    if (request.item_masks == nullptr) {
      runs[m].emplace_back(0, num_item);
      continue;
    }
    const uint8_t* mask = request.item_masks + static_cast<int64_t>(m) * num_item;
    for (int64_t j = 0; j < num_item;) {
      if (mask[j] != 0) {
        ++j;
        continue;
      }
      const int64_t begin = j;
      while (j < num_item && mask[j] == 0) ++j;
      runs[m].emplace_back(begin, j);
    }
  }
  return runs;
}

// CPU top-k: the scores of a chunk of users come from one matrix product; then each user's
// row is scanned once per mask (it stays in cache) by a k-sized selection, users in parallel.
void rank_top_k_cpu(const torch::Tensor& user_table, const torch::Tensor& items,
                    const TopKRequest& request) {
  const int64_t num_item = items.size(0);
  const int64_t k = request.k;
  const int64_t capacity = std::min(k, num_item);
  const int32_t num_masks = request.num_masks;
  const auto runs = mask_runs(request, num_item);
  const float minus_inf = -std::numeric_limits<float>::infinity();
  const torch::Tensor item_table = items.contiguous();

  // About 4 MiB of scores per chunk: written by the product, read back while still cached.
  const int64_t step = std::max<int64_t>(1, (int64_t{1} << 20) / std::max<int64_t>(num_item, 1));
  std::atomic<bool> nan_found{false};
  for (int64_t u0 = 0; u0 < request.num_users && !nan_found.load(); u0 += step) {
    const int64_t n = std::min(step, request.num_users - u0);
    torch::Tensor scores = chunk_scores(user_table, item_table, request.users + u0, n, Kernels::kCpu).contiguous();
    float* all_rows = scores.data_ptr<float>();
    at::parallel_for(0, n, 8, [&](int64_t begin, int64_t end) {
      std::vector<float> heap_scores(static_cast<size_t>(capacity));
      std::vector<int64_t> heap_items(static_cast<size_t>(capacity));
      Selection selection(heap_scores.data(), heap_items.data(), capacity);
      for (int64_t i = begin; i < end; ++i) {
        float* row = all_rows + i * num_item;
        if (has_nan(row, num_item)) {
          nan_found.store(true);
          return;
        }
        const int64_t u = u0 + i;
        if (request.exclude_offsets != nullptr) {
          for (int64_t p = request.exclude_offsets[u]; p < request.exclude_offsets[u + 1]; ++p) {
            row[request.exclude_items[p]] = minus_inf;  // never above a threshold
          }
        }
        for (int32_t m = 0; m < num_masks; ++m) {
          selection.clear();
          for (const auto& run : runs[m]) scan_run(row, run.first, run.second, selection);
          const int64_t base = (static_cast<int64_t>(m) * request.num_users + u) * k;
          selection.write(k, request.out_items + base,
                          request.out_scores == nullptr ? nullptr : request.out_scores + base);
        }
      }
    });
  }
  if (nan_found.load()) fail(CLCREC_ERR_NOT_FINITE, "scores contain NaN (model parameters are not finite)");
}

}  // namespace

void rank_top_k(const torch::Tensor& user_table, const torch::Tensor& items,
                const TopKRequest& request, Kernels kernels) {
  torch::NoGradGuard no_grad;
  if (kernels == Kernels::kCpu && user_table.device().is_cpu() && items.device().is_cpu() &&
      user_table.scalar_type() == torch::kFloat32 && items.scalar_type() == torch::kFloat32) {
    rank_top_k_cpu(user_table, items, request);
    return;
  }
  // Other devices: torch ops on the device, one masked selection per mask.
  const int64_t num_item = items.size(0);
  const int64_t k = request.k;
  const int64_t kk = std::min(k, num_item);
  const float minus_inf = -std::numeric_limits<float>::infinity();
  const auto device = user_table.device();

  torch::Tensor masks;  // num_masks x num_item bool, or undefined
  if (request.item_masks != nullptr) {
    masks = torch::from_blob(const_cast<uint8_t*>(request.item_masks),
                             {request.num_masks, num_item},
                             torch::TensorOptions().dtype(torch::kUInt8))
                .to(device).ne(0);
  }

  const int64_t step = chunk_rows(num_item);
  for (int64_t u0 = 0; u0 < request.num_users; u0 += step) {
    const int64_t n = std::min(step, request.num_users - u0);
    torch::Tensor scores = chunk_scores(user_table, items, request.users + u0, n, kernels);
    if (scores.isnan().any().item<bool>()) {
      fail(CLCREC_ERR_NOT_FINITE, "scores contain NaN (model parameters are not finite)");
    }
    if (request.exclude_offsets != nullptr) {
      std::vector<int64_t> flat;
      for (int64_t i = 0; i < n; ++i) {
        const int64_t u = u0 + i;
        for (int64_t p = request.exclude_offsets[u]; p < request.exclude_offsets[u + 1]; ++p) {
          flat.push_back(i * num_item + request.exclude_items[p]);
        }
      }
      if (!flat.empty()) {
        scores.view(-1).index_fill_(
            0, host_long(flat.data(), static_cast<int64_t>(flat.size())).to(device), minus_inf);
      }
    }
    for (int32_t m = 0; m < request.num_masks; ++m) {
      torch::Tensor masked =
          masks.defined() ? scores.masked_fill(masks[m].unsqueeze(0), minus_inf) : scores;
      auto best = select_top_k(masked, kk);
      const int64_t* best_items = best.first.data_ptr<int64_t>();
      const float* best_scores = best.second.data_ptr<float>();
      for (int64_t i = 0; i < n; ++i) {
        const int64_t base = (static_cast<int64_t>(m) * request.num_users + u0 + i) * k;
        std::memcpy(request.out_items + base, best_items + i * kk, sizeof(int64_t) * kk);
        std::fill(request.out_items + base + kk, request.out_items + base + k, int64_t{-1});
        if (request.out_scores != nullptr) {
          std::memcpy(request.out_scores + base, best_scores + i * kk, sizeof(float) * kk);
          std::fill(request.out_scores + base + kk, request.out_scores + base + k, minus_inf);
        }
      }
    }
  }
}

void rank_scores(const torch::Tensor& user_table, const torch::Tensor& items,
                 const int64_t* users, int64_t num_users, float* out, Kernels kernels) {
  torch::NoGradGuard no_grad;
  const int64_t num_item = items.size(0);
  const int64_t step = chunk_rows(num_item);
  for (int64_t u0 = 0; u0 < num_users; u0 += step) {
    const int64_t n = std::min(step, num_users - u0);
    torch::Tensor scores = chunk_scores(user_table, items, users + u0, n, kernels).to(torch::kCPU).contiguous();
    std::memcpy(out + u0 * num_item, scores.data_ptr<float>(), sizeof(float) * n * num_item);
  }
}

}  // namespace clcrec
