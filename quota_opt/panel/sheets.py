"""Read an expert panel's tables as departments keep them, reporting every problem at once.

Score sheets come in two forms, in CSV (UTF-8 or GBK) or .xlsx with Chinese headers, read by
:mod:`quota_opt.load` under the same rules and limits as candidate files:

* **long form** -- one row per expert and project: 专家编号, 项目编号, 得分, optionally 评分项 (then an
  expert's score for a project is the sum of its items);
* **wide form** -- one sheet per expert (the expert is named by a 专家编号 cell above the header, else
  by the sheet's name), projects as rows, a total (得分/总分) or items as columns (with both, the
  total must equal the sum of the items).

A workbook may hold several sheets of either form; several files may be given. Every score cell
becomes a :class:`ScoreCell` (file, sheet, row, column, value as written); :func:`collect_scores`
turns them into one score per expert and project, with the reasons a score cannot be used.

Problems (a table like the candidate validator's, plus the sheet): an unknown project id, a
score outside its item's range (a scoring scheme gives each item's maximum; without one a total
runs 0-100), a duplicate (same expert, project and item), a non-number, a missing item, a total
that differs from its items; an empty score is a warning (the expert did not score that project).
The experts table (专家编号, 姓名, 工作单位, 所属集团), the 回避 table (专家编号, 项目编号) and the
scoring scheme (评分项, 满分) are read the same way.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from ..columns import (
    EMPTY_PLACEHOLDERS,
    NUMBER_SUFFIXES,
    PANEL_COLUMNS_BY_NAME,
    PANEL_DEFAULT_MAX,
    PANEL_INFO_HEADERS,
    PANEL_TABLES,
    PanelExclusion,
    alias_key,
    canonical_header,
    is_blank,
    normalise_text,
    panel_header,
    panel_or_candidate_header,
    parse_number,
)
from ..errors import InputError
from ..load import RawTable, read_table, read_table_bytes

ERROR = "error"
WARNING = "warning"
MAX_SHEETS = 100  # sheets of one score workbook (a panel has 5-9 experts, one sheet each)
HELP_SHEETS = ("填写说明", "说明")  # a workbook's notes, read past without a warning
PROBLEM_COLUMNS = ["file", "sheet", "row", "column", "value", "severity", "code", "message_zh", "message_en"]

# A 专家编号 cell above a wide sheet's header: "专家编号：E01", "专家编号 E01".
_EXPERT_CELL = re.compile(r"^(?:专家编号|专家代码|评审专家编号|专家号|expert\s*id)\s*[:：]?\s*(\S+)$", re.IGNORECASE)


class PanelProblem(str, Enum):
    """Why a cell, a row or a sheet of a panel table was reported (the app translates these)."""

    MISSING_COLUMN = "missing_column"
    DUPLICATE_COLUMN = "duplicate_column"
    NO_EXPERT = "no_expert"
    EMPTY_REQUIRED = "empty_required"
    NOT_A_NUMBER = "not_a_number"
    OUT_OF_RANGE = "out_of_range"
    DUPLICATE = "duplicate"
    UNKNOWN_PROJECT = "unknown_project"
    UNKNOWN_ITEM = "unknown_item"
    INCOMPLETE = "incomplete_items"
    TOTAL_MISMATCH = "total_mismatch"
    NOT_SCORED = "not_scored"
    IGNORED_COLUMN = "ignored_column"
    IGNORED_SHEET = "ignored_sheet"
    UNKNOWN_EXPERT = "unknown_expert"
    NO_EXPERT_RECORD = "no_expert_record"
    DUPLICATE_EXPERT = "duplicate_expert"
    EMPTY_SHEET = "empty_sheet"
    NOTE_ROW = "note_row"


PROBLEM_LABELS: dict[PanelProblem, tuple[str, str]] = {
    PanelProblem.MISSING_COLUMN: ("缺少必填列", "missing required column"),
    PanelProblem.DUPLICATE_COLUMN: ("列重复", "column given twice"),
    PanelProblem.NO_EXPERT: ("无法确定专家", "cannot tell the expert"),
    PanelProblem.EMPTY_REQUIRED: ("必填项为空", "required cell empty"),
    PanelProblem.NOT_A_NUMBER: ("得分不是数字", "score is not a number"),
    PanelProblem.OUT_OF_RANGE: ("得分超出范围", "score out of range"),
    PanelProblem.DUPLICATE: ("重复评分", "scored twice"),
    PanelProblem.UNKNOWN_PROJECT: ("项目编号不在候选项目表中", "unknown project id"),
    PanelProblem.UNKNOWN_ITEM: ("评分项不在评分标准中", "item not in the scoring scheme"),
    PanelProblem.INCOMPLETE: ("评分项不全", "items missing"),
    PanelProblem.TOTAL_MISMATCH: ("总分与各评分项之和不符", "total differs from its items"),
    PanelProblem.NOT_SCORED: ("未评分", "not scored"),
    PanelProblem.IGNORED_COLUMN: ("未识别的列（已忽略）", "unexpected column (ignored)"),
    PanelProblem.IGNORED_SHEET: ("不是评分表的工作表（已忽略）", "not a score sheet (ignored)"),
    PanelProblem.UNKNOWN_EXPERT: ("专家编号不在评分表中", "expert id not in the score sheets"),
    PanelProblem.NO_EXPERT_RECORD: ("专家不在专家名单中，无法按单位回避", "expert not in the experts table: no recusal by employer"),
    PanelProblem.DUPLICATE_EXPERT: ("专家编号重复", "duplicate expert id"),
    PanelProblem.EMPTY_SHEET: ("空工作表（已跳过）", "empty sheet (skipped)"),
    PanelProblem.NOTE_ROW: ("表格下方的说明行（不是评分，已单列）", "a note below the table (not a score, set aside)"),
}

# The reason a problem gives a score that cannot be used.
_EXCLUSION = {
    PanelProblem.NOT_A_NUMBER: PanelExclusion.NOT_A_NUMBER,
    PanelProblem.OUT_OF_RANGE: PanelExclusion.OUT_OF_RANGE,
    PanelProblem.DUPLICATE: PanelExclusion.DUPLICATE,
    PanelProblem.UNKNOWN_PROJECT: PanelExclusion.UNKNOWN_PROJECT,
    PanelProblem.UNKNOWN_ITEM: PanelExclusion.UNKNOWN_ITEM,
    PanelProblem.INCOMPLETE: PanelExclusion.INCOMPLETE,
    PanelProblem.TOTAL_MISMATCH: PanelExclusion.TOTAL_MISMATCH,
}


@dataclass(frozen=True)
class PanelFile:
    """A panel table to read: a path on disk, or an upload's bytes under its file name."""

    name: str
    data: bytes | None = None
    path: Path | None = None

    @classmethod
    def of(cls, source: "PanelFile | str | Path") -> "PanelFile":
        if isinstance(source, PanelFile):
            return source
        path = Path(source)
        return cls(path.name, None, path)

    def read(self, sheet: str | None = None) -> RawTable:
        if self.data is not None:
            return read_table_bytes(self.data, self.name, sheet=sheet, known_header=panel_or_candidate_header,
                                    single_cell_notes=False)
        return read_table(self.path, sheet=sheet, known_header=panel_or_candidate_header, single_cell_notes=False)


