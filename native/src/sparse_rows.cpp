#include "sparse_rows.h"

#include <cmath>
#include <memory>
#include <sstream>
#include <type_traits>

namespace clcrec {

namespace {

// The optimizer's state map is keyed by the parameter's TensorImpl: as a string in LibTorch 1.x,
// as a pointer in 2.x (the same rule as dense_adam.cpp, so both find the same state).
template <typename Map>
typename Map::key_type state_key(const Map&, const torch::Tensor& param) {
  if constexpr (std::is_same_v<typename Map::key_type, std::string>) {
    std::ostringstream key;
    key << static_cast<const void*>(param.unsafeGetTensorImpl());
    return key.str();
  } else {
    return static_cast<typename Map::key_type>(param.unsafeGetTensorImpl());
  }
}

}  // namespace

RowGradient coalesce_rows(const torch::Tensor& ids, const torch::Tensor& rows) {
  torch::NoGradGuard no_grad;
  auto [unique, inverse] = at::_unique(ids, /*sorted=*/true, /*return_inverse=*/true);
  RowGradient g;
  g.ids = unique;
  g.rows = torch::zeros({unique.size(0), rows.size(1)}, rows.options()).index_add_(0, inverse, rows);
  return g;
}

RowGradient exchange_row_gradients(DistributedGroup& group, const RowGradient& local, int64_t slice_size,
                                   int64_t dim) {
  torch::NoGradGuard no_grad;
  const torch::Device device = group.device();
  const int world = group.size(), rank = group.rank();
  const int64_t count = local.ids.defined() ? local.ids.size(0) : 0;
  // Per rank: its number of touched rows, then its slice size.
  torch::Tensor counts = torch::zeros({2 * world}, torch::TensorOptions().dtype(torch::kFloat64));
  counts[rank] = static_cast<double>(count);
  counts[world + rank] = static_cast<double>(slice_size);
  std::vector<torch::Tensor> c{counts.to(device)};
  group.all_reduce_sum(c, "all-reduce of the touched-row counts");
  torch::Tensor all = c[0].to(torch::kCPU);
  const double* a = all.data_ptr<double>();
  int64_t most = 0;
  double global = 0;
  for (int r = 0; r < world; ++r) {
    most = std::max<int64_t>(most, static_cast<int64_t>(a[r]));
    global += a[world + r];
  }
  if (global <= 0) global = 1;
  // Each rank fills its own block of a world x most table; the sum of the blocks is the gather.
  // Ids travel as float64 (exact up to 2^53) shifted by one, so that 0 marks padding.
  torch::Tensor ids = torch::zeros({world, most}, torch::TensorOptions().dtype(torch::kFloat64).device(device));
  torch::Tensor rows = torch::zeros({world, most, dim}, torch::TensorOptions().dtype(torch::kFloat32).device(device));
  if (count > 0) {
    ids[rank].narrow(0, 0, count).copy_(local.ids.to(device, torch::kFloat64) + 1.0);
    rows[rank].narrow(0, 0, count).copy_(local.rows.to(device) * static_cast<double>(slice_size));
  }
  std::vector<torch::Tensor> bucket_ids{ids.view({-1})};
  std::vector<torch::Tensor> bucket_rows{rows.view({-1})};
  group.all_reduce_sum(bucket_ids, "all-reduce of the touched row ids");
  group.all_reduce_sum(bucket_rows, "all-reduce of the touched rows");
  torch::Tensor flat_ids = bucket_ids[0];
  torch::Tensor valid = (flat_ids > 0.5).nonzero().view({-1});
  torch::Tensor merged_ids = (flat_ids.index_select(0, valid) - 1.0).round().to(torch::kInt64);
  torch::Tensor merged_rows = bucket_rows[0].view({world * most, dim}).index_select(0, valid);
  RowGradient g = coalesce_rows(merged_ids, merged_rows);
  g.rows.div_(global);
  return g;
}

RowGradient merge_row_gradients(const std::vector<RowGradient>& slices, const std::vector<int64_t>& slice_sizes) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> ids, rows;
  double global = 0;
  for (size_t s = 0; s < slices.size(); ++s) {
    global += static_cast<double>(slice_sizes[s]);
    if (!slices[s].ids.defined() || slices[s].ids.numel() == 0) continue;
    ids.push_back(slices[s].ids);
    rows.push_back(slices[s].rows * static_cast<double>(slice_sizes[s]));
  }
  if (global <= 0) global = 1;
  if (ids.empty()) return slices.front();  // nothing touched: the (empty) rows of the first slice
  // The exchange's padding zeros need no counterpart here: coalesce_rows adds every row to a
  // zero, which turns -0 into +0 either way, and leaves every other value as it is.
  RowGradient g = coalesce_rows(torch::cat(ids), torch::cat(rows));
  g.rows.div_(global);
  return g;
}

void lazy_adam_step(torch::optim::Adam& optimizer, const torch::Tensor& param, const RowGradient& g) {
  torch::NoGradGuard no_grad;
  auto& states = optimizer.state();
  auto key = state_key(states, param);
  auto found = states.find(key);
  if (found == states.end()) {
    auto state = std::make_unique<torch::optim::AdamParamState>();
    state->step(0);
    state->exp_avg(torch::zeros_like(param, torch::MemoryFormat::Preserve));
    state->exp_avg_sq(torch::zeros_like(param, torch::MemoryFormat::Preserve));
    found = states.emplace(key, std::move(state)).first;
  }
  auto& state = static_cast<torch::optim::AdamParamState&>(*found->second);
  const auto& options = static_cast<const torch::optim::AdamOptions&>(optimizer.param_groups()[0].options());
  state.step(state.step() + 1);
  const double beta1 = std::get<0>(options.betas()), beta2 = std::get<1>(options.betas());
  const double bc1 = 1 - std::pow(beta1, static_cast<double>(state.step()));
  const double bc2 = 1 - std::pow(beta2, static_cast<double>(state.step()));
  if (!g.ids.defined() || g.ids.numel() == 0) return;
  // Dense Adam's arithmetic (dense_adam.cpp), on the gathered rows, scattered back.
  torch::Tensor m = state.exp_avg().index_select(0, g.ids).mul_(beta1).add_(g.rows, 1 - beta1);
  torch::Tensor v = state.exp_avg_sq().index_select(0, g.ids).mul_(beta2).addcmul_(g.rows, g.rows, 1 - beta2);
  torch::Tensor denom = (v.sqrt() / std::sqrt(bc2)).add_(options.eps());
  torch::Tensor p = param.index_select(0, g.ids).add_(m / denom, -options.lr() / bc1);
  state.exp_avg().index_copy_(0, g.ids, m);
  state.exp_avg_sq().index_copy_(0, g.ids, v);
  param.index_copy_(0, g.ids, p);
}

}  // namespace clcrec
