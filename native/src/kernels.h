// kernels.h - which of its two implementations a function with a hand-written CPU kernel runs.
//
// The step, the optimizer and the ranking have hand-written kernels for float32 CPU tensors
// (group_rows_cpu.cpp, dense_adam.cpp, row_scatter.cpp, ranking.cpp, split_matmul.cpp and the
// finiteness scan in model.cpp) next to a device-generic path of ATen operations: the path a
// CUDA tensor takes. A model chooses once, when it is created (clcrec_config.kernels or the
// CLCREC_KERNELS environment variable), and passes its choice to each of those functions. With
// Kernels::kGeneric a CPU model runs the code a GPU would run, so a CPU test run checks it too.
#pragma once

#include <cstdint>
#include <string>

#include <torch/torch.h>

namespace clcrec {

enum class Kernels {
  kCpu,      // the hand-written CPU kernels wherever the tensors qualify (CPU, float32, contiguous)
  kGeneric,  // ATen operations only, as on CUDA
};

// The environment variable that CLCREC_KERNELS_AUTO reads.
inline constexpr const char* kKernelsVariable = "CLCREC_KERNELS";

// clcrec_config.kernels resolved for a model on device: CLCREC_KERNELS_CPU or _GENERIC as
// given; CLCREC_KERNELS_AUTO reads CLCREC_KERNELS (unset, "" or "cpu": kCpu; "generic":
// kGeneric; any other value is INVALID_ARGUMENT naming the variable). A CUDA model has no CPU
// kernels to run: it gets kGeneric whatever was asked.
Kernels resolve_kernels(int32_t requested, const torch::Device& device);

// CLCREC_KERNELS_CPU or CLCREC_KERNELS_GENERIC: the resolved choice, as the model's config reports it.
int32_t kernels_code(Kernels kernels);

// The device as a model reports it (clcrec_model_device): "cpu", "cpu (generic kernels)" or
// "cuda:0" (where the generic path is the only one).
std::string describe_device(const torch::Device& device, Kernels kernels);

}  // namespace clcrec
