// Internal: the one quantizer of every block-scaled scheme (nvfp4 recipes, mxfp4, int4). What differs between recipes
// is only how the tensor and block scales are computed from the amaxes (a BlockScaleRecipe, one file per recipe);
// the block walk (1-D / 2-D, partial blocks), the element rounding (rn / sr) and the packing are shared here.
#pragma once
#include <cstdint>
#include <memory>

#include "numerics/quantize.hpp"

namespace nvfp4::detail {

// E2M1: hardware conversion (sign bit kept, -0 -> 0x8). E2M1UnsignedZero: the same except that a zero result of a
// value that is not < 0 (i.e. -0.0) gets code 0x0 (ModelOpt's _cast_fp4). Int4: symmetric two's complement nibble.
enum class ElementKind : uint8_t { E2M1, E2M1UnsignedZero, Int4 };

// Tensor-level constants a recipe derives from the tensor amax A (meaning is recipe-specific).
struct TensorConstants {
  float k0 = 1.0f, k1 = 1.0f, k2 = 1.0f;
};

// One block's stored scale code and the factor applied to its elements: v = x * factor, or x / factor when the
// recipe divides (BlockScaleRecipe::divides()).
struct BlockScale {
  uint32_t code = 0;
  float factor = 1.0f;
};

class BlockScaleRecipe {
 public:
  virtual ~BlockScaleRecipe() = default;
  virtual bool needs_tensor_amax() const = 0;
  virtual TensorConstants tensor_constants(float amax) const = 0;
  virtual float stored_tensor_scale(const TensorConstants& t) const = 0;  // QuantizedTensor::tensor_scale
  virtual BlockScale block_scale(float block_amax, const TensorConstants& t) const = 0;
  // block_scale of n blocks (a row's): one virtual call per row; a final recipe overrides it to inline block_scale.
  virtual void block_scales(const float* block_amax, int64_t n, const TensorConstants& t, BlockScale* out) const {
    for (int64_t i = 0; i < n; ++i) out[i] = block_scale(block_amax[i], t);
  }
  virtual bool divides() const = 0;
  virtual ElementKind element() const = 0;
  virtual float decode_scale(uint32_t code) const = 0;  // block scale value used by dequantize
};

class BlockScaledQuantizer final : public Quantizer {
 public:
  BlockScaledQuantizer(const QuantSpec& spec, std::unique_ptr<BlockScaleRecipe> recipe);
  float scan_rows(const float* x, int64_t r0, int64_t n, int64_t cols) const override;
  QuantizedTensor begin(int64_t rows, int64_t cols, float amax) const override;
  void encode_rows(const float* x, int64_t r0, int64_t n, float amax, QuantizedTensor& q) const override;
  void dequantize(const QuantizedTensor& q, float* out) const override;

 private:
  QuantSpec spec_;
  std::unique_ptr<BlockScaleRecipe> recipe_;
};

// Recipes, one per file.
std::unique_ptr<BlockScaleRecipe> make_nvfp4_te_recipe();        // nvfp4_te.cpp
std::unique_ptr<BlockScaleRecipe> make_nvfp4_torchao_recipe();   // nvfp4_torchao.cpp
std::unique_ptr<BlockScaleRecipe> make_nvfp4_modelopt_recipe();  // nvfp4_modelopt.cpp
std::unique_ptr<BlockScaleRecipe> make_nvfp4_cutlass_recipe();   // nvfp4_cutlass.cpp
std::unique_ptr<BlockScaleRecipe> make_mxfp4_floor_recipe();     // mxfp4_scales.cpp
std::unique_ptr<BlockScaleRecipe> make_mxfp4_rceil_recipe();     // mxfp4_scales.cpp
std::unique_ptr<BlockScaleRecipe> make_int4_recipe();            // int4_scale.cpp

}  // namespace nvfp4::detail
