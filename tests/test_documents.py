"""The summary table and the recommendation letter as Word documents, opened again with python-docx.

What the notice asks (工信厅联通装函〔2025〕251号 二（二）3, 三（二）3): the summary table filled in
priority order (附件3 / 附件5) and a recommendation letter, sent to 工业和信息化部（装备工业一司）and, by
a central enterprise, to 国务院国资委（科技创新局）as well; the letter laid out after GB/T 9704-2012.
"""

from __future__ import annotations

import dataclasses
import io
from datetime import date, datetime as dt_datetime, timedelta as dt_timedelta, timezone as dt_timezone

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Pt
from hypothesis import given, settings, strategies as st

from quota_opt.columns import Level, UnitType
from quota_opt.documents import (BODY_FONT, TITLE_FONT, Letter, china_today, chinese_date, letter_content,
                                 letter_docx, letter_refusal, parse_date, signature_indents, summary_table_docx,
                                 table_rows)
from quota_opt.errors import InputError
from quota_opt.pipeline import recommend
from quota_opt.profile import UnitProfile, default_profile
from quota_opt.rules import load_notice
from quota_opt.samples import sample_path
from quota_opt.scenario import default_scenario

DAY = date(2025, 7, 25)
NOTICE = load_notice(2025)
SICHUAN = UnitProfile("四川省", name="四川省经济和信息化厅", contact="张三", phone="028-86000000",
                      email="zhangsan@example.cn")


@pytest.fixture(scope="module")
def sichuan():
    return recommend(sample_path("sichuan_excellent_2025"), "四川省", "excellent", 2025)


@pytest.fixture(scope="module")
def shandong():
    return recommend(sample_path("shandong_leading_2025"), "山东省", "leading", 2025)


@pytest.fixture(scope="module")
def central():
    return recommend(sample_path("central_enterprise_excellent_2025"), "中央企业", "excellent", 2025)


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def all_runs(document):
    """Every run of the body, the table cells, and the footers."""
    runs = [r for p in document.paragraphs for r in p.runs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                runs += [r for p in cell.paragraphs for r in p.runs]
    for section in document.sections:
        for footer in (section.footer, section.even_page_footer):
            runs += [r for p in footer.paragraphs for r in p.runs]
    return runs


def run_font(run) -> dict[str, str | None]:
    fonts = run._element.rPr.rFonts
    return {k: fonts.get(qn(f"w:{k}")) for k in ("ascii", "hAnsi", "eastAsia", "cs")}


def mm(*lengths) -> tuple[float, ...]:
    """Lengths in millimetres to 0.1 mm (Word stores them in twentieths of a point)."""
    return tuple(round(length.mm, 1) for length in lengths)


def table_values(document) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in document.tables[0].rows]


# ---------------------------------------------------------------------- the summary table


def test_summary_table_is_a4_landscape_with_the_title_and_the_unit(sichuan):
    d = open_docx(summary_table_docx(sichuan, SICHUAN, DAY))
    sec = d.sections[0]
    assert sec.orientation == WD_ORIENT.LANDSCAPE
    assert mm(sec.page_width, sec.page_height) == (297, 210)
    assert d.paragraphs[0].text == "2025年度卓越级智能工厂项目推荐汇总表"
    assert d.paragraphs[1].text == "推荐单位（盖章）：四川省经济和信息化厅"


def test_leading_level_table_has_the_leading_title(shandong):
    d = open_docx(summary_table_docx(shandong, default_profile("山东"), DAY))
    assert d.paragraphs[0].text == "2025年度领航级智能工厂项目推荐汇总表"
    assert d.paragraphs[1].text == "推荐单位（盖章）：山东省"


def test_summary_table_lists_every_pick_in_priority_order_and_nothing_else(sichuan):
    values = table_values(open_docx(summary_table_docx(sichuan, SICHUAN, DAY)))
    assert values[0] == ["序号", "项目名称", "申报单位", "所在地市", "所属行业", "统一社会信用代码"]
    body = values[1:]
    assert len(body) == len(sichuan.selected) == 40
    assert [r[0] for r in body] == [str(i) for i in range(1, 41)]
    assert [(r[1], r[2], r[3], r[4], r[5]) for r in body] == [
        (s["project_name"], s["enterprise"], s["city"], s["industry"], s["credit_code"]) for s in sichuan.selected]
    chosen = {s["project_name"] for s in sichuan.selected}
    others = {s["project_name"] for s in sichuan.not_selected}
    assert not others & {r[1] for r in body} and chosen == {r[1] for r in body}


