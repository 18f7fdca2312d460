// Internal: the .npy preamble and header dictionary (NumPy format versions 1.0, 2.0 and 3.0).
// Layout: "\x93NUMPY" major minor, header length (uint16 LE for v1, uint32 LE for v2/v3), then a Python dict literal
// {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), } padded with spaces and ended by '\n', then the data.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "numerics/npy.hpp"

namespace nvfp4::npy_detail {

// Bytes of the preamble before the header text: 10 for v1, 12 for v2/v3.
constexpr size_t kMinPreamble = 10;
// A header longer than this is refused (NumPy writes < 100 bytes; the cap stops a lying length from allocating).
constexpr uint32_t kMaxHeaderLength = 1u << 20;

struct NpyHeader {
  std::string dtype;            // normalised descr ("|u1" for uint8)
  std::vector<int64_t> shape;
  bool fortran_order = false;
  size_t data_offset = 0;       // preamble + header text
  int64_t item_size = 0;
  uint64_t data_bytes = 0;      // product(shape) * item_size, overflow-checked
};

// Total length of preamble + header as announced by the first bytes (n >= 12 or the whole input if shorter).
// Throws nvfp4::Error naming `name` when the magic, version or length is bad or the input is too short to tell.
size_t npy_header_end(const uint8_t* bytes, size_t n, const std::string& name);

// Parses preamble and header; `n` must be >= npy_header_end(). Validates dtype, shape and sizes (not the data).
NpyHeader parse_npy_header(const uint8_t* bytes, size_t n, const std::string& name);

// Item size in bytes of a supported descr, or 0 when the descr is not supported.
int64_t dtype_item_size(const std::string& descr);
// The supported dtypes, for error messages.
const char* supported_dtypes_text();

// Checks an in-memory array (supported dtype, non-negative shape, data size) before writing; throws naming `name`.
void validate_array(const NpyArray& a, const std::string& name);

// A complete .npy image (preamble, header, data) of `a`, as NumPy's np.save writes it; or its preamble and header.
std::vector<uint8_t> serialize_npy(const NpyArray& a);
std::vector<uint8_t> serialize_npy_header(const NpyArray& a);

// parse_npy of a buffer the caller gives away: the data is moved, not copied.
NpyArray parse_npy_owned(std::vector<uint8_t>&& bytes, const std::string& name);

// Reorders the data of a Fortran-ordered array into C order in place.
void fortran_to_c_order(NpyArray& a, int64_t item_size);

}  // namespace nvfp4::npy_detail
