"""AppTest of the robustness and what-if page and of the page comparing saved runs: the sampling runs
on submit only and shows the core's report for every eligible project; spread 0 reproduces the
base picks; the what-if answer is the core's; two saved runs compared; a run deleted after a
confirmation; both pages in English."""

from __future__ import annotations

import json
import re

import pytest

from app_helpers import frame_with, goto, metric, start
from app_pages.i18n import esc
from quota_opt import RunStore, default_scenario
from quota_opt.columns import column_label
from quota_opt.compare import compare_runs
from quota_opt.pipeline import prepare, recommend_prepared
from quota_opt.samples import sample_path
from quota_opt.sensitivity import sensitivity_prepared
from quota_opt.whatif import what_if_prepared

FREQ_ZH = "入选频率"
SAMPLE = ("sichuan_excellent_2025", "四川省", "excellent", 2025)


@pytest.fixture(scope="module")
def pool():
    name, unit, level, year = SAMPLE
    return prepare(sample_path(name), unit, level, year)


@pytest.fixture
def page():
    return goto(start(), "robustness")


def run_analysis(at, samples: int = 50, **options):
    at.select_slider(key="rob_samples").set_value(samples)
    for key, value in options.items():
        widget = at.toggle(key=key) if key == "rob_dirichlet" else (
            at.slider(key=key) if key == "rob_spread" else at.number_input(key=key))
        widget.set_value(value)
    return at.button(key="rob_run").click().run()


def test_the_page_starts_and_samples_only_when_the_form_is_submitted(page, monkeypatch):
    import app_pages.compute as compute

    calls = []
    real = compute.sensitivity_prepared
    monkeypatch.setattr(compute, "sensitivity_prepared", lambda *a, **k: calls.append(k["samples"]) or real(*a, **k))
    assert not page.exception and page.title[0].value == "稳健性与假设分析"
    assert not [d for d in page.dataframe if FREQ_ZH in d.value.columns]
    assert any("开始分析" in i.value for i in page.info)
    page.select_slider(key="rob_samples").set_value(100)
    page.slider(key="rob_spread").set_value(0.3).run()  # a change inside the form runs nothing
    assert calls == [] and not [d for d in page.dataframe if FREQ_ZH in d.value.columns]
    page.select_slider(key="rob_samples").set_value(100)  # AppTest, unlike a browser, forgets unsubmitted values
    page.button(key="rob_run").click().run()
    assert calls == [100] and len(frame_with(page, FREQ_ZH)) == 105
    page.selectbox(key="wi_project@zh").set_value("SC-090").run()  # another widget: the report comes from the cache
    assert calls == [100] and len(frame_with(page, FREQ_ZH)) == 105


def test_fifty_samples_list_every_eligible_project_with_the_cores_frequencies(page, pool):
    run_analysis(page, 50)
    assert not page.exception
    table = frame_with(page, "项目编号", FREQ_ZH, "类别")
    report = sensitivity_prepared(pool, default_scenario(), samples=50, spread=0.2, seed=0)
    eligible = set(pool.eligibility.eligible["project_id"].astype(str))
    assert len(table) == len(eligible) == 105 and set(table["项目编号"]) == eligible
    assert table[FREQ_ZH].between(0, 1).all()
    assert table[FREQ_ZH].sum() <= 40 + 1e-9  # never more picks than the quota, on average
    expected = report.projects.set_index("project_id")
    shown = table.set_index("项目编号")
    assert shown[FREQ_ZH].to_dict() == expected["selection_frequency"].to_dict()
    assert shown["名次中位数"].to_dict() == expected["rank_p50"].to_dict()
    assert shown["类别"].to_dict() == expected["class"].map({"core": "核心", "borderline": "临界",
                                                            "exterior": "外围"}).to_dict()
    counts = report.counts()
    assert [metric(page, k) for k in ("核心项目", "临界项目", "外围项目")] == [
        str(counts["core"]), str(counts["borderline"]), str(counts["exterior"])]
    assert counts["borderline"] > 0  # the sample pool has picks that hang on the weights
    spec = json.loads(page.get("vega_lite_chart")[0].proto.spec)
    titles = json.dumps(spec, ensure_ascii=False)
    assert all(s in titles for s in ("入选频率", "得分名次（1 为最高）", "类别", "核心"))
    assert any("均匀抽样 50 次" in c.value and "[0.8, 1.2]" in c.value for c in page.caption)


def test_spread_zero_gives_frequency_one_exactly_for_the_base_picks(page, pool):
    base = {r["project_id"] for r in recommend_prepared(pool).selected}
    run_analysis(page, 50, rob_spread=0.0)
    table = frame_with(page, "项目编号", FREQ_ZH).set_index("项目编号")
    assert set(table.index[table[FREQ_ZH] == 1.0]) == base
    assert (table.loc[~table.index.isin(base), FREQ_ZH] == 0.0).all()
    assert set(table.index[table["当前入选"]]) == base
    assert metric(page, "核心项目") == "40" and metric(page, "临界项目") == "0"


