"""AppTest of the selection frequency beside the results (issue 13, item 2): 入选频率 beside every pick
and the first ten projects not picked, equal to `quota-opt sensitivity --samples 500 --seed 0`,
coloured by class and recomputed at every weight or rule change."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app_helpers import frame_with, start
from cli_helpers import run_script
from quota_opt.samples import sample_path
from quota_opt.sensitivity import DEFAULT_SEED, DEFAULT_SPREAD, STABILITY_SAMPLES

FREQ = "入选频率"
CLASS_ZH = {"core": "核心", "borderline": "临界", "exterior": "外围"}


@pytest.fixture(scope="module")
def cli_report() -> dict:
    proc = run_script("sensitivity", sample_path("sichuan_excellent_2025"), "--unit", "四川", "--level", "excellent",
                      "--year", "2025", "--samples", STABILITY_SAMPLES, "--seed", DEFAULT_SEED, "--json", "-")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_the_defaults_are_the_clis_with_500_samples():
    assert (STABILITY_SAMPLES, DEFAULT_SPREAD, DEFAULT_SEED) == (500, 0.2, 0)


def test_every_pick_shows_its_selection_frequency_equal_to_quota_opt_sensitivity(cli_report):
    at = start()
    assert not at.exception
    table = frame_with(at, "优先顺序", "项目编号", FREQ, "类别")
    expected = {p["project_id"]: p for p in cli_report["projects"]}
    assert len(table) == 40 and cli_report["samples"] == 500 and cli_report["seed"] == 0
    for pid, freq, cls in zip(table["项目编号"], table[FREQ], table["类别"]):
        assert freq == expected[pid]["selection_frequency"]
        assert cls == CLASS_ZH[expected[pid]["class"]]


def test_the_first_ten_projects_not_picked_show_theirs_and_the_rest_are_empty(cli_report):
    at = start()
    table = frame_with(at, "项目编号", FREQ, "未推荐原因")
    expected = {p["project_id"]: p["selection_frequency"] for p in cli_report["projects"]}
    shown = table[FREQ].tolist()
    assert all(f == expected[pid] for pid, f in zip(table["项目编号"][:10], shown[:10]))
    assert all(f is None or f != f for f in shown[10:])  # empty (None or NaN)
    assert len(table) > 10


def marshalled(styler, uuid: str = "t"):
    """What Streamlit sends the browser for a Styler: its cell styles (CSS) and display values."""
    from streamlit.elements.lib.pandas_styler_utils import marshall_styler
    from streamlit.proto.ArrowData_pb2 import ArrowData

    styler.set_uuid(uuid)
    proto = ArrowData()
    marshall_styler(proto, styler, uuid)
    return proto.styler.styles, proto.styler.display_values


def pandas_rendered(frame, rows: int, formats: dict, backgrounds: dict):
    """The reference: pandas' own Styler over the first ``rows`` rows and every column up to the last
    formatted one (how the results page coloured its tables before issue 13's rendered_cells)."""
    first = frame.index[:rows]
    styler = frame.style
    for column, colours in backgrounds.items():
        css = [f"background-color: {c}" if c else "" for c in colours]
        styler = styler.apply(lambda _, css=css: css, subset=(first, [column]))
    styler = styler.format(formats, na_rep="", subset=(first, list(formats)))
    translate, columns = styler._translate, max(frame.columns.get_loc(c) for c in formats) + 1

    def limited(sparse_index, sparse_cols, max_rows=None, max_cols=None, *args, **kwargs):
        return translate(sparse_index, sparse_cols, rows, columns, *args, **kwargs)

    styler._translate = limited
    return styler


def test_the_frequency_cells_are_coloured_by_class():
    from app_pages.results_page import CLASS_BACKGROUNDS, coloured, with_stability
    import pandas as pd

    stability = pd.DataFrame({"selection_frequency": [1.0, 0.5, 0.0], "class": ["core", "borderline", "exterior"]},
                             index=pd.Index(["A", "B", "C"], name="project_id"))
    frame = with_stability(pd.DataFrame({"项目编号": ["A", "B", "C", "D"]}), ["A", "B", "C"], stability, rows=3)
    css, _ = marshalled(coloured(frame))
    for row, cls in enumerate(("core", "borderline", "exterior")):
        assert f"#T_t_row{row}_col1 {{ background-color: {CLASS_BACKGROUNDS[cls]} }}" in css
    assert frame[FREQ].tolist()[:3] == [1.0, 0.5, 0.0] and frame["类别"].tolist()[:3] == ["核心", "临界", "外围"]
    assert frame[FREQ].isna().tolist() == [False, False, False, True] and frame["类别"].isna().tolist()[3]


# text as the results' tables carry it: never missing (quota_opt.order writes "" for an empty name or city)
TEXT = st.text(max_size=6)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 40), st.data())
def test_the_rendered_cells_reach_streamlit_exactly_as_pandas_renders_them(n, data):
    """rendered_cells (issue 13: only the formatted cells worked out) sends Streamlit the same cell styles
    and display values as pandas' own rendering of the same cells, for any text, scores (missing too)
    and classes; so the table looks the same."""
    import pandas as pd

    from app_pages.results_page import CLASS_BACKGROUNDS, rendered_cells

    draw = data.draw
    frame = pd.DataFrame({
        "项目编号": pd.Series([f"P{i}" for i in range(n)], dtype=object),
        "得分": draw(st.lists(st.one_of(st.floats(0, 100), st.just(float("nan"))), min_size=n, max_size=n)),
        "名称": pd.Series(draw(st.lists(TEXT, min_size=n, max_size=n)), dtype=object),
        FREQ: draw(st.lists(st.one_of(st.floats(0, 1), st.just(float("nan"))), min_size=n, max_size=n)),
        "类别": pd.Series(draw(st.lists(TEXT, min_size=n, max_size=n)), dtype=object),
    })
    rows = draw(st.integers(1, n))
    colours = draw(st.lists(st.sampled_from([None, *CLASS_BACKGROUNDS.values()]), min_size=rows, max_size=rows))
    formats = {FREQ: "{:.1%}", "得分": "{:.2f}"}
    assert marshalled(rendered_cells(frame, rows, formats, {FREQ: colours})) == \
        marshalled(pandas_rendered(frame, rows, formats, {FREQ: colours}))


