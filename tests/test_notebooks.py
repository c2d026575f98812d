"""The notebooks run from top to bottom (nbclient) and use only the public package API."""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import quota_opt

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def code_of(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_uses_only_the_public_api(path):
    code = code_of(nbformat.read(path, as_version=4))
    assert not re.search(r"from\s+quota_opt\.|import\s+quota_opt\.", code)
    used = set(re.findall(r"\bqo\.(\w+)", code))
    assert used and used <= set(quota_opt.__all__), used - set(quota_opt.__all__)


def test_what_if_notebook_runs_and_shows_each_answer(monkeypatch):
    path = REPO / "notebooks" / "what_if_analysis.ipynb"
    nb = nbformat.read(path, as_version=4)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(REPO)}}).execute()
    # a cell's printed text may arrive in several stream messages: join them as they came
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "quota 40, 105 eligible of 120 rows" in printed
    # the weights that differ come in the canonical criterion order
    assert "entered:" in printed and "weights that differ: ['expert_score', 'ai_scenario_share']" in printed
    assert "spread 0 reproduces the recommendation: 40 core projects" in printed
    assert "forcing it in gives up" in printed and "the balance rules cost" in printed
    assert "['ai-heavier', 'reference']" in printed and "entered (selected in B, not in A)" in printed
