"""Validate a candidate table against the contract of :mod:`quota_opt.columns`, reporting everything at once.

Validation is lazy (as in pandera): every cell is parsed by hand first, so one "abc" never hides
the other problems of its column, and every problem comes back in one table with the file, the
spreadsheet row (header = row 1), the column as the user wrote it, the value, the severity, a
reason code and a message in Chinese and English. No row is dropped silently: a row with an
error is listed in :attr:`ValidationResult.invalid`, the others proceed as typed candidates.

Errors: a missing required column (one error at the header row, normally row 1, under the column's
canonical name; every row is then listed as invalid), a column given twice, an empty required cell, a duplicate
project id (on every row after the first that uses it), an unreadable number, a value out of
range, an unknown enumeration value, an unknown province, a bad credit code.
Warnings: an unexpected column (a numeric one is kept as a possible scoring criterion), a title
row above the header, a percentage column that looks like fractions, a non-number in an extra
numeric column.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum

import numpy as np
import pandas as pd

from .columns import (
    CANDIDATE_COLUMNS,
    COLUMNS_BY_NAME,
    EMPTY_PLACEHOLDERS,
    NUMBER_SUFFIXES,
    ROW_NUMBER_HEADERS,
    Column,
    Level,
    NotWholeError,
    Rating,
    UnitType,
    alias_key,
    canonical_header,
    normalise_text,
    parse_maturity,
    parse_number,
    parse_percent,
    parse_yes_no,
)
from .errors import InputError
from .load import RawTable, text_array
from .units import CORPS, PROVINCE_NAMES, lookup_unit

ROW = "row"


class ProblemCode(str, Enum):
    """Why a cell or column was reported; the app translates these, the CLI prints them."""

    MISSING_COLUMN = "missing_column"
    DUPLICATE_COLUMN = "duplicate_column"
    EMPTY_REQUIRED = "empty_required"
    DUPLICATE_ID = "duplicate_id"
    NOT_A_NUMBER = "not_a_number"
    NOT_AN_INTEGER = "not_an_integer"
    OUT_OF_RANGE = "out_of_range"
    UNKNOWN_VALUE = "unknown_value"
    UNKNOWN_PROVINCE = "unknown_province"
    BAD_CREDIT_CODE = "bad_credit_code"
    UNKNOWN_COLUMN = "unknown_column"
    EXTRA_NUMERIC_COLUMN = "extra_numeric_column"
    EXTRA_NOT_A_NUMBER = "extra_not_a_number"
    TITLE_ROW = "title_row"
    NOTE_ROW = "note_row"
    PERCENT_AS_FRACTION = "percent_as_fraction"


PROBLEM_LABELS: dict[ProblemCode, tuple[str, str]] = {
    ProblemCode.MISSING_COLUMN: ("缺少必填列", "missing required column"),
    ProblemCode.DUPLICATE_COLUMN: ("列重复", "column given twice"),
    ProblemCode.EMPTY_REQUIRED: ("必填项为空", "required cell empty"),
    ProblemCode.DUPLICATE_ID: ("项目编号重复", "duplicate project id"),
    ProblemCode.NOT_A_NUMBER: ("不是数字", "not a number"),
    ProblemCode.NOT_AN_INTEGER: ("不是整数", "not a whole number"),
    ProblemCode.OUT_OF_RANGE: ("超出范围", "out of range"),
    ProblemCode.UNKNOWN_VALUE: ("取值无法识别", "unknown value"),
    ProblemCode.UNKNOWN_PROVINCE: ("省份无法识别", "unknown province"),
    ProblemCode.BAD_CREDIT_CODE: ("统一社会信用代码有误", "bad credit code"),
    ProblemCode.UNKNOWN_COLUMN: ("未知列（已忽略）", "unexpected column (ignored)"),
    ProblemCode.EXTRA_NUMERIC_COLUMN: ("附加数值列（保留）", "extra numeric column (kept)"),
    ProblemCode.EXTRA_NOT_A_NUMBER: ("附加数值列中的非数字", "non-number in an extra numeric column"),
    ProblemCode.TITLE_ROW: ("表头上方的标题行", "title row above the header"),
    ProblemCode.NOTE_ROW: ("数据下方的说明行（未作为数据）", "note below the data (not read as data)"),
    ProblemCode.PERCENT_AS_FRACTION: ("百分数疑似以小数填写", "percentages look like fractions"),
}

ERROR = "error"
WARNING = "warning"
# Problems of the file as a whole: validation still reports every row, but nothing is recommended from it.
FILE_ERROR_CODES = (ProblemCode.MISSING_COLUMN, ProblemCode.DUPLICATE_COLUMN)

PROBLEM_COLUMNS = ["file", "row", "column", "value", "severity", "code", "message_zh", "message_en"]
INVALID_COLUMNS = ["row", "project_id", "problems"]

# ---------------------------------------------------------------------- GB 32100-2015 credit codes
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_character(first17: str) -> str:
    """The GB 32100-2015 check character of the first 17 characters of a credit code.

    C18 = 31 - (sum_i value(c_i) * w_i mod 31), with 31 read as 0; w_i = 3^(i-1) mod 31.
    """
    total = sum(USCC_CHARSET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS))
    return USCC_CHARSET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> tuple[str, str] | None:
    """Why ``code`` (normalised, upper case) is not a valid unified social credit code, or None."""
    if len(code) != 18:
        return f"应为18位，实为{len(code)}位", f"must have 18 characters, has {len(code)}"
    bad = sorted({ch for ch in code if ch not in USCC_CHARSET})
    if bad:
        return (
            f"含有不允许的字符 {''.join(bad)}（不使用 I、O、S、V、Z）",
            f"holds characters not allowed: {''.join(bad)} (I, O, S, V and Z are not used)",
        )
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        return f"校验位应为 {expected}，实为 {code[17]}", f"check character should be {expected}, is {code[17]}"
    return None


# ---------------------------------------------------------------------- result
@dataclass(frozen=True, eq=False)
class ValidationResult:
    """Valid rows as typed candidates, every problem, and the rows that cannot proceed."""

    candidates: pd.DataFrame
    invalid: pd.DataFrame
    problems: pd.DataFrame
    rows: int
    skipped_empty: int
    extra_numeric: list[str]
    valid: bool
    source: str
    sha256: str
    sheet: str | None = None
    header_row: int = 1
    column_map: dict[str, str] = field(default_factory=dict)  # canonical name -> header as written
    notes: tuple[tuple[int, str], ...] = ()  # rows after the data set aside as notes: (row, text)

    @property
    def errors(self) -> pd.DataFrame:
        return self.problems[self.problems["severity"] == ERROR]

    @property
    def warnings(self) -> pd.DataFrame:
        return self.problems[self.problems["severity"] == WARNING]

    @property
    def file_errors(self) -> pd.DataFrame:
        """Errors of the file as a whole (a column missing or given twice): no recommendation can rest on it."""
        return self.problems[self.problems["code"].isin([c.value for c in FILE_ERROR_CODES])
                             & (self.problems["severity"] == ERROR)]

    def file_error_lines(self) -> tuple[tuple[str, str], list[tuple[str, str]]] | None:
        """The file-level errors for a person: a heading (Chinese, English) saying how many, and one item
        per error -- a missing column by its Chinese header and English name (申报单位（enterprise）), a
        column given twice as the validator says it (列“编号”：本列（C列）与……); None when there is none."""
        errors = self.file_errors
        if not len(errors):
            return None
        missing = errors[errors["code"] == ProblemCode.MISSING_COLUMN.value]
        twice = errors[errors["code"] != ProblemCode.MISSING_COLUMN.value]
        items = [(f"{COLUMNS_BY_NAME[c].zh}（{c}）", f"{COLUMNS_BY_NAME[c].zh} ({c})") for c in missing["column"]]
        for p in twice.to_dict("records"):  # the message without its file and row (the heading names the file)
            where_zh, where_en = f"{p['file']} 第{p['row']}行，", f"{p['file']} row {p['row']}, "
            zh, en = p["message_zh"], p["message_en"]
            items.append((zh[len(where_zh):] if zh.startswith(where_zh) else zh,
                          en[len(where_en):] if en.startswith(where_en) else en))
        what_zh = "、".join(([f"缺少 {len(missing)} 个必填列"] if len(missing) else [])
                           + ([f"有 {len(twice)} 列重复"] if len(twice) else []))
        what_en = " and ".join(([f"lacks {len(missing)} required column{'s' * (len(missing) != 1)}"] if len(missing)
                                else []) + ([f"has {len(twice)} column{'s' * (len(twice) != 1)} given twice"]
                                            if len(twice) else []))
        head = (f"文件“{self.source}”{what_zh}，各行均无法通过校验：",
                f"the file '{self.source}' {what_en}, so no row can pass validation:")
        return head, items

    def file_error_message(self) -> tuple[str, str] | None:
        """The file-level errors as one line each in Chinese and English (the heading of
        :meth:`file_error_lines`, then its items, joined by "、" / ", " -- "；" / "; " when a column
        given twice is among them); None when there is none."""
        lines = self.file_error_lines()
        if lines is None:
            return None
        (head_zh, head_en), items = lines
        plain = not len(self.file_errors[self.file_errors["code"] != ProblemCode.MISSING_COLUMN.value])
        sep_zh, sep_en = ("、", ", ") if plain else ("；", "; ")
        return head_zh + sep_zh.join(zh for zh, _ in items), head_en + " " + sep_en.join(en for _, en in items)

    def check_file(self) -> None:
        """Raise an :class:`InputError` with every file-level error in one readable line each in Chinese and
        English (see :meth:`file_error_message`)."""
        message = self.file_error_message()
        if message is not None:
            raise InputError(*message)

    def summary(self, eligible: int | None = None) -> tuple[str, str]:
        """One line in Chinese and one in English: rows read, valid (and ``eligible``, when known), invalid,
        problems (and notes set aside); the file's name last, as where they come from."""
        n_err, n_warn = len(self.errors), len(self.warnings)
        ok_zh = f"，符合条件{eligible}个" if eligible is not None else ""
        ok_en = f", {eligible} eligible" if eligible is not None else ""
        zh = (
            f"读取{self.rows}行数据，有效{len(self.candidates)}行{ok_zh}，无效{len(self.invalid)}行；"
            f"错误{n_err}个，提示{n_warn}个；跳过空行{self.skipped_empty}行"
        )
        en = (
            f"{self.rows} data rows read, {len(self.candidates)} valid{ok_en}, {len(self.invalid)} invalid; "
            f"{n_err} errors, {n_warn} warnings; {self.skipped_empty} empty rows skipped"
        )
        if self.notes:
            zh += f"；数据下方{len(self.notes)}行为说明，未作为数据"
            en += f"; {len(self.notes)} rows below the data set aside as notes"
        if self.source:
            zh, en = f"{zh}（文件：{self.source}）", f"{en} (file: {self.source})"
        return zh, en

    def notes_line(self) -> str | None:
        """One bilingual line naming the rows set aside as notes, or None when there are none."""
        if not self.notes:
            return None
        rows = [str(r) for r, _ in self.notes]
        return (f"{self.source} 第{'、'.join(rows)}行位于数据下方，是说明（填表说明、备注、合计等），未作为候选项目读入 / "
                f"{self.source} rows {', '.join(rows)} below the data are notes (instructions, remarks, totals), "
                "not read as candidates")


