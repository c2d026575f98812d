"""Seeded factories of candidate pools in the shape validation and eligibility hand over.

``make_pool(n, seed=42, **overrides)`` gives ``n`` eligible excellent-level candidates of one
province with every canonical column. Overrides:

* a column name with a scalar (broadcast) or a sequence of length ``n`` replaces that column;
* ``cities`` / ``industries``: the lists to draw from;
* ``group_share``: the share of projects that belong to a multi-enterprise group (default 0.3).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from quota_opt.columns import STAGE_COLUMNS

CITIES = ("成都市", "绵阳市", "德阳市", "宜宾市", "泸州市", "南充市", "乐山市", "自贡市", "眉山市", "遂宁市",
          "内江市", "达州市", "广元市", "雅安市", "资阳市", "攀枝花市", "巴中市", "广安市")
INDUSTRIES = ("汽车制造业", "电气机械和器材制造业", "计算机、通信和其他电子设备制造业", "化学原料和化学制品制造业",
              "医药制造业", "酒、饮料和精制茶制造业", "通用设备制造业", "专用设备制造业", "黑色金属冶炼和压延加工业",
              "有色金属冶炼和压延加工业", "食品制造业", "铁路、船舶、航空航天和其他运输设备制造业")
GROUPS = ("东方电气集团", "长虹控股集团", "五粮液集团", "泸州老窖集团", "川开集团", "通威集团", "新希望集团", "科伦集团")


def make_pool(n: int, seed: int = 42, *, cities: Sequence[str] = CITIES, industries: Sequence[str] = INDUSTRIES,
              group_share: float = 0.3, **overrides) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    width = max(3, len(str(n)))
    ids = [f"SC-{i + 1:0{width}d}" for i in range(n)]
    enterprise = [f"四川{ind[:2]}智造{i + 1:0{width}d}有限公司" for i, ind in
                  enumerate(rng.choice(list(industries), size=n))]
    in_group = rng.random(n) < group_share
    group = np.where(in_group, rng.choice(list(GROUPS), size=n), "")

    def pct(lo: float, hi: float, missing: float = 0.0) -> np.ndarray:
        x = np.round(rng.uniform(lo, hi, n), 1)
        if missing:
            x[rng.random(n) < missing] = np.nan
        return x

    frame = pd.DataFrame({
        "project_id": ids,
        "project_name": [f"智能工厂项目{i + 1}" for i in range(n)],
        "enterprise": enterprise,
        "province": "四川省",
        "city": rng.choice(list(cities), size=n),
        "industry": rng.choice(list(industries), size=n),
        "group": group,
        "level": "excellent",
        "current_rating": "advanced",
        "maturity_level": rng.integers(3, 6, n),
        **{c: True for c in STAGE_COLUMNS},
        "ai_scenario_share": pct(5, 60),
        "expert_score": pct(60, 95),
        "efficiency_gain": pct(10, 60),
        "cost_reduction": pct(5, 40),
        "defect_reduction": pct(10, 60),
        "rd_cycle_reduction": pct(5, 50, missing=0.05),
        "energy_reduction": pct(3, 30, missing=0.05),
        "investment": np.round(rng.uniform(5_000, 200_000, n), 0),
        "row": np.arange(2, n + 2),
    })
    for key, value in overrides.items():
        if isinstance(value, (list, tuple, np.ndarray, pd.Series)):
            if len(value) != n:
                raise ValueError(f"override {key} has {len(value)} values for {n} rows")
            frame[key] = list(value)
        else:
            frame[key] = value
    return frame
