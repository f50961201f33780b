"""glibc's allocator, tuned for a long-running server process with a few threads (Linux only).

By default glibc gives each thread that allocates its own arena (up to 8 per core) and raises its
"large allocation" threshold each time a large block is freed, so the big, short-lived buffers of model
inference (tens of MB of activations per batch) end up carved out of per-thread heaps that never shrink:
a server process grew by ~250 MB over 10,000 requests. Two arenas and a fixed threshold (blocks of
256 KiB and more are mapped and unmapped) keep those buffers out of the heaps. Called once, before the
worker threads start; elsewhere (macOS, musl) it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameters (malloc.h)
M_ARENA_MAX = -8


def tune() -> bool:
    """Apply the settings unless the environment already chose (MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD_)."""
    name = ctypes.util.find_library("c")
    if not name or "libc.so" not in name:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    ok = True
    if "MALLOC_ARENA_MAX" not in os.environ:
        ok &= mallopt(M_ARENA_MAX, 2) == 1
    if "MALLOC_MMAP_THRESHOLD_" not in os.environ:
        ok &= mallopt(M_MMAP_THRESHOLD, 256 * 1024) == 1
    return bool(ok)