def empty_candidates(extra_numeric: list[str] | tuple[str, ...] = ()) -> pd.DataFrame:
    """A candidate table with no rows and every column typed."""
    return _typed_frame([], list(extra_numeric))


def _dtype(col: Column) -> str:
    if col.kind == "yesno":
        return "bool"
    if col.kind == "maturity":
        return "int64"
    if col.kind in ("percent", "number"):
        return "float64"
    return "str"


def _typed_frame(records: list[dict], extra: list[str]) -> pd.DataFrame:
    names = [c.name for c in CANDIDATE_COLUMNS] + extra + [ROW]
    frame = pd.DataFrame.from_records(records, columns=names) if records else pd.DataFrame(columns=names)
    types = {c.name: _dtype(c) for c in CANDIDATE_COLUMNS}
    types.update({e: "float64" for e in extra})
    types[ROW] = "int64"
    return frame.astype(types).reset_index(drop=True)


# ---------------------------------------------------------------------- the validator
class _Validator:
    def __init__(self, raw: RawTable):
        self.raw = raw
        self.problems: list[dict] = []
        self.row_errors: dict[int, list[str]] = {}
        self._level_aliases = Level.aliases()
        self._rating_aliases = Rating.aliases()
        self.captured: list[tuple] | None = None

    # -- reporting
    def report(self, row: int, column: str, value: object, severity: str, code: ProblemCode,
               detail_zh: str, detail_en: str) -> None:
        if self.captured is not None:  # parsing one distinct cell value: its problem is kept for every row holding it
            self.captured.append((severity, code, detail_zh, detail_en))
            return
        value_text = "" if value is None else str(value).strip()
        where_zh = f"{self.raw.source} 第{row}行"
        where_en = f"{self.raw.source} row {row}"
        col_zh = f"，列“{column}”" if column else ""
        col_en = f", column '{column}'" if column else ""
        val_zh = f"，值“{value_text}”" if value_text else ""
        val_en = f", value '{value_text}'" if value_text else ""
        message_zh = f"{where_zh}{col_zh}{val_zh}：{detail_zh}"
        message_en = f"{where_en}{col_en}{val_en}: {detail_en}"
        self.problems.append({
            "file": self.raw.source, "row": int(row), "column": column, "value": value_text,
            "severity": severity, "code": code.value, "message_zh": message_zh, "message_en": message_en,
        })
        if severity == ERROR and row != self.raw.header_row:
            self.row_errors.setdefault(row, []).append(f"{message_zh} / {message_en}")

    # -- header
    def map_columns(self) -> None:
        raw = self.raw
        header_row = raw.header_row
        headers = raw.headers or tuple(raw.frame.columns)
        self.col_of: dict[str, str] = {}  # canonical -> frame column
        self.unknown: list[str] = []
        written: dict[str, str] = {}  # alias key of a header as written -> its first frame column
        for frame_col, header in zip(raw.frame.columns, headers):
            canon = canonical_header(header)
            key = alias_key(header)
            first = self.col_of.get(canon) if canon is not None else written.get(key) if key else None
            if first is not None:
                self.duplicate_column(frame_col, first, canon)
            elif canon is None:
                self.unknown.append(frame_col)
            else:
                self.col_of[canon] = frame_col
            if key and key not in written:
                written[key] = frame_col
        self.missing_required = [c for c in CANDIDATE_COLUMNS if c.required and c.name not in self.col_of]
        for col in self.missing_required:
            self.report(
                header_row, col.name, "", ERROR, ProblemCode.MISSING_COLUMN,
                f"缺少必填列“{col.zh}”（{col.name}），各行均无法通过校验",
                f"the required column '{col.name}' ({col.zh}) is missing; no row can pass validation",
            )
        for number, text in raw.preamble:
            self.report(
                number, "", text, WARNING, ProblemCode.TITLE_ROW,
                f"位于表头（第{header_row}行）之上，视为标题，未作为数据读入",
                f"above the header (row {header_row}); read as a title, not as data",
            )
        for number, text in raw.notes:
            self.report(
                number, "", text, WARNING, ProblemCode.NOTE_ROW,
                "位于数据下方，是说明（填表说明、备注、合计或只有一个单元格的行），未作为候选项目读入",
                "below the data, a note (instructions, a remark, a total or a row with one filled cell); "
                "not read as a candidate",
            )

    def duplicate_column(self, frame_col: str, first: str, canon: str | None) -> None:
        """A second column for one field (the same header twice, or two spellings of one column):
        a file-level error naming both; the first column is used."""
        raw = self.raw
        what_zh = f"都是“{COLUMNS_BY_NAME[canon].zh}”" if canon else "表头相同"
        what_en = f"are both '{canon}'" if canon else "have the same header"
        self.report(
            raw.header_row, frame_col, "", ERROR, ProblemCode.DUPLICATE_COLUMN,
            f"本列（{raw.letter(frame_col)}列）与“{first}”列（{raw.letter(first)}列）{what_zh}，只能有一列；"
            f"已使用{raw.letter(first)}列",
            f"this column (column {raw.letter(frame_col)}) and column '{first}' (column {raw.letter(first)}) "
            f"{what_en}; keep one (column {raw.letter(first)} was used)",
        )

    def classify_unknown(self) -> None:
        """Unknown columns: numeric ones are kept (scoring criteria), others ignored; both warned."""
        self.extra: dict[str, str] = {}  # extra name -> frame column
        reserved = {c.name for c in CANDIDATE_COLUMNS} | {ROW}
        headers = dict(zip(self.raw.frame.columns, self.raw.headers or self.raw.frame.columns))
        for frame_col in self.unknown:
            if alias_key(headers[frame_col]) in ROW_NUMBER_HEADERS:
                continue  # a 序号 column numbers the rows: neither a criterion nor an unknown column
            counted, parsed = self.numeric_share(self.raw.frame[frame_col])
            name = normalise_text(frame_col)
            numeric = counted and parsed * 2 > counted and name not in reserved and name not in self.extra
            if numeric:
                self.extra[name] = frame_col
                self.report(
                    self.raw.header_row, frame_col, "", WARNING, ProblemCode.EXTRA_NUMERIC_COLUMN,
                    "不在模板中；是数值列，已保留，可作为评分指标",
                    "not in the template; numeric, so kept and usable as a scoring criterion",
                )
            else:
                self.report(
                    self.raw.header_row, frame_col, "", WARNING, ProblemCode.UNKNOWN_COLUMN,
                    "不在模板中，已忽略", "not in the template; ignored",
                )

    @staticmethod
    def numeric_share(texts: pd.Series) -> tuple[int, int]:
        """How many cells of a column are not empty placeholders, and how many of those read as numbers."""
        return _numeric_share(texts)

    # -- cells
    def parse_cell(self, row: int, col: Column, frame_col: str, text: str):
        """The typed value of one cell, reporting any problem; None means 'no value'."""
        cell = normalise_text(text)
        if cell == "" or (not col.required and col.kind in ("percent", "number", "credit_code")
                          and alias_key(cell) in EMPTY_PLACEHOLDERS):
            if col.required:
                self.report(row, frame_col, text, ERROR, ProblemCode.EMPTY_REQUIRED,
                            f"必填项“{col.zh}”为空", f"the required cell '{col.name}' is empty")
            return None
        kind = col.kind
        if kind in ("id", "text"):
            return cell if kind == "id" else str(text).strip()
        if kind == "credit_code":
            code = cell.replace(" ", "").upper()
            why = credit_code_problem(code)
            if why:
                self.report(row, frame_col, text, ERROR, ProblemCode.BAD_CREDIT_CODE,
                            f"统一社会信用代码{why[0]}", f"the unified social credit code {why[1]}")
                return None
            return code
        if kind == "province":
            return self.parse_province(row, frame_col, text)
        if kind == "level":
            level = self._level_aliases.get(alias_key(cell))
            if level is None:
                self.report(row, frame_col, text, ERROR, ProblemCode.UNKNOWN_VALUE,
                            "申报层级应为“卓越级”或“领航级”", "the level must be excellent (卓越级) or leading (领航级)")
            return level.value if level else None
        if kind == "rating":
            rating = self._rating_aliases.get(alias_key(cell))
            if rating is None:
                self.report(row, frame_col, text, ERROR, ProblemCode.UNKNOWN_VALUE,
                            "已获评层级应为“无”“基础级”“先进级”或“卓越级”",
                            "the current rating must be none (无), basic (基础级), advanced (先进级) or excellent (卓越级)")
            return rating.value if rating else None
        if kind == "yesno":
            flag = parse_yes_no(cell)
            if flag is None:
                self.report(row, frame_col, text, ERROR, ProblemCode.UNKNOWN_VALUE,
                            "应填“是”或“否”（也可填 1/0、Y/N、√/×）",
                            "must be yes or no (是/否, 1/0, Y/N, true/false, √/×)")
            return flag
        if kind == "maturity":
            try:
                value = parse_maturity(cell)
            except NotWholeError:
                self.report(row, frame_col, text, ERROR, ProblemCode.NOT_AN_INTEGER,
                            "成熟度等级应为1~5的整数", "the maturity level must be a whole number 1-5")
                return None
            except ValueError:
                self.report(row, frame_col, text, ERROR, ProblemCode.NOT_A_NUMBER,
                            "成熟度等级无法识别（可填“三级”“3级”或“3”）",
                            "cannot read the maturity level (write 三级, 3级 or 3)")
                return None
            return value if self.in_range(row, col, frame_col, text, value) else None
        if kind in ("percent", "number"):
            try:
                if kind == "percent":
                    value = parse_percent(cell)
                else:
                    value = parse_number(cell, NUMBER_SUFFIXES.get(col.name, ()))
            except ValueError:
                what_zh = "百分数" if kind == "percent" else "数字"
                what_en = "a percentage" if kind == "percent" else "a number"
                self.report(row, frame_col, text, ERROR, ProblemCode.NOT_A_NUMBER,
                            f"不是有效的{what_zh}", f"not {what_en}")
                return None
            return value if self.in_range(row, col, frame_col, text, value) else None
        raise AssertionError(f"unknown column kind {kind}")  # the contract in columns.py is closed

    def in_range(self, row: int, col: Column, frame_col: str, text: str, value: float) -> bool:
        lo, hi = col.min_value, col.max_value
        if (lo is None or value >= lo) and (hi is None or value <= hi):
            return True
        unit = "%" if col.kind == "percent" else ""
        if hi is None:
            rng_zh, rng_en = f"不能小于{lo:g}{unit}", f"must be {lo:g}{unit} or more"
        else:
            rng_zh, rng_en = f"应在{lo:g}~{hi:g}{unit}之间", f"must be between {lo:g}{unit} and {hi:g}{unit}"
        self.report(row, frame_col, text, ERROR, ProblemCode.OUT_OF_RANGE,
                    f"“{col.zh}”{rng_zh}", f"'{col.name}' {rng_en}")
        return False

    def parse_province(self, row: int, frame_col: str, text: str) -> str | None:
        unit = lookup_unit(text)
        if unit is not None and unit.unit_type in (UnitType.PROVINCE, UnitType.CORPS):
            return unit.name
        if unit is not None and unit.unit_type is UnitType.PLANNED_CITY:
            hint_zh = f"“{unit.name}”是计划单列市，请在本列填写其所在省“{unit.parent}”，城市填在“所在城市”列"
            hint_en = f"{unit.name_en} is a planned city: write its province {unit.parent} here and the city in the city column"
        elif unit is not None:
            hint_zh = "中央企业不是省份；请填写工厂所在省份，集团填在“所属集团”列"
            hint_en = "a central enterprise is not a province; write the factory's province, and the group in the group column"
        else:
            close = _close_provinces(text)
            hint_zh = "无法识别的省份" + (f"；最接近的是：{'、'.join(close)}" if close else "")
            hint_en = "unknown province" + (f"; closest: {', '.join(close)}" if close else "")
        self.report(row, frame_col, text, ERROR, ProblemCode.UNKNOWN_PROVINCE, hint_zh, hint_en)
        return None

    # -- the run
    def parse_unique(self, col: Column | None, frame_col: str, text: str) -> tuple[object, list[tuple]]:
        """One distinct cell value parsed as :meth:`parse_cell` (or :meth:`parse_extra` when ``col`` is
        None) parses it in any row, with the problems it has there (severity, code, zh, en)."""
        self.captured = []
        try:
            value = self.parse_extra(0, frame_col, text) if col is None else self.parse_cell(0, col, frame_col, text)
            return value, self.captured
        finally:
            self.captured = None

    def parse_column(self, col: Column | None, frame_col: str) -> tuple[object, dict[int, tuple]]:
        """Every cell of a column: the typed values and, per row position, the problem of its cell.

        Cells of a plain shape are parsed as a whole column (``_fast_column``); the others once per
        distinct value, by the same code that checks a single cell. The values: a "str" array (missing
        where there is no value) for the text kinds, whose plain cells stay the file's own text; else an
        object array (None where there is no value). Python strings are made only for the cells parsed
        one by one."""
        texts = self.raw.frame[frame_col]
        values, fast = _fast_column(col, texts, lambda where: self.raw.cells_at(frame_col, where))
        problems: dict[int, tuple] = {}
        slow = np.flatnonzero(~fast)
        if len(slow):
            codes, uniques = pd.factorize(texts.array if len(slow) == len(texts) else texts.array[slow],
                                          use_na_sentinel=False)
            parsed = [self.parse_unique(col, frame_col, u) for u in uniques.tolist()]
            distinct = np.empty(len(parsed), dtype=object)
            distinct[:] = [value for value, _ in parsed]
            if isinstance(values, np.ndarray):
                values[slow] = distinct[codes]
            elif len(slow) == len(values):
                values = pd.array(distinct[codes], dtype=values.dtype)
            else:
                values = values.copy()
                values[slow] = distinct[codes]
            bad = [k for k, (_, found) in enumerate(parsed) if found]
            if bad:
                hit = np.isin(codes, bad)
                for pos, k in zip(slow[hit].tolist(), codes[hit].tolist()):
                    problems[pos] = parsed[k][1][0]
        return values, problems

    def run(self) -> ValidationResult:
        raw = self.raw
        self.map_columns()
        self.classify_unknown()
        frame = raw.frame
        n = len(raw.row_numbers)
        rows = np.asarray(raw.row_numbers, dtype=np.int64)
        columns_in_file = [c for c in CANDIDATE_COLUMNS if c.name in self.col_of]
        order = list(frame.columns)
        columns_in_file.sort(key=lambda c: order.index(self.col_of[c.name]))
        parsed: dict[str, object] = {}
        cell_problems: list[tuple[int, int, int, str, str, tuple]] = []  # (row pos, column pos, 0|1, frame col, text, problem)

        def found(j: int, frame_col: str, problems: dict[int, tuple]) -> list[tuple]:
            where = np.fromiter(problems, dtype=np.int64, count=len(problems))
            texts = raw.cells_at(frame_col, where).tolist()
            return [(pos, j, 0, frame_col, text, problem) for (pos, problem), text in zip(problems.items(), texts)]

        for j, col in enumerate(columns_in_file):
            frame_col = self.col_of[col.name]
            values, problems = self.parse_column(col, frame_col)
            parsed[col.name] = values
            cell_problems += found(j, frame_col, problems) if problems else []
            if col.kind == "id":
                cell_problems += self.duplicate_ids(values, j, frame_col)
        extras: dict[str, np.ndarray] = {}
        for k, (name, frame_col) in enumerate(self.extra.items()):
            values, problems = self.parse_column(None, frame_col)
            extras[name] = values
            cell_problems += found(len(columns_in_file) + k, frame_col, problems) if problems else []
        cell_problems.sort(key=lambda p: p[:3])
        for pos, _, _, frame_col, text, (severity, code, zh, en) in cell_problems:
            self.report(int(rows[pos]), frame_col, text, severity, code, zh, en)
        self.fraction_warnings(columns_in_file, parsed)
        self.missing_column_errors()
        ids = parsed.get("project_id")
        bad = np.flatnonzero(np.isin(rows, np.fromiter(self.row_errors, dtype=np.int64, count=len(self.row_errors))))
        bad_ids = _objects(ids[bad]) if ids is not None else np.full(len(bad), None)
        invalid_rows = [{"row": row, "project_id": pid or "", "problems": self.row_errors[row]}
                        for row, pid in zip(rows[bad].tolist(), bad_ids.tolist())]
        valid = np.ones(n, dtype=bool)
        valid[bad] = False
        candidates = _candidates(parsed, extras, rows, valid, list(self.extra))
        return self.result(invalid_rows, candidates)

    def missing_column_errors(self) -> None:
        """A required column missing: every row is invalid, its message first."""
        raw = self.raw
        if self.missing_required:
            names = "、".join(c.zh for c in self.missing_required)
            names_en = ", ".join(c.name for c in self.missing_required)
            for row in raw.row_numbers:
                self.row_errors.setdefault(row, []).insert(
                    0, f"{raw.source} 第{row}行：文件缺少必填列 {names}，本行无法通过校验 / "
                    f"{raw.source} row {row}: the file lacks the required column(s) {names_en}, so this row cannot pass",
                )

    def result(self, invalid_rows: list[dict], candidates: pd.DataFrame) -> ValidationResult:
        """The result from the problems reported, the invalid rows and the typed candidates."""
        raw = self.raw
        problems = pd.DataFrame(self.problems, columns=PROBLEM_COLUMNS)
        if len(problems):
            problems = problems.sort_values("row", kind="stable").reset_index(drop=True)
        problems["row"] = problems["row"].astype("int64")
        invalid = pd.DataFrame(invalid_rows, columns=INVALID_COLUMNS)
        invalid["row"] = invalid["row"].astype("int64")
        invalid["project_id"] = invalid["project_id"].astype("str")
        return ValidationResult(
            candidates=candidates,
            invalid=invalid,
            problems=problems,
            rows=len(raw.row_numbers),
            skipped_empty=raw.skipped_empty,
            extra_numeric=list(self.extra),
            valid=not (problems["severity"] == ERROR).any(),
            source=raw.source,
            sha256=raw.sha256,
            sheet=raw.sheet,
            header_row=raw.header_row,
            column_map={name: frame_col for name, frame_col in self.col_of.items()},
            notes=raw.notes,
        )

    def duplicate_ids(self, ids, j: int, frame_col: str) -> list[tuple]:
        """A project id used again: an error on every row after the first that uses it."""
        present = np.flatnonzero(~_is_none(ids))
        if not len(present):
            return []
        codes, _ = pd.factorize(ids[present])
        _, first = np.unique(codes, return_index=True)
        again = np.flatnonzero(present != present[first[codes]])
        if not len(again):
            return []
        texts = self.raw.cells_at(frame_col, present[again]).tolist()
        out = []
        for k, text in zip(again.tolist(), texts):
            pos, first_row = int(present[k]), self.raw.row_numbers[int(present[first[codes[k]]])]
            out.append((pos, j, 1, frame_col, text,
                        (ERROR, ProblemCode.DUPLICATE_ID, f"项目编号与第{first_row}行重复",
                         f"the project id repeats row {first_row}")))
        return out

    def parse_extra(self, row: int, frame_col: str, text: str) -> float:
        if alias_key(text) in EMPTY_PLACEHOLDERS:
            return math.nan
        try:
            return parse_percent(text)
        except ValueError:
            self.report(row, frame_col, text, WARNING, ProblemCode.EXTRA_NOT_A_NUMBER,
                        "附加数值列中的值不是数字，按空值处理", "not a number in an extra numeric column; read as empty")
            return math.nan

    def fraction_warnings(self, columns: list[Column], parsed: dict[str, np.ndarray]) -> None:
        for col in columns:
            if col.kind != "percent":
                continue
            frame_col = self.col_of[col.name]
            values = parsed[col.name]
            values = values[~_is_none(values)].astype(np.float64)  # never NaN: a number parsed is finite
            if len(values) >= 3 and values.max() <= 1 and values.max() > 0 and not _any_percent_sign(self.raw.frame[frame_col]):
                self.report(
                    self.raw.header_row, frame_col, "", WARNING, ProblemCode.PERCENT_AS_FRACTION,
                    f"“{col.zh}”各值均不超过1，是否把百分数写成了小数（如0.35应写35或35%）？",
                    f"every '{col.name}' value is at most 1: were percentages written as fractions "
                    "(0.35 should be 35 or 35%)?",
                )


