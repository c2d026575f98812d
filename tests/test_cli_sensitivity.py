"""The `quota-opt sensitivity` contract: JSON keys, exit codes (0, 1 infeasible base, 2 bad input), progress only on a terminal."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from quota_opt.cli import main
from quota_opt.samples import sample_path
from cli_helpers import run_cli

REPO = Path(__file__).resolve().parent.parent
BASE = [str(sample_path("sichuan_excellent_2025")), "--unit", "四川", "--level", "excellent", "--year", "2025"]

PROJECT_KEYS = {"project_id", "selection_frequency", "class", "rank_p05", "rank_p50", "rank_p95"}


def run(capsys, *args):
    return run_cli(capsys, "sensitivity", *args)


def test_json_contract_lists_every_eligible_project(capsys):
    code, out, err = run(capsys, *BASE, "--samples", "200", "--json", "-")
    doc = json.loads(out)
    assert code == 0 and err == ""
    assert doc["samples"] == 200 and doc["seed"] == 0 and doc["spread"] == 0.2 and doc["method"] == "uniform"
    assert all(PROJECT_KEYS <= set(p) for p in doc["projects"])
    assert len(doc["projects"]) == 105  # the eligible projects of the sample pool
    assert all(p["class"] in ("core", "borderline", "exterior") for p in doc["projects"])
    assert sum(p["selection_frequency"] for p in doc["projects"]) <= doc["quota"] + 1e-9
    assert set(doc["timings"]) >= {"sampling", "solving", "total"}


def test_spread_0_gives_1_for_the_recommendation_and_0_for_the_rest(capsys):
    code, out, _ = run(capsys, *BASE, "--samples", "30", "--spread", "0", "--json", "-")
    doc = json.loads(out)
    assert main(["recommend", *BASE, "--json", "-"]) == 0
    picks = {r["project_id"] for r in json.loads(capsys.readouterr().out)["selected"]}
    assert code == 0 and set(doc["base_selected"]) == picks
    assert {p["project_id"]: p["selection_frequency"] for p in doc["projects"]} == {
        p["project_id"]: (1.0 if p["project_id"] in picks else 0.0) for p in doc["projects"]}


def test_same_seed_same_json_and_a_file_with_the_table_on_stdout(capsys, tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    for path in (a, b):
        code, out, _ = run(capsys, *BASE, "--samples", "100", "--seed", "5", "--dirichlet", "50", "--json", str(path))
        assert code == 0 and "核心 core" in out and "Dirichlet" in out
    da, db = (json.loads(p.read_text(encoding="utf-8")) for p in (a, b))
    da.pop("timings"), db.pop("timings")
    assert da == db and da["concentration"] == 50.0


def test_infeasible_base_case_exits_1(capsys, tmp_path):
    scenario = tmp_path / "s.toml"
    scenario.write_text("[constraints]\nmin_per_city = 4\n", encoding="utf-8")
    code, out, _ = run(capsys, *BASE, "--scenario", str(scenario), "--samples", "10", "--json", "-")
    doc = json.loads(out)
    assert code == 1 and doc["status"] == "infeasible" and doc["explanation"]


@pytest.mark.parametrize("extra,needle", [
    (["--spread", "1.5"], "spread"), (["--spread", "abc"], "--spread"), (["--samples", "0"], "samples"),
    (["--dirichlet", "-1"], "Dirichlet"), (["--seed", "-3"], "--seed"), (["--unit", "XPCC", "--level", "leading"], "--quota"),
])
def test_bad_input_exits_2_with_one_bilingual_line(capsys, extra, needle):
    code, _, err = run(capsys, *BASE, *extra)
    assert code == 2 and needle in err and "错误" in err and "Error" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_drawn_on_a_terminal_and_wiped(capsys, monkeypatch):
    term = _Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    assert main(["sensitivity", *BASE, "--samples", "200", "--json", "-"]) == 0
    drawn = term.getvalue()
    assert "sampling weights" in drawn and "200/200" in drawn and drawn.count("\r") >= 50
    assert drawn.endswith("\r") and json.loads(capsys.readouterr().out)["samples"] == 200


def test_nothing_extra_when_piped():
    proc = subprocess.run([sys.executable, "-m", "quota_opt", "sensitivity", *BASE, "--samples", "50", "--json", "-"],
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert proc.returncode == 0 and proc.stderr == "" and json.loads(proc.stdout)["samples"] == 50


def test_samples_have_one_hard_limit_for_the_cli_and_the_app(capsys, tmp_path):
    """Issue 9 §2: MAX_SAMPLES, defined once in the core, bounds the CLI (checked as the options are read,
    before the file is even opened) and every caller of the core, the app's robustness page included."""
    from quota_opt.errors import InputError
    from quota_opt.sensitivity import MAX_SAMPLES, sample_weights

    code, out, err = run(capsys, str(tmp_path / "not-read.csv"), *BASE[1:], "--samples", str(MAX_SAMPLES + 1))
    assert code == 2 and out == "" and f"{MAX_SAMPLES}" in err and "not-read" not in err
    code, _, err = run(capsys, str(tmp_path / "not-read.csv"), *BASE[1:], "--samples", str(MAX_SAMPLES))
    assert code == 2 and "not-read" in err  # the limit itself is accepted: the missing file is what fails
    with pytest.raises(InputError, match=f"too many samples: at most {MAX_SAMPLES:,}"):
        sample_weights({"a": 0.5, "b": 0.5}, MAX_SAMPLES + 1)
    assert sample_weights({"a": 0.5, "b": 0.5}, MAX_SAMPLES).shape == (MAX_SAMPLES, 2)
    from app_pages.robustness_page import SAMPLE_CHOICES

    assert max(SAMPLE_CHOICES) <= MAX_SAMPLES