def test_the_score_column_only_when_asked(sichuan):
    plain = table_values(open_docx(summary_table_docx(sichuan, SICHUAN, DAY)))
    scored = table_values(open_docx(summary_table_docx(sichuan, SICHUAN, DAY, with_score=True)))
    assert "得分" not in plain[0] and scored[0][-1] == "得分"
    assert [r[-1] for r in scored[1:]] == [f"{s['score']:.2f}" for s in sichuan.selected]


def test_header_row_repeats_and_no_row_breaks_across_pages(sichuan):
    table = open_docx(summary_table_docx(sichuan, SICHUAN, DAY)).tables[0]
    rows = table._tbl.tr_lst
    assert rows[0].trPr.find(qn("w:tblHeader")) is not None
    assert all(r.trPr.find(qn("w:tblHeader")) is None for r in rows[1:])
    assert all(r.trPr.find(qn("w:cantSplit")) is not None for r in rows)


def test_every_run_names_its_font_for_east_asian_text_too(sichuan):
    d = open_docx(summary_table_docx(sichuan, SICHUAN, DAY))
    runs = all_runs(d)
    assert runs
    for run in runs:
        fonts = run_font(run)
        assert fonts["eastAsia"] and len(set(fonts.values())) == 1, fonts
    assert run_font(d.paragraphs[0].runs[0])["eastAsia"] == TITLE_FONT
    assert {run_font(r)["eastAsia"] for p in d.tables[0].rows[1].cells for r in p.paragraphs[0].runs} == {BODY_FONT}
    styles = d.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert styles.find(qn("w:rFonts")).get(qn("w:eastAsia")) == BODY_FONT
    assert styles.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"


def test_font_table_names_the_fallbacks(sichuan):
    data = summary_table_docx(sichuan, SICHUAN, DAY)
    import zipfile

    fonts = zipfile.ZipFile(io.BytesIO(data)).read("word/fontTable.xml").decode("utf-8")
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="黑体"/>' in fonts


def test_sign_off_lines_under_the_table_with_the_profile_and_the_date(sichuan):
    d = open_docx(summary_table_docx(sichuan, SICHUAN, DAY))
    last = d.paragraphs[-1].text
    assert "联系人：张三" in last and "联系电话：028-86000000" in last and "填报日期：2025年7月25日" in last
    body = d.element.body
    assert body.index(d.tables[0]._tbl) < body.index(d.paragraphs[-1]._p)


def test_without_a_profile_the_contact_lines_are_blanks_to_fill_in(sichuan):
    d = open_docx(summary_table_docx(sichuan, default_profile("四川"), DAY))
    assert d.paragraphs[1].text == "推荐单位（盖章）：四川省"
    runs = d.paragraphs[-1].runs
    labels = [r.text for r in runs]
    blank_after = {labels[i]: runs[i + 1] for i in range(len(runs) - 1)}
    assert blank_after["联系人："].text.strip("　") == "" and blank_after["联系人："].font.underline
    assert blank_after["联系电话："].text.strip("　") == "" and blank_after["联系电话："].font.underline


def test_date_defaults_to_today_in_china_standard_time(sichuan):
    d = open_docx(summary_table_docx(sichuan, SICHUAN))
    assert f"填报日期：{chinese_date(china_today())}" in d.paragraphs[-1].text


def test_page_numbers_are_fields_in_the_footer(sichuan):
    footer = open_docx(summary_table_docx(sichuan, SICHUAN, DAY)).sections[0].footer
    xml = footer._element.xml
    assert "PAGE" in xml and "NUMPAGES" in xml and xml.count('w:fldCharType="begin"') == 2
    assert footer.paragraphs[0].text.startswith("第 ")


def test_same_inputs_give_the_same_bytes(sichuan):
    assert summary_table_docx(sichuan, SICHUAN, DAY) == summary_table_docx(sichuan, SICHUAN, DAY)
    assert letter_docx(sichuan, SICHUAN, DAY) == letter_docx(sichuan, SICHUAN, DAY)


