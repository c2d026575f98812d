"""Export a recommendation: the .xlsx workbook the notices ask for, and the summary as CSV.

Workbook sheets, in order:

1. 推荐汇总表 -- heading with the year, level and unit; then 优先顺序, 项目编号, 项目名称, 申报单位,
   所在城市, 所属行业, 得分, one row per recommended project in priority order (or, when the
   rules cannot all hold, the explanation);
2. 未推荐项目 -- every eligible project not recommended, with its reason;
3. 不符合条件项目 -- the ineligible, with the rules they fail;
4. 无效行 -- rows with errors, with their problems;
5. 运行信息 -- quota-opt version, notice number, SHA-256 of the input file, quota and its basis,
   weights, directions, constraints, solver, status, times, warnings, and the scenario as TOML;
6. 得分构成 -- each eligible project's points per criterion;
7. 专家评分汇总 -- only when the expert score came from a panel (``recommend --panel``): per project
   every expert's score (an excluded one with its reason), the panel score and the flags.

No cell can start a formula (:func:`quota_opt.textsafe.formula_like`: text beginning with = + - @,
their full-width forms, a tab or a carriage return): in the workbook every text is a text cell, and
formula-like text keeps its exact characters with Excel's quote prefix (no visible apostrophe); in
the CSV, which has no cell types, it is prefixed with an apostrophe. Numbers stay numbers.

Nothing exported holds a path of the machine that made it: the run information names the input
file by its name and SHA-256 (see :func:`quota_opt.result.without_paths`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from .columns import column_label, output_label
from .errors import InputError
from .result import Recommendation, china_time
from .safeio import OutputError, write_output
from .scenario import CONSTRAINT_LABELS
from .textsafe import formula_like, neutralise

SHEETS = ("推荐汇总表", "未推荐项目", "不符合条件项目", "无效行", "运行信息", "得分构成")
PANEL_SHEET = "专家评分汇总"
SUMMARY_COLUMNS = ("rank", "project_id", "project_name", "enterprise", "city", "industry", "score")
EXPORT_SUFFIXES = (".xlsx", ".csv")


def summary_headers(lang: str = "zh") -> list[str]:
    return [output_label(c, lang) for c in SUMMARY_COLUMNS]


def _summary_rows(rec: Recommendation) -> list[list[Any]]:
    return [[r["rank"], r["project_id"], r.get("project_name", ""), r.get("enterprise", ""), r.get("city", ""),
             r.get("industry", ""), float(r["score"])] for r in rec.selected]


# ---------------------------------------------------------------------- CSV


def csv_bytes(rec: Recommendation) -> bytes:
    """The summary table as CSV, UTF-8 with BOM (so Excel on Chinese Windows reads it), scores to 2 decimals."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(summary_headers())
    for row in _summary_rows(rec):
        writer.writerow([f"{v:.2f}" if isinstance(v, float) else neutralise(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_csv(rec: Recommendation, path: Path | str, *, force: bool = False) -> Path:
    """The summary as CSV at ``path`` (see :func:`quota_opt.safeio.write_output`)."""
    return write_output(path, csv_bytes(rec), force=force)


# ---------------------------------------------------------------------- workbook


def _cell(ws, row: int, col: int, value: Any, number_format: str | None = None):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, (list, tuple)):
        value = "；".join(map(str, value))
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text begins with
        if formula_like(value):
            cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    if number_format:
        cell.number_format = number_format
    return cell


def _table(ws, start_row: int, headers: list[str], rows: list[list[Any]], widths: list[int],
           score_col: int | None = None) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for j, h in enumerate(headers, start=1):
        c = _cell(ws, start_row, j, h)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DDEBF7")
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        c.border = border
    for i, row in enumerate(rows, start=start_row + 1):
        for j, v in enumerate(row, start=1):
            c = _cell(ws, i, j, v, "0.00" if score_col == j else None)
            c.border = border
            c.alignment = Alignment(vertical="center", wrap_text=isinstance(v, str) and len(v) > 30)
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=start_row, column=j).column_letter].width = w
    ws.freeze_panes = ws.cell(row=start_row + 1, column=1)


