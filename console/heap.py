"""Giving freed memory back to the system after a bulk load.

glibc's allocator keeps memory freed inside its heap for reuse; after the initial load of
100,000 events (a transient list of about 600 MB of models) some 40 MB of it stays with the
process. `malloc_trim(0)` hands the free pages back. Elsewhere (macOS, Windows, musl) this
does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import cache


def trim_heap() -> bool:
    """Return free heap pages to the system; True when it could (glibc)."""
    trim = _malloc_trim()
    return bool(trim is not None and trim(0))


@cache
def _malloc_trim():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):
        return None
