"""Quota: the unit's quota for the year and level, with its basis, the data's source and status; where
figures are missing, the user supplies them (each with its source) or a corrected data file, or sets
the quota with a stated reason. The quota engine does the work (:class:`quota_opt.QuotaEngine` with
``figures`` and ``tables``); the app keeps what the user entered in session state, and every later
page and the export say how the quota was set.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from quota_opt import QuotaOptError
from quota_opt.columns import UNIT_TYPE_ZH, Level, UnitType
from quota_opt.refdata import DATASETS, STATUS_ZH
from quota_opt.rules import load_notice
from quota_opt.units import resolve_unit

from app_pages import compute, state, ui
from app_pages.i18n import TEXT, esc, fmt, lang, level_name, local, pick, t, unit_name

STATUS_EN = {"official": "official", "secondary": "secondary", "derived": "derived", "missing": "missing",
             "user": "supplied by the user"}


def status_text(status: str | None) -> str:
    if not status:
        return ""
    return STATUS_ZH.get(status, status) if lang() == "zh" else STATUS_EN.get(status, status)


def unit_type_text(value: str) -> str:
    """A unit's type in the session's language (省（区、市）/ province)."""
    try:
        kind = UnitType(value)
    except ValueError:
        return str(value)
    return UNIT_TYPE_ZH[kind] if lang() == "zh" else kind.value.replace("_", " ")


def rule_of(cur):
    """The notice's quota rule for the unit (None when the notice has none, or the unit is unknown)."""
    try:
        unit = resolve_unit(cur.inputs.unit)
        return load_notice(cur.inputs.year).quota_rule(Level(cur.inputs.level), unit.unit_type)
    except (QuotaOptError, ValueError):
        return None


def headline(cur) -> None:
    q = cur.quota
    if q is None:
        ui.error("quota", cur.errors["quota"])
        return
    cols = st.columns([1, 3])
    value = "—" if q.quota is None else str(q.quota)
    cols[0].metric(t("quota.metric", unit=unit_name(q.unit),
                     level=level_name(q.level)), value)
    cols[0].caption(t(f"quota.status.{q.status}"))
    with cols[1]:
        st.markdown(f"**{t('quota.basis')}**")
        st.text(pick(q.basis_zh, q.basis_en))
        if q.data_source:
            st.caption(t("quota.source", status=status_text(q.data_status), source=esc(q.data_source)))
        for warning in q.warnings:
            st.warning(esc(local(warning)))
    if q.depends_on_missing and q.status == "undetermined":
        st.info(t("quota.missing", names="、".join(q.depends_on_missing)))
    ui.quota_notes(cur)


def _rank_text(lo, hi) -> str:
    """Stated rank bounds as text: "7", "1–6", "≥12" (empty when none is stated)."""
    lo = None if pd.isna(lo) else int(lo)
    hi = None if pd.isna(hi) else int(hi)
    if lo is not None and hi is not None:
        return str(lo) if lo == hi else f"{lo}–{hi}"
    if lo is not None:
        return f"≥{lo}"
    return f"≤{hi}" if hi is not None else ""


def _clear_figures(dataset: str) -> None:
    st.session_state["quota_figures"] = {k: v for k, v in st.session_state.get("quota_figures", {}).items()
                                         if k[0] != dataset}
    st.session_state["quota_fig_version"] = st.session_state.get("quota_fig_version", 0) + 1


def _file_uploaded(dataset: str) -> None:
    file = st.session_state.get(f"quota_file_{dataset}")
    if file is None:
        return
    files = dict(st.session_state.get("quota_files", {}))
    files[dataset] = {"name": file.name, "data": file.getvalue()}
    st.session_state["quota_files"] = files


def _file_removed(dataset: str) -> None:
    files = dict(st.session_state.get("quota_files", {}))
    files.pop(dataset, None)
    st.session_state["quota_files"] = files