@dataclass
class Problems:
    """Problems collected while reading (every one, nothing raised for a bad cell)."""

    rows: list[dict] = field(default_factory=list)

    def add(self, file: str, sheet: str | None, row: int | None, column: str, value: object, severity: str,
            code: PanelProblem, detail_zh: str = "", detail_en: str = "") -> None:
        zh, en = PROBLEM_LABELS[code]
        where_zh = f"{file}" + (f"，工作表“{sheet}”" if sheet else "") + (f"，第{row}行" if row else "") + (
            f"，“{column}”列" if column else "")
        where_en = f"{file}" + (f", sheet '{sheet}'" if sheet else "") + (f", row {row}" if row else "") + (
            f", column '{column}'" if column else "")
        shown = "" if value is None or value == "" else str(value)
        self.rows.append({
            "file": file, "sheet": sheet or "", "row": row, "column": column, "value": shown,
            "severity": severity, "code": code.value,
            "message_zh": f"{where_zh}：{zh}" + (f"“{shown}”" if shown else "") + (f"（{detail_zh}）" if detail_zh else ""),
            "message_en": f"{where_en}: {en}" + (f" '{shown}'" if shown else "") + (f" ({detail_en})" if detail_en else ""),
        })


@dataclass(frozen=True)
class ScoreCell:
    """One score as written: where it is, whose it is, on which project and item (None: a total)."""

    file: str
    sheet: str | None
    row: int
    column: str
    expert_id: str
    project_id: str
    item: str | None
    text: str
    total_column: bool = False  # a total given beside its items (checked against their sum)
    id_column: str = ""  # the project-id column, as ``column`` names a column ("B（项目编号）")


