"""What goes out on paper: the recommendation summary table and the recommendation letter, as .docx.

The notice (工信厅联通装函〔2025〕251号 二（二）3 and 三（二）3) asks each recommending unit to
fill in the summary table in priority order (附件3 excellent level, 附件5 leading level) and
send it, stamped, with a recommendation letter (推荐函) to 工业和信息化部（装备工业一司）; a
central enterprise sends them to 国务院国资委（科技创新局）as well. The year's rule file says
all of that (``[[submission]]``: attachment, title, addressees, whether a letter is asked for);
this module only lays it out.

**The summary table** (:func:`summary_table_docx`): A4 landscape; the title
(``2025年度卓越级智能工厂项目推荐汇总表``); ``推荐单位（盖章）`` with the unit's name; a table in
priority order -- 序号, 项目名称, 申报单位, 所在地市, 所属行业, 统一社会信用代码 (and 得分 only
when asked) -- whose header row repeats on every page (``w:tblHeader``) and whose rows never
break across pages (``w:cantSplit``); 联系人, 联系电话 and 填报日期 under it; 第 N 页 共 M 页 in
the footer (PAGE and NUMPAGES fields).

**The letter** (:func:`letter_docx`), laid out after GB/T 9704-2012 《党政机关公文格式》:
A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (a 156 mm x 225 mm text block);
title in 方正小标宋简体 二号 (22 pt), text in 仿宋_GB2312 三号 (16 pt); 22 lines of 28
characters -- the document grid has ``linePitch`` 579 twips (225 mm / 22) and ``charSpace``
-849 (156 mm / 28 = 15.79 pt a character, 16 pt less 849/4096 pt), and every line of text is
set exactly 579 twips apart; page numbers ``— N —`` in 四号 宋体, right on odd pages and left
on even ones (7.5). The main addressee(s) (主送机关) follow the title; the text cites the notice
by number and title from the rule file and gives the number recommended (``N个``); 附件说明
names the summary table; the signers (the unit, then any co-signing departments) sit centred
over the date, the date four characters from the right margin (7.3.5.1), with blank lines above
as room for the seals; the contact goes in the 附注 under the date (7.3.6). Every sentence is
plain and neutral and says nothing the result does not show; it is a draft the user edits.

Fonts: each run names its font for ASCII, other Latin, complex script *and* East Asian text
(``w:eastAsia``), so Word and WPS both use it; the font table gives a fallback for a machine
without the official fonts (仿宋_GB2312 -> 仿宋, 方正小标宋简体 -> 黑体) as ``w:altName``.

The same inputs (result, profile, date, options) give the same bytes: the document's creation
time is the date of the document and the zip entries carry a fixed time.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .columns import Level, UnitType
from .errors import InputError
from .profile import UnitProfile
from .result import CHINA_STANDARD_TIME, Recommendation, china_time  # china_time: re-exported
from .rules import NoticeYear, Submission, load_notice, parse_level
from .units import resolve_unit

# Fonts named as government documents name them, each with the fallback a machine without it uses.
BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
PAGE_NUMBER_FONT = "宋体"
FALLBACK_FONTS = {BODY_FONT: "仿宋", TITLE_FONT: "黑体", HEADING_FONT: "SimHei", PAGE_NUMBER_FONT: "SimSun"}


# GB/T 9704-2012 5.2.1 and 7.1: the page and the text block of the letter.
LETTER_MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LETTER_TITLE_PT = 22  # 二号
LETTER_BODY_PT = 16  # 三号
LETTER_PAGE_NUMBER_PT = 14  # 四号
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LINE_PITCH_TWIPS = 579  # 225 mm / 22 lines = 28.98 pt, rounded down so 22 lines fit
CHAR_SPACE = -849  # (156 mm / 28 - 16 pt) in 1/4096 pt: 28 characters of 16 pt fill 156 mm
# Body runs are also condensed by 0.25 pt (w:spacing -5): a program that gives a glyph wider than
# the grid's cell two cells (LibreOffice) then fits 28 characters too; Word and WPS set 28 a line either way.
CONDENSE_TWENTIETHS = 5

TABLE_MARGINS_MM = {"top": 25, "bottom": 20, "left": 20, "right": 20}
TABLE_TITLE_PT = 22  # 二号
TABLE_TEXT_PT = 12  # 小四
TABLE_LINE_PT = 14  # 推荐单位 and the sign-off lines: 四号

BLANK = "　" * 6  # a fill-in space (underlined in the documents)
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# ---------------------------------------------------------------------- dates


def china_today() -> date:
    """Today's date in China Standard Time (UTC+8), whatever the machine's own time zone."""
    return datetime.now(CHINA_STANDARD_TIME).date()


def parse_date(text: str) -> date:
    """A date given as YYYY-MM-DD; anything else is an :class:`InputError`."""
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise InputError(f"日期“{text}”应写作 YYYY-MM-DD，例如 2025-07-25",
                         f"the date '{text}' must be written YYYY-MM-DD, e.g. 2025-07-25") from None


def chinese_date(day: date) -> str:
    """A date as official documents write it: 2025年7月25日 (Arabic numerals, no leading zeros; GB/T 9704 7.3.5.1)."""
    return f"{day.year}年{day.month}月{day.day}日"


# ---------------------------------------------------------------------- what the notice asks


def submission_for(rec: Recommendation, notice: NoticeYear | None = None) -> tuple[NoticeYear, Submission]:
    """The notice of ``rec``'s year and what it asks units to send for ``rec``'s level."""
    notice = notice or load_notice(rec.year)
    level = Level(rec.level)
    sub = notice.submission(level)
    if sub is None:
        raise InputError(f"{notice.year}年度规则文件未写明{level.zh}推荐材料的报送要求，无法生成文书",
                         f"the {notice.year} rule file does not say what to send for the {level.value} level; "
                         "no document can be made")
    return notice, sub


def letter_refusal(unit: str, level: str | Level, year: int | str) -> InputError | None:
    """Why no recommendation letter can be made for ``unit`` at ``level`` in ``year`` (None: it can).

    A unit whose projects the year's rules send through another (a planned city through its
    province, 二（二）2; a central enterprise's leading-level projects through the province where
    each factory is, 三（二）2) writes no letter of its own; nor does any unit in a year whose
    notice asks for no letter (2024 asked for the application and the summary table only).
    """
    unit_obj = resolve_unit(unit)
    level_obj = level if isinstance(level, Level) else parse_level(level)
    notice = load_notice(year)
    rule = notice.routed_through_another(level_obj, unit_obj.unit_type)
    if rule is not None:
        via = unit_obj.parent or "所在省（区、市）"
        return InputError(
            f"{unit_obj.name}的{level_obj.zh}项目由{via}统一推荐（{notice.document} {rule.clause}），"
            f"不单独出具推荐函；请由{via}出具",
            f"{unit_obj.name} recommends {level_obj.value}-level projects through {unit_obj.parent or 'its province'} "
            f"({notice.document} {rule.clause}): it writes no recommendation letter of its own",
        )
    sub = notice.submission(level_obj)
    if sub is not None and not sub.letter:
        return InputError(f"{notice.year}年度通知（{notice.document} {sub.clause}）未要求报送推荐函",
                          f"the {notice.year} notice ({notice.document} {sub.clause}) asks for no recommendation letter")
    return None


def _require_picks(rec: Recommendation, what_zh: str, what_en: str) -> None:
    if not rec.feasible or not rec.selected:
        raise InputError(f"没有推荐项目（规则无法同时满足或名额为零），不生成{what_zh}",
                         f"nothing is recommended (the rules cannot all hold, or the quota is zero): no {what_en} is made")


# ---------------------------------------------------------------------- the summary table: content


TABLE_COLUMNS = (("序号", 14), ("项目名称", 68), ("申报单位", 64), ("所在地市", 26), ("所属行业", 40),
                 ("统一社会信用代码", 45))  # mm: 257 mm, the landscape text width
SCORE_COLUMN = ("得分", 18)


def table_title(rec: Recommendation, notice: NoticeYear | None = None) -> str:
    """``2025年度卓越级智能工厂项目推荐汇总表`` (the year and the notice's table name)."""
    _, sub = submission_for(rec, notice)
    return f"{rec.year}年度{sub.table_title_zh}"


def table_rows(rec: Recommendation, with_score: bool = False) -> list[list[str]]:
    """The summary table's rows, in priority order: 序号, 项目名称, 申报单位, 所在地市, 所属行业,
    统一社会信用代码 (and 得分 to two decimals when ``with_score``), all as text."""
    rows = []
    for r in rec.selected:
        row = [str(r["rank"]), _text(r.get("project_name")), _text(r.get("enterprise")), _text(r.get("city")),
               _text(r.get("industry")), _text(r.get("credit_code"))]
        if with_score:
            row.append(f"{float(r['score']):.2f}")
        rows.append(row)
    return rows


def table_headers(with_score: bool = False) -> list[str]:
    return [h for h, _ in TABLE_COLUMNS] + ([SCORE_COLUMN[0]] if with_score else [])


def _text(value: Any) -> str:
    """Text fit for a document: None as empty, characters XML cannot hold removed."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return _XML_ILLEGAL.sub("", str(value)).strip()


def sign_off_lines(profile: UnitProfile, day: date) -> list[tuple[str, str]]:
    """The lines under the summary table: (label, value); an empty value is a blank to fill in by hand."""
    return [("联系人：", profile.contact), ("联系电话：", profile.phone), ("填报日期：", chinese_date(day))]


# ---------------------------------------------------------------------- the letter: content


@dataclass(frozen=True)
class Letter:
    """The letter's text, part by part, as the .docx and the app's preview show it."""

    title: str
    addressees: tuple[str, ...]
    body: tuple[str, ...]
    attachment: str
    signers: tuple[str, ...]
    date: str
    note: str  # 附注: the contact, in parentheses

    @property
    def salutation(self) -> str:
        return "、".join(self.addressees) + "："

    def text(self) -> str:
        """The letter as plain text, line for line as the .docx sets it (the signers and the date
        pushed right with full-width spaces, blanks shown as underscores), for a preview."""
        signer_indent, date_indent = signature_indents(self.signers, self.date)

        def right(text: str, indent: float) -> str:
            return "　" * max(0, round(CHARS_PER_LINE - indent - _text_width(text))) + text

        lines = [self.title, "", self.salutation, *("　　" + p for p in self.body), "", "　　附件：" + self.attachment]
        for k, signer in enumerate(self.signers):
            lines += [""] * (3 if k == 0 else 2) + [right(signer, signer_indent)]
        lines += [right(self.date, date_indent), "　　" + self.note.replace(BLANK, "______")]
        return "\n".join(lines)


def letter_content(rec: Recommendation, profile: UnitProfile, day: date | None = None,
                   notice: NoticeYear | None = None) -> Letter:
    """The letter for ``rec`` signed with ``profile`` on ``day`` (default: today in China).

    Refused (:class:`InputError`) where :func:`letter_refusal` says so, or when nothing is recommended.
    """
    refusal = letter_refusal(rec.unit, rec.level, rec.year)
    if refusal is not None:
        raise refusal
    _require_picks(rec, "推荐函", "recommendation letter")
    notice, sub = submission_for(rec, notice)
    day = day or china_today()
    unit = resolve_unit(rec.unit)
    level = Level(rec.level)
    n = len(rec.selected)
    title = f"关于推荐{rec.year}年度{level.zh}智能工厂项目的函"
    cited = f"《{notice.title_zh}》（{notice.document}）" if notice.title_zh else f"{notice.document}"
    body = (
        f"根据{cited}要求，{profile.official_name}现推荐{rec.year}年度{level.zh}智能工厂项目{n}个。",
        f"推荐项目按优先顺序排列，见附件《{table_title(rec, notice)}》。",
        "特此函告。",
    )
    note_parts = [f"联系人：{profile.contact or BLANK}", f"联系电话：{profile.phone or BLANK}"]
    if profile.email:
        note_parts.append(f"电子邮箱：{profile.email}")
    if profile.address:
        note_parts.append(f"通信地址：{profile.address}")
    return Letter(
        title=title,
        addressees=sub.addressees(unit.unit_type),
        body=body,
        attachment=table_title(rec, notice),
        signers=profile.signers,
        date=chinese_date(day),
        note="（" + "；".join(note_parts) + "）",
    )


# ---------------------------------------------------------------------- .docx building blocks


def _docx():
    try:
        import docx  # noqa: F401
    except ImportError as exc:  # a runtime dependency; said plainly if an install lacks it
        raise InputError("缺少 python-docx，无法生成 Word 文书（pip install python-docx）",
                         "python-docx is missing: no Word document can be made (pip install python-docx)") from exc
    import docx

    return docx


def _new_document(body_font: str, body_pt: float):
    """A blank document whose defaults are ``body_font`` at ``body_pt``, Chinese text, no paragraph spacing."""
    docx = _docx()
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = docx.Document()
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr_default.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    _name_font(fonts, body_font)
    # The document grid's character pitch is reckoned from the default size, so it is the body's.
    for tag in ("w:sz", "w:szCs"):
        rpr_default.find(qn(tag)).set(qn("w:val"), str(round(body_pt * 2)))
    lang = rpr_default.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    normal.font.size = Pt(body_pt)
    _name_font(normal.element.get_or_add_rPr().get_or_add_rFonts(), body_font)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    # Table Grid (the summary table's style) inherits Normal; nothing else is used.
    _add_font_fallbacks(doc)
    return doc


def _name_font(rfonts, name: str) -> None:
    from docx.oxml.ns import qn

    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)


def _add_font_fallbacks(doc) -> None:
    """Declare the official fonts in the font table with the font to use where they are missing (w:altName)."""
    from xml.sax.saxutils import quoteattr

    part = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    entries = "".join(
        f'<w:font w:name={quoteattr(name)}><w:altName w:val={quoteattr(alt)}/><w:charset w:val="86"/>'
        f'<w:family w:val="{"roman" if name != HEADING_FONT else "modern"}"/><w:pitch w:val="variable"/></w:font>'
        for name, alt in FALLBACK_FONTS.items()
    ).encode("utf-8")
    part._blob = part.blob.replace(b"</w:fonts>", entries + b"</w:fonts>")


def _run(paragraph, text: str, font: str, size_pt: float, *, bold: bool = False, underline: bool = False,
         condense_twentieths: int = 0):
    """A run of ``text`` in ``font`` for every script (East Asian included), condensed by
    ``condense_twentieths`` twentieths of a point (w:spacing) when given."""
    from docx.shared import Pt

    run = paragraph.add_run(_XML_ILLEGAL.sub("", text))
    run.font.size = Pt(size_pt)
    if condense_twentieths:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(-condense_twentieths))
        run._element.get_or_add_rPr().insert_element_before(spacing, "w:w", "w:kern", "w:position", "w:sz")
    run.font.bold = bold or None
    if underline:
        run.font.underline = True
    _name_font(run._element.get_or_add_rPr().get_or_add_rFonts(), font)
    return run


def _field(paragraph, instruction: str, shown: str, font: str, size_pt: float) -> None:
    """A field (PAGE, NUMPAGES) as Word writes one: begin, instruction, separate, last value, end."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def fld_char(kind: str) -> None:
        run = _run(paragraph, "", font, size_pt)
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._element.append(element)

    fld_char("begin")
    run = _run(paragraph, "", font, size_pt)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._element.append(instr)
    fld_char("separate")
    _run(paragraph, shown, font, size_pt)
    fld_char("end")


def _paragraph(container, *, align=None, first_line_chars: float = 0, right_chars: float = 0,
               left_chars: float = 0, exact_twips: int | None = None, font_pt: float = LETTER_BODY_PT,
               snap_to_grid: bool = True, keep_with_next: bool = False):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, Twips

    p = container.add_paragraph()
    fmt = p.paragraph_format
    if align is not None:
        fmt.alignment = align
    if exact_twips:
        from docx.enum.text import WD_LINE_SPACING

        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Twips(exact_twips)
    fmt.keep_with_next = keep_with_next or None
    if first_line_chars:
        fmt.first_line_indent = Pt(font_pt * first_line_chars)
    if right_chars:
        fmt.right_indent = Pt(font_pt * right_chars)
    if left_chars:
        fmt.left_indent = Pt(font_pt * left_chars)
    ind = p._p.get_or_add_pPr().find(qn("w:ind"))
    if ind is not None:  # in characters too, so Word keeps the indent when the font size changes
        for attr, chars in (("w:firstLineChars", first_line_chars), ("w:rightChars", right_chars),
                            ("w:leftChars", left_chars)):
            if chars:
                ind.set(qn(attr), str(round(chars * 100)))
    if not snap_to_grid:
        ppr = p._p.get_or_add_pPr()
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        ppr.insert_element_before(snap, "w:spacing", "w:ind", "w:jc", "w:rPr")
    return p


def _document_bytes(doc, day: date, title: str) -> bytes:
    """The .docx bytes, the same for the same content: dated ``day``, zip entries at a fixed time."""
    props = doc.core_properties
    stamp = datetime(day.year, day.month, day.day)
    props.created = props.modified = stamp
    props.last_printed = stamp
    props.author = props.last_modified_by = ""
    props.title = title
    props.revision = 1
    props.comments = ""
    props.keywords = ""
    props.subject = ""
    buffer = io.BytesIO()
    doc.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def _mm_twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


# ---------------------------------------------------------------------- the summary table: .docx


def summary_table_docx(rec: Recommendation, profile: UnitProfile, day: date | None = None, *,
                       with_score: bool = False, notice: NoticeYear | None = None) -> bytes:
    """The summary table as .docx bytes (module doc); ``day`` is the 填报日期 (default today in China)."""
    _require_picks(rec, "推荐汇总表", "summary table")
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    day = day or china_today()
    title = table_title(rec, notice)
    doc = _new_document(BODY_FONT, TABLE_TEXT_PT)
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(297), Mm(210)
    for side, mm in TABLE_MARGINS_MM.items():
        setattr(sec, f"{side}_margin", Mm(mm))
    sec.header_distance, sec.footer_distance = Mm(12), Mm(10)

    p = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER, font_pt=TABLE_TITLE_PT)
    p.paragraph_format.space_after = Pt(12)
    _run(p, title, TITLE_FONT, TABLE_TITLE_PT)
    p = _paragraph(doc, font_pt=TABLE_LINE_PT)
    p.paragraph_format.space_after = Pt(6)
    _run(p, "推荐单位（盖章）：", BODY_FONT, TABLE_LINE_PT)
    _run(p, profile.official_name, BODY_FONT, TABLE_LINE_PT)

    headers = table_headers(with_score)
    widths = [w for _, w in TABLE_COLUMNS] + ([SCORE_COLUMN[1]] if with_score else [])
    if with_score:  # the score's room comes out of the two long names
        widths[1] -= SCORE_COLUMN[1] // 2
        widths[2] -= SCORE_COLUMN[1] - SCORE_COLUMN[1] // 2
    rows = table_rows(rec, with_score)
    table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # w:tblLayout fixed: the column widths below hold in Word and WPS alike
    centred = {0, 3, 5, 6}
    for i, row in enumerate(table.rows):
        row.height, row.height_rule = Mm(9), WD_ROW_HEIGHT_RULE.AT_LEAST  # room to write a correction by hand
        tr_pr = row._tr.get_or_add_trPr()
        cant_split = OxmlElement("w:cantSplit")
        tr_pr.append(cant_split)
        if i == 0:
            tr_pr.append(OxmlElement("w:tblHeader"))
        values = headers if i == 0 else rows[i - 1]
        for j, (cell, value) in enumerate(zip(row.cells, values)):
            cell.width = Mm(widths[j])
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            para = cell.paragraphs[0]
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER if (i == 0 or j in centred) else WD_ALIGN_PARAGRAPH.LEFT
            para.paragraph_format.space_before = para.paragraph_format.space_after = Pt(2)
            if i == 0:
                _run(para, value, HEADING_FONT, TABLE_TEXT_PT)
            else:
                _run(para, value, BODY_FONT, TABLE_TEXT_PT)
    grid = table._tbl.tblGrid
    for col, mm in zip(grid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(_mm_twips(mm)))

    p = _paragraph(doc, font_pt=TABLE_LINE_PT)
    p.paragraph_format.space_before = Pt(12)
    for k, (label, value) in enumerate(sign_off_lines(profile, day)):
        if k:
            _run(p, "　　　　", BODY_FONT, TABLE_LINE_PT)
        _run(p, label, BODY_FONT, TABLE_LINE_PT)
        _run(p, value or BLANK, BODY_FONT, TABLE_LINE_PT, underline=not value)

    footer = sec.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(footer, "第 ", BODY_FONT, 10.5)
    _field(footer, "PAGE", "1", BODY_FONT, 10.5)
    _run(footer, " 页 共 ", BODY_FONT, 10.5)
    _field(footer, "NUMPAGES", "1", BODY_FONT, 10.5)
    _run(footer, " 页", BODY_FONT, 10.5)
    return _document_bytes(doc, day, title)