def test_dirichlet_sampling_is_the_cores(page, pool):
    run_analysis(page, 50, rob_dirichlet=True, rob_concentration=80.0, rob_seed=7)
    table = frame_with(page, "项目编号", FREQ_ZH).set_index("项目编号")
    report = sensitivity_prepared(pool, default_scenario(), samples=50, seed=7, dirichlet=80.0)
    assert table[FREQ_ZH].to_dict() == report.projects.set_index("project_id")["selection_frequency"].to_dict()
    assert any("狄利克雷抽样 50 次" in c.value and "集中度 80" in c.value for c in page.caption)


def test_a_changed_weight_asks_for_a_new_analysis_rather_than_showing_the_old_one(page):
    run_analysis(page, 50)
    assert len(frame_with(page, FREQ_ZH)) == 105
    goto(page, "rules")
    page.slider(key="w_expert_score").set_value(80).run()
    goto(page, "robustness")
    assert any("已改变" in i.value for i in page.info)
    assert not [d for d in page.dataframe if FREQ_ZH in d.value.columns]
    page.button(key="rob_run").click().run()
    assert len(frame_with(page, FREQ_ZH)) == 105


def test_the_what_if_answer_for_a_chosen_project_is_the_cores(page, pool):
    page.selectbox(key="wi_project@zh").set_value("SC-066").run()
    assert not page.exception
    answer = what_if_prepared(pool, "SC-066", default_scenario())
    shown = "\n".join(m.value for m in page.markdown)
    for zh, _ in answer.project.lines():
        assert esc(zh) in shown
    assert "强制入选" in shown and "SC\\-064" in shown
    assert metric(page, "入选所需得分") == f"{answer.project.needed:.2f}"
    assert metric(page, "强制入选让出的总分") == f"{answer.project.cost:.2f}"
    assert list(frame_with(page, "项目编号", "项目名称")["项目编号"]) == list(answer.project.left) == ["SC-064"]

    page.selectbox(key="wi_project@zh").set_value("SC-090").run()  # a pick: the price of taking it out
    shown = "\n".join(m.value for m in page.markdown)
    assert "强制不选" in shown and "保持入选所需得分" in [m.label for m in page.metric]
    assert any("当前方案没有启用均衡规则" in m.value for m in page.markdown)


def test_the_price_of_the_balance_rules_by_family(page, pool):
    goto(page, "rules")
    page.toggle(key="c_on_city_cap").set_value(True).run()
    page.number_input(key="c_max_per_city").set_value(4).run()
    goto(page, "robustness")
    scenario = default_scenario().with_constraints(max_per_city=4)
    answer = what_if_prepared(pool, str(page.selectbox(key="wi_project@zh").value), scenario)
    assert answer.rules.cost > 0
    assert metric(page, "让出的得分") == f"{answer.rules.cost:.2f}"
    families = frame_with(page, "规则", "让出的得分")
    assert families["规则"].tolist() == ["每个城市最多推荐"]
    assert families["让出的得分"].tolist() == pytest.approx([answer.rules.by_family["max_per_city"]])
    shown = [d.value["项目编号"].tolist() for d in page.dataframe if "项目编号" in d.value.columns]
    assert answer.rules.brought_in and list(answer.rules.brought_in) in shown
    assert answer.rules.kept_out and list(answer.rules.kept_out) in shown


def test_infeasible_rules_are_said_so_without_an_analysis(page):
    goto(page, "rules")
    page.toggle(key="c_on_city_floor").set_value(True).run()
    page.number_input(key="c_min_per_city").set_value(5).run()
    goto(page, "robustness")
    assert not page.exception
    assert any("无法同时满足" in w.value for w in page.warning)
    assert not [b for b in page.button if b.key == "rob_run"]


def save_two_runs(db) -> tuple[int, int]:
    store = RunStore(db)
    base = default_scenario()
    other = base.with_weights({"expert_score": 0.5, "ai_scenario_share": 0.5}).with_constraints(max_per_city=4)
    name, unit, level, year = SAMPLE
    prepared = prepare(sample_path(name), unit, level, year)
    ids = []
    for run_name, scenario in (("基线方案", base), ("**加重AI**", other)):
        rec = recommend_prepared(prepared, scenario)
        ids.append(store.save(run_name, rec.unit, rec.level, rec.year, rec.input_sha256, scenario.to_toml(),
                              rec.to_dict()))
    return ids[0], ids[1]