def test_nothing_recommended_makes_no_document(sichuan):
    infeasible = recommend(sample_path("sichuan_excellent_2025"), "四川省", "excellent", 2025,
                           default_scenario().with_constraints(min_per_city=4))
    assert not infeasible.feasible
    for make in (summary_table_docx, letter_docx):
        with pytest.raises(InputError) as info:
            make(infeasible, SICHUAN, DAY)
        assert "没有推荐项目" in info.value.message_zh


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_table_rows_follow_any_priority_list_exactly(sichuan, data):
    """Property: whatever picks in whatever order, the table holds exactly those, in that order."""
    picks = data.draw(st.permutations(sichuan.selected).map(lambda p: p[: data.draw(st.integers(1, 8))]))
    picks = [{**p, "rank": i} for i, p in enumerate(picks, start=1)]
    rec = dataclasses.replace(sichuan, selected=picks)
    body = table_values(open_docx(summary_table_docx(rec, SICHUAN, DAY)))[1:]
    assert body == [row for row in table_rows(rec)]
    assert [r[1] for r in body] == [p["project_name"] for p in picks]


def test_text_a_document_cannot_hold_is_removed(sichuan):
    picks = [{**sichuan.selected[0], "project_name": "智能\x0b工厂\x07"}]
    rec = dataclasses.replace(sichuan, selected=picks)
    assert table_values(open_docx(summary_table_docx(rec, SICHUAN, DAY)))[1][1] == "智能工厂"


# ---------------------------------------------------------------------- the letter


def letter_paragraphs(data: bytes) -> list:
    return open_docx(data).paragraphs


def test_letter_page_and_margins_follow_gbt_9704(sichuan):
    sec = open_docx(letter_docx(sichuan, SICHUAN, DAY)).sections[0]
    assert sec.orientation == WD_ORIENT.PORTRAIT and mm(sec.page_width, sec.page_height) == (210, 297)
    assert mm(sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin) == (37, 35, 28, 26)


