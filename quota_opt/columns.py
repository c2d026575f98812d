"""Column names, enumerations and their Chinese and English aliases, defined once.

Nothing else in quota-opt spells a header or an enumeration value: loaders, validators,
exporters and the app all read them from here.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from enum import Enum


def normalise_text(text: object) -> str:
    """NFKC-fold (full-width to half-width), strip, and collapse inner white space."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text))
    return " ".join(folded.split())


def alias_key(text: object) -> str:
    """A key for alias look-up: normalised, lower case, without spaces, '-', '_' or '.'."""
    key = normalise_text(text).lower()
    for ch in " -_.·・/":
        key = key.replace(ch, "")
    return key


class _AliasEnum(str, Enum):
    """A string enumeration whose members accept several aliases (Chinese, English, codes)."""

    @classmethod
    def aliases(cls) -> dict[str, "_AliasEnum"]:
        table: dict[str, _AliasEnum] = {}
        for member in cls:
            for alias in (member.value, member.zh, *member.extra_aliases()):
                table[alias_key(alias)] = member
        return table

    @classmethod
    def parse(cls, value: object) -> "_AliasEnum | None":
        """The member named by ``value`` in any accepted spelling, or None."""
        return cls.aliases().get(alias_key(value))

    @property
    def zh(self) -> str:
        return self._ZH[self.value]  # type: ignore[attr-defined]

    def extra_aliases(self) -> tuple[str, ...]:
        return self._EXTRA.get(self.value, ())  # type: ignore[attr-defined]


class Level(_AliasEnum):
    """The two levels a unit recommends to MIIT."""

    EXCELLENT = "excellent"
    LEADING = "leading"


Level._ZH = {"excellent": "卓越级", "leading": "领航级"}
Level._EXTRA = {
    "excellent": ("卓越", "卓越级智能工厂", "outstanding", "premium", "e"),
    "leading": ("领航", "领航级智能工厂", "pilot", "navigation", "l"),
}


class Rating(_AliasEnum):
    """A factory's current smart-factory rating, ordered none < basic < advanced < excellent."""

    NONE = "none"
    BASIC = "basic"
    ADVANCED = "advanced"
    EXCELLENT = "excellent"

    @property
    def order(self) -> int:
        return list(Rating).index(self)


Rating._ZH = {"none": "无", "basic": "基础级", "advanced": "先进级", "excellent": "卓越级"}
Rating._EXTRA = {
    "none": ("未获评", "没有", "否", "", "-", "—"),
    "basic": ("基础",),
    "advanced": ("先进",),
    "excellent": ("卓越",),
}


class UnitType(str, Enum):
    PROVINCE = "province"
    CORPS = "corps"
    CENTRAL_ENTERPRISE = "central_enterprise"
    PLANNED_CITY = "planned_city"


UNIT_TYPE_ZH = {
    UnitType.PROVINCE: "省（区、市）",
    UnitType.CORPS: "新疆生产建设兵团",
    UnitType.CENTRAL_ENTERPRISE: "中央企业",
    UnitType.PLANNED_CITY: "计划单列市",
}

# Yes/no cells: every spelling officials use.
YES_VALUES = frozenset(alias_key(v) for v in ("1", "是", "y", "yes", "true", "√", "✓", "✔", "有", "t"))
NO_VALUES = frozenset(alias_key(v) for v in ("0", "否", "n", "no", "false", "×", "✗", "✘", "x", "无", "f"))


@dataclass(frozen=True)
class Column:
    """One column of the candidate table contract."""

    name: str  # canonical English name
    zh: str  # the official Chinese header
    kind: str  # text | id | province | level | rating | maturity | yesno | percent | number | credit_code
    required: bool = False
    min_value: float | None = None
    max_value: float | None = None
    aliases: tuple[str, ...] = ()
    en_label: str = ""

    @property
    def label_en(self) -> str:
        return self.en_label or self.name.replace("_", " ")


