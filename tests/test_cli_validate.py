"""The `quota-opt validate` contract: JSON keys, exit codes, and no traceback for any file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from candidate_factory import csv_bytes, make_rows
from quota_opt.cli import COMMANDS
from quota_opt.columns import CANDIDATE_COLUMNS
from quota_opt.cli import validate_cmd
from quota_opt.samples import sample_path
from cli_helpers import run_cli

REPO = Path(__file__).resolve().parent.parent


def test_validate_is_registered():
    assert validate_cmd in COMMANDS


def test_json_of_a_valid_sample_with_eligibility(capsys):
    code, out, err = run_cli(capsys, "validate", sample_path("shandong_leading_2025"), "--unit", "Shandong",
                         "--level", "领航级", "--year", "2025", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and err == ""
    assert {"valid", "rows", "problems", "eligibility"} <= set(doc)
    assert doc["valid"] is True and doc["rows"] == 12 and doc["problems"] == []
    assert len(doc["eligibility"]) == 12
    for entry in doc["eligibility"]:
        assert {"project_id", "eligible", "failed_rules", "warnings", "messages"} <= set(entry)
        assert entry["eligible"] is (entry["failed_rules"] == [])
    by_id = {e["project_id"]: e for e in doc["eligibility"]}
    assert by_id["SD-005"]["failed_rules"] == ["E2025-L-rating"] and by_id["SD-005"]["messages"]
    assert doc["unit"] == "山东省" and doc["eligible_count"] == 8


def test_json_problems_carry_row_column_value_severity_and_both_messages(tmp_path, capsys):
    rows = make_rows(3)
    rows[1]["maturity_level"] = "七级"
    path = tmp_path / "pool.csv"
    path.write_bytes(csv_bytes(rows))
    code, out, _ = run_cli(capsys, "validate", path, "--format", "json")
    doc = json.loads(out)
    assert code == 2 and doc["valid"] is False and doc["rows"] == 3 and doc["eligibility"] == []
    (problem,) = doc["problems"]
    assert {k: problem[k] for k in ("row", "column", "value", "severity")} == {
        "row": 3, "column": "智能制造能力成熟度等级", "value": "七级", "severity": "error"}
    assert "第3行" in problem["message_zh"] and "row 3" in problem["message_en"]
    assert doc["invalid_rows"] == [3] and doc["valid_rows"] == 2


def test_warnings_alone_exit_0(tmp_path, capsys):
    path = tmp_path / "pool.csv"
    columns = [c.name for c in CANDIDATE_COLUMNS] + ["备注"]
    path.write_bytes(csv_bytes(make_rows(2, 备注="请优先"), columns=columns))
    code, out, _ = run_cli(capsys, "validate", path, "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["valid"] and [p["severity"] for p in doc["problems"]] == ["warning"]


def test_table_format_prints_problems_eligibility_and_summary(tmp_path, capsys):
    rows = make_rows(3)
    rows[0]["province"] = "火星"
    rows[2]["current_rating"] = "基础级"
    path = tmp_path / "pool.csv"
    path.write_bytes(csv_bytes(rows))
    code, out, _ = run_cli(capsys, "validate", path, "--unit", "四川", "--level", "excellent", "--year", "2025")
    assert code == 2
    assert "火星" in out and "unknown_province" not in out and "省份无法识别 / unknown province" in out
    assert "E2025-E-rating" in out and "T-003" in out
    assert "读取3行数据" in out and "3 data rows read" in out


def test_table_format_names_a_missing_column_by_its_header_and_the_json_by_its_name(tmp_path, capsys):
    path = tmp_path / "pool.csv"
    path.write_bytes(csv_bytes(make_rows(2), columns=[c.name for c in CANDIDATE_COLUMNS if c.name != "city"]))
    code, out, _ = run_cli(capsys, "validate", path)
    row = next(line for line in out.splitlines() if "missing required column" in line)
    assert code == 2 and row.split()[:3] == ["1", "所在城市", "(city)"]
    code, out, _ = run_cli(capsys, "validate", path, "--format", "json")
    assert [p["column"] for p in json.loads(out)["problems"] if p["code"] == "missing_column"] == ["city"]


def test_xlsx_sheet_option(tmp_path, capsys):
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active.append(["见第二个工作表"])
    ws = wb.create_sheet("候选项目")
    text = csv_bytes(make_rows(2)).decode()
    import csv as _csv
    import io
    for record in _csv.reader(io.StringIO(text)):
        ws.append(record)
    path = tmp_path / "pool.xlsx"
    wb.save(path)
    code, out, _ = run_cli(capsys, "validate", path, "--sheet", "候选项目", "--format", "json")
    assert code == 0 and json.loads(out)["rows"] == 2 and json.loads(out)["sheet"] == "候选项目"


def _empty_xlsx(path):
    openpyxl.Workbook().save(path)


@pytest.mark.parametrize(
    "name,make,needle",
    [
        ("empty.csv", lambda p: p.write_bytes(b""), "empty"),
        ("binary.csv", lambda p: p.write_bytes(bytes(range(256)) * 8), "binary"),
        ("missing.csv", lambda p: None, "not found"),
        ("norows.xlsx", _empty_xlsx, "no rows"),
        ("header.csv", lambda p: p.write_text("项目编号,项目名称\n", encoding="utf-8"), "no data rows"),
        ("notes.docx", lambda p: p.write_bytes(b"%doc"), "unsupported"),
    ],
)
def test_unreadable_files_exit_2_with_one_bilingual_line(tmp_path, capsys, name, make, needle):
    path = tmp_path / name
    make(path)
    code, out, err = run_cli(capsys, "validate", path, "--format", "json")
    assert code == 2 and out == ""
    assert err.startswith("错误：") and "Error:" in err and needle in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "extra,needle",
    [
        (["--unit", "四川"], "--level --year"),
        (["--unit", "Atlantis", "--level", "excellent", "--year", "2025"], "unknown recommending unit"),
        (["--unit", "山东", "--level", "leading", "--year", "2024"], "leading"),
        (["--unit", "四川", "--level", "gold", "--year", "2025"], "unknown level"),
        (["--unit", "四川", "--level", "excellent", "--year", "1999"], "no notice rules"),
        (["--format", "xml"], "bad arguments"),
    ],
)
def test_bad_options_exit_2(capsys, extra, needle):
    code, _, err = run_cli(capsys, "validate", sample_path("sichuan_excellent_2025"), *extra)
    assert code == 2 and needle in err


def test_no_traceback_from_the_real_process(tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    for target in (junk, tmp_path / "nope.csv"):
        proc = subprocess.run([sys.executable, "-m", "quota_opt", "validate", str(target)], cwd=REPO,
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr and "错误" in proc.stderr
