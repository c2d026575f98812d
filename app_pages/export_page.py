"""Export and save: the .xlsx workbook and the .csv summary (official Chinese headers), the scenario
as TOML and the full result as JSON, a preview of the summary as exported, the run information,
and "save this run" into the saved-runs database (:class:`quota_opt.RunStore`), which the comparison
page (compare_page.py) reads.

Issue 12: the documents that go out on paper -- the summary table and the recommendation letter as
Word files (:mod:`quota_opt.documents`), signed with the unit's profile (a form that saves it in the
run store, as ``quota-opt profile set`` does), with the score switch and the date, and a preview of
the letter's text.
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from quota_opt import QuotaOptError, RunStore
from quota_opt.documents import (BODY_FONT, FALLBACK_FONTS, TITLE_FONT, china_time, china_today, letter_content, letter_docx,
                                 letter_refusal, summary_table_docx)
from quota_opt.columns import ScoringMethod, WeightMethod, column_label
from quota_opt.export import run_info_rows, summary_headers
from quota_opt.samples import SAMPLES
from quota_opt.profile import UnitProfile

from app_pages import ui
from app_pages.i18n import esc, label, lang, level_name, pick, split, t, unit_name


SAMPLES_BY_FILE = {s.file: s for s in SAMPLES}


def preview(rec) -> None:
    st.subheader(t("export.preview"))
    rows = [[r["rank"], r["project_id"], r.get("project_name", ""), r.get("enterprise", ""), r.get("city", ""),
             r.get("industry", ""), round(float(r["score"]), 2)] for r in rec.selected]
    st.caption(f"{rec.year}年度{rec.level_zh}智能工厂项目推荐汇总表 · 推荐单位：{esc(rec.unit)}")
    st.dataframe(pd.DataFrame(rows, columns=summary_headers("zh")), hide_index=True, placeholder="", key="export_summary",
                 column_config={"得分": st.column_config.NumberColumn(format="%.2f")})


# the rows whose value the core writes "中文 / English" (:func:`quota_opt.export.run_info_rows`)
_BILINGUAL_VALUES = {"constraints", "rows", "warning", "why infeasible", "quota set by the user",
                     "reason for the override"}
_BOTH = re.compile(r"^(?P<head>[^（]*)（(?P<zh>[^（）]*) / (?P<en>[^（）]*)）$")  # "file（中文 / English）"


def run_info_value(item: str, value: object, rec) -> str:
    """A value of the run information (the workbook's bilingual record, :func:`quota_opt.export.run_info_rows`)
    as the app shows it: in the session's language, enumerations in words (manual -> 直接赋权, optimal ->
    已得出推荐), a sample pool by its label; ``item`` is the row's English label."""
    text = str(value)
    if item == "level":
        return level_name(rec.level)
    if item == "scenario":
        return {"default": t("common.default"), "custom": t("common.custom")}.get(text, text)
    if item == "weights method" and WeightMethod.parse(text) is not None:
        return pick(WeightMethod.parse(text).zh, text)
    if item == "normalisation" and ScoringMethod.parse(text) is not None:
        return pick(ScoringMethod.parse(text).zh, text)
    if item == "status":
        return ui.run_status(text)
    if item.startswith("weight: "):
        criterion = next((c for c in rec.weights if f"weight: {column_label(c, 'en')}" == item), None)
        if criterion is not None:
            direction = rec.directions.get(criterion, "benefit")
            words = t(f"rules.direction.{direction}")
            return f"{rec.weights[criterion]:.4f}（{words}）" if lang() == "zh" else (
                f"{rec.weights[criterion]:.4f} ({words})")
    if item == "input file" and text in SAMPLES_BY_FILE:
        sample = SAMPLES_BY_FILE[text]
        return t("export.run.sample", name=pick(sample.label_zh, sample.label_en))
    if item == "reference data file" and (both := _BOTH.match(text)):
        return f"{both['head']}（{both['zh']}）" if lang() == "zh" else f"{both['head']} ({both['en']})"
    if item in _BILINGUAL_VALUES:
        return pick(*split(text))
    return text  # as recorded (a name, a number, the scenario's TOML: never cut at a " / " it holds)


