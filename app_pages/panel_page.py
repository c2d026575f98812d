"""专家评审 (the expert panel): upload the score sheets (and the experts, 回避 and scheme tables), see
every problem, the recusals, the check on the panel with a heat map of experts x projects, and the
panel score that the results page uses as the expert score (as ``quota-opt recommend --panel`` does).

The page only calls the core through the cached stages of :mod:`app_pages.compute`; the uploads and
options live in :mod:`app_pages.panel_state`.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from quota_opt import load_notice
from quota_opt.columns import AggregateRule, PanelExclusion
from quota_opt.panel import EXPERT_FLAGS, PROBLEM_LABELS, PROJECT_FLAGS, PanelProblem
from quota_opt.pipeline import Prepared
from quota_opt.template import template_bytes

from app_pages import compute, panel_state, state, ui
from app_pages.i18n import esc, fmt, label, lang, pick, t

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RULES = [r.value for r in AggregateRule]


@st.cache_data(show_spinner=False)
def _template() -> bytes:
    return template_bytes(panel=True)


def _kept(file) -> dict:
    return {"name": file.name, "data": file.getvalue()}


def _uploaded(table: str) -> None:
    """on_change of an uploader: keep the files' bytes for every page."""
    value = st.session_state.get(f"panel_upload_{table}")
    if table == "files":
        st.session_state["panel_files"] = [_kept(f) for f in value or []] or None
    else:
        st.session_state[f"panel_{table}"] = _kept(value) if value is not None else None


def sources() -> None:
    top = st.columns([1, 1, 1])
    top[0].button(t("panel.sample"), key="panel_sample", on_click=panel_state.load_sample, icon=":material/science:")
    top[1].button(t("panel.clear"), key="panel_clear", on_click=panel_state.clear, icon=":material/delete:")
    top[2].download_button(t("panel.template"), _template(), file_name="专家评分表模板.xlsx", mime=XLSX_MIME,
                           key="panel_template", on_click="ignore", icon=":material/download:")
    st.file_uploader(t("panel.upload.scores"), type=["csv", "xlsx", "xlsm", "txt", "tsv"], accept_multiple_files=True,
                     key="panel_upload_files", on_change=_uploaded, args=("files",))
    cols = st.columns(3)
    for col, table in zip(cols, panel_state.TABLES):
        col.file_uploader(t(f"panel.upload.{table}"), type=["csv", "xlsx", "xlsm", "txt", "tsv"],
                          key=f"panel_upload_{table}", on_change=_uploaded, args=(table,))
    files = st.session_state.get("panel_files") or []
    if files:
        names = "、".join(esc(f["name"]) for f in files)
        extra = [esc(st.session_state[f"panel_{tb}"]["name"]) for tb in panel_state.TABLES
                 if st.session_state.get(f"panel_{tb}")]
        st.caption(t("panel.current", names=names + ("；" + "、".join(extra) if extra else "")))


def options() -> None:
    for key, value in panel_state.DEFAULTS.items():
        st.session_state.setdefault(key, value)
    cols = st.columns([2, 1, 1])
    cols[0].radio(t("panel.rule"), RULES, horizontal=True, **state.bind("panel_rule"),
                  format_func=fmt(RULES, lambda r: t(f"panel.rule.{r}")))
    cols[1].number_input(t("panel.min"), min_value=1, max_value=50, step=1, key="panel_min",
                         persist_state=state.PERSIST)
    cols[2].toggle(t("panel.std"), key="panel_std", persist_state=state.PERSIST, help=t("panel.std.help"))
    with st.expander(t("panel.thresholds")):
        c = st.columns(3)
        c[0].number_input(t("panel.range"), min_value=0.0, step=1.0, key="panel_range", persist_state=state.PERSIST)
        c[1].number_input(t("panel.leniency"), min_value=0.0, step=0.5, key="panel_leniency", persist_state=state.PERSIST)
        c[2].number_input(t("panel.spearman"), min_value=-1.0, max_value=1.0, step=0.05, key="panel_spearman",
                          persist_state=state.PERSIST)
    st.toggle(t("panel.use"), key="panel_use", persist_state=state.PERSIST)


def _flags(codes, table) -> str:
    return "；".join(pick(*table[c]) for c in codes)


