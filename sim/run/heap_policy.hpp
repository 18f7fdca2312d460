#pragma once
// The simulator's heap policy: keep freed memory for the next layer or design point (docs/sim.md, "Heap policy").
// Owned here for every process that runs simulations: `nvfp4sim` applies it first thing, and the design-space
// workers (scripts/nvfp4dse, through the nvfp4_native extension) apply it in-process and pass its environment to the
// worker processes they start.
#include <string>
#include <utility>
#include <vector>

namespace nvfp4::sim {

// Applies the policy to this process through glibc's mallopt; false where the C library is not glibc (nothing done).
bool keep_freed_memory();

// The same policy as glibc's environment variables (name, value), for a process about to be started: they hold from
// its first allocation, before it can call keep_freed_memory(). Empty where the C library is not glibc.
std::vector<std::pair<std::string, std::string>> keep_freed_memory_environment();

}  // namespace nvfp4::sim
