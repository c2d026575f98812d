"""Eligibility scenarios, each named after the clause of the notice it checks."""

from __future__ import annotations

import pytest

from candidate_factory import csv_bytes, make_rows
from quota_opt import InputError, RulesError, load_notice, resolve_unit
from quota_opt.columns import Level
from quota_opt.eligibility import LEVEL_MATCH, UNIT_MEMBERSHIP, check_eligibility
from quota_opt.load import read_table_bytes
from quota_opt.rules import EligibilityRule
from quota_opt.validate import validate


def pool(rows):
    result = validate(read_table_bytes(csv_bytes(rows), "pool.csv"))
    assert result.valid, result.problems.to_dict("records")
    return result.candidates


def outcome(rows, unit="四川省", level="excellent", year=2025):
    """(eligible flags, failed rules, warnings) per project, in input order."""
    r = check_eligibility(pool(rows), unit, level, year)
    return r.table["eligible"].tolist(), r.table["failed_rules"].tolist(), r.table["warnings"].tolist()


def one(unit="四川省", asked="excellent", year=2025, **cells):
    """Outcome of one project; ``asked`` is the level recommended, ``cells`` override the project's cells."""
    ok, failed, warned = outcome(make_rows(1, **cells), unit, asked, year)
    return ok[0], failed[0], warned[0]


# ------------------------------------------------------------------ 2025 excellent level, section 二（一）
@pytest.mark.parametrize("rating,eligible", [("无", False), ("基础级", False), ("先进级", True), ("卓越级", True)])
def test_2025_clause_2_1_2_requires_advanced_rating(rating, eligible):
    ok, failed, _ = one(current_rating=rating)
    assert ok is eligible and failed == ([] if eligible else ["E2025-E-rating"])


@pytest.mark.parametrize("maturity,eligible", [("一级", False), ("2", False), ("三级", True), ("4", True), ("5", True)])
def test_2025_attachment_1_excellent_requires_maturity_level_3(maturity, eligible):
    ok, failed, _ = one(maturity_level=maturity)
    assert ok is eligible and failed == ([] if eligible else ["E2025-E-maturity"])


@pytest.mark.parametrize("stage", ["stage_factory_construction", "stage_rd_design", "stage_production_operations",
                                   "stage_production_management", "stage_operation_management"])
def test_2025_attachment_1_excellent_requires_all_five_stages(stage):
    ok, failed, _ = one(**{stage: "否"})
    assert not ok and failed == ["E2025-E-stages"]


def test_2025_clause_2_1_2_requires_ai_exploration_share_above_zero():
    ok, failed, warned = one(ai_scenario_share="0%")
    assert not ok and failed == ["E2025-E-ai"] and warned == ["E2025-E-ai-share"]
    ok, failed, warned = one(ai_scenario_share="0.5")
    assert ok and failed == [] and warned == ["E2025-E-ai-share"]


@pytest.mark.parametrize("share,warned", [("19.9%", True), ("20%", False), ("35", False)])
def test_2025_excellent_ai_share_of_20_percent_is_advisory_only(share, warned):
    ok, failed, warnings = one(ai_scenario_share=share)
    assert ok and failed == [] and warnings == (["E2025-E-ai-share"] if warned else [])


def test_every_failed_rule_is_listed_with_its_clause_and_what_the_project_has():
    r = check_eligibility(pool(make_rows(1, current_rating="基础级", maturity_level="2", stage_rd_design="否",
                                        ai_scenario_share="0")), "四川省", "excellent", 2025)
    row = r.table.iloc[0]
    assert row["failed_rules"] == ["E2025-E-rating", "E2025-E-maturity", "E2025-E-stages", "E2025-E-ai"]
    assert row["warnings"] == ["E2025-E-ai-share"]
    assert len(row["messages"]) == 5
    assert "二（一）2" in row["messages"][0] and "基础级" in row["messages"][0] and "current rating basic" in row["messages"][0]
    assert "研发设计" in row["messages"][2] and "rd design" in row["messages"][2]