def _save(rec) -> None:
    name = (st.session_state.get("export_name") or "").strip()
    try:
        run_id = RunStore().save(name, rec.unit, rec.level, rec.year, rec.input_sha256 or None,
                                 rec.scenario.to_toml(), rec.to_dict())
    except QuotaOptError as exc:
        st.session_state["export_msg"] = ("error", exc.message_zh, exc.message_en)
        return
    st.session_state["export_msg"] = ("ok", run_id, name)


def save_section(rec) -> None:
    st.subheader(t("export.save"))
    cols = st.columns([3, 1], vertical_alignment="bottom")
    scenario = {"default": t("common.default"), "custom": t("common.custom")}.get(rec.scenario.name, rec.scenario.name)
    default = f"{unit_name(rec.unit)}-{rec.year}-{level_name(rec.level)}-{scenario}"  # in the session's language
    st.session_state.setdefault("export_name", default)
    cols[0].text_input(t("export.save.name"), key="export_name")
    cols[1].button(t("export.save.button"), key="export_save", on_click=_save, args=(rec,), type="primary",
                   icon=":material/save:")
    msg = st.session_state.pop("export_msg", None)
    if msg and msg[0] == "ok":
        st.success(t("export.save.done", id=msg[1], name=esc(msg[2])))
    elif msg:
        ui.error("recommend", (msg[1], msg[2]))
    try:
        runs = RunStore().list()
    except QuotaOptError as exc:
        ui.error("recommend", (exc.message_zh, exc.message_en))
        return
    with st.expander(t("export.saved")):
        if not runs:
            st.write(t("export.saved.none"))
            return
        frame = pd.DataFrame([{"id": r.id, "name": r.name, "created": china_time(r.created), "unit": unit_name(r.unit),
                               "level": level_name(r.level), "year": r.year, "status": ui.run_status(r.status),
                               "objective": r.objective, "n_selected": r.n_selected} for r in runs])
        st.dataframe(frame.rename(columns={"id": t("col.id"), "name": t("col.run"), "created": t("col.created"),
                                           "unit": t("col.unit"), "level": t("data.level"), "year": t("data.year"),
                                           "status": t("col.status"), "objective": t("col.objective"),
                                           "n_selected": t("col.n_selected")}),
                     hide_index=True, placeholder="", key="export_runs")
        st.caption(t("export.saved.compare"))
        ui.link("compare")


DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_PROFILE_FIELDS = ("name", "co_signers", "contact", "phone", "email", "address")


def _load_profile(unit: str) -> UnitProfile | None:
    """The unit's saved profile into the form's fields, once per unit; None when the store cannot be read."""
    try:
        profile = RunStore().profile(unit)
    except QuotaOptError as exc:
        ui.error("recommend", (exc.message_zh, exc.message_en))
        return None
    if st.session_state.get("export_profile_unit") != unit:
        st.session_state["export_profile_unit"] = unit
        for key in _PROFILE_FIELDS:
            value = getattr(profile, key)
            st.session_state[f"export_profile_{key}"] = "、".join(value) if key == "co_signers" else value
    return profile


def _save_profile(unit: str) -> None:
    changes = {key: st.session_state.get(f"export_profile_{key}", "") for key in _PROFILE_FIELDS}
    try:
        store = RunStore()
        store.save_profile(store.profile(unit).updated_with(**changes))
    except QuotaOptError as exc:
        st.session_state["export_profile_msg"] = ("error", exc.message_zh, exc.message_en)
        return
    st.session_state["export_profile_msg"] = ("ok",)


