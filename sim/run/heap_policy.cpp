#include "sim/run/heap_policy.hpp"

#include <limits>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace nvfp4::sim {
namespace {

// Every layer (every design point) allocates and frees tensors of tens to hundreds of MB. glibc would map each one
// afresh (above its mmap threshold) and return it on free, so every layer paid the kernel's page faults and page
// zeroing again (7.8 s of system time on Llama-3.2-1B prefill; over half of a design-space worker's CPU time).
// Keeping freed memory in the heap costs nothing in peak (the largest layer's) and removes most of that time.
// One arena for every thread: glibc gives each new thread (a Dask worker's task thread, a --threads worker) an arena
// whose 64 MB heaps are mmap'd afresh whatever the thresholds say (4 s of system time and no speed-up with
// --threads 2); the few large allocations per layer make the shared arena's lock cheap.
constexpr int kMmapMax = 0;                                      // no block is ever mmap'd on its own
constexpr int kTrimThreshold = std::numeric_limits<int>::max();  // freed memory is never returned to the kernel
constexpr int kArenaMax = 1;                                     // one arena (the main heap) for every thread

}  // namespace

bool keep_freed_memory() {
#if defined(__GLIBC__)
  return mallopt(M_MMAP_MAX, kMmapMax) == 1 && mallopt(M_TRIM_THRESHOLD, kTrimThreshold) == 1 &&
         mallopt(M_ARENA_MAX, kArenaMax) == 1;
#else
  return false;
#endif
}

std::vector<std::pair<std::string, std::string>> keep_freed_memory_environment() {
#if defined(__GLIBC__)
  return {{"MALLOC_MMAP_MAX_", std::to_string(kMmapMax)},
          {"MALLOC_TRIM_THRESHOLD_", std::to_string(kTrimThreshold)},
          {"MALLOC_ARENA_MAX", std::to_string(kArenaMax)}};
#else
  return {};
#endif
}

}  // namespace nvfp4::sim
