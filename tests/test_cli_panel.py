"""The panel's CLI contracts (issue 11), run as the installed console script: ``quota-opt panel --json``
keys and exit codes, ``recommend --panel`` equal to ``recommend`` on the panel's aggregates, the
专家评分汇总 sheet, and ``template --panel``."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

from cli_helpers import run_script
from quota_opt.samples import SAMPLES_DIR

POOL = SAMPLES_DIR / "sichuan_excellent_2025.csv"
PANEL_XLSX = SAMPLES_DIR / "sichuan_excellent_2025_panel.xlsx"
PANEL_LONG = SAMPLES_DIR / "sichuan_excellent_2025_panel_long.csv"
EXPERTS = SAMPLES_DIR / "sichuan_excellent_2025_experts.csv"
RECUSALS = SAMPLES_DIR / "sichuan_excellent_2025_recusals.csv"
UNIT = ("--unit", "四川省", "--level", "excellent", "--year", "2025")
THIN = ("SC-002", "SC-010")  # only two experts' scores kept: set aside


@pytest.fixture(scope="module")
def thin_panel(tmp_path_factory):
    """The sample's long-form panel with only E01 and E02 left on SC-002 and SC-010."""
    path = tmp_path_factory.mktemp("panel") / "panel.csv"
    rows = list(csv.reader(io.StringIO(PANEL_LONG.read_text(encoding="utf-8-sig"))))
    kept = [rows[0]] + [r for r in rows[1:] if r[1] not in THIN or r[0] in ("E01", "E02")]
    path.write_text("\n".join(",".join(r) for r in kept) + "\n", encoding="utf-8")
    return path


def test_panel_json_has_the_contracts_keys(thin_panel):
    done = run_script("panel", thin_panel, "--pool", POOL, "--experts", EXPERTS, "--json", "-")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert {"projects", "experts", "kendall_w", "problems"} <= set(out)
    assert set(out["kendall_w"]) >= {"w", "projects", "chi2", "p_value"}
    for p in out["projects"]:
        assert {"project_id", "valid_scores", "aggregate", "excluded", "range", "flags"} <= set(p)
        assert all(set(x) >= {"expert_id", "reason"} for x in p["excluded"])
    for e in out["experts"]:
        assert {"expert_id", "projects_scored", "leniency", "spearman", "flags"} <= set(e)
    by_id = {p["project_id"]: p for p in out["projects"]}
    assert [by_id[p]["aggregate"] for p in THIN] == [None, None]
    assert all(by_id[p]["valid_scores"] == 2 and "no_panel_score" in by_id[p]["flags"] for p in THIN)
    assert by_id["SC-036"]["excluded"] == [{"expert_id": "E04", "reason": "own_group", "score": 77.8}]
    assert isinstance(by_id["SC-001"]["aggregate"], float)
    # 120 projects less E04's 4 recused, the 5 gaps and the 2 thinned: those every expert scored validly
    assert out["kendall_w"]["projects"] == 120 - 4 - 5 - 2 and 0 < out["kendall_w"]["w"] <= 1
    assert out["set_aside"] == list(THIN)


def test_panel_prints_the_check_without_json():
    done = run_script("panel", PANEL_XLSX, "--pool", POOL, "--experts", EXPERTS, "--recusals", RECUSALS)
    assert done.returncode == 0, done.stderr
    assert "Kendall's W" in done.stdout and "lenient" in done.stdout and "conflicted" in done.stdout
    assert "E04:own_group" in done.stdout


@pytest.mark.parametrize("args", [("missing.csv", "--pool", POOL), (PANEL_LONG, "--pool", "missing.csv"),
                                  (PANEL_LONG, "--pool", POOL, "--experts", "missing.csv"),
                                  (PANEL_LONG, "--pool", POOL, "--min-experts", "0"),
                                  (PANEL_LONG, "--pool", POOL, "--spearman-threshold", "2")])
def test_panel_exits_2_with_one_bilingual_line_on_unreadable_input(args):
    done = run_script("panel", *args)
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and " / " in done.stderr and "Traceback" not in done.stderr


