"""Reading candidate files: encodings, workbooks, row numbers, and clear errors for unreadable files."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib

import openpyxl
import pytest

from candidate_factory import csv_bytes, make_rows, write_xlsx
from quota_opt import InputError
from quota_opt.load import column_letter, read_table, read_table_bytes

TEXT = "项目编号,项目名称,所在城市\n001,刘䶮纪念智能工厂,成都市\n002,乙工厂,绵阳市\n"


@pytest.mark.parametrize(
    "encoding,expected",
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("utf-16", "utf-16")],
)
def test_csv_encodings_are_detected_not_asked(tmp_path, encoding, expected):
    path = tmp_path / "pool.csv"
    path.write_bytes(TEXT.encode(encoding))
    table = read_table(path)
    assert table.encoding == expected
    assert table.frame["项目名称"].tolist() == ["刘䶮纪念智能工厂", "乙工厂"]
    assert table.frame["项目编号"].tolist() == ["001", "002"]  # leading zeros kept


def test_gbk_csv_as_excel_on_chinese_windows_saves_it(tmp_path):
    path = tmp_path / "pool.csv"
    path.write_bytes(TEXT.replace("刘䶮纪念", "甲").encode("gbk"))
    table = read_table(path)
    assert table.encoding == "gbk" and table.frame["项目名称"].tolist() == ["甲智能工厂", "乙工厂"]


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_tab_and_semicolon_separated_text(tmp_path, delimiter):
    path = tmp_path / "pool.txt"
    path.write_text(TEXT.replace(",", delimiter), encoding="utf-8")
    assert read_table(path).frame.shape == (2, 3)


def test_row_numbers_count_the_header_as_row_1_and_skip_empty_rows(tmp_path):
    path = tmp_path / "pool.csv"
    path.write_text("项目编号,项目名称\n1,a\n,\n\n2,b\n , \n3,c\n,\n,\n", encoding="utf-8")
    table = read_table(path)
    assert table.row_numbers == (2, 5, 7)
    assert table.skipped_empty == 3  # rows 3, 4 and 6; the trailing blank rows are the sheet's unused area
    assert table.header_row == 1 and table.rows == 3


def test_quoted_cell_with_a_line_break_is_one_spreadsheet_row(tmp_path):
    path = tmp_path / "pool.csv"
    path.write_text('项目编号,项目名称\n1,"第一行\n第二行"\n2,b\n', encoding="utf-8")
    table = read_table(path)
    assert table.row_numbers == (2, 3) and table.frame["项目名称"][0] == "第一行\n第二行"


def test_title_row_above_the_header_is_found_and_kept_as_preamble(tmp_path):
    path = tmp_path / "pool.csv"
    body = csv_bytes(make_rows(2)).decode("utf-8")
    path.write_text("2025年卓越级智能工厂推荐汇总表,,\n" + body, encoding="utf-8")
    table = read_table(path)
    assert table.header_row == 2 and table.row_numbers == (3, 4)
    assert table.preamble == ((1, "2025年卓越级智能工厂推荐汇总表"),)


def test_repeated_and_blank_headers_keep_every_column(tmp_path):
    path = tmp_path / "pool.csv"
    path.write_text("项目编号,项目名称,项目名称,\n1,a,b,x\n2,c,d,\n", encoding="utf-8")
    table = read_table(path)
    assert list(table.frame.columns) == ["项目编号", "项目名称", "项目名称 [C]", "(无表头 no header) D"]
    assert table.headers == ("项目编号", "项目名称", "项目名称", "")
    assert table.column_letters == ("A", "B", "C", "D")


def test_cells_beyond_the_header_are_not_lost(tmp_path):
    path = tmp_path / "pool.csv"
    path.write_text("项目编号,项目名称\n1,a,extra\n", encoding="utf-8")
    table = read_table(path)
    assert table.frame.iloc[0].tolist() == ["1", "a", "extra"]


def test_empty_margin_columns_are_dropped(tmp_path):
    path = tmp_path / "pool.csv"
    path.write_text("项目编号,项目名称,,\n1,a,,\n", encoding="utf-8")
    assert list(read_table(path).frame.columns) == ["项目编号", "项目名称"]


def test_fingerprint_source_and_bytes_entry_point(tmp_path):
    data = TEXT.encode("utf-8")
    path = tmp_path / "pool.csv"
    path.write_bytes(data)
    table = read_table(path, display_name="上传.csv")
    assert table.sha256 == hashlib.sha256(data).hexdigest() and table.source == "上传.csv"
    from_bytes = read_table_bytes(data, "pool.csv")
    assert from_bytes.frame.equals(read_table(path).frame) and from_bytes.source == "pool.csv"


def test_xlsx_cells_read_as_excel_shows_them(tmp_path):
    path = write_xlsx(
        tmp_path / "pool.xlsx",
        [["项目编号", "项目名称", "人工智能场景占比", "项目总投资（万元）", "成熟度", "日期", "工厂建设"],
         [7, "甲", 0.325, 35000.0, 3.0, dt.datetime(2025, 6, 30), True],
         ["008", "乙", 0.2, 1234.5, "三级", None, False]],
        formats={(2, 1): "000", (2, 3): "0.0%", (3, 3): "0%"},
    )
    frame = read_table(path).frame
    assert frame.iloc[0].tolist() == ["007", "甲", "32.5%", "35000", "3", "2025-06-30", "TRUE"]
    assert frame.iloc[1].tolist() == ["008", "乙", "20%", "1234.5", "三级", "", "FALSE"]


def test_xlsx_first_sheet_or_named_sheet(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active.append(["项目编号", "项目名称"])
    wb.active.append(["A", "first"])
    other = wb.create_sheet("候选项目")
    other.append(["项目编号", "项目名称"])
    other.append(["B", "second"])
    path = tmp_path / "pool.xlsx"
    wb.save(path)
    assert read_table(path).frame["项目名称"].tolist() == ["first"]
    named = read_table(path, sheet="候选项目")
    assert named.frame["项目名称"].tolist() == ["second"] and named.sheet == "候选项目"
    assert named.sheets == ("说明", "候选项目")
    with pytest.raises(InputError) as exc:
        read_table(path, sheet="Sheet9")
    assert "说明、候选项目" in exc.value.message_zh and "its sheets: 说明, 候选项目" in exc.value.message_en


def test_workbook_saved_under_a_csv_name_is_still_read(tmp_path):
    xlsx = write_xlsx(tmp_path / "a.xlsx", [["项目编号"], ["1"]])
    renamed = tmp_path / "a.csv"
    renamed.write_bytes(xlsx.read_bytes())
    assert read_table(renamed).frame["项目编号"].tolist() == ["1"]


def _empty_workbook(path):
    openpyxl.Workbook().save(path)
    return path


@pytest.mark.parametrize(
    "name,content,zh,en",
    [
        ("empty.csv", b"", "是空的", "is empty"),
        ("blank.csv", b"  \r\n \n", "是空的", "is empty"),
        ("commas.csv", b",,,\n,,\n", "没有任何内容", "holds no content"),
        ("header.csv", "项目编号,项目名称\n,\n".encode(), "没有数据行", "no data rows"),
        ("nul.csv", b"\x00\x01\x02binary\x00", "二进制", "binary"),
        ("junk.csv", bytes(range(1, 32)) * 20, "二进制", "binary"),
        ("old.xls", codecs.BOM_UTF8 + b"x", ".xls", ".xls"),
        ("ole.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls", ".xls"),
        ("fake.xlsx", b"this is not a workbook", "不是有效的 Excel", "not a valid Excel"),
        ("broken.xlsx", b"PK\x03\x04garbage", "不是可读取的工作簿", "not a readable workbook"),
        ("report.pdf", b"%PDF-1.4", "不支持的文件类型", "unsupported file type"),
    ],
)
def test_unreadable_files_are_bilingual_input_errors(tmp_path, name, content, zh, en):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as exc:
        read_table(path)
    assert zh in exc.value.message_zh and en in exc.value.message_en
    assert name in exc.value.message_zh and name in exc.value.message_en


def test_xlsx_with_no_rows_names_the_other_sheets(tmp_path):
    path = _empty_workbook(tmp_path / "empty.xlsx")
    with pytest.raises(InputError) as exc:
        read_table(path)
    assert "没有任何数据行" in exc.value.message_zh and "has no rows" in exc.value.message_en


def test_missing_file_folder_and_sheet_on_csv(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_table(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="is a folder"):
        read_table(tmp_path)
    path = tmp_path / "a.csv"
    path.write_text(TEXT, encoding="utf-8")
    with pytest.raises(InputError, match="has no sheets"):
        read_table(path, sheet="Sheet1")


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]
