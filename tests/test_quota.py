"""Scenario tests for every quota clause of the 2024 and 2025 notices, named after the clause."""

from __future__ import annotations

import pytest

from quota_opt import InputError, QuotaEngine, quota_for
from quota_opt.units import PLANNED_CITIES, PROVINCE_NAMES

P = PROVINCE_NAMES


def _ranked(values: dict[str, float]) -> list[str]:
    return sorted(values, key=lambda p: -values[p])


# ---------------------------------------------------------------- 2025 二（二）2, excellent level
@pytest.mark.parametrize("rank,expected", [(1, 40), (10, 40), (11, 30), (20, 30), (21, 20), (31, 20)])
def test_2025_clause_2_2_2_excellent_quota_by_industrial_value_rank(make_data_dir, all_known_values, rank, expected):
    folder = make_data_dir(all_known_values)
    province = _ranked(all_known_values)[rank - 1]
    result = quota_for(province, "excellent", 2025, data_dir=folder)
    assert result.quota == expected
    assert result.status == "ok"
    assert result.rank_min == result.rank_max == rank
    assert f"第{rank}位" in result.basis_zh and f"不超过{expected}个" in result.basis_zh
    assert "二（二）2" in result.basis_zh and "工信厅联通装函〔2025〕251号" in result.basis_zh


@pytest.mark.parametrize("boundary", [10, 20])
def test_2025_clause_2_2_2_tie_at_tier_boundary_shares_the_better_rank_and_warns(make_data_dir, all_known_values, boundary):
    ranked = _ranked(all_known_values)
    a, b = ranked[boundary - 1], ranked[boundary]  # ranks boundary and boundary+1
    values = dict(all_known_values)
    values[b] = values[a]
    folder = make_data_dir(values)
    better = {10: 40, 20: 30}[boundary]
    for province in (a, b):
        result = quota_for(province, "excellent", 2025, data_dir=folder)
        assert result.rank_min == result.rank_max == boundary
        assert result.quota == better
        assert any("straddles a tier boundary" in w for w in result.warnings)
    # The province after the tie takes rank boundary+2 (competition ranking).
    after = quota_for(ranked[boundary + 1], "excellent", 2025, data_dir=folder)
    assert after.rank_min == boundary + 2


def test_2025_clause_2_2_2_tie_inside_a_tier_gives_no_boundary_warning(make_data_dir, all_known_values):
    ranked = _ranked(all_known_values)
    values = dict(all_known_values)
    values[ranked[4]] = values[ranked[3]]
    result = quota_for(ranked[4], "excellent", 2025, data_dir=make_data_dir(values))
    assert result.rank_min == 4 and result.quota == 40
    assert not any("straddles" in w for w in result.warnings)


def test_2025_clause_2_2_2_missing_figure_makes_quota_undetermined_and_names_it(make_data_dir, all_known_values):
    ranked = _ranked(all_known_values)
    values = dict(all_known_values)
    missing = ranked[15]
    values[missing] = None
    folder = make_data_dir(values)
    result = quota_for(missing, "excellent", 2025, data_dir=folder)
    assert result.status == "undetermined" and result.quota is None
    assert result.rank_min == 1 and result.rank_max == 31
    # The province 20th among the known ones is 20th or 21st: its tier moves with the missing one ...
    at_20 = quota_for(ranked[20], "excellent", 2025, data_dir=folder)
    assert (at_20.rank_min, at_20.rank_max) == (20, 21)
    assert at_20.status == "undetermined" and missing in at_20.depends_on_missing
    assert missing in at_20.basis_zh
    # ... and so is the 10th (10th or 11th).
    assert quota_for(ranked[9], "excellent", 2025, data_dir=folder).status == "undetermined"
    # ... while one whose tier holds wherever it ranks keeps its quota and says so.
    at_3 = quota_for(ranked[2], "excellent", 2025, data_dir=folder)
    assert at_3.status == "ok" and at_3.quota == 40
    assert "无论缺失数据的省份排在何处" in at_3.basis_zh
    at_31 = quota_for(ranked[30], "excellent", 2025, data_dir=folder)
    assert at_31.quota == 20


