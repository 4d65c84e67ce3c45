#include "split_matmul.h"

#include <algorithm>

#include <ATen/Parallel.h>

namespace clcrec {

namespace {

// Below this many multiply-adds a product is not worth splitting.
constexpr int64_t kSplitWork = int64_t{1} << 20;

bool split_on_cpu(const torch::Tensor& t, int64_t rows, int64_t work, Kernels kernels) {
  return kernels == Kernels::kCpu && t.device().is_cpu() && at::get_num_threads() > 1 && rows > 1 && work >= kSplitWork &&
         !at::in_parallel_region();
}

// Calls block(begin, end) for one range of [0, rows) per thread.
template <typename Block>
void for_each_block(int64_t rows, const Block& block) {
  const int64_t threads = std::min<int64_t>(at::get_num_threads(), rows);
  const int64_t per_block = (rows + threads - 1) / threads;
  // Grad mode is thread-local and OpenMP's workers do not inherit the caller's: these products
  // are never taped, on any thread.
  at::parallel_for(0, rows, per_block, [&](int64_t begin, int64_t end) {
    torch::NoGradGuard no_grad;
    block(begin, end);
  });
}

}  // namespace

torch::Tensor linear_rows(const torch::Tensor& input, const torch::Tensor& weight, const torch::Tensor& bias,
                          Kernels kernels) {
  const int64_t n = input.size(0), k = input.size(1), m = weight.size(0);
  if (!split_on_cpu(input, n, n * k * m, kernels)) return torch::addmm(bias, input, weight.t());
  torch::Tensor out = torch::empty({n, m}, input.options());
  const torch::Tensor weight_t = weight.t();
  for_each_block(n, [&](int64_t begin, int64_t end) {
    torch::Tensor block = out.narrow(0, begin, end - begin);
    torch::addmm_out(block, bias, input.narrow(0, begin, end - begin), weight_t);
  });
  return out;
}

torch::Tensor matmul_rows(const torch::Tensor& a, const torch::Tensor& b, Kernels kernels) {
  const int64_t n = a.size(0), k = a.size(1), m = b.size(1);
  if (!split_on_cpu(a, n, n * k * m, kernels)) return a.mm(b);
  torch::Tensor out = torch::empty({n, m}, a.options());
  for_each_block(n, [&](int64_t begin, int64_t end) {
    torch::Tensor block = out.narrow(0, begin, end - begin);
    torch::mm_out(block, a.narrow(0, begin, end - begin), b);
  });
  return out;
}

torch::Tensor weight_gradient(const torch::Tensor& grad, const torch::Tensor& input, Kernels kernels) {
  const int64_t n = grad.size(0), m = grad.size(1), k = input.size(1);
  if (!split_on_cpu(grad, m, n * k * m, kernels)) return grad.t().mm(input);
  torch::Tensor out = torch::empty({m, k}, grad.options());
  for_each_block(m, [&](int64_t begin, int64_t end) {
    torch::Tensor block = out.narrow(0, begin, end - begin);
    torch::mm_out(block, grad.narrow(1, begin, end - begin).t(), input);
  });
  return out;
}

}  // namespace clcrec
