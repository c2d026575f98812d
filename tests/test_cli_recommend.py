"""The `quota-opt recommend` contract: options, exit codes (0 optimal, 1 infeasible, 2 bad input), JSON keys."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from quota_opt.cli import main
from quota_opt.samples import sample_path
from cli_helpers import run_cli

POOL = str(sample_path("sichuan_excellent_2025"))
BASE = [POOL, "--unit", "四川", "--level", "excellent", "--year", "2025"]
KEYS = {"unit", "level", "year", "quota", "status", "objective", "selected", "not_selected", "ineligible", "invalid",
        "explanation"}


def run(capsys, *args):
    return run_cli(capsys, "recommend", *args)


def test_json_contract_on_the_sample_pool(capsys):
    code, out, _ = run(capsys, *BASE, "--json", "-")
    doc = json.loads(out)
    assert code == 0 and KEYS <= set(doc)
    assert doc["status"] == "optimal" and doc["quota"] == 40 and len(doc["selected"]) == 40
    assert [s["rank"] for s in doc["selected"]] == list(range(1, 41))
    scores = [s["score"] for s in doc["selected"]]
    assert scores == sorted(scores, reverse=True)
    assert abs(doc["objective"] - sum(scores)) < 1e-6
    assert all({"project_id", "score", "reason"} <= set(r) for r in doc["not_selected"])
    assert all({"project_id", "failed_rules"} <= set(r) and r["failed_rules"] for r in doc["ineligible"])
    assert len(doc["selected"]) + len(doc["not_selected"]) + len(doc["ineligible"]) + len(doc["invalid"]) == 120


def test_infeasible_exits_1_with_an_explanation(capsys, tmp_path):
    scenario = tmp_path / "s.toml"
    scenario.write_text("[constraints]\nmin_per_city = 4\n", encoding="utf-8")
    code, out, _ = run(capsys, *BASE, "--scenario", str(scenario), "--json", "-")
    doc = json.loads(out)
    assert code == 1 and doc["status"] == "infeasible" and doc["selected"] == []
    assert doc["explanation"] and any("min_per_city" in " ".join(e["rules"]) for e in doc["explanation"])
    # the printed explanation says each rule in words; its row name stays a JSON value only
    assert not any("min_per_city" in e["zh"] + e["en"] for e in doc["explanation"])
    code, out, _ = run(capsys, *BASE, "--scenario", str(scenario))
    assert code == 1 and "规则“城市“雅安市”至少推荐 4 个”无法满足" in out
    assert 'the rule "at least 4 from city 雅安市" cannot hold' in out and "min_per_city" not in out


@pytest.mark.parametrize(
    "extra,needle",
    [
        (["--unit", "XPCC", "--level", "leading"], "--quota"),  # the 2025 notice sets the Corps no leading quota
        (["--unit", "深圳"], "广东省"),
        (["--year", "2024", "--level", "leading"], "leading"),
    ],
)
def test_units_without_a_quota_of_their_own_exit_2(capsys, extra, needle):
    args = list(BASE)
    for key, value in zip(extra[::2], extra[1::2]):
        args[args.index(key) + 1] = value
    code, _, err = run(capsys, *args)
    assert code == 2 and needle in err and "Traceback" not in err


def test_include_naming_an_unknown_project_exits_2(capsys, tmp_path):
    scenario = tmp_path / "s.toml"
    scenario.write_text('[constraints]\ninclude = ["NOPE-1"]\n', encoding="utf-8")
    code, _, err = run(capsys, *BASE, "--scenario", str(scenario))
    assert code == 2 and "NOPE-1" in err


def test_quota_override_and_exports(capsys, tmp_path):
    xlsx, csv = tmp_path / "out.xlsx", tmp_path / "out.csv"
    code, _, _ = run(capsys, *BASE, "--quota", "7", "--out", str(xlsx))
    assert code == 0
    ws = load_workbook(xlsx).worksheets[0]
    assert ws.title == "推荐汇总表"
    code, _, _ = run(capsys, *BASE, "--quota", "7", "--out", str(csv))
    lines = csv.read_text(encoding="utf-8-sig").strip().splitlines()
    assert code == 0 and len(lines) >= 8


def test_save_then_list(capsys, tmp_path):
    db = tmp_path / "runs.sqlite3"
    code, _, _ = run(capsys, *BASE, "--save", "baseline", "--db", str(db))
    assert code == 0
    assert main(["scenarios", "list", "--db", str(db), "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in listed] == ["baseline"]


def test_no_export_holds_a_folder_of_the_machine_that_made_it(tmp_path):
    """The reference data file is named by its name only, also as the source of a figure that gives none."""
    import csv
    import io
    import shutil

    from cli_helpers import run_script
    from quota_opt.refdata import DEFAULT_DATA_DIR

    folder = tmp_path / "本机目录_secret"
    shutil.copytree(DEFAULT_DATA_DIR, folder, ignore=shutil.ignore_patterns("samples"))
    data = folder / "industrial_value_2024.csv"
    rows = list(csv.DictReader(io.StringIO(data.read_text(encoding="utf-8"))))
    for row in rows:
        if row["province"] == "四川省":
            row["source"] = row["citation_zh"] = row["citation_en"] = ""  # so the figure is sourced to the file
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    data.write_text(out.getvalue(), encoding="utf-8")
    done = run_script("recommend", *BASE, "--data-dir", folder, "--json", tmp_path / "r.json", "--out", tmp_path / "r.xlsx",
                      cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    doc = (tmp_path / "r.json").read_text(encoding="utf-8")
    basis = json.loads(doc)["quota_basis"]
    assert "secret" not in doc and basis["reference_file"].startswith("industrial_value_2024.csv")
    assert "industrial_value_2024.csv" in basis["basis_zh"]  # the figure's source: the file, by its name
    cells = [str(c) for ws in load_workbook(tmp_path / "r.xlsx") for row in ws.iter_rows(values_only=True) for c in row]
    assert not any("secret" in c for c in cells)
    info = {row[0]: str(row[1]) for row in load_workbook(tmp_path / "r.xlsx")["运行信息"].iter_rows(values_only=True)}
    assert info["参考数据文件 / reference data file"].startswith("industrial_value_2024.csv")
