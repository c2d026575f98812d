"""Candidates page: upload a candidate file or pick a sample pool; see every problem and each project's eligibility.

The page only calls the core (load, validate, eligibility, template). Parsing is cached on the
file's bytes, so switching filters never re-reads the file. The last pool read is kept in
``st.session_state["data_pool"]`` for the pages that follow (a dict: source, sha256, unit, level,
year, candidates, eligible, eligibility).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from quota_opt import QuotaOptError, available_years, load_notice
from quota_opt.columns import Level
from quota_opt.eligibility import check_eligibility
from quota_opt.load import read_table_bytes
from quota_opt.samples import SAMPLES, SAMPLES_BY_NAME
from quota_opt.template import template_bytes
from quota_opt.units import ALL_UNITS
from quota_opt.validate import PROBLEM_LABELS, ProblemCode, validate

st.title("候选项目 / Candidates")
st.caption(
    "上传申报汇总表（.csv 或 .xlsx，UTF-8 或 GBK 均可），或选择示例数据；逐行校验并判断每个项目是否符合推荐条件。 / "
    "Upload the applications (.csv or .xlsx, UTF-8 or GBK) or pick a sample pool; every row is checked and "
    "every project's eligibility decided."
)


@st.cache_data(show_spinner=False, max_entries=16)
def _parse(data: bytes, filename: str, sheet: str | None):
    """Validation of a file's bytes, or the bilingual reason it cannot be read."""
    try:
        return validate(read_table_bytes(data, filename, sheet=sheet)), None
    except QuotaOptError as exc:
        return None, (exc.message_zh, exc.message_en)


@st.cache_data(show_spinner=False)
def _template() -> bytes:
    return template_bytes()


def _apply_sample_defaults() -> None:
    pool = SAMPLES_BY_NAME[st.session_state["data_sample"]]
    st.session_state["data_unit"] = pool.unit
    st.session_state["data_level"] = pool.level
    st.session_state["data_year"] = pool.year


top = st.columns([3, 1])
source = top[0].radio(
    "数据来源 / Source", ["sample", "upload"], horizontal=True, key="data_source",
    format_func=lambda v: {"sample": "示例数据 / Sample pool", "upload": "上传文件 / Upload a file"}[v],
)
top[1].download_button(
    "下载空白模板 / Blank template", _template(), file_name="quota_opt_template.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="data_template",
)

data: bytes | None = None
filename = ""
sheet: str | None = None
if source == "sample":
    if "data_sample" not in st.session_state:
        st.session_state["data_sample"] = SAMPLES[0].name
        _apply_sample_defaults()
    name = st.selectbox(
        "示例数据（合成，非真实项目）/ Sample pool (synthetic)", [s.name for s in SAMPLES], key="data_sample",
        format_func=lambda n: f"{SAMPLES_BY_NAME[n].label_zh} / {SAMPLES_BY_NAME[n].label_en}",
        on_change=_apply_sample_defaults,
    )
    pool = SAMPLES_BY_NAME[name]
    data, filename = pool.path.read_bytes(), pool.file
else:
    uploaded = st.file_uploader("候选项目表 / Candidate file", type=["csv", "xlsx", "xlsm", "txt", "tsv"],
                                key="data_upload")
    if uploaded is not None:
        data, filename = uploaded.getvalue(), uploaded.name
        if filename.lower().endswith((".xlsx", ".xlsm")):
            sheet = st.text_input("工作表（空则第一个）/ Sheet (empty: the first)", key="data_sheet").strip() or None

years = available_years()
st.session_state.setdefault("data_year", years[-1])
st.session_state.setdefault("data_unit", "四川省")
st.session_state.setdefault("data_level", "excellent")
cols = st.columns([2, 1, 1, 2])
unit_names = [u.name for u in ALL_UNITS]
unit = cols[0].selectbox("推荐单位 / Unit", unit_names, key="data_unit")
year = cols[1].selectbox("通知年度 / Year", years, key="data_year")
notice = load_notice(year)
levels = [lv.value for lv in notice.levels]
if st.session_state["data_level"] not in levels:
    st.session_state["data_level"] = levels[0]
level = cols[2].selectbox("层级 / Level", levels, key="data_level", format_func=lambda v: f"{Level(v).zh} / {v}")
group = ""
if unit == "中央企业":
    group = cols[3].text_input(
        "集团名称（空则取项目最多的集团）/ Group (empty: the group most projects name)", key="data_group").strip()

if data is None:
    st.info("请上传文件或选择示例数据 / Upload a file or pick a sample pool.")
    st.stop()

