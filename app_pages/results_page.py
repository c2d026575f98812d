"""Results (the default page): the ranked summary table with each score broken down by criterion, the
projects not recommended with their reasons, counts per industry and city against their caps and
floors, the score given up to the balance rules, or -- when the rules cannot all hold -- why. Beside
every pick and the first ten projects not picked: its selection frequency (入选频率) under the default
spread of weights, coloured by class, recomputed (and cached) at every weight or rule change.

Everything shown comes from the core's :class:`~quota_opt.result.Recommendation`,
:func:`~quota_opt.balance.rule_usage` and :func:`~quota_opt.balance.balance_cost`.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from quota_opt.balance import BalanceCost
from quota_opt.columns import ReasonCode
from quota_opt.result import Recommendation
from quota_opt.sensitivity import CORE_AT, DEFAULT_SEED, DEFAULT_SPREAD, EXTERIOR_AT, STABILITY_SAMPLES

from app_pages import compute, ui
from app_pages.i18n import criterion, esc, fmt, label, lang, level_name, local, pick, t, unit_name

NAME_WIDTH = 22  # characters of a project name on the chart's axis


STABILITY_ROWS = 10  # projects not picked shown with their selection frequency (the first, in the results' order)
# light backgrounds of the robustness page's class colours (core, borderline, exterior)
CLASS_BACKGROUNDS = {"core": "#c8e6c9", "borderline": "#ffe0b2", "exterior": "#eeeeee"}


SUMMARY_COLUMNS = ("rank", "project_id", "project_name", "enterprise", "city", "industry", "score")
_NUMBERS = {"rank": "int64", "score": "float64"}  # every other column of the tables is text


def records_frame(records: list[dict], columns: dict[str, object]) -> pd.DataFrame:
    """The records' fields as a table: ``columns`` maps each header to the field it shows (a key of the
    records, or a function of a record). Text as text (Arrow-backed, as pandas reads it), numbers as
    numbers; made a column at a time, not record by record (the 1,000 projects not picked are made again
    at every weight change)."""
    out = {}
    for header, field in columns.items():
        values = [field(r) for r in records] if callable(field) else [r.get(field) for r in records]
        out[header] = pd.Series(values, dtype=_NUMBERS.get(field, "str") if records else object)
    return pd.DataFrame(out)


def summary_frame(rec: Recommendation, stability: pd.DataFrame | None = None) -> pd.DataFrame:
    frame = records_frame(rec.selected, {label(c): c for c in SUMMARY_COLUMNS})
    return with_stability(frame, [r["project_id"] for r in rec.selected], stability)


def with_stability(shown: pd.DataFrame, ids, stability: pd.DataFrame | None,
                   rows: int | None = None) -> pd.DataFrame:
    """``shown`` with the selection frequency (入选频率) and class of its first ``rows`` projects (all by
    default) under the default spread; the other rows are left empty."""
    if stability is None:
        return shown
    ids = list(ids)[:rows] if rows is not None else list(ids)
    where = stability.index.get_indexer(ids)
    found = where >= 0
    freq = np.where(found, stability["selection_frequency"].to_numpy(dtype=float)[where], np.nan)
    cls = [c if ok else None for c, ok in zip(stability["class"].to_numpy(dtype=object)[where], found)]
    pad = len(shown) - len(ids)
    out = shown.copy(deep=False)
    # beside the score (the frequency says how firmly that score holds the place), in sight at 1,440 px
    columns = list(out.columns)
    after = next((c for c in (label("reason"), label("score")) if c in columns), None)  # after the reason, else the score
    at = columns.index(after) + 1 if after is not None else len(columns)
    names = {c: t(f"rob.class.{c}") for c in set(cls) if c is not None}
    out.insert(at, t("rob.col.frequency"), pd.Series([*freq.tolist(), *[None] * pad], dtype=float, index=out.index))
    out.insert(at + 1, t("rob.col.class"), pd.Series([names.get(c) for c in cls] + [None] * pad, dtype="str",
                                                     index=out.index))
    out.attrs["classes"] = list(cls) + [None] * pad
    return out


def rendered_cells(frame: pd.DataFrame, rows: int, formats: dict[str, str],
                   backgrounds: dict[str, list[str | None]]) -> Styler:
    """A Styler of ``frame`` that Streamlit renders as pandas would, with only the cells that differ from
    the frame's own values worked out: in the first ``rows`` rows, the columns of ``formats`` (a format
    string each; missing values empty) with their background colours (``backgrounds``: a colour or None
    per row). Streamlit shows every other cell from the frame's values, which is what pandas' default
    display of them would be (text as it is, whole numbers as written); so the table looks the same
    while pandas' rendering, which walks and formats every cell of the rows it renders (about 15 ms a
    table at each weight change), is never run.

    What Streamlit reads of a Styler (``_compute`` then ``_translate``: the body's cells with their
    display values and the cell styles, grouped by style in the order pandas groups them) is set on
    this one object (Streamlit accepts only a Styler itself, not a subclass); pandas' own HTML
    rendering of it is not supported. tests/test_app_stability.py checks what Streamlit receives
    equals what the full pandas rendering gives."""
    styler = frame.style
    where = sorted((frame.columns.get_loc(c), c) for c in formats)
    body, styles = [], {}
    for r in range(rows):
        cells = []
        for c, name in where:
            value = frame.iat[r, c]
            cell = f"row{r}_col{c}"
            cells.append({"type": "td", "value": value, "class": f"data row{r} col{c}", "is_visible": True,
                          "attributes": "", "display_value": "" if pd.isna(value) else formats[name].format(value),
                          "id": cell})
            colour = backgrounds.get(name, [None] * rows)[r]
            if colour:
                styles.setdefault(("background-color", colour), []).append(cell)
        body.append(cells)
    translated = {"uuid": styler.uuid, "caption": None, "table_styles": [], "body": body,
                  "cellstyle": [{"props": [props], "selectors": cells} for props, cells in styles.items()]}
    styler._compute = lambda: styler
    styler._translate = lambda *args, **kwargs: translated
    return styler


def coloured(frame: pd.DataFrame, score_format: bool = True):
    """The table with its 入选频率 cells coloured by class (core, borderline, exterior) and shown as
    percentages (the score with two decimals), as a Styler of those cells alone (:func:`rendered_cells`);
    the frame itself when no cell is coloured."""
    column = t("rob.col.frequency")
    if column not in frame.columns:
        return frame
    classes = frame.attrs.get("classes", [])
    # without its attrs: pandas deep-copies them into every frame and column derived from it, and
    # Streamlit derives dozens (a list of 1,000 classes copied each time cost more than the table)
    frame = frame.copy(deep=False)
    frame.attrs = {}
    rows = max((i + 1 for i, c in enumerate(classes) if c in CLASS_BACKGROUNDS), default=0)
    if not rows:
        return frame
    formats = {column: "{:.1%}"}
    if score_format and label("score") in frame.columns:
        formats[label("score")] = "{:.2f}"
    return rendered_cells(frame, rows, formats, {column: [CLASS_BACKGROUNDS.get(c) for c in classes[:rows]]})


def breakdown(rec: Recommendation) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Points per criterion of each pick, long form for the chart: (data, project order, criterion order).
    The rows run criterion by criterion, each over the picks in priority order."""
    ids = [r["project_id"] for r in rec.selected]
    names = [f"{r['rank']}. {_short(r.get('project_name') or r['project_id'])}" for r in rec.selected]
    contrib = rec.contributions
    values = contrib.to_numpy(dtype=float)[contrib.index.get_indexer(ids)]  # picks x criteria
    crit = [criterion(c) for c in contrib.columns]
    picks, count = values.shape
    long = pd.DataFrame({"project_id": pd.array(ids * count, dtype="str"),
                         "criterion": pd.array([c for c in crit for _ in range(picks)], dtype="str"),
                         "points": values.T.reshape(-1),
                         "project": pd.array(names * count, dtype="str"),
                         "order": np.repeat(np.arange(count, dtype=np.int64), picks)})
    return long, names, crit


