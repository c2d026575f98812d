"""The app's session state: defaults, and the small config (:class:`Inputs`) the widgets fill for the core.

Everything a user sets lives in ``st.session_state`` (one user's session; never module-level
state). Widgets that must keep their value when the user moves to another page are created with
``persist_state="session"``; a value no widget has set yet falls back to :data:`DEFAULTS`. An
uploaded file's bytes, the figures a user supplies and the named caps and floors are kept under
keys of their own (a file uploader or a data editor cannot keep a value across pages).

A choice widget (radio, selectbox, multiselect, select slider) whose option labels are translated
cannot keep one key across a language switch: the browser sends back the label it showed, which
no option of the other language carries. Such a widget is *bound* (:func:`bind`): its value lives
under the plain key (``"w_method"``), and the widget has a key per language (``"w_method@zh"``),
set from the plain key at every run and copied back to it when the user changes it.
"""

from __future__ import annotations

import copy
import hashlib
import math
from dataclasses import dataclass
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from quota_opt import default_scenario
from quota_opt.columns import CRITERION_COLUMNS, COLUMNS_BY_NAME
from quota_opt.refdata import UserFigure
from quota_opt.samples import SAMPLES, SAMPLES_BY_NAME
from quota_opt.scenario import Scenario
from quota_opt.score import normalise_weights

PERSIST = "session"  # persist_state of every widget whose value later pages read

# Constraint families: each has its own on/off switch; the general value and, for the
# dimensions, the named caps or floors of the per-industry / per-city / per-group tables.
FAMILIES: dict[str, dict[str, Any]] = {
    "industry_cap": {"key": "max_per_industry", "table": "industry", "column": "cap", "named": "industry_max"},
    "industry_floor": {"key": "min_per_industry", "table": "industry", "column": "floor", "named": "industry_min"},
    "city_cap": {"key": "max_per_city", "table": "city", "column": "cap", "named": "city_max"},
    "city_floor": {"key": "min_per_city", "table": "city", "column": "floor", "named": "city_min"},
    "group_cap": {"key": "max_per_group", "table": "group", "column": "cap", "named": "group_max"},
    "min_score": {"key": "min_score"},
    "include": {"key": "include"},
    "exclude": {"key": "exclude"},
}
TABLE_DIMENSIONS = ("industry", "city", "group")
WEIGHT_METHODS = ("manual", "ahp", "entropy", "blend")
AHP_DEFAULT = ("expert_score", "ai_scenario_share", "maturity_level")
AHP_SCALE = ("9", "8", "7", "6", "5", "4", "3", "2", "1", "1/2", "1/3", "1/4", "1/5", "1/6", "1/7", "1/8", "1/9")


def _default_weights() -> dict[str, int]:
    base = default_scenario()
    return {c: int(round(100 * base.weights.get(c, 0.0))) for c in CRITERION_COLUMNS}


DEFAULT_WEIGHTS = _default_weights()

DEFAULTS: dict[str, Any] = {
    "lang": "zh",
    "data_source": "sample",
    "data_sample": SAMPLES[0].name,
    "data_unit": SAMPLES[0].unit,
    "data_level": SAMPLES[0].level,
    "data_year": SAMPLES[0].year,
    "data_group": "",
    "data_severity": ["error", "warning"],
    "data_filter": "all",
    "data_sheet": "",
    "quota_override_on": False,
    "quota_override": None,
    "quota_reason": "",
    "w_method": "manual",
    "ahp_criteria": list(AHP_DEFAULT),
    "entropy_criteria": [c for c, w in DEFAULT_WEIGHTS.items() if w > 0],
    "blend_alpha": 0.5,
    "blend_form": "linear",
    "blend_subjective": "sliders",
    "scenario_name": "",
    **{f"c_on_{f}": False for f in FAMILIES},
    "c_max_per_industry": None,
    "c_min_per_industry": 1,
    "c_max_per_city": None,
    "c_min_per_city": 1,
    "c_max_per_group": 1,
    "c_min_score": 60.0,
    "c_include": [],
    "c_exclude": [],
    # robustness: a modest K by default so a first look takes a fraction of a second (the core's default is 1,000)
    "rob_samples": 500,
    "rob_spread": 0.2,
    "rob_seed": 0,
    "rob_dirichlet": False,
    "rob_concentration": 200.0,
}


