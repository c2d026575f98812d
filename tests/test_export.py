"""The recommendation as JSON, as the workbook the notices ask for, and as CSV -- read back."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import openpyxl
import pytest

from factories import make_pool
from quota_opt import QuotaEngine, __version__
from quota_opt.errors import InputError
from quota_opt.refdata import UserFigure
from quota_opt.export import SHEETS, csv_bytes, export, neutralise, run_info_rows, write_xlsx, xlsx_bytes
from quota_opt.result import build_recommendation, quota_number, sha256_file
from quota_opt.scenario import default_scenario

INELIGIBLE = [{"project_id": "SC-900", "row": 122, "failed_rules": ["E2025-E-rating"],
               "messages": ["须已获评先进级智能工厂"]}]
INVALID = [{"row": 123, "project_id": None, "problems": ["项目编号为空 / project id is empty"]}]


@pytest.fixture(scope="module")
def pool():
    frame = make_pool(120, seed=5)
    frame.loc[frame.index[0], "project_name"] = '=HYPERLINK("http://evil.example","点击")'
    frame.loc[frame.index[1], "enterprise"] = "+1+2"
    frame.loc[frame.index[2], "project_name"] = "@SUM(A1)"
    frame.loc[frame.index[3], "city"] = "-2+3"
    frame.loc[frame.index[4], "project_name"] = "\tcmd"
    return frame


@pytest.fixture(scope="module")
def rec(pool):
    scen = default_scenario().with_constraints(max_per_industry=5, min_per_city=1, max_per_group=1, min_score=30,
                                               include=["SC-001", "SC-002", "SC-003", "SC-004", "SC-005"])
    quota = QuotaEngine(2025).quota("四川", "excellent")
    return build_recommendation(pool, quota, scen, ineligible=INELIGIBLE, invalid=INVALID,
                                input_sha256="ab" * 32, input_name="四川省候选项目.xlsx")


def test_json_has_the_contract_keys(rec):
    data = json.loads(rec.to_json())
    for key in ("unit", "level", "year", "quota", "status", "objective", "selected", "not_selected", "ineligible",
                "invalid", "explanation"):
        assert key in data
    assert (data["unit"], data["level"], data["year"], data["quota"], data["status"]) == ("四川省", "excellent", 2025, 40, "optimal")
    assert data["notice"] == "工信厅联通装函〔2025〕251号"
    assert set(data["selected"][0]) >= {"rank", "project_id", "score"}
    assert [s["rank"] for s in data["selected"]] == list(range(1, 41))
    assert data["objective"] == pytest.approx(sum(s["score"] for s in data["selected"]), abs=1e-6)
    assert set(data["not_selected"][0]) >= {"project_id", "score", "reason"}
    assert data["ineligible"] == [{"project_id": "SC-900", "row": 122, "failed_rules": ["E2025-E-rating"],
                                   "messages": ["须已获评先进级智能工厂"]}]
    assert data["invalid"] == [{"row": 123, "project_id": None, "problems": ["项目编号为空 / project id is empty"]}]
    assert data["explanation"] == []


def test_every_input_row_appears_exactly_once(rec, pool):
    ids = [r["project_id"] for r in rec.selected] + [r["project_id"] for r in rec.not_selected]
    assert sorted(ids) == sorted(pool["project_id"])
    assert rec.counts() == {"selected": 40, "not_selected": 80, "ineligible": 1, "invalid": 1, "rows": 122}


def test_the_workbook_reads_back_in_order_with_every_sheet(rec, tmp_path):
    path = write_xlsx(rec, tmp_path / "推荐.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == list(SHEETS)
    ws = wb["推荐汇总表"]
    assert ws["A1"].value == "2025年度卓越级智能工厂项目推荐汇总表"
    heading = ws["A2"].value
    assert "四川省" in heading and "卓越级" in heading and "2025" in heading and "40" in heading
    assert [c.value for c in ws[3]] == ["优先顺序", "项目编号", "项目名称", "申报单位", "所在城市", "所属行业", "得分"]
    body = [[c.value for c in row] for row in ws.iter_rows(min_row=4, max_row=3 + len(rec.selected))]
    assert [r[0] for r in body] == list(range(1, 41))
    assert [r[1] for r in body] == [s["project_id"] for s in rec.selected]
    assert [r[6] for r in body] == sorted((r[6] for r in body), reverse=True)
    assert ws.cell(4, 7).number_format == "0.00"
    not_rec = [[c.value for c in row] for row in wb["未推荐项目"].iter_rows(min_row=2)]
    assert len(not_rec) == 80 and all(r[6] and r[7] for r in not_rec)
    assert [c.value for c in wb["不符合条件项目"][2]][:3] == ["SC-900", 122, "E2025-E-rating"]
    assert [c.value for c in wb["无效行"][2]][0] == 123
    info = {row[0].value: row[1].value for row in wb["运行信息"].iter_rows(min_row=2)}
    assert info["quota-opt 版本 / version"] == __version__
    assert info["通知文号 / notice"] == "工信厅联通装函〔2025〕251号"
    assert info["输入文件 SHA-256 / input SHA-256"] == "ab" * 32
    assert info["求解器 / solver"] == "highs" and info["状态 / status"] == "optimal"
    assert info["权重：专家评审得分 / weight: expert score"].startswith("0.3500")
    assert "max_per_group" in "".join(k for k in info)
    assert info["方案（TOML）/ scenario (TOML)"] == rec.scenario.to_toml()


def test_injected_formulas_stay_exact_text_without_a_visible_apostrophe_in_the_workbook(rec):
    """Issue 9 §1: formula-like text is a text cell with Excel's quote prefix, its characters unchanged."""
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(rec)))
    texts = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts[cell.value] = cell
    injected = ["=HYPERLINK(\"http://evil.example\",\"点击\")", "+1+2", "@SUM(A1)", "-2+3", "\tcmd"]
    for text in injected:
        assert text in texts, text
        assert texts[text].data_type == "s" and texts[text].quotePrefix, text
    assert not any(t.startswith("'") and t[1:] in injected for t in texts)
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes(rec))) as zf:
        assert not any(b"<f>" in zf.read(n) or b"<f " in zf.read(n) for n in zf.namelist() if n.endswith(".xml"))


