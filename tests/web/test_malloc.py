"""The server process's allocator settings (web/malloc.py) take on glibc."""

import ctypes.util
import subprocess
import sys

import pytest



@pytest.mark.skipif(not (ctypes.util.find_library("c") or "").startswith("libc.so"), reason="not glibc")
def test_tune_applies_on_glibc_in_a_fresh_process():
    # A process of its own: the settings are for the whole process and must come before its threads.
    out = subprocess.run([sys.executable, "-c", "from remarks.web import malloc; print(malloc.tune())"],
                         capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin:/bin",
                                                                          "PYTHONPATH": ":".join(sys.path)})
    assert out.stdout.strip() == "True", out.stderr

