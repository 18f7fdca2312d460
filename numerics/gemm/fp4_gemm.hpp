// Fast driver of the golden GEMM for E2M1 x E2M1 operands (nvfp4, mxfp4, fp4, fp4-tensor) under fp32-seq (and
// blackwell-mma where the AVX-512 kernel runs).
// It packs bounded panels of A and B into int8 tiles, computes exact 16-element block sums with integer SIMD, and
// accumulates the exact terms in block order, so its bits equal the general path's (tests check every kernel).
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "numerics/gemm.hpp"
#include "numerics/gemm/operands.hpp"

namespace nvfp4::gemm_detail {

// Block-sum kernels, chosen at run time from what the CPU supports. All give the same bits.
enum class Fp4Kernel : uint8_t { Scalar, Avx2, Avx512Vnni };

std::string_view kernel_name(Fp4Kernel k);
std::vector<Fp4Kernel> available_fp4_kernels();  // Scalar first, then every SIMD kernel this CPU can run
Fp4Kernel best_fp4_kernel();

// True when the fast driver gives exactly the general path's bits: both operands E2M1, blocks of 16 or more, and
// either policy fp32-seq with block scales whose products sa * sb / 4 are exact normal fp32 numbers (always for
// UE4M3), or blackwell-mma with UE4M3/unscaled operands, or fixed:W:F with W <= 62, both free of NaN scales and on
// a CPU with the AVX-512 kernels.
bool fp4_fast_path_applies(const QuantizedTensor& a, const QuantizedTensor& b, const GemmPlan& plan,
                           const AccumPolicy& policy);

// Columns n_begin..n_end-1 of D (all rows), with the given kernel (which must be available; blackwell-mma and
// fixed need Fp4Kernel::Avx512Vnni and blackwell_simd_supported()).
void fp4_gemm(const QuantizedTensor& a, const QuantizedTensor& b, const GemmPlan& plan, const AccumPolicy& policy,
              float* d, int64_t n_begin, int64_t n_end, Fp4Kernel kernel);

// fixed:W:F and blackwell-mma over E2M1 x E2M1 (same scale conditions): integer terms fed to the policy classes.
bool fp4_policy_path_applies(const QuantizedTensor& a, const QuantizedTensor& b, const GemmPlan& plan,
                             const AccumPolicy& policy);
void fp4_policy_gemm(const QuantizedTensor& a, const QuantizedTensor& b, const GemmPlan& plan,
                     const AccumPolicy& policy, float* d, int64_t n_begin, int64_t n_end);

// ---- Packed panels shared by the driver and the kernels -------------------------------------------------------
// Reduction elements are cut into groups of 16 (one int8 SIMD step); a block of B elements is B/16 groups.
constexpr int kGroup = 16;
constexpr int kNTile = 16;     // columns of D per B tile (one 512-bit vector of int32 / fp32)
constexpr int kTileBytes = kNTile * kGroup;  // one B tile x one group: [q = 0..3][n = 0..15][4 elements]

struct PackedPanels {
  // A: rows x groups x 16 signed bytes (2 x E2M1 value, in -12..12), rows padded to a multiple of 4 with zeros.
  const int8_t* a = nullptr;
  int64_t a_row_bytes = 0;    // groups * 16
  const int32_t* a_corr = nullptr;  // rows x blocks: -12 * sum of the row's A bytes over the block
  const float* a_scale = nullptr;   // rows x blocks: sa
  int64_t a_row_blocks = 0;         // blocks per row in a_corr / a_scale
  // B: ntiles x groups x kTileBytes unsigned bytes (2 x E2M1 value + 12, in 0..24).
  const uint8_t* b = nullptr;
  const float* b_scale = nullptr;   // ntiles x blocks x 16: sb / 4
  int64_t groups = 0;               // groups in this K panel
  int64_t blocks = 0;               // blocks in this K panel
  int groups_per_block = 1;
  int64_t rows = 0;                 // padded rows (multiple of 4)
  int64_t ntiles = 0;
  // D window: rows [0, valid_rows) x columns [0, valid_cols) starting at d, row stride ldd.
  float* d = nullptr;
  int64_t ldd = 0;
  int64_t valid_rows = 0, valid_cols = 0;
  bool first_k_panel = true;        // the accumulators start at +0 instead of D's current value
  // fp32-seq kernels that finish D themselves (fp4_kernel_finishes_d): on the last K panel they store
  // fp32(acc * tensor_scale) with a NaN made nan_bits, so no second pass over D is needed.
  bool last_k_panel = false;
  float tensor_scale = 1.0f;
  uint32_t nan_bits = 0;
  // blackwell-mma only: per-group A correction, and block scales as integers: value = mant * 2^exp2, with
  // MMA-Sim's exponent. A: rows x blocks x {mant, exp2, mma_exp}; B: ntiles x blocks x {mant, exp2, mma_exp} x 16.
  const int32_t* a_gcorr = nullptr;  // rows x groups: -12 * sum of the row's A bytes over the group
  const int32_t* a_sint = nullptr;
  const int32_t* b_sint = nullptr;
  // fixed:W:F only: the W-bit registers of the panel's columns (rows x ld_acc), kept across K panels.
  int64_t* acc = nullptr;
  int64_t ld_acc = 0;
  int frac = 0;
  int64_t acc_min = 0, acc_max = 0;
};

// Each kernel accumulates acc(m, n) += term(m, n, kb) for kb in increasing order over the panel, where
// term = float(blocksum in quarter units) * (sa * sb/4); the product is exact, so an FMA gives the same bits.
void fp4_panel_scalar(const PackedPanels& p);
void fp4_panel_avx2(const PackedPanels& p);
void fp4_panel_avx512vnni(const PackedPanels& p);
// Operand unpacking for the packers (fp4_operand_reader.hpp): code bytes [0, n) as 2n E2M1 values in half units plus
// `offset`, low nibble first, 16 bytes per step by two byte shuffles; returns the bytes done (0 without AVX2 in this
// build or CPU).
int64_t unpack_code_bytes_avx2(const uint8_t* bytes, int64_t n, int8_t* out, int8_t offset);

// blackwell-mma on the same panels (AVX-512 F/BW/DQ/VNNI): group sums with vpdpbusd, then per 64-element chunk the
// MMA-Sim alignment and truncation in 64-bit lanes and the RZ conversion, exactly as BlackwellMmaAccumulator does.
// Only for UE4M3 or unscaled operands without NaN scales (no overflow possible); the driver checks that.
bool blackwell_simd_supported();
void fp4_panel_avx512_blackwell(const PackedPanels& p);
// fixed:W:F (W <= 62) on the same panels: t = floor(sum/4 * sa * sb * 2^F) by 64-bit shifts, saturating adds.
void fp4_panel_avx512_fixed(const PackedPanels& p);

}  // namespace nvfp4::gemm_detail
