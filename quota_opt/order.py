"""Order the picks and give every eligible project that was not picked its reason.

Priority order (the order of the 推荐汇总表, "in order of priority" as the notices ask): score
from high to low; equal scores by project_id, ascending (plain character order, so ids of
equal width such as SC-001 ... SC-120 sort as numbers do).

Reasons, checked in this order for each eligible project not picked:

1. ``rules_conflict`` -- the rules cannot all hold (nothing is picked);
2. ``excluded`` -- the user excluded it;
3. ``below_min_score`` -- its score is below the minimum score;
4. ``group_cap_full`` / ``industry_cap_full`` / ``city_cap_full`` -- a cap it falls under is
   full (the first full one, most specific first), naming the projects that hold the places;
5. ``quota_full`` -- the quota is full.

Taking a project that is not picked never breaks a floor, so one of its caps or the quota must
be full (otherwise the tie rule would have taken it): every non-pick gets one of these reasons.
A place held by a project ranked below the one left out is marked with why it is held (a
must-include, or a floor that needs it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .columns import ReasonCode
from .errors import ModelError
from .load import coded_text_array, text_array
from .optimise import Rule, Selection

# credit_code: the summary table's 统一社会信用代码 (quota_opt.documents); empty when the file has none.
DISPLAY_COLUMNS = ("project_name", "enterprise", "city", "industry", "credit_code")
_SHOW = 8
_CAP_ORDER = (("max_per_group", ReasonCode.GROUP_CAP, "企业集团", "group"),
              ("max_per_industry", ReasonCode.INDUSTRY_CAP, "行业", "industry"),
              ("max_per_city", ReasonCode.CITY_CAP, "城市", "city"))


@dataclass(frozen=True)
class OrderResult:
    selected: pd.DataFrame  # rank, project_id, score, display columns; in priority order
    not_selected: pd.DataFrame  # project_id, score, reason_code, reason_zh, reason_en, blocked_by, display columns


def _fmt(score: float) -> str:
    return f"{score:.2f}"


def order(selection: Selection, eligible: pd.DataFrame | None = None) -> OrderResult:
    """Rank the picks and give every other eligible project a reason code and text (module doc).

    The reasons are worded over whole columns: a reason's text depends on the project left out only
    through where it ranks among the projects holding the places, so each distinct text is made once and
    given to every project it fits (which share its list of projects holding the places)."""
    p = selection.problem
    s = selection.score_values
    prio = np.argsort(-s, kind="stable")  # problem order is project_id order
    rank_of = np.empty(p.n, dtype=np.int64)
    rank_of[prio] = np.arange(p.n)
    picked = selection.mask()
    display = _display(eligible, p.project_ids)
    ids = text_array(np.array(p.project_ids, dtype=object)) if p.n else np.empty(0, dtype=object)

    chosen = prio[picked[prio]]
    selected = _frame({"rank": np.arange(1, len(chosen) + 1, dtype=np.int64), "project_id": ids[chosen],
                       "score": s[chosen].astype(np.float64), **{c: display[c][chosen] for c in DISPLAY_COLUMNS}},
                      ["rank", "project_id", "score", *DISPLAY_COLUMNS])

    picks_in: dict[str, list[int]] = {}  # rule name -> its picked members, in priority order
    rules_of_pick: dict[int, list[Rule]] = {int(q): [] for q in chosen}
    for rule in p.rules:
        members = np.asarray(rule.members, dtype=np.int64)
        held = members[picked[members]] if len(members) else members
        picks_in[rule.name] = [int(q) for q in held[np.argsort(rank_of[held], kind="stable")]]
        if rule.family != "quota":
            for q in held.tolist():
                rules_of_pick[q].append(rule)
    count = {name: len(v) for name, v in picks_in.items()}
    picked_by_rank = [int(q) for q in chosen]
    pick_ranks = rank_of[chosen]

    def held_because(q: int) -> tuple[str, str]:
        if p.include_mask[q]:
            return "必须推荐", "must-include"
        for r in rules_of_pick[q]:
            if r.lower is not None and count[r.name] <= r.lower:
                return f"{r.zh}所需", f"needed for: {r.en}"
        return "为满足其他规则入选", "picked to meet the other rules"

    def occupants_text(above: int, occ: list[int]) -> tuple[str, str, list[str]]:
        """The places' holders named, the first ``above`` of them ranked above the project left out."""
        parts_zh, parts_en = [], []
        for k, q in enumerate(occ[:_SHOW]):
            note_zh = note_en = ""
            if k >= above:
                note_zh, note_en = held_because(q)
                note_zh, note_en = f"，{note_zh}", f", {note_en}"
            parts_zh.append(f"{p.project_ids[q]}（{_fmt(s[q])}{note_zh}）")
            parts_en.append(f"{p.project_ids[q]} ({_fmt(s[q])}{note_en})")
        if len(occ) > _SHOW:
            parts_zh.append(f"等 {len(occ)} 个")
            parts_en.append(f"and {len(occ) - _SHOW} more")
        return "、".join(parts_zh), ", ".join(parts_en), [p.project_ids[q] for q in occ]

    rest = prio[~picked[prio]]  # the projects left out, in priority order
    reasons = _Reasons(len(rest))
    if selection.status != "optimal":
        reasons.give(np.arange(len(rest)), ReasonCode.RULES_CONFLICT, "推荐规则无法同时满足，未推荐任何项目",
                     "the rules cannot all hold, so nothing is recommended")
    else:
        reasons.give(np.flatnonzero(p.exclude_mask[rest]), ReasonCode.EXCLUDED, "用户指定不推荐", "excluded by the user")
        below = np.flatnonzero(p.below_min(s)[rest] & reasons.todo)
        by_score: dict[float, list[int]] = {}
        for k, score in zip(below.tolist(), s[rest[below]].tolist()):
            by_score.setdefault(score, []).append(k)
        for score, where in by_score.items():
            reasons.give(where, ReasonCode.BELOW_MIN_SCORE, f"得分 {_fmt(score)} 低于最低分 {p.min_score:g}",
                         f"score {_fmt(score)} is below the minimum score {p.min_score:g}")
        at = np.full(p.n, -1, dtype=np.int64)
        at[rest] = np.arange(len(rest))
        for family, code, dim_zh, dim_en in _CAP_ORDER:
            for rule in p.rules:
                if rule.family != family or len(picks_in[rule.name]) < rule.upper:
                    continue
                where = at[np.asarray(rule.members, dtype=np.int64)]
                where = np.sort(where[where >= 0])
                where = where[reasons.todo[where]]
                occ = picks_in[rule.name]
                above = np.searchsorted(rank_of[occ[:_SHOW]], rank_of[rest[where]], side="right")
                for a in np.unique(above).tolist():
                    zh_occ, en_occ, blocked = occupants_text(a, occ)
                    reasons.give(where[above == a], code,
                                 f"{dim_zh}“{rule.key}”最多推荐 {rule.upper} 个，名额已由 {zh_occ} 占满",
                                 f"{dim_en} {rule.key} may have at most {rule.upper}, and the places are taken by {en_occ}",
                                 blocked)
        left = np.flatnonzero(reasons.todo)
        if len(left) and len(picked_by_rank) < p.quota:
            # Unreachable for a selection made by quota_opt.optimise (see the module doc).
            raise ModelError("求解结果有误：有项目未入选但没有规则阻止", "the selection is wrong: a project was left out "
                             "although no rule blocks it")
        cut = np.searchsorted(pick_ranks, rank_of[rest[left]], side="right")
        for c in np.unique(cut).tolist():
            worse = picked_by_rank[c:]
            if not worse:
                reasons.give(left[cut == c], ReasonCode.QUOTA_FULL, f"推荐名额 {p.quota} 个已满，入选项目排序均在本项目之前",
                             f"the quota of {p.quota} is full of projects ranked above this one")
                continue
            zh_occ, en_occ, blocked = occupants_text(0, worse)
            reasons.give(left[cut == c], ReasonCode.QUOTA_FULL, f"推荐名额 {p.quota} 个已满；排在本项目之后而入选的有 {zh_occ}",
                         f"the quota of {p.quota} is full; projects ranked below this one that are in: {en_occ}", blocked)
    not_selected = _frame({"project_id": ids[rest], "score": s[rest].astype(np.float64), **reasons.columns(),
                           **{c: display[c][rest] for c in DISPLAY_COLUMNS}},
                          ["project_id", "score", "reason_code", "reason_zh", "reason_en", "blocked_by", *DISPLAY_COLUMNS])
    return OrderResult(selected, not_selected)


