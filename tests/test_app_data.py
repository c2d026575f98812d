"""AppTest of the candidates page: sample pools, uploads (good, bad, unreadable), filters."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from candidate_factory import csv_bytes, make_rows

REPO = Path(__file__).resolve().parent.parent
PAGE = str(REPO / "app_pages" / "data_page.py")


def frame_with(at, column):
    """The first data frame on the page that has ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


@pytest.fixture
def page():
    return AppTest.from_file(PAGE, default_timeout=60).run()


def test_page_starts_on_the_first_sample_pool(page):
    assert not page.exception
    assert page.selectbox(key="data_sample").value == "sichuan_excellent_2025"
    assert (page.selectbox(key="data_unit").value, page.selectbox(key="data_level").value,
            page.selectbox(key="data_year").value) == ("四川省", "excellent", 2025)
    assert [m.value for m in page.metric][:3] == ["120", "120", "0"]
    table = frame_with(page, "eligible")
    assert len(table) == 120 and int((~table["eligible"]).sum()) == 15


def test_picking_another_sample_sets_its_unit_level_and_year(page):
    page.selectbox(key="data_sample").set_value("shandong_leading_2025").run()
    assert not page.exception
    assert page.selectbox(key="data_unit").value == "山东省" and page.selectbox(key="data_level").value == "leading"
    page.radio(key="data_filter").set_value("ineligible").run()
    shown = frame_with(page, "eligible")
    assert sorted(shown["project_id"]) == ["SD-005", "SD-008", "SD-010", "SD-011"]
    page.radio(key="data_filter").set_value("warned").run()
    assert all(frame_with(page, "eligible")["warnings"] != "")


def test_central_enterprise_sample_notes_the_group_chosen(page):
    page.selectbox(key="data_sample").set_value("central_enterprise_excellent_2025").run()
    assert not page.exception and page.selectbox(key="data_unit").value == "中央企业"
    assert any("中国华远装备集团" in i.value for i in page.info)
    page.text_input(key="data_group").set_value("（示例）中国华辰化工集团有限公司").run()
    table = frame_with(page, "eligible")
    assert sorted(table.loc[table["eligible"], "project_id"]) == ["CE-014", "CE-015"]


def test_upload_with_errors_shows_every_problem_and_the_valid_rows_eligibility(page):
    rows = make_rows(4)
    rows[1]["ai_scenario_share"] = "abc"
    rows[2]["province"] = "火星"
    page.radio(key="data_source").set_value("upload").run()
    page.file_uploader(key="data_upload").set_value(("申报汇总.csv", csv_bytes(rows, encoding="gbk"), "text/csv")).run()
    assert not page.exception
    problems = frame_with(page, "severity")
    assert problems["row"].tolist() == [3, 4] and set(problems["severity"]) == {"error"}
    assert len(frame_with(page, "eligible")) == 2
    assert page.error and "申报汇总.csv" in page.error[0].value
    page.multiselect(key="data_severity").set_value(["warning"]).run()
    assert frame_with(page, "severity").empty


def test_unreadable_upload_is_a_message_not_an_exception(page):
    page.radio(key="data_source").set_value("upload").run()
    assert any("上传" in i.value for i in page.info)
    page.file_uploader(key="data_upload").set_value(("坏.xlsx", b"not a workbook", "application/octet-stream")).run()
    assert not page.exception
    assert "坏.xlsx" in page.error[0].value and "not a valid Excel" in page.error[0].value


def test_data_pool_is_kept_for_later_pages(page):
    pool = page.session_state["data_pool"]
    assert pool["unit"] == "四川省" and len(pool["eligible"]) == 105 and len(pool["candidates"]) == 120


def test_app_lists_the_candidates_page():
    text = (REPO / "app.py").read_text(encoding="utf-8")
    assert "app_pages/data_page.py" in text
