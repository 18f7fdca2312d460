#include "numerics/memory_budget.hpp"

#include <unistd.h>

#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>

#include "numerics/error.hpp"

namespace nvfp4 {

int64_t checked_product(std::initializer_list<int64_t> factors, const std::string& what) {
  int64_t p = 1;
  std::string text;
  bool overflow = false;
  for (int64_t f : factors) {
    if (f < 0) throw Error(what + ": negative size " + std::to_string(f));
    text += (text.empty() ? "" : " x ") + std::to_string(f);
    overflow = overflow || __builtin_mul_overflow(p, f, &p);
  }
  if (overflow) throw Error(what + ": " + text + " overflows 64 bits");
  return p;
}

namespace {

uint64_t parse_budget(const std::string& text, const std::string& from) {
  uint64_t v = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  uint64_t unit = 1;
  if (ptr != end && ptr + 1 == end) {
    switch (std::toupper(static_cast<unsigned char>(*ptr))) {
      case 'K': unit = 1ull << 10; break;
      case 'M': unit = 1ull << 20; break;
      case 'G': unit = 1ull << 30; break;
      case 'T': unit = 1ull << 40; break;
      default: unit = 0;
    }
  }
  uint64_t bytes = 0;
  if (text.empty() || ec != std::errc() || (ptr != end && (ptr + 1 != end || unit == 0)) ||
      __builtin_mul_overflow(v, unit, &bytes) || bytes == 0)
    throw Error(from + ": '" + text + "' is not a memory budget (bytes > 0, optionally with K, M, G or T)");
  return bytes;
}

}  // namespace

uint64_t memory_budget_bytes(const std::string& override_text) {
  if (!override_text.empty()) return parse_budget(override_text, "--memory-budget");
  if (const char* env = std::getenv("NVFP4_MEMORY_BUDGET"); env && *env)
    return parse_budget(env, "NVFP4_MEMORY_BUDGET");
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0 ? static_cast<uint64_t>(pages) * static_cast<uint64_t>(page) : UINT64_MAX;
}

std::string bytes_text(double bytes) {
  char buf[64];
  if (bytes >= 1024.0 * 1024 * 1024) std::snprintf(buf, sizeof buf, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
  else if (bytes >= 1024.0 * 1024) std::snprintf(buf, sizeof buf, "%.2f MiB", bytes / (1024.0 * 1024));
  else if (bytes >= 1024.0) std::snprintf(buf, sizeof buf, "%.2f KiB", bytes / 1024.0);
  else std::snprintf(buf, sizeof buf, "%.0f bytes", bytes);
  return buf;
}

void check_memory_budget(double need_bytes, const std::string& what, const std::string& override_text) {
  const uint64_t budget = memory_budget_bytes(override_text);
  if (need_bytes <= static_cast<double>(budget)) return;
  const char* env = std::getenv("NVFP4_MEMORY_BUDGET");
  const std::string source = !override_text.empty() ? "given by --memory-budget"
                             : (env && *env)        ? "given by NVFP4_MEMORY_BUDGET"
                                                    : "the machine's memory; NVFP4_MEMORY_BUDGET changes it";
  throw Error(what + " needs " + bytes_text(need_bytes) + " of memory, more than the budget of " +
              bytes_text(static_cast<double>(budget)) + " (" + source + ")");
}

}  // namespace nvfp4
