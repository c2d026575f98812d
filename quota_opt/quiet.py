"""Keeping a solver's banner off standard output, at the file-descriptor level.

highspy 1.16 prints "Running HiGHS … Copyright" on file descriptor 1 from C++ when the first
``highspy.Highs()`` of a process is made, before ``output_flag`` can be set; redirecting
``sys.stdout`` cannot catch it. Every HiGHS instance quota-opt makes (directly or through PuLP)
is made inside :func:`stdout_fd_silenced`, so ``quota-opt … --json -`` prints JSON and nothing else
whatever version of HiGHS a fresh machine gets. A lock serialises the redirection between threads
(the app runs sessions in threads).
"""

from __future__ import annotations

import os
import sys
import threading
from contextlib import contextmanager
from typing import Iterator

_LOCK = threading.RLock()


@contextmanager
def stdout_fd_silenced() -> Iterator[None]:
    """Point file descriptor 1 at the null device for the duration, then restore it."""
    with _LOCK:
        for stream in (sys.stdout, sys.__stdout__):
            try:
                if stream is not None:
                    stream.flush()
            except (OSError, ValueError):
                pass
        try:
            saved = os.dup(1)
        except OSError:  # no descriptor 1 at all: nothing can be printed on it
            yield
            return
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, 1)
            finally:
                os.close(devnull)
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)


def new_highs():
    """A ``highspy.Highs`` instance, made without its banner reaching standard output."""
    import highspy

    with stdout_fd_silenced():
        return highspy.Highs()