def test_2025_clause_2_2_2_stated_rank_bounds_combine_with_values(make_data_dir, all_known_values):
    ranked = _ranked(all_known_values)
    values = dict(all_known_values)
    values[ranked[0]] = None
    values[ranked[25]] = None
    folder = make_data_dir(values, bounds={ranked[0]: (1, 3)})
    top = quota_for(ranked[0], "excellent", 2025, data_dir=folder)
    assert top.quota == 40 and (top.rank_min, top.rank_max) == (1, 3)


def test_2025_clause_2_2_2_rank_bounds_contradicting_values_warn_and_make_undetermined(make_data_dir, all_known_values):
    ranked = _ranked(all_known_values)
    folder = make_data_dir(all_known_values, bounds={ranked[0]: (25, 25)})
    result = quota_for(ranked[0], "excellent", 2025, data_dir=folder)
    assert result.status == "undetermined"
    assert any("contradict" in w for w in result.warnings)
    other = quota_for(ranked[5], "excellent", 2025, data_dir=folder)
    assert other.quota == 40


# The 2025 excellent-level quota of every province from the shipped data (the NBS yearbook's 2024
# figures, 初步核算数): quota, rank and figure, as the reference README lists the tiers.
SHIPPED_2025_EXCELLENT = {
    "江苏省": (40, 1, 49333.0), "广东省": (40, 2, 47601.6), "山东省": (40, 3, 31934.9), "浙江省": (40, 4, 30071.6),
    "福建省": (40, 5, 19185.8), "河南省": (40, 6, 18555.8), "四川省": (40, 7, 17884.0), "湖北省": (40, 8, 17609.0),
    "湖南省": (40, 9, 15607.2), "河北省": (40, 10, 14908.5),
    "安徽省": (30, 11, 14171.2), "陕西省": (30, 12, 12207.7), "江西省": (30, 13, 11254.2), "上海市": (30, 14, 10910.9),
    "内蒙古自治区": (30, 15, 10002.3), "辽宁省": (30, 16, 9911.7), "山西省": (30, 17, 9887.0), "重庆市": (30, 18, 8912.0),
    "广西壮族自治区": (30, 19, 7780.2), "云南省": (30, 20, 7453.9),
    "新疆维吾尔自治区": (20, 21, 6785.5), "北京市": (20, 22, 5937.6), "天津市": (20, 23, 5738.7), "贵州省": (20, 24, 5692.7),
    "吉林省": (20, 25, 3804.9), "黑龙江省": (20, 26, 3786.3), "甘肃省": (20, 27, 3503.7), "宁夏回族自治区": (20, 28, 2022.7),
    "青海省": (20, 29, 1351.5), "海南省": (20, 30, 924.3), "西藏自治区": (20, 31, 413.1),
}


def _expected_margin(province: str) -> tuple[str, float, float]:
    """The margin worked out by hand from the table above: the nearest figure in a neighbouring tier."""
    quota, _, value = SHIPPED_2025_EXCELLENT[province]
    tiers = [40, 30, 20]
    across = [(p, v) for p, (q, _, v) in SHIPPED_2025_EXCELLENT.items() if abs(tiers.index(q) - tiers.index(quota)) == 1]
    other, ovalue = min(across, key=lambda pv: abs(pv[1] - value))
    gap = abs(value - ovalue)
    return other, gap, 100 * gap / min(value, ovalue)


@pytest.mark.parametrize("province", list(SHIPPED_2025_EXCELLENT))
def test_2025_clause_2_2_2_every_province_has_its_quota_rank_figure_and_margin_from_the_shipped_data(province):
    r = QuotaEngine(2025).quota(province, "excellent")
    quota, rank, value = SHIPPED_2025_EXCELLENT[province]
    assert (r.status, r.quota, r.rank_min, r.rank_max, r.figure) == ("ok", quota, rank, rank, value)
    assert r.data_status == "official" and r.source_status_zh == "初步核算数" and r.source_status_en == "preliminary"
    assert "初步核算数" in r.basis_zh and "preliminary" in r.basis_en
    other, gap, pct = _expected_margin(province)
    assert r.margin_to == other and r.margin == pytest.approx(gap, abs=1e-6) and r.margin_pct == pytest.approx(pct, abs=1e-3)
    assert f"{other}" in r.basis_zh and f"{pct:.1f}%" in r.basis_zh and f"{pct:.1f}%" in r.basis_en