def _short(text: str) -> str:
    text = str(text)
    return text if len(text) <= NAME_WIDTH else text[: NAME_WIDTH - 1] + "…"


def breakdown_chart(rec: Recommendation) -> None:
    data, projects, criteria = breakdown(rec)
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("points:Q", stack="zero", title=t("chart.points")),
        y=alt.Y("project:N", sort=projects, title=t("chart.project"),
                axis=alt.Axis(labelLimit=280, labelOverlap=False, labelFontSize=12, titleAngle=0, titleAlign="right",
                              titleAnchor="start", titleBaseline="bottom", titleX=-4, titleY=-6)),
        color=alt.Color("criterion:N", sort=criteria, title=t("chart.criterion"),
                        legend=alt.Legend(orient="bottom", columns=4)),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("project:N", title=t("chart.project")),
                 alt.Tooltip("criterion:N", title=t("chart.criterion")),
                 alt.Tooltip("points:Q", title=t("chart.points"), format=".2f")],
    ).properties(height=max(160, 24 * len(projects)))
    st.altair_chart(chart, width="stretch", key="res_chart")


def breakdown_table(rec: Recommendation) -> pd.DataFrame:
    ids = [r["project_id"] for r in rec.selected]
    contrib = rec.contributions.loc[ids].round(2)
    contrib.columns = [criterion(c) for c in contrib.columns]
    head = pd.DataFrame({label("rank"): [r["rank"] for r in rec.selected], label("project_id"): ids,
                         label("score"): [r["score"] for r in rec.selected]})
    return pd.concat([head, contrib.reset_index(drop=True)], axis=1)


