"""``recommend --docx TABLE.docx --letter LETTER.docx [--docx-score] [--date YYYY-MM-DD]``: the summary
table and the recommendation letter (:mod:`quota_opt.documents`), written like every output file
(:func:`quota_opt.safeio.write_output`: never over an input, ``--force`` to replace, atomically).

The unit's profile (``quota-opt profile set``) signs them; without one the unit's official name
is used and the contact lines are left blank. A letter for a unit that recommends through another
(a planned city) is bad input (exit 2), checked before any work. When the rules cannot all hold,
no document is written and the exit code stays 1.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import date

from ..errors import InputError
from ..safeio import check_target, write_output


def add_document_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--docx", default=None, metavar="TABLE.docx",
                   help="推荐汇总表 Word 文档（按优先顺序）/ the summary table as a Word document, in priority order")
    p.add_argument("--letter", default=None, metavar="LETTER.docx",
                   help="推荐函 Word 文档（GB/T 9704-2012 格式）/ the recommendation letter (GB/T 9704-2012 layout)")
    p.add_argument("--docx-score", action="store_true",
                   help="推荐汇总表加“得分”列 / add the score column to the summary table")
    p.add_argument("--date", default=None, metavar="YYYY-MM-DD",
                   help="文书日期（默认北京时间今天）/ date of the documents (default: today in China Standard Time)")


@dataclass(frozen=True)
class DocumentRequest:
    day: date | None


def _inputs(args: argparse.Namespace) -> list[str]:
    from .common import input_files

    return input_files(args)


def check_document_arguments(args: argparse.Namespace) -> DocumentRequest:
    """Options checked before the run: suffixes, targets, the date, and whether a letter may be made."""
    from ..documents import letter_refusal, parse_date

    if args.docx_score and not args.docx:
        raise InputError("--docx-score 只用于 --docx", "--docx-score goes with --docx")
    if args.date and not (args.docx or args.letter):
        raise InputError("--date 只用于 --docx 或 --letter", "--date goes with --docx or --letter")
    targets = [(opt, path) for opt, path in (("--docx", args.docx), ("--letter", args.letter)) if path]
    for opt, path in targets:
        if not str(path).lower().endswith(".docx"):
            raise InputError(f"{opt} 的文件应以 .docx 结尾：{path}", f"the {opt} file must end in .docx: {path}")
        check_target(path, inputs=_inputs(args), force=args.force)
    if args.docx and args.letter and str(args.docx) == str(args.letter):
        raise InputError("--docx 与 --letter 不能是同一个文件", "--docx and --letter cannot be the same file")
    if args.letter:
        refusal = letter_refusal(args.unit, args.level, args.year)
        if refusal is not None:
            raise refusal
    return DocumentRequest(parse_date(args.date) if args.date else None)


def write_documents(args: argparse.Namespace, rec, request: DocumentRequest) -> None:
    """Write the documents asked for; when nothing is recommended, say so on stderr and write none."""
    if not (args.docx or args.letter):
        return
    if not rec.feasible or not rec.selected:
        print("未生成推荐汇总表和推荐函：没有推荐项目 / no summary table or letter written: nothing is recommended",
              file=sys.stderr)
        return
    from ..documents import letter_docx, summary_table_docx
    from ..store import RunStore

    profile = RunStore(args.db).profile(rec.unit)
    if args.docx:
        write_output(args.docx, summary_table_docx(rec, profile, request.day, with_score=args.docx_score),
                     inputs=_inputs(args), force=args.force)
    if args.letter:
        write_output(args.letter, letter_docx(rec, profile, request.day), inputs=_inputs(args), force=args.force)
