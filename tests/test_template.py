"""The blank template, read back: headers, drop-downs, the explanation sheet, and a filled row that validates."""

from __future__ import annotations

import openpyxl
import pytest

from quota_opt import InputError
from quota_opt.cli import main
from quota_opt.columns import CANDIDATE_COLUMNS
from quota_opt.load import read_table
from quota_opt.template import DATA_SHEET, HELP_SHEET, LISTS_SHEET, template_bytes, write_template
from quota_opt.units import PROVINCE_NAMES
from quota_opt.validate import validate


@pytest.fixture
def template(tmp_path):
    return write_template(tmp_path / "template.xlsx")


def _validations(ws) -> dict[str, object]:
    """Data validation of each column letter of the data sheet."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            out[rng.coord.split(":")[0].rstrip("0123456789")] = dv
    return out


def _list_values(wb, formula: str) -> list[str]:
    sheet, area = formula.split("!")
    ws = wb[sheet.strip("'")]
    first, last = area.replace("$", "").split(":")
    return [c.value for row in ws[f"{first}:{last}"] for c in row]


def test_data_sheet_has_the_chinese_headers_in_contract_order(template):
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == [DATA_SHEET, HELP_SHEET, LISTS_SHEET]
    assert wb[LISTS_SHEET].sheet_state == "hidden"
    assert [c.value for c in wb[DATA_SHEET][1]] == [c.zh for c in CANDIDATE_COLUMNS]


def test_drop_down_lists_for_every_enumeration(template):
    wb = openpyxl.load_workbook(template)
    validations = _validations(wb[DATA_SHEET])
    letter = {c.name: openpyxl.utils.get_column_letter(i) for i, c in enumerate(CANDIDATE_COLUMNS, start=1)}
    expected = {
        "level": ["卓越级", "领航级"],
        "current_rating": ["无", "基础级", "先进级", "卓越级"],
        "maturity_level": ["一级", "二级", "三级", "四级", "五级"],
        "province": [*PROVINCE_NAMES, "新疆生产建设兵团"],
        **{s: ["是", "否"] for s in ("stage_factory_construction", "stage_rd_design", "stage_production_operations",
                                     "stage_production_management", "stage_operation_management")},
    }
    for name, values in expected.items():
        dv = validations[letter[name]]
        assert dv.type == "list" and _list_values(wb, dv.formula1) == values, name
        assert [r.coord for r in dv.sqref.ranges] == [f"{letter[name]}2:{letter[name]}1001"]
    share = validations[letter["ai_scenario_share"]]
    assert (share.type, share.operator, share.formula1, share.formula2) == ("decimal", "between", "0", "100")
    assert validations[letter["investment"]].operator == "greaterThanOrEqual"
    assert wb[DATA_SHEET]["A2"].number_format == "@"  # ids keep their leading zeros


def test_help_sheet_explains_every_column_in_both_languages(template):
    ws = openpyxl.load_workbook(template)[HELP_SHEET]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_row=len(CANDIDATE_COLUMNS) + 1)]
    assert [r[0] for r in rows] == [c.zh for c in CANDIDATE_COLUMNS]
    assert [r[1] for r in rows] == [c.name for c in CANDIDATE_COLUMNS]
    for row, col in zip(rows, CANDIDATE_COLUMNS):
        assert all(row[2:6]), col.name  # type and rule, Chinese and English
        assert row[6] == ("必填 required" if col.required else "选填 optional")
    credit = rows[[c.name for c in CANDIDATE_COLUMNS].index("credit_code")]
    assert "GB 32100-2015" in credit[4] and "check character" in credit[5]


def test_blank_template_has_no_data_rows_and_a_filled_one_validates(template, tmp_path):
    with pytest.raises(InputError, match="no data rows"):
        read_table(template)
    wb = openpyxl.load_workbook(template)
    ws = wb[DATA_SHEET]
    values = ["007", "甲智能工厂", "甲公司", "914403001922038216", "四川省", "成都市", "汽车制造业", None, "卓越级",
              "先进级", "三级", "是", "是", "是", "是", "是", 35, 88, 22.3, 18, 38, 28.4, 15, 35000]
    for j, value in enumerate(values, start=1):
        ws.cell(2, j, value)
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    result = validate(read_table(filled))
    assert result.valid and result.rows == 1 and result.candidates["project_id"][0] == "007"


def test_template_is_reproducible_and_existing_files_are_kept(template):
    assert template.read_bytes() == template_bytes()
    with pytest.raises(InputError, match="--force"):
        write_template(template)
    write_template(template, overwrite=True)
    with pytest.raises(InputError, match=".xlsx"):
        write_template(template.with_suffix(".csv"))
    with pytest.raises(InputError, match="does not exist"):
        write_template(template.parent / "no" / "t.xlsx")


def test_cli_template(tmp_path, capsys):
    target = tmp_path / "模板.xlsx"
    assert main(["template", str(target)]) == 0 and target.exists()
    assert main(["template", str(target)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["template", str(target), "--force"]) == 0