def test_a_message_starts_with_the_problem_in_words_and_names_the_rule_after():
    r = check_eligibility(pool(make_rows(1, maturity_level="2", ai_scenario_share="9.8%")), "四川省", "excellent", 2025)
    row = r.table.iloc[0]
    assert row["failed_rules"] == ["E2025-E-maturity"] and row["warnings"] == ["E2025-E-ai-share"]
    for message, rule_id in zip(row["messages"], ["E2025-E-maturity", "E2025-E-ai-share"]):
        zh, en = message.split(" / ")
        assert zh.startswith(("不符合条件：", "提示：")) and en.startswith(("not eligible: ", "advisory: "))
        # The id is a reference at the end, not the first thing read; it also stands alone in failed_rules.
        assert zh.endswith(f"规则 {rule_id}）") and en.endswith(f"rule {rule_id})")
        assert ".;" not in en and "。；" not in zh
    assert row["messages"][0].startswith("不符合条件：卓越级须智能制造能力成熟度三级及以上；本项目成熟度为2级（依据：")


# ------------------------------------------------------------------ 2025 leading level, section 三（一）3
def leading(**cells):
    base = dict(level="领航级", current_rating="卓越级", maturity_level="四级", ai_scenario_share="65%")
    base.update(cells)
    return one("山东省", "leading", 2025, province="山东省", city="烟台市", **base)


def test_2025_clause_3_1_3_leading_requires_excellent_rating():
    assert leading() == (True, [], [])
    assert leading(current_rating="先进级") == (False, ["E2025-L-rating"], [])


def test_2025_clause_3_1_3_leading_requires_maturity_level_4():
    assert leading(maturity_level="三级") == (False, ["E2025-L-maturity"], [])
    assert leading(maturity_level="五级")[0] is True


def test_2025_clause_3_1_3_leading_wide_ai_use_is_a_share_above_zero_with_60_percent_advisory():
    assert leading(ai_scenario_share="0") == (False, ["E2025-L-ai"], ["E2025-L-ai-share"])
    assert leading(ai_scenario_share="59%") == (True, [], ["E2025-L-ai-share"])
    assert leading(ai_scenario_share="60%") == (True, [], [])


def test_project_level_must_be_the_level_asked_for():
    assert one(level="领航级") == (False, [LEVEL_MATCH], [])
    assert leading(level="卓越级") == (False, [LEVEL_MATCH], [])


# ------------------------------------------------------------------ 2024 notice
def test_2024_clause_2_1_2_advanced_rating_is_advisory():
    ok, failed, warned = one(year=2024, current_rating="基础级", ai_scenario_share="0")
    assert ok and failed == [] and warned == ["E2024-E-rating"]  # 2024 has no AI condition


def test_2024_opened_no_leading_round():
    with pytest.raises(InputError) as exc:
        check_eligibility(pool(make_rows(1)), "山东省", "leading", 2024)
    assert "领航级" in exc.value.message_zh and "leading" in exc.value.message_en


# ------------------------------------------------------------------ unit membership, 二（二）2 and 三（二）2
def test_a_province_recommends_only_its_own_projects():
    rows = make_rows(3)
    rows[1].update(province="重庆市", city="重庆市")
    rows[2].update(province="新疆生产建设兵团", city="石河子市")
    assert outcome(rows)[1] == [[], [UNIT_MEMBERSHIP], [UNIT_MEMBERSHIP]]


def test_2025_clause_2_2_2_planned_city_projects_are_recommended_by_their_province():
    rows = make_rows(2, province="山东省")
    rows[0]["city"], rows[1]["city"] = "青岛市", "烟台市"
    assert outcome(rows, "山东省")[0] == [True, True]


def test_2024_clause_2_2_2_planned_cities_recommend_their_own_projects():
    rows = make_rows(2, province="山东省")
    rows[0]["city"], rows[1]["city"] = "青岛", "烟台市"
    ok, failed, _ = outcome(rows, "山东省", year=2024)
    assert ok == [False, True] and failed[0] == [UNIT_MEMBERSHIP]
    assert outcome(rows, "青岛市", year=2024)[0] == [True, False]


def test_planned_city_unit_needs_its_city_in_its_parent_province():
    rows = make_rows(3, province="山东省", city="青岛市")
    rows[1]["province"] = "江苏省"
    rows[2]["city"] = "济南市"
    result = check_eligibility(pool(rows), "Qingdao", "excellent", 2025)
    assert result.table["eligible"].tolist() == [True, False, False]
    assert any("山东省" in n for n in result.notes)  # 2025: recommended through Shandong


def test_corps_projects_name_the_corps():
    rows = make_rows(3, province="兵团", city="石河子市")
    rows[1]["province"] = "新疆"
    assert outcome(rows, "XPCC")[0] == [True, False, True]


