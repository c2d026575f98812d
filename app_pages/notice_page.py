"""Notice rules (通知规则): each year's rules with the clauses they cite, and a form that starts next
year's rules from the latest year's, checks every field (:func:`quota_opt.rules.check_text`, the same
checks as ``quota-opt rules check``) and saves them to the user rules folder, where every page finds
them at once. The core does the work (:mod:`quota_opt.rulefiles`); this page only fills its table.
"""

from __future__ import annotations

import tomllib

import pandas as pd
import streamlit as st

from quota_opt import QuotaOptError
from quota_opt.columns import Level, Rating
from quota_opt.rulefiles import dump_toml, latest_year, next_year_text, save_user_rules
from quota_opt.rules import available_years, check_text, load_notice, notice_path

from app_pages import state, ui
from app_pages.i18n import esc, fmt, level_name, pick, t

TOML_MIME = "application/toml"


def _values(rule) -> str:
    """A quota rule's values with their unit (前10位 → 40 个；… ; a fixed quota: 5 个)."""
    if rule.tiers:
        return "；".join(f"{pick(tier.label_zh, tier.label_en)} → {t('rule.value.quota', n=tier.quota)}"
                        for tier in rule.tiers)
    return "" if rule.quota is None else t("rule.value.quota", n=rule.quota)


def show_year() -> None:
    years = available_years()
    state.seed("data_year")
    default = st.session_state.get("data_year")
    year = st.selectbox(t("notice.year"), years, index=years.index(default) if default in years else len(years) - 1,
                        key="notice_show_year")
    try:
        f = notice_path(year)
        notice = load_notice(year)
    except QuotaOptError as exc:
        st.error(t("notice.error", message=esc(pick(exc.message_zh, exc.message_en))))
        return
    st.markdown(f"**{esc(notice.document)}** {esc(pick(notice.title_zh, notice.title_en or notice.title_zh))}"
                f"（{esc(notice.date)}）")
    if f.shipped:  # the public document, not the file name it ships as
        st.caption(t("notice.origin.shipped.doc", document=esc(notice.document)))
    else:
        st.caption(t("notice.origin.user", file=esc(str(f.path))))
    quota = pd.DataFrame([{
        "id": r.id, "level": level_name(r.level.value), "applies_to": ui.unit_type_text(r.applies_to.value),
        "kind": ui.rule_kind(r.kind),
        "values": _values(r), "clause": r.clause, "text": pick(r.text_zh, r.text_en or r.text_zh),
    } for r in notice.quota_rules])
    st.subheader(t("notice.quota"))
    st.dataframe(quota.rename(columns={c: t(f"notice.col.{c}") for c in quota.columns}), hide_index=True,
                 key="notice_quota_table", column_config={t("notice.col.values"): st.column_config.Column(width="medium")})
    elig = pd.DataFrame([{
        "id": r.id, "level": level_name(r.level.value), "kind": ui.rule_kind(r.kind),
        "values": ui.rule_value(r.kind, r.value), "severity": ui.severity_name(r.severity), "clause": r.clause,
        "text": pick(r.text_zh, r.text_en or r.text_zh),
    } for r in notice.eligibility_rules])
    st.subheader(t("notice.eligibility"))
    st.dataframe(elig.rename(columns={c: t(f"notice.col.{c}") for c in elig.columns}), hide_index=True,
                 key="notice_eligibility_table")
    st.download_button(t("notice.download"), f.path.read_bytes(), file_name=f"{year}.toml", mime=TOML_MIME,
                       key="notice_download", on_click="ignore", icon=":material/download:")


def _tiers_frame(rule: dict) -> pd.DataFrame:
    bound = "rank_max" if rule["kind"] == "rank_tier" else "count_min"
    frame = pd.DataFrame([{"bound": tier.get(bound), "quota": tier.get("quota"), "label_zh": tier.get("label_zh", ""),
                           "label_en": tier.get("label_en", "")} for tier in rule["tiers"]])
    frame["bound"] = frame["bound"].astype("Int64")
    frame["quota"] = frame["quota"].astype("Int64")
    return frame


def _int_or_none(value):
    if value is None or pd.isna(value):
        return None
    return int(value) if float(value) == int(value) else float(value)