@dataclass(frozen=True)
class ExpertRecord:
    expert_id: str
    name: str
    employer: str
    group: str
    row: int


@dataclass(frozen=True)
class Recusal:
    expert_id: str
    project_id: str
    reason: str
    row: int


@dataclass(frozen=True)
class PanelSheets:
    """Everything read from the panel's files: score cells, experts, recusals, the scheme, problems."""

    cells: tuple[ScoreCell, ...]
    experts: dict[str, ExpertRecord]
    recusals: tuple[Recusal, ...]
    scheme: dict[str, float]  # item -> maximum (empty: no scheme, a total runs 0-100)
    problems: tuple[dict, ...]
    files: tuple[tuple[str, str, str], ...]  # (role, file name, SHA-256)

    @property
    def expert_order(self) -> list[str]:
        """Experts in the order they first appear in the score sheets (files, sheets, rows)."""
        seen: dict[str, None] = {}
        for c in self.cells:
            seen.setdefault(c.expert_id, None)
        return list(seen)


# ----------------------------------------------------------------------------- header mapping
def _map_headers(raw: RawTable, table: str, problems: Problems, sheet: str | None) -> tuple[dict[str, str], list[str]]:
    """Frame column per panel column name, and the other columns (neither panel nor candidate ones)."""
    found: dict[str, str] = {}
    others: list[str] = []
    for col in raw.frame.columns:
        name = panel_header(col)
        if name is None:
            if canonical_header(col) is None:
                others.append(col)
            continue
        if name in found:
            problems.add(raw.source, sheet, raw.header_row, str(col), "", "error", PanelProblem.DUPLICATE_COLUMN,
                         f"与“{found[name]}”重复", f"same as '{found[name]}'")
            continue
        found[name] = col
    return found, others


def _texts(raw: RawTable) -> dict[str, list[str]]:
    """Every cell of the sheet as normalised text, column by column (read once: a row-wise lookup is slow)."""
    return {col: [normalise_text(v) for v in raw.frame[col].tolist()] for col in raw.frame.columns}


def _id(text: str) -> str:
    return normalise_text(text)


def _sheet_expert(raw: RawTable) -> str | None:
    for _, text in raw.preamble:
        match = _EXPERT_CELL.match(normalise_text(text))
        if match:
            return match.group(1)
    if raw.sheet is not None:
        return normalise_text(raw.sheet) or None
    return None


def _looks_numeric(raw: RawTable, col: str) -> bool:
    values = [v for v in (normalise_text(x) for x in raw.frame[col]) if alias_key(v) not in EMPTY_PLACEHOLDERS]
    if not values:
        return False
    numbers = 0
    for v in values:
        try:
            parse_number(v, NUMBER_SUFFIXES["expert_score"])
            numbers += 1
        except ValueError:
            pass
    return numbers * 2 >= len(values)


