#include "gradient_sync.h"

#include <cmath>

namespace clcrec {

namespace {

// Tensors at least this large are reduced in place on their own; the rest share one flattened
// bucket, so a step costs two collectives, not one per tensor, and never copies the id table.
constexpr int64_t kInPlaceElements = int64_t{1} << 20;

bool own_collective(const torch::Tensor& t) { return t.numel() >= kInPlaceElements; }

}  // namespace

void broadcast_parameters(DistributedGroup& group, const std::vector<torch::Tensor>& parameters) {
  torch::NoGradGuard no_grad;
  const torch::Device device = group.device();
  std::vector<torch::Tensor> small, large;
  for (const auto& p : parameters) (own_collective(p) && p.device() == device && p.is_contiguous() ? large : small).push_back(p);
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

clcrec_step_result synchronize_gradients(DistributedGroup& group,
                                         const std::vector<torch::Tensor>& parameters,
                                         int64_t slice_size, const clcrec_step_result& local) {
  torch::NoGradGuard no_grad;
  const torch::Device device = group.device();
  const double weight = static_cast<double>(slice_size);
  std::vector<torch::Tensor> small, large;
  for (const auto& p : parameters) {
    torch::Tensor g = p.grad();
    if (!g.defined()) {
      g = torch::zeros_like(p);
      p.mutable_grad() = g;
    }
    if (own_collective(g) && g.device() == device && g.is_contiguous()) {
      g.mul_(weight);
      large.push_back(g);
    } else {
      small.push_back(g);
    }
  }
  // Losses, the slice size, and the small gradients in one float32 bucket (the losses are
  // float32 on the device anyway).
  std::vector<torch::Tensor> flat;
  const double losses[6] = {local.loss, local.loss_re, local.loss_ui, local.reg, local.mat, 1.0};
  torch::Tensor head = torch::empty({6}, torch::kFloat32);
  for (int i = 0; i < 6; ++i) head[i] = slice_size > 0 ? losses[i] * weight : 0.0;
  // A non-finite local loss must reach every rank even from a rank that skipped backward.
  if (slice_size > 0 && !std::isfinite(local.loss)) head[0] = std::nanf("");
  flat.push_back(head.to(device));
  for (const auto& g : small) flat.push_back(g.reshape({-1}).to(device) * weight);
  std::vector<torch::Tensor> bucket{torch::cat(flat)};
  group.all_reduce_sum(bucket, "all-reduce of the gradients");
  for (auto& g : large) {
    std::vector<torch::Tensor> one{g};
    group.all_reduce_sum(one, "all-reduce of the gradients");
  }
  torch::Tensor reduced = bucket[0];
  torch::Tensor totals = reduced.narrow(0, 0, 6).to(torch::kCPU, torch::kFloat64);
  const double* t = totals.data_ptr<double>();
  const double global = t[5] > 0 ? t[5] : 1.0;
  int64_t offset = 6;
  for (auto& g : small) {
    g.copy_(reduced.narrow(0, offset, g.numel()).view(g.sizes()) / global);
    offset += g.numel();
  }
  for (auto& g : large) g.div_(global);
  clcrec_step_result result;
  result.loss = t[0] / global;
  result.loss_re = t[1] / global;
  result.loss_ui = t[2] / global;
  result.reg = t[3] / global;
  result.mat = t[4] / global;
  return result;
}

}  // namespace clcrec
