"""AppTest of "Compare saved runs" (issue 9, section 4): the weights compared are those each run used (after
AHP), in one criterion order, by their labels; the AHP matrix is shown row by row in its stored order."""

from __future__ import annotations

import pytest

from app_helpers import frame_with, goto, start
from app_pages.i18n import esc
from quota_opt import RunStore, Scenario, default_scenario
from quota_opt.columns import CRITERION_COLUMNS, column_label
from quota_opt.documents import china_time
from quota_opt.pipeline import prepare, recommend_prepared
from quota_opt.samples import sample_path

AHP = ["maturity_level", "expert_score", "ai_scenario_share"]  # stored in this order, not the canonical one


def save_slider_and_ahp_runs(db) -> tuple[int, int]:
    """The shipped slider scenario and an AHP scenario whose [weights] table is the very same."""
    base = default_scenario()
    ahp = Scenario.from_dict({**base.to_dict(), "name": "ahp",
                              "scoring": {"weights_method": "ahp",
                                          "ahp": {"criteria": AHP, "matrix": [[1, 3, 5], ["1/3", 1, 2],
                                                                             ["1/5", "1/2", 1]]}}})
    prepared = prepare(sample_path("sichuan_excellent_2025"), "四川省", "excellent", 2025)
    store, ids = RunStore(db), []
    for name, scenario in (("滑块", base), ("层次分析", ahp)):
        rec = recommend_prepared(prepared, scenario)
        ids.append(store.save(name, rec.unit, rec.level, rec.year, rec.input_sha256, scenario.to_toml(), rec.to_dict()))
    return ids[0], ids[1]


def test_compare_saved_runs_reports_an_ahp_run_and_a_slider_run_as_different_weights(tmp_path, monkeypatch):
    db = tmp_path / "runs.sqlite3"
    monkeypatch.setenv("QUOTA_OPT_DB", str(db))
    a, b = save_slider_and_ahp_runs(db)
    at = goto(start(), "compare")
    assert not at.exception
    assert (at.selectbox(key="cmp_a").value, at.selectbox(key="cmp_b").value) == (a, b)
    shown = [m.value for m in at.markdown] + [i.value for i in at.info]
    assert not any("权重相同" in v for v in shown)  # not "the same weights"
    weights = frame_with(at, "指标", "运行 A 采用的权重", "运行 B 采用的权重")
    labels = weights["指标"].tolist()
    order = [column_label(c, "zh") for c in CRITERION_COLUMNS]
    assert labels == sorted(labels, key=order.index)  # one criterion order, by label (Chinese)
    used_b = RunStore(db).get(b).result["weights"]
    row = weights.set_index("指标").loc[column_label("maturity_level", "zh")]
    assert row["运行 B 采用的权重"] == used_b["maturity_level"] and row["运行 A 采用的权重"] == pytest.approx(0.1)
    rules = frame_with(at, "设置", "运行 A", "运行 B").set_index("设置")
    assert rules.loc["赋权方法", "运行 B"] == "层次分析法（AHP）"
    matrix = rules.loc["层次分析法：两两比较：判断矩阵（逐行，按存储顺序）", "运行 B"]
    assert matrix == "智能制造能力成熟度等级（1 : 3 : 5）；专家评审得分（0.3333 : 1 : 2）；人工智能场景占比（0.2 : 0.5 : 1）"
    assert rules.loc["层次分析法：两两比较：参与比较的指标（按存储顺序）", "运行 B"] == "智能制造能力成熟度等级、专家评审得分、人工智能场景占比"

    at.session_state["lang"] = "en"
    at.run()
    weights = frame_with(at, "Criterion", "Run A: weight used")
    assert weights["Criterion"].tolist()[0] == "Expert score"


def test_a_saved_run_with_an_unknown_level_is_named_not_a_traceback_on_the_compare_and_export_pages(tmp_path, monkeypatch):
    """Issue 9 §3 in the app: a stored row with a level the tool does not know is shown as it is."""
    import sqlite3

    db = tmp_path / "runs.sqlite3"
    monkeypatch.setenv("QUOTA_OPT_DB", str(db))
    a, b = save_slider_and_ahp_runs(db)
    with sqlite3.connect(db) as con:
        con.execute("UPDATE runs SET level = 'platinum' WHERE id = ?", (b,))
    for page in ("compare", "export"):
        at = goto(start(), page)
        assert not at.exception, (page, at.exception)
def test_saved_runs_show_their_time_in_china_standard_time(tmp_path, monkeypatch):
    db = tmp_path / "runs.sqlite3"
    monkeypatch.setenv("QUOTA_OPT_DB", str(db))
    a, _ = save_slider_and_ahp_runs(db)
    shown = china_time(RunStore(db).get(a).summary.created)
    at = goto(start(), "compare")
    assert not at.exception
    runs = frame_with(at, "编号", "名称", "时间（北京时间）")
    assert shown in runs["时间（北京时间）"].tolist() and shown.endswith("+08:00")
    assert shown[:16] in at.selectbox(key="cmp_a").format_func(a)


def test_the_text_download_names_settings_as_the_page_does(tmp_path, monkeypatch):
    import streamlit

    db = tmp_path / "runs.sqlite3"
    monkeypatch.setenv("QUOTA_OPT_DB", str(db))
    save_slider_and_ahp_runs(db)
    offered = {}
    real = streamlit.download_button

    def keep(label, data, *args, **kwargs):  # what the button would hand the user
        offered[kwargs.get("key")] = data
        return real(label, data, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", keep)
    at = goto(start(), "compare")
    assert not at.exception
    text = offered["cmp_download"]
    shown = frame_with(at, "设置", "运行 A", "运行 B")
    for setting, a, b in shown.itertuples(index=False):
        assert f"  {setting}: {a} → {b}" in text  # the page's own label and values
    assert "scoring.weights_method" not in text and "赋权方法: 直接赋权（滑块） → 层次分析法（AHP）" in text


def test_a_run_with_the_expert_panel_is_said_to_differ_from_one_with_the_files_expert_score(tmp_path, monkeypatch):
    monkeypatch.setenv("QUOTA_OPT_DB", str(tmp_path / "runs.sqlite3"))
    at = goto(start(), "export")
    at.button(key="export_save").click().run()
    goto(at, "panel")
    at.button(key="panel_sample").click().run()
    goto(at, "export")
    at.text_input(key="export_name").set_value("专家评审").run()
    at.button(key="export_save").click().run()
    goto(at, "compare")
    assert not at.exception, at.exception
    said = " ".join(w.value for w in at.warning)
    assert "专家评审得分来源：候选项目表中的“专家评审得分”列 → 专家评审汇总（7 位专家" in said
    assert esc("sichuan_excellent_2025_panel.xlsx") in said
