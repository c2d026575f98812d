"""The `quota-opt whatif` contract: JSON keys, plain-words answer, exit codes (0, 1 infeasible, 2 bad input)."""

from __future__ import annotations

import json

import pytest

from quota_opt.samples import sample_path
from cli_helpers import run_cli

BASE = [str(sample_path("sichuan_excellent_2025")), "--unit", "四川", "--level", "excellent", "--year", "2025"]
PROJECT_KEYS = {"project_id", "score", "selected", "forced", "cost", "entered", "left", "reach", "threshold", "needed",
                "needed_inclusive", "fixed_by"}


def run(capsys, *args):
    return run_cli(capsys, "whatif", *args)


def test_json_for_a_project_left_out(capsys):
    code, out, err = run(capsys, *BASE, "--project", "SC-066", "--json", "-")
    doc = json.loads(out)
    p = doc["project"]
    assert code == 0 and err == "" and PROJECT_KEYS <= set(p)
    assert (p["selected"], p["forced"], p["entered"], p["left"]) == (False, "in", ["SC-066"], ["SC-064"])
    assert p["cost"] == round(p["objective"] - p["forced_objective"], 6) > 0
    assert p["needed"] > p["score"] and p["needed_inclusive"] is False  # it would tie SC-064, which wins by id
    assert doc["rules_cost"]["cost"] == 0.0  # the default scenario has no balance rule


def test_plain_words_for_a_pick_under_city_caps(capsys, tmp_path):
    scenario = tmp_path / "s.toml"
    scenario.write_text("[constraints]\nmax_per_city = 6\nmax_per_group = 1\n", encoding="utf-8")
    code, out, _ = run(capsys, *BASE, "--scenario", str(scenario), "--project", "SC-090")
    assert code == 0
    assert "强制不选" in out and "forcing it out gives up" in out and "would take its place" in out
    assert "to stay in it needs a score" in out and "the balance rules cost" in out and "max_per_city alone" in out


@pytest.mark.parametrize("project,needle", [("SC-002", "E2025-E-stages"), ("NOPE-1", "not in the candidate table")])
def test_a_project_that_is_not_a_candidate_exits_2_saying_why(capsys, project, needle):
    code, _, err = run(capsys, *BASE, "--project", project)
    assert code == 2 and needle in err and len(err.strip().splitlines()) == 1


def test_infeasible_rules_exit_1(capsys, tmp_path):
    scenario = tmp_path / "s.toml"
    scenario.write_text("[constraints]\nmin_per_city = 4\n", encoding="utf-8")
    code, out, _ = run(capsys, *BASE, "--scenario", str(scenario), "--project", "SC-066", "--json", "-")
    assert code == 1 and json.loads(out)["project"]["status"] == "infeasible"
