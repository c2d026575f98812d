"""The stated limits of every candidate-file reader, defined once (the README quotes them).

A file past a limit is refused with exit 2 and a message naming the limit, before the work it would
cost is done: a workbook's declared sizes are checked before any part is read, its actual
uncompressed bytes are counted while reading, and rows, columns and cell lengths are checked as
they are read, so an .xlsx that expands to gigabytes stops at the first cell past a limit.
"""

from __future__ import annotations

from .errors import InputError

# The largest candidate file read (CSV or .xlsx, as stored on disk). The app's upload limit is lower.
MAX_FILE_BYTES = 100 * 1024 * 1024
# The most a workbook's parts may expand to, together (declared in the zip and counted while reading).
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
# The most parts (files inside the zip) a workbook may hold.
MAX_ZIP_ENTRIES = 10_000
# The most data rows (rows with content below the header) a candidate file may hold.
MAX_ROWS = 200_000
# The most columns: a cell with content right of this column is refused.
MAX_COLUMNS = 200
# The most characters in one cell (Excel's own limit is 32,767).
MAX_CELL_CHARS = 10_000
# The most cells with content in one file (bounds memory whatever the shape: 200,000 rows x 30 columns).
MAX_CELLS = 6_000_000


def limit_error(filename: str, what_zh: str, what_en: str, limit_zh: str, limit_en: str) -> InputError:
    """The message of a file past a stated limit: what was found and the limit, in both languages."""
    return InputError(
        f"文件“{filename}”{what_zh}，超过了读取上限（{limit_zh}）；请拆分或精简文件后再读取",
        f"'{filename}' {what_en}, past the reading limit ({limit_en}); split or trim the file and try again",
    )


def rows_error(filename: str) -> InputError:
    return limit_error(filename, f"的数据超过 {MAX_ROWS:,} 行", f"holds more than {MAX_ROWS:,} data rows",
                       f"最多 {MAX_ROWS:,} 行", f"at most {MAX_ROWS:,} rows")


def columns_error(filename: str, row: int, letter: str) -> InputError:
    return limit_error(filename, f"第{row}行{letter}列有内容，超过 {MAX_COLUMNS} 列",
                       f"has content in row {row}, column {letter}, beyond {MAX_COLUMNS} columns",
                       f"最多 {MAX_COLUMNS} 列", f"at most {MAX_COLUMNS} columns")


def cell_error(filename: str, row: int, letter: str, length: int | None) -> InputError:
    """A cell past the length limit: its row, its column letter ("" when unknown) and its length (None
    when reading stopped before its end)."""
    where_zh = f"第{row}行{letter}列" if letter else f"第{row}行"
    where_en = f"row {row}, column {letter}" if letter else f"row {row}"
    size_zh = f"有 {length:,} 个字符" if length is not None else f"超过 {MAX_CELL_CHARS:,} 个字符"
    size_en = f"of {length:,} characters" if length is not None else f"longer than {MAX_CELL_CHARS:,} characters"
    return limit_error(filename, f"{where_zh}的单元格{size_zh}", f"has a cell {size_en} in {where_en}",
                       f"每个单元格最多 {MAX_CELL_CHARS:,} 个字符", f"at most {MAX_CELL_CHARS:,} characters a cell")


def cells_error(filename: str) -> InputError:
    return limit_error(filename, f"有内容的单元格超过 {MAX_CELLS:,} 个", f"holds more than {MAX_CELLS:,} filled cells",
                       f"最多 {MAX_CELLS:,} 个单元格", f"at most {MAX_CELLS:,} cells")


def file_size_error(filename: str, size: int) -> InputError:
    mb = MAX_FILE_BYTES // (1024 * 1024)
    return limit_error(filename, f"有 {size / 1024 / 1024:.1f} MB", f"is {size / 1024 / 1024:.1f} MB",
                       f"最大 {mb} MB", f"at most {mb} MB")


def expanded_error(filename: str) -> InputError:
    mb = MAX_UNCOMPRESSED_BYTES // (1024 * 1024)
    return limit_error(filename, f"解压后超过 {mb} MB", f"expands to more than {mb} MB",
                       f"解压后最大 {mb} MB", f"at most {mb} MB uncompressed")


__all__ = [
    "MAX_CELLS",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_UNCOMPRESSED_BYTES",
    "MAX_ZIP_ENTRIES",
    "cell_error",
    "cells_error",
    "columns_error",
    "expanded_error",
    "file_size_error",
    "limit_error",
    "rows_error",
]
