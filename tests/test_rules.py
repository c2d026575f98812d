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
# ---------------------------------------------------------------- issue 10: user rules, checking, writing
import tomllib  # noqa: E402

from hypothesis import given, settings, strategies as st  # noqa: E402

from quota_opt.rulefiles import dump_toml, next_year_text  # noqa: E402
from quota_opt.rules import RULES_DIR, available_years, check_text, locate, rule_files  # noqa: E402

SHIPPED_2025_TEXT = (RULES_DIR / "2025.toml").read_text(encoding="utf-8")


def test_the_shipped_rule_files_have_no_problem():
    for year in (2024, 2025):
        assert check_text((RULES_DIR / f"{year}.toml").read_text(encoding="utf-8"), f"{year}.toml") == []


def test_locate_finds_keys_tables_and_inline_tiers_by_line():
    where = locate(SHIPPED_2025_TEXT)
    lines = SHIPPED_2025_TEXT.splitlines()
    assert lines[where[("document",)] - 1].startswith("document =")
    assert lines[where[("quota", 0, "tiers", 2, "quota")] - 1].strip().startswith("{ quota = 20")
    assert lines[where[("eligibility", 9)] - 1] == "[[eligibility]]"
    assert 'id = "E2025-L-ai-share"' in lines[where[("eligibility", 9, "id")] - 1]


def test_a_user_year_in_the_user_rules_folder_is_read_with_the_shipped_ones(own_user_data_folder):
    folder = own_user_data_folder / "rules"
    folder.mkdir(parents=True)
    (folder / "2031.toml").write_text(SYNTHETIC, encoding="utf-8")
    assert available_years() == [2024, 2025, 2031]
    assert [(f.year, f.shipped) for f in rule_files()] == [(2024, True), (2025, True), (2031, False)]
    assert load_notice(2031).document


def test_a_user_file_for_a_shipped_year_is_refused_naming_it(own_user_data_folder):
    folder = own_user_data_folder / "rules"
    folder.mkdir(parents=True)
    (folder / "2024.toml").write_text((RULES_DIR / "2024.toml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_notice(2024)
    assert str(folder / "2024.toml") in exc.value.message_zh
    assert load_notice(2025).year == 2025  # other years are not touched


def test_a_user_file_with_errors_is_refused_with_their_lines(own_user_data_folder):
    folder = own_user_data_folder / "rules"
    folder.mkdir(parents=True)
    (folder / "2031.toml").write_text(SYNTHETIC.replace('document = "', 'document = "" #', 1), encoding="utf-8")
    with pytest.raises(RulesError) as exc:
        load_notice(2031)
    assert "document" in exc.value.message_en


def test_next_year_text_moves_the_year_ids_measures_and_datasets_on_and_empties_the_document():
    raw = tomllib.loads(next_year_text(SHIPPED_2025_TEXT, 2025, 2027))
    assert (raw["year"], raw["document"], raw["date"]) == (2027, "", "")
    assert raw["quota"][0]["dataset"] == "industrial_value_2026" and raw["quota"][4]["dataset"] == "excellent_counts_2026"
    assert raw["quota"][0]["measure_zh"] == "2026年全部工业增加值" and raw["quota"][0]["id"] == "Q2027-E-province-rank"
    assert [t["quota"] for t in raw["quota"][0]["tiers"]] == [40, 30, 20]  # values kept for the user to edit


def test_dump_toml_of_a_shipped_year_reads_back_the_same():
    raw = tomllib.loads(SHIPPED_2025_TEXT)
    assert tomllib.loads(dump_toml(raw)) == raw


_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.fixed_dictionaries({"id": _text, "clause": _text, "quota": st.integers(-5, 100),
                                        "tiers": st.lists(st.fixed_dictionaries({"rank_max": st.integers(0, 40),
                                                                                 "label_zh": _text}), max_size=3)}),
                max_size=4), _text)
def test_dump_toml_round_trips_any_strings_and_numbers_and_check_locates_every_rule(rules, document):
    raw = {"year": 2031, "document": document, "levels": ["excellent"], "quota": rules}
    text = dump_toml(raw)
    assert tomllib.loads(text) == raw
    where = locate(text)
    for i in range(len(rules)):
        assert text.split("\n")[where[("quota", i)] - 1] == "[[quota]]"
        for j in range(len(rules[i]["tiers"])):
            assert "rank_max" in text.split("\n")[where[("quota", i, "tiers", j, "rank_max")] - 1]
    for problem in check_text(text, "2031.toml"):
        assert problem.line > 0, problem