def test_2025_the_two_tier_boundaries_hebei_anhui_and_yunnan_xinjiang():
    engine = QuotaEngine(2025)
    hebei, anhui = engine.quota("河北", "excellent"), engine.quota("安徽", "excellent")
    assert (hebei.margin_to, anhui.margin_to) == ("安徽省", "河北省")
    assert hebei.margin == anhui.margin == pytest.approx(737.3)
    assert round(hebei.margin_pct, 1) == 5.2
    assert "737.3亿元" in hebei.basis_zh and "5.2%" in hebei.basis_zh
    yunnan = engine.quota("云南", "excellent")
    assert yunnan.margin_to == "新疆维吾尔自治区" and yunnan.margin == pytest.approx(668.4)


def test_2025_leading_counts_stay_unknown_where_no_source_gives_them():
    engine = QuotaEngine(2025)
    known = {r.unit: r.quota for r in engine.all_units("leading") if r.unit_type == "province" and r.status == "ok"}
    assert known == {"山东省": 3, "上海市": 2}


def test_2025_hebei_and_anhui_close_call_is_shown_plainly():
    engine = QuotaEngine(2025)
    hebei = engine.quota("河北", "excellent")
    anhui = engine.quota("Anhui", "excellent")
    assert hebei.quota == 40 and anhui.quota == 30
    assert any("安徽省" in w and "5.2%" in w for w in hebei.warnings)
    assert any("河北省" in w for w in anhui.warnings)


def test_2025_clause_2_2_2_corps_at_most_5():
    r = quota_for("XPCC", "excellent", 2025)
    assert (r.unit, r.unit_type, r.quota, r.status) == ("新疆生产建设兵团", "corps", 5, "ok")


def test_2025_clause_2_2_2_central_enterprise_at_most_5():
    r = quota_for("central-enterprise", "excellent", 2025)
    assert (r.unit, r.unit_type, r.quota, r.status) == ("中央企业", "central_enterprise", 5, "ok")


@pytest.mark.parametrize("city", PLANNED_CITIES, ids=lambda c: c.name_en)
def test_2025_clause_2_2_2_planned_cities_recommend_through_their_province(city):
    r = quota_for(city.name_en, "excellent", 2025)
    assert r.status == "via" and r.quota is None and r.via == city.parent
    assert city.parent in r.basis_zh


# ---------------------------------------------------------------- 2025 三（二）2, leading level
@pytest.mark.parametrize("count,expected", [(35, 3), (20, 3), (19, 2), (10, 2), (9, 1), (0, 1)])
def test_2025_clause_3_2_2_leading_quota_by_excellent_count(make_data_dir, all_known_values, count, expected):
    counts = {p: None for p in P}
    counts["江苏省"] = count
    folder = make_data_dir(all_known_values, counts=counts)
    r = quota_for("江苏", "leading", 2025, data_dir=folder)
    assert r.quota == expected and r.status == "ok"
    assert "三（二）2" in r.basis_zh


def test_2025_clause_3_2_2_missing_count_is_undetermined():
    r = quota_for("北京", "leading", 2025)
    assert r.status == "undetermined" and r.quota is None
    assert r.depends_on_missing == ["北京市"]


def test_2025_clause_3_2_2_shipped_counts_shandong_3_shanghai_2():
    engine = QuotaEngine(2025)
    assert engine.quota("山东", "leading").quota == 3
    assert engine.quota("上海", "leading").quota == 2


@pytest.mark.parametrize("city", PLANNED_CITIES, ids=lambda c: c.name_en)
def test_2025_clause_3_2_2_planned_cities_recommend_through_their_province(city):
    r = quota_for(city.name, "leading", 2025)
    assert r.status == "via" and r.via == city.parent


