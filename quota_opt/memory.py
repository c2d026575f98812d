"""How the processes quota-opt runs in (the console script, the app) keep memory they free.

The analysis makes and frees arrays of a few MB many times (weight samples' scores and costs, the
simplex's working arrays, rank counts). glibc's allocator gives such blocks back to the system when
they are freed -- blocks over its mmap threshold, and the top of the heap past its trim threshold --
so the next call takes them again, page by page. On the virtual machines this runs on, a page costs
several microseconds to take: one weight-robustness analysis of 2,000 samples took some 7,000 page
faults (28 MB) every time, a third of its run. :func:`keep_freed_memory` raises both thresholds
(blocks up to 32 MB come from the heap; up to 256 MB of freed heap is kept), so a repeated analysis
reuses its memory: under a hundred faults. The peak is unchanged; what the process holds after a
large file is read stays held until the process ends or reuses it.

Only glibc (Linux) has these settings; elsewhere this does nothing. It is called by the console
script's ``main`` and by ``app.py``, once per process, never by the library on import.
"""

from __future__ import annotations

import ctypes
import sys

MMAP_THRESHOLD = 32 * 2 ** 20  # glibc's largest: blocks up to this come from the heap
TRIM_THRESHOLD = 256 * 2 ** 20  # freed heap kept before any is given back
_M_TRIM_THRESHOLD = -1  # glibc's mallopt parameters (malloc.h)
_M_MMAP_THRESHOLD = -3

_kept: list[bool] = []


def keep_freed_memory() -> bool:
    """Raise glibc's mmap and trim thresholds for this process (once); whether they are set."""
    if _kept:
        return _kept[0]
    ok = False
    if sys.platform.startswith("linux"):
        try:
            mallopt = ctypes.CDLL(None).mallopt  # the process's C library; musl has no mallopt
            mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
            mallopt.restype = ctypes.c_int
            ok = mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1 and mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
        except (OSError, AttributeError):
            ok = False
    _kept.append(ok)
    return ok


def kept() -> bool:
    """Whether :func:`keep_freed_memory` has set the thresholds in this process."""
    return bool(_kept and _kept[0])
