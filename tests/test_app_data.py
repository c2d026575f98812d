"""AppTest of the candidates page: sample pools, uploads (good, bad, unreadable, too large), filters."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit import config

from app_helpers import frame_with, goto, metric, start
from app_pages.i18n import esc
from candidate_factory import csv_bytes, make_rows
from quota_opt.columns import CANDIDATE_COLUMNS

SUMMARY = ["优先顺序", "项目编号", "得分"]


@pytest.fixture
def page():
    return goto(start(), "data")


def upload(at, name: str, data: bytes):
    at.radio(key="data_source@zh").set_value("upload").run()
    at.file_uploader(key="data_upload").set_value((name, data, "text/csv")).run()
    return at


def test_page_starts_on_the_first_sample_pool(page):
    assert not page.exception
    assert page.selectbox(key="data_sample@zh").value == "sichuan_excellent_2025"
    assert (page.selectbox(key="data_unit@zh").value, page.selectbox(key="data_level@zh").value,
            page.selectbox(key="data_year").value) == ("四川省", "excellent", 2025)
    assert [metric(page, k) for k in ("数据行", "有效", "无效")] == ["120", "120", "0"]
    table = frame_with(page, "符合条件")
    assert len(table) == 120 and int((~table["符合条件"]).sum()) == 15


def test_the_summary_line_starts_with_the_counts_and_names_the_sample_after(page):
    line = page.success[0].value
    assert line.startswith("读取120行数据，有效120行，符合条件105个，无效0行；")
    assert line.endswith(esc("（示例数据：四川省 2025 卓越级（120个示例项目，UTF-8 CSV））"))  # issue 13: not its file
    page.session_state["lang"] = "en"
    page.run()
    assert page.success[0].value.startswith("120 data rows read, 120 valid, 105 eligible, 0 invalid;")


def test_picking_another_sample_sets_its_unit_level_and_year(page):
    page.selectbox(key="data_sample@zh").set_value("shandong_leading_2025").run()
    assert not page.exception
    assert page.selectbox(key="data_unit@zh").value == "山东省" and page.selectbox(key="data_level@zh").value == "leading"
    page.radio(key="data_filter@zh").set_value("ineligible").run()
    shown = frame_with(page, "符合条件")
    assert sorted(shown["项目编号"]) == ["SD-005", "SD-008", "SD-010", "SD-011"]
    page.radio(key="data_filter@zh").set_value("warned").run()
    assert all(frame_with(page, "符合条件")["提示"] != "")


def test_search_filters_the_eligibility_table(page):
    page.text_input(key="data_search").set_value("sc-09").run()
    table = frame_with(page, "符合条件")
    assert len(table) == 10 and all(p.startswith("SC-09") for p in table["项目编号"])


def test_central_enterprise_sample_notes_the_group_chosen(page):
    page.selectbox(key="data_sample@zh").set_value("central_enterprise_excellent_2025").run()
    assert not page.exception and page.selectbox(key="data_unit@zh").value == "中央企业"
    assert any("中国华远装备集团" in i.value for i in page.info)
    page.text_input(key="data_group").set_value("（示例）中国华辰化工集团有限公司").run()
    table = frame_with(page, "符合条件")
    assert sorted(table.loc[table["符合条件"], "项目编号"]) == ["CE-014", "CE-015"]
    goto(page, "results")
    assert sorted(frame_with(page, *SUMMARY)["项目编号"]) == ["CE-014", "CE-015"]


def test_a_bad_upload_gives_the_problem_table_and_the_valid_rows_go_on(page):
    rows = make_rows(4)
    rows[1]["ai_scenario_share"] = "abc"
    rows[2]["province"] = "火星"
    upload(page, "申报汇总.csv", csv_bytes(rows, encoding="gbk"))
    assert not page.exception
    problems = frame_with(page, "级别")
    assert problems["行号"].tolist() == [3, 4] and set(problems["级别"]) == {"错误"}
    assert len(frame_with(page, "符合条件")) == 2
    assert page.error and esc("申报汇总.csv") in page.error[0].value
    page.multiselect(key="data_severity@zh").set_value(["warning"]).run()
    assert frame_with(page, "级别").empty
    goto(page, "results")  # the two valid rows are recommended, the two invalid listed
    assert len(frame_with(page, *SUMMARY)) == 2 and "数据有误的行（2）" in " ".join(e.label for e in page.expander)
    page.radio(key="lang").set_value("en").run()
    goto(page, "data")  # the filter holds across pages and languages
    assert page.multiselect(key="data_severity@en").value == ["warning"] and frame_with(page, "Severity").empty
    page.multiselect(key="data_severity@en").set_value(["error", "warning"]).run()
    problems = frame_with(page, "Severity")
    assert set(problems["Severity"]) == {"error"} and "Problem" in problems.columns


def test_an_unreadable_upload_is_a_message_not_an_exception(page):
    page.radio(key="data_source@zh").set_value("upload").run()
    assert any("上传" in i.value for i in page.info)
    page.file_uploader(key="data_upload").set_value(("坏.xlsx", b"not a workbook", "application/octet-stream")).run()
    assert not page.exception
    assert esc("坏.xlsx") in page.error[0].value
    page.radio(key="lang").set_value("en").run()
    assert "not a valid Excel" in page.error[0].value


def test_a_file_over_the_upload_limit_is_refused_with_a_clear_message(page):
    limit = st.get_option("server.maxUploadSize")
    config._set_option("server.maxUploadSize", 1, "test")  # the server's option, as config.toml would set it
    try:
        upload(page, "大文件.csv", b"x" * (1024 * 1024 + 1))
        assert not page.exception
        assert any("超过上限 1 MB" in e.value for e in page.error)
        page.radio(key="lang").set_value("en").run()
        assert any("over the limit of 1 MB" in e.value for e in page.error)
        assert any("Upload a file" in i.value for i in page.info)  # nothing was read
    finally:
        config._set_option("server.maxUploadSize", limit, "test")


def test_the_uploaded_file_is_kept_for_the_pages_that_follow(page):
    upload(page, "池.csv", csv_bytes(make_rows(5)))
    goto(page, "rules")
    goto(page, "results")
    assert len(frame_with(page, *SUMMARY)) == 5
    goto(page, "data")
    assert any(esc("池.csv") in c.value for c in page.caption)


def test_the_blank_template_is_offered(page):
    assert any(b.label == "下载空白模板" for b in page.get("download_button"))


def test_a_pool_with_no_eligible_project_for_the_chosen_unit_is_a_warning_naming_the_unit_and_the_files_provinces(page):
    """The Sichuan sample with 上海市 chosen: not a green "ready", a warning saying the unit and the
    provinces of the file differ."""
    page.selectbox(key="data_unit@zh").set_value("上海市").run()
    assert not page.exception
    assert not any("数据就绪" in s.value for s in page.success)
    (warning,) = [w.value for w in page.warning if "没有符合" in w.value]
    assert "上海市" in warning and "四川省" in warning and "不一致" in warning
    page.radio(key="lang").set_value("en").run()
    (warning,) = [w.value for w in page.warning if "No project is eligible" in w.value]
    assert "Shanghai" in warning and "四川省" in warning


def test_a_file_without_a_valid_row_says_so_not_that_its_province_differs(page):
    """A required column misnamed (项目编码 for 项目编号): every row is invalid, and the warning points
    at the problems table, not at the province or the quota page."""
    data = csv_bytes(make_rows(5)).replace("项目编号".encode(), "项目编码".encode(), 1)
    upload(page, "misnamed.csv", data)
    assert not page.exception
    warnings = [w.value for w in page.warning]
    assert any("没有有效的候选项目行" in w for w in warnings), warnings
    assert not any("所在省份为" in w for w in warnings)


def test_a_missing_column_is_named_by_its_header_in_the_problem_table_not_by_its_internal_name(page):
    """The core names a missing column by its canonical name (project_id); a person reads the header
    to add (项目编号), in English with the Chinese header beside it."""
    upload(page, "无编号.csv", csv_bytes(make_rows(3), columns=[c.name for c in CANDIDATE_COLUMNS
                                                                if c.name not in ("project_id", "city")]))
    assert not page.exception
    problems = frame_with(page, "级别")
    missing = problems[problems["问题"] == "缺少必填列"]
    assert sorted(missing["列"]) == ["所在城市", "项目编号"]
    assert not any(name in " ".join(problems["列"]) for name in ("project_id", "city"))
    page.radio(key="lang").set_value("en").run()
    problems = frame_with(page, "Severity")
    assert sorted(problems.loc[problems["Problem"] == "missing required column", "Column"]) == [
        "City (所在城市)", "Project id (项目编号)"]


def test_many_missing_columns_are_listed_one_per_line_on_the_pages_that_need_the_file(page):
    """Thirteen missing columns: a heading with the count, then one bullet per column (its Chinese header;
    in English its English label and Chinese header, as the problems table names it: issue 13), not one
    run-on message; the English view the same."""
    kept = ("project_id", "project_name")
    upload(page, "两列.csv", csv_bytes(make_rows(3), columns=[*kept, "expert_score"]))
    missing = [c for c in CANDIDATE_COLUMNS if c.required and c.name not in kept]
    for where in ("results", "robustness"):
        goto(page, where)
        assert not page.exception
        (message,) = [e.value for e in page.error]
        assert esc("文件“两列.csv”缺少 13 个必填列，各行均无法通过校验：") in message
        bullets = [line for line in message.splitlines() if line.startswith("- ")]
        assert bullets == [f"- {esc(c.zh)}" for c in missing]
    page.radio(key="lang").set_value("en").run()
    (message,) = [e.value for e in page.error]
    assert esc("the file '两列.csv' lacks 13 required columns, so no row can pass validation:") in message
    assert [line for line in message.splitlines() if line.startswith("- ")] == [
        f"- {esc(f'{c.label_en[:1].upper()}{c.label_en[1:]} ({c.zh})')}" for c in missing]


def test_an_empty_upload_is_said_to_be_empty_in_both_languages_and_its_size_is_zero_bytes(page):
    """A 0-byte file: a clear message (empty, no header, no data), and the page's own caption says 0 bytes,
    not "1 KB"."""
    upload(page, "空.csv", b"")
    assert not page.exception
    (message,) = [e.value for e in page.error]
    assert esc("文件“空.csv”是空的（0 字节），没有表头，也没有数据") in message
    assert any(c.value == f"当前文件：{esc('空.csv')}（0 字节）" for c in page.caption)
    page.radio(key="lang").set_value("en").run()
    (message,) = [e.value for e in page.error]
    assert esc("the file '空.csv' is empty (0 bytes): no header and no data") in message
    assert any(c.value == f"Current file: {esc('空.csv')} (0 bytes)" for c in page.caption)