# ---------------------------------------------------------------------- whole-column parsing
# A cell of one of these shapes reads the same through normalise_text (it is already normalised)
# and is parsed here for the whole column at once; every other cell goes through the checks of a
# single cell (once per distinct value), so the problems reported are those of the per-cell rules.
_PLAIN_TEXT = r"[!-~一-鿿]+(?: [!-~一-鿿]+)*"  # printable ASCII and CJK ideographs, single spaces
_PLAIN_NUMBER = r"[0-9]{1,15}(?:\.[0-9]{1,15})?"
_PLAIN_PERCENT = _PLAIN_NUMBER + "%?"
_PLAIN_CODE = "[" + USCC_CHARSET + "]{18}"
# Characters whose NFKC form holds "%": the percent sign, its small and full-width forms.
_PERCENT_SIGNS = "%\uFE6A\uFF05"


def _arrow_of(texts: pd.Series):
    """The pyarrow array behind a "str" column, or None when it is not pyarrow's."""
    array = texts.array
    return array.__arrow_array__() if isinstance(array, pd.arrays.ArrowStringArray) else None


def _full_match(texts: pd.Series, pattern: str) -> np.ndarray:
    """Which cells match ``pattern`` whole (a missing cell does not), by pyarrow's regular expressions when
    the column is pyarrow's (the patterns here mean the same to RE2 and to Python's re)."""
    arrow = _arrow_of(texts)
    if arrow is None:
        return texts.str.fullmatch(pattern).fillna(False).to_numpy(dtype=bool, copy=True)
    import pyarrow.compute as pc

    matched = pc.fill_null(pc.match_substring_regex(arrow, f"^(?:{pattern})$"), False)
    return matched.to_numpy(zero_copy_only=False).astype(bool, copy=True)