NOT_SELECTED_COLUMNS = ("project_id", "score", "reason", "project_name", "city", "industry", "blocked_by", "enterprise")
# widths (pixels) that keep the columns up to the project's name on a 1,440 px screen beside the sidebar
NOT_SELECTED_WIDTHS = {"project_id": 80, "score": 70, "reason": 520, "project_name": 230, "city": 80}
# The summary table keeps the official table's column order; these widths (px) fit it, with the
# selection frequency and class after the score, in the 980 px the page gives it at 1,440 px.
SUMMARY_WIDTHS = {"rank": 64, "project_id": 72, "project_name": 220, "enterprise": 190, "city": 68, "industry": 150,
                  "score": 64}
STABILITY_WIDTHS = {"rob.col.frequency": 80, "rob.col.class": 56}


def not_selected_frame(rec: Recommendation, codes: list[str], stability: pd.DataFrame | None = None) -> pd.DataFrame:
    """The projects not picked with a reason in ``codes``; the first STABILITY_ROWS of all projects not
    picked (in the results' order) carry their selection frequency."""
    wanted = set(codes)
    rows = [r for r in rec.not_selected if r["reason_code"] in wanted]
    reason = "reason_zh" if lang() == "zh" else "reason_en"
    fields = {"reason": reason,
              "blocked_by": lambda r: "、".join(r["blocked_by"]) if isinstance(r.get("blocked_by"), (list, tuple)) else ""}
    # the score and the reason first, so both are in sight without scrolling sideways (1,440 px wide)
    shown = records_frame(rows, {label(c): fields.get(c, c) for c in NOT_SELECTED_COLUMNS})
    if stability is None:
        return shown
    first = {r["project_id"] for r in rec.not_selected[:STABILITY_ROWS]}  # a filter keeps the order: they come first
    ids = [r["project_id"] for r in rows]
    return with_stability(shown, ids, stability, rows=sum(p in first for p in ids))


USAGE_COLUMNS = ("key", "candidates", "selected", "floor", "cap", "state")


