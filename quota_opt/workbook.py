"""Read one worksheet of an .xlsx workbook as text, within stated limits (:mod:`quota_opt.limits`).

A streaming reader of the Office Open XML parts a candidate sheet needs (the workbook, its
relationships, shared strings, number formats and one worksheet), written for hostile files:

* the zip's declared sizes are checked before any part is read, and the bytes actually
  inflated are counted while reading, so a header that lies about its size stops at the limit;
* rows, columns, cell length and the number of filled cells are checked as each cell is read;
* an XML part that declares a document type (the way to an entity bomb) is refused before it
  is parsed, and expat's own amplification limit stands behind that;
* a damaged part (cut or corrupted XML, a missing part, a bad zip) is "not a readable workbook";
* the default sheet is the first *visible* one: a hidden first sheet is not read in its place.

Cells are text as Excel shows them: a percentage-formatted 0.35 reads "35%", a date its ISO date,
TRUE/FALSE for booleans, a cached formula result for a formula.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from posixpath import dirname, join, normpath
from xml.etree.ElementTree import ParseError, XMLPullParser

from .columns import normalise_text
from .errors import InputError
from .limits import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    MAX_ZIP_ENTRIES,
    cell_error,
    cells_error,
    columns_error,
    expanded_error,
    limit_error,
    rows_error,
)

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_M = "{%s}" % MAIN_NS
# Rows read at most: the data rows, plus a header and the title rows above it that may precede them.
ROW_HEADROOM = 12
# The most XML bytes read without an element ending: past this one element (a cell, a string) is
# longer than any cell within the limits may be written, so it is refused before it is held whole.
MAX_ELEMENT_BYTES = MAX_CELL_CHARS * 10 + (1 << 16)
_CELL_REF = re.compile(r"([A-Za-z]{1,3})(\d+)$")
# A document type or entity declaration, in UTF-8 and in UTF-16 (either byte order).
_DOCTYPE = re.compile(b"|".join(re.escape(word.encode(enc)) for word in ("<!DOCTYPE", "<!ENTITY")
                                for enc in ("utf-8", "utf-16-le", "utf-16-be")), re.IGNORECASE)


class Unreadable(Exception):
    """The workbook is damaged; the message says what was found (English, for the user's message)."""


def column_letter(index: int) -> str:
    """Spreadsheet letters of a 0-based column index: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def unreadable_error(filename: str, why: str) -> InputError:
    return InputError(f"文件“{filename}”不是可读取的工作簿（Excel .xlsx）：{why}",
                      f"'{filename}' is not a readable workbook (Excel .xlsx): {why}")


# --------------------------------------------------------------------------------- guarded parts
class _Budget:
    """The uncompressed bytes the workbook may still inflate to."""

    def __init__(self, total: int):
        self.left = total


class _Guarded(io.RawIOBase):
    """A zip member read through a counter: past its declared size or the workbook's budget, it stops."""

    def __init__(self, member, declared: int, budget: _Budget, filename: str):
        self.member, self.declared, self.budget, self.filename = member, declared, budget, filename
        self.read_bytes = 0
        self.tail = b""  # the end of the previous chunk, so a declaration split across two is still seen

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.member.read(min(len(buffer), 1 << 16))
        self.read_bytes += len(data)
        self.budget.left -= len(data)
        if self.budget.left < 0:
            raise expanded_error(self.filename)
        if self.read_bytes > self.declared:
            raise Unreadable("a part is larger than the zip declares")
        if _DOCTYPE.search(self.tail + data):
            raise Unreadable("an XML part declares a document type or entities (refused: entity expansion)")
        self.tail = data[-32:]
        buffer[: len(data)] = data
        return len(data)


class _Package:
    """The zip, its declared sizes checked, and guarded access to its parts."""

    def __init__(self, data: bytes, filename: str):
        self.filename = filename
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        infos = self.zip.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise limit_error(filename, f"含有 {len(infos):,} 个部件", f"holds {len(infos):,} parts",
                              f"最多 {MAX_ZIP_ENTRIES:,} 个", f"at most {MAX_ZIP_ENTRIES:,}")
        if sum(i.file_size for i in infos) > MAX_UNCOMPRESSED_BYTES:
            raise expanded_error(filename)
        self.sizes = {i.filename: i.file_size for i in infos}
        self.budget = _Budget(MAX_UNCOMPRESSED_BYTES)

    def has(self, name: str) -> bool:
        return name in self.sizes

    def open(self, name: str) -> io.BufferedReader:
        if name not in self.sizes:
            raise Unreadable(f"the part {name} is missing")
        member = self.zip.open(name)
        return io.BufferedReader(_Guarded(member, self.sizes[name], self.budget, self.filename), 1 << 16)

    def events(self, name: str, too_long=None):
        """("start" | "end", element) of a part, parsed in chunks; an element running past
        ``MAX_ELEMENT_BYTES`` raises ``too_long()`` (default: the part is unreadable)."""
        parser = XMLPullParser(events=("start", "end"))
        since_end = 0
        with self.open(name) as source:
            while chunk := source.read(1 << 16):
                parser.feed(chunk)
                ended = False
                for event, elem in parser.read_events():
                    ended = ended or event == "end"
                    yield event, elem
                since_end = 0 if ended else since_end + len(chunk)
                if since_end > MAX_ELEMENT_BYTES:
                    raise too_long() if too_long else Unreadable(f"an element of {name} never ends")
            parser.close()  # cut XML (no closing tags) is a ParseError here
            yield from parser.read_events()

    def elements(self, name: str, tags: tuple[str, ...]):
        """(tag, element) for the end of every element named in ``tags``; the element is cleared after."""
        for event, elem in self.events(name):
            if event == "end" and elem.tag in tags:
                yield elem.tag, elem
                elem.clear()


def _relationships(pkg: _Package, part: str) -> dict[str, tuple[str, str]]:
    """rId -> (type, target path inside the zip) of a part's relationships."""
    rels_name = join(dirname(part), "_rels", part.rsplit("/", 1)[-1] + ".rels")
    out: dict[str, tuple[str, str]] = {}
    if not pkg.has(rels_name):
        return out
    for _, rel in pkg.elements(rels_name, (f"{{{PKG_REL_NS}}}Relationship",)):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        path = target.lstrip("/") if target.startswith("/") else normpath(join(dirname(part), target))
        out[rel.get("Id", "")] = (rel.get("Type", ""), path)
    return out


# --------------------------------------------------------------------------------- parts
@dataclass(frozen=True)
class _Sheet:
    name: str
    path: str
    visible: bool


def _workbook(pkg: _Package) -> tuple[str, list[_Sheet], bool]:
    """The workbook part, its sheets in order, and whether dates count from 1904."""
    main = "xl/workbook.xml"
    for rel_type, target in _relationships(pkg, "").values():
        if rel_type.endswith("/officeDocument"):
            main = target
    rels = _relationships(pkg, main)
    sheets: list[_Sheet] = []
    date1904 = False
    for tag, elem in pkg.elements(main, (f"{_M}sheet", f"{_M}workbookPr")):
        if tag == f"{_M}workbookPr":
            date1904 = elem.get("date1904", "0").lower() in ("1", "true")
            continue
        rel = rels.get(elem.get(f"{{{REL_NS}}}id", ""))
        if rel is None:
            raise Unreadable(f"the sheet '{elem.get('name')}' has no part")
        sheets.append(_Sheet(elem.get("name", ""), rel[1], elem.get("state", "visible") == "visible"))
    return main, sheets, date1904


def _shared_strings(pkg: _Package, path: str | None) -> list[str | int]:
    """The shared strings; one longer than the cell limit is kept as its length (refused if a cell uses it)."""
    out: list[str | int] = []
    if path is None or not pkg.has(path):
        return out
    t, r, si_tag = f"{_M}t", f"{_M}r", f"{_M}si"
    root = None
    for event, si in pkg.events(path, lambda: _long_string(pkg.filename, len(out))):
        if root is None:
            root = si
        if event == "start" or si.tag != si_tag:
            continue
        parts = []
        for child in si:  # plain text, or runs of rich text; phonetic runs (rPh) are not shown
            if child.tag == t:
                parts.append(child.text or "")
            elif child.tag == r:
                parts.extend(x.text or "" for x in child if x.tag == t)
        text = "".join(parts)
        out.append(text if len(text) <= MAX_CELL_CHARS else len(text))
        del root[:]
    return out


def _long_string(filename: str, index: int) -> InputError:
    return limit_error(filename, f"的第 {index + 1} 个共享文本超过 {MAX_CELL_CHARS:,} 个字符",
                       f"holds a shared text (number {index + 1}) longer than {MAX_CELL_CHARS:,} characters",
                       f"每个单元格最多 {MAX_CELL_CHARS:,} 个字符", f"at most {MAX_CELL_CHARS:,} characters a cell")


def _number_formats(pkg: _Package, path: str | None) -> list[str]:
    """The number format code of every cell style (index = a cell's ``s``)."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    if path is None or not pkg.has(path):
        return []
    custom: dict[int, str] = {}
    xfs: list[str] = []
    in_cell_xfs = False
    for event, elem in pkg.events(path):
        if event == "start":
            if elem.tag == f"{_M}cellXfs":
                in_cell_xfs = True
            continue
        if elem.tag == f"{_M}numFmt":
            custom[int(elem.get("numFmtId", "0"))] = elem.get("formatCode", "General")
        elif elem.tag == f"{_M}xf" and in_cell_xfs:
            fmt_id = int(elem.get("numFmtId", "0"))
            xfs.append(custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id, "General"))
        elif elem.tag == f"{_M}cellXfs":
            in_cell_xfs = False
    return xfs


# --------------------------------------------------------------------------------- cells
def cell_text(value: object, number_format: str | None) -> str:
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


class _Cells:
    """Typed values of the cells of one sheet, with the workbook's strings, formats and calendar."""

    def __init__(self, strings: list[str | int], formats: list[str], date1904: bool, filename: str):
        from openpyxl.styles.numbers import is_date_format, is_timedelta_format
        from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

        self.strings, self.formats, self.filename = strings, formats, filename
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        self.dates = [is_date_format(f) for f in formats]
        self.timedeltas = [is_timedelta_format(f) for f in formats]

    def text(self, kind: str, raw: str | None, style: int, row: int, col: int) -> str:
        if raw is None:
            return ""
        if kind == "s":
            try:
                value = self.strings[int(raw)]
            except (ValueError, IndexError):
                raise Unreadable(f"row {row} refers to a shared string that does not exist") from None
            if isinstance(value, int):
                raise cell_error(self.filename, row, column_letter(col), value)
            return value
        if kind in ("str", "inlineStr", "e"):
            return raw
        if kind == "b":
            return "TRUE" if raw.strip() in ("1", "true") else "FALSE"
        if kind == "d":
            return raw.strip()
        try:
            number: int | float = int(raw) if raw.strip().lstrip("-").isdigit() else float(raw)
        except ValueError:
            return raw
        fmt = self.formats[style] if 0 <= style < len(self.formats) else "General"
        if 0 <= style < len(self.formats) and self.dates[style]:
            from openpyxl.utils.datetime import from_excel

            try:
                return cell_text(from_excel(number, self.epoch, timedelta=self.timedeltas[style]), fmt)
            except (ValueError, OverflowError, TypeError):
                pass
        try:
            return cell_text(number, fmt)
        except (OverflowError, ValueError):  # a whole number too large for a float: shown as written
            return raw.strip()


def _sheet_rows(pkg: _Package, path: str, cells: _Cells, filename: str) -> list[tuple[int, list[str]]]:
    """The rows with content of one worksheet, each with its spreadsheet row number."""
    row_tag, c_tag, v_tag, is_tag, t_tag = f"{_M}row", f"{_M}c", f"{_M}v", f"{_M}is", f"{_M}t"
    rows: list[tuple[int, list[str]]] = []
    filled = 0
    row_number = 0
    current: dict[int, str] = {}
    next_col = 0
    sheet_data = row_elem = None

    def too_long() -> InputError:
        return cell_error(filename, row_number, column_letter(next_col), None)

    for event, elem in pkg.events(path, too_long):
        tag = elem.tag
        if event == "start":
            if tag == row_tag:
                ref = elem.get("r")
                row_number = int(ref) if ref and ref.isdigit() else row_number + 1
                current, next_col, row_elem = {}, 0, elem
            elif tag == f"{_M}sheetData":
                sheet_data = elem
            continue
        if tag == c_tag:
            ref = elem.get("r")
            match = _CELL_REF.match(ref) if ref else None
            col = _column_index(match.group(1)) if match else next_col
            next_col = col + 1
            kind = elem.get("t", "n")
            if kind == "inlineStr":
                node = elem.find(is_tag)
                raw = "".join(x.text or "" for x in node.iter(t_tag)) if node is not None else None
            else:
                node = elem.find(v_tag)
                raw = node.text if node is not None else None
            style = elem.get("s")
            if row_elem is not None:
                del row_elem[:]  # the cell is read: keep no element of it
            if raw is None or raw == "":
                continue
            if len(raw) > MAX_CELL_CHARS:
                raise cell_error(filename, row_number, column_letter(col), len(raw))
            text = cells.text(kind, raw, int(style) if style and style.isdigit() else 0, row_number, col)
            if not text.strip():
                continue
            if col >= MAX_COLUMNS:
                raise columns_error(filename, row_number, column_letter(col))
            current[col] = text
        elif tag == row_tag:
            if current:
                rows.append((row_number, [current.get(j, "") for j in range(max(current) + 1)]))
                filled += len(current)
                if len(rows) > MAX_ROWS + ROW_HEADROOM:
                    raise rows_error(filename)
                if filled > MAX_CELLS:
                    raise cells_error(filename)
                current = {}
            row_elem = None
            if sheet_data is not None:
                del sheet_data[:]
    return rows


# --------------------------------------------------------------------------------- entry point
def read_sheet(data: bytes, filename: str, sheet: str | None) -> tuple[list[tuple[int, list[str]]], str, tuple[str, ...]]:
    """The rows with content of a worksheet (the first visible one, or the one named ``sheet``), with
    their row numbers, the sheet's name and the names of all sheets. Raises :class:`InputError`."""
    try:
        pkg = _Package(data, filename)
        main, sheets, date1904 = _workbook(pkg)
        names = tuple(s.name for s in sheets)
        if not sheets:
            raise InputError(f"工作簿“{filename}”没有工作表", f"the workbook '{filename}' has no worksheets")
        if sheet is None:
            chosen = next((s for s in sheets if s.visible), sheets[0])
        else:
            wanted = normalise_text(sheet)
            chosen = next((s for s in sheets if normalise_text(s.name) == wanted), None)
            if chosen is None:
                raise InputError(
                    f"工作簿“{filename}”中没有工作表“{sheet}”；已有：{'、'.join(names)}",
                    f"the workbook '{filename}' has no sheet '{sheet}'; its sheets: {', '.join(names)}",
                )
        rels = _relationships(pkg, main)
        strings_path = next((p for t, p in rels.values() if t.endswith("/sharedStrings")), None)
        styles_path = next((p for t, p in rels.values() if t.endswith("/styles")), None)
        cells = _Cells(_shared_strings(pkg, strings_path), _number_formats(pkg, styles_path), date1904, filename)
        rows = _sheet_rows(pkg, chosen.path, cells, filename)
    except InputError:
        raise
    except Unreadable as exc:
        raise unreadable_error(filename, str(exc)) from None
    # A damaged workbook raises many kinds (a bad zip, inflate errors, cut or malformed XML, a bad
    # CRC, an amplification limit of expat); each means the same to the user.
    except (zipfile.BadZipFile, zlib.error, ParseError, EOFError, OSError, ValueError, KeyError,
            IndexError, RecursionError, NotImplementedError, RuntimeError) as exc:
        raise unreadable_error(filename, f"{type(exc).__name__}: {exc}"[:200]) from None
    if not rows:
        others = "、".join(s.name for s in sheets if s.name != chosen.name)
        raise InputError(
            f"工作簿“{filename}”的工作表“{chosen.name}”没有任何数据行"
            + (f"；其他工作表：{others}（可用 --sheet 指定）" if others else ""),
            f"the sheet '{chosen.name}' of '{filename}' has no rows"
            + (f"; other sheets: {others.replace('、', ', ')} (choose one with --sheet)" if others else ""),
        )
    return rows, chosen.name, names


__all__ = ["cell_text", "column_letter", "read_sheet", "unreadable_error"]