def get(key: str) -> Any:
    """The value of ``key``: what the user set, else its default (weights and directions included)."""
    if key in st.session_state:
        return st.session_state[key]
    if key in DEFAULTS:
        return copy.deepcopy(DEFAULTS[key])  # a session never shares a (mutable) default with another
    if key.startswith("w_"):
        return DEFAULT_WEIGHTS.get(key[2:], 0)
    if key.startswith("d_"):
        return default_scenario().direction_of(key[2:]).value
    if key.startswith("ahp|"):
        return "1"
    if key.split("|", 1)[0] in OVERRIDE_KEYS:  # an override's widgets, one set per unit, year and level
        return copy.deepcopy(DEFAULTS[key.split("|", 1)[0]])
    return DEFAULTS.get(key)


def widget_key(key: str) -> str:
    """The key of the widget bound to ``key`` in this session's language."""
    lang = st.session_state.get("lang", "zh")
    return f"{key}@{lang if lang in ('zh', 'en') else 'zh'}"


def bind(key: str, then: Callable[[], None] | None = None) -> dict[str, Any]:
    """Keyword arguments that bind a choice widget to ``key`` (see the module doc): its key in this
    language, set to ``key``'s value, and an on_change that copies the choice back (then runs ``then``)."""
    wkey = widget_key(key)
    st.session_state[wkey] = get(key)
    return {"key": wkey, "on_change": _commit, "args": (key, wkey, then)}


def _commit(key: str, wkey: str, then: Callable[[], None] | None) -> None:
    st.session_state[key] = st.session_state[wkey]
    if then is not None:
        then()


def seed(key: str) -> None:
    """Give ``key`` its current value (or default) in session state before its widget is made,
    so the widget needs no ``value=`` argument (setting both is a Streamlit warning)."""
    if key not in st.session_state:
        st.session_state[key] = get(key)


def init() -> None:
    """Defaults every page relies on; idempotent (every page calls it)."""
    for key in ("lang", "data_source", "data_sample", "data_unit", "data_level", "data_year"):
        seed(key)
    st.session_state.setdefault("upload", None)  # {"name", "data", "size"} of the last accepted upload
    st.session_state.setdefault("upload_error", None)
    st.session_state.setdefault("quota_figures", {})  # (dataset, province) -> {"value", "source"}
    st.session_state.setdefault("quota_files", {})  # dataset -> {"name", "data"}
    for dim in TABLE_DIMENSIONS:
        st.session_state.setdefault(f"rt_{dim}", None)
    st.session_state.setdefault("rt_owner", None)
    st.session_state.setdefault("rt_version", 0)
    st.session_state.setdefault("editors", {})  # slot -> the data editor showing it (see merge_edits)
    merge_edits()


# ---------------------------------------------------------------------- data editors
# A data editor's state (its edited cells) lives under its widget key only while its page is shown,
# and cannot be set from code. So the values it edits are kept under keys of their own, and at the
# start of every run the edits of each registered editor are merged into them (idempotently: the
# same edits merged twice give the same values). A slot's editor key changes (a version number)
# when its values are reset, so the old editor's edits are never merged again.


def register_editor(slot: str, key: str, kind: str, **args: Any) -> None:
    """Record that ``key`` is the data editor of ``slot`` (kind "named" or "figures")."""
    st.session_state.setdefault("editors", {})[slot] = {"key": key, "kind": kind, **args}


def merge_edits() -> None:
    for slot in st.session_state.get("editors", {}).values():
        edits = st.session_state.get(slot["key"])
        if not isinstance(edits, dict):
            continue
        rows = edits.get("edited_rows") or {}
        if slot["kind"] == "named":
            _merge_named(slot["dim"], rows)
        elif slot["kind"] == "figures":
            _merge_figures(slot["dataset"], slot["provinces"], rows)


def _merge_named(dim: str, rows: dict) -> None:
    frame = st.session_state.get(f"rt_{dim}")
    if frame is None:
        return
    frame = frame.copy()
    for row, changes in rows.items():
        if int(row) >= len(frame):
            continue
        for col, value in changes.items():
            if col in ("cap", "floor"):
                frame.loc[frame.index[int(row)], col] = pd.NA if value is None else int(value)
    frame["cap"] = frame["cap"].astype("Int64")
    frame["floor"] = frame["floor"].astype("Int64")
    st.session_state[f"rt_{dim}"] = frame


