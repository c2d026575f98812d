"""Render the README's pictures of the printed summary table and recommendation letter.

    python3 scripts/render_documents.py            # writes docs/document_table.png and docs/document_letter.png

The documents are made from the bundled 四川省 sample pool (synthetic projects) with an example
profile, dated 2025-07-25, converted to PDF by LibreOffice (Debian: libreoffice-writer-nogui) and
to PNG by ``pdftoppm`` (poppler-utils). A machine without the official fonts shows stand-ins: this
script maps 仿宋_GB2312 to AR PL UMing (fonts-arphic-uming) and 方正小标宋简体 / 黑体 to WenQuanYi
Micro Hei (fonts-wqy-microhei) through a private fontconfig file, so the pictures show the layout,
not the exact typeface.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quota_opt.documents import BODY_FONT, HEADING_FONT, TITLE_FONT, letter_docx, summary_table_docx  # noqa: E402
from quota_opt.pipeline import recommend  # noqa: E402
from quota_opt.profile import UnitProfile  # noqa: E402
from quota_opt.samples import sample_path  # noqa: E402

EXAMPLE = UnitProfile("四川省", name="四川省经济和信息化厅", contact="张三", phone="028-86000000",
                      email="zhangsan@example.cn")
STAND_INS = {BODY_FONT: "AR PL UMing CN", "仿宋": "AR PL UMing CN", TITLE_FONT: "WenQuanYi Micro Hei",
             HEADING_FONT: "WenQuanYi Micro Hei", "宋体": "AR PL UMing CN"}


def fontconfig(folder: Path) -> Path:
    aliases = "".join(f"<alias binding='same'><family>{name}</family><prefer><family>{font}</family></prefer></alias>"
                      for name, font in STAND_INS.items())
    path = folder / "fonts.conf"
    path.write_text(f"<?xml version='1.0'?><!DOCTYPE fontconfig SYSTEM 'fonts.dtd'><fontconfig>"
                    f"<include ignore_missing='yes'>/etc/fonts/fonts.conf</include>{aliases}</fontconfig>",
                    encoding="utf-8")
    return path


def render(docx_bytes: bytes, name: str, out: Path, work: Path, dpi: int, env: dict) -> Path:
    source = work / f"{name}.docx"
    source.write_bytes(docx_bytes)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{work}/lo", "--convert-to", "pdf",
                    "--outdir", str(work), str(source)], check=True, env=env, capture_output=True, timeout=300)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", str(work / f"{name}.pdf"),
                    str(out.with_suffix(""))], check=True, timeout=120)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--dpi", type=int, default=80)
    args = parser.parse_args(argv)
    missing = [tool for tool in ("soffice", "pdftoppm") if shutil.which(tool) is None]
    if missing:
        print(f"cannot render: {', '.join(missing)} not installed (apt-get install libreoffice-writer-nogui "
              "poppler-utils)", file=sys.stderr)
        return 2
    rec = recommend(sample_path("sichuan_excellent_2025"), "四川省", "excellent", 2025)
    day = date(2025, 7, 25)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig(work))}
        for name, data in (("document_table", summary_table_docx(rec, EXAMPLE, day)),
                           ("document_letter", letter_docx(rec, EXAMPLE, day))):
            print(f"wrote {render(data, name, args.out / f'{name}.png', work, args.dpi, env)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
