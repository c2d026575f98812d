"""The blank panel template (``quota-opt template OUT.xlsx --panel``): both forms of score sheet and
the tables that go with them, in one workbook that :func:`quota_opt.panel.read_panel` reads as it is.

Sheets: 评分（长表） (long form: 专家编号, 项目编号, 评分项, 得分), E01 (wide form, one sheet per
expert: copy it and rename it after each expert), 专家名单, 回避, 评分标准, 填写说明. A sheet left
empty is skipped with a warning, so a department fills the form it uses and leaves the other.
"""

from __future__ import annotations

from ..columns import PANEL_COLUMNS_BY_NAME as C

LONG_SHEET = "评分（长表）"
WIDE_SHEET = "E01"
HELP_SHEET = "填写说明"

SHEETS: tuple[tuple[str, tuple[str, ...], str | None], ...] = (
    (LONG_SHEET, (C["expert_id"].zh, C["project_id"].zh, C["item"].zh, C["score"].zh), None),
    (WIDE_SHEET, (C["project_id"].zh, "项目名称", C["score"].zh), f"{C['expert_id'].zh}：E01"),
    ("专家名单", (C["expert_id"].zh, C["expert_name"].zh, C["employer"].zh, C["group"].zh), None),
    ("回避", (C["expert_id"].zh, C["project_id"].zh, C["recusal_reason"].zh), None),
    ("评分标准", (C["item"].zh, C["max_score"].zh), None),
)

NOTES = (
    ("两种格式任选其一：长表每行一条评分（专家编号、项目编号、得分，可加评分项）；宽表每位专家一个工作表"
     "（工作表名或表头上方的“专家编号：编号”即专家），每行一个项目，列为得分或各评分项。",
     "Use either form: the long form has one row per score (expert, project, score, optionally an item); the wide "
     "form has one sheet per expert (named by the sheet or by a '专家编号：ID' cell above the header), a row per "
     "project, and a total or the items as columns."),
    ("有评分项时，专家对项目的得分为各评分项之和；“评分标准”表给出每项满分，无评分标准时总分范围为0-100。",
     "With items, an expert's score for a project is the sum of its items; the 评分标准 sheet gives each item's "
     "maximum; without one a total runs 0-100."),
    ("专家名单中工作单位与申报单位相同、或所属集团与项目所属集团相同的评分自动回避（不计入）；回避表中列出的专家与项目也回避。",
     "A score by an expert whose 工作单位 is the applicant, or whose 所属集团 is the project's group, is excluded "
     "(回避), as are pairs listed in the 回避 sheet."),
    ("未评分的单元格留空即可；不使用的工作表保持为空。",
     "Leave a cell empty where the expert did not score; leave unused sheets empty."),
    ("检查命令 / to check: quota-opt panel 评分表.xlsx --pool 候选项目.xlsx", ""),
)


def panel_template_workbook():
    """The blank panel template as an openpyxl Workbook."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for name, headers, above in SHEETS:
        ws = wb.create_sheet(name)
        if above:
            ws.append([above])
            ws.cell(1, 1).font = Font(bold=True)
        ws.append(list(headers))
        row = ws.max_row
        for j in range(1, len(headers) + 1):
            cell = ws.cell(row, j)
            cell.font = Font(bold=True)
            cell.fill = fill
            ws.column_dimensions[cell.column_letter].width = 18
        for r in range(row + 1, row + 501):  # ids stay text: leading zeros survive
            for j, h in enumerate(headers, start=1):
                if h in (C["expert_id"].zh, C["project_id"].zh):
                    ws.cell(r, j).number_format = "@"
        ws.freeze_panes = ws.cell(row + 1, 1)
    help_ws = wb.create_sheet(HELP_SHEET)
    help_ws.append(["说明", "Notes"])
    for zh, en in NOTES:
        help_ws.append([zh, en] if en else [zh])
    help_ws.column_dimensions["A"].width = 70
    help_ws.column_dimensions["B"].width = 70
    for row in help_ws.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return wb


__all__ = ["HELP_SHEET", "LONG_SHEET", "WIDE_SHEET", "panel_template_workbook"]
