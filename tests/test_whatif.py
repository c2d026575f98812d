"""What would it take: forcing costs and thresholds checked against brute force; the price of the rules."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from brute import brute_force
from quota_opt.errors import InputError
from quota_opt.optimise import build_problem
from quota_opt.pipeline import prepare
from quota_opt.samples import sample_path
from quota_opt.whatif import BALANCE_FAMILIES, rules_cost, what_if, what_if_prepared
from test_optimise import ROWS, tiny
from test_properties import FAST, cases


def problem_of(rows, quota, **constraints):
    frame, scores, cons = tiny(rows, **constraints)
    return build_problem(frame, scores, quota, cons)


def lifted(problem, pid):
    return replace(problem, include=tuple(p for p in problem.include if p != pid),
                   exclude=tuple(p for p in problem.exclude if p != pid))


def brute_picks(problem, pid, score):
    s = problem.scores.copy()
    s[problem.position[pid]] = score
    status, picks, _ = brute_force(problem, np.round(s, 6))
    return status == "optimal" and pid in picks


@FAST
@given(cases(max_n=10), st.data())
def test_forcing_costs_exactly_the_difference_of_the_two_brute_force_optima(case, data):
    pool, scores, quota, c = case
    problem = build_problem(pool, scores, quota, c)
    if problem.n == 0:
        return
    pid = data.draw(st.sampled_from(problem.project_ids))
    w = what_if(problem, pid)
    status, base_picks, base_obj = brute_force(problem)
    assert w.status == status and w.selected == (pid in base_picks)
    free = lifted(problem, pid)
    forced = free.with_fixings(exclude=[pid]) if w.selected else free.with_fixings(include=[pid])
    f_status, f_picks, f_obj = brute_force(forced)
    assert w.forced == ("out" if w.selected else "in") and w.forced_status == f_status
    if status == "optimal" and f_status == "optimal":
        assert w.cost == round(base_obj - f_obj, 6) and (w.cost >= 0 or w.fixed_by)
        assert set(w.entered) == set(f_picks) - set(base_picks) and set(w.left) == set(base_picks) - set(f_picks)
    else:
        assert w.cost is None


@FAST
@given(cases(max_n=9), st.data())
def test_the_needed_score_is_exactly_where_the_project_enters(case, data):
    """Just above ``needed`` it is picked; at ``needed`` only if the tie rule says so; just below, not."""
    pool, scores, quota, c = case
    problem = build_problem(pool, scores, quota, c)
    if problem.n == 0:
        return
    pid = data.draw(st.sampled_from(problem.project_ids))
    w = what_if(problem, pid)
    free = lifted(problem, pid)
    with_p, without_p = brute_force(free.with_fixings(include=[pid])), brute_force(free.with_fixings(exclude=[pid]))
    if with_p[0] != "optimal":
        assert w.reach == "never" and w.needed is None
        assert not any(brute_picks(free, pid, t) for t in (0.0, 50.0, 1000.0))
        return
    if without_p[0] != "optimal":
        assert w.reach == "always" and w.needed == max(0.0, c.min_score or 0.0) and w.needed_inclusive
        assert all(brute_picks(free, pid, w.needed + t) for t in (0.0, 50.0, 1000.0))
        if w.needed >= 1e-6:
            assert not brute_picks(free, pid, w.needed - 1e-6)
        return
    s_p = float(problem.scores[problem.position[pid]])
    assert w.reach == "possible"
    assert w.threshold == round(without_p[2] - (with_p[2] - s_p), 6)
    assert brute_picks(free, pid, w.needed + 1e-6)
    assert brute_picks(free, pid, w.needed) == w.needed_inclusive
    if w.needed >= 1e-6:
        assert not brute_picks(free, pid, w.needed - 1e-6)


def test_forcing_in_under_an_industry_cap_by_hand():
    """Quota 3, at most 1 per industry: picks P1 (90), P4 (75), P6 (65). Forcing P2 (85) in drops P1:
    cost 5; P2 needs 90 to enter, and at exactly 90 it ties P1, which wins by project_id."""
    problem = problem_of(ROWS, 3, max_per_industry=1)
    w = what_if(problem, "P2")
    assert (w.selected, w.forced, w.cost, w.entered, w.left) == (False, "in", 5.0, ("P2",), ("P1",))
    assert (w.reach, w.threshold, w.needed, w.needed_inclusive, w.gap) == ("possible", 90.0, 90.0, False, 5.0)
    # P6 is the only 电子 project and 医药 is full: out, nobody takes its place and 65 is lost; it
    # would stay in even at a score of 0 (the tie rule fills the quota when a pick adds nothing).
    out = what_if(problem, "P6")
    assert (out.selected, out.forced, out.cost, out.entered, out.left) == (True, "out", 65.0, (), ("P6",))
    assert (out.threshold, out.needed, out.needed_inclusive, out.gap) == (0.0, 0.0, True, -65.0)


def test_a_project_the_rules_leave_no_room_for_can_never_enter():
    rows = [("A", 90, "x", "c1", "G"), ("B", 80, "x", "c1", "G"), ("C", 10, "y", "c2", "")]
    w = what_if(problem_of(rows, 2, max_per_group=1, include=("A",)), "B")
    assert w.reach == "never" and w.forced_status == "infeasible" and w.cost is None and w.explanation
    assert any("no score can bring it in" in en for _, en in w.lines())


def test_a_project_a_floor_needs_is_in_at_any_score():
    rows = [("A", 90, "x", "c1", ""), ("B", 80, "x", "c1", ""), ("C", 1, "y", "c2", "")]
    w = what_if(problem_of(rows, 2, min_per_city=1), "C")
    assert w.selected and w.reach == "always" and w.forced_status == "infeasible" and w.needed == 0.0


def test_a_named_project_is_answered_with_its_fixing_lifted():
    """include P6 (65): picks P1, P2, P6 = 240. Lifting it, P3 (80) takes its place: 255, so taking
    P6 out *gains* 15 (a cost of -15). P6 would need 80 to be picked on merit, and at 80 it ties
    P3, which wins by project_id."""
    w = what_if(problem_of(ROWS, 3, include=("P6",)), "P6")
    assert (w.fixed_by, w.selected, w.forced, w.cost, w.entered, w.left) == ("include", True, "out", -15.0, ("P3",), ("P6",))
    assert (w.needed, w.needed_inclusive) == (80.0, False)
    assert any("lift" in en for _, en in w.lines())
    x = what_if(problem_of(ROWS, 3, exclude=("P1",)), "P1")
    assert (x.fixed_by, x.selected, x.forced, x.cost, x.entered, x.left) == ("exclude", False, "in", -15.0, ("P1",), ("P4",))


def test_the_price_of_the_rules_equals_brute_force():
    problem = problem_of(ROWS, 3, max_per_industry=1, max_per_city=1)
    rc = rules_cost(problem)
    full = brute_force(problem)
    relaxed = brute_force(replace(problem, rules=tuple(r for r in problem.rules if r.family == "quota")))
    assert rc.cost == round(relaxed[2] - full[2], 6) == 255.0 - 230.0
    assert set(rc.kept_out) == set(relaxed[1]) - set(full[1]) and set(rc.brought_in) == set(full[1]) - set(relaxed[1])
    for family in ("max_per_industry", "max_per_city"):
        alone = brute_force(replace(problem, rules=tuple(r for r in problem.rules if r.family != family)))
        assert rc.by_family[family] == round(alone[2] - full[2], 6)
    assert rules_cost(problem_of(ROWS, 3)).cost == 0.0


def test_prepared_pool_explains_a_project_that_is_not_a_candidate():
    prepared = prepare(sample_path("sichuan_excellent_2025"), "四川省", "excellent", 2025)
    with pytest.raises(InputError) as err:
        what_if_prepared(prepared, "SC-002")
    assert "E2025-E-stages" in err.value.message_en
    with pytest.raises(InputError) as err:
        what_if_prepared(prepared, "NOPE-9")
    assert "not in the candidate table" in err.value.message_en
    answer = what_if_prepared(prepared, "SC-066")
    assert answer.exit_code == 0 and answer.to_dict()["project"]["left"] == ["SC-064"]


def test_a_score_needed_above_100_is_not_reachable_by_score_alone():
    """B (industry x, city c2) can only enter by pushing out A (99, industry x) and C (98, city c2), so
    it needs 197 - 1 = 196 points: more than any project can score. The prose says so, in words."""
    rows = [("A", 99, "x", "c1", ""), ("C", 98, "y", "c2", ""), ("B", 10, "x", "c2", ""), ("D", 1, "z", "c3", "")]
    w = what_if(problem_of(rows, 2, max_per_industry=1, max_per_city=1), "B")
    assert (w.reach, w.needed, w.reachable_by_score) == ("possible", 196.0, False)
    zh, en = w.lines()[-1]
    assert zh == "仅靠分数无法入选：所需得分不低于 196.00，超过最高可能得分 100.00；只有调整规则才可能"
    assert en.startswith("not reachable by score alone: to enter it would need a score of at least 196.00")
    reachable = what_if(problem_of(ROWS, 3, max_per_industry=1), "P2")
    assert reachable.reachable_by_score and "needs a score above 90.00" in reachable.lines()[-1][1]


def test_a_negative_cost_is_said_as_a_gain_not_a_decrease_of_a_negative_number():
    w = what_if(problem_of(ROWS, 3, include=("P6",)), "P6")
    assert w.cost == -15.0
    text = "\n".join(zh + en for zh, en in w.lines())
    assert "总分增加 15.00（240.00 → 255.00）" in text and "gains 15.00 points of total score" in text
    assert "减少 -" not in text and "gives up -" not in text


@given(st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda x: round(x, 6)))
def test_whatif_prose_rounds_scores_to_two_decimals_as_the_tables_do(score):
    rows = [("A", 90.123456, "x", "c1", ""), ("B", score, "y", "c2", ""), ("C", 12.345678, "z", "c3", "")]
    w = what_if(problem_of(rows, 1), "C")
    text = " ".join(zh + " " + en for zh, en in w.lines())
    assert not re.search(r"\d\.\d{3,}", text), text
    assert f"{w.score:.2f}" in text


@FAST
@given(cases(max_n=14), st.sampled_from(["highs", "cbc"]))
def test_the_price_of_each_family_equals_brute_force_on_every_rule_family(case, solver):
    """``by_family`` (one model, a family's rows opened per solve, objective only; issue 13) equals the
    best total of the problem without that family by brute force, minus the full optimum, on random
    pools with every rule family, fixings, ties and infeasible rule sets."""
    pool, scores, quota, c = case
    problem = build_problem(pool, scores, quota, c)
    rc = rules_cost(problem, solver=solver)
    full = brute_force(problem)
    present = [f for f in BALANCE_FAMILIES if any(r.family == f for r in problem.rules)]
    assert list(rc.by_family) == present
    for family in present:
        alone = brute_force(replace(problem, rules=tuple(r for r in problem.rules if r.family != family)))
        expected = round(alone[2] - full[2], 6) if full[0] == alone[0] == "optimal" else None
        assert rc.by_family[family] == expected, family
