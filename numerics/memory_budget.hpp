// Sizes checked before any work (docs/cli.md, "Sizes and the memory budget"): products of dimensions in 64 bits
// without overflow, and the memory a piece of work needs against a stated budget. The budget is what the machine has
// (physical memory) unless NVFP4_MEMORY_BUDGET (bytes, or with a suffix K/M/G/T, powers of 1024) says otherwise; the
// simulator also takes it as an option. Refusals name the work, the need and the budget.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>

namespace nvfp4 {

// Product of non-negative factors; throws nvfp4::Error "<what>: ... overflows 64 bits" when it does not fit int64_t.
int64_t checked_product(std::initializer_list<int64_t> factors, const std::string& what);

// The budget in bytes: `override_text` when not empty (an option's value), else $NVFP4_MEMORY_BUDGET, else physical
// memory. Throws nvfp4::Error for a malformed or zero budget, naming where it came from.
uint64_t memory_budget_bytes(const std::string& override_text = "");

// Throws nvfp4::Error("<what> needs N GiB of memory, more than the budget of B GiB (...how to change it)").
void check_memory_budget(double need_bytes, const std::string& what, const std::string& override_text = "");

// "1.50 GiB"-style text for messages.
std::string bytes_text(double bytes);

}  // namespace nvfp4
