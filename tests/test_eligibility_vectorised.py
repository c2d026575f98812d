"""Eligibility over whole columns gives exactly what the per-row check (tests/reference_eligibility.py,
the oracle) gives, on random pools, units, levels and years: the same table, notes and split."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factories import make_pool
from quota_opt.columns import STAGE_COLUMNS
from quota_opt.eligibility import check_eligibility
from quota_opt.errors import QuotaOptError
from reference_eligibility import reference_check_eligibility

UNITS = ["四川省", "山东省", "青岛市", "宁波市", "新疆生产建设兵团", "中央企业", "中央企业:东方电气集团", "浙江省"]
PLACES = [("四川省", "成都市"), ("四川省", "绵阳市"), ("山东省", "青岛市"), ("山东省", "济南市"), ("浙江省", "宁波市"),
          ("浙江省", "杭州市"), ("新疆生产建设兵团", "石河子市")]
GROUPS = ["", "东方电气集团", "东方电气 集团", "长虹控股集团", "ＡＢ集团", "AB集团"]


@st.composite
def pools(draw):
    n = draw(st.integers(0, 25))
    pick = lambda options: [draw(st.sampled_from(options)) for _ in range(n)]  # noqa: E731
    places = pick(PLACES)
    shares = [draw(st.sampled_from([np.nan, 0.0, 5.0, 19.9, 20.0, 45.0, 60.0, 75.0])) for _ in range(n)]
    overrides = {
        "province": [p for p, _ in places], "city": [c for _, c in places], "group": pick(GROUPS),
        "level": pick(["excellent", "leading"]), "current_rating": pick(["none", "basic", "advanced", "excellent"]),
        "maturity_level": pick([1, 2, 3, 4, 5]), "ai_scenario_share": shares, "credit_code": "",
    }
    for stage in STAGE_COLUMNS:
        overrides[stage] = [draw(st.booleans()) or draw(st.booleans()) for _ in range(n)]
    pool = make_pool(n, seed=draw(st.integers(0, 100)), **overrides) if n else make_pool(1, credit_code="").iloc[:0]
    return pool, draw(st.sampled_from(UNITS)), draw(st.sampled_from(["excellent", "leading"])), draw(st.sampled_from([2024, 2025]))


def outcome(fn, *args):
    try:
        return fn(*args), None
    except QuotaOptError as exc:
        return None, str(exc)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pools())
def test_column_eligibility_gives_exactly_what_the_per_row_check_gives(case):
    pool, unit, level, year = case
    fast, fast_error = outcome(check_eligibility, pool, unit, level, year)
    slow, slow_error = outcome(reference_check_eligibility, pool, unit, level, year)
    assert fast_error == slow_error
    if fast is None:
        assert "credit_code" not in fast_error  # the pool is complete: only a unit/level/year can be refused
        return
    pd.testing.assert_frame_equal(fast.table, slow.table)
    pd.testing.assert_frame_equal(fast.eligible, slow.eligible)
    pd.testing.assert_frame_equal(fast.ineligible, slow.ineligible)
    assert (fast.notes, fast.unit, fast.level, fast.year, fast.rules, fast.group) == \
           (slow.notes, slow.unit, slow.level, slow.year, slow.rules, slow.group)
