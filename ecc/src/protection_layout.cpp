// Protection layouts: parsing, footprint, gather/scatter of the protected and unprotected bit streams.
#include "ecc/protection_layout.hpp"

#include <array>
#include <charconv>
#include <cstring>
#include <string>

#include "ecc/registry.hpp"
#include "ecc/secded.hpp"
#include "ecc/src/stored_bits.hpp"
#include "numerics/error.hpp"

namespace nvfp4::ecc {

std::string_view to_string(Field f) {
  switch (f) {
    case Field::Codes: return "codes";
    case Field::BlockScales: return "block_scales";
    case Field::TensorScale: return "tensor_scale";
    case Field::CheckBits: return "check_bits";
  }
  return "?";
}

namespace {

// The accepted spellings, from ecc/'s layout registry (ecc/registry.hpp).
std::string accepted() {
  std::string s;
  for (const LayoutInfo& l : protection_layouts()) s += (s.empty() ? "" : ", ") + std::string(l.syntax);
  return s;
}

// Sign and exponent bits of one element code.
uint16_t sign_exp_mask(Scheme s) {
  switch (s) {
    case Scheme::NVFP4:
    case Scheme::MXFP4:
    case Scheme::FP4:
    case Scheme::FP4Tensor: return 0xE;      // E2M1: s e1 e0 m
    case Scheme::FP8: return 0xF8;           // E4M3: s eeee mmm
    case Scheme::FP16: return 0xFC00;        // s eeeee m10
    case Scheme::INT4: return 0x8;           // two's complement: the sign bit
  }
  return 0;
}

uint16_t width_mask(int bits) { return static_cast<uint16_t>(bits >= 16 ? 0xFFFF : (1u << bits) - 1u); }

uint16_t parse_hex_mask(std::string_view text, std::string_view key, std::string_view whole) {
  std::string_view digits = text;
  if (digits.starts_with("0x") || digits.starts_with("0X")) digits.remove_prefix(2);
  unsigned value = 0;
  const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, 16);
  if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size() || value > 0xFFFF) {
    throw Error("protection layout '" + std::string(whole) + "': " + std::string(key) + "=" + std::string(text) +
                " is not a 16-bit hex mask");
  }
  return static_cast<uint16_t>(value);
}

ProtectionLayout parse_custom(std::string_view text, Scheme scheme) {
  ProtectionLayout l;
  std::string_view rest = text.substr(std::string_view("custom:").size());
  bool seen_code = false, seen_scale = false, seen_tensor = false;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      throw Error("protection layout '" + std::string(text) + "': expected key=value, got '" + std::string(item) +
                  "'; accepted: " + accepted());
    }
    const std::string_view key = item.substr(0, eq), value = item.substr(eq + 1);
    if (key == "code" && !seen_code) {
      l.code_mask = parse_hex_mask(value, key, text);
      seen_code = true;
    } else if (key == "scale" && !seen_scale) {
      l.scale_mask = parse_hex_mask(value, key, text);
      seen_scale = true;
    } else if (key == "tensor" && !seen_tensor && (value == "0" || value == "1")) {
      l.tensor_scale = value == "1";
      seen_tensor = true;
    } else {
      throw Error("protection layout '" + std::string(text) + "': bad or repeated item '" + std::string(item) +
                  "'; accepted: " + accepted());
    }
  }
  if (!seen_code || !seen_scale || !seen_tensor) {
    throw Error("protection layout '" + std::string(text) + "': custom layouts need all of code=, scale=, tensor=");
  }
  const int cb = code_bits(scheme);
  const int sb = has_block_scale(scheme) ? 8 * scale_bytes(scheme) : 0;
  if ((l.code_mask & ~width_mask(cb)) != 0) {
    throw Error("protection layout '" + std::string(text) + "': code mask has bits beyond the " + std::to_string(cb) +
                "-bit element code of " + std::string(to_string(scheme)));
  }
  if ((l.scale_mask & ~width_mask(sb)) != 0 || (sb == 0 && l.scale_mask != 0)) {
    throw Error("protection layout '" + std::string(text) + "': scale mask has bits beyond the " +
                std::to_string(sb) + "-bit block scale of " + std::string(to_string(scheme)));
  }
  char buf[96];
  std::snprintf(buf, sizeof buf, "custom:code=0x%X,scale=0x%X,tensor=%d", l.code_mask, l.scale_mask,
                l.tensor_scale ? 1 : 0);
  l.name = buf;
  return l;
}

}  // namespace