def _score_sheet(raw: RawTable, scheme: dict[str, float], problems: Problems, many: bool) -> list[ScoreCell] | None:
    """The score cells of one sheet; None when it is not a score sheet (no 项目编号 column)."""
    texts = _texts(raw)
    sheet = raw.sheet
    found, others = _map_headers(raw, "scores", problems, sheet)
    if "project_id" not in found:
        if many:
            problems.add(raw.source, sheet, raw.header_row, "", "", WARNING, PanelProblem.IGNORED_SHEET,
                         "没有“项目编号”列", "no 项目编号 (project id) column")
        else:
            problems.add(raw.source, sheet, raw.header_row, PANEL_COLUMNS_BY_NAME["project_id"].zh, "", ERROR,
                         PanelProblem.MISSING_COLUMN)
        return None
    expert_col = found.get("expert_id")
    sheet_expert = None if expert_col else _sheet_expert(raw)
    if expert_col is None and sheet_expert is None:
        problems.add(raw.source, sheet, raw.header_row, PANEL_COLUMNS_BY_NAME["expert_id"].zh, "", ERROR,
                     PanelProblem.NO_EXPERT, "请加“专家编号”列，或在表头上方写“专家编号：编号”",
                     "add a 专家编号 column, or a cell '专家编号：ID' above the header")
        return []
    item_col = found.get("item")
    if item_col is not None and all(not texts[item_col][i] for i in range(raw.rows)):
        item_col = None  # an empty 评分项 column: the scores are totals
    score_col = found.get("score")
    item_cols: list[str] = []
    for col in others:
        key = normalise_text(col)
        if alias_key(col) in PANEL_INFO_HEADERS:
            continue
        if scheme:
            is_item = key in scheme and item_col is None
        else:  # without a scheme, numeric columns are items only when no total is given
            is_item = item_col is None and score_col is None and _looks_numeric(raw, col)
        if is_item:
            item_cols.append(col)
        else:
            problems.add(raw.source, sheet, raw.header_row, str(col), "", WARNING, PanelProblem.IGNORED_COLUMN)
    if score_col is None and not item_cols:
        problems.add(raw.source, sheet, raw.header_row, PANEL_COLUMNS_BY_NAME["score"].zh, "", ERROR,
                     PanelProblem.MISSING_COLUMN, "没有得分列或评分项列", "no score or item columns")
        return []
    cells: list[ScoreCell] = []
    id_col = found["project_id"]
    for i, row in enumerate(raw.row_numbers):
        pid = _id(texts[found["project_id"]][i])
        expert = _id(texts[expert_col][i]) if expert_col else sheet_expert
        if not pid or not expert:
            missing = found["project_id"] if not pid else expert_col
            problems.add(raw.source, sheet, row, str(missing), "", ERROR, PanelProblem.EMPTY_REQUIRED)
            continue

        def cell(col: str, item: str | None, total: bool = False) -> ScoreCell:
            return ScoreCell(raw.source, sheet, row, f"{raw.letter(col)}（{col}）", expert, pid, item,
                             texts[col][i], total, f"{raw.letter(id_col)}（{id_col}）")

        if item_col is not None:
            item = normalise_text(texts[item_col][i]) or None
            if item is None:
                problems.add(raw.source, sheet, row, str(item_col), "", ERROR, PanelProblem.EMPTY_REQUIRED)
                continue
            cells.append(cell(score_col, item))
        elif item_cols:
            cells.extend(cell(col, normalise_text(col)) for col in item_cols)
            if score_col is not None:
                cells.append(cell(score_col, None, total=True))
        else:
            cells.append(cell(score_col, None))
    return cells


# ----------------------------------------------------------------------------- reading the tables
def _read_all_sheets(source: PanelFile, problems: Problems) -> list[RawTable]:
    """Every sheet of a file that holds rows (a CSV is one sheet); a sheet without rows is a warning.
    A workbook may hold at most :data:`MAX_SHEETS` sheets (each is read like a candidate file)."""
    try:
        first = source.read()
        names: tuple[str, ...] = first.sheets
    except InputError:
        names = _sheet_names(source)
        if len(names) < 2:
            raise
        first = None
    if len(names) > MAX_SHEETS:
        raise InputError(f"工作簿“{source.name}”有{len(names)}个工作表，超过上限{MAX_SHEETS}个",
                         f"the workbook '{source.name}' has {len(names)} sheets, more than the limit of {MAX_SHEETS}")
    tables = [first] if first is not None else []
    for name in names:
        if first is not None and name == first.sheet:
            continue
        try:
            tables.append(source.read(sheet=name))
        except InputError:
            problems.add(source.name, name, None, "", "", WARNING, PanelProblem.EMPTY_SHEET)
    if not tables:
        raise InputError(f"工作簿“{source.name}”的工作表都没有数据", f"no sheet of the workbook '{source.name}' holds rows")
    for table in tables:
        note_rows(table, problems)
    order = {name: i for i, name in enumerate(names)}
    return sorted(tables, key=lambda t: order.get(t.sheet, 0))


def note_rows(table: RawTable, problems: Problems) -> None:
    """Rows below a table that are notes (备注, 注：, 合计...) are set aside, each said as a warning:
    no row of a panel file is dropped without a word."""
    for number, text in table.notes:
        problems.add(table.source, table.sheet, number, "", text, WARNING, PanelProblem.NOTE_ROW)


def _sheet_names(source: PanelFile) -> tuple[str, ...]:
    """The sheets of a workbook whose first sheet could not be read (an unused template sheet)."""
    import io
    import zipfile

    import openpyxl

    try:
        data = source.data if source.data is not None else source.path.read_bytes()
    except OSError:
        return ()  # the first read's message says why
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return ()
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    except Exception:  # noqa: BLE001 -- a damaged workbook: the first read's message says why
        return ()
    try:
        return tuple(workbook.sheetnames)
    finally:
        workbook.close()


