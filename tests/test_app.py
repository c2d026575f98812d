"""AppTest of the whole app: every page starts, the main path, infeasible rules, quota overrides and
figures, the language switch, caching, and that user text is never read as markup."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from app_helpers import APP, PAGES, REPO, edit, frame_with, goto, metric, start, texts
from candidate_factory import csv_bytes, make_rows
from app_pages.i18n import esc
from quota_opt import RunStore
from quota_opt.columns import CRITERION_COLUMNS

SUMMARY_ZH = ["优先顺序", "项目编号", "项目名称", "申报单位", "所在城市", "所属行业", "得分"]


@pytest.fixture
def app():
    return start()


def test_a_fresh_start_opens_on_the_sichuan_sample_with_its_ranked_table(app):
    assert not app.exception
    table = frame_with(app, *SUMMARY_ZH)
    assert list(table.columns) == [*SUMMARY_ZH, "入选频率", "类别"]  # with the selection frequency (issue 13)
    assert len(table) == 40 and table["优先顺序"].tolist() == list(range(1, 41))
    assert table["得分"].is_monotonic_decreasing
    assert metric(app, "推荐名额") == "40" and metric(app, "不符合条件") == "15"
    assert app.title[0].value == "推荐结果"


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_starts_in_the_app(app, page):
    goto(app, page)
    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    assert app.title


@pytest.mark.parametrize("page", list(PAGES.values()))
def test_every_page_file_starts_on_its_own(page):
    at = AppTest.from_file(str(REPO / page), default_timeout=90).run()
    assert not at.exception, at.exception


def test_the_app_lists_every_page_of_the_workflow():
    text = APP.read_text(encoding="utf-8")
    assert all(path in text for path in PAGES.values())


def test_main_path_from_another_sample_pool_to_its_ranked_table(app):
    goto(app, "data")
    app.selectbox(key="data_sample@zh").set_value("shandong_leading_2025").run()
    assert not app.exception
    assert (app.selectbox(key="data_unit@zh").value, app.selectbox(key="data_level@zh").value) == ("山东省", "leading")
    goto(app, "results")
    table = frame_with(app, *SUMMARY_ZH)
    assert metric(app, "推荐名额") == "3" and len(table) == 3
    assert table["优先顺序"].tolist() == [1, 2, 3]
    assert not set(table["项目编号"]) & {"SD-005", "SD-008", "SD-010", "SD-011"}  # the ineligible


def test_an_infeasible_rule_set_gives_the_explanation_in_plain_words(app):
    goto(app, "rules")
    app.toggle(key="c_on_city_floor").set_value(True).run()
    app.number_input(key="c_min_per_city").set_value(5).run()
    assert not app.exception
    preview = " ".join(e.value for e in app.error)
    assert "无法同时满足" in preview
    goto(app, "results")
    message = " ".join(e.value for e in app.error)
    assert "推荐规则无法同时满足" in message and "名额" in message and "城市" in message
    # the rule in words, never the solver's row name (min_per_city[雅安市]); the English view the same
    assert esc("城市“雅安市”至少推荐 5 个") in message and "per" not in message, message
    app.radio(key="lang").set_value("en").run()
    message = " ".join(e.value for e in app.error)
    assert esc('"at least 5 from city 雅安市"') in message and "per\\_city" not in message, message
    app.radio(key="lang").set_value("zh").run()
    assert metric(app, "推荐") == "0"
    not_selected = frame_with(app, "未推荐原因")
    assert len(not_selected) == 105 and set(not_selected["未推荐原因"]) == {"推荐规则无法同时满足，未推荐任何项目"}


def test_the_language_switch_changes_headers_labels_and_chart_axes(app):
    app.radio(key="lang").set_value("en").run()
    assert not app.exception
    table = frame_with(app, "Priority")
    assert list(table.columns) == ["Priority", "Project id", "Project name", "Enterprise", "City", "Industry", "Score",
                                   "Selection frequency", "Class"]
    assert app.title[0].value == "Results" and metric(app, "Quota") == "40"
    spec = json.loads(app.get("vega_lite_chart")[0].proto.spec)["encoding"]
    assert (spec["x"]["title"], spec["y"]["title"], spec["color"]["title"]) == (
        "Points", "Recommended project (priority order)", "Criterion")
    assert spec["color"]["sort"][0] == "Expert score"
    goto(app, "data")  # the choice holds on every page
    assert app.title[0].value == "Candidates" and "Eligible" in frame_with(app, "Eligible").columns
    app.radio(key="lang").set_value("zh").run()
    assert app.title[0].value == "候选项目" and "符合条件" in frame_with(app, "符合条件").columns


def test_a_weight_change_updates_the_results_without_reading_the_file_again(app, monkeypatch):
    import app_pages.compute as compute

    reads = []
    real = compute.read_table_bytes
    monkeypatch.setattr(compute, "read_table_bytes", lambda *a, **k: reads.append(a[1]) or real(*a, **k))
    before = frame_with(app, *SUMMARY_ZH)
    goto(app, "rules")
    for c in CRITERION_COLUMNS:
        if c not in ("expert_score",):
            app.slider(key=f"w_{c}").set_value(0)
    app.slider(key="w_expert_score").set_value(100).run()
    goto(app, "results")
    after = frame_with(app, *SUMMARY_ZH)
    assert reads == []  # parsed once, before the patch; never again
    assert after["项目编号"].tolist() != before["项目编号"].tolist()
    assert after["得分"].max() == pytest.approx(100.0)  # expert score alone: the best project scores 100


def test_caps_by_industry_from_the_editable_table_apply(app):
    goto(app, "rules")
    app.toggle(key="c_on_industry_cap").set_value(True).run()
    editor = next(e for e in app.data_editor if e.key.startswith("rt_industry_editor"))
    row = int(editor.value.index[editor.value["key"] == "汽车制造业"][0])
    edit(app, editor.key, {row: {"cap": 2}})
    assert not app.exception
    goto(app, "results")
    table = frame_with(app, *SUMMARY_ZH)
    assert (table["所属行业"] == "汽车制造业").sum() == 2
    usage = frame_with(app, "行业", "上限")
    car = usage[usage["行业"] == "汽车制造业"].iloc[0]
    assert car["上限"] == 2 and car["推荐数"] == 2 and car["状态"] == "已达上限"
    assert float(metric(app, "让出的得分")) > 0
    # the projects the rules brought in and kept out: recommended and not, each with its name and score
    traded = [d.value for d in app.dataframe if list(d.value.columns) == ["项目编号", "项目名称", "得分"]]
    names = dict(zip(table["项目编号"], table["项目名称"]))
    scores = dict(zip(table["项目编号"], table["得分"]))
    brought_in, kept_out = traded
    assert len(brought_in) == len(kept_out) > 0 and not set(brought_in["项目编号"]) & set(kept_out["项目编号"])
    assert all(names[p] == n and scores[p] == s for p, n, s in brought_in.itertuples(index=False))
    assert set(kept_out["项目编号"]).isdisjoint(table["项目编号"]) and (kept_out["项目名称"].str.len() > 0).all()
    assert list(kept_out["得分"]) == sorted(kept_out["得分"], reverse=True) and kept_out["得分"].min() > brought_in["得分"].min()


def test_include_exclude_and_minimum_score(app):
    goto(app, "rules")
    app.toggle(key="c_on_include").set_value(True).run()
    app.multiselect(key="c_include").set_value(["SC-001"]).run()
    app.toggle(key="c_on_exclude").set_value(True).run()
    app.multiselect(key="c_exclude").set_value(["SC-090"]).run()
    app.toggle(key="c_on_min_score").set_value(True).run()
    app.number_input(key="c_min_score").set_value(55.0).run()
    goto(app, "results")
    table = frame_with(app, *SUMMARY_ZH)
    assert "SC-001" in set(table["项目编号"]) and "SC-090" not in set(table["项目编号"])
    rest = table[table["项目编号"] != "SC-001"]
    assert (rest["得分"] >= 55).all()
    reasons = frame_with(app, "未推荐原因").set_index("项目编号")["未推荐原因"]
    assert reasons["SC-090"] == "用户指定不推荐"


def test_ahp_weights_show_their_consistency_ratio(app):
    goto(app, "rules")
    app.radio(key="w_method@zh").set_value("ahp").run()
    assert any("CR = 0.000" in s.value for s in app.success)  # all pairs equal: perfectly consistent
    app.select_slider(key="ahp|expert_score|ai_scenario_share@zh").set_value("9").run()
    app.select_slider(key="ahp|ai_scenario_share|maturity_level@zh").set_value("9").run()
    app.select_slider(key="ahp|expert_score|maturity_level@zh").set_value("1/9").run()
    assert any("CR = " in w.value and "> 0.05" in w.value for w in app.warning)  # the limit for 3 criteria
    used = frame_with(app, "采用的权重")
    assert set(used["指标"]) >= {"专家评审得分", "人工智能场景占比", "智能制造能力成熟度等级"}
    goto(app, "results")
    assert len(frame_with(app, *SUMMARY_ZH)) == 40


def test_entropy_and_blended_weights(app):
    goto(app, "rules")
    app.radio(key="w_method@zh").set_value("entropy").run()
    entropy = frame_with(app, "差异系数 d")
    assert entropy["熵权法"].sum() == pytest.approx(1.0, abs=1e-3)
    app.radio(key="w_method@zh").set_value("blend").run()
    app.slider(key="blend_alpha").set_value(1.0).run()
    used = frame_with(app, "采用的权重").set_index("指标")
    assert used.loc["专家评审得分", "采用的权重"] == pytest.approx(0.35, abs=1e-4)  # alpha 1: the sliders alone


def test_a_quota_override_needs_a_reason_and_is_shown_everywhere_and_exported(app):
    goto(app, "quota")
    app.toggle(key="quota_override_on|四川省|2025|excellent").set_value(True).run()
    app.number_input(key="quota_override|四川省|2025|excellent").set_value(30).run()
    assert any("理由" in w.value for w in app.warning)  # not applied without a reason
    assert app.metric[0].value == "40"
    app.text_input(key="quota_reason|四川省|2025|excellent").set_value("厅务会研究决定压减").run()
    assert app.metric[0].value == "30"
    goto(app, "results")
    assert metric(app, "推荐名额") == "30" and len(frame_with(app, *SUMMARY_ZH)) == 30
    assert any("厅务会研究决定压减" in w.value for w in app.warning)
    goto(app, "export")
    info = frame_with(app, "项目", "内容").set_index("项目")["内容"]
    assert info["名额调整理由"] == "厅务会研究决定压减" and "原名额 40 → 30" in info["名额由用户指定"]


def test_issue9_an_override_belongs_to_its_unit_year_and_level(app):
    """Overriding 上海市 to 30 and going back to 四川省 keeps Sichuan's own quota (40 picks), not
    '用户指定 30' with Shanghai's reason; going back to 上海市 finds its override again."""
    goto(app, "data")
    app.selectbox(key="data_unit@zh").set_value("上海市").run()
    goto(app, "quota")
    assert any("上海市，2025 年卓越级" in c.value for c in app.caption)  # says which unit the override is for
    app.toggle(key="quota_override_on|上海市|2025|excellent").set_value(True).run()
    app.number_input(key="quota_override|上海市|2025|excellent").set_value(30).run()
    app.text_input(key="quota_reason|上海市|2025|excellent").set_value("上海的理由").run()
    assert app.metric[0].value == "30"
    goto(app, "data")
    app.selectbox(key="data_unit@zh").set_value("四川省").run()
    goto(app, "quota")
    assert app.metric[0].value == "40" and not any("上海的理由" in w.value for w in app.warning)
    assert not app.toggle(key="quota_override_on|四川省|2025|excellent").value
    goto(app, "results")
    assert metric(app, "推荐名额") == "40" and len(frame_with(app, *SUMMARY_ZH)) == 40
    assert not any("用户指定" in x or "上海的理由" in x for x in texts(app))
    goto(app, "data")
    app.selectbox(key="data_unit@zh").set_value("上海市").run()
    goto(app, "quota")
    assert app.metric[0].value == "30" and any("上海的理由" in w.value for w in app.warning)


