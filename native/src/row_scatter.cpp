#include "row_scatter.h"

#include <algorithm>

#include <ATen/Parallel.h>

#include "simd_clones.h"

namespace clcrec {

// to[index[i]] += from[i] for the i whose row lies in [lo, hi), in index order.
CLCREC_SIMD_CLONES void add_rows_in_range(const int64_t* index, int64_t k, const float* from, int64_t d,
                                          int64_t lo, int64_t hi, float* to) {
  for (int64_t i = 0; i < k; ++i) {
    const int64_t row = index[i];
    if (row < lo || row >= hi) continue;
    float* out = to + row * d;
    const float* in = from + i * d;
    for (int64_t j = 0; j < d; ++j) out[j] += in[j];
  }
}

void scatter_add_rows(torch::Tensor& dst, const torch::Tensor& rows, const torch::Tensor& src, Kernels kernels) {
  const bool cpu_fast = kernels == Kernels::kCpu && dst.device().is_cpu() && dst.scalar_type() == torch::kFloat32 &&
                        src.scalar_type() == torch::kFloat32 && dst.is_contiguous() &&
                        src.is_contiguous() && rows.is_contiguous() &&
                        rows.scalar_type() == torch::kInt64 && dst.dim() == 2;
  if (!cpu_fast) {
    dst.index_add_(0, rows, src);
    return;
  }
  const int64_t n = dst.size(0), d = dst.size(1), k = rows.numel();
  const int64_t* index = rows.data_ptr<int64_t>();
  const float* from = src.data_ptr<float>();
  float* to = dst.data_ptr<float>();
  // ATen's index_add_ on the CPU adds one slice per index through a TensorIterator (a few
  // hundred nanoseconds each, serially); this loop is bound by memory.
  const int64_t parts = std::max<int64_t>(1, std::min<int64_t>(at::get_num_threads(), k / 4096 + 1));
  at::parallel_for(0, parts, 1, [&](int64_t first, int64_t last) {
    for (int64_t part = first; part < last; ++part) {
      add_rows_in_range(index, k, from, d, n * part / parts, n * (part + 1) / parts, to);
    }
  });
}

}  // namespace clcrec
