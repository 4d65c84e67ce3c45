// group_rows.h - the two passes of the loss that touch every row of a batch: the products of
// each group's rows with its anchors (forward) and the gradient rows (backward). Everything
// else in the loss works on B x G scores.
//
// A batch has B groups of G rows, row r = b*G + g. Row r's id-table row is
// table[table_rows[B + r]] (x_r), its encoder row encoded[inverse[r]] (c_r); group b's user is
// table[table_rows[b]] (u_b), its R-E anchor normalize(x_{b*G}) (a_b).
//
// On the CPU (float32, contiguous, Kernels::kCpu) each pass is one parallel loop over groups
// that reads the rows straight from the table and the encoder output, without gathered copies;
// elsewhere (CUDA, or kernels = kGeneric) the same arithmetic as gathers, batched matrix products
// and one index_add_ per gradient.
#pragma once

#include <cstdint>

#include <torch/torch.h>

#include "kernels.h"

namespace clcrec {

struct GroupRows {
  int64_t batch_size = 0;
  int64_t group_size = 0;
  torch::Tensor table;         // N x d
  torch::Tensor table_rows;    // B + R
  torch::Tensor encoded;       // D x d
  torch::Tensor inverse;       // R
  torch::Tensor encoded_norm;  // D: ||encoded[j]||
  torch::Tensor users;         // B x d: u_b
  torch::Tensor positives;     // B x d: x_{b*G}
  torch::Tensor positive_norm; // B: ||x_{b*G}||
  torch::Tensor anchors;       // B x d: normalize(x_{b*G})
  Kernels kernels = Kernels::kCpu;  // kGeneric: never the CPU kernels
};

// B x G x 4: ||x_r||, <x_r, u_b>, <normalize(c_r), a_b>, <c_r, u_b>.
torch::Tensor group_row_products(const GroupRows& rows);

// The loss's derivatives with respect to those products (B x G each, B for user_reg).
struct GroupRowCoefficients {
  torch::Tensor re;          // d / d <normalize(c_r), a_b>
  torch::Tensor ui_item;     // d / d <x_r, u_b> (0 on hybrid rows)
  torch::Tensor ui_hybrid;   // d / d <c_r, u_b> (0 off hybrid rows)
  torch::Tensor ui_encoded;  // ui_hybrid times how often row r was drawn (credited to c_r)
  torch::Tensor item_reg;    // d / d x_r of the regulariser, as a multiple of x_r
  torch::Tensor user_reg;    // B: the same for u_b
};

struct GroupRowGradients {
  torch::Tensor table_rows;  // K id-table rows (repeats allowed: their gradients add up)
  torch::Tensor table_grad;  // K x d, row k the gradient of table[table_rows[k]]
  torch::Tensor encoded;     // D x d
};

GroupRowGradients group_row_gradients(const GroupRows& rows, const GroupRowCoefficients& coef);

namespace cpu {
bool supports(const GroupRows& rows);
torch::Tensor group_row_products(const GroupRows& rows);
GroupRowGradients group_row_gradients(const GroupRows& rows, const GroupRowCoefficients& coef);
}  // namespace cpu

}  // namespace clcrec
