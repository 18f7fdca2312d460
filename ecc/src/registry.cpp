// ecc/'s registry tables (ecc/registry.hpp).
#include "ecc/registry.hpp"

#include <string>

#include "numerics/error.hpp"

namespace nvfp4::ecc {
namespace {

constexpr LayoutInfo kLayouts[] = {
    {"none", "none", "nothing", false},
    {"scale", "scale", "every block-scale bit and the tensor scale", false},
    {"sign-exp-scale", "sign-exp-scale",
     "as scale, plus the sign and exponent bits of every element code (fp32 words: sign + 8 exponent bits)", false},
    {"full", "full", "every stored bit", false},
    {"custom", "custom:code=0xHH,scale=0xHH,tensor=0|1",
     "the given bits of each element code and block-scale code, and the tensor scale if tensor=1", true},
};

constexpr CodeInfo kCodes[] = {
    {ProtectedCode::Secded, "secded", "extended Hamming SECDED of word_bits data bits (r + 1 check bits)"},
    {ProtectedCode::None, "none", "no code: the protected bits are stored plain"},
};

constexpr ProtectionMode kModes[] = {
    {"secded", ProtectedCode::Secded, false, "protected bits SECDED-coded in the same (voltage-scaled) bank"},
    {"mixed-voltage", ProtectedCode::None, true, "protected bits uncoded in a bank kept at the nominal supply"},
};

}  // namespace

std::span<const LayoutInfo> protection_layouts() { return kLayouts; }
std::span<const CodeInfo> protected_codes() { return kCodes; }
std::span<const ProtectionMode> protection_modes() { return kModes; }

const ProtectionMode& protection_mode(std::string_view name) {
  std::string names;
  for (const ProtectionMode& m : kModes) {
    if (m.name == name) return m;
    names += (names.empty() ? "" : ", ") + std::string(m.name);
  }
  throw Error("unknown protection mode '" + std::string(name) + "' (accepted: " + names + ")");
}

}  // namespace nvfp4::ecc
