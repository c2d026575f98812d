"""Seeded factory of candidate rows for tests: ``make_rows(n, seed=..., **overrides)`` and file writers.

Rows are dicts of canonical column name -> cell text, as a user would type them; by default every
row is valid and eligible for 四川省, excellent level, 2025.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

from quota_opt.columns import CANDIDATE_COLUMNS, COLUMNS_BY_NAME
from quota_opt.validate import uscc_check_character

HUAWEI_CODE = "914403001922038216"  # 华为技术有限公司, as printed on its business licence


def credit_code(rng: random.Random) -> str:
    first17 = "91510100" + "".join(str(rng.randrange(10)) for _ in range(9))
    return first17 + uscc_check_character(first17)


def base_row(i: int = 1, rng: random.Random | None = None) -> dict[str, str]:
    rng = rng or random.Random(i)
    return {
        "project_id": f"T-{i:03d}",
        "project_name": f"测试项目{i}智能工厂",
        "enterprise": f"测试企业{i}有限公司",
        "credit_code": credit_code(rng),
        "province": "四川省",
        "city": "成都市",
        "industry": "汽车制造业",
        "group": "",
        "level": "卓越级",
        "current_rating": "先进级",
        "maturity_level": "三级",
        "stage_factory_construction": "是",
        "stage_rd_design": "是",
        "stage_production_operations": "是",
        "stage_production_management": "是",
        "stage_operation_management": "是",
        "ai_scenario_share": f"{rng.randint(20, 45)}%",
        "expert_score": f"{rng.randint(70, 95)}",
        "efficiency_gain": "22.3",
        "cost_reduction": "18",
        "defect_reduction": "38",
        "rd_cycle_reduction": "28.4",
        "energy_reduction": "15",
        "investment": "35000",
    }


def make_rows(n: int, seed: int = 42, **overrides: str) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows = [base_row(i + 1, rng) for i in range(n)]
    for row in rows:
        row.update(overrides)
    return rows


def header_of(name: str, headers: str) -> str:
    return COLUMNS_BY_NAME[name].zh if headers == "zh" and name in COLUMNS_BY_NAME else name


def csv_bytes(rows: list[dict[str, str]], headers: str = "zh", encoding: str = "utf-8",
              columns: list[str] | None = None) -> bytes:
    """The rows as a CSV file's bytes, with Chinese ('zh') or English ('en') headers."""
    names = columns or [c.name for c in CANDIDATE_COLUMNS]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([header_of(n, headers) for n in names])
    for row in rows:
        writer.writerow([row.get(n, "") for n in names])
    return buffer.getvalue().encode(encoding)


def csv_with_headers(rows: list[dict[str, str]], headers: list[tuple[str, str]]) -> bytes:
    """CSV bytes whose columns are ``headers``: (key in the rows, header as written) pairs, in order; a key
    may be given twice (one column under two headers)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([h for _, h in headers])
    for row in rows:
        writer.writerow([row.get(name, "") for name, _ in headers])
    return buffer.getvalue().encode()


def write_csv(path: Path, rows: list[dict[str, str]], **kw) -> Path:
    path.write_bytes(csv_bytes(rows, **kw))
    return path


def write_xlsx(path: Path, grid: list[list[object]], sheet: str = "Sheet1", formats: dict | None = None) -> Path:
    """A workbook whose first sheet holds ``grid`` (rows of values); ``formats`` maps (row, col) to a number format."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r, values in enumerate(grid, start=1):
        for c, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(r, c, value)
    for (r, c), fmt in (formats or {}).items():
        ws.cell(r, c).number_format = fmt
    wb.save(path)
    return path