def _table_start(raw: RawTable, table: str, problems: Problems) -> tuple[dict[str, list[str]], dict[str, str]] | None:
    """The cells and the column of each panel column of an experts, 回避 or scheme table; None (with a
    problem per missing column) when a required column is missing."""
    found, _ = _map_headers(raw, table, problems, raw.sheet)
    missing = [c for c in PANEL_TABLES[table][0] if c not in found]
    for name in missing:
        problems.add(raw.source, raw.sheet, raw.header_row, PANEL_COLUMNS_BY_NAME[name].zh, "", ERROR,
                     PanelProblem.MISSING_COLUMN)
    return None if missing else (_texts(raw), found)


def table_role(raw: RawTable) -> str | None:
    """What a sheet is, from its header: ``scores``, ``experts``, ``recusals``, ``scheme``, or None.

    A scheme names 评分项 and 满分; a 回避 table names 专家编号 and 项目编号 and no score (and 回避原因,
    or "回避" in its sheet name); an experts table names 专家编号 and one of 姓名/工作单位/所属集团 but
    no 项目编号; any other sheet with 项目编号 is a score sheet.
    """
    names = {panel_header(c) for c in raw.frame.columns} - {None}
    if {"item", "max_score"} <= names:
        return "scheme"
    if {"expert_id", "project_id"} <= names and not names & {"score", "item"} and (
            "recusal_reason" in names or "回避" in (raw.sheet or "")):
        return "recusals"
    if "expert_id" in names and "project_id" not in names and names & {"expert_name", "employer"}:
        return "experts"
    if "project_id" in names or canonical_header_in(raw, "project_id"):
        return "scores"
    return None


def canonical_header_in(raw: RawTable, name: str) -> bool:
    return any(canonical_header(c) == name for c in raw.frame.columns)


def _parse_scheme(raw: RawTable, problems: Problems, scheme: dict[str, float]) -> None:
    start = _table_start(raw, "scheme", problems)
    if start is None:
        return
    texts, found = start
    for i, row in enumerate(raw.row_numbers):
        item = normalise_text(texts[found["item"]][i])
        text = texts[found["max_score"]][i]
        if not item:
            problems.add(raw.source, raw.sheet, row, found["item"], "", ERROR, PanelProblem.EMPTY_REQUIRED)
            continue
        try:
            value = parse_number(text, NUMBER_SUFFIXES["expert_score"])
        except ValueError:
            problems.add(raw.source, raw.sheet, row, found["max_score"], text, ERROR, PanelProblem.NOT_A_NUMBER)
            continue
        if value <= 0:
            problems.add(raw.source, raw.sheet, row, found["max_score"], text, ERROR, PanelProblem.OUT_OF_RANGE,
                         "满分应大于0", "a maximum must be above 0")
            continue
        if item in scheme:
            problems.add(raw.source, raw.sheet, row, found["item"], item, ERROR, PanelProblem.DUPLICATE)
            continue
        scheme[item] = value


def _parse_experts(raw: RawTable, problems: Problems, experts: dict[str, ExpertRecord]) -> None:
    start = _table_start(raw, "experts", problems)
    if start is None:
        return
    texts, found = start
    for i, row in enumerate(raw.row_numbers):
        eid = _id(texts[found["expert_id"]][i])
        if not eid:
            problems.add(raw.source, raw.sheet, row, found["expert_id"], "", ERROR, PanelProblem.EMPTY_REQUIRED)
            continue
        if eid in experts:
            problems.add(raw.source, raw.sheet, row, found["expert_id"], eid, ERROR, PanelProblem.DUPLICATE_EXPERT,
                         f"已见于第{experts[eid].row}行", f"already in row {experts[eid].row}")
            continue
        values = {name: (texts[found[name]][i] if name in found else "")
                  for name in ("expert_name", "employer", "group")}
        experts[eid] = ExpertRecord(eid, values["expert_name"], values["employer"], values["group"], row)