result, failure = _parse(data, filename, sheet)
if failure is not None:
    st.error(f"{failure[0]}\n\n{failure[1]}")
    st.stop()

zh, en = result.summary()
metrics = st.columns(6)
metrics[0].metric("数据行 Rows", result.rows)
metrics[1].metric("有效 Valid", len(result.candidates))
metrics[2].metric("无效 Invalid", len(result.invalid))
metrics[3].metric("错误 Errors", len(result.errors))
metrics[4].metric("提示 Warnings", len(result.warnings))
metrics[5].metric("跳过空行 Empty rows", result.skipped_empty)
(st.success if result.valid else st.error)(f"{zh}\n\n{en}")

st.subheader("问题 / Problems")
if len(result.problems):
    severity = st.multiselect("显示 / Show", ["error", "warning"], default=["error", "warning"], key="data_severity",
                              format_func=lambda v: {"error": "错误 error", "warning": "提示 warning"}[v])
    problems = result.problems[result.problems["severity"].isin(severity)].copy()
    problems["problem"] = [" / ".join(PROBLEM_LABELS[ProblemCode(c)]) for c in problems["code"]]
    st.dataframe(
        problems[["row", "column", "value", "severity", "problem", "message_zh", "message_en"]],
        hide_index=True, width="stretch", key="data_problems",
        column_config={"row": "行 Row", "column": "列 Column", "value": "值 Value", "severity": "级别 Severity",
                       "problem": "问题 Problem", "message_zh": "说明", "message_en": "Message"},
    )
else:
    st.write("没有发现问题 / No problems found.")
if len(result.invalid):
    with st.expander(f"无效行（{len(result.invalid)}）：不参与资格判断 / Invalid rows ({len(result.invalid)}): not considered"):
        st.dataframe(result.invalid.assign(problems=result.invalid["problems"].map("\n".join)),
                     hide_index=True, width="stretch", key="data_invalid")

st.subheader("资格 / Eligibility")
unit_arg = f"中央企业:{group}" if unit == "中央企业" and group else unit
try:
    eligibility = check_eligibility(result.candidates, unit_arg, level, year)
except QuotaOptError as exc:
    st.error(f"{exc.message_zh}\n\n{exc.message_en}")
    st.stop()
for note in eligibility.notes:
    st.info(note)
n_ok = int(eligibility.table["eligible"].sum())
st.write(f"{eligibility.unit} · {Level(level).zh} · {year}：符合资格 **{n_ok}** 个，不符合 **{len(eligibility.table) - n_ok}** 个"
         f" / {n_ok} eligible, {len(eligibility.table) - n_ok} not eligible")
show = st.radio(
    "筛选 / Filter", ["all", "eligible", "ineligible", "warned"], horizontal=True, key="data_filter",
    format_func=lambda v: {"all": "全部 all", "eligible": "符合 eligible", "ineligible": "不符合 not eligible",
                           "warned": "有提示 with warnings"}[v],
)
table = eligibility.table.merge(
    result.candidates[["row", "project_name", "enterprise", "city", "industry"]], on="row", how="left")
if show == "eligible":
    table = table[table["eligible"]]
elif show == "ineligible":
    table = table[~table["eligible"]]
elif show == "warned":
    table = table[table["warnings"].map(len) > 0]
shown = table.assign(
    failed_rules=table["failed_rules"].map(", ".join),
    warnings=table["warnings"].map(", ".join),
    messages=table["messages"].map("\n".join),
)
st.dataframe(
    shown[["project_id", "row", "eligible", "project_name", "enterprise", "city", "industry",
           "failed_rules", "warnings", "messages"]],
    hide_index=True, width="stretch", key="data_eligibility",
    column_config={"project_id": "项目编号 ID", "row": "行 Row", "eligible": "符合 Eligible",
                   "project_name": "项目名称 Project", "enterprise": "申报单位 Enterprise", "city": "城市 City",
                   "industry": "行业 Industry", "failed_rules": "不符合规则 Failed rules",
                   "warnings": "提示 Warnings", "messages": "说明 Messages"},
)
with st.expander("适用规则 / Rules applied"):
    st.dataframe(pd.DataFrame([r.__dict__ for r in eligibility.rules]), hide_index=True,
                 width="stretch", key="data_rules")

st.session_state["data_pool"] = {
    "source": result.source, "sha256": result.sha256, "unit": eligibility.unit, "level": level, "year": year,
    "candidates": result.candidates, "eligible": eligibility.eligible, "eligibility": eligibility.table,
}
