"""Read a candidate spreadsheet as officials have it: CSV (UTF-8, UTF-8 BOM, GBK, GB18030, UTF-16) or .xlsx.

Every cell is read as text, exactly as the user sees it (an Excel percentage cell 0.35 shown as
"35%" reads "35%"), and no row is lost: wholly empty rows are skipped and counted, every other
row keeps its spreadsheet row number (the header is row 1 when it is the first row). A title
row above the header is recognised (the header is the first row naming at least three known
columns) and kept in :attr:`RawTable.preamble` so the validator can say it was not read as data.

A file that cannot be read at all (missing, empty, binary, not a workbook, a workbook without
rows) is an :class:`~quota_opt.errors.InputError` in Chinese and English, never a traceback.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from .columns import canonical_header, normalise_text
from .errors import InputError

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
# How many leading non-empty rows may be a title above the header.
HEADER_SEARCH_ROWS = 10
# A header row names at least this many known columns (or all of its cells, when fewer).
HEADER_MIN_KNOWN = 3

_ZIP_MAGIC = b"PK\x03\x04"
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

    @property
    def rows(self) -> int:
        return len(self.frame)

    def letter(self, column: str) -> str:
        """The spreadsheet column letter of a frame column."""
        try:
            return self.column_letters[list(self.frame.columns).index(column)]
        except (ValueError, IndexError):
            return ""


def column_letter(index: int) -> str:
    """Spreadsheet letters of a 0-based column index: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def read_table(path: str | Path, sheet: str | None = None, display_name: str | None = None, *,
               known_header: Callable[[str], str | None] = canonical_header) -> RawTable:
    """Read a .csv or .xlsx candidate file from disk (see :func:`read_table_bytes`)."""
    path = Path(path)
    name = display_name or path.name
    if not path.exists():
        raise InputError(f"找不到文件“{path}”", f"file not found: '{path}'")
    if path.is_dir():
        raise InputError(f"“{path}”是文件夹，不是文件", f"'{path}' is a folder, not a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取文件“{path}”：{exc.strerror}", f"cannot read '{path}': {exc.strerror}") from exc
    return read_table_bytes(data, name, sheet=sheet, known_header=known_header)


def read_table_bytes(data: bytes, filename: str, sheet: str | None = None, *,
                     known_header: Callable[[str], str | None] = canonical_header) -> RawTable:
    """Read a candidate file from its bytes (an upload); ``filename`` names it in messages.

    The format is taken from the content where it is unambiguous (a workbook saved under a
    .csv name is still read as a workbook) and otherwise from the extension. ``known_header``
    names the columns that mark the header row (another table than the candidates', e.g. a
    score sheet, passes its own).
    """
    suffix = Path(filename).suffix.lower()
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise InputError(f"文件“{filename}”是空的", f"the file '{filename}' is empty")
    if data.startswith(_OLE_MAGIC) or suffix == ".xls":
        raise InputError(
            f"文件“{filename}”是旧版 Excel（.xls）格式，请在 Excel 中另存为 .xlsx 或 CSV 后再读取",
            f"'{filename}' is an old Excel (.xls) workbook; save it as .xlsx or CSV in Excel and try again",
        )
    if data.startswith(_ZIP_MAGIC):
        rows, sheet_name, sheets = _xlsx_rows(data, filename, sheet)
        encoding = None
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
        rows, encoding = _csv_rows(data, filename)
        sheet_name, sheets = None, ()
    else:
        raise InputError(
            f"不支持的文件类型“{suffix}”（{filename}）；请使用 .csv 或 .xlsx",
            f"unsupported file type '{suffix}' ({filename}); use .csv or .xlsx",
        )
    return _build_table(rows, filename, digest, sheet_name, sheets, encoding, known_header)


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


