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

from quota_opt.columns import COLUMNS_BY_NAME, UNIT_TYPE_ZH, Rating, UnitType
from quota_opt.export import csv_bytes, xlsx_bytes
from quota_opt.result import Recommendation
from quota_opt.samples import SAMPLES_BY_NAME
from quota_opt.validate import ProblemCode

from app_pages import state
from app_pages import compute
from app_pages.compute import Current, Message
from app_pages.i18n import TEXT, esc, label, lang, level_name, local, pick, t, unit_name

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

PAGES = {  # in the sidebar's order (app.py)
    "results": "app_pages/results_page.py",
    "notice": "app_pages/notice_page.py",  # issue 10
    "data": "app_pages/data_page.py",
    "quota": "app_pages/quota_page.py",
    "panel": "app_pages/panel_page.py",
    "rules": "app_pages/rules_page.py",
    "robustness": "app_pages/robustness_page.py",
    "export": "app_pages/export_page.py",
    "compare": "app_pages/compare_page.py",
}


def link(page: str) -> None:
    """A link to another page of the workflow (only when the app runs with its navigation)."""
    try:
        st.page_link(PAGES[page], label=t(f"common.go.{page}"), icon=":material/arrow_forward:")
    except StreamlitAPIException:  # a page run on its own (a test) has no navigation to link into
        pass


def error(stage: str, message: Message, go: str | None = None, listed=None) -> None:
    """A stage that failed, with the core's message (escaped: it may quote user text) and where to fix it;
    ``listed`` (a heading and items, each (Chinese, English)) shows the message as a list instead."""
    hint = f"\n\n{t('stage.quota.hint')}" if stage == "quota" else ""
    if listed is None:
        text = esc(pick(*message))
    else:
        head, items = listed
        text = esc(pick(*head)) + "\n\n" + "\n".join(f"- {esc(pick(*item))}" for item in items)
    st.error(f"**{t(f'stage.{stage}')}**\n\n{text}{hint}")
    if go:
        link(go)


def file_errors_listed(cur: Current, message: Message):
    """The heading and items of the candidate file's own errors (a column missing or given twice), when
    ``message`` is the one line the core made of them; else None."""
    validation = cur.pool.validation if cur.pool is not None else None
    if validation is None or validation.file_error_message() != tuple(message):
        return None
    head, items = validation.file_error_lines()
    # a missing column by its header alone in Chinese (项目编号, not 项目编号（project_id）), as the problems table
    # names it; the core lists the missing columns first
    errors = validation.file_errors
    missing = [c for c in errors[errors["code"] == ProblemCode.MISSING_COLUMN.value]["column"] if c in COLUMNS_BY_NAME]
    if len(missing) <= len(items):
        shown = [(COLUMNS_BY_NAME[c].zh, f"{COLUMNS_BY_NAME[c].label_en[:1].upper()}{COLUMNS_BY_NAME[c].label_en[1:]} "
                                         f"({COLUMNS_BY_NAME[c].zh})") for c in missing]
        items = shown + list(items[len(missing):])
    return head, items


def first_error(cur: Current, stages: tuple[str, ...] = ("pool", "eligibility", "quota", "panel", "scenario",
                                                         "recommend")) -> bool:
    """Show the first failed stage of ``stages``; True if there was one."""
    where = {"pool": "data", "eligibility": "data", "quota": "quota", "panel": "panel", "scenario": "rules",
             "recommend": "rules"}
    for stage in stages:
        if stage in cur.errors:
            listed = file_errors_listed(cur, cur.errors[stage])
            # the candidate file's own errors (a column missing) are mended on the candidates page, whichever
            # stage reports them
            error(stage, cur.errors[stage], "data" if listed is not None else where[stage], listed=listed)
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


def _where(file: str, row: object, column: object, value: object) -> tuple[str, str]:
    """Where a problem is, as the core's validator writes it before the problem (file, row, column, value)."""
    column = "" if column is None or (isinstance(column, float) and pd.isna(column)) else str(column)
    value = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    zh = f"{file} 第{row}行" + (f"，列“{column}”" if column else "") + (f"，值“{value}”" if value else "")
    en = f"{file} row {row}" + (f", column '{column}'" if column else "") + (f", value '{value}'" if value else "")
    return zh, en


def problem_text(problem: Mapping) -> str:
    """A validation problem (a row of ``ValidationResult.problems``) in the session's language, the problem
    first: the file, row, column and value it starts with are dropped (the table shows them in their own
    columns)."""
    zh, en = _where(problem["file"], problem["row"], problem.get("column"), problem.get("value"))
    if lang() == "zh":
        message, prefix = str(problem["message_zh"]), zh + "："
    else:
        message, prefix = str(problem["message_en"]), en + ": "
    return message[len(prefix):] if message.startswith(prefix) else message


def problem_column(problem: Mapping) -> str:
    """The column of a validation problem as a person reads it: as written in the file, except a missing
    column, which the core names by its canonical name (project_id): its header instead, the one to add
    (项目编号; in English "Project id (项目编号)")."""
    column = problem.get("column")
    column = "" if column is None or (isinstance(column, float) and pd.isna(column)) else str(column)
    if problem.get("code") != ProblemCode.MISSING_COLUMN.value or column not in COLUMNS_BY_NAME:
        return column
    header = COLUMNS_BY_NAME[column].zh
    return header if lang() == "zh" else f"{label(column)} ({header})"