STAGE_COLUMNS = (
    "stage_factory_construction",
    "stage_rd_design",
    "stage_production_operations",
    "stage_production_management",
    "stage_operation_management",
)

PERFORMANCE_COLUMNS = ("efficiency_gain", "cost_reduction", "defect_reduction", "rd_cycle_reduction", "energy_reduction")

CANDIDATE_COLUMNS: tuple[Column, ...] = (
    Column("project_id", "项目编号", "id", required=True, aliases=("编号", "id", "project id", "项目id")),
    Column("project_name", "项目名称", "text", required=True, aliases=("name", "project")),
    Column("enterprise", "申报单位", "text", required=True, aliases=("企业名称", "申报企业", "company", "applicant")),
    Column("credit_code", "统一社会信用代码", "credit_code", aliases=("信用代码", "uscc", "credit code")),
    Column("province", "所在省份", "province", required=True, aliases=("省份", "所在省", "省（区、市）")),
    Column("city", "所在城市", "text", required=True, aliases=("城市", "所在地市", "地市")),
    Column("industry", "所属行业", "text", required=True, aliases=("行业",)),
    Column("group", "所属集团", "text", aliases=("集团", "enterprise group")),
    Column("level", "申报层级", "level", required=True, aliases=("层级", "申报级别")),
    Column("current_rating", "已获评层级", "rating", required=True, aliases=("已获评级", "现有层级", "rating")),
    Column("maturity_level", "智能制造能力成熟度等级", "maturity", required=True, min_value=1, max_value=5,
           aliases=("成熟度等级", "成熟度", "maturity")),
    Column("stage_factory_construction", "工厂建设", "yesno", required=True),
    Column("stage_rd_design", "研发设计", "yesno", required=True),
    Column("stage_production_operations", "生产作业", "yesno", required=True),
    Column("stage_production_management", "生产管理", "yesno", required=True),
    Column("stage_operation_management", "运营管理", "yesno", required=True),
    Column("ai_scenario_share", "人工智能场景占比", "percent", required=True, min_value=0, max_value=100,
           aliases=("ai场景占比", "ai share"), en_label="AI scenario share"),
    Column("expert_score", "专家评审得分", "number", min_value=0, max_value=100, aliases=("专家得分", "评审得分")),
    Column("efficiency_gain", "生产效率提升", "percent", min_value=0),
    Column("cost_reduction", "运营成本降低", "percent", min_value=0, max_value=100),
    Column("defect_reduction", "产品不良品率降低", "percent", min_value=0, max_value=100),
    Column("rd_cycle_reduction", "研制周期缩短", "percent", min_value=0, max_value=100,
           en_label="R&D cycle reduction"),
    Column("energy_reduction", "单位产值能耗降低", "percent", min_value=0, max_value=100),
    Column("investment", "项目总投资（万元）", "number", min_value=0, aliases=("项目总投资", "总投资", "投资额（万元）")),
)

COLUMNS_BY_NAME: dict[str, Column] = {c.name: c for c in CANDIDATE_COLUMNS}

# Columns a weighted score may use out of the box (any further numeric column may be added by header).
CRITERION_COLUMNS = ("expert_score", "ai_scenario_share", *PERFORMANCE_COLUMNS, "investment", "maturity_level")


def header_aliases(columns: tuple[Column, ...] | None = None) -> dict[str, str]:
    """Every accepted header spelling (normalised) of ``columns`` (default: the candidates') mapped to its canonical name."""
    return dict(_header_alias_table() if columns is None else _alias_table(columns))


@functools.cache
def _header_alias_table() -> dict[str, str]:
    return _alias_table(CANDIDATE_COLUMNS)


def _alias_table(columns) -> dict[str, str]:
    table: dict[str, str] = {}
    for col in columns:
        for alias in (col.name, col.zh, col.label_en, *col.aliases):
            table[alias_key(alias)] = col.name
    return table


