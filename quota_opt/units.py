"""Recommending units: the 31 provinces, the Corps, the planned cities and central enterprises.

Each unit is recognised by its full Chinese name, its short name, and English or pinyin in
any case. :func:`resolve_unit` is the one place a user's spelling becomes a canonical unit.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from .columns import UnitType, alias_key, normalise_text
from .errors import InputError


@dataclass(frozen=True)
class Unit:
    name: str  # canonical full Chinese name
    unit_type: UnitType
    name_en: str
    short: str = ""
    parent: str | None = None  # a planned city's province
    group: str | None = None  # a named central enterprise's group
    aliases: tuple[str, ...] = ()

    @property
    def all_aliases(self) -> tuple[str, ...]:
        return (self.name, self.short, self.name_en, *self.aliases)


# (full name, short name, English, extra aliases)
_PROVINCES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("北京市", "北京", "Beijing", ("京",)),
    ("天津市", "天津", "Tianjin", ("津",)),
    ("河北省", "河北", "Hebei", ("冀",)),
    ("山西省", "山西", "Shanxi", ("晋",)),
    ("内蒙古自治区", "内蒙古", "Inner Mongolia", ("Nei Mongol", "Neimenggu", "内蒙")),
    ("辽宁省", "辽宁", "Liaoning", ("辽",)),
    ("吉林省", "吉林", "Jilin", ("吉",)),
    ("黑龙江省", "黑龙江", "Heilongjiang", ("黑",)),
    ("上海市", "上海", "Shanghai", ("沪",)),
    ("江苏省", "江苏", "Jiangsu", ("苏",)),
    ("浙江省", "浙江", "Zhejiang", ("浙",)),
    ("安徽省", "安徽", "Anhui", ("皖",)),
    ("福建省", "福建", "Fujian", ("闽",)),
    ("江西省", "江西", "Jiangxi", ("赣",)),
    ("山东省", "山东", "Shandong", ("鲁",)),
    ("河南省", "河南", "Henan", ("豫",)),
    ("湖北省", "湖北", "Hubei", ("鄂",)),
    ("湖南省", "湖南", "Hunan", ("湘",)),
    ("广东省", "广东", "Guangdong", ("粤",)),
    ("广西壮族自治区", "广西", "Guangxi", ("Guangxi Zhuang Autonomous Region", "桂")),
    ("海南省", "海南", "Hainan", ("琼",)),
    ("重庆市", "重庆", "Chongqing", ("渝",)),
    ("四川省", "四川", "Sichuan", ("川", "蜀")),
    ("贵州省", "贵州", "Guizhou", ("黔",)),
    ("云南省", "云南", "Yunnan", ("滇",)),
    ("西藏自治区", "西藏", "Tibet", ("Xizang", "藏")),
    ("陕西省", "陕西", "Shaanxi", ("陕", "秦")),
    ("甘肃省", "甘肃", "Gansu", ("甘", "陇")),
    ("青海省", "青海", "Qinghai", ("青",)),
    ("宁夏回族自治区", "宁夏", "Ningxia", ("Ningxia Hui Autonomous Region", "宁")),
    ("新疆维吾尔自治区", "新疆", "Xinjiang", ("Xinjiang Uygur Autonomous Region", "Xinjiang Uyghur Autonomous Region")),
)

PROVINCES: tuple[Unit, ...] = tuple(
    Unit(name, UnitType.PROVINCE, en, short, aliases=extra) for name, short, en, extra in _PROVINCES
)

CORPS = Unit(
    "新疆生产建设兵团",
    UnitType.CORPS,
    "Xinjiang Production and Construction Corps",
    "兵团",
    aliases=("XPCC", "Corps", "Bingtuan", "Xinjiang Shengchan Jianshe Bingtuan", "新疆兵团"),
)

PLANNED_CITIES: tuple[Unit, ...] = (
    Unit("大连市", UnitType.PLANNED_CITY, "Dalian", "大连", parent="辽宁省"),
    Unit("青岛市", UnitType.PLANNED_CITY, "Qingdao", "青岛", parent="山东省"),
    Unit("宁波市", UnitType.PLANNED_CITY, "Ningbo", "宁波", parent="浙江省"),
    Unit("厦门市", UnitType.PLANNED_CITY, "Xiamen", "厦门", parent="福建省"),
    Unit("深圳市", UnitType.PLANNED_CITY, "Shenzhen", "深圳", parent="广东省"),
)

CENTRAL_ENTERPRISE = Unit(
    "中央企业",
    UnitType.CENTRAL_ENTERPRISE,
    "central-enterprise",
    "央企",
    aliases=("central enterprise", "central enterprises", "有关中央企业", "SOE", "central SOE", "zhongyang qiye"),
)

ALL_UNITS: tuple[Unit, ...] = (*PROVINCES, CORPS, CENTRAL_ENTERPRISE, *PLANNED_CITIES)
PROVINCE_NAMES: tuple[str, ...] = tuple(p.name for p in PROVINCES)

_ALIAS_TABLE: dict[str, Unit] = {}
for _unit in ALL_UNITS:
    for _alias in _unit.all_aliases:
        if _alias:
            _ALIAS_TABLE.setdefault(alias_key(_alias), _unit)
# Single-character abbreviations are accepted only as whole names, never guessed.

_CENTRAL_PREFIXES = tuple(alias_key(a) for a in CENTRAL_ENTERPRISE.all_aliases) + ("中央企业",)


def _closest(name: str, n: int = 3) -> list[str]:
    key = alias_key(name)
    keys = list(_ALIAS_TABLE)
    hits = difflib.get_close_matches(key, keys, n=n * 3, cutoff=0.4)
    seen: list[str] = []
    for hit in hits:
        unit = _ALIAS_TABLE[hit]
        if unit.name not in seen:
            seen.append(unit.name)
    # Substring matches help for Chinese names where difflib's ratio is coarse.
    for k, unit in _ALIAS_TABLE.items():
        if len(key) >= 2 and (key in k or k in key) and len(k) >= 2 and unit.name not in seen:
            seen.append(unit.name)
    return seen[:n]


def lookup_unit(name: object) -> Unit | None:
    """The unit named by ``name`` in any accepted spelling, or None."""
    key = alias_key(name)
    if not key:
        return None
    unit = _ALIAS_TABLE.get(key)
    if unit is not None:
        return unit
    # "中央企业:中国宝武钢铁集团" / "central-enterprise:Baowu" names a particular central enterprise.
    text = normalise_text(name)
    for sep in (":", "：", "/", "|"):
        if sep in text:
            head, _, tail = text.partition(sep)
            if alias_key(head) in _CENTRAL_PREFIXES and tail.strip():
                return central_enterprise(tail.strip())
    return None


def central_enterprise(group: str) -> Unit:
    """A particular central enterprise, recommending its own group's projects."""
    return Unit(
        f"中央企业:{group}",
        UnitType.CENTRAL_ENTERPRISE,
        f"central-enterprise:{group}",
        group=group,
    )


def resolve_unit(name: object) -> Unit:
    """The unit named by ``name``; an unknown name is an :class:`InputError` listing the closest matches."""
    unit = lookup_unit(name)
    if unit is not None:
        return unit
    close = _closest(str(name))
    hint_zh = f"；最接近的是：{'、'.join(close)}" if close else ""
    hint_en = f"; closest matches: {', '.join(close)}" if close else ""
    raise InputError(
        f"未知的推荐单位“{name}”{hint_zh}",
        f"unknown recommending unit '{name}'{hint_en}",
    )


def resolve_province(name: object) -> str | None:
    """The full Chinese name of the province named by ``name``, or None if it names no province."""
    unit = lookup_unit(name)
    if unit is not None and unit.unit_type is UnitType.PROVINCE:
        return unit.name
    return None


def unit_label(unit: Unit, lang: str = "zh") -> str:
    return unit.name if lang == "zh" else unit.name_en
