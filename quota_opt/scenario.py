"""Scenarios: everything a user can change about a recommendation, in one TOML file.

A scenario holds the criterion weights and directions, how weights are made (given, AHP,
entropy or a blend) and the unit's own balance rules (caps and floors per industry, city and
enterprise group; a minimum score; projects that must or must not be recommended). The notice
sets only the quota; every other rule here is the recommending unit's own policy.

Contract (every key optional)::

    name = "baseline"
    description = "..."
    [weights]                 # criterion column -> weight >= 0; normalised to sum 1
    expert_score = 0.5
    [direction]               # "benefit" (default: higher is better) or "cost"
    investment = "cost"
    [scoring]
    method = "minmax"         # the only normalisation offered
    weights_method = "manual" # manual | ahp | entropy | blend
    entropy_criteria = []     # criteria for entropy weights (default: the AHP criteria, else the [weights] keys)
    blend_alpha = 0.5         # blend: share of the subjective (AHP, else [weights]) weights
    blend_form = "linear"     # linear: a*s + (1-a)*e; multiplicative: s*e / sum(s*e)
    [scoring.ahp]
    criteria = ["expert_score", "ai_scenario_share"]
    matrix = [[1, 3], ["1/3", 1]]
    [constraints]
    max_per_industry = 8
    min_per_industry = 1      # for every industry that has an eligible candidate
    max_per_city = 10
    min_per_city = 1          # for every city that has an eligible candidate
    max_per_group = 1         # enterprise group; an empty group is the enterprise itself
    min_score = 60.0
    include = ["SC-001"]      # must be recommended (min_score does not apply to them)
    exclude = ["SC-017"]      # must not be recommended
    [constraints.industry_max]   # per-industry caps overriding max_per_industry
    [constraints.industry_min]   # per-industry floors overriding min_per_industry
    [constraints.city_max]       # per-city caps overriding max_per_city
    [constraints.city_min]       # per-city floors overriding min_per_city
    [constraints.group_max]      # per-group caps overriding max_per_group

A section a file leaves out is the default scenario's (``quota_opt/scenarios/default.toml``);
a section it writes replaces the default's whole. Weight, direction and AHP keys may be the
canonical column names or any accepted header (``专家评审得分`` is ``expert_score``); any other
key names an extra numeric column of the candidate table by its header.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from fractions import Fraction
from pathlib import Path
from typing import Any, Generic, TypeVar

from .columns import BlendForm, Direction, ScoringMethod, WeightMethod, alias_key, header_aliases, normalise_text
from .errors import InputError

SCENARIO_DIR = Path(__file__).with_name("scenarios")
# The largest scenario file read (a scenario is a few hundred bytes; a long include list a few KB).
MAX_SCENARIO_BYTES = 1024 * 1024
DEFAULT_SCENARIO_FILE = SCENARIO_DIR / "default.toml"

K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(Mapping[K, V], Generic[K, V]):
    """An immutable, hashable, picklable mapping that keeps insertion order (for frozen dataclasses)."""

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping[K, V] | Iterator[tuple[K, V]] | None = None):
        self._data: dict[K, V] = dict(data or {})
        self._hash: int | None = None

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._data) == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __reduce__(self):
        return (FrozenMap, (self._data,))


@dataclass(frozen=True)
class AhpSpec:
    """A pairwise comparison matrix over named criteria (Saaty's 1-9 scale)."""

    criteria: tuple[str, ...]
    matrix: tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class ScoringSpec:
    method: ScoringMethod = ScoringMethod.MINMAX
    weights_method: WeightMethod = WeightMethod.MANUAL
    ahp: AhpSpec | None = None
    entropy_criteria: tuple[str, ...] = ()
    blend_alpha: float = 0.5
    blend_form: BlendForm = BlendForm.LINEAR


@dataclass(frozen=True)
class Constraints:
    """The unit's balance rules. None (or an empty table) means the rule is not applied."""

    max_per_industry: int | None = None
    min_per_industry: int | None = None
    max_per_city: int | None = None
    min_per_city: int | None = None
    max_per_group: int | None = None
    min_score: float | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    industry_max: FrozenMap[str, int] = field(default_factory=FrozenMap)
    industry_min: FrozenMap[str, int] = field(default_factory=FrozenMap)
    city_max: FrozenMap[str, int] = field(default_factory=FrozenMap)
    city_min: FrozenMap[str, int] = field(default_factory=FrozenMap)
    group_max: FrozenMap[str, int] = field(default_factory=FrozenMap)

    def is_empty(self) -> bool:
        return self == Constraints()


@dataclass(frozen=True)
class Scenario:
    """Weights, directions, scoring options and balance rules: one immutable object."""

    name: str = "default"
    description: str = ""
    weights: FrozenMap[str, float] = field(default_factory=FrozenMap)
    direction: FrozenMap[str, Direction] = field(default_factory=FrozenMap)
    scoring: ScoringSpec = field(default_factory=ScoringSpec)
    constraints: Constraints = field(default_factory=Constraints)
    source: str = field(default="", compare=False)

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "<dict>", base: "Scenario | None" = None) -> "Scenario":
        """A validated scenario from a TOML-shaped mapping; sections left out come from ``base``
        (the default scenario unless given). Any problem is an :class:`InputError` naming ``source``
        and the key."""
        return _parse(data, source, default_scenario() if base is None else base)

    def direction_of(self, criterion: str) -> Direction:
        return self.direction.get(criterion, Direction.BENEFIT)

    def with_constraints(self, **changes: Any) -> "Scenario":
        """A copy with some constraints changed (validated like a file)."""
        merged = {**_constraints_dict(self.constraints), **changes}
        merged = {k: v for k, v in merged.items() if v is not None}
        return Scenario.from_dict({**self.to_dict(), "constraints": merged}, self.source or "<scenario>", base=self)

    def with_weights(self, weights: Mapping[str, float]) -> "Scenario":
        """A copy with other weights (validated like a file)."""
        return Scenario.from_dict({**self.to_dict(), "weights": dict(weights)}, self.source or "<scenario>", base=self)

    # ------------------------------------------------------------------ output
    def to_dict(self) -> dict[str, Any]:
        """The scenario as a TOML-shaped dict of plain values (``from_dict(to_dict())`` gives it back)."""
        scoring: dict[str, Any] = {
            "method": self.scoring.method.value,
            "weights_method": self.scoring.weights_method.value,
            "blend_alpha": self.scoring.blend_alpha,
            "blend_form": self.scoring.blend_form.value,
        }
        if self.scoring.entropy_criteria:
            scoring["entropy_criteria"] = list(self.scoring.entropy_criteria)
        if self.scoring.ahp is not None:
            scoring["ahp"] = {
                "criteria": list(self.scoring.ahp.criteria),
                "matrix": [list(row) for row in self.scoring.ahp.matrix],
            }
        return {
            "name": self.name,
            "description": self.description,
            "weights": dict(self.weights),
            "direction": {k: v.value for k, v in self.direction.items()},
            "scoring": scoring,
            "constraints": _constraints_dict(self.constraints),
        }

    def to_toml(self) -> str:
        """The scenario as TOML text that :func:`load_scenario` reads back to an equal scenario."""
        data = self.to_dict()
        lines = [f"name = {_toml_value(data['name'])}"]
        if data["description"]:
            lines.append(f"description = {_toml_value(data['description'])}")
        for section in ("weights", "direction"):
            lines += ["", f"[{section}]"] + [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in data[section].items()]
        scoring = dict(data["scoring"])
        ahp = scoring.pop("ahp", None)
        lines += ["", "[scoring]"] + [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in scoring.items()]
        if ahp is not None:
            lines += ["", "[scoring.ahp]", f"criteria = {_toml_value(ahp['criteria'])}", "matrix = ["]
            lines += [f"  {_toml_value(row)}," for row in ahp["matrix"]] + ["]"]
        cons = data["constraints"]
        tables = {k: cons.pop(k) for k in _TABLE_KEYS if k in cons}
        lines += ["", "[constraints]"] + [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in cons.items()]
        for key, table in tables.items():
            lines += ["", f"[constraints.{key}]"] + [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in table.items()]
        return "\n".join(lines) + "\n"

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the canonical TOML text: equal scenarios have equal fingerprints."""
        return hashlib.sha256(self.to_toml().encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------- loading

_TOP_KEYS = ("name", "description", "weights", "direction", "scoring", "constraints")
_SCORING_KEYS = ("method", "weights_method", "ahp", "entropy_criteria", "blend_alpha", "blend_form")
_AHP_KEYS = ("criteria", "matrix")
_COUNT_KEYS = ("max_per_industry", "min_per_industry", "max_per_city", "min_per_city", "max_per_group")
_TABLE_KEYS = ("industry_max", "industry_min", "city_max", "city_min", "group_max")
_CONSTRAINT_KEYS = (*_COUNT_KEYS, "min_score", "include", "exclude", *_TABLE_KEYS)

# What each constraint key means, for messages and the run-information sheet.
CONSTRAINT_LABELS: dict[str, tuple[str, str]] = {
    "max_per_industry": ("每个行业最多推荐", "at most per industry"),
    "min_per_industry": ("每个有候选项目的行业至少推荐", "at least per industry with a candidate"),
    "max_per_city": ("每个城市最多推荐", "at most per city"),
    "min_per_city": ("每个有候选项目的城市至少推荐", "at least per city with a candidate"),
    "max_per_group": ("每个企业集团最多推荐", "at most per enterprise group"),
    "min_score": ("最低得分", "minimum score"),
    "include": ("必须推荐", "must recommend"),
    "exclude": ("不推荐", "must not recommend"),
    "industry_max": ("指定行业上限", "caps of named industries"),
    "industry_min": ("指定行业下限", "floors of named industries"),
    "city_max": ("指定城市上限", "caps of named cities"),
    "city_min": ("指定城市下限", "floors of named cities"),
    "group_max": ("指定集团上限", "caps of named groups"),
}


def load_scenario(path: Path | str) -> Scenario:
    """Read and validate a scenario TOML file (missing sections come from the default scenario)."""
    path = Path(path)
    where = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"找不到方案文件：{where}", f"scenario file not found: {where}") from None
    except OSError as exc:
        raise InputError(f"无法读取方案文件 {where}：{exc.strerror}", f"cannot read scenario file {where}: {exc.strerror}") from None
    return read_scenario_bytes(raw, where, default_name=path.stem)


def read_scenario_bytes(raw: bytes, where: str, default_name: str | None = None) -> Scenario:
    """A scenario from a TOML file's bytes (an upload); ``where`` names it in messages. A file without
    a ``name`` is named ``default_name`` (default: ``where``'s stem)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"方案文件 {where} 不是 UTF-8 编码的文本", f"scenario file {where} is not UTF-8 text") from None
    if len(raw) > MAX_SCENARIO_BYTES:
        raise InputError(f"方案文件 {where} 超过 {MAX_SCENARIO_BYTES // 1024} KB，不是方案文件",
                         f"scenario file {where} is over {MAX_SCENARIO_BYTES // 1024} KB, too large for a scenario")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"方案文件 {where} 不是有效的 TOML：{exc}", f"scenario file {where} is not valid TOML: {exc}") from None
    except RecursionError:  # tomllib parses nested arrays and tables recursively
        raise InputError(f"方案文件 {where} 不是有效的方案：数组或表嵌套过深",
                         f"scenario file {where} is not a valid scenario: arrays or tables are nested too deeply") from None
    if "name" not in data:
        data["name"] = default_name if default_name is not None else Path(where).stem
    scenario = Scenario.from_dict(data, where)
    return replace(scenario, source=where)


