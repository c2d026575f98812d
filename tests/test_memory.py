"""The processes quota-opt runs in keep the memory they free (quota_opt.memory): a repeated analysis
reuses it instead of taking it from the system again page by page, which on a virtual machine cost a
third of a weight-robustness run."""

from __future__ import annotations

import subprocess
import sys

import pytest

import quota_opt.memory as memory

FAULTS = """
import resource, sys
import numpy as np
import quota_opt.memory as memory

def faults():
    start = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(30):  # what an analysis does: arrays of a few MB made and freed, again and again
        a = np.ones(800_000)
        b = a * 2.0
        c = a + b
        del a, b, c
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - start

faults()
before = faults()
kept = memory.keep_freed_memory()
faults()
after = faults()
print(kept, before, after)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator settings")
def test_arrays_made_and_freed_again_and_again_reuse_the_memory_once_it_is_kept():
    out = subprocess.run([sys.executable, "-c", FAULTS], capture_output=True, text=True, check=True).stdout.split()
    kept, before, after = out[0] == "True", int(out[1]), int(out[2])
    if not kept:
        pytest.skip("this C library has no mallopt (not glibc)")
    assert before > 5_000  # about 19 MB taken from the system every round, page by page
    assert after < before / 10


def test_the_console_script_keeps_freed_memory(monkeypatch):
    import quota_opt.cli as cli

    calls = []
    monkeypatch.setattr(cli, "keep_freed_memory", lambda: calls.append(1) or True)
    assert cli.main(["quota", "--unit", "四川", "--level", "excellent", "--year", "2025", "--format", "json"]) == 0
    assert calls == [1]


def test_the_app_keeps_freed_memory(monkeypatch):
    from app_helpers import start

    calls = []
    monkeypatch.setattr(memory, "keep_freed_memory", lambda: calls.append(1) or True)
    at = start()
    assert not at.exception and calls