def row_problems(validation, row: int, fallback: list[str]) -> str:
    """The errors of an invalid row, problem first, each followed by its column and value (in brackets);
    ``fallback`` ("中文 / English" strings) when the validator listed none for the row."""
    found = validation.problems[(validation.problems["row"] == row) & (validation.problems["severity"] == "error")]
    if found.empty:
        return "；".join(local(x) for x in fallback)
    parts = []
    for problem in found.to_dict("records"):
        column, value = problem.get("column") or "", problem.get("value") or ""
        where = (f"列“{column}”" + (f"，值“{value}”" if value else "")) if lang() == "zh" else (
            f"column '{column}'" + (f", value '{value}'" if value else ""))
        text = problem_text(problem)
        parts.append(f"{text}（{where}）" if column and lang() == "zh" else f"{text} ({where})" if column else text)
    return "；".join(parts) if lang() == "zh" else "; ".join(parts)


def run_status(status: str) -> str:
    """A saved run's solver status in words (已得出推荐 / optimal)."""
    return t(f"run.status.{status}") if f"run.status.{status}" in TEXT else str(status)


def rule_kind(kind: str) -> str:
    """A rule's kind in words (rank_tier -> 按名次分档; level-match -> 申报层级相符); an unknown kind as it is."""
    return t(f"rule.kind.{kind}") if f"rule.kind.{kind}" in TEXT else str(kind)


def rule_with_words(rule_id: str, kinds: Mapping[str, str]) -> str:
    """A rule's id with its kind in words beside it (E2025-E-stages（覆盖全部五个环节）); ``kinds`` maps
    ids to kinds (an id not in it is shown alone)."""
    kind = kinds.get(rule_id)
    if kind is None or f"rule.kind.{kind}" not in TEXT:
        return str(rule_id)
    return f"{rule_id}（{rule_kind(kind)}）" if lang() == "zh" else f"{rule_id} ({rule_kind(kind)})"


def rules_with_words(rule_ids, kinds: Mapping[str, str]) -> str:
    """Several rule ids, each with its words (a cell of a table)."""
    return ("；" if lang() == "zh" else "; ").join(rule_with_words(r, kinds) for r in rule_ids)


def rule_kinds(rules) -> dict[str, str]:
    """Rule id -> kind, for :func:`rule_with_words`, from rules (notice rules or eligibility RuleInfo); the two
    structural rules (kind "structural") are each their own kind (level-match, unit-membership)."""
    return {r.id: r.id if r.kind == "structural" else r.kind for r in rules}


def severity_name(severity: str) -> str:
    """An eligibility rule's severity in words (hard -> 必须满足, advisory -> 提示)."""
    return t(f"data.rule.{severity}") if f"data.rule.{severity}" in TEXT else str(severity)


def unit_type_text(value: str) -> str:
    """The kind of unit a quota rule applies to (province -> 省（区、市）), from the core's UNIT_TYPE_ZH."""
    try:
        unit_type = UnitType(value)
    except ValueError:
        return str(value)
    return UNIT_TYPE_ZH[unit_type] if lang() == "zh" else unit_type.value.replace("_", " ")


def rating_name(value: str) -> str:
    """A rating (advanced -> 先进级) in the session's language; an unknown value as it is."""
    try:
        rating = Rating(value)
    except ValueError:
        return str(value)
    return rating.zh if lang() == "zh" else rating.value


def rule_value(kind: str, value) -> str:
    """An eligibility rule's threshold as a person reads it, with its unit (先进级及以上; 3 级及以上; 不低于 20%)."""
    if value is None:
        return ""
    if kind == "min_rating":
        return t("rule.value.rating", rating=rating_name(value))
    if kind == "min_maturity":
        return t("rule.value.maturity", n=f"{value:g}" if isinstance(value, float) else value)
    if kind == "min_ai_share":
        return t("rule.value.share", n=f"{float(value):g}")
    return str(value)


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
        if src.is_sample:  # a sample's label already says how many projects it holds
            sample = SAMPLES_BY_NAME[src.label]
            box.caption(t("side.pool.sample", name=esc(pick(sample.label_zh, sample.label_en))))
        else:
            box.caption(t("side.pool", name=esc(src.filename), rows=rows))
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
    if cur.panel is not None and cur.panel.review is not None:  # issue 11: the expert score's source
        o = cur.panel.review.options
        box.caption(t("side.panel", n=len(cur.panel.review.experts), rule=t(f"panel.rule.{o.rule.value}"))
                    + (t("side.panel.std") if o.standardise else ""))
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


# Streamlit's file uploader writes its button ("Upload") and its limit ("20MB per file • CSV") in English and
# offers no option to change them; in Chinese a style sheet shows our words in their place.
UPLOADER_CSS = """<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "{button}"; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{ content: "{limit}"; font-size: 0.875rem; }}
</style>"""


def start() -> None:
    """What every page does first (idempotent: app.py has done it when the page runs inside the app)."""
    state.init()
    if lang() == "zh":
        mb = int(st.get_option("server.maxUploadSize"))
        st.html(UPLOADER_CSS.format(button=t("upload.button"), limit=t("upload.limit", mb=mb)))


RUN_KEY = "_current_run"  # where app.py hands this run's Current to the page it runs next


def current() -> Current:
    """This run's :class:`Current`: the one app.py computed for the sidebar just before running the
    page (taken, so a later run never sees it), else computed now (a page run on its own)."""
    cur = st.session_state.pop(RUN_KEY, None)
    return cur if cur is not None else compute.current()