_DEFAULT: Scenario | None = None


def default_scenario() -> Scenario:
    """The scenario shipped with the package (``quota_opt/scenarios/default.toml``)."""
    global _DEFAULT
    if _DEFAULT is None:
        data = tomllib.loads(DEFAULT_SCENARIO_FILE.read_text(encoding="utf-8"))
        _DEFAULT = replace(_parse(data, str(DEFAULT_SCENARIO_FILE), Scenario()), source=str(DEFAULT_SCENARIO_FILE))
    return _DEFAULT


def canonical_criterion(key: object) -> str:
    """A weight/direction key as a column name: a known header becomes its canonical name."""
    text = normalise_text(key)
    return header_aliases().get(alias_key(text), text)


def _bad(where: str, key: str, zh: str, en: str) -> InputError:
    return InputError(f"方案文件 {where} 中“{key}”{zh}", f"scenario file {where}, key '{key}': {en}")


def _check_keys(table: Mapping[str, Any], allowed: tuple[str, ...], where: str, prefix: str) -> None:
    for key in table:
        if key not in allowed:
            full = f"{prefix}{key}"
            raise _bad(where, full, f"未知；可用的键：{'、'.join(allowed)}", f"unknown key; known keys: {', '.join(allowed)}")


def _need_table(value: Any, where: str, key: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _bad(where, key, "应为表（[section]）", "must be a table ([section])")
    return value


def _number(value: Any, where: str, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _bad(where, key, f"应为数字，而不是 {value!r}", f"must be a number, not {value!r}")
    if not math.isfinite(value):
        raise _bad(where, key, "应为有限的数字", "must be a finite number")
    return float(value)


def _count(value: Any, where: str, key: str) -> int:
    number = _number(value, where, key)
    if not number.is_integer():
        raise _bad(where, key, f"应为整数，而不是 {value!r}", f"must be a whole number, not {value!r}")
    if number < 0:
        raise _bad(where, key, f"不能为负数（{value!r}）", f"cannot be negative ({value!r})")
    return int(number)


def _text(value: Any, where: str, key: str) -> str:
    if not isinstance(value, str):
        raise _bad(where, key, f"应为文本（加引号），而不是 {value!r}", f"must be text (in quotes), not {value!r}")
    return value


def _criteria_list(value: Any, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _bad(where, key, "应为列表，如 [\"expert_score\"]", "must be a list, e.g. [\"expert_score\"]")
    out = tuple(canonical_criterion(_text(v, where, key)) for v in value)
    dupes = sorted({c for c in out if out.count(c) > 1})
    if dupes:
        raise _bad(where, key, f"重复列出指标：{'、'.join(dupes)}", f"lists a criterion twice: {', '.join(dupes)}")
    return out


def _ahp_entry(value: Any, where: str, key: str) -> float:
    if isinstance(value, str):
        try:
            number = float(Fraction(value.strip()))
        except (ValueError, ZeroDivisionError):
            raise _bad(where, key, f"无法读作数字或分数：{value!r}", f"cannot be read as a number or fraction: {value!r}") from None
        except OverflowError:  # "1e400": a number, but past the largest float
            raise _bad(where, key, f"超出可计算的范围：{value!r}", f"is too large to compute with: {value!r}") from None
    else:
        number = _number(value, where, key)
    if number > 0 and not 1e-300 < number < 1e300:  # so a_ij * a_ji and the eigenvector stay finite
        raise _bad(where, key, f"超出可计算的范围：{value!r}（Saaty 标度为 1/9~9）",
                   f"is out of the range that can be computed with: {value!r} (Saaty's scale is 1/9 to 9)")
    if not number > 0:
        raise _bad(where, key, f"应为正数（{value!r}）", f"must be positive ({value!r})")
    return number


def _parse_weights(raw: Any, where: str) -> FrozenMap[str, float]:
    table = _need_table(raw, where, "weights")
    out: dict[str, float] = {}
    for key, value in table.items():
        name = canonical_criterion(key)
        weight = _number(value, where, f"weights.{key}")
        if weight < 0:
            raise _bad(where, f"weights.{key}", f"权重不能为负（{value!r}）", f"a weight cannot be negative ({value!r})")
        if name in out:
            raise _bad(where, f"weights.{key}", f"与另一个键重复指向指标 {name}", f"names criterion {name} a second time")
        out[name] = weight
    return FrozenMap(out)


def _parse_direction(raw: Any, where: str) -> FrozenMap[str, Direction]:
    table = _need_table(raw, where, "direction")
    out: dict[str, Direction] = {}
    for key, value in table.items():
        name = canonical_criterion(key)
        direction = Direction.parse(_text(value, where, f"direction.{key}"))
        if direction is None:
            raise _bad(where, f"direction.{key}", f"应为 \"benefit\"（效益型）或 \"cost\"（成本型），而不是 {value!r}",
                       f"must be \"benefit\" or \"cost\", not {value!r}")
        out[name] = direction  # type: ignore[assignment]
    return FrozenMap(out)


def _parse_ahp(raw: Any, where: str) -> AhpSpec:
    table = _need_table(raw, where, "scoring.ahp")
    _check_keys(table, _AHP_KEYS, where, "scoring.ahp.")
    if "criteria" not in table or "matrix" not in table:
        raise _bad(where, "scoring.ahp", "需要 criteria 与 matrix", "needs criteria and matrix")
    criteria = _criteria_list(table["criteria"], where, "scoring.ahp.criteria")
    matrix = table["matrix"]
    n = len(criteria)
    if not isinstance(matrix, list) or len(matrix) != n or any(not isinstance(r, list) or len(r) != n for r in matrix):
        raise _bad(where, "scoring.ahp.matrix", f"应为 {n}×{n} 的方阵（与 criteria 对应）",
                   f"must be a {n}x{n} square matrix (one row and column per criterion)")
    rows = tuple(
        tuple(_ahp_entry(v, where, f"scoring.ahp.matrix[{i + 1}][{j + 1}]") for j, v in enumerate(row))
        for i, row in enumerate(matrix)
    )
    return AhpSpec(criteria, rows)


def _parse_scoring(raw: Any, where: str, base: ScoringSpec) -> ScoringSpec:
    table = _need_table(raw, where, "scoring")
    _check_keys(table, _SCORING_KEYS, where, "scoring.")
    method = base.method
    if "method" in table:
        method = ScoringMethod.parse(_text(table["method"], where, "scoring.method"))  # type: ignore[assignment]
        if method is None:
            raise _bad(where, "scoring.method", f"只支持 \"minmax\"（极差标准化），而不是 {table['method']!r}",
                       f"only \"minmax\" is offered, not {table['method']!r}")
    weights_method = WeightMethod.MANUAL
    if "weights_method" in table:
        weights_method = WeightMethod.parse(_text(table["weights_method"], where, "scoring.weights_method"))  # type: ignore[assignment]
        if weights_method is None:
            raise _bad(where, "scoring.weights_method", f"应为 manual、ahp、entropy 或 blend，而不是 {table['weights_method']!r}",
                       f"must be manual, ahp, entropy or blend, not {table['weights_method']!r}")
    ahp = _parse_ahp(table["ahp"], where) if "ahp" in table else None
    entropy_criteria = _criteria_list(table["entropy_criteria"], where, "scoring.entropy_criteria") if "entropy_criteria" in table else ()
    alpha = 0.5
    if "blend_alpha" in table:
        alpha = _number(table["blend_alpha"], where, "scoring.blend_alpha")
        if not 0 <= alpha <= 1:
            raise _bad(where, "scoring.blend_alpha", f"应在 0 到 1 之间（{alpha}）", f"must be between 0 and 1 ({alpha})")
    form = BlendForm.LINEAR
    if "blend_form" in table:
        form = BlendForm.parse(_text(table["blend_form"], where, "scoring.blend_form"))  # type: ignore[assignment]
        if form is None:
            raise _bad(where, "scoring.blend_form", f"应为 linear 或 multiplicative，而不是 {table['blend_form']!r}",
                       f"must be linear or multiplicative, not {table['blend_form']!r}")
    if weights_method is WeightMethod.AHP and ahp is None:
        raise _bad(where, "scoring.weights_method", "为 ahp 时需要 [scoring.ahp]（criteria 与 matrix）",
                   "is ahp, which needs a [scoring.ahp] table (criteria and matrix)")
    return ScoringSpec(method, weights_method, ahp, entropy_criteria, alpha, form)


def _project_ids(value: Any, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _bad(where, key, "应为项目编号列表，如 [\"SC-001\"]", "must be a list of project ids, e.g. [\"SC-001\"]")
    out: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise _bad(where, key, f"中的项目编号 {item!r} 须加引号（编号是文本，以保留前导零）",
                       f"project id {item!r} must be in quotes (ids are text, so leading zeros are kept)")
        pid = normalise_text(item)
        if not pid:
            raise _bad(where, key, "含有空的项目编号", "contains an empty project id")
        if pid not in out:
            out.append(pid)
    return tuple(out)


def _count_table(value: Any, where: str, key: str) -> FrozenMap[str, int]:
    table = _need_table(value, where, f"constraints.{key}")
    out: dict[str, int] = {}
    for name, count in table.items():
        label = normalise_text(name)
        if not label:
            raise _bad(where, f"constraints.{key}", "含有空的名称", "contains an empty name")
        out[label] = _count(count, where, f"constraints.{key}.{name}")
    return FrozenMap(out)


def _parse_constraints(raw: Any, where: str) -> Constraints:
    table = _need_table(raw, where, "constraints")
    _check_keys(table, _CONSTRAINT_KEYS, where, "constraints.")
    values: dict[str, Any] = {}
    for key in _COUNT_KEYS:
        if key in table:
            values[key] = _count(table[key], where, f"constraints.{key}")
    if "min_score" in table:
        score = _number(table["min_score"], where, "constraints.min_score")
        if not 0 <= score <= 100:
            raise _bad(where, "constraints.min_score", f"应在 0 到 100 之间（{score}）", f"must be between 0 and 100 ({score})")
        values["min_score"] = score
    for key in ("include", "exclude"):
        if key in table:
            values[key] = _project_ids(table[key], where, f"constraints.{key}")
    both = sorted(set(values.get("include", ())) & set(values.get("exclude", ())))
    if both:
        raise _bad(where, "constraints.include", f"与 exclude 同时列出了 {'、'.join(both)}",
                   f"and exclude both name {', '.join(both)}")
    for key in _TABLE_KEYS:
        if key in table:
            values[key] = _count_table(table[key], where, key)
    return Constraints(**values)


def _parse(data: Mapping[str, Any], where: str, base: Scenario) -> Scenario:
    if not isinstance(data, Mapping):
        raise InputError(f"方案 {where} 应为 TOML 表", f"scenario {where} must be a TOML table")
    _check_keys(data, _TOP_KEYS, where, "")
    name = normalise_text(_text(data["name"], where, "name")) if "name" in data else base.name
    description = _text(data["description"], where, "description") if "description" in data else base.description
    weights = _parse_weights(data["weights"], where) if "weights" in data else base.weights
    direction = _parse_direction(data["direction"], where) if "direction" in data else base.direction
    scoring = _parse_scoring(data["scoring"], where, base.scoring) if "scoring" in data else base.scoring
    constraints = _parse_constraints(data["constraints"], where) if "constraints" in data else base.constraints
    if scoring.weights_method in (WeightMethod.MANUAL,) or (
        scoring.weights_method is WeightMethod.BLEND and scoring.ahp is None
    ):
        if not weights or not any(w > 0 for w in weights.values()):
            raise _bad(where, "weights", "至少要有一个正的权重", "needs at least one positive weight")
    if scoring.weights_method is WeightMethod.ENTROPY and not (scoring.entropy_criteria or weights or scoring.ahp):
        raise _bad(where, "scoring.entropy_criteria", "熵权法需要指标列表", "entropy weights need a list of criteria")
    return Scenario(name=name or "scenario", description=description, weights=weights, direction=direction,
                    scoring=scoring, constraints=constraints)


def _constraints_dict(c: Constraints) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(Constraints):
        value = getattr(c, f.name)
        if value is None or value == () or (isinstance(value, Mapping) and not value):
            continue
        if isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, Mapping):
            value = dict(value)
        out[f.name] = value
    return out


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        # JSON strings are valid TOML basic strings (same escapes, \\uXXXX for control characters).
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


__all__ = [
    "AhpSpec",
    "CONSTRAINT_LABELS",
    "Constraints",
    "FrozenMap",
    "Scenario",
    "ScoringSpec",
    "canonical_criterion",
    "default_scenario",
    "load_scenario",
    "read_scenario_bytes",
]