def column_label(name: str, lang: str = "zh") -> str:
    """The display label of a canonical column in Chinese ('zh') or English ('en')."""
    col = COLUMNS_BY_NAME.get(name)
    if col is None:
        return name
    return col.zh if lang == "zh" else col.label_en


# ---------------------------------------------------------------------------------------------
# Cell parsers shared by the loader, the validator and the template. Each takes a cell as the
# user typed it (any type), and either returns the parsed value or raises ValueError.

# Cells officials type to mean "nothing here"; an optional number holding one of these is empty.
EMPTY_PLACEHOLDERS = frozenset(alias_key(v) for v in ("", "-", "—", "——", "–", "/", "\\", "无", "暂无", "n/a", "na", "none", "null"))

# A column numbering the rows (序号): recognised as a row number, never a scoring criterion.
ROW_NUMBER_HEADERS = frozenset(alias_key(v) for v in ("序号", "行号", "编号序号", "no", "no.", "#", "s/n", "serial number"))

# How officials begin the lines they write below a table: instructions, remarks, footnotes, totals,
# signatures. A row after the data that begins so is a note, not a candidate.
NOTE_MARKERS = ("填表说明", "填报说明", "说明", "备注", "注：", "注:", "注1", "注①", "合计", "总计", "小计",
                "制表", "填表人", "填报人", "审核", "联系人", "联系电话", "填报日期", "填表日期", "单位（盖章）")


def is_note_text(text: object) -> bool:
    """True when a cell begins the way a note below a table does (填表说明, 备注, 注：, 合计...)."""
    folded = normalise_text(text)
    return any(folded.startswith(normalise_text(m)) for m in NOTE_MARKERS)


# Units a number cell may carry after the figure, per column ("5000万元", "86分").
NUMBER_SUFFIXES: dict[str, tuple[str, ...]] = {
    "investment": ("万元", "万"),
    "expert_score": ("分",),
}

class NotWholeError(ValueError):
    """A number where a whole number is needed (maturity level "3.5")."""


_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "零": 0, "〇": 0}


def is_blank(value: object) -> bool:
    """True for None, NaN and cells holding only white space."""
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    return normalise_text(value) == ""


def parse_yes_no(value: object) -> bool | None:
    """True or False for every yes/no spelling (1/0, 是/否, Y/N, true/false, √/×); None if unrecognised."""
    key = alias_key(value)
    if key in YES_VALUES:
        return True
    if key in NO_VALUES:
        return False
    return None


def _number_text(value: object, suffixes: tuple[str, ...] = ()) -> str:
    text = normalise_text(value).replace(" ", "")
    for suffix in sorted(suffixes, key=len, reverse=True):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            break
    # Thousands separators: "1,234,567.5" (the NFKC fold already made "，" a ",").
    if "," in text:
        head, _, _ = text.partition(".")
        groups = head.lstrip("+-").split(",")
        if len(groups) < 2 or not groups[0] or any(len(g) != 3 for g in groups[1:]):
            raise ValueError(f"misplaced thousands separator in {value!r}")
        text = text.replace(",", "")
    return text


def parse_number(value: object, suffixes: tuple[str, ...] = ()) -> float:
    """A finite number from a cell: thousands separators, full-width digits and a unit suffix allowed.

    Raises ValueError when the cell is not a number (including 'nan' and 'inf').
    """
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = _number_text(value, suffixes)
        if not text or not any(ch.isdigit() for ch in text):
            raise ValueError(f"not a number: {value!r}")
        if any(ch not in "0123456789.+-eE" for ch in text):
            raise ValueError(f"not a number: {value!r}")
        number = float(text)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"not a finite number: {value!r}")
    return number


def parse_percent(value: object) -> float:
    """A percentage in points: "35%", "35 ％" and "35" all read as 35.0. Raises ValueError."""
    text = normalise_text(value).replace(" ", "") if not isinstance(value, (int, float)) else value
    if isinstance(text, str) and text.endswith("%"):
        text = text[:-1]
    return parse_number(text)


