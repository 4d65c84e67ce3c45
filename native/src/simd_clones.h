// simd_clones.h - one source, several instruction sets: CLCREC_SIMD_CLONES compiles a function
// once per x86-64 vector extension (AVX-512, AVX2, the SSE2 baseline) and picks the best the
// CPU has when the library loads (GCC function multi-versioning, an ifunc). The shipped library
// must run on any x86-64 machine, so -march=native is not an option, and the CPU kernels
// (row passes, Adam, scatter) are bound by how many floats an instruction handles.
//
// The build turns floating-point contraction off (CMakeLists.txt), so every clone performs the
// same IEEE operations in the same order: the results are bit-identical whichever clone runs.
// A marked function should be `flatten` too (the macro says so), so the helpers it calls are
// inlined and compiled for the clone's instruction set.
#pragma once

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__CUDACC__)
#define CLCREC_SIMD_CLONES __attribute__((target_clones("avx512f", "avx2", "default"), flatten))
#else
#define CLCREC_SIMD_CLONES
#endif