def _summary_sheet(ws, rec: Recommendation) -> None:
    from openpyxl.styles import Alignment, Font

    ncol = len(SUMMARY_COLUMNS)
    title = f"{rec.year}年度{rec.level_zh}智能工厂项目推荐汇总表"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    c = _cell(ws, 1, 1, title)
    c.font = Font(bold=True, size=14)
    c.alignment = Alignment(horizontal="center")
    info = f"推荐单位：{rec.unit}　　层级：{rec.level_zh}　　年度：{rec.year}　　推荐名额：{rec.quota} 个　　推荐项目：{len(rec.selected)} 个"
    if rec.notice:
        info += f"　　依据：{rec.notice}"
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncol)
    _cell(ws, 2, 1, info).alignment = Alignment(horizontal="left")
    _table(ws, 3, summary_headers(), _summary_rows(rec), [10, 14, 36, 32, 12, 28, 10], score_col=ncol)
    if not rec.feasible:
        row = 4
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncol)
        _cell(ws, row, 1, "推荐规则无法同时满足，未推荐任何项目 / The rules cannot all hold: nothing is recommended").font = Font(bold=True, color="C00000")
        for line in rec.explanation:
            row += 1
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncol)
            _cell(ws, row, 1, f"{line['zh']} / {line['en']}").alignment = Alignment(wrap_text=True)
    print_ready(ws)


# The lines under the printed summary table, filled in by hand (issue 12).
SIGN_OFF_LINES = ("联系人：＿＿＿＿＿＿＿＿", "联系电话：＿＿＿＿＿＿＿＿", "填报日期：＿＿＿＿年＿＿月＿＿日")
# Column widths (characters) of the printed summary: long names wrap inside them instead of being cut.
SUMMARY_WIDTHS = (8, 12, 34, 30, 12, 24, 9)
_WRAPPED = (3, 4, 6)  # 项目名称, 申报单位, 所属行业


