"""Robustness and what-if: which picks hold when the weights vary, and what it would take for one project.

Weight robustness is :func:`quota_opt.sensitivity.sensitivity_prepared` (Robust Portfolio Modeling's
core, borderline and exterior projects): its options are set in a form and the sampling runs only
when the form is submitted; the report is cached (:func:`app_pages.compute.robustness`) on the
current recommendation's basis and the options, and shown only while that basis holds (a changed
weight or rule asks for a new run rather than showing a stale report). "What would it take" is
:func:`quota_opt.whatif.what_if_prepared` for the project picked: the price of forcing it in or
out, whose place it takes or who takes its place, the score it needs, and the price of the balance
rules for the whole selection.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd
import streamlit as st

from quota_opt.result import Recommendation
from quota_opt.sensitivity import CLASSES, CORE_AT, EXTERIOR_AT, MAX_SAMPLES, SensitivityReport
from quota_opt.whatif import ProjectWhatIf, RulesCost

from app_pages import compute, state, ui
from app_pages.i18n import esc, fmt, label, level_name, pick, t, unit_name
from app_pages.results_page import coloured

SAMPLE_CHOICES = (50, 100, 200, 500, 1000, 2000, 5000, MAX_SAMPLES)  # screening makes 10,000 a matter of seconds
CLASS_COLOURS = {"core": "#2e7d32", "borderline": "#f0a500", "exterior": "#9e9e9e"}
CHART_ROWS = 100  # projects drawn at most (the table lists every eligible project)
NAME_WIDTH = 14  # characters of a project name on the chart's axis
OPTION_KEYS = ("rob_samples", "rob_spread", "rob_seed", "rob_dirichlet", "rob_concentration")
# the balance rule families the core prices, by the app's name for each (the rules page's switches)
FAMILY_OF_KEY = {spec["key"]: family for family, spec in state.FAMILIES.items()}


def _short(text: str) -> str:
    text = str(text)
    return text if len(text) <= NAME_WIDTH else text[: NAME_WIDTH - 1] + "…"


def _num(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


# ---------------------------------------------------------------------- weight robustness


def options_form() -> bool:
    """The sampling options in a form (nothing runs while they are changed); True when submitted."""
    for key in OPTION_KEYS:
        state.seed(key)
    with st.form("rob_form"):
        cols = st.columns([2, 2, 1])
        cols[0].select_slider(t("rob.samples"), SAMPLE_CHOICES, key="rob_samples", persist_state=state.PERSIST,
                              help=t("rob.samples.help"), format_func=fmt(SAMPLE_CHOICES, "{:,}".format))
        cols[1].slider(t("rob.spread"), 0.0, 1.0, step=0.05, key="rob_spread", persist_state=state.PERSIST,
                       help=t("rob.spread.help"))
        cols[2].number_input(t("rob.seed"), min_value=0, max_value=2**31 - 1, step=1, key="rob_seed",
                             persist_state=state.PERSIST, help=t("rob.seed.help"))
        cols = st.columns([2, 3], vertical_alignment="bottom")
        cols[0].toggle(t("rob.dirichlet"), key="rob_dirichlet", persist_state=state.PERSIST)
        cols[1].number_input(t("rob.concentration"), min_value=1.0, max_value=1e6, step=50.0, key="rob_concentration",
                             persist_state=state.PERSIST, help=t("rob.concentration.help"))
        return st.form_submit_button(t("rob.run"), key="rob_run", type="primary", icon=":material/play_arrow:")


def request(basis: str) -> dict:
    """The analysis the submitted form asks for, tied to the recommendation it is about."""
    return {"samples": int(state.get("rob_samples")), "spread": round(float(state.get("rob_spread")), 4),
            "seed": int(state.get("rob_seed")),
            "dirichlet": float(state.get("rob_concentration")) if state.get("rob_dirichlet") else None,
            "basis": basis}


def robustness_section(cur: compute.Current, prepared, basis: str) -> None:
    st.subheader(t("rob.heading"))
    st.caption(t("rob.caption", core=CORE_AT, exterior=EXTERIOR_AT))
    if options_form():
        st.session_state["rob_request"] = request(basis)
    req = st.session_state.get("rob_request")
    if req is None:
        st.info(t("rob.none"), icon=":material/info:")
        return
    if req["basis"] != basis:
        st.info(t("rob.stale"), icon=":material/update:")
        return
    report, error = compute.robustness(basis, req["samples"], req["spread"], req["seed"], req["dirichlet"],
                                       _prepared=prepared, _scenario=cur.scenario, _progress_text=t("rob.progress"))
    if error:
        ui.error("recommend", error)
        return
    show_report(cur.rec, report)


def show_report(rec: Recommendation, report: SensitivityReport) -> None:
    seconds = report.timings.get("total", 0.0)
    if report.method == "dirichlet":
        st.caption(t("rob.method.dirichlet", n=report.samples, c=report.concentration, seed=report.seed,
                     seconds=seconds))
    else:
        st.caption(t("rob.method.uniform", n=report.samples, low=round(1 - report.spread, 4),
                     high=round(1 + report.spread, 4), seed=report.seed, seconds=seconds))
    counts = report.counts()
    cols = st.columns(4)
    for col, cls in zip(cols, CLASSES):
        col.metric(t(f"rob.metric.{cls}"), counts[cls])
    cols[3].metric(t("rob.metric.eligible"), len(report.projects))
    if report.feasible_samples < report.samples:
        st.warning(t("rob.infeasible_samples", n=report.samples - report.feasible_samples))

    st.markdown(f"**{t('rob.chart')}**")
    st.caption(t("rob.chart.caption"))
    chart(report)
    st.markdown(f"**{t('rob.table')}**")
    # the frequency cells coloured by class and formatted as on the results page (its own helper)
    st.dataframe(coloured(report_frame(report), score_format=False), hide_index=True, placeholder="", key="rob_table",
                 column_config={label("score"): st.column_config.NumberColumn(format="%.2f"),
                                **{t(k): st.column_config.NumberColumn(format="%.1f")
                                   for k in ("rob.col.p05", "rob.col.p50", "rob.col.p95")}})
    st.download_button(t("rob.download"), lambda: json.dumps(report.to_dict(), ensure_ascii=False, indent=2),
                       file_name=f"{ui.file_stem(rec, '稳健性分析')}.json", mime="application/json",
                       key="rob_download", on_click="ignore", icon=":material/download:")


def report_frame(report: SensitivityReport) -> pd.DataFrame:
    """Every eligible project of the report, most robust first, with the session's headers."""
    frame = report.projects.copy()
    frame["class"] = frame["class"].map({c: t(f"rob.class.{c}") for c in CLASSES})
    names = {"project_id": label("project_id"), "project_name": label("project_name"), "city": label("city"),
             "industry": label("industry"), "class": t("rob.col.class"), "selection_frequency": t("rob.col.frequency"),
             "rank_p05": t("rob.col.p05"), "rank_p50": t("rob.col.p50"), "rank_p95": t("rob.col.p95"),
             "base_selected": t("rob.col.base_selected"), "base_rank": t("rob.col.base_rank"),
             "base_score": label("score")}
    shown = ui.display(frame, {k: v for k, v in names.items() if k in frame.columns})
    shown.attrs["classes"] = list(report.projects["class"])  # what results_page.coloured colours by
    return shown


