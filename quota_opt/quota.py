"""The quota engine: how many projects a unit may recommend, at which level, in which year, and why.

Every answer is a :class:`QuotaResult` with a status and a plain-language basis in Chinese
and English that cites the notice's clause and the figures (with their source and status).

Statuses:
* ``ok`` -- the quota follows from the rule and the data;
* ``via`` -- the unit recommends through another (a planned city through its province; a
  central enterprise at 2025 leading level through the province where each factory is);
* ``undetermined`` -- the figures the rule needs are missing, or the notice sets no quota;
* ``override`` -- the user set the quota (with the reason, when given, in the basis).

Figures a user supplies (a corrected file, or single figures with their sources: see
:mod:`quota_opt.refdata`) replace the shipped ones; the result lists them in ``user_figures`` and
names the file read in ``reference_file``, so the export's run information records them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from .columns import Level
from .errors import InputError
from .ranking import RankingResult, rank_bounds
from .refdata import STATUS_ZH, ReferenceTable, UserFigure, apply_user_figures, load_reference
from .rules import NoticeYear, QuotaRule, load_notice, parse_level
from .units import ALL_UNITS, PLANNED_CITIES, PROVINCES, Unit, resolve_province, resolve_unit

# How close (gap relative to the smaller figure) a neighbour across a tier boundary must be for a margin warning.
MARGIN_WARNING = 0.10


@dataclass(frozen=True)
class QuotaResult:
    unit: str
    unit_type: str
    year: int
    level: str
    quota: int | None
    status: str  # ok | via | undetermined | override
    via: str | None
    basis_zh: str
    basis_en: str
    warnings: list[str] = field(default_factory=list)
    rule_id: str | None = None
    clause: str | None = None
    document: str = ""
    figure: float | None = None
    rank_min: int | None = None
    rank_max: int | None = None
    data_status: str | None = None
    data_source: str | None = None
    depends_on_missing: list[str] = field(default_factory=list)
    original_quota: int | None = None
    override_reason: str | None = None
    user_figures: list[dict] = field(default_factory=list)  # figures a user supplied for the data read
    reference_file: str | None = None  # the data file the rule read, and where it was found (no folder)
    source_status_zh: str = ""  # the source's own word for the figure's standing (初步核算数)
    source_status_en: str = ""  # (preliminary)
    margin: float | None = None  # gap to the nearest figure across the nearest tier boundary (dataset's unit)
    margin_pct: float | None = None  # that gap as a percentage of the smaller of the two figures
    margin_to: str | None = None  # the province across the boundary
    margin_to_rank: int | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:g}" if value != int(value) else f"{int(value)}"


def _cite(notice: NoticeYear, rule: QuotaRule) -> tuple[str, str]:
    return (
        f"（依据：{notice.document} {rule.clause}，规则 {rule.id}）",
        f" (basis: {notice.document} clause {rule.clause}, rule {rule.id})",
    )


def _data_note(table: ReferenceTable, province: str) -> tuple[str, str]:
    fig = table.get(province)
    own_zh = f"（来源称{fig.source_status_zh}）" if fig.source_status_zh else ""
    own_en = f" (the source calls it {fig.source_status_en or fig.source_status_zh})" if fig.source_status_zh or fig.source_status_en else ""
    return (
        f"数据状态：{STATUS_ZH.get(fig.status, fig.status)}{own_zh}；来源：{fig.citation_zh or fig.source or '无'}",
        f"data status: {fig.status}{own_en}; source: {fig.citation_en or fig.source or 'none'}",
    )


def _own_words(table: ReferenceTable, province: str) -> tuple[str, str]:
    """The source's own word for a figure's standing, as a bracket after the figure (or nothing)."""
    fig = table.get(province)
    zh = f"（{fig.source_status_zh}）" if fig.source_status_zh else ""
    en = f" ({fig.source_status_en or fig.source_status_zh})" if (fig.source_status_en or fig.source_status_zh) else ""
    return zh, en


class QuotaEngine:
    """Quotas of one notice year, with its reference data read once.

    ``tables`` replaces datasets read from files (e.g. an uploaded corrected file, read by
    :func:`quota_opt.refdata.read_reference_bytes`); ``figures`` are single figures a user
    supplies, each with its source, applied on top (see :func:`quota_opt.refdata.apply_user_figures`).
    """

    def __init__(self, year: int | str, data_dir: Path | str | None = None, rules_dir: Path | str | None = None,
                 *, tables: Mapping[str, ReferenceTable] | None = None, figures: Iterable[UserFigure] = ()):
        self.notice = load_notice(year, rules_dir)
        self.data_dir = data_dir
        self.given_tables = dict(tables or {})
        self.figures = tuple(figures)
        self._tables: dict[str, ReferenceTable] = {}
        self._rankings: dict[str, RankingResult] = {}

    # ------------------------------------------------------------------ data
    def table(self, dataset: str) -> ReferenceTable:
        if dataset not in self._tables:
            table = self.given_tables.get(dataset) or load_reference(dataset, self.data_dir, missing_ok=True)
            self._tables[dataset] = apply_user_figures(table, self.figures)
        return self._tables[dataset]

    def user_figures(self, dataset: str) -> list[dict]:
        """The figures of ``dataset`` the user supplied, as applied (full province names, table order)."""
        table = self.table(dataset)
        named = {resolve_province(u.province) for u in self.figures if u.dataset == dataset}
        return [{"dataset": dataset, "province": p, "value": f.value, "source": f.source}
                for p, f in table.figures.items() if p in named]

    def ranking(self, dataset: str) -> RankingResult:
        if dataset not in self._rankings:
            table = self.table(dataset)
            self._rankings[dataset] = rank_bounds(
                {p: f.value for p, f in table.figures.items()},
                {p: (f.rank_min, f.rank_max) for p, f in table.figures.items()},
            )
        return self._rankings[dataset]

    # ------------------------------------------------------------------ public
    def quota(self, unit: Unit | str, level: Level | str, override: int | None = None,
              reason: str | None = None) -> QuotaResult:
        """The quota of ``unit``; ``override`` sets it (status ``override``), ``reason`` says why."""
        unit = resolve_unit(unit) if isinstance(unit, str) else unit
        level = parse_level(level) if not isinstance(level, Level) else level
        self.notice.require_level(level)
        rule = self.notice.quota_rule(level, unit.unit_type)
        if rule is None:
            result = self._no_rule(unit, level)
        else:
            result = getattr(self, f"_kind_{rule.kind}")(unit, level, rule)
        if override is not None:
            result = self._override(result, override, reason)
        return result

    def all_units(self, level: Level | str) -> list[QuotaResult]:
        """Every recommending unit of the year and level: provinces, Corps, central enterprises, planned cities."""
        return [self.quota(u, level) for u in ALL_UNITS]

    # ------------------------------------------------------------------ helpers
    def _base(self, unit: Unit, level: Level, rule: QuotaRule | None, **kw) -> QuotaResult:
        return QuotaResult(
            unit=unit.name,
            unit_type=unit.unit_type.value,
            year=self.notice.year,
            level=level.value,
            rule_id=rule.id if rule else None,
            clause=rule.clause if rule else None,
            document=self.notice.document,
            **kw,
        )

    def _no_rule(self, unit: Unit, level: Level) -> QuotaResult:
        return self._base(
            unit, level, None, quota=None, status="undetermined", via=None,
            basis_zh=f"{self.notice.document}未规定{unit.name}的{level.zh}推荐名额",
            basis_en=f"{self.notice.document} sets no {level.value}-level quota for {unit.name_en}",
        )

    def _override(self, result: QuotaResult, override: int, reason: str | None = None) -> QuotaResult:
        if result.status == "via":
            raise InputError(
                f"{result.unit}的{Level(result.level).zh}项目由{result.via or '所在省（区、市）'}统一推荐，不能单独指定名额",
                f"{result.unit} recommends {result.level}-level projects through {result.via or 'the province where each factory is'}; "
                "it has no quota of its own to override",
            )
        if override < 0:
            raise InputError(f"名额不能为负数：{override}", f"a quota cannot be negative: {override}")
        was_zh = f"原名额{result.quota}个" if result.quota is not None else "原名额未确定"
        was_en = f"was {result.quota}" if result.quota is not None else "was undetermined"
        reason = " ".join((reason or "").split()) or None
        why_zh = f"，理由：{reason}" if reason else ""
        why_en = f"; reason: {reason}" if reason else ""
        return replace(
            result,
            quota=int(override),
            status="override",
            original_quota=result.quota,
            override_reason=reason,
            basis_zh=f"用户指定名额{override}个（{was_zh}{why_zh}）。原依据：{result.basis_zh}",
            basis_en=f"Quota set by the user to {override} ({was_en}{why_en}). Original basis: {result.basis_en}",
            warnings=[*result.warnings, f"名额由用户指定 / quota overridden by the user: {override}"],
        )

    # ------------------------------------------------------------------ rule kinds
    def _kind_fixed(self, unit: Unit, level: Level, rule: QuotaRule) -> QuotaResult:
        cz, ce = _cite(self.notice, rule)
        return self._base(
            unit, level, rule, quota=rule.quota, status="ok", via=None,
            basis_zh=f"{unit.name}{level.zh}推荐不超过{rule.quota}个{cz}",
            basis_en=f"{unit.name_en}: at most {rule.quota} {level.value}-level projects{ce}",
        )

    def _kind_via_province(self, unit: Unit, level: Level, rule: QuotaRule) -> QuotaResult:
        cz, ce = _cite(self.notice, rule)
        parent = next(p for p in PROVINCES if p.name == unit.parent)
        return self._base(
            unit, level, rule, quota=None, status="via", via=parent.name,
            basis_zh=f"计划单列市{unit.name}的{level.zh}项目由{parent.name}统一推荐，计入{parent.name}名额{cz}",
            basis_en=f"{unit.name_en} is a planned city: its {level.value}-level projects are recommended by "
            f"{parent.name_en} ({parent.name}) within that province's quota{ce}",
        )

    def _kind_via_factory_province(self, unit: Unit, level: Level, rule: QuotaRule) -> QuotaResult:
        cz, ce = _cite(self.notice, rule)
        return self._base(
            unit, level, rule, quota=None, status="via", via=None,
            basis_zh=f"中央企业的{level.zh}项目由工厂所在省（区、市）统一推荐，计入该省名额{cz}",
            basis_en=f"Central enterprises' {level.value}-level projects are recommended by the province where "
            f"each factory is, within that province's quota{ce}",
        )

    def _kind_unspecified(self, unit: Unit, level: Level, rule: QuotaRule) -> QuotaResult:
        cz, ce = _cite(self.notice, rule)
        return self._base(
            unit, level, rule, quota=None, status="undetermined", via=None,
            basis_zh=f"{rule.text_zh}；名额待定，可由用户指定{cz}",
            basis_en=f"{rule.text_en or 'The notice sets no quota for this unit.'} The quota is undetermined; "
            f"a user may set it{ce}",
            warnings=[f"通知未规定{unit.name}的{level.zh}名额 / the notice sets no {level.value}-level quota for {unit.name_en}"],
        )

    def _kind_rank_tier(self, unit: Unit, level: Level, rule: QuotaRule) -> QuotaResult:
        table = self.table(rule.dataset)
        ranking = self.ranking(rule.dataset)
        fig = table.get(unit.name)
        bounds = ranking.bounds[unit.name]
        cz, ce = _cite(self.notice, rule)
        dz, de = _data_note(table, unit.name)
        ds = table.dataset
        oz, oe = _own_words(table, unit.name)
        value_zh = f"{_fmt(fig.value)}{ds.unit_zh}{oz}" if fig.value is not None else "数据缺失"
        value_en = f"{_fmt(fig.value)} ({ds.unit_en}){oe}" if fig.value is not None else "figure missing"
        lo_tier, hi_tier = rule.tier_for_rank(bounds.lo), rule.tier_for_rank(bounds.hi)
        rank_zh = f"第{bounds.lo}位" if bounds.lo == bounds.hi else f"第{bounds.lo}~{bounds.hi}位"
        rank_en = f"rank {bounds.lo}" if bounds.lo == bounds.hi else f"ranks {bounds.lo}-{bounds.hi}"
        warnings: list[str] = []
        missing = [
            p for p, b in ranking.bounds.items()
            if p != unit.name and table.get(p).missing and b.lo <= bounds.hi and b.hi >= bounds.lo
        ]
        common = dict(figure=fig.value, rank_min=bounds.lo, rank_max=bounds.hi, data_status=fig.status,
                      data_source=fig.source, user_figures=self.user_figures(rule.dataset), reference_file=table.label,
                      source_status_zh=fig.source_status_zh, source_status_en=fig.source_status_en)
        if unit.name in ranking.conflicts or not ranking.consistent:
            warnings.append(
                f"{unit.name}的名次界限与数值矛盾，已忽略 / the stated rank bounds of {unit.name_en} contradict "
                "the figures and were ignored"
            )
            return self._base(
                unit, level, rule, quota=None, status="undetermined", via=None,
                basis_zh=f"{unit.name}{rule.measure_zh}{value_zh}，所给名次界限与数值矛盾，名额待定（{dz}）{cz}",
                basis_en=f"{unit.name_en}: {rule.measure_en} {value_en}; its stated rank bounds contradict the "
                f"figures, so the quota is undetermined ({de}){ce}",
                warnings=warnings, depends_on_missing=missing, **common,
            )
        if lo_tier != hi_tier:
            options_zh = "或".join(f"{t.label_zh}（不超过{t.quota}个）" for t in rule.tiers[lo_tier: hi_tier + 1])
            options_en = " or ".join(f"{t.label_en} (at most {t.quota})" for t in rule.tiers[lo_tier: hi_tier + 1])
            miss_zh = "、".join(missing) if missing else "无"
            miss_en = ", ".join(missing) if missing else "none"
            return self._base(
                unit, level, rule, quota=None, status="undetermined", via=None,
                basis_zh=f"{unit.name}{rule.measure_zh}{value_zh}，全国排名只能确定在{rank_zh}，可能属于{options_zh}，"
                f"名额待定；取决于以下缺失数据：{miss_zh}（{dz}）{cz}",
                basis_en=f"{unit.name_en}: {rule.measure_en} {value_en}; its national rank is known only to be "
                f"within {rank_en}, which may fall in {options_en}; the quota is undetermined and depends on the "
                f"missing figures of: {miss_en} ({de}){ce}",
                warnings=["缺少数据，名额待定 / figures missing, quota undetermined"],
                depends_on_missing=missing, **common,
            )
        tier = rule.tiers[lo_tier]
        if missing or fig.value is None:
            sure_zh = "；无论缺失数据的省份排在何处，均属同一档次"
            sure_en = "; wherever the provinces with missing figures rank, the tier is the same"
        else:
            sure_zh = sure_en = ""
        if bounds.tied_with:
            span_end = bounds.lo + len(bounds.tied_with)
            if rule.tier_for_rank(span_end) != lo_tier:
                warnings.append(
                    f"与{'、'.join(bounds.tied_with)}并列第{bounds.lo}位，并列跨越档次分界，按并列取较好名次处理 / "
                    f"tied at rank {bounds.lo} with {', '.join(bounds.tied_with)}; the tie straddles a tier "
                    "boundary and all tied provinces take the better rank"
                )
        warnings += self._margin_warnings(unit.name, rule, table, ranking)
        margin = margin_across(unit.name, rule, table, ranking)
        mz = me = ""
        if margin is not None:
            other, orank, gap, pct = margin
            above = fig.value > table.get(other).value
            mz = (f"；距最近的档次分界：{'高于' if above else '低于'}分界另一侧最近的{other}（第{orank}位，"
                  f"{_fmt(table.get(other).value)}{ds.unit_zh}）{_fmt(gap)}{ds.unit_zh}，为两者较小值的{pct:.1f}%")
            me = (f"; margin to the nearest tier boundary: {_fmt(gap)} ({ds.unit_en}) {'above' if above else 'below'} "
                  f"{other} (rank {orank}, {_fmt(table.get(other).value)}) across it, {pct:.1f}% of the smaller figure")
            common.update(margin=gap, margin_pct=round(pct, 4), margin_to=other, margin_to_rank=orank)
        return self._base(
            unit, level, rule, quota=tier.quota, status="ok", via=None,
            basis_zh=f"{unit.name}{rule.measure_zh}{value_zh}，全国{rank_zh}（{tier.label_zh}）→ {level.zh}推荐不超过"
            f"{tier.quota}个{sure_zh}{mz}（{dz}）{cz}",
            basis_en=f"{unit.name_en}: {rule.measure_en} {value_en}, national {rank_en} ({tier.label_en}) → at most "
            f"{tier.quota} {level.value}-level projects{sure_en}{me} ({de}){ce}",
            warnings=warnings, depends_on_missing=missing, **common,
        )

    def _margin_warnings(self, province: str, rule: QuotaRule, table: ReferenceTable, ranking: RankingResult) -> list[str]:
        """Warn when a province next to a tier boundary is within MARGIN_WARNING of its neighbour across it."""
        fig = table.get(province)
        b = ranking.bounds[province]
        if fig.value is None or b.lo != b.hi:
            return []
        out = []
        for other, ob in ranking.bounds.items():
            ofig = table.get(other)
            if other == province or ofig.value is None or ob.lo != ob.hi or abs(ob.lo - b.lo) != 1:
                continue
            if rule.tier_for_rank(ob.lo) == rule.tier_for_rank(b.lo):
                continue
            gap = abs(fig.value - ofig.value) / min(fig.value, ofig.value)
            if gap < MARGIN_WARNING:
                out.append(
                    f"与档次分界另一侧的{other}（第{ob.lo}位，{_fmt(ofig.value)}{table.dataset.unit_zh}）仅相差{gap:.1%}，"
                    f"数据状态：{STATUS_ZH.get(fig.status, fig.status)}/{STATUS_ZH.get(ofig.status, ofig.status)}，建议核实 / "
                    f"only {gap:.1%} from {other} (rank {ob.lo}, {_fmt(ofig.value)}) across the tier boundary; "
                    f"data status {fig.status}/{ofig.status}: confirm where possible"
                )
        return out

    def _kind_count_tier(self, unit: Unit, level: Level, rule: QuotaRule) -> QuotaResult:
        table = self.table(rule.dataset)
        fig = table.get(unit.name)
        cz, ce = _cite(self.notice, rule)
        dz, de = _data_note(table, unit.name)
        common = dict(figure=fig.value, data_status=fig.status, data_source=fig.source,
                      user_figures=self.user_figures(rule.dataset), reference_file=table.label,
                      source_status_zh=fig.source_status_zh, source_status_en=fig.source_status_en)
        if fig.value is None:
            return self._base(
                unit, level, rule, quota=None, status="undetermined", via=None,
                basis_zh=f"{unit.name}{rule.measure_zh}缺失，名额待定（可能为"
                f"{'、'.join(str(t.quota) for t in rule.tiers)}个）；取决于缺失数据：{unit.name}（{dz}）{cz}",
                basis_en=f"{unit.name_en}: the {rule.measure_en} is missing, so the quota is undetermined (one of "
                f"{', '.join(str(t.quota) for t in rule.tiers)}); it depends on the missing figure of {unit.name} ({de}){ce}",
                warnings=["缺少数据，名额待定 / figure missing, quota undetermined"],
                depends_on_missing=[unit.name], **common,
            )
        tier = rule.tiers[rule.tier_for_count(fig.value)]
        return self._base(
            unit, level, rule, quota=tier.quota, status="ok", via=None,
            basis_zh=f"{unit.name}{rule.measure_zh}为{_fmt(fig.value)}个（{tier.label_zh}）→ {level.zh}推荐不超过"
            f"{tier.quota}个（{dz}）{cz}",
            basis_en=f"{unit.name_en}: {rule.measure_en} is {_fmt(fig.value)} ({tier.label_en}) → at most "
            f"{tier.quota} {level.value}-level projects ({de}){ce}",
            **common,
        )


def margin_across(province: str, rule: QuotaRule, table: ReferenceTable,
                  ranking: RankingResult) -> tuple[str, int, float, float] | None:
    """How safe ``province``'s tier is: the province across the nearest tier boundary whose figure is
    nearest, its rank, the gap (the dataset's unit) and the gap as a percentage of the smaller figure.

    margin = min over the neighbouring tiers of |x_p - x_q|, q the known figure of that tier nearest to
    x_p (the lowest of the tier above, the highest of the tier below); pct = 100 * margin / min(x_p, x_q).
    Only provinces whose rank, and so tier, is certain count. None when the province's own rank is
    uncertain, its figure missing, or no neighbouring tier has a known figure. Ties of the gap go to the
    province named first (by Chinese name), so the answer never depends on the order of the file.
    """
    fig = table.get(province)
    b = ranking.bounds[province]
    if fig.value is None or b.lo != b.hi:
        return None
    mine = rule.tier_for_rank(b.lo)
    best = None
    for other in sorted(ranking.bounds):
        ob, ofig = ranking.bounds[other], table.get(other)
        if other == province or ofig.value is None or ob.lo != ob.hi:
            continue
        if abs(rule.tier_for_rank(ob.lo) - mine) != 1:
            continue
        gap = round(abs(fig.value - ofig.value), 6)
        if best is None or gap < best[2]:
            best = (other, ob.lo, gap, 100 * gap / min(fig.value, ofig.value) if min(fig.value, ofig.value) > 0 else float("inf"))
    return best


def quota_for(
    unit: str | Unit,
    level: str | Level,
    year: int | str,
    data_dir: Path | str | None = None,
    override: int | None = None,
) -> QuotaResult:
    """The quota of one unit (see :class:`QuotaEngine`)."""
    return QuotaEngine(year, data_dir).quota(unit, level, override)


def all_quotas(level: str | Level, year: int | str, data_dir: Path | str | None = None) -> list[QuotaResult]:
    """The quota of every recommending unit of the year and level."""
    return QuotaEngine(year, data_dir).all_units(level)


__all__ = ["QuotaEngine", "QuotaResult", "all_quotas", "quota_for", "PLANNED_CITIES"]