class _Reasons:
    """The reason of each project left out (by its place in priority order), filled a group at a time: each
    project holds the number of its reason among the distinct ones given."""

    def __init__(self, n: int):
        self.which = np.full(n, -1, dtype=np.int64)
        self.given: list[tuple[str, str, str, list[str]]] = []  # (code, zh, en, blocked)

    @property
    def todo(self) -> np.ndarray:
        return self.which < 0

    def give(self, where, code: ReasonCode, zh: str, en: str, blocked: list[str] | None = None) -> None:
        """Give the projects at ``where`` that have no reason yet this one (they share ``blocked``)."""
        where = np.asarray(where, dtype=np.int64)
        self.which[where[self.which[where] < 0]] = len(self.given)
        self.given.append((code.value, zh, en, [] if blocked is None else blocked))

    def columns(self) -> dict[str, object]:
        """reason_code, reason_zh and reason_en as text columns, blocked_by as lists (shared by the projects
        with one reason: the lists are read, never changed in place)."""
        code, zh, en, blocked = zip(*self.given) if self.given else ((), (), (), ())
        lists = np.empty(len(blocked), dtype=object)
        lists[:] = list(blocked) if blocked else []
        return {"reason_code": coded_text_array(self.which, code), "reason_zh": coded_text_array(self.which, zh),
                "reason_en": coded_text_array(self.which, en), "blocked_by": lists[self.which]}