def test_named_central_enterprise_recommends_only_its_group():
    rows = make_rows(4, group="中国甲集团有限公司")
    rows[1]["group"] = "中国乙集团有限公司"
    rows[2]["group"] = ""
    rows[3]["province"] = "广东省"  # a central enterprise's factories may be anywhere
    result = check_eligibility(pool(rows), "中央企业:中国甲集团有限公司", "excellent", 2025)
    assert result.table["eligible"].tolist() == [True, False, False, True]
    assert result.group == "中国甲集团有限公司"
    assert "中国乙集团有限公司" in result.table.iloc[1]["messages"][0]


def test_generic_central_enterprise_takes_the_group_most_projects_name():
    rows = make_rows(5, group="中国甲集团")
    rows[0]["group"] = rows[1]["group"] = "中国乙集团"
    result = check_eligibility(pool(rows), "中央企业", "excellent", 2025)
    assert result.group == "中国甲集团" and result.table["eligible"].tolist() == [False, False, True, True, True]
    assert any("中国甲集团" in n and "3" in n for n in result.notes)


def test_generic_central_enterprise_tie_is_broken_by_group_name_and_said():
    rows = make_rows(4, group="乙集团")
    rows[0]["group"] = rows[1]["group"] = "甲集团"
    result = check_eligibility(pool(rows), "中央企业", "excellent", 2025)
    assert result.group == min("甲集团", "乙集团")
    assert any("并列" in n and "tied" in n for n in result.notes)


def test_central_enterprise_pool_without_groups_is_all_ineligible_with_a_note():
    result = check_eligibility(pool(make_rows(2)), "中央企业", "excellent", 2025)
    assert not result.table["eligible"].any() and result.group is None
    assert any("所属集团" in n for n in result.notes)


def test_2025_clause_3_2_2_central_enterprise_leading_projects_go_through_the_factory_province():
    rows = make_rows(2, level="领航级", current_rating="卓越级", maturity_level="4", ai_scenario_share="70",
                     province="山东省", city="烟台市", group="中国甲集团")
    rows[1]["province"], rows[1]["city"] = "江苏省", "南京市"
    assert outcome(rows, "山东省", "leading")[0] == [True, False]
    result = check_eligibility(pool(rows), "中央企业", "leading", 2025)
    assert any("工厂所在省" in n for n in result.notes)


# ------------------------------------------------------------------ the result
def test_result_splits_candidates_and_keeps_input_order():
    rows = make_rows(4)
    rows[1]["maturity_level"] = "2"
    rows[3]["province"] = "贵州省"
    candidates = pool(rows)
    r = check_eligibility(candidates, resolve_unit("四川"), Level.EXCELLENT, load_notice(2025))
    assert r.table["project_id"].tolist() == ["T-001", "T-002", "T-003", "T-004"]
    assert r.table["row"].tolist() == [2, 3, 4, 5]
    assert r.eligible["project_id"].tolist() == ["T-001", "T-003"]
    assert r.ineligible["project_id"].tolist() == ["T-002", "T-004"]
    assert list(r.eligible.columns) == list(candidates.columns)
    assert (r.unit, r.level, r.year) == ("四川省", "excellent", 2025)
    assert [i.id for i in r.rules][:2] == [LEVEL_MATCH, UNIT_MEMBERSHIP]
    assert r.to_records()[1]["failed_rules"] == ["E2025-E-maturity"]


def test_empty_pool_gives_an_empty_table():
    from quota_opt.validate import empty_candidates

    r = check_eligibility(empty_candidates(), "四川省", "excellent", 2025)
    assert r.table.empty and r.eligible.empty and list(r.table.columns)[:3] == ["project_id", "row", "eligible"]


def test_table_lacking_contract_columns_is_an_input_error():
    with pytest.raises(InputError, match="lacks columns"):
        check_eligibility(pool(make_rows(1)).drop(columns=["maturity_level"]), "四川省", "excellent", 2025)


def test_rule_kind_without_an_implementation_is_a_rules_error():
    from dataclasses import replace

    notice = load_notice(2025)
    odd = EligibilityRule("X-1", Level.EXCELLENT, "min_patents", "hard", "—", "专利", "patents", 3)
    with pytest.raises(RulesError, match="min_patents"):
        check_eligibility(pool(make_rows(1)), "四川省", "excellent", replace(notice, eligibility_rules=(odd,)))
