"""Hostile and damaged workbooks, built here by hand (zipfile and written XML), small on disk: every stated
limit stops the reading before the expansion it guards against, and a damaged workbook is "not a
readable workbook"."""

from __future__ import annotations

import tracemalloc
import zipfile
from io import BytesIO

import pytest

from candidate_factory import write_xlsx
from hostile_files import (
    BILLION_LAUGHS,
    HEADER,
    NS,
    declare_size,
    good_sheet,
    inline_row,
    sheet_xml,
    streamed_sheet,
    workbook,
)
from quota_opt import limits
from quota_opt.errors import InputError
from quota_opt.load import read_table, read_table_bytes

def read(data: bytes, name: str = "pool.xlsx", **kw):
    return read_table_bytes(data, name, **kw)


def refused(data: bytes, *needles: str, name: str = "pool.xlsx") -> InputError:
    with pytest.raises(InputError) as exc:
        read(data, name)
    for needle in needles:
        assert needle in exc.value.message_zh or needle in exc.value.message_en, (needle, str(exc.value))
    assert name in exc.value.message_zh and name in exc.value.message_en
    return exc.value


def peak_bytes(fn) -> int:
    tracemalloc.start()
    try:
        fn()
    except InputError:
        pass
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def test_a_hand_written_workbook_reads_like_one_saved_by_excel():
    table = read(workbook())
    assert table.frame["项目编号"].tolist() == ["T-0", "T-1"] and table.row_numbers == (2, 3)


def test_one_huge_cell_stops_at_the_cell_limit_before_it_is_held():
    big = sheet_xml(inline_row(1, HEADER) + f'<row r="2"><c r="A2" t="inlineStr"><is><t>{"x" * 20_000_000}</t></is></c></row>')
    data = workbook([("s", big, "visible")])
    assert len(data) < 100_000  # 20 MB of XML, small on disk
    assert peak_bytes(lambda: read(data)) < 5_000_000  # never held whole
    refused(data, f"{limits.MAX_CELL_CHARS:,}", "第2行A列")


def test_a_cell_just_past_the_limit_is_named_by_row_and_column():
    sheet = sheet_xml(inline_row(1, HEADER) + inline_row(2, ["T-1", "y" * (limits.MAX_CELL_CHARS + 1), "四川省"]))
    refused(workbook([("s", sheet, "visible")]), "第2行B列", "row 2, column B", f"{limits.MAX_CELL_CHARS + 1:,}")


def test_a_million_identical_rows_stop_at_the_row_limit(monkeypatch):
    for module in ("limits", "workbook", "load"):  # a lower limit, so the test stays fast: reading stops there
        monkeypatch.setattr(f"quota_opt.{module}.MAX_ROWS", 1_000)
    row = '<row><c t="inlineStr"><is><t>T</t></is></c><c t="inlineStr"><is><t>x</t></is></c></row>'
    data = workbook([("s", streamed_sheet(row, 1_000_000, inline_row(1, HEADER)), "visible")])
    assert len(data) < 500_000  # 80 MB of XML
    assert peak_bytes(lambda: read(data)) < 20_000_000
    refused(data, "1,000", "rows")


def test_sixteen_thousand_columns_stop_at_the_column_limit():
    cells = "".join(f'<c r="{_letters(j)}2"><v>1</v></c>' for j in range(16_384))
    data = workbook([("s", streamed_sheet(f'<row r="2">{cells}</row>', 20, inline_row(1, HEADER)), "visible")])
    assert len(data) < 1_000_000
    assert peak_bytes(lambda: read(data)) < 20_000_000
    refused(data, f"{limits.MAX_COLUMNS}", _letters(limits.MAX_COLUMNS), "第2行")


