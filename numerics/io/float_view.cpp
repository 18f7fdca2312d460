// Conversions between NumPy arrays and float32 buffers (what the quantizers take).
#include <cstring>

#include "numerics/error.hpp"
#include "numerics/formats.hpp"
#include "numerics/io/npy_header.hpp"
#include "numerics/npy.hpp"

namespace nvfp4 {
namespace {

template <typename T, typename Convert>
std::vector<float> convert_all(const NpyArray& a, Convert convert) {
  const size_t n = a.data.size() / sizeof(T);
  std::vector<float> out(n);
  for (size_t i = 0; i < n; ++i) {
    T v;
    std::memcpy(&v, &a.data[i * sizeof(T)], sizeof(T));  // data is unaligned bytes
    out[i] = convert(v);
  }
  return out;
}

}  // namespace

std::vector<float> to_float32(const NpyArray& a, bool u2_is_bf16) {
  npy_detail::validate_array(a, "to_float32");
  if (a.dtype == "<f4") return convert_all<float>(a, [](float v) { return v; });
  if (a.dtype == "<f8") return convert_all<double>(a, [](double v) { return static_cast<float>(v); });
  if (a.dtype == "<f2") return convert_all<uint16_t>(a, [](uint16_t v) { return fp16_to_float(v); });
  if (a.dtype == "<u2" && u2_is_bf16) return convert_all<uint16_t>(a, [](uint16_t v) { return bf16_to_float(v); });
  if (a.dtype == "<u2")
    throw Error("dtype <u2 (uint16) is not a float type; if it holds bfloat16 bits, say so (--dtype bf16)");
  throw Error("dtype " + a.dtype + " is not a float type (expected <f4, <f2, <f8, or bfloat16 as <u2)");
}

NpyArray from_float32(const std::vector<float>& v, std::vector<int64_t> shape) {
  NpyArray a;
  a.dtype = "<f4";
  a.shape = std::move(shape);
  if (a.size() != static_cast<int64_t>(v.size()))
    throw Error("from_float32: shape holds " + std::to_string(a.size()) + " elements, data " +
                std::to_string(v.size()));
  a.data.resize(v.size() * sizeof(float));
  if (!v.empty()) std::memcpy(a.data.data(), v.data(), a.data.size());
  return a;
}

}  // namespace nvfp4