def test_a_weight_or_rule_change_recomputes_the_frequencies(monkeypatch):
    import app_pages.compute as compute
    from quota_opt.sensitivity import analyse

    calls = []
    real = compute.selection_frequencies
    monkeypatch.setattr(compute, "selection_frequencies",
                        lambda problem, scored, **k: calls.append((problem, scored, k)) or real(problem, scored, **k))
    at = start()
    assert len(calls) == 1 and calls[0][2]["samples"] == 500
    at.session_state["w_expert_score"] = 5
    at.run()
    at.session_state["c_on_group_cap"] = True
    at.session_state["c_max_per_group"] = 1
    at.session_state["c_on_industry_cap"] = True
    at.session_state["c_max_per_industry"] = 6
    at.run()
    assert not at.exception and len(calls) == 3
    problem, scored, options = calls[-1]
    caps = {r.family for r in problem.rules}
    assert {"max_per_industry", "max_per_group"} <= caps
    report = analyse(problem, scored, **options).projects.set_index("project_id")  # the whole report, as the CLI makes it
    table = frame_with(at, "优先顺序", "项目编号", FREQ)
    assert [report.loc[p, "selection_frequency"] for p in table["项目编号"]] == table[FREQ].tolist()
    at.run()  # nothing changed: served from the cache
    assert len(calls) == 3


def test_only_the_coloured_rows_go_through_the_styler_and_the_rest_keep_their_values():
    """Of 1,000 projects not picked only the first ten carry a frequency: only their formatted cells (the
    score and 入选频率) are worked out, and Streamlit shows every other cell from the frame itself (issue 13:
    pandas' Styler of every row cost 140 ms at each weight change, of the first rows 15 ms a table)."""
    import pandas as pd

    from app_pages.results_page import coloured, with_stability

    ids = [f"P{i:04d}" for i in range(1000)]
    stability = pd.DataFrame({"selection_frequency": [0.5] * 10, "class": ["borderline"] * 10},
                             index=pd.Index(ids[:10], name="project_id"))
    shown = pd.DataFrame({"项目编号": ids, "得分": [50.0 - i / 100 for i in range(1000)]})
    frame = with_stability(shown, ids, stability, rows=10)
    styler = coloured(frame)
    body = styler._translate(False, False)["body"]
    cells = [c for row in body for c in row if str(c.get("id", "")).startswith("row")]
    assert {int(c["id"].split("_")[0][3:]) for c in cells} == set(range(10))
    assert {int(c["id"].split("_col")[1]) for c in cells} == {1, 2}  # the score and 入选频率, not 类别 after it
    assert [c["display_value"] for c in cells if c["id"].endswith("_col2")] == ["50.0%"] * 10
    assert [c["display_value"] for c in cells if c["id"].endswith("_col1")][:2] == ["50.00", "49.99"]
    pd.testing.assert_frame_equal(styler.data, frame, check_dtype=False)  # every row still shown, same values
    assert styler.data.attrs == {} and len(frame.attrs["classes"]) == 1000  # not copied into every derived frame
    plain = with_stability(shown, ids, stability.iloc[:0], rows=0)  # no frequency shown: no Styler at all
    assert isinstance(coloured(plain), pd.DataFrame)


def test_the_app_compiles_the_simplex_in_the_background_once_per_process(monkeypatch):
    """The compiled simplex behind 入选频率 is compiled (or loaded from numba's cache) by a thread the
    first session starts, not by the first results page the user waits for; later sessions start none."""
    import threading

    import streamlit as st

    import quota_opt.optimise.simplex as simplex

    ran = []
    monkeypatch.setattr(simplex, "warm_up", lambda: ran.append(threading.current_thread().name))
    st.cache_resource.clear()
    start()
    start()
    for thread in threading.enumerate():
        if thread.name == "quota-opt-compile":
            thread.join(timeout=30)
    assert ran == ["quota-opt-compile"]
