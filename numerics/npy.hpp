// NumPy .npy / .npz reading and writing (the project's tensor file format), and the quantized-tensor .npz
// (NVFP4_SPEC.md section 6). Malformed or truncated files throw nvfp4::Error naming the file and the problem.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "numerics/quantized_tensor.hpp"

namespace nvfp4 {

struct NpyArray {
  std::string dtype;            // NumPy descr, little-endian: "<f4", "<f2", "<u2", "|u1", "<i4", "<i8", "<f8", "<u4"
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;    // C order, raw little-endian bytes
  int64_t size() const;         // number of elements
};

NpyArray read_npy(const std::string& path);
NpyArray parse_npy(const uint8_t* bytes, size_t n, const std::string& name_for_errors);  // used by the fuzzer
void write_npy(const std::string& path, const NpyArray& a);
std::map<std::string, NpyArray> read_npz(const std::string& path);  // stored or deflated members
void write_npz(const std::string& path, const std::map<std::string, NpyArray>& arrays);
// False in a build without libzip (numerics-only builds on the GPU machine): then the .npz calls above throw.
bool npz_supported();

// A float32 view of a numeric array: "<f4", "<f2", "<f8" and bfloat16 stored as "<u2" when `u2_is_bf16`.
std::vector<float> to_float32(const NpyArray& a, bool u2_is_bf16 = false);
NpyArray from_float32(const std::vector<float>& v, std::vector<int64_t> shape);

// Quantized tensor file: one .npz with codes, scales, tensor_scale, shape and the spec (scheme, recipe, block,
// block_2d, rounding, seed) so that a reader needs nothing else.
void save_quantized(const std::string& path, const QuantizedTensor& q);
QuantizedTensor load_quantized(const std::string& path);

}  // namespace nvfp4