def print_ready(ws) -> None:
    """Make the summary sheet print as the notice's table: A4 landscape, every column on one page
    wide and as many pages tall as needed, the title, unit and header rows repeated on each page,
    第 N 页 共 M 页 in the footer, long names wrapped in fixed column widths, and the sign-off
    lines (联系人, 联系电话, 填报日期) under the table to fill in by hand."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.properties import PageSetupProperties

    header_row, last = 3, ws.max_row
    for j, width in enumerate(SUMMARY_WIDTHS, start=1):
        ws.column_dimensions[ws.cell(row=header_row, column=j).column_letter].width = width
    for row in ws.iter_rows(min_row=header_row + 1, max_row=last):
        for cell in row:
            if cell.column in _WRAPPED and cell.coordinate not in ws.merged_cells:
                cell.alignment = Alignment(vertical="center", wrap_text=True)
    ws.cell(row=2, column=1).alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    ws.row_dimensions[2].height = 32
    sign_row = last + 2
    ncol = len(SUMMARY_WIDTHS)
    ws.merge_cells(start_row=sign_row, start_column=1, end_row=sign_row, end_column=ncol)
    _cell(ws, sign_row, 1, "　　　　".join(SIGN_OFF_LINES)).font = Font(size=12)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as the rows need
    ws.print_title_rows = f"1:{header_row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.7
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.size = 10


def run_info_rows(rec: Recommendation) -> list[list[Any]]:
    """The run-information sheet's rows: [item ("中文 / English"), value]."""
    from . import __version__

    q = rec.quota_info or {}
    rows: list[list[Any]] = [
        ["quota-opt 版本 / version", rec.version or __version__],
        ["生成时间（北京时间）/ created (China Standard Time)", china_time(rec.created_at) if rec.created_at else ""],
        ["推荐单位 / unit", rec.unit],
        ["层级 / level", f"{rec.level_zh} ({rec.level})"],
        ["年度 / year", rec.year],
        ["通知文号 / notice", rec.notice],
        ["推荐名额 / quota", rec.quota],
        ["名额依据 / quota basis", q.get("basis_zh") or q.get("status", "")],
    ]
    if q.get("status") == "override":
        original = q.get("original_quota")
        rows += [
            ["名额由用户指定 / quota set by the user",
             f"原名额 {original if original is not None else '未确定'} → {rec.quota} / was "
             f"{original if original is not None else 'undetermined'}, now {rec.quota}"],
            ["名额调整理由 / reason for the override", q.get("override_reason") or "未说明 / not given"],
        ]
    for fig in q.get("user_figures") or []:
        rows.append(["用户提供的数据 / figure supplied by the user",
                     f"{fig['province']}：{fig['value']:g}（{fig['dataset']}；来源 / source：{fig['source']}）"])
    if q.get("reference_file"):
        rows.append(["参考数据文件 / reference data file", q["reference_file"]])
    rows += [
        ["输入文件 / input file", rec.input_name],
        ["输入文件 SHA-256 / input SHA-256", rec.input_sha256],
        ["方案 / scenario", rec.scenario.name],
        ["方案指纹 SHA-256 / scenario fingerprint", rec.scenario.fingerprint],
        ["赋权方法 / weights method", rec.scenario.scoring.weights_method.value],
        ["标准化方法 / normalisation", rec.scenario.scoring.method.value],
    ]
    for criterion, weight in rec.weights.items():
        direction = rec.directions.get(criterion, "benefit")
        rows.append([f"权重：{column_label(criterion)} / weight: {column_label(criterion, 'en')}",
                     f"{weight:.4f}（{'成本型' if direction == 'cost' else '效益型'} / {direction}）"])
    constraints = rec.scenario.to_dict()["constraints"]
    if not constraints:
        rows.append(["约束 / constraints", "仅名额 / the quota only"])
    for key, value in constraints.items():
        zh, en = CONSTRAINT_LABELS.get(key, (key, key))
        if isinstance(value, dict):
            value = "；".join(f"{k}: {v}" for k, v in value.items())
        elif isinstance(value, list):
            value = "、".join(map(str, value))
        rows.append([f"约束：{zh} / {en} ({key})", value])
    counts = rec.counts()
    rows += [
        ["求解器 / solver", rec.solver],
        ["状态 / status", rec.status],
        ["得分合计 / objective", rec.objective],
        ["求解用时（秒）/ solver seconds", round(rec.solve_seconds, 4)],
        ["总用时（秒）/ total seconds", round(rec.total_seconds, 4)],
        ["记录数 / rows", f"推荐 {counts['selected']}，未推荐 {counts['not_selected']}，不符合条件 {counts['ineligible']}，"
                         f"无效 {counts['invalid']}，合计 {counts['rows']} / selected {counts['selected']}, not selected "
                         f"{counts['not_selected']}, ineligible {counts['ineligible']}, invalid {counts['invalid']}, "
                         f"total {counts['rows']}"],
    ]
    for line in rec.explanation:
        rows.append(["无法满足的原因 / why infeasible", f"{line['zh']} / {line['en']}"])
    for w in rec.warnings:
        rows.append(["提示 / warning", w])
    rows += [list(r) for r in rec.panel.get("run_info", [])]
    rows.append(["方案（TOML）/ scenario (TOML)", rec.scenario.to_toml()])
    return rows


