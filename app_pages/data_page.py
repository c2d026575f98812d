"""Candidates: upload a candidate file or pick a sample pool; see every problem and each project's eligibility.

The page only calls the core (load, validate, eligibility, template) through the cached stages of
:mod:`app_pages.compute`, so switching filters never re-reads the file. An uploaded file is kept
(its bytes, under ``st.session_state["upload"]``) for the pages that follow; a file over the
upload limit is refused with a message before it is read.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from quota_opt import available_years, load_notice
from quota_opt.samples import SAMPLES, SAMPLES_BY_NAME
from quota_opt.template import template_bytes
from quota_opt.units import ALL_UNITS, lookup_unit
from quota_opt.validate import PROBLEM_LABELS, ProblemCode

from app_pages import state, ui
from app_pages.i18n import esc, fmt, label, lang, level_name, local, pick, t, unit_name

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload_limit_mb() -> int:
    """The server's upload limit (``server.maxUploadSize`` in .streamlit/config.toml), in MB."""
    return int(st.get_option("server.maxUploadSize"))


@st.cache_data(show_spinner=False)
def _template() -> bytes:
    return template_bytes()


def _sample_chosen() -> None:
    """on_change of the sample pool: its unit, level and year come with it."""
    pool = SAMPLES_BY_NAME[st.session_state["data_sample"]]
    st.session_state["data_unit"] = pool.unit
    st.session_state["data_level"] = pool.level
    st.session_state["data_year"] = pool.year
    st.session_state["data_group"] = ""


def _uploaded() -> None:
    """on_change of the uploader: keep the file's bytes for every page, unless it is over the limit."""
    file = st.session_state.get("data_upload")
    if file is None:
        return
    limit = upload_limit_mb()
    if file.size > limit * 1024 * 1024:
        st.session_state["upload_error"] = {"name": file.name, "mb": file.size / 1024 / 1024, "limit": limit}
        return
    st.session_state["upload_error"] = None
    st.session_state["upload"] = {"name": file.name, "data": file.getvalue(), "size": file.size}


def _year_chosen() -> None:
    """on_change of the year: a level the year's notice did not open falls back to its first level."""
    levels = [lv.value for lv in load_notice(st.session_state["data_year"]).levels]
    if st.session_state.get("data_level") not in levels:
        st.session_state["data_level"] = levels[0]


def source_picker() -> None:
    top = st.columns([3, 1])
    source = top[0].radio(t("data.source"), ["sample", "upload"], horizontal=True, **state.bind("data_source"),
                          format_func=fmt(["sample", "upload"], lambda v: t(f"data.source.{v}")))
    top[1].download_button(t("data.template"), _template(), file_name="候选项目模板.xlsx", mime=XLSX_MIME,
                           key="data_template", on_click="ignore", icon=":material/download:")
    if source == "sample":
        st.selectbox(t("data.sample"), [s.name for s in SAMPLES], **state.bind("data_sample", then=_sample_chosen),
                     format_func=fmt(SAMPLES_BY_NAME, lambda n: pick(SAMPLES_BY_NAME[n].label_zh, SAMPLES_BY_NAME[n].label_en)))
        st.caption(t("common.synthetic"))
        return
    limit = upload_limit_mb()
    st.file_uploader(t("data.upload", mb=limit), type=["csv", "xlsx", "xlsm", "txt", "tsv"], key="data_upload",
                     on_change=_uploaded)
    too_big = st.session_state.get("upload_error")
    if too_big:
        st.error(t("data.upload.too_big", name=esc(too_big["name"]), mb=too_big["mb"], limit=too_big["limit"]),
                 icon=":material/error:")
    upload = st.session_state.get("upload")
    if upload:
        size = upload["size"]
        st.caption(t("data.upload.current", name=esc(upload["name"]), kb=round(size / 1024)) if size >= 1024 else
                   t("data.upload.current.bytes", name=esc(upload["name"]), n=size))
        if upload["name"].lower().endswith((".xlsx", ".xlsm")):
            state.seed("data_sheet")
            st.text_input(t("data.sheet"), key="data_sheet", persist_state=state.PERSIST)


