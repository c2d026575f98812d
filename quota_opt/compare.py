"""Compare two runs: which projects entered, left, moved or stayed, and which weights or rules differ.

A run is a saved run (:class:`quota_opt.store.SavedRun`) or a pair ``(result, scenario_toml)``,
where ``result`` is the ``recommend`` JSON as a dict. A is the reference, B the alternative:

* **entered**: selected in B, not in A (with where it stood in A: its reason for not being
  selected, ``ineligible``, ``invalid``, or ``absent`` when A's input did not have it);
* **left**: selected in A, not in B (with where it stands in B, the same way);
* **moved**: selected in both at different ranks; ``places = rank_A - rank_B``, so a positive
  number means it moved up the priority list;
* **stayed**: selected in both at the same rank;
* **objective**: ``objective_B - objective_A`` (None when either run has no objective);
* **scenario_diff**: every key of the two parsed scenario TOML files, flattened with dots
  (``constraints.industry_max.汽车制造业``), whose values differ; an absent key is ``None``
  (the package default applies). The lists whose order means nothing (``include``, ``exclude``,
  ``entropy_criteria``) are compared as sets; every other list (the AHP criteria and the rows of
  its matrix) is kept in its stored order. The scenario's ``name`` and its weights are left out of it;
* **weight_diff**: each criterion whose weight differs raw (``a``, ``b``: the ``[weights]`` as
  given), after normalising each side's given weights to sum 1 (``a_normalised``; a criterion
  missing from a side that has weights weighs 0), or as *used* (``a_used``: the weights the run
  scored with, after AHP, entropy or blending -- the result's ``weights``; a run without them
  falls back to its normalised given weights). Rows come in one criterion order: the canonical
  criteria as :data:`quota_opt.columns.CRITERION_COLUMNS` lists them, then any other by name.
  ``weights_equivalent`` says whether the used weights agree: scaling all weights does not change
  scores' order, so raw weights of 2 and 2 equal weights of 1 and 1; an AHP run and a slider run
  whose used weights differ are not equivalent, whatever their ``[weights]`` tables say.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from dataclasses import asdict, dataclass, field
from collections.abc import Callable
from typing import Any, Union

import numpy as np

from .columns import CRITERION_COLUMNS, column_label
from .errors import InputError
from .score import normalise_weights as score_normalise
from .store import SavedRun

RunLike = Union[SavedRun, tuple]

# Normalised weights closer than this are the same weighting.
WEIGHT_TOLERANCE = 1e-9
# Run settings compared before the picks, in this order.
CONTEXT_KEYS = ("unit", "level", "year", "quota", "status", "input_sha256", "panel")

_BARE_KEY = re.compile(r"[^.\s\"']+")
# Scenario lists whose order means nothing, compared as sets; any other list keeps its stored order.
SET_KEYS = ("constraints.include", "constraints.exclude", "scoring.entropy_criteria")
# How the standings this module names itself read in the text report (reasons are shown as given).
STANDING_TEXT = {"absent": "不在输入中 / not in the input", "ineligible": "不符合条件 / ineligible",
                 "invalid": "数据无效 / invalid row"}


@dataclass(frozen=True)
class _Side:
    label: str
    result: dict
    scenario: dict
    input_sha256: str | None


def _side(run: RunLike, default_label: str) -> _Side:
    if isinstance(run, SavedRun):
        return _Side(run.label, run.result, _parse_scenario(run.scenario_toml, run.label), run.summary.input_sha256)
    if isinstance(run, tuple) and len(run) == 2 and isinstance(run[0], dict):
        result, toml_text = run
        return _Side(default_label, result, _parse_scenario(toml_text, default_label), result.get("input_sha256"))
    raise InputError(f"运行 {default_label} 应为已保存运行或（结果, 情景 TOML）",
                     f"run {default_label} must be a saved run or a (result, scenario TOML) pair")


def _parse_scenario(text: str | None, label: str) -> dict:
    try:
        return tomllib.loads(text or "")
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"运行 {label} 的情景不是有效的 TOML：{exc}",
                         f"the scenario of run {label} is not valid TOML: {exc}") from None


def _key(part: str) -> str:
    return part if _BARE_KEY.fullmatch(part) else json.dumps(part, ensure_ascii=False)


def flatten(table: dict, prefix: str = "") -> dict[str, Any]:
    """Nested TOML tables as one level of dotted keys; keys with dots or spaces are quoted."""
    flat: dict[str, Any] = {}
    for name, value in table.items():
        key = f"{prefix}{_key(str(name))}"
        if isinstance(value, dict):
            flat.update(flatten(value, key + "."))
        else:
            flat[key] = value
    return flat


def _comparable(key: str, value: Any) -> Any:
    if key in SET_KEYS and isinstance(value, list) and all(isinstance(v, (str, int, float, bool)) for v in value):
        return sorted(set(value), key=lambda v: (type(v).__name__, v))
    return value


def criterion_order(names) -> list[str]:
    """``names`` in one order: the canonical criteria as CRITERION_COLUMNS lists them, then the others by name."""
    canonical = {c: i for i, c in enumerate(CRITERION_COLUMNS)}
    return sorted(set(names), key=lambda c: (canonical.get(c, len(canonical)), c))


def criterion_text(name: str) -> str:
    """A criterion as the text report names it: "专家评审得分 / expert score" (an extra column by its name)."""
    zh, en = column_label(name, "zh"), column_label(name, "en")
    return zh if zh == en else f"{zh} / {en}"


def _used_weights(side: "_Side", normalised: dict[str, float] | None) -> dict[str, float] | None:
    """The weights a run scored with (the result's ``weights``), else its normalised given weights."""
    used = side.result.get("weights")
    if isinstance(used, dict) and used:
        numbers = {str(k): _number(v) for k, v in used.items()}
        if all(v is not None for v in numbers.values()):
            return numbers
    return normalised


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        return None
    return float(value)


def normalise_weights(weights: Any) -> dict[str, float] | None:
    """``w_i / sum(w)``; None when there is no weights table or it cannot be normalised."""
    if not isinstance(weights, dict) or not weights:
        return None
    numbers = {k: _number(v) for k, v in weights.items()}
    if any(v is None for v in numbers.values()):
        return None
    if any(v < 0 or not math.isfinite(v) for v in numbers.values()) or not any(v > 0 for v in numbers.values()):
        return None
    # the core's normalisation: divides by the largest first where the sum would overflow (1e308 + 1e308)
    shares = score_normalise(np.array(list(numbers.values()), dtype=float))
    return {k: float(v) for k, v in zip(numbers, shares)}


def _close(x: float | None, y: float | None) -> bool:
    if x is None or y is None:
        return x is y
    return math.isclose(x, y, rel_tol=WEIGHT_TOLERANCE, abs_tol=WEIGHT_TOLERANCE)


def _picks(result: dict, label: str) -> dict[str, dict]:
    """Selected project id -> its rank (its position when the result gives none) and score."""
    picks = {}
    for position, entry in enumerate(result.get("selected") or []):
        try:
            rank = int(entry.get("rank") or position + 1)
            picks[str(entry["project_id"])] = {"rank": rank, "score": entry.get("score")}
        except (AttributeError, KeyError, TypeError, ValueError):
            raise InputError(f"运行 {label} 的结果中第 {position + 1} 个入选项缺少项目编号或名次有误",
                             f"run {label}: selected entry {position + 1} lacks a project_id or has a bad rank") from None
    return picks


def _standing(result: dict, project_id: str) -> str:
    """Where a project not selected in a run stood: its reason, ineligible, invalid or absent."""
    for entry in result.get("not_selected") or []:
        if str(entry.get("project_id")) == project_id:
            return str(entry.get("reason") or "not_selected")
    for key in ("ineligible", "invalid"):
        if any(str(e.get("project_id")) == project_id for e in result.get(key) or []):
            return key
    return "absent"


def _objective(result: dict) -> float | None:
    value = result.get("objective")
    return float(value) if isinstance(value, (int, float)) and math.isfinite(value) else None


@dataclass(frozen=True)
class Comparison:
    """The difference between run A (reference) and run B; see the module docstring."""

    a: str
    b: str
    context: list[dict] = field(default_factory=list)
    objective_a: float | None = None
    objective_b: float | None = None
    objective_diff: float | None = None
    entered: list[dict] = field(default_factory=list)
    left: list[dict] = field(default_factory=list)
    moved: list[dict] = field(default_factory=list)
    stayed: list[dict] = field(default_factory=list)
    scenario_diff: list[dict] = field(default_factory=list)
    weight_diff: list[dict] = field(default_factory=list)
    weights_equivalent: bool = True

    @property
    def same_selection(self) -> bool:
        return not self.entered and not self.left

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_text(self, setting_name: Callable[[str], str] | None = None,
                setting_text: Callable[[str, Any, str], str] | None = None) -> str:
        """A plain-text report, each line in Chinese and English.

        A setting that differs is named by its scenario key (``constraints.max_per_city``) and its value
        shown as stored, unless ``setting_name(key)`` and ``setting_text(key, value, side)`` (side "a" or
        "b") name them as a page does, so the text says what the page says.
        """
        name = setting_name or (lambda key: key)
        text = setting_text or (lambda key, value, side: _show(value))
        lines = [f"比较 / Comparison: A = {self.a}, B = {self.b}"]
        if self.context:
            lines.append("运行条件不同 / run settings differ:")
            for c in self.context:
                shown = _panel_text if c["key"] == "panel" else _show
                lines.append(f"  {c['key']}: {shown(c['a'])} → {shown(c['b'])}")
        diff = "" if self.objective_diff is None else f" ({self.objective_diff:+.6g})"
        lines.append(f"目标值 / objective: {_show(self.objective_a)} → {_show(self.objective_b)}{diff}")

        lines.append(f"进入（B 选中、A 未选）/ entered (selected in B, not in A): {len(self.entered)}")
        lines += [f"  {e['project_id']}  B 第 {e['rank_b']} 位 / rank {e['rank_b']} in B, "
                  f"得分 / score {_show(e['score_b'])}; A 中 / in A: {STANDING_TEXT.get(e['in_a'], e['in_a'])}" for e in self.entered]
        lines.append(f"退出（A 选中、B 未选）/ left (selected in A, not in B): {len(self.left)}")
        lines += [f"  {e['project_id']}  A 第 {e['rank_a']} 位 / rank {e['rank_a']} in A, "
                  f"得分 / score {_show(e['score_a'])}; B 中 / in B: {STANDING_TEXT.get(e['in_b'], e['in_b'])}" for e in self.left]
        lines.append(f"名次变化 / moved: {len(self.moved)}")
        lines += [f"  {m['project_id']}  {m['rank_a']} → {m['rank_b']}  "
                  f"({'上升 / up' if m['places'] > 0 else '下降 / down'} {abs(m['places'])})" for m in self.moved]
        lines.append(f"名次不变 / unchanged: {len(self.stayed)}")
        if self.stayed:
            lines.append("  " + ", ".join(f"{s['project_id']} ({s['rank']})" for s in self.stayed))

        lines.append("权重 / weights:" + ("" if self.weight_diff else " 相同 / the same"))
        for w in self.weight_diff:
            lines.append(f"  {criterion_text(w['criterion'])}: 给定 / given {_show(w['a'])} → {_show(w['b'])}; "
                         f"归一化 / normalised {_show(w['a_normalised'], 4)} → {_show(w['b_normalised'], 4)}; "
                         f"采用 / used {_show(w['a_used'], 4)} → {_show(w['b_used'], 4)}")
        if self.weight_diff and self.weights_equivalent:
            lines.append("  给定的权重不同，但采用的权重相同（归一化后相同），得分不变 / the given weights differ, but "
                         "the weights used are the same (normalised they are the same), so the scores are the same")
        lines.append("规则与设置 / rules and settings:" + ("" if self.scenario_diff else " 相同 / the same"))
        lines += [f"  {name(d['key'])}: {text(d['key'], d['a'], 'a')} → {text(d['key'], d['b'], 'b')}"
                  for d in self.scenario_diff]
        if any(d["a"] is None or d["b"] is None for d in self.scenario_diff + self.weight_diff):
            lines.append("  （— 表示未设置，使用默认值 / — means not set: the default applies）")
        return "\n".join(lines)


def panel_basis(result: dict) -> dict | None:
    """What made a run's expert scores: None when they are the candidate file's own, else the panel's
    aggregation options, its number of experts and its files (role, name, SHA-256)."""
    panel = result.get("panel")
    if not isinstance(panel, dict):
        return None
    return {"options": panel.get("options") or {}, "experts": len(panel.get("experts") or []),
            "files": [{k: f.get(k) for k in ("role", "name", "sha256")} for f in panel.get("files") or []]}


def _panel_text(basis: dict | None) -> str:
    if basis is None:
        return "候选项目表 / the candidate file"
    files = ", ".join(str(f.get("name")) for f in basis["files"])
    options = ", ".join(f"{k}={v}" for k, v in basis["options"].items())
    return f"专家评审 / expert panel: {basis['experts']} experts; {options}; {files}"


def _show(value: Any, digits: int = 6) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def compare_runs(a: RunLike, b: RunLike) -> Comparison:
    """Compare run A (the reference) with run B; see the module docstring for each part."""
    side_a, side_b = _side(a, "A"), _side(b, "B")
    ra, rb = side_a.result, side_b.result

    context = []
    for key in CONTEXT_KEYS:
        va = side_a.input_sha256 if key == "input_sha256" else ra.get(key)
        vb = side_b.input_sha256 if key == "input_sha256" else rb.get(key)
        if key == "panel":  # where the expert score came from: the candidate file (None) or a panel
            va, vb = panel_basis(ra), panel_basis(rb)
        if va != vb:
            context.append({"key": key, "a": va, "b": vb})

    picks_a, picks_b = _picks(ra, side_a.label), _picks(rb, side_b.label)
    entered = sorted(
        ({"project_id": p, "rank_b": v["rank"], "score_b": v["score"], "in_a": _standing(ra, p)}
         for p, v in picks_b.items() if p not in picks_a),
        key=lambda e: (e["rank_b"], e["project_id"]),
    )
    left = sorted(
        ({"project_id": p, "rank_a": v["rank"], "score_a": v["score"], "in_b": _standing(rb, p)}
         for p, v in picks_a.items() if p not in picks_b),
        key=lambda e: (e["rank_a"], e["project_id"]),
    )
    moved, stayed = [], []
    for p, vb in sorted(picks_b.items(), key=lambda item: (item[1]["rank"], item[0])):
        if p not in picks_a:
            continue
        va = picks_a[p]
        if va["rank"] == vb["rank"]:
            stayed.append({"project_id": p, "rank": vb["rank"], "score_a": va["score"], "score_b": vb["score"]})
        else:
            moved.append({"project_id": p, "rank_a": va["rank"], "rank_b": vb["rank"],
                          "places": va["rank"] - vb["rank"], "score_a": va["score"], "score_b": vb["score"]})

    obj_a, obj_b = _objective(ra), _objective(rb)
    obj_diff = None if obj_a is None or obj_b is None else round(obj_b - obj_a, 9)

    rules_a = {k: v for k, v in side_a.scenario.items() if k not in ("name", "weights")}
    rules_b = {k: v for k, v in side_b.scenario.items() if k not in ("name", "weights")}
    flat_a, flat_b = flatten(rules_a), flatten(rules_b)
    scenario_diff = [
        {"key": k, "a": _comparable(k, flat_a.get(k)), "b": _comparable(k, flat_b.get(k))}
        for k in sorted(flat_a.keys() | flat_b.keys())
        if _comparable(k, flat_a.get(k)) != _comparable(k, flat_b.get(k))
    ]

    weights_a, weights_b = side_a.scenario.get("weights"), side_b.scenario.get("weights")
    raw_a = weights_a if isinstance(weights_a, dict) else {}
    raw_b = weights_b if isinstance(weights_b, dict) else {}
    norm_a, norm_b = normalise_weights(weights_a), normalise_weights(weights_b)
    used_a, used_b = _used_weights(side_a, norm_a), _used_weights(side_b, norm_b)
    weight_diff = []
    names = raw_a.keys() | raw_b.keys() | (used_a or {}).keys() | (used_b or {}).keys()
    for criterion in criterion_order(names):
        na = None if norm_a is None else norm_a.get(criterion, 0.0)
        nb = None if norm_b is None else norm_b.get(criterion, 0.0)
        ua = None if used_a is None else used_a.get(criterion, 0.0)
        ub = None if used_b is None else used_b.get(criterion, 0.0)
        if raw_a.get(criterion) != raw_b.get(criterion) or not _close(na, nb) or not _close(ua, ub):
            weight_diff.append({"criterion": criterion, "a": raw_a.get(criterion), "b": raw_b.get(criterion),
                                "a_normalised": na, "b_normalised": nb, "a_used": ua, "b_used": ub})
    if used_a is None or used_b is None:
        equivalent = used_a is None and used_b is None and not raw_a and not raw_b
    else:
        equivalent = all(_close(used_a.get(k, 0.0), used_b.get(k, 0.0)) for k in used_a.keys() | used_b.keys())

    return Comparison(
        a=side_a.label, b=side_b.label, context=context, objective_a=obj_a, objective_b=obj_b,
        objective_diff=obj_diff, entered=entered, left=left, moved=moved, stayed=stayed,
        scenario_diff=scenario_diff, weight_diff=weight_diff, weights_equivalent=equivalent,
    )


__all__ = ["Comparison", "compare_runs", "criterion_order", "criterion_text", "flatten", "normalise_weights"]
