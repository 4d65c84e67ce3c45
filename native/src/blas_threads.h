// blas_threads.h - keeps the BLAS from starting threads of its own (split_matmul.h says why).
#pragma once

namespace clcrec {

// If the loaded BLAS is OpenBLAS (Debian's LibTorch links it, with its own pthread pool),
// tells it to run every call on the calling thread. MKL needs nothing: it runs on OpenMP's
// threads, and single-threaded inside a parallel region. Idempotent and thread-safe.
void use_single_threaded_blas();

}  // namespace clcrec