def test_2025_clause_3_2_2_central_enterprises_go_through_the_factory_province():
    r = quota_for("中央企业", "leading", 2025)
    assert r.status == "via" and r.via is None and r.quota is None
    assert "工厂所在省" in r.basis_zh


def test_2025_clause_3_2_2_corps_has_no_leading_quota_and_none_is_invented():
    r = quota_for("兵团", "leading", 2025)
    assert r.status == "undetermined" and r.quota is None
    assert "未规定" in r.basis_zh


# ---------------------------------------------------------------- 2024 二（二）2
@pytest.mark.parametrize("province", ["广东省", "西藏自治区", "新疆维吾尔自治区"])
def test_2024_clause_2_2_2_every_province_at_most_20(province, tmp_path):
    r = quota_for(province, "excellent", 2024, data_dir=tmp_path)  # reads no data file
    assert r.quota == 20 and r.status == "ok"


@pytest.mark.parametrize("unit", ["大连", "Qingdao", "宁波市", "xiamen", "深圳", "XPCC", "中央企业"])
def test_2024_clause_2_2_2_planned_cities_corps_and_central_enterprises_at_most_5(unit):
    r = quota_for(unit, "excellent", 2024)
    assert r.quota == 5 and r.status == "ok" and r.via is None


def test_2024_notice_opened_no_leading_round():
    with pytest.raises(InputError) as exc:
        quota_for("广东", "leading", 2024)
    assert "领航级" in exc.value.message_zh and "leading" in exc.value.message_en


# ---------------------------------------------------------------- overrides and bad input
def test_user_override_says_so():
    r = quota_for("上海", "excellent", 2025, override=25)
    assert r.quota == 25 and r.status == "override" and r.original_quota == 30
    assert "用户指定" in r.basis_zh


def test_override_of_a_unit_that_recommends_through_another_is_refused():
    with pytest.raises(InputError):
        quota_for("深圳", "excellent", 2025, override=3)


def test_a_data_folder_without_the_file_falls_back_to_the_shipped_data_and_says_so(tmp_path):
    assert quota_for("XPCC", "excellent", 2025, data_dir=tmp_path).quota == 5
    r = quota_for("四川", "excellent", 2025, data_dir=tmp_path)
    assert r.quota == 40 and r.reference_file == "industrial_value_2024.csv（随软件提供的数据 / the shipped data）"


def test_a_data_folder_that_does_not_exist_is_bad_input(tmp_path):
    with pytest.raises(InputError):
        quota_for("四川", "excellent", 2025, data_dir=tmp_path / "nowhere")


def test_all_units_lists_every_recommending_unit():
    results = QuotaEngine(2025).all_units("excellent")
    assert len(results) == 31 + 1 + 1 + 5
    assert {r.status for r in results} <= {"ok", "via", "undetermined"}
    assert all(r.basis_zh and r.basis_en for r in results)


# ---------------------------------------------------------------- figures a user supplies, and the override's reason
from quota_opt.refdata import UserFigure, read_reference_bytes  # noqa: E402


def test_2025_clause_3_2_2_a_missing_count_supplied_by_the_user_decides_the_quota_and_is_recorded():
    assert QuotaEngine(2025).quota("四川", "leading").status == "undetermined"
    fig = UserFigure("excellent_counts_2024", "四川省", 15, "四川省经信厅通报 2025-02")
    r = QuotaEngine(2025, figures=[fig]).quota("四川", "leading")
    assert (r.quota, r.status, r.data_status) == (2, "ok", "user")
    assert "用户提供" in r.basis_zh and "四川省经信厅通报 2025-02" in r.basis_zh
    assert r.user_figures == [{"dataset": "excellent_counts_2024", "province": "四川省", "value": 15.0,
                               "source": "四川省经信厅通报 2025-02"}]
    assert r.reference_file.startswith("excellent_counts_2024.csv")


