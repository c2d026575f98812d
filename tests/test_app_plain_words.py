"""AppTest of issue 13's fresh review (what a provincial official meets): the app shows words, not the
core's internal names -- rule kinds, the units a quota rule applies to, severities and thresholds with their
units on the 通知规则 page and its form; every eligibility rule id with its words beside it; a sample pool
named by its label, not its file; the quota page's statistic by its name, its provenance record folded away.
The internal names stay in the JSON and CLI outputs (contracts); only what the app shows changes."""

from __future__ import annotations

import json
import re

import pytest

from app_helpers import frame_with, goto, start
from app_pages.i18n import esc
from quota_opt.rules import load_notice
from quota_opt.samples import SAMPLES_BY_NAME

INTERNAL = re.compile(r"^[a-z_]+$")  # rank_tier, via_province, hard, advisory, central_enterprise, advanced
RULE_ID = re.compile(r"[EQ]20\d\d-[A-Za-z-]+|level-match|unit-membership")


def _internal(values) -> set[str]:
    return {str(v) for v in values if isinstance(v, str) and INTERNAL.match(v)}


def test_the_notice_tables_say_kinds_units_severities_and_thresholds_in_words():
    at = goto(start(), "notice")
    assert not at.exception
    quota = frame_with(at, "规则编号", "适用单位", "类型")
    elig = frame_with(at, "规则编号", "性质", "取值")
    for frame, column in ((quota, "适用单位"), (quota, "类型"), (elig, "类型"), (elig, "性质"), (elig, "取值")):
        assert not _internal(frame[column]), (column, _internal(frame[column]))
    q = quota.set_index("规则编号")
    assert q.loc["Q2025-E-province-rank", "适用单位"] == "省（区、市）"
    assert q.loc["Q2025-E-province-rank", "类型"] == "按名次分档"
    assert q.loc["Q2025-E-corps", "适用单位"] == "新疆生产建设兵团" and q.loc["Q2025-E-corps", "类型"] == "固定名额"
    assert q.loc["Q2025-E-corps", "取值"] == "5 个"  # numbers with their unit
    assert q.loc["Q2025-E-province-rank", "取值"] == "前10位 → 40 个；第11~20位 → 30 个；第21位及以后 → 20 个"
    e = elig.set_index("规则编号")
    assert e.loc["E2025-E-rating", "取值"] == "先进级及以上" and e.loc["E2025-L-rating", "取值"] == "卓越级及以上"
    assert e.loc["E2025-E-maturity", "取值"] == "3 级及以上"
    assert e.loc["E2025-E-ai-share", "取值"] == "不低于 20%"
    assert e.loc["E2025-E-rating", "性质"] == "必须满足" and e.loc["E2025-E-ai-share", "性质"] == "提示"
    # shipped rules are named by their public document, never by the file they ship as
    assert not any(".toml" in c.value for c in at.caption)
    assert any(c.value == "随软件提供的规则（工信厅联通装函〔2025〕251号）" for c in at.caption)


def test_the_notice_tables_in_english_say_the_same_in_english():
    at = goto(start(lang="en"), "notice")
    elig = frame_with(at, "Rule id", "Severity", "Values").set_index("Rule id")
    quota = frame_with(at, "Rule id", "Applies to", "Kind").set_index("Rule id")
    assert elig.loc["E2025-E-rating", "Values"] == "advanced or above"
    assert elig.loc["E2025-E-ai-share", "Severity"] == "advisory"
    assert quota.loc["Q2025-E-central-enterprise", "Applies to"] == "central enterprise"
    assert quota.loc["Q2025-E-province-rank", "Kind"] == "Tiers by rank"


def test_the_new_year_form_names_unit_types_tier_bounds_and_ratings_in_words():
    at = goto(start(), "notice")
    labels = [w.label for kind in ("text_input", "number_input", "selectbox") for w in at.get(kind)]
    assert any(label.startswith("Q2026-E-province-rank（卓越级，省（区、市））") for label in labels)
    assert not any(re.search(r"[，（](province|corps|central_enterprise)）", label) for label in labels), labels
    rating = at.selectbox(key="notice_2025_value_0")
    assert rating.options == ["基础级", "先进级", "卓越级"] and rating.value == "advanced"
    notice = load_notice(2025)
    assert notice.eligibility_rules[0].kind == "min_rating"  # the form's first threshold is the rating
    tiers = at.data_editor(key="notice_2025_tiers_0")
    headers = [c.get("label") for c in json.loads(tiers.proto.columns).values()]
    assert "界限（名次不超过）" in headers and not any("rank_max" in str(h) for h in headers), headers


def test_a_sample_pool_is_named_by_its_label_not_its_file():
    at = goto(start(), "data")
    line = at.success[0].value
    sample = SAMPLES_BY_NAME["sichuan_excellent_2025"]
    assert line.endswith(esc(f"（示例数据：{sample.label_zh}）")), line
    assert sample.file not in line and ".csv" not in line
    at.session_state["lang"] = "en"
    at.run()
    assert at.success[0].value.endswith(esc(f" (sample data: {sample.label_en})"))


def test_an_uploaded_file_is_still_named_by_its_own_name():
    at = goto(start(), "data")
    at.radio(key="data_source@zh").set_value("upload").run()
    data = SAMPLES_BY_NAME["sichuan_excellent_2025"].path.read_bytes()
    at.file_uploader(key="data_upload").set_value(("本省申报汇总.csv", data, "text/csv")).run()
    assert at.success[0].value.endswith(esc("（文件：本省申报汇总.csv）"))