def problem_text(problem: dict) -> str:
    """A score sheet's problem in the session's language, the problem first: the file, sheet, row and column
    the core's message starts with are dropped (the table shows them in their own columns); a message in
    another shape is shown whole."""
    file, sheet, row, column = problem["file"], problem["sheet"], problem["row"], problem["column"]
    row = None if row is None or pd.isna(row) else int(row)
    if lang() == "zh":
        message = str(problem["message_zh"])
        where = f"{file}" + (f"，工作表“{sheet}”" if sheet else "") + (f"，第{row}行" if row else "") + (
            f"，“{column}”列" if column else "") + "："
    else:
        message = str(problem["message_en"])
        where = f"{file}" + (f", sheet '{sheet}'" if sheet else "") + (f", row {row}" if row else "") + (
            f", column '{column}'" if column else "") + ": "
    return message[len(where):] if message.startswith(where) else message


def problems_section(review) -> None:
    st.subheader(t("panel.problems"))
    if review.problems.empty:
        st.success(t("panel.problems.none"))
        return
    frame = review.problems.copy()
    frame["code"] = frame["code"].map(lambda c: pick(*PROBLEM_LABELS[PanelProblem(c)]))
    frame["severity"] = frame["severity"].map(lambda v: t(f"data.severity.{v}"))  # error / warning, in words
    frame["message"] = [problem_text(r) for r in frame.to_dict("records")]
    st.dataframe(ui.display(frame, {"file": t("panel.col.file"), "sheet": t("panel.col.sheet"), "row": label("row"),
                                    "column": t("panel.col.column"), "value": t("panel.col.value"),
                                    "severity": t("panel.col.severity"), "code": t("panel.col.problem"),
                                    "message": t("col.message")}), hide_index=True, placeholder="", key="panel_problems")


def excluded_section(review) -> None:
    st.subheader(t("panel.excluded"))
    rows = [{"expert_id": r.expert_id, "project_id": r.project_id, "score": None if pd.isna(r.score) else r.score,
             "reason": "；".join(pick(PanelExclusion(c).zh, PanelExclusion(c).en) for c in r.reasons)}
            for r in review.scores.itertuples() if not r.valid]
    if not rows:
        st.write(t("panel.excluded.none"))
        return
    frame = pd.DataFrame(rows, columns=["expert_id", "project_id", "score", "reason"])
    st.dataframe(ui.display(frame, {"expert_id": t("panel.col.expert"), "project_id": label("project_id"),
                                    "score": t("panel.col.score"), "reason": t("panel.col.reason")}),
                 hide_index=True, placeholder="", key="panel_excluded")


def heat_map(review) -> None:
    """Experts x projects, coloured by score; excluded cells and the extremes of a wide-range project outlined."""
    wide = {p["project_id"]: p for p in review.projects if "wide_range" in p["flags"]}
    rows = []
    for r in review.scores.itertuples():
        flag = ""
        if not r.valid:
            flag = t("panel.map.excluded")
        elif r.project_id in wide:
            values = wide[r.project_id]["scores"].values()
            if r.score in (max(values), min(values)):
                flag = t("panel.map.extreme")
        rows.append({"expert": r.expert_id, "project": r.project_id, "score": None if pd.isna(r.score) else r.score,
                     "flag": flag})
    data = pd.DataFrame(rows, columns=["expert", "project", "score", "flag"])
    order = [p["project_id"] for p in review.projects]
    base = alt.Chart(data).encode(
        x=alt.X("project:N", sort=order, title=label("project_id"), axis=alt.Axis(labelFontSize=8, labelAngle=-90)),
        y=alt.Y("expert:N", sort=review.experts, title=t("panel.col.expert")))
    cells = base.mark_rect().encode(
        color=alt.Color("score:Q", title=t("panel.col.score"), scale=alt.Scale(scheme="blues")),
        tooltip=[alt.Tooltip("expert:N", title=t("panel.col.expert")), alt.Tooltip("project:N", title=label("project_id")),
                 alt.Tooltip("score:Q", title=t("panel.col.score")), alt.Tooltip("flag:N", title=t("panel.col.flags"))])
    outlined = base.transform_filter(alt.datum.flag != "").mark_rect(fillOpacity=0, strokeWidth=2).encode(
        stroke=alt.Stroke("flag:N", title=t("panel.col.flags"),
                          scale=alt.Scale(domain=[t("panel.map.excluded"), t("panel.map.extreme")],
                                          range=["#d62728", "#ff7f0e"])))
    st.altair_chart((cells + outlined).properties(height=max(160, 28 * len(review.experts))), width="stretch",
                    key="panel_heatmap")