def unit_picker() -> None:
    years = available_years()
    cols = st.columns([2, 1, 1, 2])
    for key in ("data_year", "data_group"):
        state.seed(key)
    unit = cols[0].selectbox(t("data.unit"), [u.name for u in ALL_UNITS], **state.bind("data_unit"),
                             format_func=fmt([u.name for u in ALL_UNITS], lambda n: n if lang() == "zh" else next(
                                 (f"{u.name_en} ({u.name})" for u in ALL_UNITS if u.name == n), n)))
    year = cols[1].selectbox(t("data.year"), years, key="data_year", persist_state=state.PERSIST,
                             on_change=_year_chosen)
    levels = [lv.value for lv in load_notice(year).levels]
    if st.session_state["data_level"] not in levels:
        st.session_state["data_level"] = levels[0]
    cols[2].selectbox(t("data.level"), levels, **state.bind("data_level"), format_func=fmt(levels, level_name))
    if unit == "中央企业":
        cols[3].text_input(t("data.group"), key="data_group", persist_state=state.PERSIST)


def summary_line(validation, eligible: int | None, source) -> str:
    """The core's summary line; a sample pool is named by its label (a file name of the package means
    nothing to the user), an uploaded file by its own name as the core writes it."""
    if source is None or not source.is_sample:
        return pick(*validation.summary(eligible))
    sample = SAMPLES_BY_NAME[source.label]
    line = pick(*dataclasses.replace(validation, source="").summary(eligible))
    return line + t("data.summary.sample", name=pick(sample.label_zh, sample.label_en))


def problems_section(validation, eligibility=None, source=None) -> None:
    line = summary_line(validation, None if eligibility is None else int(eligibility.table["eligible"].sum()), source)
    metrics = st.columns(6)
    for col, key, value in zip(metrics, ("rows", "valid", "invalid", "errors", "warnings", "empty"),
                               (validation.rows, len(validation.candidates), len(validation.invalid),
                                len(validation.errors), len(validation.warnings), validation.skipped_empty)):
        col.metric(t(f"data.metric.{key}"), value)
    (st.success if validation.valid else st.error)(esc(line))

    st.subheader(t("data.problems"))
    if len(validation.problems):
        severity = st.multiselect(t("data.problems.show"), ["error", "warning"], **state.bind("data_severity"),
                                  placeholder=t("common.choose"),
                                  format_func=fmt(["error", "warning"], lambda v: t(f"data.severity.{v}")))
        problems = validation.problems[validation.problems["severity"].isin(severity)].copy()
        problems["problem"] = [pick(*PROBLEM_LABELS[ProblemCode(c)]) for c in problems["code"]]
        records = problems.to_dict("records")
        problems["message"] = [ui.problem_text(p) for p in records]  # the problem first
        problems["column"] = [ui.problem_column(p) for p in records]
        problems["severity"] = problems["severity"].map(lambda v: t(f"data.severity.{v}"))
        st.dataframe(ui.display(problems, {"row": label("row"), "column": t("col.column"), "value": label("value"),
                                           "severity": t("col.severity"), "problem": t("col.problem"),
                                           "message": t("col.message")}),
                     hide_index=True, placeholder="", key="data_problems")
    else:
        st.write(t("data.problems.none"))
    if len(validation.invalid):
        with st.expander(t("data.invalid", n=len(validation.invalid))):
            invalid = validation.invalid.assign(
                problems=[ui.row_problems(validation, r, m) for r, m in zip(validation.invalid["row"],
                                                                          validation.invalid["problems"])])
            st.dataframe(ui.display(invalid, ui.headers("row", "project_id", "problems")), hide_index=True, placeholder="",
                         key="data_invalid")


