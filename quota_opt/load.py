"""Read a candidate spreadsheet as officials have it: CSV (UTF-8, UTF-8 BOM, GBK, GB18030, UTF-16) or .xlsx.

Every cell is read as text, exactly as the user sees it (an Excel percentage cell 0.35 shown as
"35%" reads "35%"), and no row is lost: wholly empty rows are skipped and counted, every other
row keeps its spreadsheet row number (the header is row 1 when it is the first row). A title
row above the header is recognised (the header is the first row naming at least three known
columns) and kept in :attr:`RawTable.preamble` so the validator can say it was not read as data.
Rows after the data that are notes (填表说明, 备注, 注：, 合计..., or a row with a single filled
cell) are kept in :attr:`RawTable.notes` and reported as notes, not read as candidates; only the
rows after the last data row count, so a data row in the middle is always data.

Every reader has stated limits (:mod:`quota_opt.limits`): file size, a workbook's uncompressed
size, rows, columns, characters a cell and filled cells. A file past one is an InputError naming it.

A file that cannot be read at all (missing, empty, binary, not a workbook, a workbook without
rows) is an :class:`~quota_opt.errors.InputError` in Chinese and English, never a traceback.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from .columns import canonical_header, is_note_text
from .errors import InputError
from .limits import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    cell_error,
    cells_error,
    columns_error,
    file_size_error,
    rows_error,
)
from .workbook import ROW_HEADROOM, column_letter, read_sheet

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
# How many leading non-empty rows may be a title above the header.
HEADER_SEARCH_ROWS = 10
# A header row names at least this many known columns (or all of its cells, when fewer).
HEADER_MIN_KNOWN = 3

_ZIP_MAGIC = b"PK\x03\x04"
# Control characters (Unicode category Cc) other than tab, carriage return and line feed.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True, eq=False)
class RawTable:
    """A spreadsheet read as text, one frame row per non-empty data row.

    ``frame`` has one column per spreadsheet column, named by its header as written (stripped;
    a repeated header gets its column letter appended, a blank header over data is named
    "(无表头 no header) X"); ``headers`` keeps the header texts exactly as written.
    ``row_numbers[i]`` is the spreadsheet row of ``frame.iloc[i]``.
    """

    frame: pd.DataFrame
    source: str
    sha256: str
    sheet: str | None
    row_numbers: tuple[int, ...]
    skipped_empty: int
    header_row: int = 1
    headers: tuple[str, ...] = ()
    column_letters: tuple[str, ...] = ()
    encoding: str | None = None
    sheets: tuple[str, ...] = ()
    preamble: tuple[tuple[int, str], ...] = field(default_factory=tuple)
    notes: tuple[tuple[int, str], ...] = field(default_factory=tuple)
    # The frame's columns as object arrays of Python strings, as the reader made them (none when it parsed
    # straight into pyarrow: cells() and cells_at() then make them from the frame, where asked).
    texts: tuple[np.ndarray, ...] = field(default=(), compare=False, repr=False)

    @property
    def rows(self) -> int:
        return len(self.frame)

    def cells(self, column: str) -> np.ndarray:
        """The texts of a frame column as an object array of Python strings."""
        j = list(self.frame.columns).index(column)
        if j < len(self.texts):
            return self.texts[j].copy()
        out = np.empty(len(self.frame), dtype=object)
        out[:] = self.frame[column].tolist()
        return out

    def cells_at(self, column: str, positions: np.ndarray) -> np.ndarray:
        """The texts of a frame column at some row positions, as an object array of Python strings."""
        j = list(self.frame.columns).index(column)
        positions = np.asarray(positions, dtype=np.int64)
        if j < len(self.texts):
            return self.texts[j][positions]
        out = np.empty(len(positions), dtype=object)
        out[:] = self.frame[column].array.take(positions).tolist()
        return out

    def letter(self, column: str) -> str:
        """The spreadsheet column letter of a frame column."""
        try:
            return self.column_letters[list(self.frame.columns).index(column)]
        except (ValueError, IndexError):
            return ""


def read_table(path: str | Path, sheet: str | None = None, display_name: str | None = None, *,
               known_header: Callable[[str], str | None] = canonical_header,
               single_cell_notes: bool = True) -> RawTable:
    """Read a .csv or .xlsx candidate file from disk (see :func:`read_table_bytes`)."""
    path = Path(path)
    name = display_name or path.name
    if not path.exists():
        raise InputError(f"找不到文件“{path}”", f"file not found: '{path}'")
    if path.is_dir():
        raise InputError(f"“{path}”是文件夹，不是文件", f"'{path}' is a folder, not a file")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise file_size_error(name, size)
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取文件“{path}”：{exc.strerror}", f"cannot read '{path}': {exc.strerror}") from exc
    return read_table_bytes(data, name, sheet=sheet, known_header=known_header, single_cell_notes=single_cell_notes)


def read_table_bytes(data: bytes, filename: str, sheet: str | None = None, *,
                     known_header: Callable[[str], str | None] = canonical_header,
                     single_cell_notes: bool = True) -> RawTable:
    """Read a candidate file from its bytes (an upload); ``filename`` names it in messages.

    The format is taken from the content where it is unambiguous (a workbook saved under a
    .csv name is still read as a workbook) and otherwise from the extension. ``known_header``
    names the columns that mark the header row (another table than the candidates', e.g. a
    score sheet, passes its own). ``single_cell_notes``: whether a trailing row with one filled cell
    is a note (a candidate file) or data (a score sheet, where an unscored last project is such a row).
    """
    suffix = Path(filename).suffix.lower()
    if len(data) > MAX_FILE_BYTES:
        raise file_size_error(filename, len(data))
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        what_zh, what_en = ("0 字节", "0 bytes") if not data else ("只有空白和空行", "only blanks and empty lines")
        raise InputError(f"文件“{filename}”是空的（{what_zh}），没有表头，也没有数据；请检查是否选错了文件",
                         f"the file '{filename}' is empty ({what_en}): no header and no data; check that the right "
                         "file was chosen")
    if data.startswith(_OLE_MAGIC) or suffix == ".xls":
        raise InputError(
            f"文件“{filename}”是旧版 Excel（.xls）格式，请在 Excel 中另存为 .xlsx 或 CSV 后再读取",
            f"'{filename}' is an old Excel (.xls) workbook; save it as .xlsx or CSV in Excel and try again",
        )
    if data.startswith(_ZIP_MAGIC):
        rows, sheet_name, sheets = read_sheet(data, filename, sheet)
        grid, encoding = _Grid.of_rows(rows), None
    elif suffix in XLSX_SUFFIXES:
        raise InputError(
            f"文件“{filename}”不是有效的 Excel 工作簿（.xlsx）",
            f"'{filename}' is not a valid Excel workbook (.xlsx)",
        )
    elif suffix in CSV_SUFFIXES or suffix == "":
        if sheet is not None:
            raise InputError(
                f"文件“{filename}”是 CSV，没有工作表，不能指定工作表“{sheet}”",
                f"'{filename}' is a CSV file and has no sheets; drop the sheet name '{sheet}'",
            )
        grid, encoding = _csv_grid(data, filename)
        sheet_name, sheets = None, ()
    else:
        raise InputError(
            f"不支持的文件类型“{suffix}”（{filename}）；请使用 .csv 或 .xlsx",
            f"unsupported file type '{suffix}' ({filename}); use .csv or .xlsx",
        )
    return _build_table(grid, filename, digest, sheet_name, sheets, encoding, known_header, single_cell_notes)


# ----------------------------------------------------------------------------------- CSV
def _decode(data: bytes, filename: str) -> tuple[str, str]:
    """Text and encoding name: BOMs first, then strict UTF-8, then GBK / GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        candidates = ["utf-16"]
    else:
        if b"\x00" in data:
            raise _binary(filename)
        candidates = ["utf-8", "gbk", "gb18030"]
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise InputError(
        f"文件“{filename}”的编码无法识别（既不是 UTF-8 也不是 GBK/GB18030），可能不是文本文件",
        f"cannot tell the encoding of '{filename}' (neither UTF-8 nor GBK/GB18030); it may not be a text file",
    )


