"""The blank candidate template: an .xlsx with the Chinese headers, drop-down lists and a sheet explaining every column.

Sheet 1 "候选项目" has one header row (required columns highlighted) and drop-downs for the
enumerations (level, rating, maturity, the five stages as 是/否, province); the id and credit
code columns are text cells so leading zeros survive. Sheet 2 "填写说明" explains every column
in Chinese and English: type, rule, required or not, an example. A hidden sheet "选项" holds the
lists the drop-downs read. Everything comes from the contract in :mod:`quota_opt.columns`.
"""

from __future__ import annotations

from pathlib import Path

from .columns import CANDIDATE_COLUMNS, NUMBER_SUFFIXES, Column, Level, Rating
from .errors import InputError
from .units import CORPS, PROVINCE_NAMES
from .safeio import check_target, write_output
from .xlsx import workbook_bytes

DATA_SHEET = "候选项目"
HELP_SHEET = "填写说明"
LISTS_SHEET = "选项"
TEMPLATE_ROWS = 1000  # rows the drop-downs and text formats cover

YES_NO = ("是", "否")
MATURITY_CHOICES = ("一级", "二级", "三级", "四级", "五级")

KIND_LABELS: dict[str, tuple[str, str]] = {
    "id": ("文本（编号）", "text (identifier)"),
    "text": ("文本", "text"),
    "credit_code": ("18位代码", "18-character code"),
    "province": ("省份（下拉选择）", "province (drop-down)"),
    "level": ("层级（下拉选择）", "level (drop-down)"),
    "rating": ("层级（下拉选择）", "rating (drop-down)"),
    "maturity": ("整数1~5（下拉选择）", "whole number 1-5 (drop-down)"),
    "yesno": ("是/否（下拉选择）", "yes/no (drop-down)"),
    "percent": ("百分数", "percentage"),
    "number": ("数字", "number"),
}

EXAMPLES: dict[str, str] = {
    "project_id": "SC-001",
    "project_name": "某某新能源汽车电驱系统智能工厂",
    "enterprise": "某某汽车有限公司",
    "credit_code": "914403001922038216",
    "province": "四川省",
    "city": "成都市",
    "industry": "汽车制造业",
    "group": "某某汽车集团有限公司",
    "level": "卓越级",
    "current_rating": "先进级",
    "maturity_level": "三级",
    "ai_scenario_share": "35%",
    "expert_score": "86.5",
    "efficiency_gain": "22.3",
    "cost_reduction": "18",
    "defect_reduction": "38",
    "rd_cycle_reduction": "28.4",
    "energy_reduction": "15",
    "investment": "35000",
}


def _rule_text(col: Column) -> tuple[str, str]:
    """What a valid cell of ``col`` looks like, in Chinese and English."""
    kind = col.kind
    if kind == "id":
        return "每个项目唯一；按文本保存，保留前导零", "unique per project; kept as text (leading zeros kept)"
    if kind == "credit_code":
        return ("可空；填写时须为18位且校验位正确（GB 32100-2015）",
                "may be empty; when given, 18 characters with a valid check character (GB 32100-2015)")
    if kind == "province":
        return ("省份全称、简称或英文名均可；兵团项目填“新疆生产建设兵团”；计划单列市项目填其所在省，城市填在“所在城市”",
                "any name of a province (full, short, English); the Corps' projects: 新疆生产建设兵团; a planned "
                "city's projects: its province here, the city in the city column")
    if kind == "level":
        return "卓越级 或 领航级（也可写 excellent / leading）", "卓越级 (excellent) or 领航级 (leading)"
    if kind == "rating":
        return ("无、基础级、先进级、卓越级（顺序 无 < 基础级 < 先进级 < 卓越级）",
                "无 none, 基础级 basic, 先进级 advanced, 卓越级 excellent (ordered none < basic < advanced < excellent)")
    if kind == "maturity":
        return "1~5的整数；“三级”“3级”“3”均可", "a whole number 1-5; 三级, 3级 and 3 all read as 3"
    if kind == "yesno":
        return "是/否（也可写 1/0、Y/N、√/×）", "yes or no (是/否, 1/0, Y/N, true/false, √/×)"
    if kind in ("percent", "number"):
        lo, hi = col.min_value, col.max_value
        unit = "%" if kind == "percent" else ""
        if hi is not None:
            zh, en = f"{lo:g}~{hi:g}{unit}", f"{lo:g}-{hi:g}{unit}"
        elif lo is not None:
            zh, en = f"不小于{lo:g}{unit}", f"{lo:g}{unit} or more"
        else:
            zh, en = "任意数值", "any number"
        if kind == "percent":
            zh += "；“35%”与“35”均读作35"
            en += '; "35%" and "35" both read as 35'
        suffixes = NUMBER_SUFFIXES.get(col.name)
        if suffixes:
            zh += f"；可带单位“{suffixes[0]}”"
            en += f"; the unit '{suffixes[0]}' may follow the number"
        zh += "；可用千位分隔符"
        en += "; thousands separators allowed"
        return zh, en
    return "任意文本", "any text"