ProtectionLayout ProtectionLayout::parse(std::string_view text, Scheme scheme) {
  const uint16_t all_code = width_mask(code_bits(scheme));
  const uint16_t all_scale = has_block_scale(scheme) ? width_mask(8 * scale_bytes(scheme)) : 0;
  ProtectionLayout l;
  l.name = std::string(text);
  if (text == "none") return l;
  if (text == "scale") {
    l.scale_mask = all_scale;
    l.tensor_scale = true;
    return l;
  }
  if (text == "sign-exp-scale") {
    l.code_mask = sign_exp_mask(scheme);
    l.scale_mask = all_scale;
    l.tensor_scale = true;
    return l;
  }
  if (text == "full") {
    l.code_mask = all_code;
    l.scale_mask = all_scale;
    l.tensor_scale = true;
    return l;
  }
  if (text.starts_with("custom:")) return parse_custom(text, scheme);
  throw Error("unknown protection layout '" + std::string(text) + "'; accepted: " + accepted());
}

double StorageFootprint::overhead() const {
  return data_bits == 0 ? 0.0 : static_cast<double>(check_bits + padding_bits) / static_cast<double>(data_bits);
}

StorageFootprint footprint_of_bits(int64_t data_bits, int64_t protected_bits, int word_bits, bool secded) {
  const int check_bits = SecdedCode::check_bits_for(word_bits);  // validates the width (4..128), codec's message
  StorageFootprint f;
  f.word_bits = word_bits;
  f.check_bits_per_word = secded ? check_bits : 0;
  f.data_bits = data_bits;
  f.protected_bits = protected_bits;
  f.unprotected_bits = f.data_bits - f.protected_bits;
  f.protected_words = (f.protected_bits + word_bits - 1) / word_bits;
  f.unprotected_words = (f.unprotected_bits + word_bits - 1) / word_bits;
  f.check_bits = f.protected_words * f.check_bits_per_word;
  f.padding_bits = f.protected_words * word_bits - f.protected_bits + f.unprotected_words * word_bits -
                   f.unprotected_bits;
  return f;
}

StorageFootprint footprint(const QuantizedTensor& q, const ProtectionLayout& layout, int word_bits, bool secded) {
  const detail::StoredShape sh = detail::stored_shape(q);
  const int64_t elements = q.rows * q.cols;
  const int code_prot = std::popcount(static_cast<unsigned>(layout.code_mask));
  const int scale_prot = std::popcount(static_cast<unsigned>(layout.scale_mask));
  const int ts_bits = detail::stores_tensor_scale(q.spec.scheme) ? 32 : 0;
  return footprint_of_bits(elements * sh.code_bits + sh.scale_count * sh.scale_bits + ts_bits,
                           elements * code_prot + sh.scale_count * scale_prot + (layout.tensor_scale ? ts_bits : 0),
                           word_bits, secded);
}

double ProtectionLayout::code_fraction(Scheme scheme) const {
  return std::popcount(static_cast<unsigned>(code_mask)) / static_cast<double>(code_bits(scheme));
}

double ProtectionLayout::scale_fraction(Scheme scheme) const {
  if (!has_block_scale(scheme)) return 0.0;
  return std::popcount(static_cast<unsigned>(scale_mask)) / (8.0 * scale_bytes(scheme));
}

uint32_t fp32_word_mask(std::string_view layout) {
  if (layout == "none" || layout == "scale") return 0;
  if (layout == "sign-exp-scale") return 0xFF800000u;
  if (layout == "full") return 0xFFFFFFFFu;
  throw Error("protection layout '" + std::string(layout) +
              "' does not apply to fp32 words (outputs, partial sums); accepted there: none, scale, sign-exp-scale, full");
}

BitImage gather(const QuantizedTensor& q, const ProtectionLayout& layout, Region region) {
  BitImage out;
  std::array<uint8_t, 4> ts{};
  std::memcpy(ts.data(), &q.tensor_scale, 4);
  detail::for_each_stored_bit(q, layout, region == Region::Protected, ts,
                              [&](Field, const uint8_t& byte, int bit) { out.push_back((byte >> bit) & 1u); });
  return out;
}

void scatter(const BitImage& bits, const ProtectionLayout& layout, Region region, QuantizedTensor& q) {
  std::array<uint8_t, 4> ts{};
  std::memcpy(ts.data(), &q.tensor_scale, 4);
  int64_t i = 0;
  detail::for_each_stored_bit(q, layout, region == Region::Protected, ts, [&](Field, uint8_t& byte, int bit) {
    if (i >= bits.bits) throw Error("scatter: the bit image is shorter than the tensor's " +
                                    std::string(region == Region::Protected ? "protected" : "unprotected") + " bits");
    const uint8_t m = static_cast<uint8_t>(1u << bit);
    byte = bits.get(i++) ? static_cast<uint8_t>(byte | m) : static_cast<uint8_t>(byte & ~m);
  });
  std::memcpy(&q.tensor_scale, ts.data(), 4);
}

}  // namespace nvfp4::ecc