def _binary(filename: str) -> InputError:
    return InputError(
        f"文件“{filename}”不是 CSV 文本文件（含有二进制内容）；请提供 .csv 或 .xlsx",
        f"'{filename}' is not a CSV text file (it holds binary content); provide a .csv or .xlsx file",
    )


# Every byte but those of the control characters _CONTROLS matches below U+0080 (in UTF-8 each is one
# byte, and no byte of a longer character is below 0x80); U+0080..U+009F are the pairs C2 80 .. C2 9F.
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if not (b < 0x80 and _CONTROLS.match(chr(b))))
_C1_UTF8 = re.compile(b"\xc2[\x80-\x9f]")


def _control_count(data: bytes, text: str, encoding: str) -> int:
    """How many control characters (:data:`_CONTROLS`) ``text`` (``data`` decoded, trailing DOS end-of-file
    marks removed) holds: counted on the bytes for UTF-8 (a pass in C), else by the pattern on the text."""
    if encoding not in ("utf-8", "utf-8-sig"):
        return len(_CONTROLS.findall(text))
    found = len(data.translate(None, _NOT_CONTROL_BYTES)) - (len(data) - len(data.rstrip(b"\x1a")))
    if b"\xc2" in data:
        found += len(_C1_UTF8.findall(data))
    return found