def test_the_csv_is_the_summary_with_a_bom_and_inert_text(rec):
    raw = csv_bytes(rec)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["优先顺序", "项目编号", "项目名称", "申报单位", "所在城市", "所属行业", "得分"]
    assert [r[1] for r in rows[1:]] == [s["project_id"] for s in rec.selected]
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)


def test_an_infeasible_recommendation_exports_its_explanation(pool, tmp_path):
    scen = default_scenario().with_constraints(min_per_city=3)
    rec = build_recommendation(pool, 10, scen, unit="四川省", level="卓越级", year=2025)
    assert rec.status == "infeasible" and rec.selected == [] and len(rec.not_selected) == len(pool)
    assert any("more than the quota of 10" in line["en"] for line in rec.explanation)
    wb = openpyxl.load_workbook(export(rec, tmp_path / "x.xlsx"))
    texts = [c.value for c in wb["推荐汇总表"]["A"] if c.value]
    assert any("nothing is recommended" in t for t in texts)
    assert any("more than the quota of 10" in t for t in texts)
    assert list(csv.reader(io.StringIO(export(rec, tmp_path / "x.csv").read_text(encoding="utf-8-sig")))) == [
        ["优先顺序", "项目编号", "项目名称", "申报单位", "所在城市", "所属行业", "得分"]]


def test_export_chooses_by_suffix_and_rejects_others(rec, tmp_path):
    assert export(rec, tmp_path / "a.CSV").read_bytes() == csv_bytes(rec)
    with pytest.raises(InputError, match=r"\.xlsx or \.csv"):
        export(rec, tmp_path / "a.pdf")


def test_neutralise():
    assert neutralise("=1+1") == "'=1+1" and neutralise("＝1") == "'＝1" and neutralise("\rx") == "'\rx"
    assert neutralise("正常") == "正常" and neutralise(-5) == -5 and neutralise(None) is None


def test_quota_without_a_number_is_bad_input_saying_why():
    engine = QuotaEngine(2025)
    with pytest.raises(InputError) as info:
        quota_number(engine.quota("深圳", "excellent"))
    assert "through" in info.value.message_en and "广东省" in info.value.message_zh
    with pytest.raises(InputError, match="--quota"):
        quota_number(engine.quota("新疆生产建设兵团", "leading"))
    assert quota_number(engine.quota("新疆生产建设兵团", "leading", override=2))[0] == 2


