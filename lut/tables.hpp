// The look-up tables of the datapath, as pure functions of their definition (what the generator emits) and as the
// committed generated images (lut/generated/lut_tables.hpp, rtl_models/tables/*.memh) that the models read.
// Index layouts (also the RTL's address layouts):
//   mantissa LUT   E2M1 x f:  index = sig_a << sig_bits(f) | sig_w          entry = sig_a * sig_w
//   slice LUT      S bits:    index = sig_a << S | slice                    entry = sig_a * slice
//   full-product   E2M1 x f:  index = a_code << code_bits(f) | w_code       entry = exact signed product in LSBs of
//                             2^-product_frac_bits(f); the top bit of the memh word flags a NaN weight
//   scale mantissa 3x3:       index = ma << 3 | mb                          entry = ma * mb
#pragma once
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "lut/weight_format.hpp"

namespace nvfp4::lut {

struct TableSpec {
  std::string name;       // file stem, e.g. "mant_e2m1_e4m3"
  int index_bits;         // address width
  int entry_bits;         // data width of the memh word (product bits, plus the NaN flag for full-product tables)
  bool is_signed;         // the product field is two's complement
  std::vector<int64_t> entries;  // value per index; full-product: special codes hold kFullLutSpecial
};
inline constexpr int64_t kFullLutSpecial = INT64_MIN;

int sig_bits(WeightFormat f);  // hidden + mantissa bits: 2, 4, 11

// Table definitions (the generator's source of truth). Throw nvfp4::Error naming the parameter when no table exists
// for the request (full-product fp16; slice width outside 2..4).
TableSpec mantissa_table(WeightFormat w);
TableSpec slice_table(int slice_bits);
TableSpec full_product_table(WeightFormat w);
TableSpec scale_mantissa_table();
std::vector<TableSpec> all_tables();

// One entry as the word a memory stores (the memh layout: entry_bits wide; signed tables two's complement in the low
// entry_bits - 1 bits, the top bit the NaN-weight flag) and back. A word read with faults decodes to whatever its bits
// say: a set flag bit is a NaN weight (kFullLutSpecial), whatever the product field holds.
uint64_t memh_word(const TableSpec& t, int64_t entry);
int64_t entry_of_memh_word(const TableSpec& t, uint64_t word);

// Renders every generated file: path relative to the repository root -> exact file contents (with the banner).
std::map<std::string, std::string> render_generated_files();
inline constexpr const char* kRegenerateCommand = "build/bin/nvfp4-lut-gen --root .";

// The committed images, compiled in from lut/generated/lut_tables.hpp (the models read these, not the functions).
std::span<const uint16_t> committed_mantissa_table(WeightFormat w);
std::span<const uint8_t> committed_slice_table(int slice_bits);
std::span<const int32_t> committed_full_product_table(WeightFormat w);  // special entries hold INT32_MIN
std::span<const uint8_t> committed_scale_mantissa_table();

}  // namespace nvfp4::lut
