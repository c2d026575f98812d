"""Hostile and damaged .xlsx files, built by hand (zipfile and written XML) and small on disk, for the
tests of the readers' limits: ``workbook(sheets, strings)``, ``declare_size`` (a header that lies),
``streamed_sheet`` (a large sheet written in blocks), ``BILLION_LAUGHS`` (an entity bomb)."""

from __future__ import annotations

import struct
import zipfile
from io import BytesIO

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' \
     'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
HEADER = ["项目编号", "项目名称", "所在省份"]


def _rels(targets: dict[str, tuple[str, str]]) -> str:
    rows = "".join(f'<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   f'relationships/{kind}" Target="{target}"/>' for rid, (kind, target) in targets.items())
    return f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/' \
           f'package/2006/relationships">{rows}</Relationships>'


def inline_row(number: int, values: list[str]) -> str:
    cells = "".join(f'<c r="{chr(65 + j)}{number}" t="inlineStr"><is><t>{v}</t></is></c>' for j, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def sheet_xml(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData>{body}</sheetData></worksheet>'


def good_sheet(n: int = 2) -> str:
    return sheet_xml(inline_row(1, HEADER) + "".join(inline_row(i + 2, [f"T-{i}", f"项目{i}", "四川省"])
                                                      for i in range(n)))


def workbook(sheets: list[tuple[str, object, str]] | None = None, strings: str | None = None,
             extra: dict[str, bytes] | None = None) -> bytes:
    """An .xlsx of (name, sheet, state) sheets, optionally with a shared-string part. A sheet is its XML,
    or a function writing it into a binary stream (a large sheet, streamed into the zip)."""
    sheets = sheets or [("候选项目", good_sheet(), "visible")]
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                                          'package/2006/content-types"/>')
        z.writestr("_rels/.rels", _rels({"rId1": ("officeDocument", "xl/workbook.xml")}))
        entries = "".join(f'<sheet name="{name}" sheetId="{i + 1}" r:id="rId{i + 1}"'
                          + ("" if state == "visible" else f' state="{state}"') + "/>"
                          for i, (name, _, state) in enumerate(sheets))
        z.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook {NS}><sheets>{entries}</sheets></workbook>')
        targets = {f"rId{i + 1}": ("worksheet", f"worksheets/sheet{i + 1}.xml") for i in range(len(sheets))}
        if strings is not None:
            targets["rIdS"] = ("sharedStrings", "sharedStrings.xml")
            z.writestr("xl/sharedStrings.xml", strings)
        z.writestr("xl/_rels/workbook.xml.rels", _rels(targets))
        for i, (_, xml, _) in enumerate(sheets):
            if callable(xml):
                with z.open(f"xl/worksheets/sheet{i + 1}.xml", "w", force_zip64=True) as stream:
                    xml(stream)
            else:
                z.writestr(f"xl/worksheets/sheet{i + 1}.xml", xml)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buffer.getvalue()


def declare_size(data: bytes, part: str, size: int) -> bytes:
    """The zip with the uncompressed size of ``part`` rewritten (in its local and central headers) to
    ``size``: a header that lies."""
    out = bytearray(data)
    name = part.encode()
    # (header signature, offset of the size, offset of the name length, offset of the name)
    for signature, size_at, length_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        at = out.find(signature)
        while at != -1:
            length = struct.unpack_from("<H", out, at + length_at)[0]
            if bytes(out[at + name_at: at + name_at + length]) == name:
                struct.pack_into("<I", out, at + size_at, size)
            at = out.find(signature, at + 4)
    return bytes(out)


def streamed_sheet(row: str, count: int, first: str = ""):
    """A sheet writer: ``first`` then ``row`` ``count`` times, written in blocks (never one string)."""
    def write(stream):
        stream.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData>{first}'.encode())
        per_block = max(1, 1_000_000 // len(row))
        block = (row * per_block).encode()
        for _ in range(count // per_block):
            stream.write(block)
        stream.write((row * (count % per_block)).encode() + b"</sheetData></worksheet>")
    return write


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
                  + f']><worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
                  '</sheetData></worksheet>')