def template_workbook():
    """The blank template as an openpyxl Workbook."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    required_fill = PatternFill("solid", fgColor="F8CBAD")
    optional_fill = PatternFill("solid", fgColor="DDEBF7")

    lists = wb.create_sheet(LISTS_SHEET)
    choices = {
        "level": [lv.zh for lv in Level],
        "rating": [r.zh for r in Rating],
        "maturity": list(MATURITY_CHOICES),
        "yesno": list(YES_NO),
        "province": [*PROVINCE_NAMES, CORPS.name],
    }
    ranges: dict[str, str] = {}
    for j, (kind, values) in enumerate(choices.items(), start=1):
        letter = get_column_letter(j)
        lists.cell(1, j, kind)
        for i, value in enumerate(values, start=2):
            lists.cell(i, j, value)
        ranges[kind] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
    lists.sheet_state = "hidden"

    last = TEMPLATE_ROWS + 1
    for j, col in enumerate(CANDIDATE_COLUMNS, start=1):
        letter = get_column_letter(j)
        cell = ws.cell(1, j, col.zh)
        cell.font = Font(bold=True)
        cell.fill = required_fill if col.required else optional_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[letter].width = max(10, min(28, 2 * len(col.zh) + 2))
        area = f"{letter}2:{letter}{last}"
        rule_zh, rule_en = _rule_text(col)
        if col.kind in choices:
            dv = DataValidation(type="list", formula1=ranges[col.kind], allow_blank=not col.required)
        elif col.kind in ("percent", "number") and col.min_value is not None:
            if col.max_value is not None:
                dv = DataValidation(type="decimal", operator="between", formula1=f"{col.min_value:g}",
                                    formula2=f"{col.max_value:g}", allow_blank=True)
            else:
                dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1=f"{col.min_value:g}",
                                    allow_blank=True)
        else:
            dv = None
        if dv is not None:
            # A warning, not a stop: officials may type an accepted alias ("3", "先进") the list lacks.
            dv.errorStyle = "warning"
            dv.showErrorMessage = True
            dv.error = rule_zh[:255]
            dv.errorTitle = col.zh[:32]
            dv.showInputMessage = True
            dv.prompt = rule_zh[:255]
            dv.promptTitle = col.zh[:32]
            ws.add_data_validation(dv)
            dv.add(area)
        if col.kind in ("id", "credit_code"):
            for row in range(2, last + 1):
                ws.cell(row, j).number_format = "@"
    ws.freeze_panes = "B2"
    ws.row_dimensions[1].height = 32

    help_ws = wb.create_sheet(HELP_SHEET, 1)
    help_ws.append(["列名（中文表头）", "Column (English)", "类型", "Type", "规则", "Rule", "必填 Required", "示例 Example"])
    for cell in help_ws[1]:
        cell.font = Font(bold=True)
        cell.fill = optional_fill
    for col in CANDIDATE_COLUMNS:
        type_zh, type_en = KIND_LABELS[col.kind]
        rule_zh, rule_en = _rule_text(col)
        help_ws.append([
            col.zh, col.name, type_zh, type_en, rule_zh, rule_en,
            "必填 required" if col.required else "选填 optional", EXAMPLES.get(col.name, ""),
        ])
    help_ws.append([])
    help_ws.append(["说明 Notes"])
    notes = [
        ("表头可用中文或英文列名，列的顺序不限；表头上方可有一行标题。",
         "Headers may be the Chinese or the English names, in any order; a title row above the header is allowed."),
        ("模板以外的数值列会被保留，可在评分时作为指标使用（例如“发明专利数”）；其他多余列会被忽略并提示。",
         "A further numeric column is kept and may be used as a scoring criterion (e.g. 发明专利数); other extra columns are ignored, with a warning."),
        ("整行为空的行会被跳过并计数；有错误的行会逐条列出，不会被静默丢弃。",
         "Wholly empty rows are skipped and counted; rows with errors are listed one by one, never dropped silently."),
        ("可另存为 CSV（UTF-8 或 GBK 均可）或直接提交本 .xlsx 文件。",
         "Save as CSV (UTF-8 or GBK) or use this .xlsx as it is."),
        ("校验命令 / to check a file: quota-opt validate 文件.xlsx --unit 四川省 --level excellent --year 2025",
         ""),
    ]
    for zh, en in notes:
        help_ws.append([zh, en] if en else [zh])
    widths = [22, 28, 16, 22, 60, 60, 16, 28]
    for j, width in enumerate(widths, start=1):
        help_ws.column_dimensions[get_column_letter(j)].width = width
    for row in help_ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    help_ws.freeze_panes = "A2"
    return wb


def _workbook(panel: bool):
    if panel:
        from .panel.template import panel_template_workbook

        return panel_template_workbook()
    return template_workbook()


def template_bytes(panel: bool = False) -> bytes:
    """The blank template (``panel``: the expert panel's) as .xlsx bytes (reproducible), e.g. for a download button."""
    return workbook_bytes(_workbook(panel))


def write_template(path: str | Path, overwrite: bool = False, panel: bool = False) -> Path:
    """Write the blank template (``panel``: the expert panel's score sheets, both forms, with the experts,
    回避 and scheme sheets) to ``path`` (.xlsx) through :func:`quota_opt.safeio.write_output` (atomic, never
    through a link); an existing file is kept unless ``overwrite``."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"模板文件名应以 .xlsx 结尾：{path}", f"the template's file name must end in .xlsx: {path}")
    check_target(path, force=overwrite)  # refused before the workbook is built
    return write_output(path, template_bytes(panel), force=overwrite)


__all__ = ["template_workbook", "template_bytes", "write_template", "DATA_SHEET", "HELP_SHEET", "LISTS_SHEET"]