def eligibility_section(cur) -> None:
    st.subheader(t("data.eligibility"))
    if "eligibility" in cur.errors:
        ui.error("eligibility", cur.errors["eligibility"])
        return
    result = cur.eligibility
    for note in result.notes:
        st.info(esc(local(note)))
    n_ok = int(result.table["eligible"].sum())
    st.write(t("data.eligibility.count", unit=esc(unit_name(result.unit)), level=level_name(cur.inputs.level),
               year=cur.inputs.year, ok=n_ok, bad=len(result.table) - n_ok))
    cols = st.columns([2, 2])
    show = cols[0].radio(t("data.filter"), ["all", "eligible", "ineligible", "warned"], horizontal=True,
                         **state.bind("data_filter"), format_func=fmt(["all", "eligible", "ineligible", "warned"], lambda v: t(f"data.filter.{v}")))
    search = cols[1].text_input(t("data.search"), key="data_search").strip().lower()
    table = result.table.merge(cur.candidates[["row", "project_name", "enterprise", "city", "industry"]],
                               on="row", how="left")
    if show == "eligible":
        table = table[table["eligible"]]
    elif show == "ineligible":
        table = table[~table["eligible"]]
    elif show == "warned":
        table = table[table["warnings"].map(len) > 0]
    if search:
        text = table[["project_id", "project_name", "enterprise", "city", "industry"]].astype(str).agg(" ".join, axis=1)
        table = table[text.str.lower().str.contains(search, regex=False)]
    kinds = ui.rule_kinds(result.rules)  # each rule id shown with its words
    shown = table.assign(failed_rules=table["failed_rules"].map(lambda ids: ui.rules_with_words(ids, kinds)),
                         warnings=table["warnings"].map(lambda ids: ui.rules_with_words(ids, kinds)),
                         messages=table["messages"].map(lambda m: "；".join(local(x) for x in m)))
    # the verdict and why first, so they are in sight without scrolling sideways
    st.dataframe(ui.display(shown, ui.headers("project_id", extra={"eligible": t("col.eligible")}) | ui.headers(
        "messages", "project_name", "city", "industry", "failed_rules", extra={"warnings": t("col.warnings")})
        | ui.headers("enterprise", "row")), hide_index=True, placeholder="", key="data_eligibility",
        column_config={label("messages"): st.column_config.Column(width=360),
                       label("project_name"): st.column_config.Column(width=220)})
    with st.expander(t("data.rules")):
        rules = pd.DataFrame([{t("col.rule"): ui.rule_with_words(r.id, kinds), t("col.severity"): ui.severity_name(r.severity),
                               t("col.clause"): r.clause, t("col.message"): pick(r.text_zh, r.text_en)}
                              for r in result.rules])
        st.dataframe(rules, hide_index=True, placeholder="", key="data_rules")
    if len(result.eligible):
        st.success(t("data.next", n=len(result.eligible)))
    elif not len(cur.candidates):  # no valid row at all (a required column missing, say): the problems say why
        st.warning(t("data.none_valid"), icon=":material/warning:")
        return
    else:  # nothing competes: most often the file is another unit's (a Sichuan file with 上海市 chosen)
        provinces = sorted({str(p) for p in cur.candidates["province"].dropna() if str(p).strip()})
        unit = lookup_unit(result.unit)
        own = {result.unit} | ({unit.parent} if unit is not None and unit.parent else set())
        key = "data.none_eligible.rules" if own & set(provinces) else "data.none_eligible"
        st.warning(t(key, unit=esc(unit_name(result.unit)), level=level_name(cur.inputs.level),
                     provinces=esc(("、" if lang() == "zh" else ", ").join(provinces) or t("common.none"))),
                   icon=":material/warning:")
    ui.link("quota")


def main() -> None:
    ui.start()
    st.title(t("data.title"))
    st.caption(t("data.caption"))
    source_picker()
    unit_picker()
    cur = ui.current()
    if "pool" in cur.errors:
        if cur.inputs.source is None:
            st.info(t("data.upload.none"))
        else:
            ui.error("pool", cur.errors["pool"])
        return
    problems_section(cur.pool.validation, None if "eligibility" in cur.errors else cur.eligibility, cur.inputs.source)
    eligibility_section(cur)


main()
