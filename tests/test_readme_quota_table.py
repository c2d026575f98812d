"""The README's 2025 national quota table is the tool's output (issue 10): written by
scripts/readme_quota_table.py, and equal row by row to `quota-opt quota --year 2025 --level excellent`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from cli_helpers import run_script

ROOT = Path(__file__).resolve().parent.parent
BEGIN = "<!-- quota-table 2025 excellent"
END = "<!-- end of quota-table 2025 excellent -->"


def readme_rows() -> dict[str, dict]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text[text.index(BEGIN): text.index(END)]
    rows = {}
    for line in block.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0].isdigit():
            m = re.match(r"([\d,.]+)（([\d.]+)%，(.+)）", cells[4])
            rows[cells[1]] = {"rank": int(cells[0]), "figure": float(cells[2].replace(",", "")), "quota": int(cells[3]),
                              "margin": float(m[1].replace(",", "")), "margin_pct": float(m[2]), "margin_to": m[3]}
    return rows


def test_the_readme_table_equals_the_cli_output_row_by_row():
    done = run_script("quota", "--year", "2025", "--level", "excellent", "--format", "json")
    assert done.returncode == 0
    cli = {r["unit"]: r for r in json.loads(done.stdout) if r["unit_type"] == "province"}
    readme = readme_rows()
    assert set(readme) == set(cli) and len(readme) == 31
    for unit, row in readme.items():
        r = cli[unit]
        assert (row["rank"], row["figure"], row["quota"], row["margin_to"]) == (r["rank_min"], r["figure"], r["quota"],
                                                                               r["margin_to"]), unit
        assert row["margin"] == round(r["margin"], 1) and row["margin_pct"] == round(r["margin_pct"], 1), unit


def test_the_script_finds_the_readme_up_to_date():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "readme_quota_table.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
