"""The `quota-opt quota` contract: options, exit codes and JSON keys."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cli_helpers import run_cli

KEYS = {"unit", "unit_type", "year", "level", "quota", "status", "via", "basis_zh", "basis_en", "warnings"}


def test_json_lists_every_unit_with_quota_via_or_undetermined(capsys):
    code, out, _ = run_cli(capsys, "quota", "--year", "2025", "--level", "excellent", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 38
    for row in rows:
        assert KEYS <= set(row)
        assert row["status"] in {"ok", "via", "undetermined"}
        assert (row["quota"] is None) == (row["status"] != "ok")
        assert row["basis_zh"] and row["basis_en"]
    assert {r["unit_type"] for r in rows} == {"province", "corps", "central_enterprise", "planned_city"}


def test_json_with_unit_is_a_one_element_list(capsys):
    code, out, _ = run_cli(capsys, "quota", "--year", "2025", "--level", "excellent", "--unit", "Sichuan", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 1 and rows[0]["unit"] == "四川省" and rows[0]["quota"] == 40


def test_quota_override(capsys):
    code, out, _ = run_cli(capsys, "quota", "--year", "2025", "--level", "excellent", "--unit", "上海", "--quota", "22",
                       "--reason", "省厅 2025-10-12 函", "--format", "json")
    row = json.loads(out)[0]
    assert code == 0 and row["quota"] == 22 and row["status"] == "override"
    assert row["override_reason"] == "省厅 2025-10-12 函" and "省厅 2025-10-12 函" in row["basis_zh"]


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_quota_override_requires_a_reason(capsys, reason):
    """Issue 9 §4: `quota --quota N` without --reason is exit 2 with a bilingual line (as the app asks for one)."""
    extra = [] if reason is None else ["--reason", reason]
    code, out, err = run_cli(capsys, "quota", "--year", "2025", "--level", "excellent", "--unit", "上海", "--quota", "22",
                             *extra)
    assert code == 2 and out == "" and "--reason" in err and " / Error: " in err and "Traceback" not in err


def test_quota_override_reason_shown_in_the_table_output(capsys):
    code, out, _ = run_cli(capsys, "quota", "--year", "2025", "--level", "excellent", "--unit", "上海", "--quota", "22",
                           "--reason", "省厅来函调整")
    assert code == 0 and "理由：省厅来函调整" in out and "reason: 省厅来函调整" in out


@pytest.mark.parametrize(
    "args",
    [
        ["--year", "2025", "--level", "excellent", "--unit", "Atlantis"],
        ["--year", "2019", "--level", "excellent"],
        ["--year", "2025", "--level", "gold"],
        ["--year", "2024", "--level", "leading"],
        ["--year", "2025", "--level", "excellent", "--quota", "3"],
        ["--year", "2025", "--level", "excellent", "--data-dir", "/nonexistent/dir"],
        ["--year", "2025", "--level", "excellent", "--quota", "-1", "--unit", "上海"],
        ["--level", "excellent"],
    ],
)
def test_bad_input_exits_2_with_a_bilingual_line_and_no_traceback(capsys, args):
    code, out, err = run_cli(capsys, "quota", *args)
    assert code == 2
    assert "错误" in err and "Error" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_data_dir_with_unreadable_number_exits_2(capsys, tmp_path):
    (tmp_path / "industrial_value_2024.csv").write_text("province,industrial_value\n四川,一万\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "quota", "--year", "2025", "--level", "excellent", "--data-dir", str(tmp_path))
    assert code == 2 and "一万" in err


def test_console_script_module_entry_point():
    proc = subprocess.run([sys.executable, "-m", "quota_opt", "quota", "--year", "2024", "--level", "excellent",
                           "--unit", "XPCC", "--format", "csv"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and "新疆生产建设兵团" in proc.stdout
