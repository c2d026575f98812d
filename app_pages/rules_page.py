"""Weights and rules: a slider and a direction per criterion (with the normalised weights), AHP pairwise
comparisons with the consistency ratio, entropy and blended weights; each rule family with its own
switch, caps and floors by industry, city and group in editable tables, must-include and
must-exclude projects, a minimum score. The widgets fill the scenario (a TOML-shaped dict) that the
core validates (:meth:`quota_opt.Scenario.from_dict`); the weights shown are the core's
(:func:`quota_opt.score.resolve_weights`, :func:`~quota_opt.score.ahp_weights`,
:func:`~quota_opt.score.entropy_weights`). A preview of the result is beside them.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from quota_opt import QuotaOptError
from quota_opt.scenario import read_scenario_bytes
from quota_opt.score import ahp_weights, criterion_values, entropy_weights, resolve_weights

from app_pages import state, ui
from app_pages.i18n import criterion, esc, fmt, label, local, pick, t

PREVIEW_ROWS = 10


def _pair_label(a: str, b: str):
    def fmt(v: str) -> str:
        if v == "1":
            return t("rules.ahp.equal")
        if v.startswith("1/"):
            return t("rules.ahp.more", name=criterion(b), x=v[2:])
        return t("rules.ahp.more", name=criterion(a), x=v)
    return fmt


def weights_section(cur, eligible: pd.DataFrame | None) -> None:
    st.subheader(t("rules.weights"))
    method = st.radio(t("rules.method"), state.WEIGHT_METHODS, horizontal=True, **state.bind("w_method"),
                      format_func=fmt(state.WEIGHT_METHODS, lambda m: t(f"rules.method.{m}")))
    criteria = cur.criteria
    sliders_used = method == "manual" or (method == "blend" and state.get("blend_subjective") == "sliders")
    given = state.given_weights(criteria)  # the exact weights (a loaded scenario's, else the sliders')
    total = sum(given.values())
    # the column beside the sliders shows the weights the recommendation uses: the sliders' shares when
    # they are used, else the AHP, entropy or blended weights the core computes
    used = _resolved(cur, eligible) if not sliders_used else None
    if not sliders_used:
        st.caption(t("rules.sliders.unused"))
    elif state.exact_weights() is not None:
        st.caption(t("rules.exact"))
    directions = fmt(["benefit", "cost"], lambda d: t(f"rules.direction.{d}"))
    head = st.columns([4, 2, 1.3])
    head[0].caption(t("col.criterion"))
    head[1].caption(t("col.direction"))
    head[2].caption(t("rules.share") if sliders_used else t("col.weight.used"))
    for c in criteria:
        state.seed(f"w_{c}")
        cols = st.columns([4, 2, 1.3], vertical_alignment="center")
        cols[0].slider(criterion(c), 0, 100, step=1, key=f"w_{c}", persist_state=state.PERSIST,
                       help=t("rules.slider.help"), disabled=not sliders_used, on_change=state.slider_moved, args=(c,))
        cols[1].selectbox(t("col.direction"), ["benefit", "cost"], **state.bind(f"d_{c}"), format_func=directions, label_visibility="collapsed")
        if sliders_used:
            share = given.get(c, 0.0) / total if total else 0.0
        else:
            share = (used or {}).get(c, 0.0)
        cols[2].markdown(f"{share:.1%}" if sliders_used or used is not None else "—")

    if method == "blend":
        st.markdown(f"**{t('rules.blend')}**")
        state.seed("blend_alpha")
        cols = st.columns(3)
        cols[0].radio(t("rules.blend.subjective"), ["sliders", "ahp"], **state.bind("blend_subjective"),
                      format_func=fmt(["sliders", "ahp"], lambda v: t(f"rules.blend.{v}")))
        cols[1].slider(t("rules.blend.alpha"), 0.0, 1.0, step=0.05, key="blend_alpha", persist_state=state.PERSIST)
        cols[2].radio(t("rules.blend.form"), ["linear", "multiplicative"], **state.bind("blend_form"),
                      format_func=fmt(["linear", "multiplicative"], lambda v: t(f"rules.blend.{v}")))
    if method == "ahp" or (method == "blend" and state.get("blend_subjective") == "ahp"):
        ahp_section(cur)
    if method in ("entropy", "blend"):
        entropy_section(cur, eligible)
    used_weights(cur, eligible)


def _resolved(cur, eligible: pd.DataFrame | None) -> dict[str, float] | None:
    """The weights the core uses for the current scenario (None when they cannot be computed)."""
    if cur.scenario is None or eligible is None:
        return None
    try:
        return resolve_weights(cur.scenario, lambda cs: criterion_values(eligible, cs)[0])[0]
    except QuotaOptError:
        return None  # the error is shown below the weights (used_weights)


def ahp_section(cur) -> None:
    st.markdown(f"**{t('rules.ahp')}**")
    st.session_state["ahp_criteria"] = [c for c in state.get("ahp_criteria") if c in cur.criteria]
    st.multiselect(t("rules.ahp.criteria"), cur.criteria, **state.bind("ahp_criteria", then=state.drop_exact_ahp),
                   placeholder=t("common.choose"), format_func=fmt(cur.criteria, criterion), max_selections=10)
    chosen = [c for c in cur.criteria if c in state.get("ahp_criteria")]
    if st.session_state.get("exact_ahp"):
        st.caption(t("rules.ahp.exact"))
    if len(chosen) < 2 and not st.session_state.get("exact_ahp"):
        st.warning(t("rules.ahp.need2"))
        return
    for i, a in enumerate(chosen):
        for b in chosen[i + 1:]:
            st.select_slider(t("rules.ahp.pair", a=criterion(a), b=criterion(b)), state.AHP_SCALE,
                             **state.bind(f"ahp|{a}|{b}", then=state.drop_exact_ahp),
                             format_func=fmt(state.AHP_SCALE, _pair_label(a, b)))
    spec = cur.scenario.scoring.ahp if cur.scenario is not None else None
    if spec is None:
        return
    try:
        result = ahp_weights(spec.matrix, spec.criteria)
    except QuotaOptError as exc:
        ui.error("scenario", (exc.message_zh, exc.message_en))
        return
    matrix = pd.DataFrame([[f"{x:.3g}" for x in row] for row in spec.matrix],
                          index=[criterion(c) for c in spec.criteria], columns=[criterion(c) for c in spec.criteria])
    st.dataframe(matrix, key="rules_ahp_matrix")
    text = t("rules.ahp.cr", cr=result.cr, lam=result.lambda_max, ci=result.ci, ri=result.ri)
    n = len(result.criteria)
    if n <= 2:
        st.success(f"{text}　{t('rules.ahp.ok.two')}")
    elif result.consistent:
        st.success(f"{text}　{t('rules.ahp.ok.n', limit=result.limit, n=n)}")
    else:
        st.warning(f"{text}\n\n{local(result.warning())}")


def entropy_section(cur, eligible: pd.DataFrame | None) -> None:
    st.markdown(f"**{t('rules.entropy')}**")
    options = cur.criteria + [c for c in state.get("entropy_criteria") if c not in cur.criteria]
    chosen = st.multiselect(t("rules.entropy.criteria"), options, **state.bind("entropy_criteria"),
                            placeholder=t("common.choose"), format_func=fmt(options, criterion))
    if eligible is None or not chosen:
        return
    try:
        values, _ = criterion_values(eligible, chosen)
    except QuotaOptError as exc:
        ui.error("scenario", (exc.message_zh, exc.message_en))
        return
    directions = cur.scenario.direction if cur.scenario is not None else {}
    result = entropy_weights(values, {c: directions.get(c) for c in chosen if c in directions})
    frame = pd.DataFrame({t("col.criterion"): [criterion(c) for c in chosen],
                          t("col.entropy"): [round(result.entropy[c], 4) for c in chosen],
                          t("col.divergence"): [round(result.divergence[c], 4) for c in chosen],
                          t("col.weight.entropy"): [round(result.weights[c], 4) for c in chosen]})
    st.dataframe(frame, hide_index=True, placeholder="", key="rules_entropy")
    for warning in result.warnings():
        st.caption(esc(local(warning)))


def used_weights(cur, eligible: pd.DataFrame | None) -> None:
    """The weights the recommendation uses, as the core resolves them, beside their sources."""
    if cur.scenario is None or eligible is None:
        return
    try:
        weights, ahp, entropy = resolve_weights(cur.scenario, lambda cs: criterion_values(eligible, cs)[0])
    except QuotaOptError as exc:
        ui.error("scenario", (exc.message_zh, exc.message_en))
        return
    names = list(dict.fromkeys([*cur.scenario.weights, *(ahp.weights if ahp else {}),
                                *(entropy.weights if entropy else {}), *weights]))
    given = sum(cur.scenario.weights.values()) or 1.0
    frame = pd.DataFrame({
        t("col.criterion"): [criterion(c) for c in names],
        t("col.direction"): [t(f"rules.direction.{cur.scenario.direction_of(c).value}") for c in names],
    })
    method = cur.scenario.scoring.weights_method.value
    if method == "manual" or (method == "blend" and ahp is None):  # the sliders' weights are used
        frame[t("col.weight.given")] = [round(cur.scenario.weights.get(c, 0.0) / given, 4) for c in names]
    if ahp:
        frame[t("col.weight.ahp")] = [round(ahp.weights.get(c, 0.0), 4) for c in names]
    if entropy:
        frame[t("col.weight.entropy")] = [round(entropy.weights.get(c, 0.0), 4) for c in names]
    frame[t("col.weight.used")] = [round(weights.get(c, 0.0), 4) for c in names]
    st.markdown(f"**{t('rules.used')}**")
    st.dataframe(frame, hide_index=True, placeholder="", key="rules_weights_used")


def rules_section(cur, eligible: pd.DataFrame | None) -> None:
    st.subheader(t("rules.constraints"))
    st.caption(t("rules.constraints.caption"))
    general = {"industry_cap": ("c_max_per_industry", 0, None, 1), "industry_floor": ("c_min_per_industry", 0, None, 1),
               "city_cap": ("c_max_per_city", 0, None, 1), "city_floor": ("c_min_per_city", 0, None, 1),
               "group_cap": ("c_max_per_group", 0, None, 1), "min_score": ("c_min_score", 0.0, 100.0, 1.0)}
    for family, (key, lo, hi, step) in general.items():
        state.seed(f"c_on_{family}")
        state.seed(key)
        cols = st.columns([3, 2])
        on = cols[0].toggle(t(f"rules.fam.{family}"), key=f"c_on_{family}", persist_state=state.PERSIST)
        cols[1].number_input(t("rules.general") if family != "min_score" else t(f"rules.fam.{family}"), min_value=lo,
                             max_value=hi, step=step, key=key, persist_state=state.PERSIST, disabled=not on,
                             label_visibility="collapsed")
    ids = [str(p) for p in eligible["project_id"]] if eligible is not None else []
    names = dict(zip(ids, eligible["project_name"].astype(str))) if eligible is not None else {}
    for family in ("include", "exclude"):
        key = f"c_{family}"
        state.seed(f"c_on_{family}")
        state.seed(key)
        # an id that is not an eligible candidate (a loaded scenario's, another pool's) stays chosen and
        # offered, marked, so the user sees it and the core reports it as the CLI does
        options = ids + [p for p in st.session_state[key] if p not in names]
        labels = {p: f"{p} {names[p]}" if p in names else f"{p}（{t('rules.not_candidate')}）" for p in options}
        cols = st.columns([3, 2])
        on = cols[0].toggle(t(f"rules.fam.{family}"), key=f"c_on_{family}", persist_state=state.PERSIST)
        cols[1].multiselect(t(f"rules.fam.{family}"), options, key=key, persist_state=state.PERSIST, disabled=not on,
                            placeholder=t("common.choose"), format_func=fmt(options, labels.get),
                            label_visibility="collapsed")
    if eligible is not None and st.session_state.get("rt_industry") is not None:
        named_tables(cur, eligible)


def named_tables(cur, eligible: pd.DataFrame) -> None:
    st.markdown(f"**{t('rules.named')}**")
    version = st.session_state.get("rt_version", 0)
    dims = ("industry", "city", "group")
    for tab, dim in zip(st.tabs([t(f"col.{d}") for d in dims]), dims):
        with tab:
            cap_on = state.get(f"c_on_{dim}_cap")
            floor_on = state.get(f"c_on_{dim}_floor") if dim != "group" else False
            if not cap_on and not floor_on:
                st.caption(t("rules.named.off"))
            frame = st.session_state[f"rt_{dim}"]
            order = ["key", "candidates", "cap"] + (["floor"] if dim != "group" else [])
            disabled = ["key", "candidates"] + ([] if cap_on else ["cap"]) + ([] if floor_on else ["floor"])
            editor_key = f"rt_{dim}_editor_{version}"
            st.data_editor(
                frame, hide_index=True, num_rows="fixed", key=editor_key, column_order=order, disabled=disabled,
                placeholder="—",
                column_config={
                    "key": st.column_config.TextColumn(t(f"col.{dim}")),
                    "candidates": st.column_config.NumberColumn(t("col.candidates")),
                    "cap": st.column_config.NumberColumn(t("col.cap"), min_value=0, step=1),
                    "floor": st.column_config.NumberColumn(t("col.floor"), min_value=0, step=1),
                },
            )
            state.register_editor(f"named_{dim}", editor_key, "named", dim=dim)


def _scenario_uploaded(criteria: list[str]) -> None:
    file = st.session_state.get("rules_upload")
    if file is None:
        return
    try:
        scenario = read_scenario_bytes(file.getvalue(), file.name)
    except QuotaOptError as exc:
        st.session_state["rules_upload_msg"] = ("error", exc.message_zh, exc.message_en)
        return
    state.load_scenario_into_state(scenario, criteria)
    st.session_state["rules_upload_msg"] = ("ok", scenario.name, scenario.name)


def scenario_files(cur) -> None:
    st.subheader(t("rules.scenario"))
    state.seed("scenario_name")
    st.text_input(t("rules.name"), key="scenario_name", persist_state=state.PERSIST, placeholder=t("rules.name.hint"))
    cols = st.columns(2)
    cols[0].button(t("rules.reset"), key="rules_reset", on_click=state.reset_scenario, icon=":material/restart_alt:")
    if cur.scenario is not None:
        cols[1].download_button(t("rules.download"), cur.scenario.to_toml(), file_name=f"{cur.scenario.name}.toml",
                                mime="application/toml", key="rules_download", on_click="ignore",
                                icon=":material/download:")
    with st.expander(t("rules.upload")):
        st.file_uploader(t("rules.upload"), type=["toml"], key="rules_upload", on_change=_scenario_uploaded,
                         args=(cur.criteria,), label_visibility="collapsed")
        msg = st.session_state.pop("rules_upload_msg", None)
        if msg and msg[0] == "ok":
            st.success(t("rules.upload.done", name=esc(msg[1])))
        elif msg:
            ui.error("scenario", (msg[1], msg[2]))


def preview(cur) -> None:
    box = st.container(border=True)
    with box:
        st.markdown(f"**{t('rules.preview')}**")
        if ui.first_error(cur, ("pool", "eligibility", "quota", "scenario", "recommend")):
            return
        rec, cost = cur.rec, cur.outcome.balance
        cols = st.columns(2)
        cols[0].metric(t("res.metric.selected"), f"{len(rec.selected)} / {rec.quota}")
        cols[1].metric(t("res.metric.total"), f"{rec.objective:.2f}")
        if cost.given_up is not None:
            st.metric(t("res.balance.metric"), f"{cost.given_up:.2f}")
        if not rec.feasible:
            lines = "\n".join(f"- {esc(pick(e['zh'], e['en']))}" for e in rec.explanation)
            st.error(f"**{t('res.infeasible')}**\n\n{lines}")
            return
        top = pd.DataFrame(rec.selected[:PREVIEW_ROWS], columns=["rank", "project_id", "project_name", "score"])
        st.caption(t("rules.preview.top", n=min(PREVIEW_ROWS, len(rec.selected))))
        st.dataframe(ui.display(top, ui.headers("rank", "project_id", "project_name", "score")), hide_index=True, placeholder="",
                     key="rules_preview", column_config={label("score"): st.column_config.NumberColumn(format="%.2f")})
        ui.link("results")


def main() -> None:
    ui.start()
    st.title(t("rules.title"))
    st.caption(t("rules.caption"))
    cur = ui.current()
    eligible = cur.eligibility.eligible if cur.eligibility is not None else None
    left, right = st.columns([3, 2], gap="large")
    with right:
        preview(cur)
    with left:
        weights_section(cur, eligible)
        rules_section(cur, eligible)
        scenario_files(cur)


main()
