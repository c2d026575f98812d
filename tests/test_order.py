"""Priority order of the picks, and a reason for every eligible project left out."""

from __future__ import annotations

import pandas as pd

from factories import make_pool
from quota_opt.columns import ReasonCode
from quota_opt.optimise import optimise
from quota_opt.order import order
from quota_opt.scenario import default_scenario
from quota_opt.score import score
from test_optimise import ROWS, tiny


def ordered(rows, quota, **constraints):
    frame, scores, cons = tiny(rows, **constraints)
    frame["project_name"] = [f"项目{r[0]}" for r in rows]
    sel = optimise(frame, scores, quota, cons)
    return sel, order(sel, frame)


def reasons(result):
    return dict(zip(result.not_selected["project_id"], result.not_selected["reason_code"]))


def test_picks_are_ranked_by_score_then_project_id():
    rows = [("B", 80, "i", "c", ""), ("A", 80, "i", "c", ""), ("C", 95, "i", "c", ""), ("D", 10, "i", "c", "")]
    _, result = ordered(rows, 3)
    assert result.selected["project_id"].tolist() == ["C", "A", "B"]
    assert result.selected["rank"].tolist() == [1, 2, 3]
    assert result.selected["project_name"].tolist() == ["项目C", "项目A", "项目B"]


def test_quota_full_of_better_projects():
    _, result = ordered(ROWS, 3)
    assert reasons(result) == {"P4": "quota_full", "P5": "quota_full", "P6": "quota_full"}
    row = result.not_selected.iloc[0]
    assert "the quota of 3 is full of projects ranked above this one" == row["reason_en"]
    assert row["blocked_by"] == []


def test_industry_cap_names_the_projects_holding_it():
    _, result = ordered(ROWS, 3, max_per_industry=1)
    r = result.not_selected.set_index("project_id")
    assert r.loc["P2", "reason_code"] == ReasonCode.INDUSTRY_CAP.value
    assert r.loc["P2", "blocked_by"] == ["P1"]
    assert "industry 汽车 may have at most 1, and the places are taken by P1 (90.00)" == r.loc["P2", "reason_en"]
    assert "行业“汽车”最多推荐 1 个" in r.loc["P2", "reason_zh"]


def test_city_and_group_caps():
    _, result = ordered(ROWS, 6, max_per_city=1)
    assert reasons(result) == {"P2": "city_cap_full", "P4": "city_cap_full", "P6": "city_cap_full"}
    rows = [("A", 9, "i", "c", "集团"), ("B", 8, "j", "d", "集团"), ("C", 7, "k", "e", "")]
    _, result = ordered(rows, 3, max_per_group=1)
    assert reasons(result) == {"B": "group_cap_full"}
    assert result.not_selected.iloc[0]["blocked_by"] == ["A"]


def test_excluded_and_below_the_minimum_score():
    _, result = ordered(ROWS, 6, exclude=("P2",), min_score=72)
    r = result.not_selected.set_index("project_id")
    assert r.loc["P2", "reason_code"] == "excluded" and r.loc["P2", "reason_en"] == "excluded by the user"
    assert r.loc["P5", "reason_code"] == "below_min_score"
    assert r.loc["P5", "reason_en"] == "score 70.00 is below the minimum score 72"


def test_a_place_held_by_a_lower_project_says_why():
    """德阳 needs one pick: P5 (70) is in ahead of P4 (75), and P4's reason says P5 holds a place for the floor."""
    _, result = ordered(ROWS, 3, min_per_city=1, max_per_industry=2)
    r = result.not_selected.set_index("project_id")
    assert r.loc["P4", "reason_code"] == "quota_full"
    assert "P5 (70.00, needed for: at least 1 from city 德阳)" in r.loc["P4", "reason_en"]
    assert "P5" in r.loc["P4", "blocked_by"]
    _, result = ordered(ROWS, 2, include=("P6",))
    r = result.not_selected.set_index("project_id")
    assert "P6 (65.00, must-include)" in r.loc["P2", "reason_en"]


def test_when_infeasible_every_eligible_project_is_left_out_because_the_rules_conflict():
    sel, result = ordered(ROWS, 2, min_per_city=1)
    assert sel.status == "infeasible" and result.selected.empty
    assert sorted(result.not_selected["project_id"]) == sorted(r[0] for r in ROWS)
    assert set(result.not_selected["reason_code"]) == {"rules_conflict"}


def test_every_eligible_project_appears_exactly_once_with_a_reason():
    pool = make_pool(200, seed=9)
    scen = default_scenario().with_constraints(max_per_industry=5, max_per_city=4, min_per_city=1, max_per_group=1,
                                               min_score=40, exclude=["SC-003"])
    sel = optimise(pool, score(pool, scen), 40, scen)
    result = order(sel, pool)
    ids = result.selected["project_id"].tolist() + result.not_selected["project_id"].tolist()
    assert sorted(ids) == sorted(pool["project_id"]) and len(ids) == len(set(ids))
    assert result.not_selected["reason_code"].isin([c.value for c in ReasonCode]).all()
    assert (result.not_selected["reason_zh"].str.len() > 0).all() and (result.not_selected["reason_en"].str.len() > 0).all()
    scores = pd.Series(result.selected["score"].to_numpy())
    assert scores.is_monotonic_decreasing