def _merge_figures(dataset: str, provinces: list[str], rows: dict) -> None:
    figures = dict(st.session_state.get("quota_figures", {}))
    for row, changes in rows.items():
        if int(row) >= len(provinces):
            continue
        province = provinces[int(row)]
        entry = dict(figures.get((dataset, province), {"value": None, "source": ""}))
        if "user_value" in changes:
            entry["value"] = changes["user_value"]
        if "user_source" in changes:
            entry["source"] = changes["user_source"] or ""
        if entry["value"] is None and not entry["source"]:
            figures.pop((dataset, province), None)
        else:
            figures[(dataset, province)] = entry
    st.session_state["quota_figures"] = figures


# What a loaded scenario file leaves in the session besides the widgets' values (see load_scenario_into_state).
LOADED_KEYS = ("exact_weights", "exact_scale", "exact_ahp", "scenario_description", "scenario_loaded")


def reset_scenario() -> None:
    """Back to the shipped default scenario: every weight, direction, method and rule."""
    for key in list(st.session_state.keys()):
        if str(key).startswith(("w_", "d_", "ahp|", "c_", "blend_")) or key in (
                "w_method", "ahp_criteria", "entropy_criteria", "scenario_name", *LOADED_KEYS):
            del st.session_state[key]
    for dim in TABLE_DIMENSIONS:
        st.session_state[f"rt_{dim}"] = None
    st.session_state["rt_owner"] = None
    st.session_state["rt_version"] = st.session_state.get("rt_version", 0) + 1


# ---------------------------------------------------------------------- the pool


@dataclass(frozen=True)
class PoolSource:
    data: bytes
    filename: str
    sheet: str | None
    label: str  # what the user picked (a sample's label key or the uploaded file's name)
    is_sample: bool


def pool_source() -> PoolSource | None:
    """The candidate file the session works on, or None (upload chosen, nothing uploaded)."""
    if get("data_source") == "sample":
        pool = SAMPLES_BY_NAME.get(get("data_sample")) or SAMPLES[0]
        return PoolSource(pool.path.read_bytes(), pool.file, None, pool.name, True)
    upload = st.session_state.get("upload")
    if not upload:
        return None
    sheet = (get("data_sheet") or "").strip() or None
    if not upload["name"].lower().endswith((".xlsx", ".xlsm")):
        sheet = None
    return PoolSource(upload["data"], upload["name"], sheet, upload["name"], False)


def unit_arg() -> str:
    unit = get("data_unit")
    group = (get("data_group") or "").strip()
    return f"{unit}:{group}" if unit == "中央企业" and group else unit


# ---------------------------------------------------------------------- the quota


# A quota override belongs to one unit, year and level (issue 9): its widgets' keys carry them, so
# switching to another unit never carries an override (or its reason) over to it.
OVERRIDE_KEYS = ("quota_override_on", "quota_override", "quota_reason")


def override_scope() -> str:
    """The unit, year and level the quota page's override is for: ``"上海市|2025|excellent"``."""
    return f"{unit_arg()}|{int(get('data_year'))}|{get('data_level')}"


def override_key(name: str, scope: str | None = None) -> str:
    """The session key of override widget ``name`` (one of OVERRIDE_KEYS) for ``scope`` (default: now)."""
    return f"{name}|{scope if scope is not None else override_scope()}"


@dataclass(frozen=True)
class QuotaInputs:
    override: int | None
    reason: str
    figures: tuple[tuple[str, str, float, str], ...]  # (dataset, province, value, source)
    files: tuple[tuple[str, str, bytes], ...]  # (dataset, file name, bytes)
    override_pending: bool = False  # switched on, but no reason (or no number) given yet

    def user_figures(self) -> list[UserFigure]:
        return [UserFigure(d, p, v, s) for d, p, v, s in self.figures]


def quota_inputs() -> QuotaInputs:
    override, reason, pending = None, "", False
    if get(override_key("quota_override_on")):
        number = get(override_key("quota_override"))
        reason = " ".join(str(get(override_key("quota_reason")) or "").split())
        if number is not None and reason:
            override = int(number)
        else:
            pending, reason = True, ""
    figures = tuple(sorted(
        (dataset, province, float(v["value"]), str(v.get("source") or ""))
        for (dataset, province), v in st.session_state.get("quota_figures", {}).items()
        if v.get("value") is not None and not (isinstance(v["value"], float) and math.isnan(v["value"]))
    ))
    files = tuple(sorted((d, f["name"], f["data"]) for d, f in st.session_state.get("quota_files", {}).items()))
    return QuotaInputs(override, reason, figures, files, pending)


