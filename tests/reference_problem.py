"""The per-row problem building quota-opt used before issue 13 made it work by columns, kept as the oracle:
:func:`reference_build_problem` must give exactly what :func:`quota_opt.optimise.build_problem` gives
(tests/test_problem_vectorised.py), and :func:`reference_group_keys` what
:func:`quota_opt.optimise.group_keys` gives.

Its own copies: every text normalised one cell at a time through a dict, project ids sorted by
Python's ``sorted``, members gathered into a dict of lists per dimension, and scores aligned through a
dict of ``str(project_id)`` -> score. It shares the package's data classes (:class:`Rule`,
:class:`SelectionProblem`), the rule names and descriptions (``_solver_name``, ``_describe``) and
:func:`check_named_projects`, which issue 13 did not change."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from quota_opt.columns import normalise_text
from quota_opt.errors import InputError
from quota_opt.optimise import Rule, SelectionProblem, check_named_projects
from quota_opt.optimise.problem import _describe, _solver_name
from quota_opt.scenario import Constraints, Scenario
from quota_opt.score import SCORE_DECIMALS, ScoreResult


def reference_texts(eligible: pd.DataFrame, column: str) -> list[str]:
    if column not in eligible.columns:
        return [""] * len(eligible)
    seen: dict[str, str] = {}  # a text normalised once per distinct value (a pool has few cities)
    out = []
    for v in eligible[column].tolist():
        if type(v) is str:
            t = seen.get(v)
            if t is None:
                t = seen[v] = normalise_text(v)
        else:
            t = normalise_text("" if v is None or (isinstance(v, float) and v != v) else v)
        out.append(t)
    return out


def reference_group_keys(eligible: pd.DataFrame) -> pd.Series:
    """Each project's group: its ``group``, or its enterprise when the group is empty."""
    groups = [g or e for g, e in zip(reference_texts(eligible, "group"), reference_texts(eligible, "enterprise"))]
    return pd.Series(groups, index=eligible.index, dtype=object)


def reference_align(project_ids: tuple[str, ...], scores: pd.Series | np.ndarray | Mapping[str, float]) -> np.ndarray:
    """Scores in problem order, rounded to SCORE_DECIMALS; each must be finite and >= 0."""
    n = len(project_ids)
    if isinstance(scores, np.ndarray):
        arr = np.asarray(scores, dtype=float)
        if arr.shape != (n,):
            raise InputError(f"得分个数（{arr.shape}）与项目数（{n}）不符",
                             f"got {arr.shape} scores for {n} projects")
    else:
        lookup = {str(k): v for k, v in (scores.items() if isinstance(scores, (pd.Series, Mapping)) else scores)}
        missing = [p for p in project_ids if p not in lookup]
        if missing:
            raise InputError(f"缺少项目得分：{'、'.join(missing[:10])}", f"no score for: {', '.join(missing[:10])}")
        arr = np.array([lookup[p] for p in project_ids], dtype=float)
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise InputError("得分必须是非负的有限数", "scores must be finite and non-negative")
    return np.round(arr, SCORE_DECIMALS)