def _plain_numbers(texts: pd.Series, fast: np.ndarray) -> np.ndarray:
    """The numbers of the cells marked ``fast`` (each matching _PLAIN_PERCENT), as float64: a cast in
    pyarrow when the column is pyarrow's (correctly rounded, as Python's float())."""
    arrow = _arrow_of(texts)
    if arrow is None:
        return texts[fast].str.rstrip("%").astype("float64").to_numpy()
    import pyarrow as pa
    import pyarrow.compute as pc

    chosen = pc.filter(arrow, pa.array(fast))
    return pc.cast(pc.utf8_rtrim(chosen, characters="%"), pa.float64()).to_numpy(zero_copy_only=False)


def _fast_column(col: Column | None, texts: pd.Series, cells_at) -> tuple[object, np.ndarray]:
    """The values of the cells of a plain shape that pass every check, and a mask of those cells.

    ``col`` None is an extra numeric column (a percentage or a number, never out of range); ``cells_at``
    gives the texts at some row positions as Python strings. The text kinds' values are the column
    itself (a "str" array; a plain text is its own value), the others' an object array (None: not yet).
    """
    n = len(texts)
    kind = col.kind if col is not None else "percent"
    if kind in ("id", "text"):
        return texts.array, _full_match(texts, _PLAIN_TEXT)
    values = np.empty(n, dtype=object)
    if kind in ("percent", "number"):
        fast = _full_match(texts, _PLAIN_PERCENT if kind == "percent" else _PLAIN_NUMBER)
        if fast.any():
            numbers = _plain_numbers(texts, fast)
            ok = np.ones(len(numbers), dtype=bool)
            if col is not None and col.min_value is not None:
                ok &= numbers >= col.min_value
            if col is not None and col.max_value is not None:
                ok &= numbers <= col.max_value
            where = np.flatnonzero(fast)
            fast[where[~ok]] = False  # out of range: the single-cell check words the problem
            values[where[ok]] = numbers[ok].tolist()
    elif kind == "credit_code":
        fast = _full_match(texts, _PLAIN_CODE)
        if fast.any():
            where = np.flatnonzero(fast)
            codes = cells_at(where)
            digits = _USCC_VALUE[np.frombuffer("".join(codes).encode("ascii"), dtype=np.uint8).reshape(-1, 18)]
            check = (31 - (digits[:, :17] * np.array(USCC_WEIGHTS)).sum(axis=1) % 31) % 31
            ok = check == digits[:, 17]
            fast[where[~ok]] = False
            values[where[ok]] = codes[ok]
        texts_values = pd.array(values, dtype=texts.dtype)  # a text kind: "str", missing where not yet
        return texts_values, fast
    else:
        fast = np.zeros(n, dtype=bool)  # enumerations and maturity: few distinct values, each checked once
    return values, fast


