"""Pieces every page shows the same way: stage errors, the quota notice, the sidebar summary, tables.

User text only reaches Markdown through :func:`app_pages.i18n.esc`; tables (``st.dataframe``) and
``st.text`` show it as plain text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException

from quota_opt.export import csv_bytes, xlsx_bytes
from quota_opt.result import Recommendation
from quota_opt.samples import SAMPLES_BY_NAME

from app_pages import state
from app_pages import compute
from app_pages.compute import Current, Message
from app_pages.i18n import esc, label, level_name, pick, t, unit_name

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

PAGES = {
    "results": "app_pages/results_page.py",
    "robustness": "app_pages/robustness_page.py",
    "data": "app_pages/data_page.py",
    "quota": "app_pages/quota_page.py",
    "rules": "app_pages/rules_page.py",
    "export": "app_pages/export_page.py",
    "compare": "app_pages/compare_page.py",
    "notice": "app_pages/notice_page.py",  # issue 10
}


def link(page: str) -> None:
    """A link to another page of the workflow (only when the app runs with its navigation)."""
    try:
        st.page_link(PAGES[page], label=t(f"common.go.{page}"), icon=":material/arrow_forward:")
    except StreamlitAPIException:  # a page run on its own (a test) has no navigation to link into
        pass


def error(stage: str, message: Message, go: str | None = None) -> None:
    """A stage that failed, with the core's message (escaped: it may quote user text) and where to fix it."""
    hint = f"\n\n{t('stage.quota.hint')}" if stage == "quota" else ""
    st.error(f"**{t(f'stage.{stage}')}**\n\n{esc(pick(*message))}{hint}")
    if go:
        link(go)


def first_error(cur: Current, stages: tuple[str, ...] = ("pool", "eligibility", "quota", "scenario", "recommend")) -> bool:
    """Show the first failed stage of ``stages``; True if there was one."""
    where = {"pool": "data", "eligibility": "data", "quota": "quota", "scenario": "rules", "recommend": "rules"}
    for stage in stages:
        if stage in cur.errors:
            error(stage, cur.errors[stage], where[stage])
            return True
    return False


def quota_notes(cur: Current) -> None:
    """Say when the quota was set by the user or rests on user-supplied data (on every page that uses it)."""
    q = cur.quota
    if q is None:
        return
    if q.status == "override":
        original = q.original_quota if q.original_quota is not None else t("common.undetermined")
        st.warning(t("quota.override.active", quota=q.quota, original=original, reason=esc(q.override_reason or "")),
                   icon=":material/edit_note:")
    if q.user_figures:
        items = "；".join(f"{f['province']} {f['value']:g}（{esc(f['source'])}）" for f in q.user_figures)
        st.info(t("quota.figures.active", items=items), icon=":material/dataset:")
    for dataset, name, _ in cur.inputs.quota.files:
        st.info(t("quota.file.current", name=esc(name)), icon=":material/upload_file:")
    if cur.inputs.quota.override_pending:
        st.warning(t("side.quota.pending"))


def safe_name(text: str) -> str:
    """``text`` fit for a file name: characters Windows refuses in names (and spaces) become "_"."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text)


def file_stem(rec: Recommendation, what: str = "推荐汇总表") -> str:
    """A download's file name without suffix: unit, year, level and ``what``."""
    return safe_name(f"{rec.unit}_{rec.year}_{rec.level_zh}_{what}")


def downloads(rec: Recommendation, where: str) -> None:
    """The .xlsx (built only when clicked) and .csv of the summary, with the official Chinese headers."""
    cols = st.columns([1.25, 1.25, 1.5])
    cols[0].download_button(t("res.download.xlsx"), lambda: xlsx_bytes(rec), file_name=f"{file_stem(rec)}.xlsx",
                            mime=XLSX_MIME, key=f"{where}_xlsx", on_click="ignore", icon=":material/download:",
                            type="primary")
    cols[1].download_button(t("res.download.csv"), csv_bytes(rec), file_name=f"{file_stem(rec)}.csv",
                            mime="text/csv", key=f"{where}_csv", on_click="ignore", icon=":material/download:")


def display(frame: pd.DataFrame, headers: Mapping[str, str]) -> pd.DataFrame:
    """``frame`` with only the columns of ``headers``, renamed to them (the session's language)."""
    return frame[list(headers)].rename(columns=dict(headers))


def headers(*names: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Core column labels of ``names`` in the session's language, plus ``extra`` (column -> header)."""
    out = {n: label(n) for n in names}
    out.update(extra or {})
    return out


def sidebar(cur: Current) -> None:
    """Where the session stands, on every page: pool, unit, quota (and how it was set), scenario, status."""
    box = st.sidebar.container(border=True)
    box.markdown(f"**{t('side.current')}**")
    src = cur.inputs.source
    if src is None:
        box.caption(t("side.pool.none"))
    else:
        rows = cur.pool.validation.rows if cur.pool and cur.pool.validation is not None else 0
        name = pick(SAMPLES_BY_NAME[src.label].label_zh, SAMPLES_BY_NAME[src.label].label_en) if src.is_sample \
            else src.filename
        box.caption(t("side.pool", name=esc(name), rows=rows))
    box.caption(t("side.unit", unit=esc(unit_name(cur.inputs.unit)), level=level_name(cur.inputs.level), year=cur.inputs.year))
    q = cur.quota
    if q is not None and q.quota is not None:
        box.caption(t("side.quota", quota=q.quota))
    else:
        box.caption(t("side.quota.none"))
    if q is not None and q.status == "override":
        original = q.original_quota if q.original_quota is not None else t("common.undetermined")
        box.caption(t("side.quota.override", original=original, reason=esc(q.override_reason or "")))
    if q is not None and q.user_figures:
        box.caption(t("side.quota.figures", n=len(q.user_figures)))
    for _, name, _ in cur.inputs.quota.files:
        box.caption(t("side.quota.file", name=esc(name)))
    if cur.inputs.quota.override_pending:
        box.caption(t("side.quota.pending"))
    if cur.scenario is not None:
        name = {"default": t("common.default"), "custom": t("common.custom")}.get(cur.scenario.name) or esc(
            cur.scenario.name)
        box.caption(t("side.scenario", name=name))
    rec = cur.rec
    if rec is None:
        box.caption(t("side.status.error"))
    elif rec.feasible:
        box.caption(t("side.status.ok", n=len(rec.selected), quota=rec.quota, total=f"{rec.objective:.2f}"))
    else:
        box.caption(t("side.status.infeasible"))


def start() -> None:
    """What every page does first (idempotent: app.py has done it when the page runs inside the app)."""
    state.init()


RUN_KEY = "_current_run"  # where app.py hands this run's Current to the page it runs next


def current() -> Current:
    """This run's :class:`Current`: the one app.py computed for the sidebar just before running the
    page (taken, so a later run never sees it), else computed now (a page run on its own)."""
    cur = st.session_state.pop(RUN_KEY, None)
    return cur if cur is not None else compute.current()
