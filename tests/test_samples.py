"""The bundled sample pools: they validate, their ineligible projects are exactly the generated ones, every
format gives the same table, and regenerating them changes no byte."""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from quota_opt import InputError, QuotaEngine
from quota_opt.columns import CANDIDATE_COLUMNS
from quota_opt.eligibility import check_eligibility
from quota_opt.load import read_table, read_table_bytes
from quota_opt.samples import SAMPLES, SAMPLES_DIR, sample, sample_path
from quota_opt.validate import validate

REPO = Path(__file__).resolve().parent.parent
ZH_TO_EN = {c.zh: c.name for c in CANDIDATE_COLUMNS}


def load_generator():
    spec = importlib.util.spec_from_file_location("make_samples", REPO / "scripts" / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def truth(pool) -> pd.DataFrame:
    return pd.read_csv(pool.truth_path, dtype=str, keep_default_na=False)


def split(cell: str) -> list[str]:
    return cell.split(";") if cell else []


@pytest.mark.parametrize("pool", SAMPLES, ids=[s.name for s in SAMPLES])
def test_every_sample_pool_validates_without_error(pool):
    result = validate(read_table(pool.path))
    assert result.valid, result.errors.to_dict("records")
    assert result.invalid.empty and len(result.candidates) == result.rows
    assert set(result.warnings["code"]) <= {"extra_numeric_column"}


@pytest.mark.parametrize("pool", SAMPLES, ids=[s.name for s in SAMPLES])
def test_ineligible_projects_are_exactly_those_the_generator_made_ineligible(pool):
    result = check_eligibility(validate(read_table(pool.path)).candidates, pool.unit, pool.level, pool.year)
    expected = truth(pool)
    assert result.table["project_id"].tolist() == expected["project_id"].tolist()
    assert result.table["failed_rules"].tolist() == [split(c) for c in expected["failed_rules"]]
    assert result.table["warnings"].tolist() == [split(c) for c in expected["warnings"]]
    assert set(result.ineligible["project_id"]) == set(expected.loc[expected["eligible"] == "no", "project_id"])


def test_pool_sizes_and_ineligible_counts():
    counts = {}
    for name in ("sichuan_excellent_2025", "shandong_leading_2025", "central_enterprise_excellent_2025"):
        t = truth(sample(name))
        counts[name] = (len(t), int((t["eligible"] == "no").sum()))
    assert counts == {
        "sichuan_excellent_2025": (120, 15),
        "shandong_leading_2025": (12, 4),
        "central_enterprise_excellent_2025": (15, 3),
    }
    reasons = {r for cell in truth(sample("sichuan_excellent_2025"))["failed_rules"] for r in split(cell)}
    assert reasons == {"E2025-E-rating", "E2025-E-maturity", "E2025-E-stages", "E2025-E-ai", "unit-membership",
                       "level-match"}


def test_sample_units_have_quotas_the_shipped_data_determines():
    engine = QuotaEngine(2025)
    assert engine.quota("四川省", "excellent").quota == 40
    assert engine.quota("山东省", "leading").quota == 3
    assert engine.quota("中央企业", "excellent").quota == 5


def test_province_pool_is_realistic():
    c = validate(read_table(sample_path("sichuan_excellent_2025"))).candidates
    sichuan = c[c["province"] == "四川省"]
    assert sichuan["industry"].nunique() >= 10 and sichuan["city"].nunique() >= 10
    assert {"成都市", "绵阳市", "德阳市", "宜宾市"} <= set(sichuan["city"])
    groups = c.loc[c["group"] != "", "group"].value_counts()
    assert len(groups) >= 3 and (groups >= 2).all()
    assert set(c["maturity_level"].value_counts().index[:2]) == {3, 4}
    assert 20 <= c["ai_scenario_share"].median() <= 40
    assert 18 <= c["efficiency_gain"].mean() <= 27 and 24 <= c["rd_cycle_reduction"].mean() <= 33
    assert 30 <= c["defect_reduction"].mean() <= 47
    assert 0 < c["expert_score"].isna().sum() < 10 and c["expert_score"].notna().sum() > 100
    assert c["project_id"].str.fullmatch(r"SC-\d{3}").all()


@pytest.mark.parametrize("pool", SAMPLES, ids=[s.name for s in SAMPLES])
def test_samples_are_labelled_synthetic(pool):
    c = validate(read_table(pool.path)).candidates
    assert c["project_name"].str.startswith("（示例）").all() and c["enterprise"].str.startswith("（示例）").all()
    readme = (SAMPLES_DIR / "README.md").read_text(encoding="utf-8")
    assert "synthetic" in readme and "合成" in readme


def test_regenerating_the_samples_gives_identical_files(tmp_path):
    written = load_generator().generate(tmp_path)
    assert {p.name for p in written} == {p.name for p in SAMPLES_DIR.iterdir() if p.suffix in (".csv", ".xlsx")}
    for path in written:
        assert path.read_bytes() == (SAMPLES_DIR / path.name).read_bytes(), path.name


def test_unknown_sample_name_is_an_input_error():
    with pytest.raises(InputError, match="sichuan_excellent_2025"):
        sample_path("atlantis")
    assert sample_path("shandong_leading_2025.csv") == SAMPLES_DIR / "shandong_leading_2025.csv"


# ----------------------------------------------------------------------------- same pool, every format
def _reencode(path: Path, encoding: str, english: bool) -> bytes:
    text = path.read_bytes().decode("utf-8-sig")
    if english:
        header, rest = text.split("\r\n", 1)
        header = ",".join(ZH_TO_EN.get(h, h) for h in header.split(","))
        text = header + "\r\n" + rest
    return text.encode(encoding)


def _xlsx_with_english_headers(tmp_path: Path) -> bytes:
    wb = openpyxl.load_workbook(sample_path("sichuan_excellent_2025_xlsx"))
    ws = wb.worksheets[0]
    for cell in ws[1]:
        cell.value = ZH_TO_EN.get(cell.value, cell.value)
    target = tmp_path / "english.xlsx"
    wb.save(target)
    return target.read_bytes()


def test_utf8_bom_gbk_gb18030_and_xlsx_with_chinese_or_english_headers_give_identical_tables(tmp_path):
    source = sample_path("sichuan_excellent_2025")
    variants = {
        "utf-8": _reencode(source, "utf-8", False),
        "utf-8 BOM": _reencode(source, "utf-8-sig", False),
        "gbk": _reencode(source, "gbk", False),
        "gb18030": _reencode(source, "gb18030", False),
        "utf-8, English headers": _reencode(source, "utf-8", True),
        "gbk, English headers": _reencode(source, "gbk", True),
        "bundled gbk": sample_path("sichuan_excellent_2025_gbk").read_bytes(),
        "bundled xlsx": sample_path("sichuan_excellent_2025_xlsx").read_bytes(),
        "xlsx, English headers": _xlsx_with_english_headers(tmp_path),
    }
    assert variants["gbk"] == variants["bundled gbk"]
    reference = validate(read_table(source)).candidates
    assert len(reference) == 120
    for name, data in variants.items():
        filename = "pool.xlsx" if "xlsx" in name else "pool.csv"
        got = validate(read_table_bytes(data, filename)).candidates
        pd.testing.assert_frame_equal(got, reference, obj=name)


def test_truth_files_list_every_project_once():
    for pool in SAMPLES:
        with pool.truth_path.open(encoding="utf-8") as fh:
            ids = [r["project_id"] for r in csv.DictReader(fh)]
        assert len(ids) == len(set(ids)) == validate(read_table(pool.path)).rows