def _sniff_delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(data: bytes, filename: str) -> tuple[list[tuple[int, list[str]]], str]:
    text, encoding = _decode(data, filename)
    text = text.rstrip("\x1a")  # a DOS end-of-file mark some exports append
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n")
    if controls and controls > max(2, len(text) // 200):
        raise _binary(filename)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
        rows = [(i, list(record)) for i, record in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise InputError(f"无法解析 CSV 文件“{filename}”：{exc}", f"cannot parse the CSV file '{filename}': {exc}") from exc
    return rows, encoding


# ----------------------------------------------------------------------------------- xlsx
def _cell_text(value: object, number_format: str | None) -> str:
    """A cell's value as the user sees it in Excel."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        fmt = number_format or "General"
        if "%" in fmt:
            return f"{value * 100:.12g}%"
        if float(value).is_integer():
            if re.fullmatch(r"0+", fmt) and value >= 0:
                return str(int(value)).zfill(len(fmt))  # "000" shows 7 as 007: keep the zeros
            return str(int(value))
        return f"{value:.15g}"
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    return str(value)


def _xlsx_rows(data: bytes, filename: str, sheet: str | None) -> tuple[list[tuple[int, list[str]]], str, tuple[str, ...]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    # openpyxl raises many kinds (BadZipFile, KeyError, XML errors...) for a damaged workbook;
    # any of them means the same to the user: the file is not a readable workbook.
    except Exception as exc:  # noqa: BLE001
        raise InputError(
            f"文件“{filename}”不是可读取的 Excel 工作簿（.xlsx）：{type(exc).__name__}",
            f"'{filename}' is not a readable Excel workbook (.xlsx): {type(exc).__name__}",
        ) from exc
    try:
        sheets = tuple(workbook.sheetnames)
        worksheets = workbook.worksheets
        if not worksheets:
            raise InputError(f"工作簿“{filename}”没有工作表", f"the workbook '{filename}' has no worksheets")
        if sheet is None:
            ws = worksheets[0]
        else:
            wanted = normalise_text(sheet)
            matches = [w for w in worksheets if normalise_text(w.title) == wanted]
            if not matches:
                raise InputError(
                    f"工作簿“{filename}”中没有工作表“{sheet}”；已有：{'、'.join(sheets)}",
                    f"the workbook '{filename}' has no sheet '{sheet}'; its sheets: {', '.join(sheets)}",
                )
            ws = matches[0]
        if hasattr(ws, "reset_dimensions"):
            # A workbook written by other tools may declare a too-small used range; without this
            # read-only mode would stop there and rows would be lost.
            ws.reset_dimensions()
        rows: list[tuple[int, list[str]]] = []
        for index, cells in enumerate(ws.iter_rows(), start=1):
            rows.append((index, [_cell_text(c.value, getattr(c, "number_format", None)) for c in cells]))
        if not any(any(v.strip() for v in cells) for _, cells in rows):
            others = "、".join(s for s in sheets if s != ws.title)
            raise InputError(
                f"工作簿“{filename}”的工作表“{ws.title}”没有任何数据行"
                + (f"；其他工作表：{others}（可用 --sheet 指定）" if others else ""),
                f"the sheet '{ws.title}' of '{filename}' has no rows"
                + (f"; other sheets: {others.replace('、', ', ')} (choose one with --sheet)" if others else ""),
            )
        return rows, ws.title, sheets
    finally:
        workbook.close()


# ----------------------------------------------------------------------------------- table
def _is_empty(cells: list[str]) -> bool:
    return not any(str(c).strip() for c in cells)


def _find_header(rows: list[tuple[int, list[str]]], known_header: Callable[[str], str | None]) -> int:
    """Index in ``rows`` of the header: the first of the leading rows naming enough known columns."""
    non_empty = [i for i, (_, cells) in enumerate(rows) if not _is_empty(cells)]
    for i in non_empty[:HEADER_SEARCH_ROWS]:
        cells = [c for c in rows[i][1] if str(c).strip()]
        known = sum(1 for c in cells if known_header(c) is not None)
        if known >= min(HEADER_MIN_KNOWN, len(cells)) and known > 0:
            return i
    return non_empty[0]


def _build_table(
    rows: list[tuple[int, list[str]]],
    filename: str,
    digest: str,
    sheet: str | None,
    sheets: tuple[str, ...],
    encoding: str | None,
    known_header: Callable[[str], str | None] = canonical_header,
) -> RawTable:
    if all(_is_empty(cells) for _, cells in rows):
        raise InputError(f"文件“{filename}”没有任何内容", f"the file '{filename}' holds no content")
    h = _find_header(rows, known_header)
    header_row, header_cells = rows[h]
    preamble = tuple(
        (number, " ".join(str(c).strip() for c in cells if str(c).strip()))
        for number, cells in rows[:h]
        if not _is_empty(cells)
    )
    body = rows[h + 1:]
    last = max((i for i, (_, cells) in enumerate(body) if not _is_empty(cells)), default=-1)
    body = body[: last + 1]  # trailing empty rows are the sheet's unused area, not skipped rows
    data = [(number, cells) for number, cells in body if not _is_empty(cells)]
    skipped = len(body) - len(data)
    if not data:
        raise InputError(
            f"文件“{filename}”只有表头（第{header_row}行），没有数据行",
            f"the file '{filename}' has a header (row {header_row}) but no data rows",
        )
    width = max([len(header_cells)] + [len(cells) for _, cells in data])
    raw_headers = [str(c) for c in header_cells] + [""] * (width - len(header_cells))
    grid = [[str(c) for c in cells] + [""] * (width - len(cells)) for _, cells in data]

    keep: list[int] = []
    for j in range(width):
        if raw_headers[j].strip() or any(row[j].strip() for row in grid):
            keep.append(j)  # a column with neither header nor data is Excel's empty margin
    names: list[str] = []
    seen: set[str] = set()
    for j in keep:
        letter = column_letter(j)
        name = raw_headers[j].strip() or f"(无表头 no header) {letter}"
        if name in seen:
            name = f"{name} [{letter}]"
        seen.add(name)
        names.append(name)
    frame = pd.DataFrame([[row[j] for j in keep] for row in grid], columns=names, dtype="str")
    return RawTable(
        frame=frame,
        source=filename,
        sha256=digest,
        sheet=sheet,
        row_numbers=tuple(number for number, _ in data),
        skipped_empty=skipped,
        header_row=header_row,
        headers=tuple(raw_headers[j] for j in keep),
        column_letters=tuple(column_letter(j) for j in keep),
        encoding=encoding,
        sheets=sheets,
        preamble=preamble,
    )


__all__ = ["RawTable", "read_table", "read_table_bytes", "column_letter"]
