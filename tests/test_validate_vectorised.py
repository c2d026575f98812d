"""Validation over whole columns reports exactly what the per-row validator (tests/reference_validate.py,
the oracle) reports, on random messy pools: the same problems in the same order, the same invalid rows,
the same typed candidates."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from candidate_factory import HUAWEI_CODE, csv_bytes, make_rows
from quota_opt.columns import CANDIDATE_COLUMNS
from quota_opt.load import read_table_bytes
from quota_opt.validate import validate
from reference_validate import reference_validate

# Cells as officials type them, right and wrong, for any column (a value wrong for one column is
# right for another).
MESSY = [
    "", " ", "\u3000", "-", "—", "无", "n/a", "/", "35", "35%", "35 ％", "３５", " 35 ", "0.35", "0.2", "1",
    "0", "-5", "101", "150%", "1e3", "inf", "nan", "1,234", "1,23", "12,345.5", "5000万元", "86分", "10-20",
    "abc", "三级", "3级", "L3", "Level 3", "3.5", "6", "0级", "五", "是", "否", "Y", "n", "√", "×", "也许",
    "TRUE", "100.5", "100", "100.0%", "0.0", "99.99", "卓越级", "领航", "excellent", "金牌级", "先进级", "基础", "超级", "四川省", "四川", "Sichuan", "火星省",
    "青岛", "中央企业", "新疆生产建设兵团", "成都市", "汽车制造业", HUAWEI_CODE, HUAWEI_CODE[:17] + "7",
    HUAWEI_CODE.lower(), "91440300O92203821", "T-001", "T-002", " T-003", "Ｔ－００４", "测试项目  甲",
    "项目\u00a0乙", "=1+1", "备注", "\t", "x" * 40,
]
COLUMNS = [c.name for c in CANDIDATE_COLUMNS]


@st.composite
def messy_pools(draw):
    n = draw(st.integers(1, 12))
    rows = make_rows(n, seed=draw(st.integers(0, 1000)))
    number = st.builds(lambda x, d, pct: f"{x:.{d}f}" + ("%" if pct else ""),
                       st.floats(-20, 220, allow_nan=False), st.integers(0, 3), st.booleans())
    cell = st.one_of(st.sampled_from(MESSY), st.text(max_size=6), number)
    for _ in range(draw(st.integers(0, 3 * n))):
        row = draw(st.integers(0, n - 1))
        rows[row][draw(st.sampled_from(COLUMNS))] = draw(cell)
    columns = [c for c in COLUMNS if not draw(st.booleans()) or draw(st.integers(0, 9)) > 0]
    if draw(st.booleans()):
        columns.append("发明专利数")
        for row in rows:
            row["发明专利数"] = draw(st.one_of(st.sampled_from(["3", "1,200", "", "-", "abc", "0.5", "7%"]), cell))
    data = csv_bytes(rows, headers=draw(st.sampled_from(["zh", "en"])), columns=columns)
    if draw(st.booleans()):
        data += "合计,,,12\r\n".encode()
    return data


def assert_same(data: bytes) -> None:
    try:
        raw = read_table_bytes(data, "pool.csv")
    except Exception:  # noqa: BLE001 - a file no reader takes is not the validator's business
        return
    fast, slow = validate(raw), reference_validate(raw)
    pd.testing.assert_frame_equal(fast.problems, slow.problems)
    pd.testing.assert_frame_equal(fast.invalid, slow.invalid)
    pd.testing.assert_frame_equal(fast.candidates, slow.candidates)
    for name in ("rows", "skipped_empty", "extra_numeric", "valid", "header_row", "column_map", "notes"):
        assert getattr(fast, name) == getattr(slow, name), name


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messy_pools())
def test_column_validation_reports_exactly_what_the_per_row_validator_reports(data):
    assert_same(data)


def test_a_large_clean_pool_and_every_defect_kind_agree():
    rows = make_rows(300)
    for i, value in enumerate(MESSY):
        rows[i % 300][COLUMNS[i % len(COLUMNS)]] = value
    rows[7]["project_id"] = rows[3]["project_id"]
    assert_same(csv_bytes(rows))
    assert_same(csv_bytes(make_rows(500)))
