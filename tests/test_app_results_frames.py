"""The results page's tables, made a column at a time (issue 13: the page's share of a weight change's
time), equal the tables the page made before from the same recommendation: pandas' records, melt and
filters, kept here as the reference, in both languages and on pools with every rule family."""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st
from hypothesis import given, settings
from hypothesis import strategies as hst

from factories import make_pool
from quota_opt.balance import rule_usage
from quota_opt.result import build_recommendation
from quota_opt.scenario import default_scenario
from quota_opt.sensitivity import selection_frequencies
from quota_opt.optimise import build_problem
from quota_opt.score import score

from app_pages import ui
from app_pages.i18n import criterion, label, lang, t
from app_pages import results_page as page

# the session's state read outside a page run (the language): Streamlit warns at every read
logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)

RULES = [dict(max_per_industry=3, min_per_city=1, max_per_group=1), dict(max_per_city=2, min_score=60.0),
         dict(min_per_industry=1, max_per_industry=4), {}]


# ---------------------------------------------------------------------- the tables as the page made them


def old_summary_frame(rec, stability):
    frame = pd.DataFrame(rec.selected, columns=["rank", "project_id", "project_name", "enterprise", "city",
                                                "industry", "score"])
    headers = ui.headers("rank", "project_id", "project_name", "enterprise", "city", "industry", "score")
    return old_with_stability(ui.display(frame, headers), frame["project_id"], stability)


def old_with_stability(shown, ids, stability, rows=None):
    if stability is None:
        return shown
    ids = list(ids)[:rows] if rows is not None else list(ids)
    freq = stability["selection_frequency"].reindex(ids)
    cls = stability["class"].reindex(ids)
    pad = len(shown) - len(ids)
    out = shown.copy()
    columns = list(out.columns)
    after = next((c for c in (label("reason"), label("score")) if c in columns), None)
    at = columns.index(after) + 1 if after is not None else len(columns)
    out.insert(at, t("rob.col.frequency"), list(freq.astype(float)) + [None] * pad)
    out.insert(at + 1, t("rob.col.class"), [t(f"rob.class.{c}") for c in cls] + [None] * pad)
    out.attrs["classes"] = list(cls) + [None] * pad
    return out


def old_not_selected_frame(rec, codes, stability):
    rows = [r for r in rec.not_selected if r["reason_code"] in codes]
    frame = pd.DataFrame(rows, columns=["project_id", "project_name", "enterprise", "city", "industry", "score",
                                        "reason_zh", "reason_en", "blocked_by"])
    frame["reason"] = frame["reason_zh"] if lang() == "zh" else frame["reason_en"]
    frame["blocked_by"] = frame["blocked_by"].map(lambda v: "、".join(v) if isinstance(v, (list, tuple)) else "")
    shown = ui.display(frame, ui.headers(*page.NOT_SELECTED_COLUMNS))
    first = {r["project_id"] for r in rec.not_selected[:page.STABILITY_ROWS]}
    return old_with_stability(shown, frame["project_id"], stability, rows=int(frame["project_id"].isin(first).sum()))


def old_breakdown(rec):
    ids = [r["project_id"] for r in rec.selected]
    names = {r["project_id"]: f"{r['rank']}. {page._short(r.get('project_name') or r['project_id'])}" for r in rec.selected}
    contrib = rec.contributions.loc[ids]
    crit = {c: criterion(c) for c in contrib.columns}
    long = contrib.rename(columns=crit).rename_axis("project_id").reset_index().melt(
        id_vars="project_id", var_name="criterion", value_name="points")
    long["project"] = long["project_id"].map(names)
    long["order"] = long["criterion"].map({v: i for i, v in enumerate(crit.values())})
    return long, [names[p] for p in ids], list(crit.values())


def old_usage_frame(usage, dimension):
    frame = usage[usage["dimension"] == dimension].copy()
    states = {s: t(f"res.state.{s}") for s in set(frame["state"])}
    frame["state"] = frame["state"].map(states)
    return ui.display(frame, {"key": t(f"col.{dimension}"), "candidates": t("col.candidates"),
                              "selected": t("col.selected"), "floor": t("col.floor"), "cap": t("col.cap"),
                              "state": t("col.state")})


# ---------------------------------------------------------------------- the comparison


def same_table(new: pd.DataFrame, old: pd.DataFrame) -> None:
    """The same headers, rows, values and attrs. A missing value may be held as None or NaN (Streamlit
    sends both as an empty cell); text may be held as Arrow text or Python objects, and a table with no
    rows may type its empty columns differently."""
    def cells(frame):
        return frame.astype(object).where(frame.notna(), None).reset_index(drop=True)

    pd.testing.assert_frame_equal(cells(new), cells(old))
    assert list(new.index) == list(old.index)
    for column in new.columns:
        a, b = new[column], old[column]
        if len(new) and b.notna().any() and (pd.api.types.is_numeric_dtype(b.dtype) or pd.api.types.is_numeric_dtype(a.dtype)):
            assert a.dtype == b.dtype, column
    assert new.attrs == old.attrs


@settings(max_examples=25, deadline=None)
@given(hst.integers(12, 120), hst.integers(0, 2**16), hst.sampled_from(RULES), hst.data())
def test_the_results_tables_equal_the_ones_made_record_by_record(n, seed, rules, data):
    for language in ("zh", "en"):
        st.session_state["lang"] = language
        try:
            check_tables(n, seed, rules, data)
        finally:
            st.session_state["lang"] = "zh"


def check_tables(n, seed, rules, data):
    pool = make_pool(n, seed=seed, cities=("成都市", "绵阳市", "德阳市", "宜宾市", "泸州市"))
    scenario = default_scenario().with_constraints(**rules) if rules else default_scenario()
    rec = build_recommendation(pool, max(1, n // 5), scenario)
    if not rec.feasible:
        return
    scored = score(pool, scenario)
    stability = selection_frequencies(build_problem(pool, scored, rec.quota, scenario), scored, samples=20)
    for stab in (stability, None):
        same_table(page.summary_frame(rec, stab), old_summary_frame(rec, stab))
        codes = list(dict.fromkeys(r["reason_code"] for r in rec.not_selected))
        shown = data.draw(hst.lists(hst.sampled_from(codes), unique=True)) if codes else []
        for chosen in (codes, shown):
            same_table(page.not_selected_frame(rec, chosen, stab), old_not_selected_frame(rec, chosen, stab))
    if rec.selected:  # the chart is drawn only then
        long, projects, criteria = page.breakdown(rec)
        old_long, old_projects, old_criteria = old_breakdown(rec)
        pd.testing.assert_frame_equal(long, old_long)
        assert (projects, criteria) == (old_projects, old_criteria)
    usage = rule_usage(rec, pool)
    for dimension in ("industry", "city", "group"):
        pd.testing.assert_frame_equal(page.usage_frame(usage, dimension), old_usage_frame(usage, dimension))
