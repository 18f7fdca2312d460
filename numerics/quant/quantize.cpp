// Picks the quantizer of a spec (quantize.hpp): block-scaled schemes share BlockScaledQuantizer with one recipe
// object each; unscaled and per-tensor-scaled schemes use PerTensorQuantizer.
#include "numerics/quantize.hpp"

#include "numerics/error.hpp"
#include "numerics/quant/block_scaled.hpp"
#include "numerics/quant/per_tensor.hpp"
#include "numerics/quant/tensor_scan.hpp"

namespace nvfp4 {
namespace {

std::unique_ptr<detail::BlockScaleRecipe> recipe_for(const QuantSpec& s) {
  switch (s.recipe) {
    case Recipe::TE: return detail::make_nvfp4_te_recipe();
    case Recipe::TorchAO: return detail::make_nvfp4_torchao_recipe();
    case Recipe::ModelOpt: return detail::make_nvfp4_modelopt_recipe();
    case Recipe::Cutlass: return detail::make_nvfp4_cutlass_recipe();
    case Recipe::Floor: return detail::make_mxfp4_floor_recipe();
    case Recipe::RCeil: return detail::make_mxfp4_rceil_recipe();
    case Recipe::None: return detail::make_int4_recipe();  // validate() admits None only for int4 here
  }
  throw Error("quantize: unknown recipe");
}

}  // namespace

QuantizedTensor Quantizer::quantize(const float* x, int64_t rows, int64_t cols) const {
  detail::check_shape(rows, cols);
  if (x == nullptr) throw Error("quantize: input pointer is null");
  const float amax = scan_rows(x, 0, rows, cols);
  QuantizedTensor q = begin(rows, cols, amax);
  encode_rows(x, 0, rows, amax, q);
  return q;
}

std::unique_ptr<Quantizer> make_quantizer(const QuantSpec& spec) {
  spec.validate();
  if (has_block_scale(spec.scheme)) return std::make_unique<detail::BlockScaledQuantizer>(spec, recipe_for(spec));
  return std::make_unique<detail::PerTensorQuantizer>(spec);
}

QuantizedTensor quantize(const float* x, int64_t rows, int64_t cols, const QuantSpec& spec) {
  return make_quantizer(spec)->quantize(x, rows, cols);
}

std::vector<float> dequantize(const QuantizedTensor& q) {
  std::vector<float> out(static_cast<size_t>(q.rows * q.cols));
  make_quantizer(q.spec)->dequantize(q, out.data());
  return out;
}

}  // namespace nvfp4