def _first_line(text: str) -> str:
    """The first line of ``text`` (as str.splitlines splits it) with content, split from a prefix only."""
    size = 4096
    while True:
        lines = text[:size].splitlines()
        whole = size >= len(text)
        for line in lines if whole else lines[:-1]:  # the prefix's last line may be cut
            if line.strip():
                return line
        if whole:
            return ""
        size *= 4


def _sniff_delimiter(text: str) -> str:
    first = _first_line(text)
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


@dataclass(frozen=True, eq=False)
class _Grid:
    """The rows with content of a sheet or CSV file: their spreadsheet row numbers and, per column, their
    cells (short rows padded with ""): as object arrays of Python strings, or as pyarrow string arrays
    (``arrow``), or both. A reader that parses into pyarrow gives no Python strings: they are made only
    for the few rows and cells looked at here (the validator makes the others it needs)."""

    numbers: np.ndarray
    columns: list[np.ndarray] | None
    arrow: list | None = None

    @property
    def width(self) -> int:
        return len(self.columns if self.columns is not None else self.arrow)

    def row(self, i: int) -> list[str]:
        if self.columns is not None:
            return [str(col[i]) for col in self.columns]
        return [str(texts[i].as_py()) for texts in self.arrow]

    def column(self, j: int, start: int, stop: int) -> np.ndarray:
        """The cells of column ``j`` in rows ``start:stop`` as Python strings."""
        if self.columns is not None:
            return self.columns[j][start:stop]
        return self.arrow[j].slice(start, stop - start).to_numpy(zero_copy_only=False)

    def has_text(self, j: int, rows: np.ndarray | None = None) -> np.ndarray:
        """Which cells of column ``j`` (at ``rows``, or all) hold more than white space: on the pyarrow array
        by a pattern of str.strip's white space when there is one, else by str.strip."""
        if self.columns is not None:
            cells = self.columns[j] if rows is None else self.columns[j][rows]
            return _has_text(cells)
        import pyarrow as pa
        import pyarrow.compute as pc

        texts = self.arrow[j] if rows is None else self.arrow[j].take(pa.array(rows, type=pa.int64()))
        blank = pc.match_substring_regex(texts, _BLANK)
        return ~blank.to_numpy(zero_copy_only=False).astype(bool)

    def any_text(self, j: int, start: int, stop: int) -> bool:
        """Whether a cell of column ``j`` in rows ``start:stop`` holds more than white space (looked at a block
        at a time: a column with data has it in its first cells)."""
        for at in range(start, stop, 256):
            if any(c.strip() for c in self.column(j, at, min(at + 256, stop)).tolist()):
                return True
        return False

    @classmethod
    def of_rows(cls, rows: list[tuple[int, list[str]]]) -> "_Grid":
        width = max((len(cells) for _, cells in rows), default=0)
        pad = [""] * width
        grid = [cells if len(cells) == width else list(cells) + pad[len(cells):] for _, cells in rows]
        columns = []
        for values in zip(*grid):
            column = np.empty(len(values), dtype=object)
            column[:] = values
            columns.append(column)
        return cls(np.array([number for number, _ in rows], dtype=np.int64), columns)


