"""Quota page: the quota of every unit for a year and level, with its basis, data source and status."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from quota_opt import QuotaEngine, QuotaOptError, available_years, load_notice
from quota_opt.columns import Level

st.title("推荐名额 / Quotas")

years = available_years()
col1, col2 = st.columns(2)
year = col1.selectbox("通知年度 / Notice year", years, index=len(years) - 1, key="quota_year")
notice = load_notice(year)
level = col2.selectbox(
    "层级 / Level",
    [lv.value for lv in notice.levels],
    format_func=lambda v: f"{Level(v).zh} / {v}",
    key="quota_level",
)
st.caption(f"{notice.document}　{notice.title_zh}（{notice.date}）")


@st.cache_data(show_spinner=False)
def _quotas(year: int, level: str) -> list[dict]:
    return [r.to_dict() for r in QuotaEngine(year).all_units(level)]


try:
    rows = _quotas(year, level)
except QuotaOptError as exc:
    st.error(f"{exc.message_zh}\n\n{exc.message_en}")
    st.stop()

table = pd.DataFrame(rows)
table["quota"] = table["quota"].astype("Int64")
shown = table[["unit", "unit_type", "quota", "status", "via", "rank_min", "rank_max", "data_status", "basis_zh"]]
st.dataframe(
    shown,
    hide_index=True,
    use_container_width=True,
    column_config={
        "unit": "推荐单位 Unit",
        "unit_type": "类型 Type",
        "quota": "名额 Quota",
        "status": "状态 Status",
        "via": "经由 Via",
        "rank_min": "最好名次 Best rank",
        "rank_max": "最差名次 Worst rank",
        "data_status": "数据状态 Data status",
        "basis_zh": "依据 Basis",
    },
    key="quota_table",
)
undetermined = table[table["status"] == "undetermined"]["unit"].tolist()
if undetermined:
    st.warning(
        f"{len(undetermined)} 个单位的名额因数据缺失或通知未规定而待定 / "
        f"{len(undetermined)} units' quotas are undetermined (missing figures or no rule): {'、'.join(undetermined)}"
    )

unit = st.selectbox("查看单位 / Show one unit", table["unit"].tolist(), key="quota_unit")
row = next(r for r in rows if r["unit"] == unit)
quota_text = "—" if row["quota"] is None else str(row["quota"])
st.metric(f"{unit} {Level(level).zh}名额 / quota", quota_text, help=row["status"])
st.text(row["basis_zh"])
st.text(row["basis_en"])
if row.get("data_source"):
    st.caption(f"数据来源 / source（{row['data_status']}）：{row['data_source']}")
for warning in row["warnings"]:
    st.warning(warning)
