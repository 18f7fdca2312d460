// What a quantized tensor is: its scheme, recipe, block shape and rounding (NVFP4_SPEC.md sections 3-4).
// Names are the canonical strings used everywhere (CLI options, .npz metadata, YAML, Python).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace nvfp4 {

enum class Scheme : uint8_t {
  NVFP4,      // "nvfp4": E2M1 + UE4M3 per block of B (16) + FP32 per tensor
  MXFP4,      // "mxfp4": E2M1 + UE8M0 per block of 32 (OCP MX v1.0)
  FP4,        // "fp4": plain E2M1 cast, no scale at all (the "unscaled FP4" ablation)
  FP4Tensor,  // "fp4-tensor": E2M1 with one per-tensor FP32 scale A/6
  FP8,        // "fp8": E4M3 with one per-tensor FP32 scale
  FP16,       // "fp16": IEEE half, no scale (weights kept in FP16)
  INT4,       // "int4": symmetric int4 per group of B (16 or 32), FP16 scale per group
};

enum class Recipe : uint8_t {
  None,      // "none": schemes without a recipe choice
  TE,        // "te" (nvfp4 default): TransformerEngine
  TorchAO,   // "torchao"
  ModelOpt,  // "modelopt"
  Cutlass,   // "cutlass"
  Floor,     // "floor" (mxfp4 default): OCP / torchao scale
  RCeil,     // "rceil" (mxfp4): cuBLAS / torchao RCEIL scale
};

enum class Rounding : uint8_t { RN, SR };  // "rn", "sr"

// The side of a 2-D scale block (weights): 16 rows x 16 columns.
constexpr int kBlock2dSide = 16;

struct QuantSpec {
  Scheme scheme = Scheme::NVFP4;
  Recipe recipe = Recipe::TE;
  int block = 16;                 // elements per block along the reduction dim: 1, 2, 4, ..., 256
  bool block_2d = false;          // true: one scale per kBlock2dSide^2 tile (weights); requires block == 16
  Rounding rounding = Rounding::RN;
  uint64_t seed = 0;              // Philox key for Rounding::SR
  bool follow_hardware_on_nonfinite = false;  // false: NaN/Inf input is refused naming its position

  // The default spec of a scheme (recipe and block filled in: nvfp4 te/16, mxfp4 floor/32, int4 none/32, ...).
  static QuantSpec defaults_for(Scheme s);
  // Throws nvfp4::Error naming the field when the combination is impossible (e.g. mxfp4 with recipe te).
  void validate() const;
  // Human-readable, e.g. "nvfp4/te/B16/1d/rn".
  std::string describe() const;
};

// String <-> enum. parse_* throw nvfp4::Error listing the accepted names.
Scheme parse_scheme(std::string_view);
Recipe parse_recipe(std::string_view);
Rounding parse_rounding(std::string_view);
std::string_view to_string(Scheme);
std::string_view to_string(Recipe);
std::string_view to_string(Rounding);

// Bits per element of the element code: 4 (E2M1, int4), 8 (fp8), 16 (fp16).
int code_bits(Scheme);
// Bytes per stored block/tensor scale code: 1 (UE4M3, UE8M0), 2 (int4's fp16), 0 (no block scale).
int scale_bytes(Scheme);
bool has_block_scale(Scheme);

// Stored shape of a rows x cols tensor (NVFP4_SPEC.md section 6), the one definition for every reader and writer.
// Bytes of element codes per row: 4-bit codes two per byte, each row starting on a byte.
int64_t code_row_bytes(Scheme, int64_t cols);
// The block-scale grid in scales (not bytes): 1-D blocks rows x ceil(cols / B); 2-D blocks ceil(rows / 16) x
// ceil(cols / 16); 0 x 0 when the scheme has no block scale.
struct ScaleGrid {
  int64_t rows = 0, cols = 0;
};
ScaleGrid scale_grid(const QuantSpec&, int64_t rows, int64_t cols);
// The grid row that holds tensor row r's block scales.
inline int64_t scale_grid_row(const QuantSpec& spec, int64_t r) { return spec.block_2d ? r / kBlock2dSide : r; }

// Storage cost in bits per element of a rows x cols tensor (cols = reduction dim), counting codes, block scales and
// the per-tensor scale: 4 + 8/B + 32/N for NVFP4 with N = rows * cols elements.
double bits_per_element(const QuantSpec&, int64_t rows, int64_t cols);

}  // namespace nvfp4