def usage_frame(usage: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """The rows of ``usage`` (:func:`quota_opt.balance.rule_usage`) of one dimension, their states in words;
    taken column by column, each as it is typed (nullable whole numbers for the floors and caps)."""
    rows = np.flatnonzero(usage["dimension"].to_numpy(dtype=object) == dimension)
    states = usage["state"].array.take(rows)
    words = {s: t(f"res.state.{s}") for s in set(states)}
    columns = {c: usage[c].array.take(rows) for c in USAGE_COLUMNS[:-1]}
    columns["state"] = pd.array([words[s] for s in states], dtype=usage["state"].dtype)
    return pd.DataFrame({t(f"col.{dimension}" if c == "key" else f"col.{c}"): v for c, v in columns.items()},
                        index=usage.index.take(rows))


def balance_section(rec: Recommendation, cost: BalanceCost) -> None:
    st.subheader(t("res.balance"))
    if cost.status != "ok":
        st.write(t("res.balance.infeasible"))
        return
    st.metric(t("res.balance.metric"), f"{cost.given_up:.2f}")
    if not cost.given_up and not cost.brought_in:
        st.write(t("res.balance.none"))
        return
    st.write(t("res.balance.explain", reference=f"{cost.reference:.2f}", recommended=f"{cost.recommended:.2f}",
               given_up=f"{cost.given_up:.2f}"))
    names = {r["project_id"]: r.get("project_name", "") for r in (*rec.selected, *rec.not_selected)}
    cols = st.columns(2)
    for col, title, rows, key in ((cols[0], t("res.balance.in"), cost.brought_in, "res_brought_in"),
                                  (cols[1], t("res.balance.out"), cost.kept_out, "res_kept_out")):
        col.markdown(f"**{title}**")
        frame = records_frame(list(rows), {label("project_id"): "project_id",
                                           label("project_name"): lambda r: names.get(r["project_id"], ""),
                                           label("score"): "score"})
        col.dataframe(frame, hide_index=True, placeholder="", key=key,
                      column_config={label("score"): st.column_config.NumberColumn(format="%.2f")})


def infeasible(rec: Recommendation) -> None:
    lines = "\n".join(f"- {esc(pick(e['zh'], e['en']))}" for e in rec.explanation)
    st.error(f"**{t('res.infeasible')}**\n\n{lines}\n\n{t('res.infeasible.fix')}", icon=":material/block:")
    ui.link("rules")


def set_aside(rec: Recommendation, validation=None, rules=()) -> None:
    """The ineligible (each failed rule with its words, from ``rules``), the invalid rows (problem first,
    from ``validation``) and the calculation's notes, each in an expander."""
    if rec.ineligible:
        with st.expander(t("res.ineligible", n=len(rec.ineligible))):
            frame = pd.DataFrame(rec.ineligible, columns=["project_id", "row", "failed_rules", "messages"])
            kinds = ui.rule_kinds(rules)
            frame["failed_rules"] = frame["failed_rules"].map(lambda ids: ui.rules_with_words(ids, kinds))
            frame["messages"] = frame["messages"].map(lambda m: "；".join(local(x) for x in m))
            st.dataframe(ui.display(frame, ui.headers("project_id", "messages", "failed_rules", "row")),
                         hide_index=True, placeholder="", key="res_ineligible")
    if rec.invalid:
        with st.expander(t("res.invalid", n=len(rec.invalid))):
            frame = pd.DataFrame(rec.invalid, columns=["row", "project_id", "problems"])
            frame["problems"] = [ui.row_problems(validation, r, m) if validation is not None else
                                 "；".join(local(x) for x in m) for r, m in zip(frame["row"], frame["problems"])]
            st.dataframe(ui.display(frame, ui.headers("row", "project_id", "problems")), hide_index=True, placeholder="",
                         key="res_invalid")
    if rec.warnings:
        with st.expander(t("res.warnings", n=len(rec.warnings))):
            st.dataframe(pd.DataFrame({t("col.message"): [local(w) for w in rec.warnings]}), hide_index=True, placeholder="",
                         key="res_warnings")


def main() -> None:
    ui.start()
    cur = ui.current()
    st.title(t("res.title"))
    if ui.first_error(cur):
        return
    rec, outcome = cur.rec, cur.outcome
    st.caption(t("res.context", unit=esc(unit_name(rec.unit)), year=rec.year, level=level_name(rec.level), quota=rec.quota,
                 notice=esc(rec.notice)))
    ui.quota_notes(cur)
    counts = rec.counts()
    metrics = st.columns(6)
    for col, key, value in zip(metrics, ("quota", "selected", "not_selected", "ineligible", "invalid", "total"),
                               (rec.quota, counts["selected"], counts["not_selected"], counts["ineligible"],
                                counts["invalid"], f"{rec.objective:.2f}")):
        col.metric(t(f"res.metric.{key}"), value)

    stability = None
    if not rec.feasible:
        infeasible(rec)
    else:
        stability, error = compute.stability(compute.basis(cur), _prepared=compute.prepared(cur),
                                             _scenario=cur.scenario, _selection=outcome.selection)
        if error:
            st.caption(t("res.stability.error", message=pick(*error)))
        st.subheader(t("res.summary"))
        if stability is not None:
            st.caption(t("res.stability.caption", n=STABILITY_SAMPLES, low=round(1 - DEFAULT_SPREAD, 4),
                         high=round(1 + DEFAULT_SPREAD, 4), seed=DEFAULT_SEED, core=CORE_AT, exterior=EXTERIOR_AT,
                         rows=STABILITY_ROWS))
        if rec.selected:
            widths = {**{label(c): st.column_config.Column(width=w) for c, w in SUMMARY_WIDTHS.items()},
                      **{t(k): st.column_config.Column(width=w) for k, w in STABILITY_WIDTHS.items()}}
            st.dataframe(coloured(summary_frame(rec, stability)), hide_index=True, placeholder="", key="res_summary",
                         column_config={**widths, label("score"): st.column_config.NumberColumn(
                             format="%.2f", width=SUMMARY_WIDTHS["score"])})
        else:
            st.write(t("res.summary.empty"))
        ui.downloads(rec, "res")
        if rec.selected:
            st.subheader(t("res.breakdown"))
            st.caption(t("res.breakdown.caption"))
            breakdown_chart(rec)
            with st.expander(t("res.breakdown.table")):
                st.dataframe(breakdown_table(rec), hide_index=True, placeholder="", key="res_breakdown")

    st.subheader(t("res.not_selected"))
    codes = list(dict.fromkeys(r["reason_code"] for r in rec.not_selected))
    shown = st.multiselect(t("res.not_selected.filter"), codes, default=codes, key=f"res_reason_filter@{lang()}",
                           placeholder=t("common.choose"),
                           format_func=fmt(codes, lambda c: pick(ReasonCode(c).zh, ReasonCode(c).en)))
    widths = {label(c): st.column_config.Column(width=w) for c, w in NOT_SELECTED_WIDTHS.items()}
    st.dataframe(coloured(not_selected_frame(rec, shown, stability)), hide_index=True, placeholder="",
                 key="res_not_selected",
                 column_config={**widths, label("score"): st.column_config.NumberColumn(format="%.2f", width=70)})

    st.subheader(t("res.usage"))
    st.caption(t("res.usage.caption"))
    c = rec.scenario.constraints
    dims = ["industry", "city"] + (["group"] if c.max_per_group is not None or c.group_max else [])
    for tab, dim in zip(st.tabs([t(f"res.usage.{d}") for d in dims]), dims):
        tab.dataframe(usage_frame(outcome.usage, dim), hide_index=True, placeholder="", key=f"res_usage_{dim}")

    balance_section(rec, outcome.balance)
    set_aside(rec, cur.pool.validation if cur.pool else None, cur.eligibility.rules if cur.eligibility else ())


if __name__ == "__main__":  # Streamlit runs a page as __main__; importing it (for its helpers) draws nothing
    main()
