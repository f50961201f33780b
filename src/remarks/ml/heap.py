"""Giving freed memory back to the system. glibc keeps what a process frees for its own later use; after
building an onnxruntime session (~60 MB of temporaries: the model's protobuf, the int8 weights before they
are folded to float32) that memory would stay in every server process for good. ``malloc_trim`` returns
it; where the C library has no such call (musl, macOS) this does nothing."""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache


@cache
def _trim():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def give_back() -> None:
    """Return the free memory at the top and inside the heap to the system (glibc ``malloc_trim(0)``)."""
    trim = _trim()
    if trim is not None:
        trim(0)