def test_letter_grid_is_22_lines_of_28_characters(sichuan):
    d = open_docx(letter_docx(sichuan, SICHUAN, DAY))
    grid = d.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    line_pitch, char_space = int(grid.get(qn("w:linePitch"))), int(grid.get(qn("w:charSpace")))
    text_height_twips = (297 - 37 - 35) / 25.4 * 1440
    text_width_pt = (210 - 28 - 26) / 25.4 * 72
    assert int(text_height_twips // line_pitch) == 22
    assert int(text_width_pt // (16 + char_space / 4096)) == 28
    for p in d.paragraphs:  # every line exactly one grid line apart
        assert p.paragraph_format.line_spacing == Pt(line_pitch / 20)


def test_letter_title_and_body_fonts(sichuan):
    d = open_docx(letter_docx(sichuan, SICHUAN, DAY))
    title = d.paragraphs[0]
    assert title.text == "关于推荐2025年度卓越级智能工厂项目的函"
    assert run_font(title.runs[0])["eastAsia"] == TITLE_FONT and title.runs[0].font.size == Pt(22)
    body_runs = [r for p in d.paragraphs[1:] for r in p.runs]
    assert {run_font(r)["eastAsia"] for r in body_runs} == {BODY_FONT}
    assert {r.font.size for r in body_runs} == {Pt(16)}
    assert all(run_font(r)["eastAsia"] for r in all_runs(d))


def test_a_province_writes_to_miit_only(sichuan):
    texts = [p.text for p in letter_paragraphs(letter_docx(sichuan, SICHUAN, DAY))]
    assert texts[2] == "工业和信息化部装备工业一司："
    assert not any("国资委" in t for t in texts)


def test_a_central_enterprise_writes_to_miit_and_sasac(central):
    profile = UnitProfile("中央企业", name="中国华远装备集团有限公司")
    texts = [p.text for p in letter_paragraphs(letter_docx(central, profile, DAY))]
    assert texts[2] == "工业和信息化部装备工业一司、国务院国资委科技创新局："
    assert "中国华远装备集团有限公司" in texts


def test_letter_cites_the_notice_by_number_and_title_and_gives_the_count(sichuan):
    body = "".join(p.text for p in letter_paragraphs(letter_docx(sichuan, SICHUAN, DAY)))
    assert f"《{NOTICE.title_zh}》（{NOTICE.document}）" in body and "工信厅联通装函〔2025〕251号" in body
    assert len(sichuan.selected) == 40 and "现推荐2025年度卓越级智能工厂项目40个。" in body
    assert "附件：2025年度卓越级智能工厂项目推荐汇总表" in body
    assert "优先顺序" in body


def test_letter_names_the_contact_and_signs_bottom_right_with_room_for_the_seal(sichuan):
    ps = letter_paragraphs(letter_docx(sichuan, SICHUAN, DAY))
    texts = [p.text for p in ps]
    signer, dated = texts.index("四川省经济和信息化厅"), texts.index("2025年7月25日")
    assert dated == signer + 1
    assert texts[signer - 3: signer] == ["", "", ""]  # blank lines above the signature: the seal's room
    assert ps[signer].alignment == ps[dated].alignment == 2  # right
    assert ps[dated].paragraph_format.right_indent > 0
    note = texts[dated + 1]
    assert note.startswith("（") and "联系人：张三" in note and "联系电话：028-86000000" in note
    assert "zhangsan@example.cn" in note


def test_co_signers_sign_after_the_unit_each_with_room_for_a_seal(sichuan):
    profile = dataclasses.replace(SICHUAN, co_signers=("四川省发展和改革委员会", "四川省财政厅"))
    texts = [p.text for p in letter_paragraphs(letter_docx(sichuan, profile, DAY))]
    first, second, third = (texts.index(n) for n in ("四川省经济和信息化厅", "四川省发展和改革委员会", "四川省财政厅"))
    assert first < second < third < texts.index("2025年7月25日")
    assert texts[first + 1: second] == ["", ""] and texts[second + 1: third] == ["", ""]


def test_letter_without_a_profile_uses_the_official_name_and_blank_contact(sichuan):
    letter = letter_content(sichuan, default_profile("四川"), DAY)
    assert letter.signers == ("四川省",)
    assert "______" in letter.text() and "联系人：______" in letter.text()


def test_leading_letter_goes_to_miit_only(shandong):
    letter = letter_content(shandong, default_profile("山东"), DAY)
    assert letter.addressees == ("工业和信息化部装备工业一司",)
    assert letter.title == "关于推荐2025年度领航级智能工厂项目的函"
    assert letter.attachment == "2025年度领航级智能工厂项目推荐汇总表"


def test_the_letter_says_only_what_the_result_shows(sichuan):
    letter = letter_content(sichuan, SICHUAN, DAY)
    body = "".join(letter.body)
    for claim in ("审核", "评审", "专家", "优秀", "领先", "均已", "确保", "真实"):
        assert claim not in body


@pytest.mark.parametrize(("unit", "level", "year", "why"), [
    ("大连", "excellent", 2025, "辽宁省统一推荐"),
    ("深圳", "leading", 2025, "广东省统一推荐"),
    ("中央企业", "leading", 2025, "统一推荐"),
    ("四川", "excellent", 2024, "未要求报送推荐函"),
])
def test_no_letter_where_the_rules_send_projects_through_another_unit(unit, level, year, why):
    refusal = letter_refusal(unit, level, year)
    assert isinstance(refusal, InputError) and why in refusal.message_zh


@pytest.mark.parametrize(("unit", "level"), [("四川", "excellent"), ("新疆生产建设兵团", "excellent"),
                                             ("中央企业", "excellent"), ("中央企业:宝武", "excellent"),
                                             ("山东", "leading")])
def test_every_unit_that_recommends_for_itself_may_write_a_letter(unit, level):
    assert letter_refusal(unit, level, 2025) is None


def test_submission_rules_come_from_the_year_file():
    sub = NOTICE.submission(Level.EXCELLENT)
    assert sub.attachment == "附件3" and sub.clause == "二（二）3" and sub.letter
    assert sub.addressees(UnitType.CENTRAL_ENTERPRISE) == ("工业和信息化部装备工业一司", "国务院国资委科技创新局")
    assert NOTICE.submission(Level.LEADING).attachment == "附件5"


def test_letter_page_numbers_alternate_sides(sichuan):
    d = open_docx(letter_docx(sichuan, SICHUAN, DAY))
    assert d.settings.odd_and_even_pages_header_footer
    odd, even = d.sections[0].footer.paragraphs[0], d.sections[0].even_page_footer.paragraphs[0]
    assert odd.alignment == 2 and even.alignment == 0  # right, left
    assert odd.text == even.text == "— 1 —" and "PAGE" in odd._p.xml


# ---------------------------------------------------------------------- dates and the signature


def test_dates_are_written_as_official_documents_write_them():
    assert chinese_date(date(2025, 7, 5)) == "2025年7月5日"
    assert parse_date("2025-08-01") == date(2025, 8, 1)
    with pytest.raises(InputError):
        parse_date("2025/08/01")


def test_china_today_is_utc_plus_8(monkeypatch):
    import datetime as dt

    import quota_opt.documents as documents

    class Late(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime(2025, 7, 31, 17, 30, tzinfo=dt.timezone.utc).astimezone(tz)

    monkeypatch.setattr(documents, "datetime", Late)
    assert documents.china_today() == date(2025, 8, 1)  # 17:30 UTC is 01:30 the next day in Beijing


def test_a_stored_utc_time_is_shown_in_china_standard_time_with_its_offset():
    from quota_opt.documents import china_time

    assert china_time("2025-07-31T17:30:05+00:00") == "2025-08-01 01:30:05 +08:00"  # the next day in Beijing
    assert china_time("2025-07-31T17:30:05") == "2025-08-01 01:30:05 +08:00"  # no offset: taken as UTC
    assert china_time("not a time") == "not a time"  # shown as stored, a listing never fails on it


@given(st.datetimes(min_value=dt_datetime(2000, 1, 1), max_value=dt_datetime(2100, 1, 1), timezones=st.sampled_from([dt_timezone.utc, dt_timezone(dt_timedelta(hours=-5))])))
def test_china_time_names_the_same_instant(moment):
    from quota_opt.documents import china_time

    shown = china_time(moment.isoformat())
    back = dt_datetime.strptime(shown.replace(" +08:00", "+0800"), "%Y-%m-%d %H:%M:%S%z")
    assert shown.endswith(" +08:00") and back == moment.replace(microsecond=0)


@given(st.text(alphabet="四川省经济和信息化厅中国集团有限公司ABC", min_size=1, max_size=30))
def test_signature_is_centred_over_the_date_or_two_characters_in(name):
    date_text = "2025年7月25日"
    name_right, date_right = signature_indents((name,), date_text)
    width = lambda s: sum(0.5 if ord(c) < 0x2000 else 1 for c in s)  # noqa: E731
    assert min(name_right, date_right) >= 2
    # the centres line up: right indent + half the width is the same for both
    assert name_right + width(name) / 2 == pytest.approx(date_right + width(date_text) / 2)
    if width(name) <= width(date_text):
        assert date_right == 4
    else:
        assert name_right == 2


def test_the_preview_sets_the_letter_line_for_line_as_the_docx(sichuan):
    profile = dataclasses.replace(SICHUAN, co_signers=("四川省财政厅",))
    letter = letter_content(sichuan, profile, DAY)
    preview = letter.text().splitlines()
    docx_lines = [p.text for p in letter_paragraphs(letter_docx(sichuan, profile, DAY))]
    assert [line.strip("　") for line in preview] == [line.strip("　") for line in docx_lines]
    signer = next(line for line in preview if line.endswith("四川省经济和信息化厅"))
    assert len(signer) == 28 - 2  # pushed right to two characters from the margin
    assert "______" not in signer and "联系人：张三" in preview[-1]


def test_the_table_layout_is_fixed_once_in_schema_order(sichuan):
    tbl_pr = open_docx(summary_table_docx(sichuan, SICHUAN, DAY)).tables[0]._tbl.tblPr
    tags = [child.tag.split("}")[1] for child in tbl_pr]
    assert tags.count("tblLayout") == 1 and tags.index("tblLayout") < tags.index("tblLook")
    assert tbl_pr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