_USCC_VALUE = np.zeros(128, dtype=np.int64)
for _i, _ch in enumerate(USCC_CHARSET):
    _USCC_VALUE[ord(_ch)] = _i


def _is_none(values) -> np.ndarray:
    """Which cells hold no value: None in an object array, missing in a "str" array."""
    if isinstance(values, np.ndarray):
        return np.asarray(values == None, dtype=bool)  # noqa: E711 - elementwise, for object arrays
    return np.asarray(pd.isna(values), dtype=bool)


def _objects(values) -> np.ndarray:
    """Values as an object array, None where there is none (a "str" array's missing cells)."""
    if isinstance(values, np.ndarray):
        return values
    out = np.asarray(values, dtype=object)
    out[_is_none(values)] = None
    return out


def _numeric_share(texts: pd.Series) -> tuple[int, int]:
    """How many cells of a column are not empty placeholders, and how many of those read as numbers."""
    fast = _full_match(texts, _PLAIN_PERCENT)
    counted = parsed = int(fast.sum())
    rest = texts.to_numpy(dtype=object)[~fast]
    if len(rest):
        codes, uniques = pd.factorize(rest, use_na_sentinel=False)
        weight = np.bincount(codes, minlength=len(uniques))
        for u, w in zip(uniques, weight.tolist()):
            if alias_key(u) in EMPTY_PLACEHOLDERS:
                continue
            counted += w
            try:
                parse_percent(u)
                parsed += w
            except ValueError:
                pass
    return counted, parsed