def _frame(columns: dict[str, object], names: list[str]) -> pd.DataFrame:
    """A table of these columns (lists kept as objects); with no rows, the untyped empty table the records
    of no project make."""
    if not len(next(iter(columns.values()))):
        return pd.DataFrame([], columns=names)
    return pd.DataFrame(columns, columns=names)


def _display(eligible: pd.DataFrame | None, ids: tuple[str, ...]) -> dict[str, object]:
    """The display columns of the projects, in problem order, as text columns ("" where empty; a project
    listed twice shows its first row)."""
    if eligible is None:
        return {c: text_array(np.full(len(ids), "", dtype=object)) for c in DISPLAY_COLUMNS}
    first = ~eligible["project_id"].astype(str).duplicated().to_numpy()
    rows = np.flatnonzero(first)
    where = pd.Index(eligible["project_id"].astype(str).to_numpy()[rows]).get_indexer(list(ids))
    found = where >= 0
    take = np.where(found, rows[np.maximum(where, 0)] if len(rows) else 0, 0)
    out: dict[str, object] = {}
    for c in DISPLAY_COLUMNS:
        if c not in eligible.columns or not len(eligible):
            out[c] = text_array(np.full(len(ids), "", dtype=object))
            continue
        column = eligible[c].iloc[take].reset_index(drop=True)
        column = column.where(pd.Series(found), np.nan)
        if column.dtype == "str":
            out[c] = column.fillna("").array
        else:
            out[c] = column.astype(object).where(column.notna(), "").astype(str).array
    return out


__all__ = ["DISPLAY_COLUMNS", "OrderResult", "order"]
