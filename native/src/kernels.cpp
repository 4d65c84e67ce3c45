#include "kernels.h"

#include <cstdlib>

#include "clcrec.h"
#include "error_boundary.h"

namespace clcrec {

namespace {

Kernels from_environment() {
  const char* value = std::getenv(kKernelsVariable);
  const std::string v = value == nullptr ? "" : value;
  if (v.empty() || v == "cpu") return Kernels::kCpu;
  if (v == "generic") return Kernels::kGeneric;
  invalid_argument(std::string("environment variable ") + kKernelsVariable + " = '" + v +
                   "' is neither 'cpu' (the default) nor 'generic'");
}

}  // namespace

Kernels resolve_kernels(int32_t requested, const torch::Device& device) {
  Kernels kernels = Kernels::kCpu;
  switch (requested) {
    case CLCREC_KERNELS_AUTO:
      kernels = from_environment();
      break;
    case CLCREC_KERNELS_CPU:
      kernels = Kernels::kCpu;
      break;
    case CLCREC_KERNELS_GENERIC:
      kernels = Kernels::kGeneric;
      break;
    default:
      invalid_argument("config.kernels = " + std::to_string(requested) +
                       " is not CLCREC_KERNELS_AUTO (0), CPU (1) or GENERIC (2)");
  }
  return device.is_cpu() ? kernels : Kernels::kGeneric;
}

int32_t kernels_code(Kernels kernels) {
  return kernels == Kernels::kGeneric ? CLCREC_KERNELS_GENERIC : CLCREC_KERNELS_CPU;
}

std::string describe_device(const torch::Device& device, Kernels kernels) {
  if (device.is_cpu() && kernels == Kernels::kGeneric) return device.str() + " (generic kernels)";
  return device.str();
}

}  // namespace clcrec