def _any_percent_sign(texts: pd.Series) -> bool:
    return bool(texts.str.contains(f"[{_PERCENT_SIGNS}]", regex=True).fillna(False).any())


def _candidates(parsed: dict[str, np.ndarray], extras: dict[str, np.ndarray], rows: np.ndarray,
                valid: np.ndarray, extra: list[str]) -> pd.DataFrame:
    """The valid rows as typed candidates: every contract column (optional text '' and numbers NaN
    where empty), the extra numeric columns and the spreadsheet row; each column made in its type at once."""
    if not valid.any():
        return _typed_frame([], extra)
    keep = np.flatnonzero(valid)
    data: dict[str, object] = {}
    for col in CANDIDATE_COLUMNS:
        values = parsed.get(col.name)
        data[col.name] = _typed(values[keep] if values is not None else np.full(len(keep), None), _dtype(col))
    for name in extra:
        data[name] = _typed(extras[name][keep], "float64")
    data[ROW] = rows[keep].astype(np.int64)
    return pd.DataFrame(data)


def _typed(values, dtype: str):
    """Parsed values (an object array, None: no value; or a "str" array, missing: no value) as a column of
    ``dtype`` (see :func:`_dtype`): no value is NaN in a number column and "" in a text column."""
    if not isinstance(values, np.ndarray):
        return values.fillna("") if values.isna().any() else values
    if dtype in ("float64", "str"):
        empty = _is_none(values)
        if dtype == "float64":
            out = np.full(len(values), np.nan)
            out[~empty] = values[~empty].astype(np.float64)
            return out
        if empty.any():
            values = values.copy()
            values[empty] = ""
        return text_array(values)
    return values.astype(dtype)


def _close_provinces(text: str) -> list[str]:
    import difflib

    key = alias_key(text)
    names = list(PROVINCE_NAMES) + [CORPS.name]
    hits = difflib.get_close_matches(normalise_text(text), names, n=3, cutoff=0.5)
    for name in names:
        if len(key) >= 2 and key[:2] in name and name not in hits:
            hits.append(name)
    return hits[:3]


def validate(raw: RawTable) -> ValidationResult:
    """Check every cell of ``raw`` against the candidate table contract and type the valid rows.

    Returns a :class:`ValidationResult`; never raises for a bad cell or column (they are problems).
    """
    return _Validator(raw).run()


__all__ = [
    "ProblemCode",
    "PROBLEM_LABELS",
    "ValidationResult",
    "validate",
    "empty_candidates",
    "uscc_check_character",
    "credit_code_problem",
    "USCC_CHARSET",
]