def test_two_saved_runs_compared_and_one_deleted_after_a_confirmation(tmp_path, monkeypatch):
    db = tmp_path / "runs.sqlite3"
    monkeypatch.setenv("QUOTA_OPT_DB", str(db))
    at = goto(start(), "compare")
    assert not at.exception and at.title[0].value == "比较已保存的运行"
    assert any("至少两次" in i.value and "现有 0 次" in i.value for i in at.info)

    a, b = save_two_runs(db)
    at.run()
    assert not at.exception
    assert (at.selectbox(key="cmp_a").value, at.selectbox(key="cmp_b").value) == (a, b)  # A older, B newest
    store = RunStore(db)
    expected = compare_runs(store.get(a), store.get(b))
    entered = frame_with(at, "项目编号", "B 中名次")
    left = frame_with(at, "项目编号", "A 中名次", "在 B 中")
    assert entered["项目编号"].tolist() == [e["project_id"] for e in expected.entered] and len(entered) == 15
    assert left["项目编号"].tolist() == [e["project_id"] for e in expected.left]
    assert set(left["在 B 中"]) <= {"所在城市名额已满", "推荐名额已满"}
    moved = frame_with(at, "项目编号", "上升名次（负数为下降）")
    assert moved["上升名次（负数为下降）"].tolist() == [m["places"] for m in expected.moved]
    assert [metric(at, k) for k in ("进入", "退出")] == [str(len(expected.entered)), str(len(expected.left))]
    rules = frame_with(at, "设置", "运行 A", "运行 B")
    assert rules.to_dict("records") == [{"设置": "每个城市最多推荐", "运行 A": "—（未设置）", "运行 B": "4"}]
    weights = frame_with(at, "指标", "运行 A 采用的权重").set_index("指标")
    assert weights.loc["专家评审得分", "运行 B 采用的权重"] == pytest.approx(0.5)
    assert weights.loc[column_label("cost_reduction", "zh"), "运行 B 滑块（给定）"] == "—（未设置）"  # B does not weigh it

    at.selectbox(key="cmp_a").set_value(b).run()  # the same run on both sides
    assert any("两次不同的运行" in i.value for i in at.info)

    at.selectbox(key="cmp_delete").set_value(b).run()
    at.button(key="cmp_delete_ask").click().run()
    assert any(esc("**加重AI**") in w.value for w in at.warning)  # the run's name, shown as text
    at.button(key="cmp_delete_no").click().run()
    assert len(RunStore(db).list()) == 2 and not [w for w in at.warning if "无法恢复" in w.value]
    at.button(key="cmp_delete_ask").click().run()
    at.button(key="cmp_delete_yes").click().run()
    assert not at.exception
    assert [r.id for r in RunStore(db).list()] == [a]
    assert any(f"已删除第 {b} 号运行" in s.value for s in at.success)
    assert any("现有 1 次" in i.value for i in at.info)


def test_the_language_switch_changes_the_headers_of_both_pages(tmp_path, monkeypatch, page):
    monkeypatch.setenv("QUOTA_OPT_DB", str(tmp_path / "runs.sqlite3"))
    run_analysis(page, 50)
    page.selectbox(key="wi_project@zh").set_value("SC-090").run()
    page.radio(key="lang").set_value("en").run()
    assert not page.exception and page.title[0].value == "Robustness & what-if"
    table = frame_with(page, "Project id", "Selection frequency")
    assert {"Class", "Rank, median", "Picked now"} <= set(table.columns) and len(table) == 105
    assert set(table["Class"]) <= {"core", "borderline", "exterior"}
    assert page.selectbox(key="wi_project@en").value == "SC-090"  # the choice holds across the switch
    assert any("forcing it out" in m.value for m in page.markdown)
    spec = json.dumps(json.loads(page.get("vega_lite_chart")[0].proto.spec))
    assert "Rank by score (1 = highest)" in spec and "\\u5165\\u9009" not in spec  # no Chinese title left
    save_two_runs(tmp_path / "runs.sqlite3")
    goto(page, "compare")
    assert page.title[0].value == "Compare saved runs"
    assert {"Project id", "Rank in B", "In A"} <= set(frame_with(page, "Rank in B").columns)
    assert "At most per city" in set(frame_with(page, "Setting")["Setting"])
    headings = [e.value for e in (*page.title, *page.subheader)] + [m.label for m in page.metric]
    assert headings and not any(re.search(r"[\u4e00-\u9fff]", h) for h in headings), headings


def test_what_if_in_the_app_says_a_score_above_100_is_not_reachable_by_score_alone():
    """Under at most 3 per industry and 5 per city SC-090 would need 101.78: the metric says it cannot be
    reached by score alone, and the prose is the CLI's (2 decimals)."""
    at = start(c_on_industry_cap=True, c_max_per_industry=3, c_on_city_cap=True, c_max_per_city=5)
    at = goto(at, "robustness")
    at.selectbox(key="wi_project@zh").set_value("SC-090").run()
    assert not at.exception
    assert metric(at, "入选所需得分") == "仅靠分数无法达到"
    shown = "\n".join(m.value for m in at.markdown)
    assert "仅靠分数无法入选" in shown and "101\\.78" in shown and "101\\.778" not in shown


