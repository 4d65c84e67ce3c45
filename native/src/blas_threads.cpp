#include "blas_threads.h"

#include <dlfcn.h>
#include <link.h>

#include <mutex>

namespace clcrec {

namespace {

using SetThreads = void (*)(int);

// The JVM loads this library (and so LibTorch and its BLAS) with RTLD_LOCAL, where
// dlsym(RTLD_DEFAULT, ...) does not look: ask each loaded object by name instead.
int set_openblas_threads(struct dl_phdr_info* info, size_t, void*) {
  if (info->dlpi_name == nullptr || info->dlpi_name[0] == '\0') return 0;
  void* handle = dlopen(info->dlpi_name, RTLD_LAZY | RTLD_NOLOAD);
  if (handle == nullptr) return 0;
  auto set_threads = reinterpret_cast<SetThreads>(dlsym(handle, "openblas_set_num_threads"));
  if (set_threads != nullptr) set_threads(1);
  dlclose(handle);
  return set_threads != nullptr ? 1 : 0;  // 1 stops the iteration
}

}  // namespace

void use_single_threaded_blas() {
  static std::once_flag once;
  std::call_once(once, [] { dl_iterate_phdr(set_openblas_threads, nullptr); });
}

}  // namespace clcrec
