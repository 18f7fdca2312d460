#include "sim/model/register_map.hpp"

#include <cstdio>

#include "numerics/error.hpp"
#include "numerics/registry.hpp"

namespace nvfp4::sim::regs {

std::string_view job_error_name(JobError e) {
  for (const JobErrorInfo& i : kJobErrors)
    if (i.code == e) return i.name;
  return "?";
}

uint32_t encode_policy(const AccumPolicy& p) {
  const auto rows = accum_policies();
  uint32_t index = 0;
  while (index < rows.size() && rows[index].kind != p.kind) ++index;
  if (p.kind != AccumPolicy::Kind::Fixed) return index;
  return index | static_cast<uint32_t>(p.width) << 8 | static_cast<uint32_t>(p.frac) << 16;
}

AccumPolicy decode_policy(uint32_t value) {
  const auto rows = accum_policies();
  const uint32_t index = value & 0xFF, w = (value >> 8) & 0xFF, f = (value >> 16) & 0xFF;
  if (index >= rows.size() || (value >> 24) != 0) {
    throw Error("POLICY " + std::to_string(value) + ": no accumulation policy at registry row " +
                std::to_string(index) + " (rows 0.." + std::to_string(rows.size() - 1) + ", bits 31:24 zero)");
  }
  const AccumPolicyInfo& row = rows[index];
  if (row.kind != AccumPolicy::Kind::Fixed) {
    if (w != 0 || f != 0) throw Error("POLICY: " + std::string(row.name) + " takes no W / F fields");
    return AccumPolicy::parse(row.name);
  }
  return AccumPolicy::parse(std::string(row.name) + ":" + std::to_string(w) + ":" + std::to_string(f));
}

std::string register_map_markdown() {
  std::string s = "| offset | register | access | meaning |\n|---|---|---|---|\n";
  char off[16];
  for (const RegisterInfo& r : kRegisters) {
    std::snprintf(off, sizeof off, "0x%02llX", static_cast<unsigned long long>(r.offset));
    s += "| " + std::string(off) + " | `" + std::string(r.name) + "` | " + std::string(r.access) + " | " +
         std::string(r.meaning) + " |\n";
  }
  s += "\n| ERROR | name | meaning |\n|---|---|---|\n";
  for (const JobErrorInfo& e : kJobErrors) {
    s += "| " + std::to_string(static_cast<uint32_t>(e.code)) + " | `" + std::string(e.name) + "` | " +
         std::string(e.meaning) + " |\n";
  }
  s += "\nPOLICY rows (numerics/gemm/accum_policy.cpp):";
  const auto rows = accum_policies();
  for (size_t i = 0; i < rows.size(); ++i) {
    s += std::string(i ? "," : "") + " " + std::to_string(i) + " = `" + std::string(rows[i].syntax) + "`";
  }
  s += ".\n";
  return s;
}

}  // namespace nvfp4::sim::regs
