"""AppTest: every page of the app starts without an exception."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parent.parent


def test_quota_page_starts_and_shows_every_unit():
    at = AppTest.from_file(str(REPO / "app_pages" / "quota_page.py"), default_timeout=60).run()
    assert not at.exception
    assert at.selectbox(key="quota_year").value == 2025
    assert "推荐名额" in at.title[0].value


def test_quota_page_2024_and_unit_detail():
    at = AppTest.from_file(str(REPO / "app_pages" / "quota_page.py"), default_timeout=60).run()
    at.selectbox(key="quota_year").set_value(2024).run()
    assert not at.exception
    at.selectbox(key="quota_unit").set_value("新疆生产建设兵团").run()
    assert not at.exception
    assert any("5" == m.value for m in at.metric)


def test_app_entry_starts():
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    assert not at.exception
