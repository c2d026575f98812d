"""AppTest of the export page's documents (issue 12): the unit profile form saved into the run store,
the download buttons for the summary table and the letter, the score switch and date, and the
letter's preview, which says what the .docx says."""

from __future__ import annotations

from datetime import date

import pytest

from app_helpers import goto, start
from quota_opt import RunStore
from quota_opt.documents import chinese_date, china_today


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("QUOTA_OPT_DB", str(tmp_path / "runs.sqlite3"))
    return goto(start(), "export")


def preview(app) -> str:
    return "\n".join(str(e.value) for e in app.text)


def test_the_page_offers_both_documents_and_a_preview_of_the_letter(app):
    assert not app.exception
    keys = {b.key for b in app.get("download_button")}
    assert {"export_docx", "export_letter"} <= keys
    text = preview(app)
    assert "关于推荐2025年度卓越级智能工厂项目的函" in text and "工业和信息化部装备工业一司：" in text
    assert "工信厅联通装函〔2025〕251号" in text and "项目40个" in text
    assert chinese_date(china_today()) in text
    assert any("尚未保存单位信息" in i.value for i in app.info)  # no profile: official name, blanks
    assert "四川省" in text and "联系人：______" in text


def test_the_profile_form_saves_into_the_run_store_and_signs_the_letter(app, tmp_path):
    app.text_input(key="export_profile_name").set_value("四川省经济和信息化厅")
    app.text_input(key="export_profile_contact").set_value("张三")
    app.text_input(key="export_profile_phone").set_value("028-86000000")
    app.text_input(key="export_profile_co_signers").set_value("四川省财政厅")
    app.button(key="export_profile_save").click().run()
    assert not app.exception
    assert any("已保存" in s.value for s in app.success)
    saved = RunStore(tmp_path / "runs.sqlite3").get_profile("四川")
    assert (saved.name, saved.contact, saved.phone, saved.co_signers) == (
        "四川省经济和信息化厅", "张三", "028-86000000", ("四川省财政厅",))
    text = preview(app)
    assert "四川省经济和信息化厅" in text and "四川省财政厅" in text and "联系人：张三" in text


def test_a_bad_email_is_refused_with_the_reason_and_nothing_saved(app, tmp_path):
    app.text_input(key="export_profile_email").set_value("not-an-address")
    app.button(key="export_profile_save").click().run()
    assert any("格式不对" in e.value for e in app.error)
    assert RunStore(tmp_path / "runs.sqlite3").get_profile("四川") is None


def test_the_date_changes_the_preview(app):
    app.date_input(key="export_docx_date").set_value(date(2025, 7, 25)).run()
    assert "2025年7月25日" in preview(app)
    app.toggle(key="export_docx_score").set_value(True).run()
    assert not app.exception


def test_no_documents_when_nothing_is_recommended(tmp_path, monkeypatch):
    monkeypatch.setenv("QUOTA_OPT_DB", str(tmp_path / "runs.sqlite3"))
    app = start()
    goto(app, "rules")
    app.toggle(key="c_on_city_floor").set_value(True).run()
    app.number_input(key="c_min_per_city").set_value(5).run()
    goto(app, "export")
    assert not app.exception
    assert not {"export_docx", "export_letter"} & {b.key for b in app.get("download_button")}
    assert any("不生成推荐汇总表和推荐函" in i.value for i in app.info)
