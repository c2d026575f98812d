"""Notice years are data: a new year is a new TOML file, with no code change."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quota_opt import InputError, QuotaEngine, RulesError, available_years, load_notice
from quota_opt.columns import Level

SYNTHETIC = """
year = 2031
document = "测试〔2031〕1号"
date = "2031-05-01"
levels = ["excellent", "leading"]

[[quota]]
id = "Q2031-E-province"
level = "excellent"
applies_to = "province"
kind = "rank_tier"
dataset = "industrial_value_2024"
tiers = [ { rank_max = 5, quota = 50, label_zh = "前5位", label_en = "top 5" }, { quota = 7, label_zh = "其余", label_en = "the rest" } ]
clause = "一（一）"

[[quota]]
id = "Q2031-L-corps"
level = "leading"
applies_to = "corps"
kind = "fixed"
quota = 2
clause = "二（一）"

[[eligibility]]
id = "E2031-E-maturity"
level = "excellent"
kind = "min_maturity"
value = 5
severity = "hard"
clause = "三"
"""


def test_a_new_notice_year_is_a_new_file(tmp_path, monkeypatch, make_data_dir, all_known_values):
    (tmp_path / "2031.toml").write_text(SYNTHETIC, encoding="utf-8")
    monkeypatch.setenv("QUOTA_OPT_RULES_DIR", str(tmp_path))
    folder = make_data_dir(all_known_values)
    engine = QuotaEngine(2031, data_dir=folder)
    ranked = sorted(all_known_values, key=lambda p: -all_known_values[p])
    assert engine.quota(ranked[0], "excellent").quota == 50
    assert engine.quota(ranked[5], "excellent").quota == 7
    assert engine.quota("XPCC", "leading").quota == 2
    assert [r.id for r in engine.notice.eligibility(Level.EXCELLENT)] == ["E2031-E-maturity"]


def test_every_rule_cites_a_clause():
    for year in (2024, 2025):
        notice = load_notice(year)
        assert notice.document.startswith("工信厅联通装函")
        for rule in (*notice.quota_rules, *notice.eligibility_rules):
            assert rule.id and rule.clause


def test_2025_eligibility_hard_and_advisory():
    notice = load_notice(2025)
    sev = {r.id: r.severity for r in notice.eligibility_rules}
    assert sev["E2025-E-rating"] == "hard" and sev["E2025-E-ai-share"] == "advisory"
    assert sev["E2025-L-ai-share"] == "advisory"
    values = {r.id: r.value for r in notice.eligibility_rules}
    assert values["E2025-E-maturity"] == 3 and values["E2025-L-maturity"] == 4
    assert values["E2025-L-rating"] == "excellent"


def test_2024_rating_is_in_principle_so_advisory():
    assert {r.id: r.severity for r in load_notice(2024).eligibility_rules}["E2024-E-rating"] == "advisory"


def test_unknown_year_is_bad_input():
    with pytest.raises(InputError):
        load_notice(1999)


def test_malformed_rule_file_is_a_rules_error(tmp_path, monkeypatch):
    (tmp_path / "2032.toml").write_text('year = 2032\ndocument = "x"\nlevels = ["excellent"]\n'
                                        '[[quota]]\nid = "a"\nlevel = "excellent"\napplies_to = "province"\n'
                                        'kind = "magic"\nclause = "x"\n', encoding="utf-8")
    monkeypatch.setenv("QUOTA_OPT_RULES_DIR", str(tmp_path))
    with pytest.raises(RulesError):
        load_notice(2032)


# How the source folder's files could leak into what users see: "seed 002", "seeds 001", "../shared/seeds",
# or one of its file names (NNN_ and 16 hex digits). Users see public document names only.
SEED_REFERENCE = re.compile(r"seeds?\s*[（(]?\s*0\d\d|shared/seeds|\b\d{3}_[0-9a-f]{16}\b", re.IGNORECASE)
SHIPPED = ("quota_opt", "app_pages", "app.py", "data", "docs", "notebooks", "README.md", "pyproject.toml")


def test_no_rule_clause_cites_a_seed_file_number_only_public_documents():
    for year in available_years():
        notice = load_notice(year)
        for rule in (*notice.quota_rules, *notice.eligibility_rules):
            for text in (rule.clause, rule.text_zh, rule.text_en):
                assert "seed" not in text.lower(), (year, rule.id, text)
    clauses = {r.clause for r in load_notice(2025).eligibility_rules}
    assert "咨询机构对卓越级申报条件的解读（非官方文本），非通知原文" in clauses  # how the consultancy's note is cited
    assert "附件1《要素条件》（据 Wedoany 2025 年报道）；GB/T 39116-2020" in clauses


def test_no_shipped_text_names_a_seeds_file():
    root = Path(__file__).resolve().parent.parent
    found = []
    for name in SHIPPED:
        path = root / name
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()] if path.exists() else []
        for file in files:
            if file.suffix in (".pyc", ".xlsx", ".png", ".sqlite3") or "__pycache__" in file.parts:
                continue
            text = file.read_text(encoding="utf-8", errors="replace")
            found += [f"{file.relative_to(root)}: {m.group(0)}" for m in SEED_REFERENCE.finditer(text)]
    assert not found, found