def test_a_missing_figure_supplied_with_its_source_decides_the_quota():
    app = start(data_level="leading")  # 四川省 at leading level: its 2024 excellent count is missing
    goto(app, "quota")
    assert app.metric[0].value == "—"
    assert any("待定" in c.value for c in app.caption)
    editor = next(e for e in app.data_editor if e.key.startswith("quota_figures_editor"))
    row = int(editor.value.index[editor.value["province"] == "四川省"][0])
    edit(app, editor.key, {row: {"user_value": 15}})
    assert any("来源" in e.value for e in app.error)  # no source yet: refused, saying so
    edit(app, editor.key, {row: {"user_value": 15, "user_source": "四川省经信厅 2025 年 2 月通报"}})
    assert app.metric[0].value == "2"
    assert any("四川省经信厅 2025 年 2 月通报" in i.value for i in app.info)
    goto(app, "export")
    info = frame_with(app, "项目", "内容").set_index("项目")["内容"]
    assert "四川省：15" in info["用户提供的数据"]


def test_an_uploaded_corrected_data_file_is_used_and_named():
    app = start(data_level="leading")
    goto(app, "quota")
    app.file_uploader(key="quota_file_excellent_counts_2024").set_value(
        ("更正.csv", "province,excellent_count,source\n四川省,25,省经信厅\n".encode(), "text/csv")).run()
    assert app.metric[0].value == "3"
    assert any(esc("更正.csv") in i.value for i in app.info)