def _recommend(*args) -> dict:
    done = run_script("recommend", *args, *UNIT, "--json", "-")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_recommend_with_a_panel_equals_recommend_on_the_panels_aggregates(thin_panel, tmp_path):
    with_panel = _recommend(POOL, "--panel", thin_panel)
    aggregates = {p["project_id"]: p["aggregate"] for p in json.loads(
        run_script("panel", thin_panel, "--pool", POOL, "--json", "-").stdout)["projects"]}
    text = POOL.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    col = rows[0].index("专家评审得分")
    out = [rows[0]]
    for r in rows[1:]:
        if aggregates[r[0]] is not None:  # the set-aside projects removed
            r[col] = repr(aggregates[r[0]])
            out.append(r)
    scored = tmp_path / "scored.csv"
    with scored.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(out)
    plain = _recommend(scored)

    assert with_panel["selected"] == plain["selected"]
    assert with_panel["not_selected"] == plain["not_selected"]
    assert with_panel["objective"] == pytest.approx(plain["objective"])
    set_aside = [r for r in with_panel["ineligible"] if "panel-min-experts" in r["failed_rules"]]
    assert [r["project_id"] for r in set_aside] == list(THIN)
    others = [r for r in with_panel["ineligible"] if r["project_id"] not in THIN]
    assert [r["project_id"] for r in others] == [r["project_id"] for r in plain["ineligible"]]
    assert with_panel["panel"]["set_aside"] == list(THIN) and with_panel["panel"]["options"]["aggregate"] == "trimmed"
    rules = with_panel["panel_rules"]
    assert rules["rules"] == ["trimmed", "mean", "median"] and rules["picks"]["trimmed"] == [
        r["project_id"] for r in with_panel["selected"]]


def test_recommend_with_a_panel_writes_the_panel_sheet_and_states_the_source(tmp_path):
    out = tmp_path / "rec.xlsx"
    done = run_script("recommend", POOL, *UNIT, "--panel", PANEL_XLSX, "--experts", EXPERTS, "--recusals", RECUSALS,
                      "--aggregate", "median", "--standardise", "--out", out)
    assert done.returncode == 0, done.stderr
    assert "picks under each aggregation rule" in done.stdout and "standardisation on" in done.stdout
    wb = openpyxl.load_workbook(out)
    ws = wb["专家评分汇总"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["项目编号 / project", "项目名称 / name", "专家 E01"] and "中位数" in header[10]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "SC-036")
    assert "回避" in row[header.index("专家 E04")] and "77.8" in row[header.index("专家 E04")]
    numbers = [v for r in ws.iter_rows(min_row=2, values_only=True) for v in r if isinstance(v, float)]
    assert numbers and all(v == round(v, 6) for v in numbers)  # 12.4 as a person reads it, not 12.399999999999999
    info = {r[0]: r[1] for r in wb["运行信息"].iter_rows(min_row=2, values_only=True)}
    assert "已启用" in info["专家标准化 / expert standardisation"]
    assert info["汇总方式 / aggregation"] == "中位数 / median"


def test_template_panel_writes_both_forms(tmp_path):
    out = tmp_path / "panel.xlsx"
    done = run_script("template", out, "--panel")
    assert done.returncode == 0, done.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:2] == ["评分（长表）", "E01"]
    assert [c.value for c in wb["评分（长表）"][1]] == ["专家编号", "项目编号", "评分项", "得分"]
    assert wb["E01"]["A1"].value == "专家编号：E01"


def test_an_unknown_project_id_in_a_gbk_sheet_is_reported_at_its_id_cell(tmp_path):
    """The problem is the id: the message names the 项目编号 column and the id, not the score beside it."""
    text = PANEL_LONG.read_text(encoding="utf-8-sig").replace("E01,SC-002,64.3", "E01,SC-999,64.3")
    sheet = tmp_path / "评分_gbk.csv"
    sheet.write_bytes(text.encode("gbk"))
    done = run_script("panel", sheet, "--pool", POOL, "--json", "-")
    assert done.returncode == 0, done.stderr
    unknown = [p for p in json.loads(done.stdout)["problems"] if p["code"] == "unknown_project"]
    assert [(p["row"], p["column"], p["value"]) for p in unknown] == [(3, "B（项目编号）", "SC-999")]
    table = run_script("panel", sheet, "--pool", POOL)
    assert "第3行，“B（项目编号）”列：项目编号不在候选项目表中“SC-999”" in table.stdout
    assert "row 3, column 'B（项目编号）': unknown project id 'SC-999'" in table.stdout