def _csv_grid(data: bytes, filename: str) -> tuple[_Grid, str]:
    """The rows with content of a CSV file and its encoding, within the stated limits.

    Read at once (:func:`_csv_grid_fast`) when a cheap count keeps the file within the limits and a
    parser that reads it as the csv module does takes it, else record by record (:func:`_csv_records`)."""
    text, encoding = _decode(data, filename)
    text = text.rstrip("\x1a")  # a DOS end-of-file mark some exports append
    controls = _control_count(data, text, encoding)
    if controls and controls > max(2, len(text) // 200):
        raise _binary(filename)
    delimiter = _sniff_delimiter(text)
    utf8 = None
    if encoding in ("utf-8", "utf-8-sig"):  # the bytes as they are, for pyarrow (no encoding again)
        utf8 = (data[len(codecs.BOM_UTF8):] if encoding == "utf-8-sig" else data).rstrip(b"\x1a")
    grid = _csv_grid_fast(text, delimiter, filename, utf8)
    if grid is None:
        grid = _Grid.of_rows(_csv_rows(text, delimiter, filename))
    return grid, encoding


def _csv_rows(text: str, delimiter: str, filename: str) -> list[tuple[int, list[str]]]:
    """The records with content, each with its spreadsheet row number (a record, as a spreadsheet shows
    it: a quoted line break stays inside its row), read by the csv module within the stated limits."""
    previous = csv.field_size_limit(MAX_CELL_CHARS)  # a longer cell stops the reader at once (csv.Error below)
    try:
        return _csv_records(text, delimiter, filename)
    finally:
        csv.field_size_limit(previous)


def _csv_records(text: str, delimiter: str, filename: str) -> list[tuple[int, list[str]]]:
    rows: list[tuple[int, list[str]]] = []
    filled = 0
    number = 0
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, record in enumerate(reader, start=1):
            if not (record and record[0].strip()) and not "".join(record).strip():
                continue  # wholly empty (most rows have a first cell, so the join is rarely made)
            if len(record) > MAX_COLUMNS:
                beyond = next((j for j in range(MAX_COLUMNS, len(record)) if record[j].strip()), None)
                if beyond is not None:
                    raise columns_error(filename, number, column_letter(beyond))
                record = record[:MAX_COLUMNS]
            rows.append((number, record))
            filled += len(record)
            if len(rows) > MAX_ROWS + ROW_HEADROOM:
                raise rows_error(filename)
            if filled > MAX_CELLS:
                raise cells_error(filename)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise cell_error(filename, number + 1, "", None) from None
        raise InputError(f"无法解析 CSV 文件“{filename}”：{exc}", f"cannot parse the CSV file '{filename}': {exc}") from exc
    return rows


# A cell of white space only, as str.strip sees white space (every such character is below U+3001), for RE2.
_BLANK = "^[" + "".join(f"\\x{{{c:x}}}" for c in range(0x3001) if chr(c).isspace()) + "]*$"


def _has_text(cells: np.ndarray) -> np.ndarray:
    """Which cells hold more than white space (str.strip's white space, as the record reader uses)."""
    return np.fromiter((bool(c.strip()) for c in cells.tolist()), dtype=bool, count=len(cells))


def _csv_grid_fast(text: str, delimiter: str, filename: str, utf8: bytes | None = None) -> _Grid | None:
    """The rows with content of CSV ``text`` (``utf8``: the same as UTF-8 bytes, when at hand) read at once,
    with every cell kept as text and every record a row (blank lines too, so a record's position is its
    row number), or None where no such reader applies: a count of line breaks and delimiters (at least
    the records and the cells) over the row or cell limit, or text neither parser takes (a record wider
    than the first, an unclosed quote). The record reader then reads the file and decides; it reads the
    same cells. A column past the limit with content, and a cell past the length limit, are refused here
    as there.

    The parsers: pyarrow's (the cells straight into the text columns, in C) for a file whose records are
    all as wide as the first, as Excel writes them, else pandas' C parser (which pads a short record)."""
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    if breaks + 1 > MAX_ROWS + ROW_HEADROOM or breaks + 1 + text.count(delimiter) > MAX_CELLS or "\x00" in text:
        return None
    read = _csv_pyarrow(text, delimiter, utf8) or _csv_pandas(text, delimiter)
    if read is None:
        return None
    columns, arrow = read  # columns None: only pyarrow's arrays (Python strings made below where looked at)
    grid = _Grid(np.arange(len(arrow[0]) if columns is None else len(columns[0])), columns, arrow)
    records = len(grid.numbers)
    content = grid.has_text(0)
    blank = np.flatnonzero(~content)
    for j in range(1, grid.width):
        if not len(blank):
            break
        filled = grid.has_text(j, blank)
        content[blank[filled]] = True
        blank = blank[~filled]
    at = np.flatnonzero(content)
    if grid.width > MAX_COLUMNS:
        beyond = _first_cell(grid.has_text(j, at) for j in range(MAX_COLUMNS, grid.width))
        if beyond is not None:
            k, j = beyond
            raise columns_error(filename, int(at[k]) + 1, column_letter(MAX_COLUMNS + j))
        columns = columns[:MAX_COLUMNS] if columns is not None else None
        arrow = arrow[:MAX_COLUMNS] if arrow is not None else None
    whole = len(at) == records
    if columns is not None and not whole:
        columns = [column[at] for column in columns]
    if arrow is None:
        arrow = [_arrow_text(column) for column in columns]
    elif not whole:
        import pyarrow as pa

        arrow = [texts.take(pa.array(at)) for texts in arrow]
    grid = _Grid(at.astype(np.int64) + 1, columns, arrow)
    long = _first_cell(_longer(grid, j, MAX_CELL_CHARS) for j in range(grid.width))
    if long is not None:
        k, j = long
        raise cell_error(filename, int(grid.numbers[k]), column_letter(j), len(grid.column(j, k, k + 1)[0]))
    return grid


def _csv_pyarrow(text: str, delimiter: str, utf8: bytes | None) -> tuple[None, list] | None:
    """Every record of a CSV file whose records are all as wide as the first, parsed by pyarrow: the columns
    as pyarrow string arrays (no Python string made); None without pyarrow, or for a file it does not take
    (a record of another width, an unclosed quote)."""
    if _ARROW_STR is None:
        return None
    import pyarrow as pa
    import pyarrow.csv as pacsv

    try:
        # The width is the first record's, read as the record reader reads it (a quoted line break included).
        first = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), None)
        if not first:
            return None
        names = [f"c{j}" for j in range(len(first))]
        table = pacsv.read_csv(
            io.BytesIO(utf8 if utf8 is not None else text.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char='"', double_quote=True, escape_char=False,
                                             newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.large_string() for n in names}, null_values=[],
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False,
                                                 check_utf8=False))
    except (pa.ArrowInvalid, csv.Error):
        return None
    return None, [table.column(j).combine_chunks() for j in range(table.num_columns)]


