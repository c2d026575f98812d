"""AppTest of issue 10 in the app: the national quota table and chart, the 通知规则 page and its form,
a 2026 round (rules from `rules new` plus edits, figures in the user data folder), and figures for a
new basis year uploaded or typed into the user data folder."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from app_helpers import edit, frame_with, goto, start
from quota_opt.rulefiles import new_year
from quota_opt.units import PROVINCE_NAMES

SYNTHETIC = {p: 5000.0 - 100 * i for i, p in enumerate(PROVINCE_NAMES)}  # test-only figures, province order
RANKED = sorted(SYNTHETIC, key=lambda p: -SYNTHETIC[p])


def user_folder() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "quota-opt"


def synthetic_csv() -> bytes:
    rows = ["province,industrial_value,status,source"] + [f"{p},{v},official,测试用合成数据" for p, v in SYNTHETIC.items()]
    return ("\n".join(rows) + "\n").encode("utf-8")


def expected_2026(province: str) -> int:
    rank = RANKED.index(province) + 1
    return 45 if rank <= 10 else 35 if rank <= 20 else 25


def test_the_national_table_lists_every_unit_with_rank_figure_status_and_margin():
    app = start()
    goto(app, "quota")
    table = frame_with(app, "推荐单位", "名额", "名次", "数值", "数据状态", "距档次分界")
    assert len(table) == 38
    hebei = table.set_index("推荐单位").loc["河北省"]
    assert (hebei["名额"], hebei["名次"], hebei["数值"], hebei["距档次分界"], hebei["距分界（%）"]) == (
        40, "10", 14908.5, pytest.approx(737.3), 5.2)
    assert hebei["数据状态"] == "官方（初步核算数）" and hebei["分界另一侧最近的省份"] == "安徽省"
    assert set(table.loc[table["类型"] == "省（区、市）", "名额"]) == {40, 30, 20}
    download = next(b for b in app.get("download_button") if b.proto.id and "quota_table_csv" in b.proto.id)
    assert download is not None


def test_the_chart_draws_the_provinces_and_the_two_boundaries_from_the_rules():
    app = start()
    goto(app, "quota")
    chart = app.get("vega_lite_chart")[0].proto
    layers = json.loads(chart.spec)["layer"]
    data = {d.name: pa.ipc.open_stream(d.data.data).read_pandas() for d in chart.datasets}
    bars, rules = data[layers[0]["data"]["name"]], data[layers[1]["data"]["name"]]
    assert len(bars) == 31 and bars["unit"].tolist()[:2] == ["江苏省", "广东省"]
    assert sorted(rules["at"]) == [10.5, 20.5]  # after rank 10 and rank 20, as the 2025 rule says


def test_the_notice_page_shows_the_year_with_its_clauses():
    app = start()
    goto(app, "notice")
    assert not app.exception
    quota = frame_with(app, "规则编号", "条款")
    row = quota.set_index("规则编号").loc["Q2025-E-province-rank"]
    assert row["条款"] == "二（二）2" and "40" in row["取值"]
    assert any("工信厅联通装函〔2025〕251号" in m.value for m in app.markdown)


def _fill_2026_form(app, document: str = "工信厅联通装函〔2026〕88号"):
    app.text_input(key="notice_2025_document").set_value(document).run()
    app.text_input(key="notice_2025_title_zh").set_value("关于开展2026年度智能工厂梯度培育行动的通知").run()
    app.text_input(key="notice_2025_date").set_value("2026-07-01").run()
    edit(app, "notice_2025_tiers_0", {0: {"quota": 45}, 1: {"quota": 35}, 2: {"quota": 25}})
    return app


def test_the_form_explains_invalid_fields_and_saves_nothing():
    app = start()
    goto(app, "notice")
    app.text_input(key="notice_2025_date").set_value("1 July").run()
    edit(app, "notice_2025_tiers_0", {1: {"bound": 5}})
    app.button(key="notice_save").click().run()
    message = app.error[0].value
    assert "通知文号" in message and "发布日期" in message and "档次" in message
    assert not (user_folder() / "rules" / "2026.toml").exists()


def test_a_2026_round_from_the_form_gives_its_quotas_on_every_page():
    (user_folder() / "data").mkdir(parents=True)
    (user_folder() / "data" / "industrial_value_2025.csv").write_bytes(synthetic_csv())
    app = start()
    goto(app, "notice")
    _fill_2026_form(app)
    app.button(key="notice_save").click().run()
    assert any("2026" in s.value for s in app.success), [e.value for e in app.error]
    saved = (user_folder() / "rules" / "2026.toml").read_text(encoding="utf-8")
    assert 'document = "工信厅联通装函〔2026〕88号"' in saved
    goto(app, "data")
    app.selectbox(key="data_year").set_value(2026).run()
    goto(app, "quota")
    assert app.metric[0].value == str(expected_2026("四川省"))
    table = frame_with(app, "推荐单位", "名额").set_index("推荐单位")
    for province in PROVINCE_NAMES:
        assert table.loc[province, "名额"] == expected_2026(province), province


def test_a_2026_round_made_with_rules_new_and_edits_gives_the_expected_quotas_in_the_app():
    path = new_year(2026, 2025)
    text = path.read_text(encoding="utf-8").replace('document = ""', 'document = "工信厅联通装函〔2026〕88号"', 1)
    text = text.replace("rank_max = 10, quota = 40", "rank_max = 10, quota = 45").replace(
        "rank_max = 20, quota = 30", "rank_max = 20, quota = 35").replace("{ quota = 20,", "{ quota = 25,")
    path.write_text(text, encoding="utf-8")
    (user_folder() / "data").mkdir(parents=True)
    (user_folder() / "data" / "industrial_value_2025.csv").write_bytes(synthetic_csv())
    app = start(data_year=2026)
    goto(app, "quota")
    assert not app.exception
    table = frame_with(app, "推荐单位", "名额").set_index("推荐单位")
    assert all(table.loc[p, "名额"] == expected_2026(p) for p in PROVINCE_NAMES)
    assert table.loc["新疆生产建设兵团", "名额"] == 5
    goto(app, "results")
    assert not app.exception


def rules_2026_as_2025() -> None:
    """2026 rules from `rules new` with only a document number filled in (tiers as in 2025)."""
    path = new_year(2026, 2025)
    path.write_text(path.read_text(encoding="utf-8").replace('document = ""', 'document = "X〔2026〕1号"', 1),
                    encoding="utf-8")


def test_figures_for_a_new_basis_year_uploaded_are_kept_in_the_user_data_folder():
    rules_2026_as_2025()
    app = start(data_year=2026)
    goto(app, "quota")
    assert app.metric[0].value == "—"  # no 2025 figures yet
    key = next(u.key for u in app.get("file_uploader") if u.key and u.key.startswith("quota_userdata_file_industrial_value_2025"))
    app.file_uploader(key=key).set_value(("industrial_value_2025.csv", synthetic_csv(), "text/csv")).run()
    assert (user_folder() / "data" / "industrial_value_2025.csv").read_bytes() == synthetic_csv()
    assert app.metric[0].value == "20"  # 2026 rules unchanged from 2025 (tiers 40/30/20); 四川省 ranks 23rd


def test_figures_typed_with_sources_are_checked_and_saved():
    rules_2026_as_2025()
    app = start(data_year=2026)
    goto(app, "quota")
    key = next(e.key for e in app.data_editor if e.key.startswith("quota_userdata_editor_industrial_value_2025"))
    row = PROVINCE_NAMES.index("四川省")
    edit(app, key, {row: {"value": 18000}})
    app.button(key="quota_userdata_save_industrial_value_2025").click().run()
    assert any("来源" in e.value for e in app.error)  # a figure without its source is refused
    assert not (user_folder() / "data" / "industrial_value_2025.csv").exists()
    key = next(e.key for e in app.data_editor if e.key.startswith("quota_userdata_editor_industrial_value_2025"))
    edit(app, key, {row: {"value": 18000, "source": "四川省统计局 2026 年公报"}})
    app.button(key="quota_userdata_save_industrial_value_2025").click().run()
    saved = pd.read_csv(user_folder() / "data" / "industrial_value_2025.csv", encoding="utf-8-sig")
    assert saved.set_index("province").loc["四川省", "source"] == "四川省统计局 2026 年公报"
    assert any("已保存" in s.value for s in app.success)