def test_user_text_is_shown_as_text_never_as_markup(app):
    rows = make_rows(3)
    rows[0]["project_name"] = "**粗体** <b>x</b> [链接](http://example.com) :red[红] $x$"
    rows[1]["enterprise"] = "<script>alert(1)</script>"
    goto(app, "data")
    app.radio(key="data_source@zh").set_value("upload").run()
    app.file_uploader(key="data_upload").set_value(("<img src=x>*名单*.csv", csv_bytes(rows), "text/csv")).run()
    goto(app, "results")
    table = frame_with(app, *SUMMARY_ZH)
    assert rows[0]["project_name"] in set(table["项目名称"])  # exactly as typed, in a table
    unescaped = re.compile(r"(?<!\\)(\*\*粗体|<(img|b|script)\b|\[链接\]|:red\[)")
    shown = texts(app)
    assert any("粗体" in text or "名单" in text for text in shown)
    for text in shown:
        assert not unescaped.search(text), text
    assert any(r"\<img src\=x\>\*名单\*\.csv" in c.value for c in app.caption)  # the file name, escaped


def test_save_this_run(app, tmp_path, monkeypatch):
    monkeypatch.setenv("QUOTA_OPT_DB", str(tmp_path / "runs.sqlite3"))
    goto(app, "export")
    app.text_input(key="export_name").set_value("基线方案").run()
    app.button(key="export_save").click().run()
    assert any("基线方案" in s.value for s in app.success)
    runs = RunStore(tmp_path / "runs.sqlite3").list()
    assert [(r.name, r.unit, r.n_selected) for r in runs] == [("基线方案", "四川省", 40)]