def _parse_recusals(raw: RawTable, problems: Problems, out: list[Recusal]) -> None:
    start = _table_start(raw, "recusals", problems)
    if start is None:
        return
    texts, found = start
    for i, row in enumerate(raw.row_numbers):
        eid, pid = _id(texts[found["expert_id"]][i]), _id(texts[found["project_id"]][i])
        if not eid or not pid:
            problems.add(raw.source, raw.sheet, row, found["expert_id"] if not eid else found["project_id"], "",
                         ERROR, PanelProblem.EMPTY_REQUIRED)
            continue
        reason = texts[found["recusal_reason"]][i] if "recusal_reason" in found else ""
        out.append(Recusal(eid, pid, reason, row))


def read_panel(
    scores: Sequence[PanelFile | str | Path],
    *,
    experts: PanelFile | str | Path | None = None,
    recusals: PanelFile | str | Path | None = None,
    scheme: PanelFile | str | Path | None = None,
) -> PanelSheets:
    """Read score sheets (every sheet of every file), the experts and 回避 tables and the scheme.

    A workbook of score sheets may also hold the experts table, the 回避 table and the scheme as
    sheets of their own (as the panel template does; :func:`table_role` tells them apart); the
    files given as ``experts``, ``recusals`` and ``scheme`` are read as those tables whatever their
    headers. A file that cannot be read at all is an :class:`~quota_opt.errors.InputError`; a bad
    cell, row or sheet is a problem in :attr:`PanelSheets.problems` (every one), never an exception.
    """
    if not scores:
        raise InputError("没有给出专家评分表", "no score sheet given")
    problems = Problems()
    files: list[tuple[str, str, str]] = []
    by_role: dict[str, list[RawTable]] = {"scores": [], "experts": [], "recusals": [], "scheme": []}
    many: dict[int, bool] = {}
    for source in scores:
        tables = _read_all_sheets(PanelFile.of(source), problems)
        files.append(("scores", tables[0].source, tables[0].sha256))
        for raw in tables:
            role = table_role(raw)
            if role is None and raw.sheet in HELP_SHEETS:
                continue  # the template's notes
            if role is None:
                problems.add(raw.source, raw.sheet, raw.header_row, "", "", WARNING if len(tables) > 1 else ERROR,
                             PanelProblem.IGNORED_SHEET if len(tables) > 1 else PanelProblem.MISSING_COLUMN,
                             "没有“项目编号”列", "no 项目编号 (project id) column")
                continue
            by_role[role].append(raw)
            many[id(raw)] = len(tables) > 1
    for role, source in (("experts", experts), ("recusals", recusals), ("scheme", scheme)):
        if source is not None:
            raw = PanelFile.of(source).read()
            note_rows(raw, problems)
            files.append((role, raw.source, raw.sha256))
            by_role[role].append(raw)
    scheme_table: dict[str, float] = {}
    for raw in by_role["scheme"]:
        _parse_scheme(raw, problems, scheme_table)
    expert_table: dict[str, ExpertRecord] = {}
    for raw in by_role["experts"]:
        _parse_experts(raw, problems, expert_table)
    recusal_rows: list[Recusal] = []
    for raw in by_role["recusals"]:
        _parse_recusals(raw, problems, recusal_rows)
    cells = [c for raw in by_role["scores"] for c in (_score_sheet(raw, scheme_table, problems, many[id(raw)]) or [])]
    if not cells:
        why = [p for p in problems.rows if p["severity"] == ERROR][:3]
        raise InputError("专家评分表中没有任何可读取的评分" + "".join(f"；{p['message_zh']}" for p in why),
                         "the score sheets hold no score that can be read" + "".join(f"; {p['message_en']}" for p in why))
    return PanelSheets(tuple(cells), expert_table, tuple(recusal_rows), scheme_table, tuple(problems.rows), tuple(files))


# ----------------------------------------------------------------------------- one score per expert and project
@dataclass(frozen=True)
class ExpertScore:
    """An expert's score on a project (the sum of its items), or why it cannot be used."""

    expert_id: str
    project_id: str
    score: float | None  # None: not a number, or items missing
    reasons: tuple[PanelExclusion, ...]  # empty: usable (recusal is decided later)
    where: str  # "file, sheet, row" of its first cell