def test_2025_clause_2_2_2_a_user_figure_against_a_sourced_rank_bound_is_warned_and_undetermined(
        make_data_dir, all_known_values):
    shanghai_rank = _ranked(all_known_values).index("上海市") + 1
    folder = make_data_dir(all_known_values, bounds={"上海市": (shanghai_rank, shanghai_rank)})
    fig = UserFigure("industrial_value_2024", "上海", 20000, "我的估计")
    r = QuotaEngine(2025, data_dir=folder, figures=[fig]).quota("上海", "excellent")
    assert r.status == "undetermined" and r.quota is None
    assert any("矛盾" in w for w in r.warnings)


def test_2025_clause_3_2_2_an_uploaded_corrected_file_replaces_the_shipped_one():
    table = read_reference_bytes("excellent_counts_2024", "province,excellent_count\n四川,25\n".encode(), "更正.csv")
    engine = QuotaEngine(2025, tables={"excellent_counts_2024": table})
    r = engine.quota("四川", "leading")
    assert (r.quota, r.reference_file, r.user_figures) == (3, "更正.csv（上传的文件 / an uploaded file）", [])
    assert engine.quota("山东", "leading").status == "undetermined"  # the upload has no figure for it


def test_user_override_with_a_reason_keeps_the_reason():
    r = QuotaEngine(2025).quota("上海", "excellent", 25, reason="  经厅务会研究  确定 ")
    assert (r.quota, r.status, r.override_reason) == (25, "override", "经厅务会研究 确定")
    assert "理由：经厅务会研究 确定" in r.basis_zh and "reason: 经厅务会研究 确定" in r.basis_en
    assert QuotaEngine(2025).quota("上海", "excellent", 25).override_reason is None


# ---------------------------------------------------------------- the margin to the nearest tier boundary
from hypothesis import assume, given, settings, strategies as st  # noqa: E402

from conftest import write_values  # noqa: E402


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=100, max_value=100_000), min_size=31, max_size=31, unique=True),
       st.integers(min_value=0, max_value=30), st.floats(min_value=0.0, max_value=0.999), st.booleans())
def test_moving_a_figure_by_less_than_its_margin_never_changes_its_quota(tmp_path_factory, figures, who, share, up):
    """The margin is what it says: a province's figure may move by anything less than its margin, either
    way, and its quota stays; moving by the margin and a bit more towards that province changes it."""
    values = {p: float(v) for p, v in zip(PROVINCE_NAMES, figures)}
    province = PROVINCE_NAMES[who]
    folder = tmp_path_factory.mktemp("m")
    write_values(folder, values)
    base = quota_for(province, "excellent", 2025, data_dir=folder)
    assert base.margin is not None and base.margin > 0
    assert base.margin_pct == pytest.approx(100 * base.margin / min(values[province], values[base.margin_to]), abs=1e-3)
    moved = dict(values)
    moved[province] = values[province] + (1 if up else -1) * share * base.margin
    assume(moved[province] > 0)
    assume(moved[province] not in {v for p, v in values.items() if p != province})  # ties: the better rank
    write_values(folder, moved)
    assert quota_for(province, "excellent", 2025, data_dir=folder).quota == base.quota
    across = dict(values)
    toward = 1 if values[base.margin_to] > values[province] else -1
    across[province] = values[province] + toward * (base.margin + 0.5)
    write_values(folder, across)
    assert quota_for(province, "excellent", 2025, data_dir=folder).quota != base.quota


@pytest.mark.parametrize("unit,level,zh,en", [
    ("四川", "excellent", "国家统计局《中国统计年鉴2025》表3-9", "National Bureau of Statistics, China Statistical Yearbook 2025"),
    ("山东", "leading", "青岛新闻网2025年1月7日报道", "Qingdao News, 7 January 2025"),
])
def test_the_basis_cites_its_source_in_the_language_it_is_written_in(unit, level, zh, en):
    """Issue 9 §4: a Chinese user reads the quota's source in Chinese (the data file's citation_zh), an English
    reader in English; the whole provenance note (OCR, arithmetic checks) stays in data_source."""
    q = QuotaEngine(2025).quota(unit, level)
    assert zh in q.basis_zh and en not in q.basis_zh and "OCR" not in q.basis_zh and "press conference" not in q.basis_zh
    assert en in q.basis_en and zh not in q.basis_en
    assert len(q.data_source) > len(zh)  # the provenance is kept whole beside the basis
