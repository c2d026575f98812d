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
