"""The reasons worded over whole columns are exactly those the per-project ordering (tests/reference_order.py,
the oracle) gives, on random pools and rules: the same picks in the same order, the same reason, text and
projects holding the places for every project left out, infeasible selections included."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quota_opt.optimise import optimise
from quota_opt.order import order
from reference_order import reference_order
from test_optimise import tiny

INDUSTRIES, CITIES, GROUPS = ["汽车", "医药", "电子"], ["成都", "绵阳", "德阳"], ["", "", "甲集团", "乙集团"]


@st.composite
def cases(draw):
    n = draw(st.integers(1, 24))
    scores = st.sampled_from([50.0, 60.0, 60.0, 70.5, 70.5, 80.0, 90.25, 99.0])  # ties on purpose
    rows = [(f"P{i:02d}", draw(scores), draw(st.sampled_from(INDUSTRIES)), draw(st.sampled_from(CITIES)),
             draw(st.sampled_from(GROUPS))) for i in range(n)]
    ids = [r[0] for r in rows]
    rules = {}
    for name, values in (("max_per_industry", st.integers(1, 4)), ("max_per_city", st.integers(1, 4)),
                         ("max_per_group", st.integers(1, 3)), ("min_per_city", st.integers(0, 2)),
                         ("min_per_industry", st.integers(0, 2)), ("min_score", st.sampled_from([55.0, 65.0, 75.0]))):
        if draw(st.booleans()):
            rules[name] = draw(values)
    if draw(st.booleans()):
        rules["exclude"] = tuple(draw(st.lists(st.sampled_from(ids), max_size=3, unique=True)))
    if draw(st.booleans()):
        rules["include"] = tuple(i for i in draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))
                                 if i not in rules.get("exclude", ()))
    return rows, draw(st.integers(0, n + 2)), rules


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_column_reasons_are_exactly_the_per_project_reasons(case):
    rows, quota, rules = case
    frame, scores, cons = tiny(rows, **rules)
    frame["project_name"] = [f"项目{r[0]}" for r in rows]
    selection = optimise(frame, scores, quota, cons)
    fast, slow = order(selection, frame), reference_order(selection, frame)
    pd.testing.assert_frame_equal(fast.selected, slow.selected)
    pd.testing.assert_frame_equal(fast.not_selected, slow.not_selected)
    bare_fast, bare_slow = order(selection), reference_order(selection)
    pd.testing.assert_frame_equal(bare_fast.not_selected, bare_slow.not_selected)