def figures_section(cur) -> None:
    st.subheader(t("quota.figures"))
    rule = rule_of(cur)
    dataset = getattr(rule, "dataset", None) if rule is not None else None
    if not dataset:
        st.write(t("quota.figures.none"))
        return
    ds = DATASETS[dataset]
    measure = pick(f"{rule.measure_zh}（{ds.unit_zh}）", f"{rule.measure_en} ({ds.unit_en})")
    st.caption(t("quota.figures.caption", dataset=measure))
    q = cur.inputs.quota
    # the table as read WITHOUT the user's figures, so the file's own value and source stay visible
    table, error = compute.reference_table(dataset, cur.inputs.year, (), q.files)
    if error:
        ui.error("quota", error)
        return
    entered = st.session_state.get("quota_figures", {})
    # the unit's own province first; the order must not depend on what was entered (rows are edited by position)
    own = cur.inputs.unit if cur.inputs.unit in set(table["province"]) else None
    if own:
        table = pd.concat([table[table["province"] == own], table[table["province"] != own]], ignore_index=True)
    provinces = table["province"].tolist()
    frame = pd.DataFrame({
        "province": provinces,
        "value": table["value"],
        "rank": [_rank_text(a, b) for a, b in zip(table["rank_min"], table["rank_max"])],
        "status": table["status"].map(status_text),
        "source": table["source"],
        "user_value": [entered.get((dataset, p), {}).get("value") for p in provinces],
        "user_source": [entered.get((dataset, p), {}).get("source", "") for p in provinces],
    })
    frame["user_value"] = pd.to_numeric(frame["user_value"], errors="coerce")
    editor_key = f"quota_figures_editor_{dataset}_{st.session_state.get('quota_fig_version', 0)}"
    headers = {"province": t("col.province"), "value": t("col.figure"),
               **({"rank": t("col.rank_bounds")} if ds.has_rank_bounds else {}), "status": t("col.data_status"),
               "source": t("col.source"), "user_value": t("col.user_value"), "user_source": t("col.user_source")}
    st.data_editor(
        frame, hide_index=True, key=editor_key, num_rows="fixed", placeholder="—",
        disabled=["province", "value", "rank", "status", "source"],
        column_order=list(headers),
        column_config={
            "province": st.column_config.TextColumn(headers["province"]),
            "value": st.column_config.NumberColumn(headers["value"], format="%g"),
            "rank": st.column_config.TextColumn(t("col.rank_bounds")),
            "status": st.column_config.TextColumn(headers["status"]),
            "source": st.column_config.TextColumn(headers["source"], width="medium"),
            "user_value": st.column_config.NumberColumn(headers["user_value"], min_value=0,
                                                        step=1 if ds.integer else None),
            "user_source": st.column_config.TextColumn(headers["user_source"], width="medium"),
        },
    )
    state.register_editor(f"figures_{dataset}", editor_key, "figures", dataset=dataset, provinces=provinces)
    if any(k[0] == dataset for k in entered):
        st.button(t("quota.figures.clear"), key=f"quota_clear_{dataset}", on_click=_clear_figures, args=(dataset,))
    uploaded = st.session_state.get("quota_files", {}).get(dataset)
    if uploaded:
        st.button(t("quota.file.remove"), key=f"quota_file_remove_{dataset}", on_click=_file_removed, args=(dataset,))
    else:
        st.file_uploader(t("quota.file", figure=ds.figure), type=["csv"], key=f"quota_file_{dataset}",
                         on_change=_file_uploaded, args=(dataset,))


def override_section() -> None:
    st.subheader(t("quota.override"))
    for key in ("quota_override_on", "quota_override", "quota_reason"):
        state.seed(key)
    on = st.toggle(t("quota.override.on"), key="quota_override_on", persist_state=state.PERSIST)
    if not on:
        return
    cols = st.columns([1, 3])
    cols[0].number_input(t("quota.override.number"), min_value=0, max_value=1000, step=1, key="quota_override",
                         persist_state=state.PERSIST)
    cols[1].text_input(t("quota.override.reason"), key="quota_reason", persist_state=state.PERSIST)
    if state.quota_inputs().override_pending:
        st.warning(t("quota.override.pending"))


def all_units_section(cur) -> None:
    q = cur.inputs.quota
    rows, error = compute.all_quotas(cur.inputs.level, cur.inputs.year, q.figures, q.files)
    if error:
        return
    with st.expander(t("quota.all", year=cur.inputs.year, level=level_name(cur.inputs.level))):
        table = pd.DataFrame([r.to_dict() for r in rows])
        table["quota"] = table["quota"].astype("Int64")
        table["basis"] = table["basis_zh"] if lang() == "zh" else table["basis_en"]
        table["data_status"] = table["data_status"].map(status_text)
        table["status"] = table["status"].map(lambda v: t(f"quota.status.{v}") if f"quota.status.{v}" in TEXT else v)
        table["unit_type"] = table["unit_type"].map(unit_type_text)
        table["unit"] = table["unit"].map(unit_name)
        table["via"] = table["via"].map(lambda v: unit_name(v) if isinstance(v, str) else v)
        headers = {c: t(f"col.{c}") for c in ("unit", "unit_type", "quota", "status", "via", "rank_min",
                                              "rank_max", "data_status", "basis")}
        st.dataframe(ui.display(table, headers), hide_index=True, placeholder="", key="quota_table")
        undetermined = table.loc[table["status"] == "undetermined", "unit"].tolist()
        if undetermined:
            st.warning(t("quota.all.undetermined", n=len(undetermined), units="、".join(undetermined)))
        names = [r.unit for r in rows]
        shown = st.selectbox(t("quota.all.unit"), names, key=f"quota_unit@{lang()}",
                             index=names.index(cur.quota.unit) if cur.quota and cur.quota.unit in names else 0,
                             format_func=fmt(names, unit_name))
        row = rows[names.index(shown)]
        st.metric(t("quota.metric", unit=unit_name(row.unit), level=level_name(row.level)),
                  "—" if row.quota is None else str(row.quota))
        st.text(pick(row.basis_zh, row.basis_en))
        if row.data_source:
            st.caption(t("quota.source", status=status_text(row.data_status), source=esc(row.data_source)))
        for warning in row.warnings:
            st.warning(esc(local(warning)))


def main() -> None:
    ui.start()
    st.title(t("quota.title"))
    cur = ui.current()
    st.caption(t("quota.context"))
    ui.link("data")
    headline(cur)
    figures_section(cur)
    override_section()
    all_units_section(cur)
    if cur.quota is not None and cur.quota.quota is not None:
        ui.link("rules")


main()
