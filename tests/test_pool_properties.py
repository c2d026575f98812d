"""Property: the order of the rows in a file changes neither which projects are invalid nor which are eligible."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from quota_opt.eligibility import check_eligibility
from quota_opt.load import read_table_bytes
from quota_opt.samples import sample_path
from quota_opt.validate import validate


def _rows(name: str) -> tuple[list[str], list[list[str]]]:
    text = sample_path(name).read_bytes().decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    return header, rows


def _with_defects(name: str, take: int) -> tuple[list[str], list[list[str]]]:
    """The first ``take`` rows of a sample pool, some of them broken so that they are invalid."""
    header, rows = _rows(name)
    rows = [r[:] for r in rows[:take]]
    col = {h: i for i, h in enumerate(header)}
    rows[1][col["智能制造能力成熟度等级"]] = "很高"
    rows[4][col["所在省份"]] = "火星"
    rows[6][col["人工智能场景占比"]] = "150%"
    rows[9][col["项目编号"]] = ""
    return header, rows


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _outcome(data: bytes, unit: str, level: str) -> tuple[frozenset, dict, dict]:
    result = validate(read_table_bytes(data, "pool.csv"))
    elig = check_eligibility(result.candidates, unit, level, 2025)
    invalid = frozenset(tuple(p) for p in result.invalid[["project_id"]].itertuples(index=False))
    failed = dict(zip(elig.table["project_id"], map(tuple, elig.table["failed_rules"])))
    warned = dict(zip(elig.table["project_id"], map(tuple, elig.table["warnings"])))
    return invalid, failed, warned


SC_HEADER, SC_ROWS = _with_defects("sichuan_excellent_2025", 60)
SC_BASE = _outcome(_csv(SC_HEADER, SC_ROWS), "四川省", "excellent")

CE_HEADER, CE_ROWS = _rows("central_enterprise_excellent_2025")
_group = CE_HEADER.index("所属集团")
# Make the two groups tie (2 projects each) so the group choice rests on the stated tie rule.
CE_ROWS = [r[:] for r in CE_ROWS[:2]] + [r[:] for r in CE_ROWS[-2:]]
CE_BASE = _outcome(_csv(CE_HEADER, CE_ROWS), "中央企业", "excellent")


def test_the_fixture_pools_hold_invalid_eligible_and_ineligible_projects():
    invalid, failed, warned = SC_BASE
    assert len(invalid) == 4
    assert any(failed.values()) and not all(failed.values()) and any(warned.values())
    _, ce_failed, _ = CE_BASE
    assert sorted(map(bool, ce_failed.values())) == [False, False, True, True]


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(len(SC_ROWS))))
def test_shuffling_rows_changes_neither_invalid_nor_eligible_projects(order):
    shuffled = [SC_ROWS[i] for i in order]
    assert _outcome(_csv(SC_HEADER, shuffled), "四川省", "excellent") == SC_BASE


@settings(max_examples=15, deadline=None)
@given(st.permutations(range(len(CE_ROWS))))
def test_shuffling_rows_does_not_change_the_central_enterprise_group_chosen_on_a_tie(order):
    shuffled = [CE_ROWS[i] for i in order]
    assert _outcome(_csv(CE_HEADER, shuffled), "中央企业", "excellent") == CE_BASE
