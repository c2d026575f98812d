"""Save an openpyxl workbook reproducibly: the same content always gives the same bytes.

openpyxl stamps the save time into ``docProps/core.xml`` and into every zip entry, so two saves
of one workbook differ. Bundled files (sample pools, the template) are saved through
:func:`save_reproducibly`, which fixes both stamps, so regenerating them changes nothing in git.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from pathlib import Path

FIXED_TIME = _dt.datetime(2025, 1, 1, 0, 0, 0)
_ZIP_TIME = (2025, 1, 1, 0, 0, 0)


def workbook_bytes(workbook) -> bytes:
    """The .xlsx bytes of ``workbook`` with fixed timestamps."""
    workbook.properties.created = FIXED_TIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + stamp + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, data)
    return out.getvalue()


def save_reproducibly(workbook, target: str | Path) -> Path:
    """Write ``workbook`` to ``target`` (see :func:`workbook_bytes`) and return the path."""
    target = Path(target)
    target.write_bytes(workbook_bytes(workbook))
    return target


__all__ = ["save_reproducibly", "workbook_bytes", "FIXED_TIME"]