def _csv_pandas(text: str, delimiter: str) -> tuple[list[np.ndarray], None] | None:
    """Every record of a CSV file parsed by pandas' C parser (a short record padded with empty cells): the
    columns as object arrays of Python strings; None for a file it does not take (a record wider than the
    first, an unclosed quote)."""
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, dtype=object, na_filter=False,
                            keep_default_na=False, skip_blank_lines=False, engine="c", quotechar='"',
                            doublequote=True, escapechar=None, comment=None, skipinitialspace=False)
    except (ValueError, pd.errors.ParserError):  # EmptyDataError is a ValueError
        return None
    columns = [frame.iloc[:, j].to_numpy(dtype=object) for j in range(frame.shape[1])]
    return (columns, None) if columns else None


def _longer(grid: _Grid, j: int, limit: int) -> np.ndarray | None:
    """Which cells of column ``j`` are longer than ``limit`` characters (None: none is), measured on the
    pyarrow array when there is one."""
    if grid.arrow is not None and grid.arrow[j] is not None:
        import pyarrow.compute as pc

        lengths = pc.utf8_length(grid.arrow[j])
        if len(lengths) == 0 or pc.max(lengths).as_py() <= limit:
            return None
        return lengths.to_numpy(zero_copy_only=False) > limit
    cells = grid.columns[j]
    lengths = np.fromiter(map(len, cells.tolist()), dtype=np.int64, count=len(cells))
    return lengths > limit if len(cells) and lengths.max() > limit else None