def test_sixteen_thousand_columns_by_two_thousand_rows_is_refused_by_its_size_unread(monkeypatch):
    # 16,384 x 2,000 such cells are 490 MB of XML, past the limit; a lower limit keeps the test fast.
    for module in ("limits", "workbook"):
        monkeypatch.setattr(f"quota_opt.{module}.MAX_UNCOMPRESSED_BYTES", 20 * 1024 * 1024)
    cells = "<c><v>1</v></c>" * 16_384
    data = workbook([("s", streamed_sheet(f"<row>{cells}</row>", 100), "visible")])
    assert peak_bytes(lambda: read(data)) < 5_000_000
    refused(data, "expands to more than")


def _letters(index: int) -> str:
    from quota_opt.load import column_letter

    return column_letter(index)


def test_a_shared_string_bomb_stops_at_the_cell_limit():
    strings = (f'<?xml version="1.0"?><sst {NS}><si><t>项目编号</t></si><si><t>项目名称</t></si><si><t>所在省份</t></si>'
               f'<si><t>{"z" * 5_000_000}</t></si></sst>')
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>'
    rows += "".join(f'<row r="{i}"><c r="A{i}" t="s"><v>3</v></c></row>' for i in range(2, 1000))
    data = workbook([("s", sheet_xml(rows), "visible")], strings=strings)
    assert peak_bytes(lambda: read(data)) < 5_000_000
    refused(data, f"{limits.MAX_CELL_CHARS:,}")


def test_a_long_shared_string_no_cell_uses_is_no_problem():
    strings = (f'<?xml version="1.0"?><sst {NS}><si><t>项目编号</t></si><si><t>{"z" * 20_000}</t></si></sst>')
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2"><v>7</v></c></row>'
    assert read(workbook([("s", sheet_xml(rows), "visible")], strings=strings)).frame.iloc[0, 0] == "7"


def test_declared_sizes_past_the_limit_are_refused_before_reading():
    data = declare_size(workbook(), "xl/worksheets/sheet1.xml", 1 << 30)  # "one 1 GiB cell", as declared
    assert peak_bytes(lambda: read(data)) < 2_000_000
    refused(data, f"{limits.MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB", "expands to more than")


def test_a_header_that_understates_the_size_stops_at_the_declared_size():
    sheet = good_sheet(2_000)
    data = declare_size(workbook([("s", sheet, "visible")]), "xl/worksheets/sheet1.xml", 1_000)
    refused(data, "不是可读取的工作簿", "not a readable workbook")


def test_the_uncompressed_budget_is_counted_while_reading(monkeypatch):
    monkeypatch.setattr("quota_opt.workbook.MAX_UNCOMPRESSED_BYTES", 10**9)  # declared sizes pass ...
    budget = {}

    class Small:  # ... but the bytes actually inflated are counted against the limit
        def __init__(self, total):
            budget["made"] = True
            self.left = 50_000

    monkeypatch.setattr("quota_opt.workbook._Budget", Small)
    refused(workbook([("s", good_sheet(3_000), "visible")]), "expands to more than")
    assert budget["made"]


@pytest.mark.parametrize("what,xml", [
    ("cut sheet XML", good_sheet(50)[:-200]),
    ("corrupted sheet XML", good_sheet(5).replace("<row", "<row <<", 3)),
    ("an entity bomb (billion laughs)", BILLION_LAUGHS),
    ("a sheet that is not XML", "\x00\x01 binary"),
])
def test_a_damaged_workbook_is_not_a_readable_workbook(what, xml):
    data = workbook([("s", xml, "visible")])
    assert peak_bytes(lambda: read(data)) < 5_000_000
    refused(data, "不是可读取的工作簿", "not a readable workbook")


def test_an_entity_bomb_in_the_shared_strings_is_refused_too():
    bomb = BILLION_LAUGHS.replace("<worksheet", "<sst").replace("</worksheet>", "</sst>")
    refused(workbook(strings=bomb), "不是可读取的工作簿", "entit")


