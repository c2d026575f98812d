"""The per-row ordering quota-opt used before it worded the reasons over whole columns, kept as the oracle:
``reference_order`` must give exactly what :func:`quota_opt.order.order` gives (tests/test_order_vectorised.py).

It shares the package's constants and display columns and keeps its own way of wording the reasons:
one project left out at a time."""

from __future__ import annotations

import numpy as np
import pandas as pd

from quota_opt.columns import ReasonCode
from quota_opt.errors import ModelError
from quota_opt.optimise import Rule, Selection
from quota_opt.order import _CAP_ORDER, _SHOW, DISPLAY_COLUMNS, OrderResult, _fmt


def reference_order(selection: Selection, eligible: pd.DataFrame | None = None) -> OrderResult:
    """Rank the picks and give every other eligible project a reason code and text (module doc)."""
    p = selection.problem
    s = selection.score_values
    prio = np.argsort(-s, kind="stable")  # problem order is project_id order
    rank_of = np.empty(p.n, dtype=np.int64)
    rank_of[prio] = np.arange(p.n)
    picked = selection.mask()
    display = _display(eligible, p.project_ids)

    selected_rows = []
    for rank, i in enumerate((i for i in prio if picked[i]), start=1):
        selected_rows.append({"rank": rank, "project_id": p.project_ids[i], "score": float(s[i]), **display[i]})
    selected = pd.DataFrame(selected_rows, columns=["rank", "project_id", "score", *DISPLAY_COLUMNS])

    member_rules: list[list[Rule]] = [[] for _ in range(p.n)]
    picks_in: dict[str, list[int]] = {}  # rule name -> its picked members, in priority order
    for rule in p.rules:
        if rule.family != "quota":
            for i in rule.members:
                member_rules[i].append(rule)
        members = np.asarray(rule.members, dtype=np.int64)
        chosen = members[picked[members]] if len(members) else members
        picks_in[rule.name] = [int(q) for q in chosen[np.argsort(rank_of[chosen], kind="stable")]]
    count = {name: len(v) for name, v in picks_in.items()}
    below = p.below_min(s)
    picked_by_rank = [int(q) for q in prio if picked[q]]
    pick_ranks = np.array([rank_of[q] for q in picked_by_rank], dtype=np.int64)

    def held_because(q: int) -> tuple[str, str]:
        if p.include_mask[q]:
            return "必须推荐", "must-include"
        for r in member_rules[q]:
            if r.lower is not None and count[r.name] <= r.lower:
                return f"{r.zh}所需", f"needed for: {r.en}"
        return "为满足其他规则入选", "picked to meet the other rules"

    def occupants_text(i: int, occ: list[int]) -> tuple[str, str, list[str]]:
        parts_zh, parts_en = [], []
        for q in occ[:_SHOW]:
            note_zh = note_en = ""
            if rank_of[q] > rank_of[i]:
                note_zh, note_en = held_because(q)
                note_zh, note_en = f"，{note_zh}", f", {note_en}"
            parts_zh.append(f"{p.project_ids[q]}（{_fmt(s[q])}{note_zh}）")
            parts_en.append(f"{p.project_ids[q]} ({_fmt(s[q])}{note_en})")
        if len(occ) > _SHOW:
            parts_zh.append(f"等 {len(occ)} 个")
            parts_en.append(f"and {len(occ) - _SHOW} more")
        return "、".join(parts_zh), ", ".join(parts_en), [p.project_ids[q] for q in occ]

    def worse_picks(i: int) -> list[int]:
        return picked_by_rank[int(np.searchsorted(pick_ranks, rank_of[i], side="right")):]

    rows = []
    for i in prio:
        if picked[i]:
            continue
        pid, score = p.project_ids[i], float(s[i])
        blocked: list[str] = []
        if selection.status != "optimal":
            code = ReasonCode.RULES_CONFLICT
            zh, en = "推荐规则无法同时满足，未推荐任何项目", "the rules cannot all hold, so nothing is recommended"
        elif p.exclude_mask[i]:
            code = ReasonCode.EXCLUDED
            zh, en = "用户指定不推荐", "excluded by the user"
        elif below[i]:
            code = ReasonCode.BELOW_MIN_SCORE
            zh = f"得分 {_fmt(score)} 低于最低分 {p.min_score:g}"
            en = f"score {_fmt(score)} is below the minimum score {p.min_score:g}"
        else:
            code, zh, en, blocked = _cap_reason(i, member_rules[i], picks_in, p.quota, len(picked_by_rank),
                                                worse_picks, occupants_text)
        rows.append({"project_id": pid, "score": score, "reason_code": code.value, "reason_zh": zh, "reason_en": en,
                     "blocked_by": blocked, **display[i]})
    not_selected = pd.DataFrame(rows, columns=["project_id", "score", "reason_code", "reason_zh", "reason_en",
                                               "blocked_by", *DISPLAY_COLUMNS])
    return OrderResult(selected, not_selected)


def _cap_reason(i, rules, picks_in, quota, n_picked, worse_picks, occupants_text):
    for family, code, dim_zh, dim_en in _CAP_ORDER:
        for rule in rules:
            if rule.family == family and len(picks_in[rule.name]) >= rule.upper:
                zh_occ, en_occ, blocked = occupants_text(i, picks_in[rule.name])
                zh = f"{dim_zh}“{rule.key}”最多推荐 {rule.upper} 个，名额已由 {zh_occ} 占满"
                en = f"{dim_en} {rule.key} may have at most {rule.upper}, and the places are taken by {en_occ}"
                return code, zh, en, blocked
    if n_picked >= quota:
        worse = worse_picks(i)
        if not worse:
            zh = f"推荐名额 {quota} 个已满，入选项目排序均在本项目之前"
            en = f"the quota of {quota} is full of projects ranked above this one"
            return ReasonCode.QUOTA_FULL, zh, en, []
        zh_occ, en_occ, blocked = occupants_text(i, worse)
        zh = f"推荐名额 {quota} 个已满；排在本项目之后而入选的有 {zh_occ}"
        en = f"the quota of {quota} is full; projects ranked below this one that are in: {en_occ}"
        return ReasonCode.QUOTA_FULL, zh, en, blocked
    # Unreachable for a selection made by quota_opt.optimise (see the module doc).
    raise ModelError("求解结果有误：有项目未入选但没有规则阻止", "the selection is wrong: a project was left out "
                     "although no rule blocks it")


def _display(eligible: pd.DataFrame | None, ids: tuple[str, ...]) -> list[dict]:
    if eligible is None:
        return [{c: "" for c in DISPLAY_COLUMNS} for _ in ids]
    frame = pd.DataFrame({c: eligible[c] if c in eligible.columns else "" for c in DISPLAY_COLUMNS})
    frame.index = eligible["project_id"].astype(str)
    frame = frame[~frame.index.duplicated()].reindex(list(ids))
    frame = frame.astype(object).where(frame.notna(), "").astype(str)
    return frame.to_dict("records")
