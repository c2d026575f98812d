"""The `quota-opt whatif` contract: JSON keys, plain-words answer, exit codes (0, 1 infeasible, 2 bad input)."""

from __future__ import annotations

import json
import re

import pytest

from quota_opt.samples import sample_path
from cli_helpers import run_cli, run_script

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
    assert "to stay in it needs a score" in out and "the balance rules cost" in out and "at most per city alone" in out
    assert "其中“每个城市最多推荐”单独" in out


@pytest.mark.parametrize("project,needle", [("SC-002", "E2025-E-stages"), ("NOPE-1", "not in the candidate table")])
def test_a_project_that_is_not_a_candidate_exits_2_saying_why(capsys, project, needle):
    code, _, err = run(capsys, *BASE, "--project", project)
    assert code == 2 and needle in err and len(err.strip().splitlines()) == 1


def test_infeasible_rules_exit_1(capsys, tmp_path):
    scenario = tmp_path / "s.toml"
    scenario.write_text("[constraints]\nmin_per_city = 4\n", encoding="utf-8")
    code, out, _ = run(capsys, *BASE, "--scenario", str(scenario), "--project", "SC-066", "--json", "-")
    assert code == 1 and json.loads(out)["project"]["status"] == "infeasible"


def test_whatif_prose_says_a_score_above_100_is_not_reachable_by_score_alone(tmp_path):
    """Under at most 3 per industry and 5 per city, SC-090 would need 101.78 (above the highest score a
    project can have): the installed CLI says it is not reachable by score alone, with 2 decimals as the
    tables show scores, and no signed 'decrease'."""
    scenario = tmp_path / "s.toml"
    scenario.write_text("[constraints]\nmax_per_industry = 3\nmax_per_city = 5\n", encoding="utf-8")
    done = run_script("whatif", *BASE, "--scenario", scenario, "--project", "SC-090")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "仅靠分数无法入选：所需得分不低于 101.78，超过最高可能得分 100.00" in out
    assert "not reachable by score alone: to enter it would need a score of at least 101.78" in out
    assert not re.search(r"\d\.\d{3,}", out), out  # every figure in the prose has 2 decimals
    assert "减少 -" not in out and "gives up -" not in out
    doc = json.loads(run_script("whatif", *BASE, "--scenario", scenario, "--project", "SC-090", "--json", "-").stdout)
    assert doc["project"]["needed"] == 101.778228  # the JSON keeps the exact figure