def workbook(rec: Recommendation):
    """The recommendation as an openpyxl Workbook (sheets in the module doc)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = SHEETS[0]
    _summary_sheet(ws, rec)

    ws = wb.create_sheet(SHEETS[1])
    headers = [column_label("project_id"), column_label("project_name"), column_label("enterprise"),
               column_label("city"), column_label("industry"), output_label("score"), output_label("reason_code"),
               output_label("reason"), "Reason", output_label("blocked_by")]
    rows = [[r["project_id"], r.get("project_name", ""), r.get("enterprise", ""), r.get("city", ""),
             r.get("industry", ""), float(r["score"]), r["reason_code"], r["reason_zh"], r["reason_en"],
             list(r.get("blocked_by", []))] for r in rec.not_selected]
    _table(ws, 1, headers, rows, [14, 30, 30, 12, 24, 10, 18, 50, 50, 30], score_col=6)

    ws = wb.create_sheet(SHEETS[2])
    rows = [[r["project_id"], r.get("row"), list(r.get("failed_rules", [])), list(r.get("messages", []))]
            for r in rec.ineligible]
    _table(ws, 1, [column_label("project_id"), output_label("row"), output_label("failed_rules"),
                   output_label("messages")], rows, [14, 8, 36, 80])

    ws = wb.create_sheet(SHEETS[3])
    rows = [[r.get("row"), r.get("project_id") or "", list(r.get("problems", []))] for r in rec.invalid]
    _table(ws, 1, [output_label("row"), column_label("project_id"), output_label("problems")], rows, [8, 14, 100])

    ws = wb.create_sheet(SHEETS[4])
    _table(ws, 1, [output_label("item"), output_label("value")], run_info_rows(rec), [40, 100])

    ws = wb.create_sheet(SHEETS[5])
    contrib = rec.contributions
    criteria = list(contrib.columns)
    headers = [column_label("project_id"), output_label("score")] + [column_label(c) for c in criteria]
    rows = []
    for pid, values in contrib.iterrows():
        rows.append([str(pid), round(float(values.sum()), 6)] + [round(float(v), 4) for v in values])
    rows.sort(key=lambda r: (-r[1], r[0]))
    _table(ws, 1, headers, rows, [14, 10] + [14] * len(criteria), score_col=2)
    if rec.panel:
        sheet = rec.panel["sheet"]
        ws = wb.create_sheet(PANEL_SHEET)
        n = len(sheet["headers"])
        # figures as a person reads them: 12.4, not the float arithmetic's 12.399999999999999
        rows = [[round(v, 6) if isinstance(v, float) else v for v in row] for row in sheet["rows"]]
        _table(ws, 1, sheet["headers"], rows, [14, 30] + [12] * (n - 7) + [10, 16, 10, 10, 40])
    return wb


def xlsx_bytes(rec: Recommendation) -> bytes:
    """The workbook as bytes (for a download button). openpyxl writes each sheet to a temporary
    file first: a full disk there is an :class:`quota_opt.safeio.OutputError`, not a traceback."""
    buffer = io.BytesIO()
    try:
        workbook(rec).save(buffer)
    except _SAVE_ERRORS as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        _drop_quietly(exc)
        raise OutputError(f"无法生成工作簿：临时文件写入失败（{reason}），磁盘可能已满",
                          f"cannot build the workbook: writing its temporary files failed ({reason}); the disk may be full") from None
    return buffer.getvalue()


def _drop_quietly(exc: BaseException) -> None:
    """Free a failed save's frames now, silencing what they raise on the way out: openpyxl leaves a
    sheet writer whose close fails again when collected ("Exception ignored … IO_EFBIG" on stderr)."""
    import gc
    import sys

    previous = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        exc.__traceback__ = None
        gc.collect()
    finally:
        sys.unraisablehook = previous


def _save_errors() -> tuple[type[BaseException], ...]:
    """What openpyxl's save raises when its temporary files cannot be written (lxml reports it its own way)."""
    try:
        from lxml.etree import SerialisationError
    except ImportError:
        return (OSError,)
    return (OSError, SerialisationError)


_SAVE_ERRORS = _save_errors()


def write_xlsx(rec: Recommendation, path: Path | str, *, force: bool = False) -> Path:
    """The workbook at ``path`` (see :func:`quota_opt.safeio.write_output`)."""
    return write_output(path, xlsx_bytes(rec), force=force)


def export_format(path: Path | str) -> str:
    """``xlsx`` or ``csv`` by the file's suffix; any other suffix is an :class:`InputError`."""
    suffix = Path(path).suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        raise InputError(f"输出文件应以 .xlsx 或 .csv 结尾：{path}", f"the output file must end in .xlsx or .csv: {path}")
    return suffix[1:]


def export_bytes(rec: Recommendation, path: Path | str) -> bytes:
    """``rec`` as the bytes of an .xlsx or a .csv file, chosen by the suffix of ``path``."""
    return xlsx_bytes(rec) if export_format(path) == "xlsx" else csv_bytes(rec)


def export(rec: Recommendation, path: Path | str, *, force: bool = False) -> Path:
    """Write ``rec`` as .xlsx or .csv, chosen by the file's suffix, through
    :func:`quota_opt.safeio.write_output` (atomic; an existing file only with ``force``)."""
    return write_output(path, export_bytes(rec, path), force=force)


__all__ = ["PANEL_SHEET", "SHEETS", "SIGN_OFF_LINES", "SUMMARY_COLUMNS", "print_ready", "csv_bytes", "export", "export_bytes", "export_format", "neutralise", "run_info_rows", "summary_headers", "workbook",
           "write_csv", "write_xlsx", "xlsx_bytes"]