def parse_maturity(value: object) -> int:
    """A maturity level as an integer: "三级", "3级", "3", "L3", "Level 3", "3.0" all read as 3.

    Raises ValueError when the cell names no number, and its subclass NotWholeError for "3.5".
    """
    text = normalise_text(value).replace(" ", "")
    lowered = text.lower()
    for prefix in ("level", "l", "第"):
        if lowered.startswith(prefix) and len(lowered) > len(prefix):
            text = text[len(prefix):]
            break
    for suffix in ("级", "level"):
        if text.lower().endswith(suffix):
            text = text[: -len(suffix)]
            break
    if len(text) == 1 and text in _CHINESE_DIGITS:
        return _CHINESE_DIGITS[text]
    number = parse_number(text)
    if number != int(number):
        raise NotWholeError(f"not a whole number: {value!r}")
    return int(number)


def canonical_header(header: object, table: dict[str, str] | None = None) -> str | None:
    """The canonical column a header names (among ``table``'s aliases; default the candidates'), or None.

    Besides the exact aliases, a header may carry a required-mark ("*项目编号", "项目编号（必填）")
    or a unit in brackets ("人工智能场景占比（%）", "项目总投资(万元)").
    """
    table = _header_alias_table() if table is None else table
    key = alias_key(header)
    if key in table:
        return table[key]
    stripped = key.strip("*＊")
    for tail in ("(必填)", "(选填)", "(%)", "%", "(万元)", "(分)", "(是/否)", "(1-5)"):
        if stripped.endswith(tail) and len(stripped) > len(tail):
            stripped = stripped[: -len(tail)].strip("*")
    return table.get(stripped)
# ---------------------------------------------------------------- scoring and recommendation enumerations


class Direction(_AliasEnum):
    """Whether a higher value of a criterion is better (benefit) or worse (cost)."""

    BENEFIT = "benefit"
    COST = "cost"


Direction._ZH = {"benefit": "效益型（越大越好）", "cost": "成本型（越小越好）"}
Direction._EXTRA = {
    "benefit": ("效益型", "效益", "正向", "越大越好", "max", "maximise", "maximize", "higher", "positive"),
    "cost": ("成本型", "成本", "负向", "逆向", "越小越好", "min", "minimise", "minimize", "lower", "negative"),
}


class ScoringMethod(_AliasEnum):
    """How raw criterion values become comparable 0-1 values. Only min-max is offered."""

    MINMAX = "minmax"


ScoringMethod._ZH = {"minmax": "极差标准化（min-max）"}
ScoringMethod._EXTRA = {"minmax": ("min-max", "极差标准化", "极差法", "极值标准化", "range")}


class WeightMethod(_AliasEnum):
    """Where the criterion weights come from."""

    MANUAL = "manual"
    AHP = "ahp"
    ENTROPY = "entropy"
    BLEND = "blend"


WeightMethod._ZH = {"manual": "直接赋权", "ahp": "层次分析法", "entropy": "熵权法", "blend": "组合赋权"}
WeightMethod._EXTRA = {
    "manual": ("直接", "人工赋权", "主观赋权", "given", "weights"),
    "ahp": ("层次分析", "analytic hierarchy process", "saaty"),
    "entropy": ("熵权", "熵值法", "entropy weight", "ewm"),
    "blend": ("组合", "组合权重", "主客观组合赋权", "combined", "combination"),
}


class BlendForm(_AliasEnum):
    """How subjective (AHP or given) and entropy weights are combined."""

    LINEAR = "linear"
    MULTIPLICATIVE = "multiplicative"


BlendForm._ZH = {"linear": "线性加权组合", "multiplicative": "乘法合成归一化"}
BlendForm._EXTRA = {
    "linear": ("线性", "加法", "additive", "weighted sum"),
    "multiplicative": ("乘法", "乘法合成", "product", "geometric"),
}