def p_text(p: float) -> str:
    """A p-value as a reader of a report expects it: "p < 0.001" below a thousandth (never 1.41e-76), else
    three decimals."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def check_section(review) -> None:
    st.subheader(t("panel.check"))
    k = review.kendall
    if k.w is None:
        st.info(t("panel.kendall.none", n=k.n))
    else:
        st.info(t("panel.kendall", w=f"{k.w:.3f}", m=k.m, n=k.n, chi2=f"{k.chi2:.2f}", df=k.n - 1,
                  p=p_text(k.p_value)))
    o = review.options
    st.caption(t("panel.thresholds.used", range=f"{o.range_threshold:g}", leniency=f"{o.leniency_threshold:g}",
                 spearman=f"{o.spearman_threshold:g}"))
    experts = pd.DataFrame([{**e, "flags": _flags(e["flags"], EXPERT_FLAGS)} for e in review.expert_stats],
                           columns=["expert_id", "projects_scored", "leniency", "spearman", "flags"])
    st.dataframe(ui.display(experts, {"expert_id": t("panel.col.expert"), "projects_scored": t("panel.col.projects"),
                                      "leniency": t("panel.col.leniency"), "spearman": t("panel.col.spearman"),
                                      "flags": t("panel.col.flags")}), hide_index=True, placeholder="", key="panel_experts",
                 column_config={t("panel.col.leniency"): st.column_config.NumberColumn(format="%.2f"),
                                t("panel.col.spearman"): st.column_config.NumberColumn(format="%.3f")})
    heat_map(review)
    projects = pd.DataFrame([{**p, "flags": _flags(p["flags"], PROJECT_FLAGS)} for p in review.projects],
                            columns=["project_id", "valid_scores", "aggregate", "range", "std", "flags"])
    st.dataframe(ui.display(projects, {"project_id": label("project_id"), "valid_scores": t("panel.col.valid"),
                                       "aggregate": t("panel.col.aggregate"), "range": t("panel.col.range"),
                                       "std": t("panel.col.std"), "flags": t("panel.col.flags")}),
                 hide_index=True, placeholder="", key="panel_projects",
                 column_config={c: st.column_config.NumberColumn(format="%.2f")
                                for c in (t("panel.col.aggregate"), t("panel.col.range"), t("panel.col.std"))})


def rules_section(cur) -> None:
    st.subheader(t("panel.compare"))
    st.caption(t("panel.compare.caption"))
    if not st.session_state.get("panel_compare_on"):
        if st.button(t("panel.compare.run"), key="panel_compare"):
            st.session_state["panel_compare_on"] = True
            st.rerun()
        return
    if cur.outcome is None or cur.scenario is None:
        return
    base = Prepared(cur.pool.raw, cur.pool.validation, cur.eligibility, cur.quota, load_notice(cur.inputs.year))
    with st.spinner(t("panel.compare.running")):
        result, error = compute.panel_rules(compute.basis(cur), _prepared=base, _sheets=cur.panel.sheets,
                                            _options=cur.panel.review.options, _scenario=cur.scenario)
    if error:
        st.error(esc(pick(*error)))
        return
    st.write(t("panel.compare.counts", **{r: len(result.picks[r]) for r in result.rules}))
    if not result.changed:
        st.success(t("panel.compare.same"))
        return
    frame = pd.DataFrame(result.changed)
    headers = {"project_id": label("project_id")}
    for r in result.rules:
        headers[f"{r}_rank"] = t("panel.compare.rank", rule=t(f"panel.rule.{r}"))
        headers[f"{r}_score"] = t("panel.compare.score", rule=t(f"panel.rule.{r}"))
    st.dataframe(ui.display(frame, headers), hide_index=True, placeholder="", key="panel_rules")


def main() -> None:
    ui.start()
    cur = ui.current()
    st.title(t("panel.title"))
    st.caption(t("panel.intro"))
    sources()
    options()
    if ui.first_error(cur, ("pool", "panel")):
        return
    if cur.panel is None or cur.panel.review is None:
        st.info(t("panel.none") if not st.session_state.get("panel_files") else t("panel.off"))
        return
    review = cur.panel.review
    metrics = st.columns(5)
    for col, key, value in zip(metrics, ("experts", "scored", "set_aside", "excluded", "problems"),
                               (len(review.experts), sum(p["aggregate"] is not None for p in review.projects),
                                len(review.set_aside), int((~review.scores["valid"]).sum()), len(review.problems))):
        col.metric(t(f"panel.metric.{key}"), value)
    o = review.options
    st.success(t("panel.feeds", rule=t(f"panel.rule.{o.rule.value}"), n=o.min_experts)
               + (t("panel.feeds.std") if o.standardise else ""))
    if review.set_aside:
        st.warning(t("panel.set_aside", n=o.min_experts, ids=esc("、".join(review.set_aside))))
    problems_section(review)
    excluded_section(review)
    check_section(review)
    rules_section(cur)
    ui.link("results")


main()