def chart(report: SensitivityReport) -> None:
    """Selection frequency bars coloured by class beside each project's rank range (p05-p95, p50 dot)."""
    data = report.projects
    drawn = data[data["selection_frequency"] > 0].head(CHART_ROWS)
    if len(drawn) < (data["selection_frequency"] > 0).sum():
        st.caption(t("rob.chart.cut", n=CHART_ROWS))
    hidden = int((data["selection_frequency"] == 0).sum())
    if hidden:
        st.caption(t("rob.chart.hidden", n=hidden))
    if drawn.empty:
        return
    names = drawn["project_name"] if "project_name" in drawn.columns else drawn["project_id"]
    frame = pd.DataFrame({
        "project": [f"{p} {_short(n)}" for p, n in zip(drawn["project_id"], names.fillna(""))],
        "name": names.fillna("").astype(str).tolist(),
        "frequency": drawn["selection_frequency"].astype(float).tolist(),
        "class": [t(f"rob.class.{c}") for c in drawn["class"]],
        "p05": drawn["rank_p05"].astype(float).tolist(),
        "p50": drawn["rank_p50"].astype(float).tolist(),
        "p95": drawn["rank_p95"].astype(float).tolist(),
    })
    order = frame["project"].tolist()
    classes = [t(f"rob.class.{c}") for c in CLASSES]
    y = alt.Y("project:N", sort=order, title=t("rob.axis.project"),
              axis=alt.Axis(labelLimit=220, labelOverlap=False, labelFontSize=11))
    colour = alt.Color("class:N", title=t("rob.axis.class"),
                       scale=alt.Scale(domain=classes, range=[CLASS_COLOURS[c] for c in CLASSES]),
                       legend=alt.Legend(orient="top"))
    tooltip = [alt.Tooltip("project:N", title=t("rob.axis.project")),
               alt.Tooltip("name:N", title=label("project_name")),
               alt.Tooltip("class:N", title=t("rob.axis.class")),
               alt.Tooltip("frequency:Q", title=t("rob.axis.frequency"), format=".1%"),
               alt.Tooltip("p05:Q", title=t("rob.col.p05"), format=".1f"),
               alt.Tooltip("p50:Q", title=t("rob.col.p50"), format=".1f"),
               alt.Tooltip("p95:Q", title=t("rob.col.p95"), format=".1f")]
    height = max(120, 18 * len(frame))
    base = alt.Chart(frame)
    bars = base.mark_bar().encode(
        x=alt.X("frequency:Q", title=t("rob.axis.frequency"), scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%", orient="top")),
        y=y, color=colour, tooltip=tooltip,
    ).properties(width=300, height=height)
    top = max(float(frame["p95"].max()), float(report.quota)) + 1
    x_rank = alt.X("p05:Q", title=t("rob.axis.rank"), scale=alt.Scale(domain=[0.5, top], nice=False),
                   axis=alt.Axis(orient="top"))
    ranges = base.mark_rule(strokeWidth=3).encode(
        x=x_rank, x2="p95:Q", y=alt.Y("project:N", sort=order, axis=None), color=colour, tooltip=tooltip)
    medians = base.mark_point(filled=True, size=45, color="#222").encode(
        x="p50:Q", y=alt.Y("project:N", sort=order, axis=None), tooltip=tooltip)
    quota_line = alt.Chart(pd.DataFrame({"quota": [report.quota + 0.5], "label": [t("rob.axis.quota")]})).mark_rule(
        strokeDash=[4, 4], color="#c62828").encode(x="quota:Q", tooltip=[alt.Tooltip("label:N", title="")])
    rank_chart = alt.layer(ranges, medians, quota_line).properties(width=300, height=height)
    combined = alt.hconcat(bars, rank_chart, spacing=12).resolve_scale(y="shared")
    st.altair_chart(combined, key="rob_chart")


# ---------------------------------------------------------------------- what would it take


def project_options(rec: Recommendation) -> tuple[list[str], dict[str, str]]:
    """Eligible projects, the recommended first in priority order, then the others by score; and each one's label."""
    others = sorted(rec.not_selected, key=lambda r: (-float(r["score"]), str(r["project_id"])))
    labels = {}
    for r in rec.selected:
        labels[str(r["project_id"])] = (f"{r['project_id']} {r.get('project_name') or ''} · "
                                        f"{t('wi.state.in', rank=r['rank'])}")
    for r in others:
        labels[str(r["project_id"])] = f"{r['project_id']} {r.get('project_name') or ''} · {t('wi.state.out')}"
    return list(labels), labels


def what_if_section(cur: compute.Current, prepared, basis: str) -> None:
    rec = cur.rec
    st.subheader(t("wi.heading"))
    st.caption(t("wi.caption"))
    options, labels = project_options(rec)
    if not options:
        st.write(t("res.summary.empty"))
        return
    if state.get("wi_project") not in labels:
        # the first project not recommended (the question officials are asked), else the last pick
        st.session_state["wi_project"] = next((p for p in options if p not in {r["project_id"] for r in rec.selected}),
                                              options[-1])
    project = st.selectbox(t("wi.project"), options, **state.bind("wi_project"), format_func=fmt(options, labels.get))
    answer, error = compute.what_if(basis, project, _prepared=prepared, _scenario=cur.scenario)
    if error:
        ui.error("recommend", error)
        return
    project_answer(rec, answer.project)
    rules_price(rec, answer.rules)


def _names(rec: Recommendation) -> dict[str, dict]:
    return {str(r["project_id"]): r for r in (*rec.selected, *rec.not_selected)}


def _projects_frame(rec: Recommendation, ids) -> pd.DataFrame:
    rows = _names(rec)
    frame = pd.DataFrame([{"project_id": p, "project_name": rows.get(p, {}).get("project_name", ""),
                           "city": rows.get(p, {}).get("city", ""), "industry": rows.get(p, {}).get("industry", ""),
                           "score": rows.get(p, {}).get("score")} for p in ids],
                         columns=["project_id", "project_name", "city", "industry", "score"])
    return ui.display(frame, ui.headers("project_id", "project_name", "city", "industry", "score"))


def project_answer(rec: Recommendation, p: ProjectWhatIf) -> None:
    way = p.forced  # "in" for a project not recommended, "out" for a recommended one
    cols = st.columns(3)
    cols[0].metric(t("wi.metric.score"), _num(p.score))
    gap = p.gap
    if p.reachable_by_score or p.needed is None:
        cols[1].metric(t(f"wi.metric.needed.{way}"), _num(p.needed),
                       delta=None if gap is None or round(gap, 2) == 0 else f"{-gap:+.2f}")
    else:  # above the highest attainable score: only a change of the rules could do it
        cols[1].metric(t(f"wi.metric.needed.{way}"), t("wi.unreachable"), help=t("wi.unreachable.help"))
    if p.cost is not None and round(p.cost, 2) < 0:  # a fixing lifted: forcing gains score, said as a gain
        cols[2].metric(t(f"wi.metric.gain.{way}"), _num(-p.cost))
    else:
        cols[2].metric(t(f"wi.metric.cost.{way}"), _num(p.cost))
    st.markdown("\n".join(f"- {esc(pick(zh, en))}" for zh, en in p.lines()))
    places = p.left if way == "in" else p.entered
    if places:
        st.markdown(f"**{t(f'wi.places.{way}')}**")
        st.dataframe(_projects_frame(rec, places), hide_index=True, placeholder="", key="wi_places",
                     column_config={label("score"): st.column_config.NumberColumn(format="%.2f")})


def rules_price(rec: Recommendation, cost: RulesCost) -> None:
    st.markdown(f"**{t('wi.rules')}**")
    if cost.cost is None:
        st.write(t("res.balance.infeasible"))
        return
    if not cost.by_family:
        st.write(t("wi.rules.none"))
        return
    st.metric(t("res.balance.metric"), _num(cost.cost))
    if not cost.cost and not cost.brought_in:
        st.write(t("res.balance.none"))
    else:
        st.write(t("res.balance.explain", reference=_num(cost.relaxed_objective), recommended=_num(cost.objective),
                   given_up=_num(cost.cost)))
    families = pd.DataFrame({
        t("col.rule"): [t(f"rules.fam.{FAMILY_OF_KEY[f]}") if f in FAMILY_OF_KEY else f for f in cost.by_family],
        t("res.balance.metric"): [c for c in cost.by_family.values()],
    })
    st.caption(t("wi.rules.family.caption"))
    st.dataframe(families, hide_index=True, placeholder="", key="wi_families",
                 column_config={t("res.balance.metric"): st.column_config.NumberColumn(format="%.2f")})
    cols = st.columns(2)
    for col, title, ids, key in ((cols[0], t("res.balance.in"), cost.brought_in, "wi_brought_in"),
                                 (cols[1], t("res.balance.out"), cost.kept_out, "wi_kept_out")):
        if ids:
            col.markdown(f"**{title}**")
            col.dataframe(_projects_frame(rec, ids), hide_index=True, placeholder="", key=key,
                          column_config={label("score"): st.column_config.NumberColumn(format="%.2f")})


def main() -> None:
    ui.start()
    cur = ui.current()
    st.title(t("rob.title"))
    if ui.first_error(cur):
        return
    rec = cur.rec
    st.caption(t("res.context", unit=esc(unit_name(rec.unit)), year=rec.year, level=level_name(rec.level),
                 quota=rec.quota, notice=esc(rec.notice)))
    ui.quota_notes(cur)
    if not rec.feasible:
        st.warning(t("rob.infeasible"), icon=":material/block:")
        ui.link("rules")
        return
    prepared, basis = compute.prepared(cur), compute.basis(cur)
    robustness_section(cur, prepared, basis)
    st.divider()
    what_if_section(cur, prepared, basis)


if __name__ == "__main__":  # Streamlit runs a page as __main__; importing it (for its helpers) draws nothing
    main()