class ReasonCode(_AliasEnum):
    """Why an eligible project was not recommended (the app and exports translate these)."""

    EXCLUDED = "excluded"
    BELOW_MIN_SCORE = "below_min_score"
    GROUP_CAP = "group_cap_full"
    INDUSTRY_CAP = "industry_cap_full"
    CITY_CAP = "city_cap_full"
    QUOTA_FULL = "quota_full"
    RULES_CONFLICT = "rules_conflict"

    @property
    def en(self) -> str:
        return self._EN[self.value]  # type: ignore[attr-defined]


ReasonCode._ZH = {
    "excluded": "用户指定不推荐",
    "below_min_score": "得分低于最低分",
    "group_cap_full": "所属集团名额已满",
    "industry_cap_full": "所属行业名额已满",
    "city_cap_full": "所在城市名额已满",
    "quota_full": "推荐名额已满",
    "rules_conflict": "推荐规则无法同时满足",
}
ReasonCode._EN = {
    "excluded": "excluded by the user",
    "below_min_score": "below the minimum score",
    "group_cap_full": "its group's cap is full",
    "industry_cap_full": "its industry's cap is full",
    "city_cap_full": "its city's cap is full",
    "quota_full": "the quota is full",
    "rules_conflict": "the rules cannot all hold",
}
ReasonCode._EXTRA = {}

# Headers of the outputs (summary table, exports, app), Chinese and English. Candidate columns use
# their own labels (CANDIDATE_COLUMNS); these are the columns quota-opt adds.
OUTPUT_LABELS: dict[str, tuple[str, str]] = {
    "rank": ("优先顺序", "Priority"),
    "score": ("得分", "Score"),
    "reason_code": ("原因代码", "Reason code"),
    "reason": ("未推荐原因", "Reason not recommended"),
    "blocked_by": ("占用名额的项目", "Places taken by"),
    "row": ("行号", "Row"),
    "failed_rules": ("未满足的条件", "Failed rules"),
    "messages": ("说明", "Details"),
    "problems": ("问题", "Problems"),
    "item": ("项目", "Item"),
    "value": ("内容", "Value"),
}


def output_label(name: str, lang: str = "zh") -> str:
    """The display label of an output column (or of a candidate column) in 'zh' or 'en'."""
    if name in OUTPUT_LABELS:
        zh, en = OUTPUT_LABELS[name]
        return zh if lang == "zh" else en
    return column_label(name, lang)


# ---------------------------------------------------------------- the expert panel (专家评审; issue 11)
# Score sheets (long form: one row per expert, project and optionally item; wide form: one sheet per
# expert), the experts table, the 回避 (recusal) table and the optional scoring scheme.

PANEL_COLUMNS: tuple[Column, ...] = (
    Column("expert_id", "专家编号", "id", required=True,
           aliases=("专家代码", "评审专家编号", "专家号", "expert", "expert id", "reviewer", "reviewer id")),
    Column("project_id", "项目编号", "id", required=True, aliases=COLUMNS_BY_NAME["project_id"].aliases),
    Column("item", "评分项", "text", aliases=("评分项目", "评价指标", "评分指标", "指标", "item", "criterion")),
    Column("score", "得分", "number", min_value=0, max_value=100,
           aliases=("评分", "分数", "打分", "总分", "合计", "score", "total")),
    Column("expert_name", "姓名", "text", aliases=("专家姓名", "expert name")),
    Column("employer", "工作单位", "text", aliases=("单位", "所在单位", "任职单位", "employer", "workplace")),
    Column("group", "所属集团", "text", aliases=COLUMNS_BY_NAME["group"].aliases),
    Column("max_score", "满分", "number", min_value=0, aliases=("最高分", "分值上限", "max score", "maximum")),
    Column("recusal_reason", "回避原因", "text", aliases=("原因", "理由", "reason")),
)
PANEL_COLUMNS_BY_NAME: dict[str, Column] = {c.name: c for c in PANEL_COLUMNS}
PANEL_DEFAULT_MAX = 100.0  # a total score's range without a scoring scheme: 0-100
# Columns a score sheet may carry that are neither scores nor ids: read past without a warning.
PANEL_INFO_HEADERS = frozenset(alias_key(h) for h in ("序号", "备注", "签名", "签字", "no", "remarks", "note"))

