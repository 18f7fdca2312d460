// AccumPolicy::parse / name: the canonical policy names of NVFP4_SPEC.md section 5 ("fp32-seq", "blackwell-mma",
// "fixed:W" and "fixed:W:F"). One spelling per policy: parse(name()) round-trips, anything else is refused.
#include <charconv>
#include <string>

#include "numerics/error.hpp"
#include "numerics/gemm.hpp"
#include "numerics/registry.hpp"

namespace nvfp4 {
namespace {

constexpr int kMinFixedWidth = 8;
constexpr int kMaxFixedWidth = 64;

constexpr AccumPolicyInfo kPolicies[] = {
    {AccumPolicy::Kind::Fp32Seq, "fp32-seq", "fp32-seq", "sequential fp32 accumulation of the block terms, in k order"},
    {AccumPolicy::Kind::BlackwellMma, "blackwell-mma", "blackwell-mma",
     "third-party model (microsoft/MMA-Sim) of Blackwell block-scaled MMA"},
    {AccumPolicy::Kind::Fixed, "fixed", "fixed:W[:F]",
     "W-bit two's-complement accumulator (W 8..64) with F fractional bits (0..W-1, default W/2), saturating"},
};

[[noreturn]] void bad_policy(std::string_view text, const std::string& why) {
  std::string accepted;
  for (const AccumPolicyInfo& p : kPolicies) accepted += (accepted.empty() ? "" : ", ") + std::string(p.syntax);
  throw Error("accumulation policy '" + std::string(text) + "': " + why + " (accepted: " + accepted +
              "; W in 8..64, F in 0..W-1)");
}

// A decimal integer without sign, spaces or leading '+'; the whole field must be consumed.
int parse_field(std::string_view text, std::string_view field, const char* what) {
  int value = 0;
  const char* first = field.data();
  const char* last = field.data() + field.size();
  auto [ptr, ec] = std::from_chars(first, last, value);
  if (field.empty() || ec != std::errc() || ptr != last || field.front() == '-') {
    bad_policy(text, std::string(what) + " '" + std::string(field) + "' is not a non-negative integer");
  }
  return value;
}

}  // namespace

std::span<const AccumPolicyInfo> accum_policies() { return kPolicies; }

AccumPolicy AccumPolicy::parse(std::string_view name) {
  AccumPolicy p;
  for (const AccumPolicyInfo& i : kPolicies) {
    if (i.syntax == name && i.name == name) {  // the policies without parameters
      p.kind = i.kind;
      return p;
    }
  }
  constexpr std::string_view prefix = "fixed:";
  if (name.substr(0, prefix.size()) != prefix) bad_policy(name, "unknown policy");
  std::string_view rest = name.substr(prefix.size());
  const size_t colon = rest.find(':');
  p.kind = Kind::Fixed;
  p.width = parse_field(name, rest.substr(0, colon), "width W");
  if (p.width < kMinFixedWidth || p.width > kMaxFixedWidth) bad_policy(name, "width W must be in 8..64");
  if (colon == std::string_view::npos) {
    p.frac = p.width / 2;
  } else {
    p.frac = parse_field(name, rest.substr(colon + 1), "fraction bits F");
    if (p.frac > p.width - 1) bad_policy(name, "fraction bits F must be in 0..W-1");
  }
  return p;
}

std::string AccumPolicy::name() const {
  // Fixed: always the explicit form: "fixed:W" would silently mean F = W/2, the explicit form says what it is.
  if (kind == Kind::Fixed) return "fixed:" + std::to_string(width) + ":" + std::to_string(frac);
  for (const AccumPolicyInfo& i : kPolicies)
    if (i.kind == kind) return std::string(i.name);
  return "?";
}

}  // namespace nvfp4