def profile_form(unit: str) -> UnitProfile | None:
    """The unit's name as on its seal, co-signers and contact: entered once, kept in the run store."""
    profile = _load_profile(unit)
    if profile is None:
        return None
    with st.expander(t("export.profile"), expanded=not profile.saved):
        st.caption(t("export.profile.caption", unit=esc(unit)))
        with st.form("export_profile_form", border=False):
            cols = st.columns(2)
            cols[0].text_input(t("export.profile.name"), key="export_profile_name", placeholder=profile.official_name)
            cols[1].text_input(t("export.profile.co_signers"), key="export_profile_co_signers")
            cols = st.columns(3)
            cols[0].text_input(t("export.profile.contact"), key="export_profile_contact")
            cols[1].text_input(t("export.profile.phone"), key="export_profile_phone")
            cols[2].text_input(t("export.profile.email"), key="export_profile_email")
            st.text_input(t("export.profile.address"), key="export_profile_address")
            st.form_submit_button(t("export.profile.save"), key="export_profile_save", on_click=_save_profile,
                                  args=(unit,), icon=":material/badge:")
    msg = st.session_state.pop("export_profile_msg", None)
    if msg and msg[0] == "ok":
        st.success(t("export.profile.saved"))
    elif msg:
        ui.error("recommend", (msg[1], msg[2]))
    if not profile.saved:
        st.info(t("export.profile.none", name=esc(profile.official_name)))
    return profile


def documents_section(rec) -> None:
    """Download the summary table and the letter as Word files, and preview the letter's text."""
    st.subheader(t("export.docs"))
    st.caption(t("export.docs.caption"))
    if not rec.feasible or not rec.selected:
        st.info(t("export.docs.none"))
        return
    profile = profile_form(rec.unit)
    if profile is None:
        return
    cols = st.columns([1, 1], vertical_alignment="bottom")
    with_score = cols[0].toggle(t("export.docs.score"), key="export_docx_score")
    day = cols[1].date_input(t("export.docs.date"), value=china_today(), key="export_docx_date", format="YYYY-MM-DD")
    refusal = letter_refusal(rec.unit, rec.level, rec.year)
    cols = st.columns([1, 1, 2])
    cols[0].download_button(t("export.docs.table"), lambda: summary_table_docx(rec, profile, day, with_score=with_score),
                            file_name=f"{ui.file_stem(rec)}.docx", mime=DOCX_MIME, key="export_docx",
                            on_click="ignore", icon=":material/description:", type="primary")
    if refusal is not None:
        st.info(pick(refusal.message_zh, refusal.message_en))
        return
    cols[1].download_button(t("export.docs.letter"), lambda: letter_docx(rec, profile, day),
                            file_name=f"{ui.file_stem(rec, '推荐函')}.docx", mime=DOCX_MIME, key="export_letter",
                            on_click="ignore", icon=":material/mail:", type="primary")
    with st.expander(t("export.docs.preview"), expanded=True):
        st.text(letter_content(rec, profile, day).text())
    st.caption(t("export.docs.fonts", body=BODY_FONT, title=TITLE_FONT, body_alt=FALLBACK_FONTS[BODY_FONT],
                 title_alt=FALLBACK_FONTS[TITLE_FONT]))


def main() -> None:
    ui.start()
    st.title(t("export.title"))
    cur = ui.current()
    if ui.first_error(cur):
        st.info(t("export.nothing"))
        return
    rec = cur.rec
    st.caption(t("export.caption"))
    ui.quota_notes(cur)
    if not rec.feasible:
        st.warning(t("export.infeasible"))
    ui.downloads(rec, "export")
    cols = st.columns([1, 1, 2])
    cols[0].download_button(t("export.scenario"), rec.scenario.to_toml(), file_name=f"{ui.file_stem(rec)}_方案.toml",
                            mime="application/toml", key="export_toml", on_click="ignore", icon=":material/download:")
    cols[1].download_button(t("export.json"), lambda: rec.to_json(), file_name=f"{ui.file_stem(rec)}.json",
                            mime="application/json", key="export_json", on_click="ignore", icon=":material/download:")
    preview(rec)
    documents_section(rec)
    with st.expander(t("export.run")):
        info = pd.DataFrame([[pick(*split(str(a))), run_info_value(split(str(a))[1], b, rec)]
                             for a, b in run_info_rows(rec)], columns=[label("item"), label("value")])
        st.dataframe(info, hide_index=True, placeholder="", key="export_info")
    save_section(rec)


main()