def test_what_if_in_the_app_says_a_gain_as_a_gain():
    """SC-017 (score 22.12) made must-include: taking it out (the fixing lifted) gains total score, shown
    as a gain, never as 'a decrease of -x'."""
    at = start(c_on_include=True, c_include=["SC-017"])
    at = goto(at, "robustness")
    at.selectbox(key="wi_project@zh").set_value("SC-017").run()
    assert not at.exception
    gain = metric(at, "强制拿掉多得的总分")
    assert float(gain) > 0
    shown = "\n".join(m.value for m in at.markdown)
    assert f"总分增加 {esc(gain)}" in shown and "减少 \\-" not in shown


def test_ten_thousand_samples_are_offered_and_run_with_the_bar_moving_to_the_end(page, pool, monkeypatch):
    """Issue 13: the robustness page goes up to MAX_SAMPLES (10,000) weight samples. The sample pool under the
    shipped scenario has only the quota as a rule, so its 10,000 selections are a sort (no solver): the
    report covers 10,000 samples, equal to the core's, and the progress bar moves in 5 % steps to
    10,000 / 10,000 before it is removed."""
    from streamlit.delta_generator import DeltaGenerator

    from quota_opt.sensitivity import MAX_SAMPLES

    assert MAX_SAMPLES == 10_000 and "10,000" in page.select_slider(key="rob_samples").options  # with its separator
    moves = []
    real = DeltaGenerator.progress

    def progress(self, value, text=None):
        moves.append((value, text))
        return real(self, value, text=text)

    monkeypatch.setattr(DeltaGenerator, "progress", progress)
    run_analysis(page, MAX_SAMPLES)
    assert not page.exception
    assert any("均匀抽样 10,000 次" in c.value for c in page.caption)
    values = [v for v, _ in moves]
    assert values == sorted(values) and values[-1] == 1.0 and len(values) == 20  # 5 %, 10 %, ..., 100 %
    assert moves[-1][1].endswith("10,000 / 10,000")
    assert not page.get("progress")  # removed once the analysis is done
    shown = frame_with(page, "项目编号", FREQ_ZH).set_index("项目编号")[FREQ_ZH]
    report = sensitivity_prepared(pool, default_scenario(), samples=MAX_SAMPLES, spread=0.2, seed=0)
    assert shown.to_dict() == report.projects.set_index("project_id")["selection_frequency"].to_dict()


def test_importing_the_robustness_page_for_its_constants_draws_nothing_that_leaks_into_the_next_run():
    """A page module imported for its helpers (tests, the CLI's checks) used to run its page in bare mode,
    leaving its form open, and the next session's results page then failed (a download button in a form)."""
    import importlib

    import app_pages.results_page
    import app_pages.robustness_page

    importlib.reload(app_pages.robustness_page)
    importlib.reload(app_pages.results_page)
    at = start()
    assert not at.exception and at.title[0].value == "推荐结果"


def test_the_frequency_column_looks_as_on_the_results_page_coloured_by_class_and_one_decimal(page, pool):
    """Issue 13's review: the table's frequencies were bars of one colour, as "5.04%"; now each cell has
    its class's background and the results page's format (results_page.coloured: "{:.1%}")."""
    import pyarrow as pa

    from app_pages.results_page import CLASS_BACKGROUNDS

    run_analysis(page, 50)
    table = next(d for d in page.dataframe if FREQ_ZH in d.value.columns)
    styler = table.proto.arrow_data.styler
    shown = pa.ipc.open_stream(styler.display_values).read_pandas()
    report = sensitivity_prepared(pool, default_scenario(), samples=50, spread=0.2, seed=0).projects
    assert shown[FREQ_ZH].tolist() == [f"{f:.1%}" for f in report["selection_frequency"]]
    column = list(table.value.columns).index(FREQ_ZH)
    for cls in ("core", "borderline", "exterior"):
        rows = [i for i, c in enumerate(report["class"]) if c == cls]
        assert rows, cls
        block = re.search(rf"([^{{}}]*)\{{ background-color: {CLASS_BACKGROUNDS[cls]} }}", styler.styles).group(1)
        assert {int(r) for r in re.findall(rf"_row(\d+)_col{column}\b", block)} == set(rows), cls


def test_the_sample_counts_read_with_a_thousands_separator(page):
    slider = page.select_slider(key="rob_samples")
    assert slider.options == ["50", "100", "200", "500", "1,000", "2,000", "5,000", "10,000"]
    run_analysis(page, 10_000)
    assert not page.exception and page.select_slider(key="rob_samples").value == 10_000