def _first_cell(masks) -> tuple[int, int] | None:
    """The first cell, in reading order (row by row, then left to right), marked in ``masks`` (one boolean
    array a column, over the same rows; None marks none): its row's and its column's position, or None."""
    first: tuple[int, int] | None = None
    for j, mask in enumerate(masks):
        hits = np.flatnonzero(mask) if mask is not None else ()
        if len(hits) and (first is None or int(hits[0]) < first[0]):
            first = (int(hits[0]), j)
    return first


# ----------------------------------------------------------------------------------- table
def _find_header(rows: list[list[str]], known_header: Callable[[str], str | None] = canonical_header) -> int:
    """Index in ``rows`` (the leading rows with content) of the header: the first naming enough known columns."""
    for i, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        filled = [c for c in cells if str(c).strip()]
        known = sum(1 for c in filled if known_header(c) is not None)
        if known >= min(HEADER_MIN_KNOWN, len(filled)) and known > 0:
            return i
    return 0


def _arrow_dtype():
    """pandas' "str" dtype when it is backed by pyarrow (pandas 3 with pyarrow installed), else None."""
    try:
        import pyarrow  # noqa: F401

        dtype = pd.StringDtype("pyarrow", na_value=float("nan"))
        return dtype if pd.api.types.pandas_dtype("str") == dtype else None
    except (ImportError, TypeError, ValueError):
        return None


_ARROW_STR = _arrow_dtype()


def _arrow_text(values: np.ndarray):
    """An object array of Python strings as a pyarrow string array (None when "str" is not pyarrow's)."""
    if _ARROW_STR is None:
        return None
    import pyarrow as pa

    return pa.array(values, type=pa.large_string(), from_pandas=True)


def text_array(values: np.ndarray, arrow=None) -> object:
    """A column of cell texts (an object array of Python strings, or ``arrow``, the same as a pyarrow array)
    as pandas' "str" dtype: built through pyarrow when that is what "str" is (much faster than from
    Python strings), else as pandas builds it."""
    if _ARROW_STR is not None:
        return pd.arrays.ArrowStringArray(arrow if arrow is not None else _arrow_text(values), dtype=_ARROW_STR)
    return pd.array(values, dtype="str")


