"""In a real browser: the app served on localhost, a sample pool loaded, the recommendation run, the
.xlsx downloaded and read back, a screenshot of the results page saved; choices across a language
switch; the robustness page's report served again from the cache, and two saved runs compared; the
summary table and the recommendation letter downloaded as Word files from the export page (issue 12).

Playwright (from PyPI) drives Debian's Chromium at /usr/bin/chromium; the test skips, saying why,
only where that browser or Playwright is absent.
"""

from __future__ import annotations

import openpyxl
import pytest

from browser import browser_page, open_page, serve_app, wait_until_idle, why_unavailable
from quota_opt.pipeline import recommend
from quota_opt.samples import sample_path

pytestmark = pytest.mark.skipif(why_unavailable() is not None, reason=str(why_unavailable()))


def test_sample_pool_to_downloaded_workbook_in_chromium(tmp_path):
    expected = recommend(sample_path("shandong_leading_2025"), "山东省", "leading", 2025)
    with serve_app({"QUOTA_OPT_DB": str(tmp_path / "runs.sqlite3")}) as url, browser_page() as page:
        page.goto(url)
        page.get_by_text("推荐汇总表（按优先顺序）").wait_for()  # a fresh start shows the ranked table at once
        wait_until_idle(page)

        open_page(page, "候选项目")
        page.get_by_test_id("stSelectbox").filter(has_text="示例数据").click()
        page.get_by_role("option", name="山东省 2025 领航级（12个示例项目）").click()
        page.get_by_text("符合条件 8 个").wait_for()
        wait_until_idle(page)

        open_page(page, "推荐结果")
        page.get_by_text("山东省 · 2025 年领航级 · 名额 3 个").wait_for()
        with page.expect_download() as info:
            page.get_by_role("button", name="下载推荐汇总表（Excel）").click()
        download = info.value
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        page.screenshot(path=str(tmp_path / "results.png"), full_page=True)

    assert saved.name == "山东省_2025_领航级_推荐汇总表.xlsx"
    wb = openpyxl.load_workbook(saved)
    assert wb.sheetnames[0] == "推荐汇总表"
    ws = wb["推荐汇总表"]
    assert "2025年度领航级智能工厂项目推荐汇总表" == ws["A1"].value and "山东省" in ws["A2"].value
    assert [c.value for c in ws[3]] == ["优先顺序", "项目编号", "项目名称", "申报单位", "所在城市", "所属行业", "得分"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4) if isinstance(row[0].value, int)]
    assert [r[0] for r in rows] == [1, 2, 3]
    assert [r[1] for r in rows] == [s["project_id"] for s in expected.selected]
    assert [r[6] for r in rows] == pytest.approx([s["score"] for s in expected.selected])
    assert (tmp_path / "results.png").stat().st_size > 10_000


def test_choices_survive_the_language_switch_in_chromium(tmp_path):
    """The browser sends back the label a choice showed; after a switch of language every choice must
    still be read as the same option (AppTest cannot see this: it sends values, not labels)."""
    with serve_app({"QUOTA_OPT_DB": str(tmp_path / "runs.sqlite3")}) as url, browser_page() as page:
        page.goto(url)
        page.get_by_text("推荐汇总表（按优先顺序）").wait_for()
        wait_until_idle(page)
        open_page(page, "权重与规则")
        page.get_by_text("熵权法", exact=True).click()
        page.get_by_text("参与熵权计算的指标").wait_for()
        wait_until_idle(page)
        page.get_by_text("English", exact=True).click()
        page.get_by_role("heading", name="Weights & rules").wait_for()
        wait_until_idle(page)
        assert page.get_by_text("Criteria for entropy weights").is_visible()  # still the entropy method
        assert page.get_by_test_id("stSidebar").get_by_text("40 of 40 recommended").is_visible()
        assert not page.get_by_text("not valid").count()
        page.get_by_text("中文", exact=True).click()
        page.get_by_role("heading", name="权重与规则").wait_for()
        wait_until_idle(page)
        assert page.get_by_text("参与熵权计算的指标").is_visible()
        assert page.get_by_test_id("stSidebar").get_by_text("推荐 40 / 40 个").is_visible()


