#include "validation.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "error_boundary.h"

namespace clcrec {

void require_non_null(const void* pointer, const char* name) {
  if (pointer == nullptr) invalid_argument(std::string(name) + " must not be NULL");
}

void require_positive(int64_t value, const char* name) {
  if (value <= 0) {
    invalid_argument(std::string(name) + " = " + std::to_string(value) + " must be positive");
  }
}

void require_non_negative(int64_t value, const char* name) {
  if (value < 0) {
    invalid_argument(std::string(name) + " = " + std::to_string(value) + " must not be negative");
  }
}

void require_ids_in_range(const int64_t* ids, int64_t count, int64_t lo, int64_t hi,
                          const std::string& name) {
  for (int64_t i = 0; i < count; ++i) {
    if (ids[i] < lo || ids[i] >= hi) {
      invalid_argument(name + "[" + std::to_string(i) + "] = " + std::to_string(ids[i]) +
                       " is out of range " + std::to_string(lo) + ".." + std::to_string(hi - 1));
    }
  }
}

void require_finite(const float* values, int64_t count, const std::string& name) {
  for (int64_t i = 0; i < count; ++i) {
    if (!std::isfinite(values[i])) {
      invalid_argument(name + "[" + std::to_string(i) + "] = " + std::to_string(values[i]) +
                       " is not finite");
    }
  }
}

void require_finite(double value, const char* name) {
  if (!std::isfinite(value)) {
    invalid_argument(std::string(name) + " = " + std::to_string(value) + " is not finite");
  }
}

int64_t checked_product(int64_t a, int64_t b, const char* what) {
  if (a < 0 || b < 0 || (a != 0 && b > std::numeric_limits<int64_t>::max() / a)) {
    invalid_argument(std::string(what) + " is too large (" + std::to_string(a) + " x " +
                     std::to_string(b) + ")");
  }
  return a * b;
}

void copy_truncated(const std::string& text, char* buf, int64_t cap, const char* name) {
  require_non_null(buf, name);
  if (cap < 1) invalid_argument(std::string("capacity of ") + name + " = " + std::to_string(cap) + " must be at least 1");
  size_t n = std::min<size_t>(text.size(), static_cast<size_t>(cap - 1));
  std::memcpy(buf, text.data(), n);
  buf[n] = '\0';
}

}  // namespace clcrec
