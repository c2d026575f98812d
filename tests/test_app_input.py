"""AppTest of what the candidates page shows for hostile and damaged files, and for notes below the data."""

from __future__ import annotations

import pytest

from app_helpers import goto, start
from app_pages.i18n import esc
from hostile_files import BILLION_LAUGHS, good_sheet, workbook


@pytest.fixture
def page():
    return goto(start(), "data")


def upload(at, name: str, data: bytes):
    at.radio(key="data_source@zh").set_value("upload").run()
    at.file_uploader(key="data_upload").set_value((name, data, "application/octet-stream")).run()
    return at


@pytest.mark.parametrize("sheet", [good_sheet(50)[:-200], BILLION_LAUGHS], ids=["cut", "entity bomb"])
def test_a_damaged_workbook_shows_not_a_readable_workbook_without_a_traceback(page, sheet):
    upload(page, "坏表.xlsx", workbook([("s", sheet, "visible")]))
    assert not page.exception
    assert any(esc("坏表.xlsx") in e.value and "不是可读取的工作簿" in e.value for e in page.error)
    page.radio(key="lang").set_value("en").run()
    assert any("not a readable workbook" in e.value for e in page.error)


def test_notes_below_the_data_show_as_notes_in_the_problem_table_not_as_invalid_rows(page):
    from app_helpers import frame_with, metric
    from candidate_factory import csv_bytes, make_rows

    data = csv_bytes(make_rows(4)) + "填表说明：金额单位为万元\r\n合计,,,,,,,,,,,,,,,,,,,,,,,1234567\r\n".encode()
    upload(page, "汇总.csv", data)
    assert not page.exception
    assert [metric(page, k) for k in ("数据行", "有效", "无效")] == ["4", "4", "0"]
    problems = frame_with(page, "级别")
    assert problems["行号"].tolist() == [6, 7] and set(problems["问题"]) == {"数据下方的说明行（未作为数据）"}
    assert any("2行为说明" in s.value for s in page.success)


def test_a_row_number_column_is_not_offered_as_a_weight_slider(page):
    from candidate_factory import csv_with_headers, make_rows
    from quota_opt.columns import CANDIDATE_COLUMNS

    rows = make_rows(5)
    for i, row in enumerate(rows, start=1):
        row.update(seq=str(i), patents=str(10 * i))
    headers = [("seq", "序号")] + [(c.name, c.zh) for c in CANDIDATE_COLUMNS] + [("patents", "发明专利数")]
    upload(page, "序号.csv", csv_with_headers(rows, headers))
    goto(page, "rules")
    assert not page.exception
    keys = {s.key for s in page.slider}
    assert "w_发明专利数" in keys and not any("序号" in k for k in keys)
