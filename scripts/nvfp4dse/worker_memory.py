"""Memory settings of a process that evaluates design points (docs/dse.md, "Reuse").

A point allocates and frees arrays of 10-60 MB (im2col inputs, GEMM outputs, read-back tensors). With glibc's
defaults (and Dask's MALLOC_TRIM_THRESHOLD_=65536 for its workers) each one is a fresh mmap, and every page of it is
faulted in again by the kernel: measured on the default study, system time was 55 % of a worker's CPU time. Keeping
freed memory in the heap (no mmap for blocks under 1 GiB, no trimming) lets the next point reuse it: the same 16
points took 5.7 s of CPU instead of 10.8 s. The cost is a worker's resident size staying at its peak (the reuse cache
MEMO is bounded at 768 MB)."""
from __future__ import annotations

import ctypes
import ctypes.util

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc <malloc.h>

# The same settings as glibc's environment, for worker processes this package starts (the local cluster's nanny sets
# them before it spawns a worker): they hold from the worker's first allocation, in every thread. A Dask worker runs
# points in a thread of its own, and glibc gives such a thread its own arena, whose heaps are mmap'd 64 MB at a time:
# a 60 MB array there is a fresh mmap whatever M_MMAP_THRESHOLD says. One arena (the main heap) for every thread
# keeps the freed blocks for the next point.
MALLOC_ENVIRON = {"MALLOC_ARENA_MAX": "1", "MALLOC_MMAP_THRESHOLD_": str(1 << 30),
                  "MALLOC_TRIM_THRESHOLD_": str((1 << 31) - 1)}


def keep_freed_memory() -> bool:
    """Tell glibc's malloc to keep freed memory for reuse; False where the C library has no mallopt (not glibc)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(M_MMAP_THRESHOLD, 1 << 30)) and bool(libc.mallopt(M_TRIM_THRESHOLD, (1 << 31) - 1))
    except (OSError, AttributeError):
        return False
