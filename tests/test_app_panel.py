"""AppTest of the 专家评审 page (issue 11): the sample panel, its problems, recusals and check with the
heat map, the aggregate feeding the results page exactly as ``quota-opt recommend --panel`` makes
it, the aggregation rule and the comparison of the rules, and an unreadable upload."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from app_helpers import PAGES, REPO, frame_with, goto, metric, start, texts
from cli_helpers import run_script
from quota_opt.samples import SAMPLES_DIR

POOL = SAMPLES_DIR / "sichuan_excellent_2025.csv"
PANEL = SAMPLES_DIR / "sichuan_excellent_2025_panel.xlsx"
EXPERTS = SAMPLES_DIR / "sichuan_excellent_2025_experts.csv"
RECUSALS = SAMPLES_DIR / "sichuan_excellent_2025_recusals.csv"


@pytest.fixture
def panel_app():
    at = start()
    goto(at, "panel")
    at.button(key="panel_sample").click().run()
    assert not at.exception, at.exception
    return at


def test_the_panel_page_comes_before_the_weights_in_the_workflow():
    pages = list(PAGES)
    assert pages.index("panel") == pages.index("rules") - 1
    app = (REPO / "app.py").read_text(encoding="utf-8")
    assert app.index("panel_page.py") < app.index("rules_page.py")


def test_the_page_without_sheets_says_the_candidate_files_score_is_used():
    at = AppTest.from_file(str(REPO / PAGES["panel"]), default_timeout=90).run()
    assert not at.exception
    assert any("尚未上传专家评分表" in x for x in texts(at))


def test_the_sample_panel_shows_its_problems_recusals_and_check(panel_app):
    at = panel_app
    assert metric(at, "专家") == "7" and metric(at, "不计入的评分") == "4" and metric(at, "问题") == "5"
    problems = frame_with(at, "工作表", "问题")
    assert set(problems["问题"]) == {"未评分"} and len(problems) == 5
    excluded = frame_with(at, "专家编号", "原因")
    assert set(excluded["专家编号"]) == {"E04"} and set(excluded["原因"]) == {"回避：专家与项目同属一个集团"}
    experts = frame_with(at, "宽严（分）", "斯皮尔曼相关")
    flagged = dict(zip(experts["专家编号"], experts["标记"]))
    assert flagged["E02"] == "评分偏宽" and flagged["E05"] == "评分偏宽" and flagged["E01"] == ""
    assert "对应回避的项目打了分" in flagged["E04"]
    assert any("肯德尔和谐系数 W = 0.837" in x and "111 个项目" in x for x in texts(at))
    chart = at.get("vega_lite_chart")
    assert chart, "the heat map"
    spec = json.loads(chart[0].proto.spec)
    assert any(layer.get("mark", {}).get("type") == "rect" and layer.get("mark", {}).get("fillOpacity") == 0
               for layer in spec["layer"])  # the outline layer of flagged cells


def test_the_sheet_problems_give_severity_and_the_check_statistic_in_the_page_language(panel_app):
    at = panel_app
    assert set(frame_with(at, "工作表", "级别")["级别"]) == {"提示"}  # not the code "warning"
    assert any("χ² = " in x for x in texts(at)) and not any("chi2" in x for x in texts(at))


def test_a_project_not_recommended_under_a_rule_has_an_empty_rank_not_none(panel_app):
    at = panel_app
    at.button(key="panel_compare").click().run()
    moved = frame_with(at, "项目编号", "名次（算术平均）")
    assert moved["名次（算术平均）"].isna().any()  # out of the list under that rule
    # an empty cell is drawn empty: without a placeholder Streamlit writes "None" in it
    assert len(at.dataframe) >= 5 and all(d.proto.HasField("placeholder") and d.proto.placeholder == ""
                                          for d in at.dataframe)


def test_the_results_use_the_panel_score_as_recommend_panel_does(panel_app):
    at = goto(panel_app, "results")
    assert not at.exception
    table = frame_with(at, "优先顺序", "项目编号", "得分")
    done = run_script("recommend", POOL, "--unit", "四川省", "--level", "excellent", "--year", "2025", "--panel", PANEL,
                      "--experts", EXPERTS, "--recusals", RECUSALS, "--json", "-")
    cli = json.loads(done.stdout)
    assert table["项目编号"].tolist() == [r["project_id"] for r in cli["selected"]]
    assert table["得分"].tolist() == pytest.approx([r["score"] for r in cli["selected"]])
    assert metric(at, "得分合计") == f"{cli['objective']:.2f}"
    assert any("专家评审（7 位专家" in c.value for c in at.sidebar.caption)


def test_switching_the_rule_changes_the_results_and_the_comparison_lists_what_moves(panel_app):
    at = panel_app
    at.radio(key="panel_rule@zh").set_value("median").run()
    assert any("中位数" in c.value for c in at.sidebar.caption)
    at.button(key="panel_compare").click().run()
    assert not at.exception, at.exception
    moved = frame_with(at, "项目编号", "名次（中位数）")
    assert "SC-010" in set(moved["项目编号"])  # picked under the mean only (see the CLI summary)
    at.toggle(key="panel_use").set_value(False).run()
    assert not any("专家评审（" in c.value for c in at.sidebar.caption)


def test_an_unreadable_score_sheet_is_a_message_not_a_traceback(panel_app):
    at = panel_app
    at.session_state["panel_files"] = [{"name": "bad.xlsx", "data": b"not a workbook"}]
    at.run()
    assert not at.exception
    assert any("专家评分表无法使用" in e.value for e in at.error)
    goto(at, "results")
    assert any("专家评分表无法使用" in e.value for e in at.error)