def coded_text_array(codes: np.ndarray, texts) -> object:
    """A column of ``texts[codes[i]]`` as pandas' "str" dtype, made from the few distinct texts (decoded in
    pyarrow when "str" is pyarrow's, without a Python string per row)."""
    if _ARROW_STR is not None:
        import pyarrow as pa

        coded = pa.DictionaryArray.from_arrays(pa.array(codes, type=pa.int64()), pa.array(list(texts), type=pa.large_string()))
        return pd.arrays.ArrowStringArray(coded.cast(pa.large_string()), dtype=_ARROW_STR)
    distinct = np.empty(len(texts), dtype=object)
    distinct[:] = list(texts)
    return pd.array(distinct[codes], dtype="str")


def _is_note(cells: list[str], single_cell: bool = True) -> bool:
    """A row below the data that is a note: it begins as notes do, or (``single_cell``) it has one filled cell."""
    filled = [c for c in cells if c.strip()]
    return (single_cell and len(filled) == 1) or (bool(filled) and is_note_text(filled[0]))


def _row_text(cells: list[str]) -> str:
    return " ".join(str(c).strip() for c in cells if str(c).strip())


def _build_table(
    grid: _Grid,
    filename: str,
    digest: str,
    sheet: str | None,
    sheets: tuple[str, ...],
    encoding: str | None,
    known_header: Callable[[str], str | None] = canonical_header,
    single_cell_notes: bool = True,
) -> RawTable:
    """The table of the rows with content (each with its spreadsheet row number; the readers leave out
    wholly empty rows)."""
    count = len(grid.numbers)
    if not count:
        raise InputError(f"文件“{filename}”没有任何内容", f"the file '{filename}' holds no content")
    numbers = grid.numbers.tolist()
    h = _find_header([grid.row(i) for i in range(min(count, HEADER_SEARCH_ROWS))], known_header)
    header_row, header_cells = numbers[h], grid.row(h)
    preamble = tuple((numbers[i], _row_text(grid.row(i))) for i in range(h))
    end = count
    while end > h + 2 and _is_note(grid.row(end - 1), single_cell_notes):
        end -= 1  # notes below the data; the first data row is never one
    notes = tuple((numbers[i], _row_text(grid.row(i))) for i in range(end, count))
    first, rows = h + 1, end - h - 1
    if not rows:
        raise InputError(
            f"文件“{filename}”只有表头（第{header_row}行），没有数据行",
            f"the file '{filename}' has a header (row {header_row}) but no data rows",
        )
    if rows > MAX_ROWS:
        raise rows_error(filename)
    # Empty rows between the header and the last data row were skipped; those below are the sheet's unused area.
    skipped = (numbers[end - 1] - header_row) - rows
    raw_headers = [str(c) for c in header_cells]
    # A column with neither header nor data is Excel's empty margin.
    keep = [j for j in range(grid.width) if raw_headers[j].strip() or grid.any_text(j, first, end)]
    names: list[str] = []
    seen: set[str] = set()
    for j in keep:
        letter = column_letter(j)
        name = raw_headers[j].strip() or f"(无表头 no header) {letter}"
        if name in seen:
            name = f"{name} [{letter}]"
        seen.add(name)
        names.append(name)
    columns = [column[first:end] for column in grid.columns] if grid.columns is not None else None
    arrow = grid.arrow or [None] * grid.width
    frame = pd.DataFrame({name: text_array(columns[j] if columns is not None else None,
                                           arrow[j].slice(first, rows) if arrow[j] is not None else None)
                          for name, j in zip(names, keep)})
    return RawTable(
        frame=frame,
        source=filename,
        sha256=digest,
        sheet=sheet,
        row_numbers=tuple(numbers[first:end]),
        skipped_empty=skipped,
        header_row=header_row,
        headers=tuple(raw_headers[j] for j in keep),
        column_letters=tuple(column_letter(j) for j in keep),
        encoding=encoding,
        sheets=sheets,
        preamble=preamble,
        notes=notes,
        texts=tuple(columns[j] for j in keep) if columns is not None else (),
    )


__all__ = ["RawTable", "read_table", "read_table_bytes", "coded_text_array", "column_letter", "text_array"]
