"""What the installed console script does with odd and hostile candidate files: exit 2 and one bilingual
line naming the problem, never a traceback (run as a subprocess, as a user runs it)."""

from __future__ import annotations

import json

import pytest

from candidate_factory import csv_with_headers, make_rows
from cli_helpers import run_script
from hostile_files import BILLION_LAUGHS, HEADER, declare_size, good_sheet, inline_row, sheet_xml, workbook
from quota_opt.columns import CANDIDATE_COLUMNS

POOL_ARGS = ["--unit", "四川省", "--level", "excellent", "--year", "2025"]


def assert_one_line_error(proc, *needles):
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and " / Error: " in lines[0], proc.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


@pytest.fixture(scope="module")
def doubled(tmp_path_factory):
    """A pool whose project id is given twice: as 项目编号 (column A) and as "Project ID" (column Y)."""
    path = tmp_path_factory.mktemp("dup") / "pool.csv"
    headers = [(c.name, c.zh) for c in CANDIDATE_COLUMNS] + [("project_id", "Project ID")]
    path.write_bytes(csv_with_headers(make_rows(5), headers))
    return path


def test_a_duplicated_column_header_fails_validate_naming_both_columns(doubled):
    proc = run_script("validate", doubled, "--format", "json")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    doc = json.loads(proc.stdout)
    dupes = [p for p in doc["problems"] if p["code"] == "duplicate_column"]
    assert len(dupes) == 1 and dupes[0]["row"] == 1 and dupes[0]["column"] == "Project ID"
    assert "A列" in dupes[0]["message_zh"] and "Y列" in dupes[0]["message_zh"] and "项目编号" in dupes[0]["message_zh"]


def test_a_duplicated_column_header_fails_recommend_naming_both_columns(doubled):
    proc = run_script("recommend", doubled, *POOL_ARGS, "--json", "-")
    assert_one_line_error(proc, "Project ID", "项目编号", "A列", "Y列", "column A", "column Y")
    assert proc.stdout == ""


@pytest.mark.parametrize("what,sheet", [
    ("cut sheet XML", good_sheet(50)[:-200]),
    ("an entity bomb", BILLION_LAUGHS),
])
@pytest.mark.parametrize("command", ["validate", "recommend"])
def test_a_damaged_workbook_is_not_a_readable_workbook_exit_2(tmp_path, what, sheet, command):
    path = tmp_path / "坏表.xlsx"
    path.write_bytes(workbook([("s", sheet, "visible")]))
    extra = POOL_ARGS if command == "recommend" else []
    assert_one_line_error(run_script(command, path, *extra), "坏表.xlsx", "不是可读取的工作簿", "not a readable workbook")


def test_a_cell_past_the_limit_exits_2_naming_the_limit(tmp_path):
    from quota_opt.limits import MAX_CELL_CHARS

    path = tmp_path / "长.xlsx"
    path.write_bytes(workbook([("s", sheet_xml(inline_row(1, HEADER) + inline_row(2, ["T", "x" * 50_000, "y"])), "visible")]))
    assert_one_line_error(run_script("validate", path), f"{MAX_CELL_CHARS:,}", "第2行B列", "row 2, column B")


def test_a_declared_expansion_past_the_limit_exits_2_naming_the_limit(tmp_path):
    path = tmp_path / "炸弹.xlsx"
    path.write_bytes(declare_size(workbook(), "xl/worksheets/sheet1.xml", 1 << 30))
    assert_one_line_error(run_script("validate", path), "MB", "expands to more than")


def test_a_csv_past_the_column_limit_exits_2_naming_the_limit(tmp_path):
    path = tmp_path / "宽.csv"
    path.write_bytes(("项目编号,项目名称,所在省份\r\nT,x,y" + ",1" * 300 + "\r\n").encode())
    assert_one_line_error(run_script("validate", path), "200", "第2行")


def test_a_scenario_nested_100000_deep_exits_2_as_a_bad_scenario_file(tmp_path):
    pool = tmp_path / "pool.csv"
    pool.write_bytes(csv_with_headers(make_rows(3), [(c.name, c.zh) for c in CANDIDATE_COLUMNS]))
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert_one_line_error(run_script("recommend", pool, *POOL_ARGS, "--scenario", deep), "deep.toml", "nested too deeply")


def test_an_ahp_entry_of_1e400_exits_2_naming_the_entry(tmp_path):
    pool = tmp_path / "pool.csv"
    pool.write_bytes(csv_with_headers(make_rows(3), [(c.name, c.zh) for c in CANDIDATE_COLUMNS]))
    ahp = tmp_path / "ahp.toml"
    ahp.write_text('[scoring]\nweights_method = "ahp"\n[scoring.ahp]\ncriteria = ["expert_score", "investment"]\n'
                   'matrix = [[1, "1e400"], ["1e-400", 1]]\n', encoding="utf-8")
    assert_one_line_error(run_script("recommend", pool, *POOL_ARGS, "--scenario", ahp), "matrix[1][2]", "1e400")


def test_weights_of_1e308_and_a_criterion_of_plus_minus_1e308_recommend_correctly(tmp_path):
    rows = make_rows(3)
    for row, value in zip(rows, ["-1e308", "1e308", "0"]):
        row["patents"] = value
    pool = tmp_path / "pool.csv"
    pool.write_bytes(csv_with_headers(rows, [(c.name, c.zh) for c in CANDIDATE_COLUMNS] + [("patents", "发明专利数")]))
    scenario = tmp_path / "s.toml"
    scenario.write_text('[weights]\n"发明专利数" = 1e308\nexpert_score = 0\n', encoding="utf-8")
    proc = run_script("recommend", pool, *POOL_ARGS, "--quota", "2", "--scenario", scenario, "--json", "-")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert [(s["project_id"], s["score"]) for s in doc["selected"]] == [("T-002", 100.0), ("T-003", 50.0)]


NOTES = "填表说明：金额单位为万元\r\n合计,,,,,,,,,,,,,,,,,,,,,,,1234567\r\n,,,,,张三\r\n"


@pytest.fixture(scope="module")
def with_notes(tmp_path_factory):
    path = tmp_path_factory.mktemp("notes") / "汇总.csv"
    path.write_bytes(csv_with_headers(make_rows(4), [(c.name, c.zh) for c in CANDIDATE_COLUMNS]) + NOTES.encode())
    return path


def test_validate_sets_notes_below_the_data_aside_with_a_line_saying_so(with_notes):
    proc = run_script("validate", with_notes)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "第6、7、8行位于数据下方，是说明" in proc.stdout and "rows 6, 7, 8 below the data are notes" in proc.stdout
    assert "数据下方的说明行" in proc.stdout and "无效0行" in proc.stdout
    doc = json.loads(run_script("validate", with_notes, "--format", "json").stdout)
    assert doc["valid"] is True and doc["invalid_rows"] == [] and doc["rows"] == 4
    assert [n["row"] for n in doc["notes"]] == [6, 7, 8] and doc["notes"][0]["text"] == "填表说明：金额单位为万元"
    assert [p["row"] for p in doc["problems"] if p["code"] == "note_row"] == [6, 7, 8]


def test_recommend_says_which_rows_were_notes_in_its_warnings(with_notes):
    proc = run_script("recommend", with_notes, *POOL_ARGS, "--json", "-")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["invalid"] == [] and len(doc["selected"]) + len(doc["not_selected"]) == 4
    assert any("第6、7、8行" in w and "notes" in w for w in doc["warnings"])
