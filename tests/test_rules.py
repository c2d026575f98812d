"""Notice years are data: a new year is a new TOML file, with no code change."""

from __future__ import annotations

import pytest

from quota_opt import InputError, QuotaEngine, RulesError, load_notice
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
