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


def keep_freed_memory() -> bool:
    """Tell glibc's malloc to keep freed memory for reuse; False where the C library has no mallopt (not glibc)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(M_MMAP_THRESHOLD, 1 << 30)) and bool(libc.mallopt(M_TRIM_THRESHOLD, (1 << 31) - 1))
    except (OSError, AttributeError):
        return False
