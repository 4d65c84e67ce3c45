// fold_in.h - fits a new user's embedding to frozen item representations (the U-I objective).
#pragma once

#include <cstdint>

namespace clcrec {

struct FoldInSettings {
  double temp_value;
  double reg_weight;
  double learning_rate;
  int32_t num_steps;
};

// items: num_rows x dim row-major, positives first; user: dim floats, start on entry, result on return.
void fold_in_user(const float* items, int64_t num_rows, int64_t dim, int64_t num_positive,
                  const FoldInSettings& settings, float* user);

}  // namespace clcrec
