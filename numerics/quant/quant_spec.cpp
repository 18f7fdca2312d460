// QuantSpec: canonical names, per-scheme defaults, validation and storage accounting (NVFP4_SPEC.md sections 3-4).
#include <array>
#include <string>
#include <string_view>

#include "numerics/ceil_div.hpp"
#include "numerics/error.hpp"
#include "numerics/quant_spec.hpp"
#include "numerics/registry.hpp"

namespace nvfp4 {
namespace {

template <typename E, size_t N>
struct NameTable {
  std::array<std::pair<E, std::string_view>, N> entries;

  std::string_view name(E e) const {
    for (const auto& [v, n] : entries)
      if (v == e) return n;
    return "?";
  }
  E parse(std::string_view s, std::string_view what) const {
    for (const auto& [v, n] : entries)
      if (n == s) return v;
    // Built with append only: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string chains.
    std::string msg = "unknown ";
    msg.append(what).append(" '").append(s).append("' (accepted:");
    for (const auto& [v, n] : entries) msg.append(" ").append(n);
    msg.append(")");
    throw Error(msg);
  }
};

constexpr NameTable<Scheme, 7> kSchemes{{{{Scheme::NVFP4, "nvfp4"},
                                           {Scheme::MXFP4, "mxfp4"},
                                           {Scheme::FP4, "fp4"},
                                           {Scheme::FP4Tensor, "fp4-tensor"},
                                           {Scheme::FP8, "fp8"},
                                           {Scheme::FP16, "fp16"},
                                           {Scheme::INT4, "int4"}}}};
constexpr NameTable<Recipe, 7> kRecipes{{{{Recipe::None, "none"},
                                           {Recipe::TE, "te"},
                                           {Recipe::TorchAO, "torchao"},
                                           {Recipe::ModelOpt, "modelopt"},
                                           {Recipe::Cutlass, "cutlass"},
                                           {Recipe::Floor, "floor"},
                                           {Recipe::RCeil, "rceil"}}}};
constexpr NameTable<Rounding, 2> kRoundings{{{{Rounding::RN, "rn"}, {Rounding::SR, "sr"}}}};

bool is_power_of_two_up_to_256(int b) { return b >= 1 && b <= 256 && (b & (b - 1)) == 0; }

// The recipes of each scheme, default first (schemes not listed take only "none").
constexpr std::pair<Scheme, std::array<Recipe, 4>> kSchemeRecipes[] = {
    {Scheme::NVFP4, {Recipe::TE, Recipe::TorchAO, Recipe::ModelOpt, Recipe::Cutlass}},
    {Scheme::MXFP4, {Recipe::Floor, Recipe::RCeil, Recipe::None, Recipe::None}},
};

std::string recipes_of(Scheme s) {
  std::string out;
  for (Recipe r : recipes_for(s)) out += (out.empty() ? "" : ", ") + std::string(kRecipes.name(r));
  return out;
}

bool recipe_allowed(Scheme s, Recipe r) {
  for (Recipe x : recipes_for(s))
    if (x == r) return true;
  return false;
}

template <typename E, size_t N>
std::span<const E> values_of(const NameTable<E, N>& t) {
  static const std::array<E, N> values = [&t] {
    std::array<E, N> v{};
    for (size_t i = 0; i < N; ++i) v[i] = t.entries[i].first;
    return v;
  }();
  return values;
}

}  // namespace

std::span<const Scheme> all_schemes() { return values_of(kSchemes); }
std::span<const Recipe> all_recipes() { return values_of(kRecipes); }
std::span<const Rounding> all_roundings() { return values_of(kRoundings); }

std::vector<Recipe> recipes_for(Scheme s) {
  for (const auto& [scheme, recipes] : kSchemeRecipes) {
    if (scheme != s) continue;
    std::vector<Recipe> out;
    for (Recipe r : recipes)
      if (r != Recipe::None) out.push_back(r);
    return out;
  }
  return {Recipe::None};
}

Scheme parse_scheme(std::string_view s) { return kSchemes.parse(s, "format"); }
Recipe parse_recipe(std::string_view s) { return kRecipes.parse(s, "recipe"); }
Rounding parse_rounding(std::string_view s) { return kRoundings.parse(s, "rounding"); }
std::string_view to_string(Scheme s) { return kSchemes.name(s); }
std::string_view to_string(Recipe r) { return kRecipes.name(r); }
std::string_view to_string(Rounding r) { return kRoundings.name(r); }

QuantSpec QuantSpec::defaults_for(Scheme s) {
  QuantSpec q;
  q.scheme = s;
  switch (s) {
    case Scheme::NVFP4: q.recipe = Recipe::TE; q.block = 16; break;
    case Scheme::MXFP4: q.recipe = Recipe::Floor; q.block = 32; break;
    case Scheme::INT4: q.recipe = Recipe::None; q.block = 32; break;
    default: q.recipe = Recipe::None; q.block = 16; break;  // block unused by unscaled schemes
  }
  return q;
}

void QuantSpec::validate() const {
  if (!recipe_allowed(scheme, recipe))
    throw Error("quant spec: recipe '" + std::string(to_string(recipe)) + "' is not valid for format '" +
                std::string(to_string(scheme)) + "' (accepted: " + recipes_of(scheme) + ")");
  if (has_block_scale(scheme)) {
    if (!is_power_of_two_up_to_256(block))
      throw Error("quant spec: block = " + std::to_string(block) + " must be a power of two in 1..256");
    if (scheme == Scheme::INT4 && block != 16 && block != 32)
      throw Error("quant spec: block = " + std::to_string(block) + " for int4 must be 16 or 32");
    if (block_2d && block != kBlock2dSide)
      throw Error("quant spec: block_2d (16 x 16 tiles) requires block = 16, got " + std::to_string(block));
  } else if (block_2d) {
    throw Error("quant spec: block_2d needs a block-scaled format (nvfp4, mxfp4, int4), not '" +
                std::string(to_string(scheme)) + "'");
  }
  if (rounding == Rounding::SR && scheme == Scheme::FP16)
    throw Error("quant spec: rounding 'sr' is not defined for fp16 (use rn)");
}

std::string QuantSpec::describe() const {
  std::string s(to_string(scheme));
  if (recipe != Recipe::None) s.append("/").append(to_string(recipe));
  if (has_block_scale(scheme)) s.append("/B").append(std::to_string(block)).append(block_2d ? "/2d" : "/1d");
  s.append("/").append(to_string(rounding));
  if (rounding == Rounding::SR) s.append("/seed=").append(std::to_string(seed));
  if (follow_hardware_on_nonfinite) s.append("/nonfinite=hardware");
  return s;
}

int code_bits(Scheme s) {
  switch (s) {
    case Scheme::FP8: return 8;
    case Scheme::FP16: return 16;
    default: return 4;
  }
}

int scale_bytes(Scheme s) {
  switch (s) {
    case Scheme::NVFP4:
    case Scheme::MXFP4: return 1;
    case Scheme::INT4: return 2;
    default: return 0;
  }
}

bool has_block_scale(Scheme s) { return scale_bytes(s) > 0; }

int64_t code_row_bytes(Scheme s, int64_t cols) {
  const int bits = code_bits(s);
  return bits == 4 ? ceil_div(cols, int64_t{2}) : cols * (bits / 8);
}

ScaleGrid scale_grid(const QuantSpec& spec, int64_t rows, int64_t cols) {
  if (!has_block_scale(spec.scheme)) return {};
  if (spec.block_2d) return {ceil_div(rows, int64_t{kBlock2dSide}), ceil_div(cols, int64_t{kBlock2dSide})};
  return {rows, ceil_div(cols, int64_t{spec.block})};
}

namespace {
bool has_tensor_scale(Scheme s) { return s == Scheme::NVFP4 || s == Scheme::FP4Tensor || s == Scheme::FP8; }
}  // namespace

double bits_per_element(const QuantSpec& spec, int64_t rows, int64_t cols) {
  if (rows <= 0 || cols <= 0)
    throw Error("bits_per_element: shape " + std::to_string(rows) + " x " + std::to_string(cols) +
                " must be positive");
  spec.validate();
  const double n = static_cast<double>(rows) * static_cast<double>(cols);
  // Codes as stored: each row starts on a byte, so an odd row length of a 4-bit format costs one pad nibble.
  double bits = static_cast<double>(rows) * static_cast<double>(code_row_bytes(spec.scheme, cols)) * 8.0;
  const ScaleGrid grid = scale_grid(spec, rows, cols);
  bits += static_cast<double>(grid.rows) * static_cast<double>(grid.cols) * 8.0 * scale_bytes(spec.scheme);
  if (has_tensor_scale(spec.scheme)) bits += 32.0;
  return bits / n;
}

}  // namespace nvfp4
