// ecc/'s registries (docs/DEVELOPING.md, "Registries"): the protection layouts, the codes of the protected bank and
// the protection modes a memory uses. The simulator's config (`ecc_layout`, `ecc_mode`), the fault path, the
// `nvfp4sim registry --json` dump (docs/registry.json) and the docs tables read these tables; nothing keeps a list.
#pragma once
#include <span>
#include <string_view>

#include "ecc/fault_injector.hpp"

namespace nvfp4::ecc {

// Protection layouts accepted by ProtectionLayout::parse, in order. A parameterized entry is spelled as its `syntax`.
struct LayoutInfo {
  std::string_view name;     // "sign-exp-scale", or "custom" (parameterized)
  std::string_view syntax;   // how it is written: the name, or "custom:code=0xHH,scale=0xHH,tensor=0|1"
  std::string_view protects; // what it protects of a stored tensor
  bool parameterized = false;
};
std::span<const LayoutInfo> protection_layouts();

// Codes of the protected bank (InjectionConfig::protected_code).
struct CodeInfo {
  ProtectedCode code;
  std::string_view name;     // "secded", "none"
  std::string_view summary;
};
std::span<const CodeInfo> protected_codes();

// How a memory stores a layout's protected bits: the code they carry and whether their bank stays at the nominal
// supply while the data bank is voltage-scaled.
struct ProtectionMode {
  std::string_view name;     // "secded", "mixed-voltage"
  ProtectedCode code;
  bool protected_at_nominal = false;
  std::string_view summary;
};
std::span<const ProtectionMode> protection_modes();
// Throws nvfp4::Error listing the accepted names.
const ProtectionMode& protection_mode(std::string_view name);

}  // namespace nvfp4::ecc