def reference_build_problem(eligible: pd.DataFrame, scores: pd.Series | ScoreResult | Mapping[str, float], quota: int,
                            constraints: Constraints | Scenario, *, known_ids: Iterable[str] | None = None,
                            ineligible: Mapping[str, object] | Iterable[str] | None = None) -> SelectionProblem:
    """The data of the integer program: projects in project_id order, their scores, every named rule."""
    if isinstance(constraints, Scenario):
        constraints = constraints.constraints
    if isinstance(scores, ScoreResult):
        scores = scores.scores
    if isinstance(quota, bool) or not isinstance(quota, (int, np.integer)) or quota < 0:
        raise InputError(f"名额应为非负整数，而不是 {quota!r}", f"the quota must be a whole number >= 0, not {quota!r}")
    raw_ids = [str(v) for v in eligible["project_id"].tolist()]
    seen: set[str] = set()
    dupes = sorted({i for i in raw_ids if i in seen or seen.add(i)})  # type: ignore[func-returns-value]
    if dupes:
        raise InputError(f"项目编号重复：{'、'.join(dupes)}", f"duplicate project ids: {', '.join(dupes)}")
    check_named_projects(constraints, raw_ids, known_ids, ineligible)
    perm = sorted(range(len(raw_ids)), key=raw_ids.__getitem__)
    ids = tuple(raw_ids[k] for k in perm)
    columns = {
        "industry": reference_texts(eligible, "industry"),
        "city": reference_texts(eligible, "city"),
        "_group": reference_group_keys(eligible).tolist(),
    }
    columns = {k: [v[j] for j in perm] for k, v in columns.items()}
    score_arr = reference_align(ids, scores)

    c = constraints
    rules: list[Rule] = []
    warnings: list[str] = []

    def add(family: str, key: str, members, lower: int | None, upper: int | None) -> None:
        bound = upper if upper is not None else lower
        zh, en = _describe(family, key, int(bound))
        name = family if family == "quota" else f"{family}[{key}]"
        rules.append(Rule(name, _solver_name(family, key), family, key, tuple(map(int, members)),
                          lower, upper, zh, en))

    add("quota", "", range(len(ids)), None, int(quota))
    for dim, cap_family, floor_family, cap_all, floor_all, cap_table, floor_table in (
        ("industry", "max_per_industry", "min_per_industry", c.max_per_industry, c.min_per_industry, c.industry_max, c.industry_min),
        ("city", "max_per_city", "min_per_city", c.max_per_city, c.min_per_city, c.city_max, c.city_min),
        ("_group", "max_per_group", None, c.max_per_group, None, c.group_max, {}),
    ):
        members_of: dict[str, list[int]] = {}
        for j, value in enumerate(columns[dim]):
            members_of.setdefault(value, []).append(j)
        keys = sorted(members_of)
        label_zh, label_en = {"industry": ("行业", "industry"), "city": ("城市", "city"), "_group": ("企业集团", "group")}[dim]
        for key in keys:
            cap = cap_table.get(key, cap_all)
            if cap is not None and cap < len(members_of[key]):
                add(cap_family, key, members_of[key], None, int(cap))
        for key in cap_table:
            if key not in members_of:
                warnings.append(f"方案为{label_zh}“{key}”设了上限，但它没有符合条件的候选项目 / the scenario caps "
                                f"{label_en} '{key}', which has no eligible candidate")
        if floor_family is None:
            continue
        for key in keys:
            floor = floor_table.get(key, floor_all)
            if floor:
                add(floor_family, key, members_of[key], int(floor), None)
        for key, floor in floor_table.items():
            if key not in members_of and floor > 0:
                add(floor_family, key, [], int(floor), None)

    return SelectionProblem(
        project_ids=ids,
        industries=tuple(columns["industry"]),
        cities=tuple(columns["city"]),
        groups=tuple(columns["_group"]),
        scores=score_arr,
        quota=int(quota),
        rules=tuple(rules),
        include=tuple(c.include),
        exclude=tuple(c.exclude),
        min_score=c.min_score,
        warnings=tuple(warnings),
    )


def problem_differences(got: SelectionProblem, expected: SelectionProblem) -> list[str]:
    """The fields in which two problems differ (none when they are the same): every field, the type of every
    text (plain str, as the per-row building gave) and member, the scores bit for bit and the descriptions."""
    differ = [name for name in ("project_ids", "industries", "cities", "groups", "quota", "rules", "include",
                                "exclude", "min_score", "warnings") if getattr(got, name) != getattr(expected, name)]
    differ += [f"types of {name}" for name in ("project_ids", "industries", "cities", "groups")
               if list(map(type, getattr(got, name))) != list(map(type, getattr(expected, name)))]
    if [list(map(type, r.members)) for r in got.rules] != [list(map(type, r.members)) for r in expected.rules]:
        differ.append("types of members")
    if got.scores.dtype != expected.scores.dtype or got.scores.tobytes() != expected.scores.tobytes():
        differ.append("scores")
    if not differ and got.descriptions() != expected.descriptions():
        differ.append("descriptions")
    return differ
