from __future__ import annotations

import pytest

from quota_opt import InputError, resolve_unit
from quota_opt.units import PROVINCES


@pytest.mark.parametrize(
    "spelling,expected",
    [
        ("广东省", "广东省"), ("广东", "广东省"), ("Guangdong", "广东省"), ("GUANGDONG", "广东省"),
        ("内蒙古", "内蒙古自治区"), ("inner mongolia", "内蒙古自治区"), ("Inner-Mongolia", "内蒙古自治区"),
        ("新疆", "新疆维吾尔自治区"), ("XPCC", "新疆生产建设兵团"), ("兵团", "新疆生产建设兵团"),
        ("shenzhen", "深圳市"), ("central-enterprise", "中央企业"), ("中央企业", "中央企业"),
        ("Shaanxi", "陕西省"), ("shanxi", "山西省"), ("　广东　", "广东省"), ("Xizang", "西藏自治区"),
    ],
)
def test_unit_names_are_recognised_in_every_spelling(spelling, expected):
    assert resolve_unit(spelling).name == expected


def test_every_province_resolves_by_full_short_and_english_name():
    for p in PROVINCES:
        for spelling in (p.name, p.short, p.name_en, p.name_en.upper()):
            assert resolve_unit(spelling) == p


def test_unknown_unit_lists_closest_matches():
    with pytest.raises(InputError) as exc:
        resolve_unit("Guangdon")
    assert "广东省" in exc.value.message_zh and "closest" in exc.value.message_en


def test_named_central_enterprise_carries_its_group():
    unit = resolve_unit("中央企业:中国宝武钢铁集团")
    assert unit.unit_type.value == "central_enterprise" and unit.group == "中国宝武钢铁集团"