def test_robustness_and_comparison_pages_in_chromium(tmp_path):
    """The sampling's progress bar and the cached report in a served app: the report served from the
    cache again after a language switch (Streamlit replays the bar the cached function made, which
    AppTest cannot show), and two saved runs compared."""
    from quota_opt import RunStore, default_scenario
    from quota_opt.pipeline import prepare, recommend_prepared

    db = tmp_path / "runs.sqlite3"
    pool = prepare(sample_path("sichuan_excellent_2025"), "四川省", "excellent", 2025)
    for name, scenario in (("基线", default_scenario()), ("城市上限", default_scenario().with_constraints(max_per_city=4))):
        rec = recommend_prepared(pool, scenario)
        RunStore(db).save(name, rec.unit, rec.level, rec.year, rec.input_sha256, scenario.to_toml(), rec.to_dict())
    with serve_app({"QUOTA_OPT_DB": str(db)}) as url, browser_page() as page:
        page.goto(url)
        page.get_by_text("推荐汇总表（按优先顺序）").wait_for()
        wait_until_idle(page)
        open_page(page, "稳健性与假设分析")
        page.get_by_role("button", name="开始分析").click()
        page.get_by_text("均匀抽样 500 次").wait_for()
        wait_until_idle(page)
        assert page.get_by_test_id("stVegaLiteChart").count() == 1
        assert page.get_by_test_id("stProgress").count() == 0  # removed when the sampling is done
        page.get_by_text("English", exact=True).click()
        page.get_by_role("heading", name="Robustness & what-if").wait_for()
        page.get_by_text("500 uniform samples").wait_for()  # the same report, from the cache
        wait_until_idle(page)
        assert page.get_by_test_id("stException").count() == 0 and page.get_by_test_id("stProgress").count() == 0
        open_page(page, "Compare saved runs")
        page.get_by_role("heading", name="Entered: recommended in B, not in A").wait_for()
        assert page.get_by_role("heading", name="Rules and settings that differ").is_visible()
        assert page.get_by_text("The two runs have the same rules and settings.").count() == 0  # tables are canvas
        assert page.get_by_test_id("stException").count() == 0


def test_summary_table_and_letter_downloaded_from_the_export_page_in_chromium(tmp_path):
    """Issue 12: the unit's details saved through the form, then both Word documents downloaded and opened."""
    import io

    import docx

    with serve_app({"QUOTA_OPT_DB": str(tmp_path / "runs.sqlite3")}) as url, browser_page() as page:
        page.goto(url)
        page.get_by_text("推荐汇总表（按优先顺序）").wait_for()
        wait_until_idle(page)
        open_page(page, "导出与保存")
        page.get_by_label("单位全称（与公章一致）").fill("四川省经济和信息化厅")
        page.get_by_label("联系人").fill("张三")
        page.get_by_role("button", name="保存单位信息").click()
        page.get_by_text("单位信息已保存。").wait_for()
        wait_until_idle(page)
        saved = {}
        for label in ("下载推荐汇总表（Word）", "下载推荐函（Word）"):
            with page.expect_download() as info:
                page.get_by_role("button", name=label).click()
            download = info.value
            saved[label] = tmp_path / download.suggested_filename
            download.save_as(saved[label])
        preview = page.get_by_test_id("stText").first.inner_text()

    table = docx.Document(io.BytesIO(saved["下载推荐汇总表（Word）"].read_bytes()))
    letter = docx.Document(io.BytesIO(saved["下载推荐函（Word）"].read_bytes()))
    assert saved["下载推荐汇总表（Word）"].name == "四川省_2025_卓越级_推荐汇总表.docx"
    assert saved["下载推荐函（Word）"].name == "四川省_2025_卓越级_推荐函.docx"
    assert table.paragraphs[0].text == "2025年度卓越级智能工厂项目推荐汇总表"
    assert table.paragraphs[1].text == "推荐单位（盖章）：四川省经济和信息化厅"
    assert len(table.tables[0].rows) == 41
    texts = [p.text for p in letter.paragraphs]
    assert "工业和信息化部装备工业一司：" in texts and "四川省经济和信息化厅" in texts
    assert any("联系人：张三" in t for t in texts)
    assert "关于推荐2025年度卓越级智能工厂项目的函" in preview and "联系人：张三" in preview
