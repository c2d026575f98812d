"""Reading a CSV file at once (pyarrow's parser, or pandas' C parser) gives exactly what reading it record by
record (the csv module, the oracle) gives, on random messy text: the same cells, row numbers, header, title
rows, notes and skipped rows, or the same refusal."""

from __future__ import annotations

import codecs
from unittest import mock

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quota_opt import limits
from quota_opt.errors import InputError
from quota_opt.load import read_table_bytes

# Pieces of cells as files hold them: headers, quotes, separators, line breaks, white space, notes.
PIECES = ["项目编号", "项目名称", "所在省份", "project_id", "T-1", "甲", "a", "1", "35%", "", " ", "\u3000", "\t",
          ",", ";", '"', '""', "\n", "\r\n", "\r", "合计", "填表说明：", "x y", "#", "=1+1", "\u00b7", "é", "\u00a0", "\u2028", "\u200b"]


@st.composite
def messy_csv(draw) -> bytes:
    delimiter = draw(st.sampled_from([",", ",", ";", "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    header = delimiter.join(draw(st.permutations(["项目编号", "项目名称", "所在省份"])))
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        cells = []
        for _ in range(draw(st.integers(0, 5))):
            cell = "".join(draw(st.lists(st.sampled_from(PIECES), max_size=3)))
            if draw(st.booleans()):  # quoted, as Excel writes a cell holding a delimiter or a break
                cell = '"' + cell.replace('"', '""') + '"'
            cells.append(cell)
        lines.append(delimiter.join(cells))
    title = [draw(st.sampled_from(["2025年推荐汇总表", "", ","]))] if draw(st.booleans()) else []
    text = newline.join(title + [header] + lines) + draw(st.sampled_from(["", newline, newline * 2, "\x1a"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    return codecs.BOM_UTF8 + text.encode() if encoding == "utf-8-sig" else text.encode(encoding, "replace")


def read(data: bytes):
    try:
        return read_table_bytes(data, "pool.csv")
    except InputError as exc:
        return str(exc)


def assert_same_table(fast, slow) -> None:
    if isinstance(fast, str) or isinstance(slow, str):
        assert fast == slow
        return
    assert fast.frame.equals(slow.frame)
    assert list(fast.frame.columns) == list(slow.frame.columns)
    for name in ("row_numbers", "skipped_empty", "header_row", "headers", "column_letters", "encoding",
                 "preamble", "notes", "sha256"):
        assert getattr(fast, name) == getattr(slow, name), name
    for column in fast.frame.columns:
        assert fast.cells(column).tolist() == slow.cells(column).tolist()


def record_by_record(data: bytes):
    with mock.patch("quota_opt.load._csv_grid_fast", return_value=None):
        return read(data)


def by_pandas(data: bytes):
    with mock.patch("quota_opt.load._csv_pyarrow", return_value=None):
        return read(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messy_csv())
def test_reading_at_once_gives_what_reading_record_by_record_gives(data):
    oracle = record_by_record(data)
    assert_same_table(read(data), oracle)
    assert_same_table(by_pandas(data), oracle)


def test_a_clean_pool_is_read_by_pyarrow_a_short_record_by_pandas_and_a_long_one_record_by_record():
    clean = "项目编号,项目名称,所在省份\n" + "".join(f"T-{i},项目{i},四川省\n" for i in range(50))
    short = clean + "T-98,项目98\n"
    ragged = clean + "T-99,项目99,四川省,多出的一格\n"
    with mock.patch("quota_opt.load._csv_pandas", side_effect=AssertionError("read by pandas")), \
            mock.patch("quota_opt.load._csv_rows", side_effect=AssertionError("read record by record")):
        assert read(clean.encode()).rows == 50
    with mock.patch("quota_opt.load._csv_rows", side_effect=AssertionError("read record by record")):
        assert read(short.encode()).frame.iloc[-1].tolist() == ["T-98", "项目98", ""]
    table = read(ragged.encode())
    assert table.rows == 51 and table.frame.iloc[-1].tolist() == ["T-99", "项目99", "四川省", "多出的一格"]
    assert_same_table(table, record_by_record(ragged.encode()))


def test_a_cell_past_the_length_limit_is_named_by_row_column_and_length_either_way():
    cell = "x" * (limits.MAX_CELL_CHARS + 1)
    data = f"项目编号,项目名称,所在省份\nT-1,甲,四川省\nT-2,{cell},四川省\n".encode()
    message = read(data)
    assert "第3行B列" in message and "row 3, column B" in message and f"{limits.MAX_CELL_CHARS + 1:,}" in message
    assert f"{limits.MAX_CELL_CHARS:,}" in record_by_record(data)
    exact = f"项目编号,项目名称,所在省份\nT-1,{'x' * limits.MAX_CELL_CHARS},四川省\n".encode()
    assert read(exact).rows == 1 and record_by_record(exact).rows == 1


def test_a_column_past_the_limit_with_content_is_refused_at_its_first_cell():
    width = limits.MAX_COLUMNS + 3
    rows = ["项目编号,项目名称,所在省份" + "," * (width - 3), "T-1,甲,四川省" + "," * (width - 3),
            "T-2,乙,四川省" + "," * (width - 4) + ",z"]
    message = read("\n".join(rows).encode())
    assert "第3行" in message and str(limits.MAX_COLUMNS) in message
    blank_margin = read("\n".join(rows[:2] * 1).encode())
    assert blank_margin.frame.shape == (1, 3)


def test_cells_are_the_texts_as_python_strings_however_read():
    data = "项目编号,项目名称,所在省份\nT-1, 甲 ,四川省\n".encode()
    for table in (read(data), by_pandas(data), record_by_record(data)):
        assert table.cells("项目名称").dtype == np.dtype(object) and table.cells("项目名称").tolist() == [" 甲 "]


def test_a_blank_cell_is_blank_to_pyarrow_exactly_as_to_str_strip():
    import pyarrow as pa
    import pyarrow.compute as pc

    from quota_opt.load import _BLANK

    every = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    blank = pc.match_substring_regex(pa.array(every), _BLANK).to_pylist()
    assert [c for c, b in zip(every, blank) if b] == [c for c in every if not c.strip()]
