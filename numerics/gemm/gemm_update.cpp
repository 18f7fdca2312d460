// nvfp4::gemm_update_into: D = A x B^T from a known D_ref = A_ref x B_ref^T when A and B differ from A_ref and B_ref
// in a few stored rows (a design sweep's operands read back through different SRAM faults). Output element (m, n)
// depends only on row m of A, row n of B, the tensor scales and the policy (the drivers never mix rows), so it is
// computed again only where row m of A or row n of B differs; every other element is D_ref's: the same bits as a
// full gemm_into.
#include "numerics/gemm.hpp"

#include <algorithm>
#include <cstring>

#include "numerics/ceil_div.hpp"
#include "numerics/gemm/fp4_gemm.hpp"
#include "numerics/quant_spec.hpp"

namespace nvfp4 {
namespace {

// Bytes of row r's block scales (1-D blocks: [rows][blocks_per_row]); 0 when unscaled.
int64_t row_scale_bytes(const QuantizedTensor& t) {
  return has_block_scale(t.spec.scheme) ? t.blocks_per_row() * scale_bytes(t.spec.scheme) : 0;
}

// Same spec, shape and tensor-scale bits, and 1-D blocks (a 2-D block scale is shared by 16 rows).
bool comparable(const QuantizedTensor& x, const QuantizedTensor& ref) {
  return x.rows == ref.rows && x.cols == ref.cols && !x.spec.block_2d && x.spec.describe() == ref.spec.describe() &&
         std::memcmp(&x.tensor_scale, &ref.tensor_scale, sizeof(float)) == 0 && x.codes.size() == ref.codes.size() &&
         x.scales.size() == ref.scales.size();
}

std::vector<int64_t> differing_rows(const QuantizedTensor& x, const QuantizedTensor& ref) {
  const int64_t cs = x.row_stride_bytes(), ss = row_scale_bytes(x);
  std::vector<int64_t> rows;
  for (int64_t r = 0; r < x.rows; ++r) {
    if (std::memcmp(x.codes.data() + r * cs, ref.codes.data() + r * cs, static_cast<size_t>(cs)) != 0 ||
        (ss > 0 && std::memcmp(x.scales.data() + r * ss, ref.scales.data() + r * ss, static_cast<size_t>(ss)) != 0)) {
      rows.push_back(r);
    }
  }
  return rows;
}

// The tensor made of rows `rows` of x.
QuantizedTensor take_rows(const QuantizedTensor& x, const std::vector<int64_t>& rows) {
  QuantizedTensor t{x.spec, static_cast<int64_t>(rows.size()), x.cols, {}, {}, x.tensor_scale};
  const int64_t cs = x.row_stride_bytes(), ss = row_scale_bytes(x);
  t.codes.resize(static_cast<size_t>(t.rows * cs));
  t.scales.resize(static_cast<size_t>(t.rows * ss));
  for (size_t i = 0; i < rows.size(); ++i) {
    std::memcpy(t.codes.data() + static_cast<int64_t>(i) * cs, x.codes.data() + rows[i] * cs, static_cast<size_t>(cs));
    if (ss > 0) {
      std::memcpy(t.scales.data() + static_cast<int64_t>(i) * ss, x.scales.data() + rows[i] * ss,
                  static_cast<size_t>(ss));
    }
  }
  return t;
}

}  // namespace

bool gemm_update_into(const float* d_ref, const QuantizedTensor& a_ref, const QuantizedTensor& b_ref,
                      const QuantizedTensor& a, const QuantizedTensor& b, const AccumPolicy& policy, float* d,
                      double max_fraction) {
  if (!comparable(a, a_ref) || !comparable(b, b_ref)) return false;
  const std::vector<int64_t> rows = differing_rows(a, a_ref), cols = differing_rows(b, b_ref);
  const int64_t M = a.rows, N = b.rows;
  // A column update packs all of A again and runs the fast driver's whole column tiles: worth it only when it skips
  // half the tiles.
  using gemm_detail::kNTile;
  const int64_t tiles = ceil_div(N, int64_t{kNTile});
  const int64_t col_tiles = ceil_div(static_cast<int64_t>(cols.size()), int64_t{kNTile});
  if (static_cast<double>(rows.size()) > max_fraction * static_cast<double>(M) ||
      static_cast<double>(cols.size()) > max_fraction * static_cast<double>(N) || (!cols.empty() && 2 * col_tiles > tiles)) {
    return false;
  }
  if (d != d_ref) std::memcpy(d, d_ref, static_cast<size_t>(M * N) * sizeof(float));
  if (!rows.empty()) {  // rows of D whose A row differs: every column
    std::vector<float> part(rows.size() * static_cast<size_t>(N));
    gemm_into(take_rows(a, rows), b, policy, part.data(), 1);
    for (size_t i = 0; i < rows.size(); ++i) {
      std::memcpy(d + rows[i] * N, part.data() + i * static_cast<size_t>(N), static_cast<size_t>(N) * sizeof(float));
    }
  }
  if (!cols.empty()) {  // columns of D whose B row differs: every row
    const int64_t nc = static_cast<int64_t>(cols.size());
    std::vector<float> part(static_cast<size_t>(M * nc));
    gemm_into(a, take_rows(b, cols), policy, part.data(), 1);
    for (int64_t m = 0; m < M; ++m) {
      for (int64_t j = 0; j < nc; ++j) d[m * N + cols[static_cast<size_t>(j)]] = part[static_cast<size_t>(m * nc + j)];
    }
  }
  return true;
}

}  // namespace nvfp4
