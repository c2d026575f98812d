"""Quota: the unit's quota for the year and level, with its basis, the data's source and status; where
figures are missing, the user supplies them (each with its source) or a corrected data file, or sets
the quota with a stated reason. The quota engine does the work (:class:`quota_opt.QuotaEngine` with
``figures`` and ``tables``); the app keeps what the user entered in session state, and every later
page and the export say how the quota was set.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from quota_opt import QuotaOptError
from quota_opt.columns import Level, UnitType
from quota_opt.refdata import (ORIGINS, STATUS_ZH, UserFigure, dataset_for, figures_table, find_reference,
                               reference_csv, save_user_reference)
from quota_opt.userdata import user_reference_dir
from quota_opt.rules import load_notice
from quota_opt.units import PROVINCE_NAMES, resolve_unit

from app_pages import compute, state, ui
from app_pages.i18n import TEXT, esc, fmt, lang, level_name, local, pick, t, unit_name

STATUS_EN = {"official": "official", "secondary": "secondary", "derived": "derived", "missing": "missing",
             "user": "supplied by the user"}


def status_text(status: str | None) -> str:
    if not status:
        return ""
    return STATUS_ZH.get(status, status) if lang() == "zh" else STATUS_EN.get(status, status)


def quota_status_text(value: str) -> str:
    """A quota's status (ok, via, undetermined, override) in the session's language."""
    return t(f"quota.status.{value}") if f"quota.status.{value}" in TEXT else value


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
        source_detail(q.data_status, q.data_source)
        for warning in q.warnings:
            st.warning(esc(local(warning)))
    if q.depends_on_missing and q.status == "undetermined":
        st.info(t("quota.missing", names="、".join(q.depends_on_missing)))
    ui.quota_notes(cur)


def source_detail(status: str | None, source: str | None) -> None:
    """The figure's full provenance record (how it was read and checked; written partly in English) folded
    away: the basis above already names its source in Chinese."""
    if source:
        with st.expander(t("quota.source.detail")):
            st.caption(t("quota.source", status=status_text(status), source=esc(source)))


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
    ds = dataset_for(dataset)
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
        st.file_uploader(t("quota.file.words", figure=ds.figure, measure=esc(measure)), type=["csv"], key=f"quota_file_{dataset}",
                         on_change=_file_uploaded, args=(dataset,))


def _saved_user_data(dataset: str, data: bytes, label: str) -> None:
    try:
        path = save_user_reference(dataset, data, label)
    except QuotaOptError as exc:
        st.session_state["quota_userdata_msg"] = ("error", pick(exc.message_zh, exc.message_en))
        return
    st.cache_data.clear()  # the quotas read the folder: cached answers from before are stale
    st.session_state["quota_userdata_msg"] = ("success", t("quota.userdata.saved", file=path.name))
    st.session_state["quota_userdata_version"] = st.session_state.get("quota_userdata_version", 0) + 1


def _userdata_uploaded(dataset: str, key: str) -> None:
    file = st.session_state.get(key)
    if file is not None:
        _saved_user_data(dataset, file.getvalue(), file.name)


def _userdata_typed(dataset: str, key: str) -> None:
    frame = st.session_state.get(f"{key}_frame")
    edits = (st.session_state.get(key) or {}).get("edited_rows") or {}
    figures = []
    for row, changes in sorted(edits.items(), key=lambda kv: int(kv[0])):
        province = frame["province"].iloc[int(row)]
        value, source = changes.get("value"), changes.get("source") or ""
        if value is None and not source:
            continue
        figures.append(UserFigure(dataset, province, value if value is not None else float("nan"), source))
    try:
        table = figures_table(dataset, figures)
    except QuotaOptError as exc:
        st.session_state["quota_userdata_msg"] = ("error", pick(exc.message_zh, exc.message_en))
        return
    _saved_user_data(dataset, reference_csv(table), dataset_for(dataset).filename)


def userdata_section(cur) -> None:
    """Reference data for a new basis year: a file uploaded or figures typed, kept in the user data folder."""
    rule = rule_of(cur)
    dataset = getattr(rule, "dataset", None) if rule is not None else None
    if not dataset:
        return
    ds = dataset_for(dataset)
    found = find_reference(dataset)
    origin = found[1] if found else "none"
    with st.expander(t("quota.userdata"), expanded=found is None):
        measure = pick(f"{rule.measure_zh}（{ds.unit_zh}）", f"{rule.measure_en} ({ds.unit_en})")
        st.caption(t("quota.userdata.caption.measure", measure=esc(measure), dataset=dataset,
                     origin=pick(*ORIGINS[origin]), folder=esc(str(user_reference_dir()))))
        msg = st.session_state.pop("quota_userdata_msg", None)
        if msg:
            getattr(st, msg[0])(esc(msg[1]))
        version = st.session_state.get("quota_userdata_version", 0)
        key = f"quota_userdata_file_{dataset}_{version}"
        st.file_uploader(t("quota.userdata.upload.measure", measure=esc(measure), file=ds.filename), type=["csv"], key=key,
                         on_change=_userdata_uploaded, args=(dataset, key))
        st.markdown(t("quota.userdata.editor"))
        frame = pd.DataFrame({"province": list(PROVINCE_NAMES), "value": [None] * len(PROVINCE_NAMES),
                              "source": [""] * len(PROVINCE_NAMES)})
        frame["value"] = pd.to_numeric(frame["value"])
        ekey = f"quota_userdata_editor_{dataset}_{version}"
        st.session_state[f"{ekey}_frame"] = frame
        st.data_editor(frame, hide_index=True, key=ekey, num_rows="fixed", disabled=["province"],
                       column_config={"province": st.column_config.TextColumn(t("col.province")),
                                      "value": st.column_config.NumberColumn(t("col.figure"), min_value=0,
                                                                             step=1 if ds.integer else None),
                                      "source": st.column_config.TextColumn(t("col.source"), width="large")})
        st.button(t("quota.userdata.save"), key=f"quota_userdata_save_{dataset}", on_click=_userdata_typed,
                  args=(dataset, ekey))


def override_section(cur) -> None:
    """The override of the unit, year and level chosen now (each has its own: see state.override_scope)."""
    st.subheader(t("quota.override"))
    st.caption(t("quota.override.for", unit=esc(unit_name(cur.inputs.unit)), year=cur.inputs.year,
                 level=level_name(cur.inputs.level)))
    keys = {name: state.override_key(name) for name in state.OVERRIDE_KEYS}
    for key in keys.values():
        state.seed(key)
    on = st.toggle(t("quota.override.on"), key=keys["quota_override_on"], persist_state=state.PERSIST)
    if not on:
        return
    cols = st.columns([1, 3])
    cols[0].number_input(t("quota.override.number"), min_value=0, max_value=1000, step=1, key=keys["quota_override"],
                         persist_state=state.PERSIST)
    cols[1].text_input(t("quota.override.reason"), key=keys["quota_reason"], persist_state=state.PERSIST)
    if state.quota_inputs().override_pending:
        st.warning(t("quota.override.pending"))


def national_frame(rows) -> pd.DataFrame:
    """Every unit's quota, rank, figure, status and margin (the national table; the CLI's columns)."""
    table = pd.DataFrame([r.to_dict() for r in rows])
    table["quota"] = table["quota"].astype("Int64")
    table["rank"] = [("" if lo is None or pd.isna(lo) else (str(int(lo)) if lo == hi else f"{int(lo)}–{int(hi)}"))
                     for lo, hi in zip(table["rank_min"], table["rank_max"])]
    own = table["source_status_zh"] if lang() == "zh" else table["source_status_en"]
    table["data_status"] = [f"{status_text(s)}（{o}）" if o else status_text(s) for s, o in zip(table["data_status"], own)]
    table["margin_pct"] = pd.to_numeric(table["margin_pct"], errors="coerce").round(1)
    table["basis"] = table["basis_zh"] if lang() == "zh" else table["basis_en"]
    table["unit_name"] = [unit_name(u) for u in table["unit"]]
    return table


NATIONAL_COLUMNS = ("unit_name", "unit_type", "quota", "status", "rank", "figure", "data_status", "margin", "margin_pct",
                    "margin_to", "via", "basis")


def tier_chart(table: pd.DataFrame, year: int, level: str):
    """The provinces' figures, largest first, with the tier boundaries of the year's rule drawn (or None)."""
    try:
        rule = load_notice(year).quota_rule(Level(level), UnitType.PROVINCE)
    except (QuotaOptError, ValueError):
        return None
    if rule is None or rule.kind not in ("rank_tier", "count_tier"):
        return None
    data = table[(table["unit_type"] == "province") & table["figure"].notna()].copy()
    if data.empty:
        return None
    data = data.sort_values(["figure", "unit"], ascending=[False, True]).reset_index(drop=True)
    data["position"] = range(1, len(data) + 1)
    data["quota_text"] = [("—" if pd.isna(q) else str(int(q))) for q in data["quota"]]
    ds = dataset_for(rule.dataset)
    measure = pick(f"{rule.measure_zh}（{ds.unit_zh}）", f"{rule.measure_en} ({ds.unit_en})")
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("position:Q", title=t("quota.chart.position"), scale=alt.Scale(domain=[0.5, len(data) + 0.5]),
                axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("figure:Q", title=measure),
        color=alt.Color("quota_text:N", title=t("col.quota"), sort="descending"),
        tooltip=[alt.Tooltip("unit_name:N", title=t("col.unit")), alt.Tooltip("figure:Q", title=measure),
                 alt.Tooltip("rank:N", title=t("col.rank")), alt.Tooltip("quota_text:N", title=t("col.quota")),
                 alt.Tooltip("margin:Q", title=t("col.margin")), alt.Tooltip("margin_pct:Q", title=t("col.margin_pct"))],
    )
    if rule.kind == "rank_tier":  # a boundary between rank k and k + 1 for each tier that ends at rank k
        lines = pd.DataFrame([{"at": tier.rank_max + 0.5, "label": pick(tier.label_zh, tier.label_en)}
                              for tier in rule.tiers if tier.rank_max is not None])
        rules = alt.Chart(lines).mark_rule(strokeDash=[6, 4], color="#c0392b").encode(x="at:Q")
        labels = alt.Chart(lines).mark_text(align="right", dx=-4, dy=8, color="#c0392b").encode(
            x="at:Q", y=alt.value(0), text="label:N")
    else:  # count tiers: a boundary at each tier's smallest count
        lines = pd.DataFrame([{"at": tier.count_min, "label": pick(tier.label_zh, tier.label_en)}
                              for tier in rule.tiers if tier.count_min])
        rules = alt.Chart(lines).mark_rule(strokeDash=[6, 4], color="#c0392b").encode(y="at:Q")
        labels = alt.Chart(lines).mark_text(align="left", dy=-6, color="#c0392b").encode(
            y="at:Q", x=alt.value(4), text="label:N")
    if lines.empty:
        return bars
    return alt.layer(bars, rules, labels).properties(height=360)


def all_units_section(cur) -> None:
    q = cur.inputs.quota
    rows, error = compute.all_quotas(cur.inputs.level, cur.inputs.year, q.figures, q.files)
    if error:
        return
    st.subheader(t("quota.all", year=cur.inputs.year, level=level_name(cur.inputs.level)))
    table = national_frame(rows)
    headers = {c: t(f"col.{c}") for c in NATIONAL_COLUMNS}
    named = table.assign(unit_type=table["unit_type"].map(ui.unit_type_text), status=table["status"].map(quota_status_text),
                         via=table["via"].map(lambda v: unit_name(v) if isinstance(v, str) and v else v),
                         margin_to=table["margin_to"].map(lambda v: unit_name(v) if isinstance(v, str) and v else v))
    shown = ui.display(named, headers)
    st.caption(t("quota.all.caption"))
    st.dataframe(shown, hide_index=True, placeholder="", key="quota_table",
                 column_config={headers["figure"]: st.column_config.NumberColumn(format="%g"),
                                headers["margin"]: st.column_config.NumberColumn(format="%g")})
    stem = ui.safe_name(f"{cur.inputs.year}_{level_name(cur.inputs.level)}_{t('quota.all.file')}")
    st.download_button(t("quota.all.download"), shown.to_csv(index=False).encode("utf-8-sig"),
                       file_name=f"{stem}.csv", mime="text/csv", key="quota_table_csv", on_click="ignore",
                       icon=":material/download:")
    chart = tier_chart(table, cur.inputs.year, cur.inputs.level)
    if chart is not None:
        st.altair_chart(chart, width="stretch", key="quota_chart")
    undetermined = table.loc[table["status"] == "undetermined", "unit"].tolist()
    if undetermined:
        st.warning(t("quota.all.undetermined", n=len(undetermined), units="、".join(undetermined)))
    with st.expander(t("quota.all.one")):
        names = [r.unit for r in rows]
        picked = st.selectbox(t("quota.all.unit"), names, key=f"quota_unit@{lang()}",
                              index=names.index(cur.quota.unit) if cur.quota and cur.quota.unit in names else 0,
                              format_func=fmt(names, unit_name))
        row = rows[names.index(picked)]
        st.metric(t("quota.metric", unit=unit_name(row.unit), level=level_name(row.level)),
                  "—" if row.quota is None else str(row.quota))
        st.text(pick(row.basis_zh, row.basis_en))
        source_detail(row.data_status, row.data_source)
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
    userdata_section(cur)
    override_section(cur)
    all_units_section(cur)
    if cur.quota is not None and cur.quota.quota is not None:
        ui.link("rules")


main()
