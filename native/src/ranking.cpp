#include "ranking.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

#include "error_boundary.h"

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
                           const int64_t* users, int64_t n) {
  torch::Tensor ids = host_long(users, n).to(user_table.device());
  return user_table.index_select(0, ids).mm(items.t());
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

void rank_top_k(const torch::Tensor& user_table, const torch::Tensor& items,
                const TopKRequest& request) {
  torch::NoGradGuard no_grad;
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
    torch::Tensor scores = chunk_scores(user_table, items, request.users + u0, n);
    if (scores.isnan().any().item<bool>()) {
      fail(CLCREC_ERR_RUNTIME, "scores contain NaN (model parameters are not finite)");
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
                 const int64_t* users, int64_t num_users, float* out) {
  torch::NoGradGuard no_grad;
  const int64_t num_item = items.size(0);
  const int64_t step = chunk_rows(num_item);
  for (int64_t u0 = 0; u0 < num_users; u0 += step) {
    const int64_t n = std::min(step, num_users - u0);
    torch::Tensor scores = chunk_scores(user_table, items, users + u0, n).to(torch::kCPU).contiguous();
    std::memcpy(out + u0 * num_item, scores.data_ptr<float>(), sizeof(float) * n * num_item);
  }
}

}  // namespace clcrec