# The header row of each panel table: the columns it must and may have.
PANEL_TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "scores": (("project_id",), ("expert_id", "item", "score")),
    "experts": (("expert_id",), ("expert_name", "employer", "group")),
    "recusals": (("expert_id", "project_id"), ("recusal_reason",)),
    "scheme": (("item", "max_score"), ()),
}


def panel_header(header: object) -> str | None:
    """The panel column a header names, or None (required marks and units allowed, as for candidates)."""
    return canonical_header(header, header_aliases(PANEL_COLUMNS))


def panel_or_candidate_header(header: object) -> str | None:
    """A panel column, else a candidate column (a score sheet may repeat 项目名称, 申报单位...): what marks a header row."""
    return panel_header(header) or canonical_header(header)


class AggregateRule(_AliasEnum):
    """How an expert panel's valid scores on a project become its score."""

    TRIMMED = "trimmed"
    MEAN = "mean"
    MEDIAN = "median"


AggregateRule._ZH = {"trimmed": "去掉一个最高分和一个最低分后取平均", "mean": "算术平均", "median": "中位数"}
AggregateRule._EXTRA = {
    "trimmed": ("去掉最高最低", "去极值平均", "截尾平均", "trimmed mean", "olympic"),
    "mean": ("平均", "平均分", "均值", "average", "arithmetic mean"),
    "median": ("中位", "中值"),
}


class PanelExclusion(_AliasEnum):
    """Why an expert's score on a project does not enter the project's panel score."""

    OWN_ENTERPRISE = "own_enterprise"
    OWN_GROUP = "own_group"
    DECLARED = "declared_recusal"
    UNKNOWN_PROJECT = "unknown_project"
    OUT_OF_RANGE = "out_of_range"
    DUPLICATE = "duplicate"
    NOT_A_NUMBER = "not_a_number"
    INCOMPLETE = "incomplete_items"
    TOTAL_MISMATCH = "total_mismatch"
    UNKNOWN_ITEM = "unknown_item"

    @property
    def en(self) -> str:
        return self._EN[self.value]  # type: ignore[attr-defined]

    @property
    def recusal(self) -> bool:
        """True for a conflict of interest (回避), False for a score that could not be read or checked."""
        return self in (PanelExclusion.OWN_ENTERPRISE, PanelExclusion.OWN_GROUP, PanelExclusion.DECLARED)


PanelExclusion._ZH = {
    "own_enterprise": "回避：专家工作单位即申报单位",
    "own_group": "回避：专家与项目同属一个集团",
    "declared_recusal": "回避：列于回避表",
    "unknown_project": "项目编号不在候选项目表中",
    "out_of_range": "得分超出范围",
    "duplicate": "重复评分",
    "not_a_number": "得分不是数字",
    "incomplete_items": "评分项不全",
    "total_mismatch": "总分与各评分项之和不符",
    "unknown_item": "评分项不在评分标准中",
}
PanelExclusion._EN = {
    "own_enterprise": "recused: the expert works for the applicant",
    "own_group": "recused: the expert and the project belong to the same group",
    "declared_recusal": "recused: listed in the recusal table",
    "unknown_project": "project id not in the candidate file",
    "out_of_range": "score out of range",
    "duplicate": "scored twice",
    "not_a_number": "score is not a number",
    "incomplete_items": "items missing",
    "total_mismatch": "total differs from the sum of its items",
    "unknown_item": "item not in the scoring scheme",
}
PanelExclusion._EXTRA = {}

# The rule id a project without a panel score fails in ``recommend --panel`` (set aside like an ineligible one).
PANEL_MIN_EXPERTS_RULE = "panel-min-experts"