def collect_scores(sheets: PanelSheets, known_ids: Iterable[str]) -> tuple[list[ExpertScore], list[dict]]:
    """One :class:`ExpertScore` per expert and project that has at least one non-empty cell, and the
    problems found on the way (out of range, duplicates, non-numbers, unknown projects and items,
    missing items, totals that differ from their items; an empty score is a "not scored" warning).

    Ranges: an item's maximum comes from the scheme; a total's is the sum of the scheme's maxima,
    or 100 without a scheme. Every score is at least 0.
    """
    known = set(known_ids)
    problems = Problems()
    scheme = sheets.scheme
    total_max = math.fsum(scheme.values()) if scheme else PANEL_DEFAULT_MAX
    groups: dict[tuple[str, str], list[ScoreCell]] = {}
    for c in sheets.cells:
        groups.setdefault((c.expert_id, c.project_id), []).append(c)
    item_sets = {c.item for c in sheets.cells if c.item is not None}
    expected_items = set(scheme) if scheme else item_sets
    out: list[ExpertScore] = []
    for (expert, pid), group in groups.items():
        reasons: list[PanelExclusion] = []

        def flag(c: ScoreCell, code: PanelProblem, zh: str = "", en: str = "", severity: str = ERROR,
                 at_id: bool = False) -> None:  # at_id: the problem is the project id, not the score
            column, value = (c.id_column or c.column, c.project_id) if at_id else (c.column, c.text)
            problems.add(c.file, c.sheet, c.row, column, value, severity, code, zh, en)
            reason = _EXCLUSION.get(code)
            if reason is not None and reason not in reasons:
                reasons.append(reason)

        filled = [c for c in group if alias_key(c.text) not in EMPTY_PLACEHOLDERS and not is_blank(c.text)]
        first = group[0]
        where = f"{first.file}" + (f" / {first.sheet}" if first.sheet else "") + f" / {first.row}"
        if not filled:
            problems.add(first.file, first.sheet, first.row, first.column, "", WARNING, PanelProblem.NOT_SCORED,
                         "视为该专家未评此项目", "read as: the expert did not score this project")
            continue
        seen: dict[str | None, ScoreCell] = {}
        values: dict[str | None, float] = {}
        total_given: ScoreCell | None = None
        for c in filled:
            key = "\x00total" if c.total_column else c.item
            if key in seen:
                flag(c, PanelProblem.DUPLICATE, f"已见于第{seen[key].row}行", f"already in row {seen[key].row}")
                continue
            seen[key] = c
            try:
                value = parse_number(c.text, NUMBER_SUFFIXES["expert_score"])
            except ValueError:
                flag(c, PanelProblem.NOT_A_NUMBER)
                continue
            if c.total_column:
                total_given = c
                values["\x00total"] = value
                continue
            values[c.item] = value  # as written: an excluded score is shown as its expert wrote it
            if c.item is not None and scheme and c.item not in scheme:
                flag(c, PanelProblem.UNKNOWN_ITEM)
                continue
            top = scheme[c.item] if (c.item is not None and scheme) else total_max
            if not 0 <= value <= top:
                flag(c, PanelProblem.OUT_OF_RANGE, f"应在0至{top:g}之间", f"must be between 0 and {top:g}")
        items = {k: v for k, v in values.items() if k != "\x00total"}
        if any(k is not None for k in seen) and expected_items:
            missing = sorted(i for i in expected_items if i not in seen)
            if missing:
                flag(first, PanelProblem.INCOMPLETE, "缺少：" + "、".join(missing), "missing: " + ", ".join(missing))
        score = math.fsum(items.values()) if items else None
        if score is not None and not reasons and any(k is not None for k in items) and not 0 <= score <= total_max:
            flag(first, PanelProblem.OUT_OF_RANGE, f"各项之和应在0至{total_max:g}之间",
                 f"the items' sum must be between 0 and {total_max:g}")
        if total_given is not None and "\x00total" in values and items:
            if abs(values["\x00total"] - math.fsum(items.values())) > 1e-6:
                flag(total_given, PanelProblem.TOTAL_MISMATCH, f"各项之和为{math.fsum(items.values()):g}",
                     f"the items sum to {math.fsum(items.values()):g}")
        if pid not in known:
            flag(first, PanelProblem.UNKNOWN_PROJECT, at_id=True)
        if reasons:
            score = score if PanelExclusion.NOT_A_NUMBER not in reasons else None
        out.append(ExpertScore(expert, pid, score, tuple(reasons), where))
    return out, problems.rows


__all__ = ["PROBLEM_COLUMNS", "PROBLEM_LABELS", "ExpertRecord", "ExpertScore", "PanelFile", "PanelProblem",
           "PanelSheets", "Problems", "Recusal", "ScoreCell", "collect_scores", "read_panel", "table_role"]