# ---------------------------------------------------------------------- the letter: .docx


def _text_width(text: str) -> float:
    """Width in characters of the body font: CJK and full-width 1, ASCII digits and letters 1/2."""
    return sum(0.5 if ord(ch) < 0x2000 else 1.0 for ch in text)


def signature_indents(signers: tuple[str, ...], date_text: str) -> tuple[float, float]:
    """Right indents (in characters) of the signers and the date: the date four characters from the
    right margin and the signers centred over it; a signer longer than the date is set two
    characters from the margin and the date centred under it (GB/T 9704-2012 7.3.5.1)."""
    name_w = max(_text_width(s) for s in signers)
    date_w = _text_width(date_text)
    if name_w <= date_w:
        return 4 + (date_w - name_w) / 2, 4
    return 2, 2 + (name_w - date_w) / 2


def letter_docx(rec: Recommendation, profile: UnitProfile, day: date | None = None, *,
                notice: NoticeYear | None = None) -> bytes:
    """The recommendation letter as .docx bytes (module doc); refused like :func:`letter_content`."""
    letter = letter_content(rec, profile, day, notice)
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    day = day or china_today()
    doc = _new_document(BODY_FONT, LETTER_BODY_PT)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    for side, mm in LETTER_MARGINS_MM.items():
        setattr(sec, f"{side}_margin", Mm(mm))
    sec.header_distance = Mm(15)
    sec.footer_distance = Mm(22)  # the page number's top 7 mm under the text block (7.5)
    grid = sec._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))

    def line(**kwargs):
        return _paragraph(doc, exact_twips=LINE_PITCH_TWIPS, **kwargs)

    p = line(align=WD_ALIGN_PARAGRAPH.CENTER, font_pt=LETTER_TITLE_PT, snap_to_grid=False)
    _run(p, letter.title, TITLE_FONT, LETTER_TITLE_PT)
    line()  # one blank line between the title and the addressees (7.3.2)
    p = line(align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _run(p, letter.salutation, BODY_FONT, LETTER_BODY_PT, condense_twentieths=CONDENSE_TWENTIETHS)
    for text in letter.body:
        p = line(align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_line_chars=2)
        _run(p, text, BODY_FONT, LETTER_BODY_PT, condense_twentieths=CONDENSE_TWENTIETHS)
    line()  # 附件说明: one blank line under the text, two characters in (7.3.4)
    p = line(align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_line_chars=2)
    _run(p, "附件：" + letter.attachment, BODY_FONT, LETTER_BODY_PT, condense_twentieths=CONDENSE_TWENTIETHS)
    signer_indent, date_indent = signature_indents(letter.signers, letter.date)
    for k, signer in enumerate(letter.signers):
        for _ in range(3 if k == 0 else 2):  # room for each seal above its signer's name
            line(keep_with_next=True)
        p = line(align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=signer_indent, keep_with_next=True)
        _run(p, signer, BODY_FONT, LETTER_BODY_PT, condense_twentieths=CONDENSE_TWENTIETHS)
    p = line(align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=date_indent, keep_with_next=True)
    _run(p, letter.date, BODY_FONT, LETTER_BODY_PT, condense_twentieths=CONDENSE_TWENTIETHS)
    p = line(align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_line_chars=2)  # 附注 (7.3.6)
    for part in re.split(f"({BLANK})", letter.note):
        if part:
            _run(p, part, BODY_FONT, LETTER_BODY_PT, underline=part == BLANK,
                 condense_twentieths=CONDENSE_TWENTIETHS)

    # Page numbers: 四号 宋体 "— N —", odd pages right and even pages left, one character in (7.5).
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align, side in ((sec.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
                                (sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")):
        p = footer.paragraphs[0]
        p.alignment = align
        setattr(p.paragraph_format, f"{side}_indent", Pt(LETTER_PAGE_NUMBER_PT))
        _run(p, "— ", PAGE_NUMBER_FONT, LETTER_PAGE_NUMBER_PT)
        _field(p, "PAGE", "1", PAGE_NUMBER_FONT, LETTER_PAGE_NUMBER_PT)
        _run(p, " —", PAGE_NUMBER_FONT, LETTER_PAGE_NUMBER_PT)
    return _document_bytes(doc, day, letter.title)


__all__ = ["BODY_FONT", "CHARS_PER_LINE", "FALLBACK_FONTS", "LINES_PER_PAGE", "Letter", "TITLE_FONT", "china_time", "china_today",
           "chinese_date", "letter_content", "letter_docx", "letter_refusal", "parse_date", "sign_off_lines",
           "signature_indents", "submission_for", "summary_table_docx", "table_headers", "table_rows", "table_title"]
