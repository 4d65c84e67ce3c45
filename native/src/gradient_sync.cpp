#include "gradient_sync.h"

#include <cmath>

namespace clcrec {

namespace {

// Tensors at least this large are reduced in place on their own; the rest share one flattened
// bucket, so a step costs two collectives, not one per tensor, and never copies the id table.
constexpr int64_t kInPlaceElements = int64_t{1} << 20;
constexpr int64_t kHead = 6;  // the bucket's leading values: 5 losses and the slice size

// The tensors (parameters, gradients) that travel on their own (large, contiguous, already on the
// collective's device); the same rule on every rank and in a replay, so that the layouts match.
bool travels_alone(const torch::Tensor& g, const torch::Device& device) {
  return g.numel() >= kInPlaceElements && g.device() == device && g.is_contiguous();
}

torch::Tensor gradient_of(const torch::Tensor& p) {
  if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
  return p.grad();
}

}  // namespace

void broadcast_parameters(DistributedGroup& group, const std::vector<torch::Tensor>& parameters) {
  torch::NoGradGuard no_grad;
  const torch::Device device = group.device();
  std::vector<torch::Tensor> small, large;
  for (const auto& p : parameters) (travels_alone(p, device) ? large : small).push_back(p);
  std::vector<torch::Tensor> flat;
  for (const auto& p : small) flat.push_back(p.detach().reshape({-1}).to(device, torch::kFloat32));
  std::vector<torch::Tensor> buffers;
  if (!flat.empty()) buffers.push_back(torch::cat(flat));
  for (const auto& p : large) buffers.push_back(p.detach());
  for (auto& b : buffers) {
    std::vector<torch::Tensor> one{b};
    group.broadcast(one, 0, "broadcast of the initial parameters from rank 0");
  }
  if (flat.empty()) return;
  int64_t offset = 0;
  for (const auto& p : small) {
    p.detach().copy_(buffers[0].narrow(0, offset, p.numel()).view(p.sizes()));
    offset += p.numel();
  }
}

WeightedGradients weigh_gradients(const std::vector<torch::Tensor>& parameters, int64_t slice_size,
                                  const clcrec_step_result& local, const torch::Device& device, bool in_place) {
  torch::NoGradGuard no_grad;
  const double weight = static_cast<double>(slice_size);
  WeightedGradients out;
  std::vector<torch::Tensor> flat;
  // Losses and the slice size lead the float32 bucket (the losses are float32 on the device anyway).
  const double losses[kHead] = {local.loss, local.loss_re, local.loss_ui, local.reg, local.mat, 1.0};
  torch::Tensor head = torch::empty({kHead}, torch::kFloat32);
  for (int i = 0; i < kHead; ++i) head[i] = slice_size > 0 ? losses[i] * weight : 0.0;
  // A non-finite local loss must reach every rank even from a rank that skipped backward.
  if (slice_size > 0 && !std::isfinite(local.loss)) head[0] = std::nanf("");
  flat.push_back(head.to(device));
  for (const auto& p : parameters) {
    torch::Tensor g = gradient_of(p);
    if (travels_alone(g, device)) {
      out.large.push_back(in_place ? g.mul_(weight) : g * weight);
    } else {
      flat.push_back(g.reshape({-1}).to(device) * weight);
    }
  }
  out.bucket = torch::cat(flat);
  return out;
}

void add_weighted(WeightedGradients& sum, const WeightedGradients& part) {
  torch::NoGradGuard no_grad;
  sum.bucket.add_(part.bucket);
  for (size_t i = 0; i < sum.large.size(); ++i) sum.large[i].add_(part.large[i]);
}

clcrec_step_result finish_weighted(WeightedGradients& sum, const std::vector<torch::Tensor>& parameters) {
  torch::NoGradGuard no_grad;
  torch::Tensor totals = sum.bucket.narrow(0, 0, kHead).to(torch::kCPU, torch::kFloat64);
  const double* t = totals.data_ptr<double>();
  const double global = t[5] > 0 ? t[5] : 1.0;
  int64_t offset = kHead;
  size_t next_large = 0;
  const torch::Device device = sum.bucket.device();
  for (const auto& p : parameters) {
    torch::Tensor g = gradient_of(p);
    if (travels_alone(g, device)) {
      torch::Tensor& reduced = sum.large[next_large++];
      reduced.div_(global);
      if (!reduced.is_same(g)) g.copy_(reduced);
    } else {
      g.copy_(sum.bucket.narrow(0, offset, g.numel()).view(g.sizes()) / global);
      offset += g.numel();
    }
  }
  clcrec_step_result result;
  result.loss = t[0] / global;
  result.loss_re = t[1] / global;
  result.loss_ui = t[2] / global;
  result.reg = t[3] / global;
  result.mat = t[4] / global;
  return result;
}

namespace {

// ((parts[0] + parts[1]) + parts[2]) + ..., each part as a rank sent it.
WeightedGradients sum_in_rank_order(DistributedGroup& group, const WeightedGradients& local) {
  const char* what = "all-gather of the gradients (rank-order reduction)";
  std::vector<torch::Tensor> buckets = group.all_gather(local.bucket, what);
  std::vector<std::vector<torch::Tensor>> large;
  for (const auto& g : local.large) large.push_back(group.all_gather(g, what));
  WeightedGradients sum;
  sum.bucket = buckets[0];
  for (auto& copies : large) sum.large.push_back(copies[0]);
  for (int r = 1; r < group.size(); ++r) {
    WeightedGradients part;
    part.bucket = buckets[r];
    for (auto& copies : large) part.large.push_back(copies[r]);
    add_weighted(sum, part);
  }
  return sum;
}

}  // namespace

clcrec_step_result synchronize_gradients(DistributedGroup& group,
                                         const std::vector<torch::Tensor>& parameters,
                                         int64_t slice_size, const clcrec_step_result& local,
                                         ReductionOrder order) {
  torch::NoGradGuard no_grad;
  WeightedGradients weighted = weigh_gradients(parameters, slice_size, local, group.device(), /*in_place=*/true);
  if (order == ReductionOrder::kRankOrder) {
    WeightedGradients sum = sum_in_rank_order(group, weighted);
    return finish_weighted(sum, parameters);
  }
  std::vector<torch::Tensor> bucket{weighted.bucket};
  group.all_reduce_sum(bucket, "all-reduce of the gradients");
  for (auto& g : weighted.large) {
    std::vector<torch::Tensor> one{g};
    group.all_reduce_sum(one, "all-reduce of the gradients");
  }
  weighted.bucket = bucket[0];
  return finish_weighted(weighted, parameters);
}

}  // namespace clcrec
