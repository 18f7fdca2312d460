// Selective protection of a stored quantized tensor (docs/ecc.md, "Protection layouts").
//
// A stored 1-D block is its element codes followed by its block-scale code (NVFP4: 16 x 4-bit E2M1 + 8-bit UE4M3 =
// 72 bits); the tensor is its blocks in row-major order (row r, block j), then the 32-bit fp32 tensor scale.
// (2-D-block tensors and schemes without block scales: all codes row-major, then all scale codes, then the tensor
// scale.) A layout says which bits of each element code, each scale code and the tensor scale are "protected".
// The protected bits, in stream order, are cut into data words of `word_bits` (the SRAM word width parameter; the last
// word zero-padded) and each word becomes one SECDED codeword (or, with mixed voltage, one word of a nominal bank);
// the unprotected bits are cut into raw `word_bits` words of the (voltage-scaled) data bank.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "ecc/bit_image.hpp"
#include "numerics/quantized_tensor.hpp"

namespace nvfp4::ecc {

// The four fields of a stored tensor; every report counts per field.
enum class Field : uint8_t { Codes = 0, BlockScales = 1, TensorScale = 2, CheckBits = 3 };
inline constexpr int kFieldCount = 4;
std::string_view to_string(Field);

struct ProtectionLayout {
  // Canonical names: "none", "scale", "sign-exp-scale", "full", or "custom:code=0xC,scale=0xFF,tensor=1"
  // (hex masks over the bits of one element code / one scale code; tensor=0|1 for the 32-bit tensor scale).
  // Named layouts: `scale` = all block-scale bits + tensor scale; `sign-exp-scale` adds the sign and exponent bits of
  // every element code (E2M1: 0xE; E4M3: 0xF8; FP16: 0xFC00; INT4: the sign bit 0x8); `full` = every stored bit.
  std::string name;
  uint16_t code_mask = 0;    // protected bits of each element code
  uint16_t scale_mask = 0;   // protected bits of each block-scale code (8 or 16 bits wide)
  bool tensor_scale = false; // the 32-bit tensor scale

  // Throws nvfp4::Error listing the accepted names when `text` is not one, or when a mask has bits beyond the
  // scheme's code/scale width.
  static ProtectionLayout parse(std::string_view text, Scheme scheme);

  // Fraction of the bits of one element code / one block-scale code of `scheme` that the layout protects (0 for the
  // scale of a scheme without block scales).
  double code_fraction(Scheme scheme) const;
  double scale_fraction(Scheme scheme) const;
};

// A layout over fp32 words (accumulator outputs and partial sums, which have no element codes or block scales):
// the protected bits of each 32-bit word. none, scale: 0; sign-exp-scale: sign + 8 exponent bits (0xFF800000);
// full: every bit. Custom layouts are refused (their masks are over element codes), naming the accepted ones.
uint32_t fp32_word_mask(std::string_view layout);

// Sizes of a tensor stored under a layout and word width (all in bits unless named otherwise).
struct StorageFootprint {
  int word_bits = 0;            // data bits per SRAM word / SECDED data width
  int check_bits_per_word = 0;  // r + 1 (0 when the protected region is not SECDED-coded)
  int64_t data_bits = 0;        // codes + block scales + tensor scale as stored (no pad nibbles)
  int64_t protected_bits = 0;   // data bits covered by the layout
  int64_t unprotected_bits = 0;
  int64_t protected_words = 0;  // ceil(protected_bits / word_bits)
  int64_t unprotected_words = 0;
  int64_t check_bits = 0;       // protected_words * check_bits_per_word
  int64_t padding_bits = 0;     // zero fill of the last word of each region
  // (check + padding bits) / data bits: the storage the protection adds.
  double overhead() const;
};

// word_bits must be in [4, 128] (throws nvfp4::Error otherwise); `secded` says whether protected words carry check bits.
StorageFootprint footprint(const QuantizedTensor& q, const ProtectionLayout& layout, int word_bits, bool secded);
// The same sizes for `data_bits` stored bits of which `protected_bits` are protected (e.g. a whole SRAM bank).
StorageFootprint footprint_of_bits(int64_t data_bits, int64_t protected_bits, int word_bits, bool secded);

enum class Region : uint8_t { Protected, Unprotected };

// The bits of `region` in stream order (codes, scales, tensor scale as described above).
BitImage gather(const QuantizedTensor& q, const ProtectionLayout& layout, Region region);
// Writes the bits of `region` back into `q` (the inverse of gather; bits of the other region are left as they are).
void scatter(const BitImage& bits, const ProtectionLayout& layout, Region region, QuantizedTensor& q);

}  // namespace nvfp4::ecc