def new_year_form() -> None:
    base = latest_year()
    st.subheader(t("notice.new"))
    st.caption(t("notice.new.caption", year=base))
    k = f"notice_{base}_"  # the form's keys carry the year it starts from
    year = int(st.number_input(t("notice.f.year"), min_value=base + 1, max_value=base + 20, value=base + 1, step=1,
                               key=f"{k}year"))
    raw = tomllib.loads(next_year_text(notice_path(base).path.read_text(encoding="utf-8-sig"), base, year))
    fields: dict[str, str] = {}  # a check's key (dotted path) -> the field's label, to explain problems by field
    cols = st.columns(2)
    for i, name in enumerate(("document", "title_zh", "title_en", "date")):
        label = t(f"notice.f.{name}")
        raw[name] = cols[i % 2].text_input(label, key=f"{k}{name}").strip()
        fields[name] = label
    raw.pop("date_note", None)
    levels = [lv.value for lv in Level]
    raw["levels"] = st.multiselect(t("notice.f.levels"), levels, default=raw["levels"], key=f"{k}levels",
                                   format_func=fmt(levels, level_name))
    fields["levels"] = t("notice.f.levels")
    for i, rule in enumerate(raw.get("quota", [])):
        name = f"{rule['id']}（{level_name(rule['level'])}，{ui.unit_type_text(rule['applies_to'])}）"
        if rule["kind"] in ("rank_tier", "count_tier"):
            st.markdown(f"**{esc(name)}**")
            c = st.columns(2)
            rule["dataset"] = c[0].text_input(t("notice.f.dataset", rule=name), value=rule["dataset"],
                                              key=f"{k}dataset_{i}").strip()
            rule["measure_zh"] = c[1].text_input(t("notice.f.measure", rule=name), value=rule.get("measure_zh", ""),
                                                 key=f"{k}measure_{i}").strip()
            edited = st.data_editor(
                _tiers_frame(rule), key=f"{k}tiers_{i}", num_rows="dynamic", hide_index=True,
                column_config={"bound": st.column_config.NumberColumn(
                                   t("notice.col.bound") + t("notice.bound.rank_max" if rule["kind"] == "rank_tier"
                                                             else "notice.bound.count_min"),
                                   step=1),
                               "quota": st.column_config.NumberColumn(t("notice.col.quota"), step=1),
                               "label_zh": st.column_config.TextColumn(t("notice.col.label_zh")),
                               "label_en": st.column_config.TextColumn(t("notice.col.label_en"))})
            bound = "rank_max" if rule["kind"] == "rank_tier" else "count_min"
            rule["tiers"] = [{bound: _int_or_none(r["bound"]), "quota": _int_or_none(r["quota"]),
                              "label_zh": r["label_zh"] or "", "label_en": r["label_en"] or ""}
                             for r in edited.to_dict("records")]
            rule["tiers"] = [{key: v for key, v in tier.items() if v is not None} for tier in rule["tiers"]]
            fields[f"quota[{i}].dataset"] = t("notice.f.dataset", rule=name)
            fields[f"quota[{i}].tiers"] = t("notice.f.tiers", rule=name)
        elif rule["kind"] == "fixed":
            rule["quota"] = int(st.number_input(t("notice.f.fixed", rule=name), min_value=0, max_value=1000,
                                                value=int(rule["quota"]), step=1, key=f"{k}fixed_{i}"))
            fields[f"quota[{i}].quota"] = t("notice.f.fixed", rule=name)
    for i, rule in enumerate(raw.get("eligibility", [])):
        name = f"{rule['id']}（{level_name(rule['level'])}）"
        label = t("notice.f.value", rule=name)
        if rule["kind"] == "min_rating":
            options = [r.value for r in Rating if r is not Rating.NONE]
            rule["value"] = st.selectbox(label, options, index=options.index(rule["value"]), key=f"{k}value_{i}",
                                         format_func=fmt(options, ui.rating_name))
        elif rule["kind"] == "min_maturity":
            rule["value"] = int(st.number_input(label, min_value=1, max_value=5, value=int(rule["value"]), step=1,
                                                key=f"{k}value_{i}"))
        elif rule["kind"] == "min_ai_share":
            rule["value"] = st.number_input(label, min_value=0.0, max_value=100.0, value=float(rule["value"]),
                                            step=1.0, key=f"{k}value_{i}")
        else:
            continue
        fields[f"eligibility[{i}].value"] = label
    text = dump_toml(raw)
    if st.button(t("notice.f.save"), key="notice_save", type="primary"):
        problems = [p for p in check_text(text, f"{year}.toml") if p.severity == "error"]
        if problems:
            lines = []
            for p in problems:
                field = next((fields[key] for key in sorted(fields, key=len, reverse=True)
                              if p.key == key or p.key.startswith(key + ".") or p.key.startswith(key + "[")), p.key)
                lines.append(f"- **{esc(field)}**：{esc(pick(p.zh, p.en))}")
            st.error(t("notice.f.problems") + "\n\n" + "\n".join(lines))
            return
        try:
            path = save_user_rules(text, year)
        except QuotaOptError as exc:
            st.error(esc(pick(exc.message_zh, exc.message_en)))
            return
        st.cache_data.clear()  # quotas of this year computed before the save are stale
        st.session_state["notice_saved"] = {"year": year, "path": str(path), "text": text}
    saved = st.session_state.get("notice_saved")
    if saved:
        st.success(t("notice.f.saved", year=saved["year"], path=esc(saved["path"])))
        st.download_button(t("notice.download"), saved["text"].encode("utf-8"), file_name=f"{saved['year']}.toml",
                           mime=TOML_MIME, key="notice_saved_download", on_click="ignore", icon=":material/download:")


def main() -> None:
    ui.start()
    st.title(t("notice.title"))
    st.caption(t("notice.context"))
    show_year()
    new_year_form()


main()
