"""The integer program: rules as named rows, the tie rule, both solvers, infeasibility as a result."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from brute import brute_force
from factories import make_pool
from quota_opt.errors import InputError
from quota_opt.optimise import (SelectionModel, build_problem, build_pulp_model, make_solver, optimise,
                                priority_order)
from quota_opt.scenario import Constraints, FrozenMap, default_scenario
from quota_opt.score import score


def tiny(rows, **constraints):
    """rows: (project_id, score, industry, city, group[, enterprise]) -> (pool, scores, Constraints)."""
    frame = pd.DataFrame([{"project_id": r[0], "industry": r[2], "city": r[3], "group": r[4],
                           "enterprise": r[5] if len(r) > 5 else f"企业{r[0]}"} for r in rows])
    scores = pd.Series([float(r[1]) for r in rows], index=[r[0] for r in rows])
    tables = {k: FrozenMap(v) for k, v in constraints.items() if isinstance(v, dict)}
    rest = {k: v for k, v in constraints.items() if not isinstance(v, dict)}
    return frame, scores, Constraints(**rest, **tables)


def solve(rows, quota, solver="highs", **constraints):
    frame, scores, cons = tiny(rows, **constraints)
    return optimise(frame, scores, quota, cons, solver=solver)


ROWS = [
    ("P1", 90, "汽车", "成都", ""), ("P2", 85, "汽车", "成都", ""), ("P3", 80, "汽车", "绵阳", ""),
    ("P4", 75, "医药", "绵阳", ""), ("P5", 70, "医药", "德阳", ""), ("P6", 65, "电子", "德阳", ""),
]


def test_without_rules_the_best_scores_fill_the_quota_in_priority_order():
    sel = solve(ROWS, 3)
    assert sel.status == "optimal" and sel.selected == ("P1", "P2", "P3")
    assert sel.objective == 255.0


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_industry_cap(solver):
    """max_per_industry: at most 1 from 汽车, so P2 and P3 give way to P4 and P5."""
    assert solve(ROWS, 3, solver, max_per_industry=1).selected == ("P1", "P4", "P6")


def test_industry_max_table_overrides_the_general_cap():
    assert solve(ROWS, 4, max_per_industry=1, industry_max={"汽车": 2}).selected == ("P1", "P2", "P4", "P6")


def test_city_cap_and_floor():
    assert solve(ROWS, 3, max_per_city=1).selected == ("P1", "P3", "P5")
    # every city with a candidate gets at least one, so the 3 places go one to each city
    assert solve(ROWS, 3, min_per_city=1).selected == ("P1", "P3", "P5")
    assert solve(ROWS, 4, min_per_city=1).selected == ("P1", "P2", "P3", "P5")


def test_city_min_table_floor():
    assert solve(ROWS, 3, city_min={"德阳": 2}).selected == ("P1", "P5", "P6")


def test_industry_floor():
    assert solve(ROWS, 3, min_per_industry=1).selected == ("P1", "P4", "P6")
    assert solve(ROWS, 3, industry_min={"电子": 1}).selected == ("P1", "P2", "P6")


def test_group_cap_and_an_empty_group_is_the_enterprise_itself():
    rows = [("A", 90, "i", "c", "集团甲"), ("B", 80, "i", "c", "集团甲"), ("C", 70, "i", "c", "", "同一企业"),
            ("D", 60, "i", "c", "", "同一企业"), ("E", 50, "i", "c", "")]
    assert solve(rows, 4, max_per_group=1).selected == ("A", "C", "E")
    assert solve(rows, 4, max_per_group=1, group_max={"集团甲": 2}).selected == ("A", "B", "C", "E")


def test_include_exclude_and_min_score():
    assert solve(ROWS, 3, include=("P6",)).selected == ("P1", "P2", "P6")
    assert solve(ROWS, 3, exclude=("P1",)).selected == ("P2", "P3", "P4")
    assert solve(ROWS, 6, min_score=78).selected == ("P1", "P2", "P3")
    # a must-include project is recommended whatever its score
    assert solve(ROWS, 6, min_score=78, include=("P6",)).selected == ("P1", "P2", "P3", "P6")


def test_every_rule_is_a_named_row_with_a_bilingual_description():
    frame, scores, cons = tiny(ROWS, max_per_industry=1, min_per_city=1, max_per_group=1, max_per_city=2,
                               include=("P6",), exclude=("P5",), min_score=70)
    problem = build_problem(frame, scores, 3, cons)
    names = {r.name for r in problem.rules}
    assert {"quota", "max_per_industry[汽车]", "max_per_industry[医药]", "min_per_city[成都]",
            "min_per_city[绵阳]", "min_per_city[德阳]"} <= names
    assert "max_per_city[德阳]" not in names  # 2 candidates, cap 2: never binds, so no row
    desc = problem.descriptions()
    assert desc["max_per_industry[汽车]"] == ("行业“汽车”最多推荐 1 个", "at most 1 from industry 汽车")
    assert desc["include[P6]"][1] == "P6 must be recommended" and "exclude[P5]" in desc
    assert all(r.solver_name.isascii() for r in problem.rules)
    model, _ = build_pulp_model(problem)
    assert {r.solver_name for r in problem.rules} == set(model.constraints)


def test_tie_rule_equal_scores_prefer_the_smaller_project_id():
    rows = [("SC-003", 80, "i", "c", ""), ("SC-001", 80, "i", "c", ""), ("SC-002", 80, "i", "c", ""),
            ("SC-010", 90, "i", "c", "")]
    for solver in ("highs", "cbc"):
        assert solve(rows, 2, solver).selected == ("SC-010", "SC-001")


def test_tie_rule_between_equal_totals_prefers_the_higher_ranked_project():
    """Cities c1 = {A, C}, c2 = {B, D}, groups g1 = {A, B}, g2 = {C, D}, each capped at 1, quota 2:
    only {A, D} and {C, B} are allowed, and both total 4. A ranks first, so {A, D} is chosen."""
    rows = [("A", 3, "x", "c1", "g1"), ("B", 2, "y", "c2", "g1"), ("C", 2, "x", "c1", "g2"), ("D", 1, "y", "c2", "g2")]
    for solver in ("highs", "cbc"):
        sel = solve(rows, 2, solver, max_per_city=1, max_per_group=1)
        assert sel.selected == ("A", "D") and sel.objective == 4.0


def test_a_project_worth_nothing_still_fills_a_free_place():
    rows = [("A", 10, "i", "c", ""), ("B", 0, "i", "c", "")]
    assert solve(rows, 2).selected == ("A", "B")


def test_priority_order_is_score_then_project_id():
    order = priority_order(["b", "a", "c", "d"], np.array([1.0, 1.0, 2.0, 0.5]))
    assert [["b", "a", "c", "d"][i] for i in order] == ["c", "a", "b", "d"]


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_highs_and_cbc_give_the_same_selection(seed):
    pool = make_pool(60, seed=seed, cities=["成都市", "绵阳市", "德阳市", "宜宾市"],
                     industries=["汽车制造业", "医药制造业", "食品制造业"], group_share=0.5)
    # coarse scores make many ties, the hard case for a tie rule
    scores = pd.Series(np.round(score(pool, default_scenario()).scores.to_numpy() / 5) * 5, index=pool["project_id"])
    cons = Constraints(max_per_industry=5, max_per_city=4, min_per_city=2, max_per_group=1, min_score=20,
                       include=(pool["project_id"].iloc[seed],), exclude=(pool["project_id"].iloc[seed + 1],))
    problem = build_problem(pool, scores, 12, cons)
    a = SelectionModel(problem, "highs").solve()
    b = SelectionModel(problem, "cbc").solve()
    assert a.status == b.status == "optimal"
    assert a.selected == b.selected and a.objective == b.objective


def test_brute_force_agrees_on_a_small_pool_with_ties():
    rows = [(f"P{i}", s, ind, city, grp) for i, (s, ind, city, grp) in enumerate([
        (5, "a", "x", "g"), (5, "a", "y", "g"), (4, "b", "x", ""), (4, "b", "y", "h"), (3, "a", "x", "h"),
        (3, "b", "y", ""), (2, "a", "x", "g"), (5, "b", "y", "h"), (0, "a", "y", ""), (4, "a", "x", "")])]
    frame, scores, cons = tiny(rows, max_per_industry=3, max_per_city=3, min_per_city=2, max_per_group=1)
    problem = build_problem(frame, scores, 5, cons)
    status, picks, objective = brute_force(problem)
    for solver in ("highs", "cbc"):
        sel = SelectionModel(problem, solver).solve()
        assert (sel.status, sel.selected, sel.objective) == (status, picks, objective)


def test_a_reused_model_gives_what_a_fresh_model_gives():
    pool = make_pool(150, seed=11)
    cons = Constraints(max_per_industry=4, max_per_city=3, min_per_city=1, max_per_group=1)
    base = score(pool, default_scenario())
    problem = build_problem(pool, base, 30, cons)
    model = SelectionModel(problem)
    rng = np.random.default_rng(0)
    for _ in range(15):
        s = np.round(base.scores.reindex(list(problem.project_ids)).to_numpy() * rng.uniform(0.8, 1.2, problem.n), 6)
        fresh = SelectionModel(problem).solve(s)
        again = model.solve(pd.Series(s, index=list(problem.project_ids)))
        assert again.selected == fresh.selected and again.objective == fresh.objective
    assert model.solver_seconds > 0


def test_a_pool_of_1000_with_every_rule_family_is_solved_optimally_by_both_solvers():
    """The speed goal itself is shown by benchmarks/bench_recommend.py, not by a timed test."""
    pool = make_pool(1000, seed=42)
    scen = default_scenario().with_constraints(
        max_per_industry=6, min_per_industry=1, max_per_city=5, min_per_city=1, max_per_group=2, min_score=30,
        include=["SC-0001"], exclude=["SC-0002"], industry_max={"汽车制造业": 3}, city_min={"成都市": 3})
    problem = build_problem(pool, score(pool, scen), 40, scen)
    highs = SelectionModel(problem, make_solver("highs")).solve()
    cbc = SelectionModel(problem, make_solver("cbc")).solve()
    assert highs.status == cbc.status == "optimal"
    assert highs.selected == cbc.selected and highs.objective == cbc.objective


def test_forcing_a_project_in_or_out_on_the_same_model_costs_what_brute_force_says():
    rows = [(f"P{i}", s, ind, city, grp) for i, (s, ind, city, grp) in enumerate([
        (9, "a", "x", "g"), (8, "a", "y", "g"), (7, "b", "x", ""), (6, "b", "y", "h"), (5, "a", "x", "h"),
        (4, "b", "y", ""), (3, "a", "x", ""), (2, "b", "y", "")])]
    frame, scores, cons = tiny(rows, max_per_industry=2, max_per_group=1, min_per_city=1)
    problem = build_problem(frame, scores, 4, cons)
    model = SelectionModel(problem)
    base = model.solve()
    for pid in problem.project_ids:
        fixed = problem.with_fixings(exclude=[pid]) if pid in base.selected else problem.with_fixings(include=[pid])
        what_if = model.solve(force_out=[pid]) if pid in base.selected else model.solve(force_in=[pid])
        status, picks, objective = brute_force(fixed)
        assert (what_if.status, what_if.selected, what_if.objective) == (status, picks, objective)
        assert (pid in what_if.selected) == (pid not in base.selected) or what_if.status == "infeasible"
    assert model.solve().selected == base.selected  # the what-ifs leave the model as it was
    with pytest.raises(InputError, match="both must-include and excluded"):
        model.solve(force_in=["P1"], force_out=["P1"])
    with pytest.raises(InputError, match="not an eligible candidate"):
        model.solve(force_in=["Q9"])


# ---------------------------------------------------------------------- infeasibility is a result


def infeasible(rows, quota, **constraints):
    sel = solve(rows, quota, **constraints)
    assert sel.status == "infeasible" and sel.selected == () and sel.objective == 0.0
    assert sel.explanation
    for line in sel.explanation:
        assert line.zh and line.en
        for name in line.rules:  # a person reads the rule in words; its solver name stays in .rules (the JSON)
            assert "[" not in name or (name not in line.zh and name not in line.en), (name, line)
    return sel


def test_infeasible_floors_sum_above_the_quota():
    sel = infeasible(ROWS, 2, min_per_city=1)
    line = sel.explanation[0]
    assert line.amount == 1 and "need at least 3 picks, more than the quota of 2 by 1" in line.en
    assert {"quota", "min_per_city[成都]", "min_per_city[绵阳]", "min_per_city[德阳]"} <= set(line.rules)


def test_infeasible_two_included_projects_in_a_group_capped_at_one():
    rows = [("A", 9, "i", "c", "集团"), ("B", 8, "i", "c", "集团"), ("C", 7, "i", "c", "")]
    sel = infeasible(rows, 3, max_per_group=1, include=("A", "B"))
    line = sel.explanation[0]
    assert line.amount == 1 and "max_per_group[集团]" in line.rules and "include[A]" in line.rules
    assert '2 must-include projects (A, B) exceed the rule "at most 1 from group 集团" by 1' in line.en
    assert "必须推荐的 2 个项目（A、B）比规则“企业集团“集团”最多推荐 1 个”允许的多 1 个" in line.zh


def test_infeasible_city_floor_with_too_few_candidates_left():
    sel = infeasible(ROWS, 6, city_min={"成都": 2}, exclude=("P1",))
    line = sel.explanation[0]
    assert line.amount == 1 and "only 1 of the 2 candidates in '成都' can be picked (1 excluded by the user)" in line.en
    assert "exclude[P1]" in line.rules


def test_infeasible_city_floor_when_all_are_excluded_or_below_the_minimum_score():
    sel = infeasible(ROWS, 6, min_per_city=1, exclude=("P5",), min_score=66)
    line = next(x for x in sel.explanation if "德阳" in x.en)
    assert "only 0 of the 2 candidates" in line.en and "1 excluded" in line.en and "1 below the minimum score 66" in line.en
    assert line.amount == 1


def test_infeasible_floor_for_a_city_with_no_eligible_candidate():
    sel = infeasible(ROWS, 6, city_min={"攀枝花": 1})
    assert sel.explanation[0].rules == ("min_per_city[攀枝花]",)
    assert "has no eligible candidate" in sel.explanation[0].en and "没有符合条件的候选项目" in sel.explanation[0].zh


def test_an_infeasible_rule_is_named_in_words_not_by_its_solver_name():
    """What a person reads says the rule as the scenario sets it (城市“攀枝花”至少推荐 1 个); the row's name
    min_per_city[攀枝花] stays in ``rules`` (the JSON's contract), not in the text."""
    line = infeasible(ROWS, 6, city_min={"攀枝花": 1}).explanation[0]
    assert line.zh == "规则“城市“攀枝花”至少推荐 1 个”无法满足：“攀枝花”没有符合条件的候选项目，差 1 个"
    assert line.en == "the rule \"at least 1 from city 攀枝花\" cannot hold: '攀枝花' has no eligible candidate; short by 1"
    assert line.rules == ("min_per_city[攀枝花]",)


def test_infeasible_more_includes_than_the_quota():
    sel = infeasible(ROWS, 2, include=("P4", "P5", "P6"))
    line = sel.explanation[0]
    assert line.rules[0] == "quota" and line.amount == 1
    assert '3 must-include projects (P4, P5, P6) exceed the rule "at most the quota of 2 projects in total"' in line.en


def test_infeasible_floor_above_cap():
    sel = infeasible(ROWS, 6, city_min={"德阳": 2}, city_max={"德阳": 1})
    assert set(sel.explanation[0].rules) == {"min_per_city[德阳]", "max_per_city[德阳]"}


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_infeasible_without_a_simple_count_is_explained_by_a_conflict_set(solver):
    """City 成都 needs 2, but both its candidates are one group capped at 1: no count of a single rule shows it."""
    rows = [("A", 9, "i", "成都", "集团"), ("B", 8, "j", "成都", "集团"), ("C", 7, "i", "绵阳", "")]
    sel = solve(rows, 3, solver, city_min={"成都": 2}, max_per_group=1)
    assert sel.status == "infeasible"
    head = sel.explanation[0]
    assert set(head.rules) == {"min_per_city[成都]", "max_per_group[集团]"}
    assert head.amount == 1 and "loosened by 1" in head.en
    assert any("at least 2 from city 成都" in x.en and "A, B" in x.en for x in sel.explanation[1:])
    assert any("城市“成都”至少推荐 2 个" in x.zh and "A、B" in x.zh for x in sel.explanation[1:])
    assert not any("[" in x.zh or "[" in x.en for x in sel.explanation)  # no solver name such as max_per_group[集团]


def test_an_include_or_exclude_naming_an_unknown_or_ineligible_project_is_bad_input():
    frame, scores, _ = tiny(ROWS)
    with pytest.raises(InputError) as info:
        build_problem(frame, scores, 3, Constraints(include=("P9",)))
    assert "P9" in info.value.message_zh and "not in the candidate table" in info.value.message_en
    with pytest.raises(InputError) as info:
        build_problem(frame, scores, 3, Constraints(exclude=("X1",)), ineligible={"X1": ["E2025-E-rating"]})
    assert "X1" in info.value.message_en and "not eligible" in info.value.message_en
    assert "E2025-E-rating" in info.value.message_zh
    with pytest.raises(InputError, match="invalid"):
        build_problem(frame, scores, 3, Constraints(include=("R7",)), known_ids=[*frame.project_id, "R7"])
    with pytest.raises(InputError, match="both must-include and excluded"):
        build_problem(frame, scores, 3, Constraints(include=("P1",), exclude=("P1",)))


def test_bad_quota_and_solver_names_are_bad_input():
    frame, scores, cons = tiny(ROWS)
    with pytest.raises(InputError, match="quota"):
        build_problem(frame, scores, -1, cons)
    with pytest.raises(InputError, match="unknown solver"):
        make_solver("gurobi")
    with pytest.raises(InputError, match="finite"):
        build_problem(frame, scores * -1, 2, cons)


def test_an_empty_pool_selects_nothing_unless_a_named_floor_needs_one():
    frame, scores, _ = tiny([])
    frame = pd.DataFrame(columns=["project_id", "industry", "city", "group", "enterprise"])
    assert optimise(frame, pd.Series(dtype=float), 5, Constraints()).selected == ()
    sel = optimise(frame, pd.Series(dtype=float), 5, Constraints(city_min=FrozenMap({"成都": 1})))
    assert sel.status == "infeasible"


def test_solver_time_is_measured_and_a_quiet_solver_prints_nothing(capfd):
    # (caps and floors: a quota with caps of one kind alone is a sort and never reaches a solver)
    sel = solve(ROWS, 3, "cbc", max_per_industry=1, min_per_city=1)
    assert sel.solver == "cbc" and sel.solver_seconds > 0 and sel.solves >= 1
    started = time.perf_counter()
    solve(ROWS, 3, "highs", max_per_industry=1, min_per_city=1)
    assert time.perf_counter() - started < 5
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_solve_many_reports_progress_to_the_end_and_checks_the_matrix():
    frame, scores, cons = tiny(ROWS, max_per_industry=1, min_per_city=1)
    model = SelectionModel(build_problem(frame, scores, 3, cons))
    calls = []
    rng = np.random.default_rng(1)
    batch = model.solve_many(rng.uniform(0, 100, (250, 6)), progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (250, 250) and len(calls) >= 50
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert batch.samples == 250 and batch.feasible.all() and (batch.picks.sum(axis=1) == 3).all()
    # screened: fewer solver calls than samples, the same picks as solving every sample
    assert 0 <= batch.lp_integral <= 250 and 1 <= batch.solves <= 250 and batch.screened + batch.pivoted + batch.solves >= 250
    with pytest.raises(InputError):
        model.solve_many(np.ones((2, 5)))
    with pytest.raises(InputError):
        model.solve_many(np.full((2, 6), -1.0))