def test_the_score_and_reason_are_in_sight_at_1440_px_in_chromium(tmp_path):
    """At 1,440 x 900 the table of projects not recommended shows its first columns -- id, score, reason --
    inside the window, and the summary table every column up to its selection frequency and class
    (the screenshots are kept beside the test's files for a look)."""
    from app_pages.results_page import NOT_SELECTED_WIDTHS, STABILITY_WIDTHS, SUMMARY_WIDTHS

    with serve_app({"QUOTA_OPT_DB": str(tmp_path / "runs.sqlite3")}) as url, \
            browser_page(width=1440, height=900) as page:
        page.goto(url)
        page.get_by_text("推荐汇总表（按优先顺序）").wait_for()
        wait_until_idle(page)
        summary = page.get_by_test_id("stDataFrame").first.bounding_box()
        page.screenshot(path=str(tmp_path / "summary_1440.png"))
        # every column of the summary, frequency and class last, fits the table's width in the window
        assert summary["x"] >= 0 and summary["x"] + summary["width"] <= 1440
        assert sum(SUMMARY_WIDTHS.values()) + sum(STABILITY_WIDTHS.values()) + 10 <= summary["width"], summary
        heading = page.get_by_role("heading", name="未推荐项目及原因")
        heading.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(500)
        top = heading.bounding_box()["y"]
        frames = page.get_by_test_id("stDataFrame")
        boxes = [frames.nth(i).bounding_box() for i in range(frames.count())]
        box = min((b for b in boxes if b and b["y"] > top), key=lambda b: b["y"])  # the table under the heading
        assert box["y"] + 120 < 900  # its header and first rows are in the window
        page.screenshot(path=str(tmp_path / "not_selected_1440.png"))
    needed = sum(NOT_SELECTED_WIDTHS[c] for c in ("project_id", "score", "reason"))
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1440
    assert box["width"] >= needed + 20, (box, needed)  # the three columns fit inside the table's width
    assert (tmp_path / "not_selected_1440.png").stat().st_size > 10_000


def test_every_page_opens_at_its_english_address_in_chromium(tmp_path):
    """/results, /robustness, /data ... open their page (the results page is also the root): no "Page not
    found". Streamlit serves the default page at the root only, so /results used to be not found."""
    from app_pages.i18n import TEXT
    from app_pages.ui import PAGES

    titles = {"results": "res.title", "robustness": "rob.title", "data": "data.title", "quota": "quota.title",
              "panel": "panel.title", "rules": "rules.title", "export": "export.title", "compare": "cmp.title",
              "notice": "notice.title"}
    assert set(titles) == set(PAGES)
    with serve_app({"QUOTA_OPT_DB": str(tmp_path / "runs.sqlite3")}) as url, browser_page() as page:
        for slug, key in titles.items():
            page.goto(f"{url}/{slug}")
            page.get_by_role("heading", name=TEXT[key][0]).first.wait_for()
            wait_until_idle(page)
            assert page.get_by_text("Page not found").count() == 0, slug
            assert page.url.rstrip("/").endswith(f"/{slug}"), (slug, page.url)
        page.goto(url)
        page.get_by_role("heading", name=TEXT["res.title"][0]).first.wait_for()
        wait_until_idle(page)
        assert page.get_by_text("Page not found").count() == 0


def test_the_home_address_opens_the_results_page_and_the_sidebar_follows_the_workflow_in_chromium(tmp_path):
    """Issue 13: Streamlit serves the default page only at the root; /home and /results, the addresses people
    type or bookmark, open the results page too, with no "Page not found" dialog. The sidebar lists the
    pages in the order an official works through them."""
    with serve_app({"QUOTA_OPT_DB": str(tmp_path / "runs.sqlite3")}) as url, browser_page() as page:
        for path in ("/home", "/results", "/"):
            page.goto(url + path)
            page.get_by_text("推荐汇总表（按优先顺序）").wait_for()
            wait_until_idle(page)
            assert page.get_by_role("heading", name="推荐结果").first.is_visible(), path
            assert not page.get_by_text("Page not found").count(), path
        # the sidebar: the results the app opens on, then the workflow in its order
        links = [a.inner_text().strip().split("\n")[-1] for a in page.get_by_test_id("stSidebarNavLink").all()]
        assert links == ["推荐结果", "通知规则", "候选项目", "推荐名额", "专家评审", "权重与规则", "稳健性与假设分析",
                         "导出与保存", "比较已保存的运行"]