# ---------------------------------------------------------------------- the scenario


def criteria_for(candidates: pd.DataFrame | None) -> list[str]:
    """The criteria a user can weight: the canonical ones, then any extra numeric column of the file."""
    out = list(CRITERION_COLUMNS)
    if candidates is not None:
        for c in candidates.columns:
            if c not in COLUMNS_BY_NAME and c != "row" and pd.api.types.is_numeric_dtype(candidates[c]):
                out.append(str(c))
    return out


def _ahp_matrix(criteria: list[str]) -> list[list[str]]:
    n = len(criteria)
    m = [["1"] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            value = str(get(f"ahp|{criteria[i]}|{criteria[j]}"))
            m[i][j] = value
            m[j][i] = value[2:] if value.startswith("1/") else ("1" if value == "1" else f"1/{value}")
    return m


def exact_weights() -> dict[str, float] | None:
    """The weights of a loaded scenario file, exactly as it gives them (in its order), or None.

    The sliders show them rounded (whole shares of ``exact_scale``, their sum); the scenario uses
    them exactly, so a file's 0.004 stays 0.004 rather than the slider's 0. Moving a slider changes
    that criterion's weight alone (:func:`slider_moved`)."""
    exact = st.session_state.get("exact_weights")
    return dict(exact) if isinstance(exact, dict) else None


def given_weights(criteria: list[str]) -> dict[str, float]:
    """The given (slider) weights the scenario holds: a loaded file's exact weights, else the sliders'
    values as shares of 100 (35 -> 0.35), zeros left out."""
    exact = exact_weights()
    if exact is not None:
        return exact
    # The weights are listed in the shipped scenario's order, then the other criteria's: the order is part
    # of the scenario (its TOML, its fingerprint), so unchanged sliders give the shipped scenario itself.
    shipped = [c for c in default_scenario().weights if c in criteria]
    ordered = shipped + [c for c in criteria if c not in shipped]
    return {c: float(get(f"w_{c}")) / 100 for c in ordered if float(get(f"w_{c}") or 0) > 0}


def slider_moved(criterion: str) -> None:
    """on_change of a weight slider: with a loaded file's exact weights, only this criterion's weight
    becomes the slider's value (a share of the file's weights' sum); the others stay exact."""
    exact = exact_weights()
    if exact is None:
        return
    scale = float(st.session_state.get("exact_scale") or 1.0)
    exact[criterion] = float(st.session_state.get(f"w_{criterion}") or 0) * scale / 100
    st.session_state["exact_weights"] = exact


def drop_exact_ahp() -> None:
    """A comparison or the AHP criteria changed in the app: the widgets' (Saaty scale) matrix applies."""
    st.session_state.pop("exact_ahp", None)


def scenario_dict(criteria: list[str]) -> dict[str, Any]:
    """The scenario the widgets describe, as the TOML-shaped dict :meth:`Scenario.from_dict` reads."""
    weights = given_weights(criteria)
    direction = {c: get(f"d_{c}") for c in criteria if get(f"d_{c}") == "cost"}
    method = get("w_method")
    scoring: dict[str, Any] = {"method": "minmax", "weights_method": method}
    chosen = set(get("ahp_criteria"))
    ahp_criteria = [c for c in criteria if c in chosen]  # pairs keyed in this order, whatever the pick order
    if method == "ahp" or (method == "blend" and get("blend_subjective") == "ahp"):
        exact_ahp = st.session_state.get("exact_ahp")  # a loaded file's matrix, exactly and in its order
        scoring["ahp"] = copy.deepcopy(exact_ahp) if exact_ahp else {"criteria": ahp_criteria,
                                                                      "matrix": _ahp_matrix(ahp_criteria)}
    if method in ("entropy", "blend"):
        # as given: a criterion the pool lacks is the core's error to report, as the CLI does
        scoring["entropy_criteria"] = list(get("entropy_criteria"))
        scoring["blend_alpha"] = float(get("blend_alpha"))
        scoring["blend_form"] = get("blend_form")
    constraints: dict[str, Any] = {}
    for family, spec in FAMILIES.items():
        if not get(f"c_on_{family}"):
            continue
        key = spec["key"]
        value = get(f"c_{key}")
        if key in ("include", "exclude"):
            if value:
                constraints[key] = list(value)
            continue
        if value is not None:
            constraints[key] = float(value) if key == "min_score" else int(value)
        if "table" in spec:
            table = st.session_state.get(f"rt_{spec['table']}")
            if table is not None:
                named = {str(k): int(v) for k, v in zip(table["key"], table[spec["column"]]) if pd.notna(v)}
                if named:
                    constraints[spec["named"]] = named
    return {"name": scenario_name(), "description": str(st.session_state.get("scenario_description") or ""),
            "weights": weights, "direction": direction, "scoring": scoring, "constraints": constraints}


def scenario_name() -> str:
    return (get("scenario_name") or "").strip() or "custom"


EDITED_MARK = "（已修改）/ (edited)"


def settings_of(scenario: Scenario) -> dict[str, Any]:
    """What decides a scenario's picks, for telling whether it changed: weights, cost directions, the
    parts of the scoring its method uses, and the rules (name and description left out)."""
    data = scenario.to_dict()
    scoring = data["scoring"]
    method = scoring["weights_method"]
    if method not in ("entropy", "blend"):
        for key in ("entropy_criteria", "blend_alpha", "blend_form"):
            scoring.pop(key, None)
    if method == "manual":
        scoring.pop("ahp", None)
    return {"weights": data["weights"], "direction": {k: v for k, v in data["direction"].items() if v == "cost"},
            "scoring": scoring, "constraints": data["constraints"]}


def edited_description(description: str) -> str:
    """A loaded scenario's description marked as edited in the app (once)."""
    if description.endswith(EDITED_MARK):
        return description
    return f"{description} {EDITED_MARK}" if description else EDITED_MARK.lstrip()


def build_scenario(criteria: list[str]) -> Scenario:
    """The scenario the widgets describe, validated by the core (an :class:`InputError` if it is not valid).

    After a scenario file was loaded, its description comes with it, marked as edited (:data:`EDITED_MARK`)
    once the weights or rules differ from the file's."""
    scenario = Scenario.from_dict(scenario_dict(criteria), source="app")
    loaded = st.session_state.get("scenario_loaded")
    if loaded is not None and settings_of(scenario) != loaded:
        scenario = Scenario.from_dict({**scenario.to_dict(), "description": edited_description(scenario.description)},
                                      source="app")
    if not (get("scenario_name") or "").strip() and same_as_default(scenario):
        scenario = Scenario.from_dict({**scenario.to_dict(), "name": "default"}, source="app")
    return scenario


def same_as_default(scenario: Scenario) -> bool:
    base = default_scenario().to_dict()
    mine = scenario.to_dict()
    return all(base[k] == mine[k] for k in ("weights", "direction", "scoring", "constraints"))


def load_scenario_into_state(scenario: Scenario, criteria: list[str]) -> None:
    """Set every widget from a scenario (a TOML file the user uploads) and keep what the widgets can only
    show rounded exactly as the file gives it: the weights (``exact_weights``), the AHP matrix
    (``exact_ahp``), the description; project ids and criteria the pool lacks are kept, for the core to
    report as the CLI does. ``scenario_loaded`` remembers the file's settings (:func:`settings_of`)."""
    reset_scenario()
    weights = dict(scenario.weights)
    scale = sum(weights.values())  # inf when it overflows
    if weights and not math.isfinite(scale):
        # weights whose sum overflows (1e308 each): kept as their shares, which score exactly alike
        shares = normalise_weights(np.array(list(weights.values()), dtype=float))
        weights, scale = dict(zip(weights, (float(w) for w in shares))), 1.0
    st.session_state["exact_weights"] = weights
    st.session_state["exact_scale"] = scale if scale > 0 else 1.0
    for c in criteria:
        st.session_state[f"w_{c}"] = int(round(100 * weights.get(c, 0.0) / max(scale, 1e-12)))
        st.session_state[f"d_{c}"] = scenario.direction_of(c).value
    spec = scenario.scoring
    st.session_state["w_method"] = spec.weights_method.value
    st.session_state["blend_alpha"] = float(spec.blend_alpha)
    st.session_state["blend_form"] = spec.blend_form.value
    if spec.entropy_criteria:
        st.session_state["entropy_criteria"] = list(spec.entropy_criteria)
    if spec.ahp is not None:
        names = [c for c in spec.ahp.criteria if c in criteria]
        st.session_state["ahp_criteria"] = names
        st.session_state["blend_subjective"] = "ahp"
        st.session_state["exact_ahp"] = {"criteria": list(spec.ahp.criteria),
                                         "matrix": [list(row) for row in spec.ahp.matrix]}
        for i, a in enumerate(spec.ahp.criteria):
            for j, b in enumerate(spec.ahp.criteria):
                if i != j:  # both ways: the page asks each pair in the pool's criterion order
                    st.session_state[f"ahp|{a}|{b}"] = _nearest_scale(spec.ahp.matrix[i][j])
    c = scenario.constraints
    for family, fspec in FAMILIES.items():
        key = fspec["key"]
        value = getattr(c, key)
        named = getattr(c, fspec["named"]) if "named" in fspec else {}
        on = bool(value) if key in ("include", "exclude") else (value is not None or bool(named))
        st.session_state[f"c_on_{family}"] = on
        if key in ("include", "exclude"):
            st.session_state[f"c_{key}"] = list(value)
        else:  # None too: a table without a general value must not take the widget's default
            st.session_state[f"c_{key}"] = value
    st.session_state["scenario_name"] = scenario.name
    st.session_state["scenario_description"] = scenario.description
    st.session_state["scenario_loaded"] = settings_of(scenario)
    st.session_state["pending_named"] = {fspec["named"]: dict(getattr(c, fspec["named"]))
                                         for fspec in FAMILIES.values() if "named" in fspec}


def _nearest_scale(value: float) -> str:
    def as_float(s: str) -> float:
        return 1 / float(s[2:]) if s.startswith("1/") else float(s)
    return min(AHP_SCALE, key=lambda s: abs(math.log(as_float(s)) - math.log(value)))


# ---------------------------------------------------------------------- named caps and floors


def pool_key(source: PoolSource | None) -> str:
    if source is None:
        return ""
    return "|".join((hashlib.sha256(source.data).hexdigest()[:16], unit_arg(), str(get("data_level")),
                     str(get("data_year"))))


def sync_to_pool(owner: str, keys_of: Callable[[], dict[str, dict[str, int]]]) -> None:
    """Fit the rules to the pool ``owner`` (a file, unit and level) when it changes: (re)build the
    per-industry / city / group tables (``keys_of()`` gives each dimension's names with their number
    of eligible candidates), keeping values entered for names still there and filling in those of a
    loaded scenario."""
    pending = st.session_state.get("pending_named")
    if st.session_state.get("rt_owner") == owner and pending is None:
        return
    st.session_state.pop("pending_named", None)
    keys = keys_of()
    # must-include / exclude ids the pool lacks are kept: the core reports them as the CLI does
    for dim in TABLE_DIMENSIONS:
        old = st.session_state.get(f"rt_{dim}")
        frame = pd.DataFrame({"key": list(keys.get(dim, {})), "candidates": list(keys.get(dim, {}).values())})
        frame["cap"] = pd.array([pd.NA] * len(frame), dtype="Int64")
        frame["floor"] = pd.array([pd.NA] * len(frame), dtype="Int64")
        if old is not None:
            kept = old.set_index("key")
            for col in ("cap", "floor"):
                frame[col] = pd.array([kept[col].get(k, pd.NA) if k in kept.index else pd.NA for k in frame["key"]],
                                      dtype="Int64")
        if pending:
            for fspec in FAMILIES.values():
                if fspec.get("table") == dim:
                    for name, value in pending.get(fspec["named"], {}).items():
                        if name not in set(frame["key"]):
                            frame.loc[len(frame)] = {"key": name, "candidates": 0, "cap": pd.NA, "floor": pd.NA}
                        frame.loc[frame["key"] == name, fspec["column"]] = int(value)
            frame["cap"] = frame["cap"].astype("Int64")
            frame["floor"] = frame["floor"].astype("Int64")
        st.session_state[f"rt_{dim}"] = frame
    st.session_state["rt_owner"] = owner
    st.session_state["rt_version"] = st.session_state.get("rt_version", 0) + 1


@dataclass(frozen=True)
class Inputs:
    """Everything the core needs for one recommendation, as the widgets set it."""

    source: PoolSource | None
    unit: str
    level: str
    year: int
    quota: QuotaInputs
    panel: Any = None  # the expert panel in use (app_pages.panel_state.PanelInputs), issue 11


def inputs() -> Inputs:
    from app_pages.panel_state import panel_inputs

    return Inputs(pool_source(), unit_arg(), str(get("data_level")), int(get("data_year")), quota_inputs(),
                  panel_inputs())