@pytest.mark.parametrize("damage", [
    lambda d: d[: len(d) // 2],  # cut short
    lambda d: d[:200] + b"\x00" * 300 + d[500:],  # bytes overwritten inside a compressed part
])
def test_a_damaged_zip_is_not_a_readable_workbook(damage):
    refused(damage(workbook()), "不是可读取的工作簿")


def test_a_workbook_without_its_sheet_part_is_not_readable():
    data = workbook()
    buffer = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, zipfile.ZipFile(buffer, "w") as dst:
        for info in src.infolist():
            if "worksheets" not in info.filename:
                dst.writestr(info, src.read(info.filename))
    refused(buffer.getvalue(), "不是可读取的工作簿", "missing")


def test_a_hidden_first_sheet_is_not_read_in_place_of_the_first_visible_one():
    hidden = sheet_xml(inline_row(1, HEADER) + inline_row(2, ["OLD-1", "旧数据", "四川省"]))
    shown = sheet_xml(inline_row(1, HEADER) + inline_row(2, ["NEW-1", "新数据", "四川省"]))
    data = workbook([("旧表", hidden, "hidden"), ("候选项目", shown, "visible")])
    table = read(data)
    assert table.sheet == "候选项目" and table.frame["项目编号"].tolist() == ["NEW-1"]
    assert read(data, sheet="旧表").frame["项目编号"].tolist() == ["OLD-1"]  # named, it is read


def test_a_hidden_first_sheet_saved_by_openpyxl_is_skipped_too(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "旧表"
    wb.active.append(HEADER)
    wb.active.append(["OLD-1", "旧", "四川省"])
    wb.active.sheet_state = "hidden"
    new = wb.create_sheet("候选项目")
    new.append(HEADER)
    new.append(["NEW-1", "新", "四川省"])
    wb.active = 1
    wb.save(tmp_path / "h.xlsx")
    assert read_table(tmp_path / "h.xlsx").frame["项目编号"].tolist() == ["NEW-1"]


def test_shared_strings_rich_text_numbers_booleans_and_formula_results_read_as_shown(tmp_path):
    path = write_xlsx(tmp_path / "p.xlsx", [["项目编号", "项目名称", "总投资"], ["A-1", "甲", "=1+1"]])
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb.active["C2"] = 2  # a stored value
    wb.save(path)
    assert read_table(path).frame.iloc[0].tolist() == ["A-1", "甲", "2"]


def test_a_file_past_the_size_limit_is_refused_before_it_is_read(monkeypatch, tmp_path):
    monkeypatch.setattr("quota_opt.load.MAX_FILE_BYTES", 1_000)
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 2_000)
    with pytest.raises(InputError, match="MB"):
        read_table(path)
    with pytest.raises(InputError, match="MB"):
        read_table_bytes(b"x" * 2_000, "big.csv")


def test_csv_has_the_same_row_column_and_cell_limits(monkeypatch):
    header = "项目编号,项目名称,所在省份\r\n"
    for module in ("limits", "load"):
        monkeypatch.setattr(f"quota_opt.{module}.MAX_ROWS", 1_000)
    many = (header + "T,x,y\r\n" * 100_000).encode()
    refused(many, "1,000", name="pool.csv")
    wide = (header + "T,x,y" + ",1" * 16_000 + "\r\n").encode()
    refused(wide, f"{limits.MAX_COLUMNS}", "第2行", name="pool.csv")
    long_cell = (header + "T," + "x" * (limits.MAX_CELL_CHARS + 5) + ",y\r\n").encode()
    refused(long_cell, f"{limits.MAX_CELL_CHARS:,}", "第2行", name="pool.csv")


def test_trailing_empty_cells_past_the_column_limit_are_no_problem():
    data = ("项目编号,项目名称,所在省份\r\nT,x,四川省" + "," * 16_000 + "\r\n").encode()
    assert read(data, "pool.csv").frame.shape == (1, 3)


def test_a_zip_that_is_not_a_workbook_is_not_readable():
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "hi")
    refused(buffer.getvalue(), "不是可读取的工作簿")
