// validation.h - argument checks shared by the C API; each throws a ClcrecError
// (CLCREC_ERR_INVALID_ARGUMENT) whose message names the argument and the problem.
#pragma once

#include <cstdint>
#include <string>

namespace clcrec {

void require_non_null(const void* pointer, const char* name);
void require_positive(int64_t value, const char* name);
void require_non_negative(int64_t value, const char* name);
// Every ids[i] must lie in lo..hi-1; the message reads "items[37] = 900 is out of range 0..612".
void require_ids_in_range(const int64_t* ids, int64_t count, int64_t lo, int64_t hi,
                          const std::string& name);
// Every value finite; the message names the first bad index.
void require_finite(const float* values, int64_t count, const std::string& name);
void require_finite(double value, const char* name);
// A product of sizes that must not overflow int64.
int64_t checked_product(int64_t a, int64_t b, const char* what);
// Copies a NUL-terminated string into buf of capacity cap, truncating; cap must be >= 1.
void copy_truncated(const std::string& text, char* buf, int64_t cap, const char* name);

}  // namespace clcrec