def test_a_scenario_file_loads_into_every_widget(app):
    from quota_opt import default_scenario

    scen = default_scenario().with_constraints(max_per_city=4, industry_max={"汽车制造业": 3}, exclude=["SC-090"])
    scen = scen.with_weights({"expert_score": 0.5, "ai_scenario_share": 0.5})
    goto(app, "rules")
    app.expander  # the upload sits in an expander; the widget is there all the same
    app.file_uploader(key="rules_upload").set_value(("我的方案.toml", scen.to_toml().encode(), "application/toml")).run()
    assert not app.exception
    assert app.slider(key="w_expert_score").value == 50 and app.slider(key="w_investment").value == 0
    assert app.toggle(key="c_on_city_cap").value and app.number_input(key="c_max_per_city").value == 4
    assert app.multiselect(key="c_exclude").value == ["SC-090"]
    goto(app, "results")
    table = frame_with(app, *SUMMARY_ZH)
    assert (table["所属行业"] == "汽车制造业").sum() <= 3 and "SC-090" not in set(table["项目编号"])
    assert table["所在城市"].value_counts().max() <= 4


def test_back_to_the_default_scenario(app):
    before = frame_with(app, *SUMMARY_ZH)
    goto(app, "rules")
    app.slider(key="w_expert_score").set_value(0).run()
    app.button(key="rules_reset").click().run()
    assert app.slider(key="w_expert_score").value == 35
    goto(app, "results")
    assert frame_with(app, *SUMMARY_ZH).equals(before)


def test_2024_quota_of_the_corps_and_every_unit_listed(app):
    goto(app, "data")
    app.selectbox(key="data_year").set_value(2024).run()
    app.selectbox(key="data_unit@zh").set_value("新疆生产建设兵团").run()
    goto(app, "quota")
    assert app.metric[0].value == "5" and not app.exception
    units = frame_with(app, "推荐单位", "名额")
    assert len(units) == 31 + 1 + 1 + 5 and set(units.loc[units["类型"] == "省（区、市）", "名额"]) == {20}
    app.selectbox(key="quota_unit@zh").set_value("深圳市").run()
    assert app.metric[1].value == "5" and any("深圳市卓越级推荐不超过5个" in x.value for x in app.text)  # 2024: its own


def test_the_sidebar_names_a_sample_once_with_its_count_not_twice():
    """A sample's label says how many projects it holds; the sidebar does not add "（120 行）" after it."""
    at = start()
    captions = [c.value for c in at.sidebar.caption]
    pool = next(c for c in captions if c.startswith("候选项目："))
    assert "120个示例项目" in pool and "行）" not in pool, pool
