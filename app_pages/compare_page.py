"""Compare saved runs: the runs saved on the export page (:class:`quota_opt.RunStore`, the same database:
``QUOTA_OPT_DB`` or the user's data folder), two of them compared by
:func:`quota_opt.compare.compare_runs` (projects that entered, left, moved or stayed; the weights and
rules that differ), and a saved run deleted after a confirmation.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from quota_opt import QuotaOptError, RunStore
from quota_opt.columns import ReasonCode
from quota_opt.compare import Comparison, compare_runs
from quota_opt.result import china_time
from quota_opt.store import RunSummary, SavedRun

from app_pages import state, ui
from app_pages.i18n import TEXT, criterion, esc, label, lang, level_name, pick, t, unit_name

# scenario settings (compare_runs' dotted keys) named as the rules page names them
NAMED_TABLES = {spec["named"]: family for family, spec in state.FAMILIES.items() if "named" in spec}
GENERAL_KEYS = {spec["key"]: family for family, spec in state.FAMILIES.items()}
SCORING_LABELS = {"weights_method": "rules.method", "blend_alpha": "rules.blend.alpha",
                  "blend_form": "rules.blend.form", "entropy_criteria": "rules.entropy.criteria", "ahp": "rules.ahp"}
STANDINGS = ("ineligible", "invalid", "absent", "not_selected")  # compare_runs' own words beside the reason codes
CONTEXT_LABELS = {"unit": "col.unit", "level": "data.level", "year": "data.year", "quota": "col.quota",
                  "status": "col.status", "input_sha256": "cmp.key.input_sha256", "panel": "cmp.key.panel"}


def _store_error(zh: str, en: str) -> None:
    st.error(esc(pick(zh, en)), icon=":material/error:")


# ---------------------------------------------------------------------- labels of what differs


def standing(value: str) -> str:
    """Where a project not recommended in a run stood: its reason, or ineligible / invalid / absent."""
    if value in STANDINGS:
        return t(f"cmp.standing.{value}")
    try:
        reason = ReasonCode(value)
    except ValueError:
        return value
    return pick(reason.zh, reason.en)


def setting_label(key: str) -> str:
    """A scenario setting (``constraints.max_per_city``) as the rules page names it; other keys as they are."""
    head, _, rest = key.partition(".")
    if head == "constraints":
        name, _, item = rest.partition(".")
        if name in GENERAL_KEYS and not item:
            return t(f"rules.fam.{GENERAL_KEYS[name]}")
        if name in NAMED_TABLES and item:
            return f"{t(f'rules.fam.{NAMED_TABLES[name]}')}：{item.strip(chr(34))}"
    if head == "direction" and rest:
        return f"{t('col.direction')}：{criterion(rest)}"
    if head == "scoring":
        name, _, item = rest.partition(".")
        if name in SCORING_LABELS:
            item = t(f"cmp.ahp.{item}") if name == "ahp" and item in ("criteria", "matrix") else item
            return t(SCORING_LABELS[name]) + (f"：{item}" if item else "")
    if key == "description":
        return t("cmp.key.description")
    return key


CRITERIA_KEYS = ("scoring.ahp.criteria", "scoring.entropy_criteria")  # settings that list criteria


def setting_value(key: str, value, ahp_criteria: list | None = None) -> str:
    """A setting's value as the rules page would show it: methods and directions in words, criteria by their
    labels, the AHP matrix row by row in its stored order (each row named by ``ahp_criteria``, that run's)."""
    if value is None:
        return t("cmp.unset")
    if key == "scoring.weights_method" and value in state.WEIGHT_METHODS:
        return t(f"rules.method.{value}")
    if key == "scoring.blend_form" and value in ("linear", "multiplicative"):
        return t(f"rules.blend.{value}")
    if key.startswith("direction.") and value in ("benefit", "cost"):
        return t(f"rules.direction.{value}")
    if key in CRITERIA_KEYS and isinstance(value, list):
        return "、".join(criterion(str(v)) for v in value)
    if key == "scoring.ahp.matrix" and isinstance(value, list):
        names = list(ahp_criteria or [])
        rows = []
        for i, row in enumerate(value):
            head = criterion(str(names[i])) if i < len(names) else str(i + 1)
            cells = " : ".join(f"{v:.4g}" if isinstance(v, (int, float)) else str(v) for v in row) \
                if isinstance(row, list) else str(row)
            rows.append(f"{head}（{cells}）")
        return "；".join(rows)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def panel_text(basis: dict | None) -> str:
    """Where a run's expert scores came from: the candidate file, or the panel (its rule and files)."""
    if basis is None:
        return t("cmp.panel.none")
    rule = basis["options"].get("aggregate")
    return t("cmp.panel.used", n=basis["experts"],
             rule=t(f"panel.rule.{rule}") if f"panel.rule.{rule}" in TEXT else str(rule),
             std=t("side.panel.std") if basis["options"].get("standardise") else "",
             files=("、" if lang() == "zh" else ", ").join(str(f.get("name")) for f in basis["files"]))


def context_value(key: str, value) -> str:
    if key == "panel":
        return panel_text(value)
    if value is None:
        return t("cmp.unset")
    if key == "level":
        return level_name(str(value))
    if key == "unit":
        return unit_name(str(value))
    if key == "input_sha256":
        return str(value)[:12]
    if key == "status":
        return ui.run_status(str(value))
    return str(value)


# ---------------------------------------------------------------------- the page's parts


def run_label(run: RunSummary) -> str:
    """How a run is offered in a choice: its id, name and time (the same in both languages)."""
    return f"#{run.id} {run.name} · {china_time(run.created)[:16]}"


def runs_table(runs: list[RunSummary]) -> None:
    frame = pd.DataFrame([{"id": r.id, "name": r.name, "created": china_time(r.created), "unit": unit_name(r.unit),
                           "level": level_name(r.level), "year": r.year, "objective": r.objective,
                           "n_selected": r.n_selected} for r in runs])
    st.dataframe(frame.rename(columns={"id": t("col.id"), "name": t("col.run"), "created": t("col.created"),
                                       "unit": t("col.unit"), "level": t("data.level"), "year": t("data.year"),
                                       "objective": t("col.objective"), "n_selected": t("col.n_selected")}),
                 hide_index=True, placeholder="", key="cmp_runs",
                 column_config={t("col.objective"): st.column_config.NumberColumn(format="%.2f")})


def _choose(key: str, title: str, ids: list[int], default: int, labels: dict[int, str], column) -> int:
    if st.session_state.get(key) not in ids:  # a deleted run, or none chosen yet
        st.session_state[key] = default
    return column.selectbox(title, ids, key=key, format_func=labels.get)


def _names(run: SavedRun) -> dict[str, str]:
    """Each pick's project name (entered and left projects are picks of one of the two runs)."""
    return {str(r.get("project_id")): str(r.get("project_name") or "") for r in run.result.get("selected") or []}


def comparison_section(store: RunStore, runs: list[RunSummary]) -> None:
    ids = [r.id for r in runs]
    labels = {r.id: run_label(r) for r in runs}
    cols = st.columns(2)
    a = _choose("cmp_a", t("cmp.a"), ids, ids[1], labels, cols[0])  # newest first: A the run before, B the newest
    b = _choose("cmp_b", t("cmp.b"), ids, ids[0], labels, cols[1])
    if a == b:
        st.info(t("cmp.same"))
        return
    try:
        run_a, run_b = store.get(a), store.get(b)
        comparison = compare_runs(run_a, run_b)
    except QuotaOptError as exc:
        _store_error(exc.message_zh, exc.message_en)
        return
    ahp = {side: ((run.scenario().get("scoring") or {}).get("ahp") or {}).get("criteria")  # parsed by compare_runs
           for side, run in (("a", run_a), ("b", run_b))}
    show_comparison(comparison, {**_names(run_a), **_names(run_b)}, f"比较_comparison_{a}_{b}.txt", ahp)


def show_comparison(c: Comparison, names: dict[str, str], file_name: str, ahp_criteria: dict | None = None) -> None:
    ahp_criteria = ahp_criteria or {}
    if c.context:
        items = "\n".join(f"- {t(CONTEXT_LABELS[d['key']])}：{esc(context_value(d['key'], d['a']))} → "
                          f"{esc(context_value(d['key'], d['b']))}" for d in c.context)
        st.warning(f"{t('cmp.context')}\n\n{items}", icon=":material/warning:")
    cols = st.columns(6)
    delta = None if c.objective_diff is None else f"{c.objective_diff:+.2f}"
    cols[0].metric(t("cmp.metric.objective_a"), "—" if c.objective_a is None else f"{c.objective_a:.2f}")
    cols[1].metric(t("cmp.metric.objective_b"), "—" if c.objective_b is None else f"{c.objective_b:.2f}", delta=delta)
    parts = {"entered": c.entered, "left": c.left, "moved": c.moved, "stayed": c.stayed}
    for col, (key, items) in zip(cols[2:], parts.items()):
        col.metric(t(f"cmp.metric.{key}"), len(items))
    if c.same_selection:
        st.success(t("cmp.same_selection"))

    score = st.column_config.NumberColumn(format="%.2f")
    st.subheader(t("cmp.entered"))
    frame = pd.DataFrame([{"project_id": e["project_id"], "project_name": names.get(e["project_id"], ""),
                           "rank_b": e["rank_b"], "score_b": e["score_b"], "in_a": standing(e["in_a"])}
                          for e in c.entered], columns=["project_id", "project_name", "rank_b", "score_b", "in_a"])
    _table(frame, {"rank_b": t("cmp.col.rank_b"), "score_b": t("cmp.col.score_b"), "in_a": t("cmp.col.in_a")},
           "cmp_entered", {t("cmp.col.score_b"): score})
    st.subheader(t("cmp.left"))
    frame = pd.DataFrame([{"project_id": e["project_id"], "project_name": names.get(e["project_id"], ""),
                           "rank_a": e["rank_a"], "score_a": e["score_a"], "in_b": standing(e["in_b"])}
                          for e in c.left], columns=["project_id", "project_name", "rank_a", "score_a", "in_b"])
    _table(frame, {"rank_a": t("cmp.col.rank_a"), "score_a": t("cmp.col.score_a"), "in_b": t("cmp.col.in_b")},
           "cmp_left", {t("cmp.col.score_a"): score})
    st.subheader(t("cmp.moved"))
    frame = pd.DataFrame([{"project_id": m["project_id"], "project_name": names.get(m["project_id"], ""),
                           "rank_a": m["rank_a"], "rank_b": m["rank_b"], "places": m["places"]} for m in c.moved],
                         columns=["project_id", "project_name", "rank_a", "rank_b", "places"])
    _table(frame, {"rank_a": t("cmp.col.rank_a"), "rank_b": t("cmp.col.rank_b"), "places": t("cmp.col.places")},
           "cmp_moved", {t("cmp.col.places"): st.column_config.NumberColumn(format="%+d")})
    if c.stayed:
        with st.expander(t("cmp.stayed", n=len(c.stayed))):
            frame = pd.DataFrame([{"project_id": s["project_id"], "project_name": names.get(s["project_id"], ""),
                                   "rank": s["rank"]} for s in c.stayed])
            _table(frame, {"rank": label("rank")}, "cmp_stayed")

    st.subheader(t("cmp.weights"))
    if not c.weight_diff:
        st.write(t("cmp.weights.same"))
    else:
        if c.weights_equivalent:
            st.info(t("cmp.weights.equivalent"))
        def raw(value) -> str:  # as the run's scenario gives it; a criterion it does not name weighs 0
            return t("cmp.unset") if value is None else f"{value:g}"

        # the weights each run scored with (after AHP, entropy or blending) beside those its sliders gave,
        # one row per criterion in the core's one order, named by the criterion's label
        frame = pd.DataFrame({
            t("col.criterion"): [criterion(w["criterion"]) for w in c.weight_diff],
            t("cmp.col.a_used"): [w.get("a_used") for w in c.weight_diff],
            t("cmp.col.b_used"): [w.get("b_used") for w in c.weight_diff],
            t("cmp.col.a_given"): [raw(w["a"]) for w in c.weight_diff],
            t("cmp.col.b_given"): [raw(w["b"]) for w in c.weight_diff]})
        four = st.column_config.NumberColumn(format="%.4f")
        st.dataframe(frame, hide_index=True, placeholder="", key="cmp_weights",
                     column_config={t("cmp.col.a_used"): four, t("cmp.col.b_used"): four})

    st.subheader(t("cmp.rules"))
    if not c.scenario_diff:
        st.write(t("cmp.rules.same"))
    else:
        st.dataframe(pd.DataFrame({
            t("cmp.col.setting"): [setting_label(d["key"]) for d in c.scenario_diff],
            t("cmp.col.a"): [setting_value(d["key"], d["a"], ahp_criteria.get("a")) for d in c.scenario_diff],
            t("cmp.col.b"): [setting_value(d["key"], d["b"], ahp_criteria.get("b")) for d in c.scenario_diff]}),
            hide_index=True, placeholder="", key="cmp_rules")
    text = c.to_text(setting_label, lambda key, value, side: setting_value(key, value, ahp_criteria.get(side)))
    st.download_button(t("cmp.download"), text, file_name=file_name, mime="text/plain",
                       key="cmp_download", on_click="ignore", icon=":material/download:")


def _table(frame: pd.DataFrame, extra: dict[str, str], key: str, config: dict | None = None) -> None:
    if frame.empty:
        st.write(t("cmp.none"))
        return
    st.dataframe(ui.display(frame, ui.headers("project_id", "project_name", extra=extra)), hide_index=True, placeholder="", key=key,
                 column_config=config or {})


# ---------------------------------------------------------------------- deleting, with a confirmation


def _ask_delete() -> None:
    st.session_state["cmp_confirm"] = st.session_state.get("cmp_delete")


def _delete(run_id: int, name: str) -> None:
    st.session_state.pop("cmp_confirm", None)
    try:
        gone = RunStore().delete(run_id)
    except QuotaOptError as exc:
        st.session_state["cmp_msg"] = ("error", exc.message_zh, exc.message_en)
        return
    st.session_state["cmp_msg"] = ("ok", run_id, name) if gone else ("gone", run_id, name)


def _cancel() -> None:
    st.session_state.pop("cmp_confirm", None)


def delete_section(runs: list[RunSummary]) -> None:
    ids = [r.id for r in runs]
    labels = {r.id: run_label(r) for r in runs}
    pending = st.session_state.get("cmp_confirm")
    with st.expander(t("cmp.delete"), expanded=pending in ids):
        cols = st.columns([3, 1], vertical_alignment="bottom")
        if st.session_state.get("cmp_delete") not in ids:
            st.session_state["cmp_delete"] = ids[-1]
        cols[0].selectbox(t("cmp.delete.pick"), ids, key="cmp_delete", format_func=labels.get)
        cols[1].button(t("cmp.delete.button"), key="cmp_delete_ask", on_click=_ask_delete, icon=":material/delete:")
        if pending in ids:
            run = next(r for r in runs if r.id == pending)
            st.warning(t("cmp.delete.confirm", id=run.id, name=esc(run.name)), icon=":material/warning:")
            cols = st.columns([1, 1, 3])
            cols[0].button(t("cmp.delete.yes"), key="cmp_delete_yes", on_click=_delete, args=(run.id, run.name),
                           type="primary")
            cols[1].button(t("cmp.delete.no"), key="cmp_delete_no", on_click=_cancel)


def message() -> None:
    msg = st.session_state.pop("cmp_msg", None)
    if not msg:
        return
    if msg[0] == "ok":
        st.success(t("cmp.delete.done", id=msg[1], name=esc(msg[2])))
    elif msg[0] == "gone":
        st.info(t("cmp.delete.gone", id=msg[1]))
    else:
        _store_error(msg[1], msg[2])


def main() -> None:
    ui.start()
    st.session_state.pop(ui.RUN_KEY, None)  # this page needs no recommendation: drop the one app.py handed over
    st.title(t("cmp.title"))
    st.caption(t("cmp.caption"))
    message()
    store = RunStore()
    st.caption(t("cmp.db", path=esc(store.path)))
    try:
        runs = store.list()
    except QuotaOptError as exc:
        _store_error(exc.message_zh, exc.message_en)
        return
    if len(runs) < 2:
        st.info(t("cmp.need2", n=len(runs)), icon=":material/info:")
        ui.link("export")
    else:
        comparison_section(store, runs)
    if runs:
        st.subheader(t("cmp.runs", n=len(runs)))
        runs_table(runs)
        delete_section(runs)


main()
