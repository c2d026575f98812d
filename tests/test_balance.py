"""Counts against caps and floors, and the score given up to the balance rules (checked by brute force)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst

from brute import brute_force
from factories import make_pool
from quota_opt.balance import AT_CAP, AT_FLOOR, FREE, SHORT, balance_cost, limits, rule_usage
from quota_opt.optimise import build_problem
from quota_opt.result import build_recommendation
from quota_opt.scenario import Constraints, default_scenario
from quota_opt.score import score

CITIES3 = ("成都市", "绵阳市", "德阳市")
INDUSTRIES3 = ("汽车制造业", "医药制造业", "食品制造业")


def recommend(pool, quota, **rules):
    return build_recommendation(pool, quota, default_scenario().with_constraints(**rules))


def test_usage_counts_candidates_and_picks_with_the_caps_and_floors_that_applied():
    pool = make_pool(40, seed=3, cities=CITIES3, industries=INDUSTRIES3)
    rec = recommend(pool, 10, max_per_industry=4, industry_max={"汽车制造业": 2}, min_per_city=2,
                    city_min={"德阳市": 3, "雅安市": 0, "攀枝花市": 0})
    usage = rule_usage(rec, pool).set_index(["dimension", "key"])
    picked = {r["project_id"] for r in rec.selected}
    for ind in INDUSTRIES3:
        row = usage.loc[("industry", ind)]
        members = pool.loc[pool["industry"] == ind, "project_id"]
        assert row["candidates"] == len(members) and row["selected"] == len(set(members) & picked)
        assert row["cap"] == (2 if ind == "汽车制造业" else 4) and pd_na(row["floor"])
    assert usage.loc[("industry", "汽车制造业"), "state"] == AT_CAP
    assert usage.loc[("city", "德阳市"), "floor"] == 3 and usage.loc[("city", "成都市"), "floor"] == 2
    # a named floor of 0 is no floor, and a city without candidates appears only if a floor names it
    assert ("city", "雅安市") not in usage.index
    assert usage.xs("industry").loc[:, "selected"].sum() == len(rec.selected) == 10
    for dimension in ("industry", "city", "group"):
        assert usage.xs(dimension)["selected"].sum() == 10


def pd_na(value) -> bool:
    return bool(pd.isna(value))


def test_usage_agrees_with_every_row_of_the_integer_program():
    pool = make_pool(60, seed=8)
    rules = dict(max_per_industry=6, min_per_industry=1, max_per_city=5, min_per_city=1, max_per_group=2,
                 industry_max={"汽车制造业": 3}, city_min={"成都市": 3}, group_max={"东方电气集团": 1})
    rec = recommend(pool, 25, **rules)
    usage = rule_usage(rec, pool).set_index(["dimension", "key"])
    problem = build_problem(pool, {r["project_id"]: r["score"] for r in (*rec.selected, *rec.not_selected)}, 25,
                            rec.scenario)
    dims = {"industry": "industry", "city": "city", "group": "group"}
    checked = 0
    for rule in problem.rules:
        if rule.family == "quota":
            continue
        dimension = dims[rule.family.split("_per_")[1]]
        row = usage.loc[(dimension, rule.key)]
        assert row["candidates"] == len(rule.members)
        if rule.upper is not None:
            assert row["cap"] == rule.upper and row["selected"] <= rule.upper
        if rule.lower is not None:
            assert row["floor"] == rule.lower and row["selected"] >= rule.lower
        checked += 1
    assert checked > 20


def test_an_infeasible_floor_shows_below_floor():
    pool = make_pool(12, seed=1, cities=CITIES3, industries=INDUSTRIES3)
    rec = recommend(pool, 5, city_min={"成都市": 9})
    assert not rec.feasible
    usage = rule_usage(rec, pool).set_index(["dimension", "key"])
    assert usage.loc[("city", "成都市"), "state"] == SHORT
    assert set(usage["state"]) <= {SHORT, FREE, AT_FLOOR, AT_CAP}


def test_limits_resolution():
    c = Constraints(max_per_city=3, city_max={"成都市": 5}, min_per_city=1, city_min={"雅安市": 2})
    assert limits(c, "city", "成都市") == (1, 5)
    assert limits(c, "city", "绵阳市") == (1, 3)
    assert limits(c, "city", "雅安市", has_candidates=False) == (2, 3)
    assert limits(c, "city", "巴中市", has_candidates=False) == (None, 3)
    assert limits(Constraints(max_per_group=1), "group", "某集团") == (None, 1)


def test_no_balance_rule_costs_nothing():
    pool = make_pool(30, seed=2)
    cost = balance_cost(recommend(pool, 10), pool)
    assert cost.status == "ok" and cost.given_up == 0 and cost.brought_in == () and cost.kept_out == ()


@pytest.mark.parametrize("seed", range(12))
def test_given_up_equals_the_difference_of_two_brute_force_optima(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(6, 12))
    pool = make_pool(n, seed=seed, cities=CITIES3, industries=INDUSTRIES3)
    ids = list(pool["project_id"])
    include = [ids[0]] if seed % 3 == 0 else []
    exclude = [ids[1]] if seed % 4 == 0 else []
    quota = int(rng.integers(2, 6))
    rules = dict(max_per_industry=int(rng.integers(1, 3)), min_per_city=int(rng.integers(0, 2)),
                 max_per_group=1, min_score=float(rng.integers(0, 40)), include=include, exclude=exclude)
    rec = recommend(pool, quota, **rules)
    scores = {r["project_id"]: r["score"] for r in (*rec.selected, *rec.not_selected)}
    constrained = brute_force(build_problem(pool, scores, quota, rec.scenario))
    reference = brute_force(build_problem(pool, scores, quota, Constraints(
        include=tuple(include), exclude=tuple(exclude), min_score=rules["min_score"])))
    cost = balance_cost(rec, pool)
    if constrained[0] == "infeasible":
        assert cost.status == "infeasible" and cost.given_up is None
        return
    assert cost.status == "ok"
    assert cost.given_up == pytest.approx(reference[2] - constrained[2], abs=1e-6) and cost.given_up >= 0
    def priority(ids):
        return sorted(ids, key=lambda p: (-scores[p], p))
    assert [r["project_id"] for r in cost.brought_in] == priority(p for p in constrained[1] if p not in reference[1])
    assert [r["project_id"] for r in cost.kept_out] == priority(p for p in reference[1] if p not in constrained[1])
    traded = sum(r["score"] for r in cost.kept_out) - sum(r["score"] for r in cost.brought_in)
    assert traded == pytest.approx(cost.given_up, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(hst.integers(1, 60), hst.integers(0, 2**16), hst.fixed_dictionaries({}, optional={
    "max_per_industry": hst.integers(1, 4), "min_per_industry": hst.integers(0, 1), "max_per_city": hst.integers(1, 4),
    "min_per_city": hst.integers(0, 2), "max_per_group": hst.integers(1, 2),
    "city_min": hst.just({"攀枝花市": 1}), "industry_max": hst.just({"医药制造业": 1})}),
    hst.floats(0.0, 0.6))
def test_usage_from_the_problems_keys_equals_usage_from_the_pool(n, seed, rules, group_share):
    """The app hands rule_usage the problem the recommendation was solved on (issue 13): its folded
    industries, cities and groups give the same table as folding the pool's columns again, on pools
    with every rule family (named floors of cities without a candidate and infeasible rules too)."""
    pool = make_pool(n, seed=seed, cities=CITIES3 + (" 成都市 ",), industries=INDUSTRIES3, group_share=group_share)
    if n >= 2:  # an enterprise left empty: the project is its own group, named by its empty text
        pool["enterprise"] = pool["enterprise"].astype(object)
        pool.loc[pool.index[0], "enterprise"], pool.loc[pool.index[1], "enterprise"] = "", None
    scenario = default_scenario().with_constraints(**rules)
    rec = build_recommendation(pool, max(1, n // 4), scenario)
    problem = build_problem(pool, score(pool, scenario), rec.quota, scenario)
    pd.testing.assert_frame_equal(rule_usage(rec, pool, problem=problem), rule_usage(rec, pool))