def _ids_have_words(cells) -> None:
    for cell in cells:
        for rule_id in RULE_ID.findall(str(cell)):
            assert re.search(re.escape(rule_id) + r"（[^）]+）", str(cell)), cell


@pytest.mark.parametrize("page", ["data", "results"])  # the eligibility table; the ineligible projects
def test_every_failed_eligibility_rule_shows_its_words_beside_its_id(page):
    at = goto(start(), page)
    frame = frame_with(at, "项目编号", "未满足的条件")
    failed = [c for c in frame["未满足的条件"] if c]
    assert failed
    _ids_have_words(failed)
    assert "E2025-E-stages（覆盖全部五个环节）" in set(failed)
    assert any("E2025-E-ai（开展人工智能技术应用）" in c for c in failed)


def test_the_rules_applied_show_each_id_with_its_words():
    at = goto(start(), "data")
    rules = frame_with(at, "规则", "条款")
    assert "level-match（申报层级相符）" in set(rules["规则"])
    assert "unit-membership（属于本推荐单位）" in set(rules["规则"])
    _ids_have_words(rules["规则"])


def test_the_quota_page_names_its_statistic_and_folds_the_provenance_record_away():
    at = goto(start(), "quota")
    captions = [c.value for c in at.caption]
    assert any(c.startswith("规则读取“2024年全部工业增加值（亿元）”") for c in captions), captions
    assert not any(c.startswith("规则读取数据集") for c in captions)
    upload = next(u for u in at.get("file_uploader") if u.key and u.key.startswith("quota_userdata_file_"))
    assert upload.label.startswith("上传“2024年全部工业增加值（亿元）”数据文件")
    # the corrections file's headers are a file format (English), each said in words beside it
    corrections = next(u for u in at.get("file_uploader") if u.key == "quota_file_industrial_value_2024")
    assert "province 省份" in corrections.label and "industrial_value 2024年全部工业增加值（亿元）" in corrections.label
    # the provenance (partly English: how the figure was read and checked) sits in an expander, not in sight
    folded = [e for e in at.expander if e.label == "数据来源详情（原始记录，部分为英文）"]
    assert folded and any("OCR" in c.value for e in folded for c in e.caption)
    everywhere = [c.value for c in at.caption if "OCR" in c.value]
    folded_away = [c.value for e in folded for c in e.caption if "OCR" in c.value]
    assert everywhere and sorted(everywhere) == sorted(folded_away)


def test_the_run_information_shows_each_label_in_one_language():
    at = goto(start(), "export")
    info = frame_with(at, "项目", "内容")
    assert "生成时间（北京时间）" in set(info["项目"])
    assert not any(" / " in str(v) or "/ created" in str(v) for v in info["项目"]), list(info["项目"])


def test_the_panel_check_gives_a_tiny_p_value_as_below_a_thousandth():
    at = goto(start(), "panel")
    at.button(key="panel_sample").click().run()
    (kendall,) = [i.value for i in at.info if "肯德尔和谐系数" in i.value]
    assert "p < 0.001" in kendall and "e-" not in kendall


def test_the_run_information_shows_enumerations_in_words_and_a_sample_by_its_label():
    at = goto(start(), "export")
    info = frame_with(at, "项目", "内容").set_index("项目")["内容"]
    sample = SAMPLES_BY_NAME["sichuan_excellent_2025"]
    assert info["层级"] == "卓越级" and info["方案"] == "默认方案" and info["赋权方法"] == "直接赋权"
    assert info["标准化方法"] == "极差标准化（min-max）" and info["状态"] == "已得出推荐"
    assert info["权重：专家评审得分"] == "0.3500（越大越好）"
    assert info["约束"] == "仅名额" and info["输入文件"] == f"示例数据：{sample.label_zh}"
    assert info["参考数据文件"] == "industrial_value_2024.csv（随软件提供的数据）"
    assert not any(" / " in str(v) for k, v in info.items() if k != "方案（TOML）"), dict(info)
    at.radio(key="lang").set_value("en").run()
    info = frame_with(at, "Item", "Value").set_index("Item")["Value"]
    assert info["weights method"] == "manual" and info["status"] == "recommended (optimal)"
    assert info["weight: expert score"] == "0.3500 (higher is better)"


def test_a_score_sheets_problem_starts_with_the_problem_not_the_file_name():
    """The file, sheet, row and column have their own columns; the message says what is wrong."""
    at = goto(start(), "panel")
    at.button(key="panel_sample").click().run()
    problems = frame_with(at, "文件", "工作表", "行号", "说明")
    assert len(problems)
    for r in problems.itertuples():
        assert not str(r.说明).startswith(str(r.文件)), r.说明
    assert "未评分（视为该专家未评此项目）" in set(problems["说明"])



def test_a_file_missing_columns_links_to_the_candidates_page_not_the_rules():
    at = goto(start(), "data")
    at.radio(key="data_source@zh").set_value("upload").run()
    at.file_uploader(key="data_upload").set_value(("两列.csv", "项目编号,项目名称\nA-1,甲\n".encode(), "text/csv")).run()
    for page in ("results", "robustness"):
        goto(at, page)
        assert any("必填列" in e.value for e in at.error)
        assert [p.proto.page for p in at.get("page_link")] == ["data"], page