def test_sha256_of_a_file(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"abc")
    assert sha256_file(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_an_include_naming_an_ineligible_project_is_bad_input(pool):
    scen = default_scenario().with_constraints(include=["SC-900"])
    with pytest.raises(InputError) as info:
        build_recommendation(pool, 10, scen, ineligible=INELIGIBLE)
    assert "SC-900" in info.value.message_en and "E2025-E-rating" in info.value.message_en


def test_run_information_records_an_override_its_reason_and_user_figures(pool):
    fig = UserFigure("excellent_counts_2024", "四川省", 15, "四川省经信厅通报")
    quota = QuotaEngine(2025, figures=[fig]).quota("四川", "leading", 3, reason="厅务会决定")
    rec = build_recommendation(pool, quota, default_scenario(), level="leading")
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(rec)))["运行信息"]
    info = {row[0]: row[1] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert info["名额调整理由 / reason for the override"] == "厅务会决定"
    assert "原名额 2 → 3" in info["名额由用户指定 / quota set by the user"]
    assert "四川省：15（excellent_counts_2024；来源 / source：四川省经信厅通报）" == info[
        "用户提供的数据 / figure supplied by the user"]
    assert info["参考数据文件 / reference data file"] == "excellent_counts_2024.csv（随软件提供的数据 / the shipped data）"
    assert "厅务会决定" in info["名额依据 / quota basis"]


def test_run_information_gives_the_time_made_in_china_standard_time(rec):
    from dataclasses import replace

    made = replace(rec, created_at="2025-07-31T17:30:05+00:00")  # as stored, in UTC
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(made)))["运行信息"]
    info = {row[0]: row[1] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert info["生成时间（北京时间）/ created (China Standard Time)"] == "2025-08-01 01:30:05 +08:00"


def test_the_summary_sheet_prints_as_the_notice_table(rec):
    """Issue 12: A4 landscape, one page wide and as many tall as needed, title and header rows on every
    page, page numbers in the footer, the sign-off lines under the table, long names wrapped."""
    from quota_opt.export import SIGN_OFF_LINES

    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(rec)))["推荐汇总表"]
    setup = ws.page_setup
    assert setup.orientation == "landscape" and int(setup.paperSize) == int(ws.PAPERSIZE_A4) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0)
    assert ws.print_title_rows == "$1:$3"
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    last_pick = 3 + len(rec.selected)
    assert ws.cell(last_pick, 1).value == len(rec.selected)
    sign_off = ws.cell(last_pick + 2, 1).value
    assert all(line in sign_off for line in SIGN_OFF_LINES) and "联系人" in sign_off and "填报日期" in sign_off
    assert ws.cell(last_pick + 1, 1).value is None
    assert all(ws.cell(r, 3).alignment.wrap_text and ws.cell(r, 4).alignment.wrap_text for r in range(4, last_pick + 1))
    assert ws.column_dimensions["C"].width >= 30 and ws.column_dimensions["A"].width <= 10
def test_run_information_holds_file_names_never_a_path_and_china_standard_time(pool, tmp_path):
    """Issue 9 §4: the quota basis names its reference file by name; the input by name and SHA-256; times +08:00."""
    import re
    from pathlib import Path

    import quota_opt

    quota = QuotaEngine(2025).quota("四川", "excellent")
    assert quota.reference_file  # the engine names the file (and where it was found), not its folder
    rec = build_recommendation(pool, quota, default_scenario(), input_sha256="ab" * 32,
                               input_name=str(tmp_path / "sub" / "四川省候选项目.xlsx"))
    machine = [str(tmp_path), str(Path(quota_opt.__file__).resolve().parents[1])]
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes(rec))) as zf:
        texts = [zf.read(n).decode("utf-8") for n in zf.namelist()]
    texts += [rec.to_json(), csv_bytes(rec).decode("utf-8-sig")]
    assert not [p for p in machine for text in texts if p in text]
    info = {row[0]: row[1] for row in run_info_rows(rec)}
    assert info["输入文件 / input file"] == "四川省候选项目.xlsx"
    assert info["参考数据文件 / reference data file"].startswith("industrial_value_2024.csv")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+08:00", info["生成时间（北京时间）/ created (China Standard Time)"])


def test_without_paths_reduces_every_named_path_to_its_file_name():
    from quota_opt.result import without_paths

    info = {"reference_file": "/home/official/数据/industrial_value_2024.csv",
            "data_source": "/home/official/数据/industrial_value_2024.csv 未列出 / not listed",
            "nested": [{"windows_path": "C:\\Users\\me\\x.csv", "note": "see C:\\Users\\me\\x.csv"}], "quota": 40}
    out = without_paths(info)
    assert out == {"reference_file": "industrial_value_2024.csv", "data_source": "industrial_value_2024.csv 未列出 / not listed",
                   "nested": [{"windows_path": "x.csv", "note": "see x.csv"}], "quota": 40}
    assert without_paths({"quota": 3, "basis_zh": "1/2"}) == {"quota": 3, "basis_zh": "1/2"}
