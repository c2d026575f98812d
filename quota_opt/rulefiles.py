"""Writing notice-rule files: next year's editable copy, a rules table as TOML, saving to the user folder.

:func:`next_year_text` starts a new year from an existing one, keeping the file's layout and
comments: the year set, the document, titles and date emptied for the user to fill, every rule id
and measure moved on, and every dataset of the basis year moved on by the same number of years
(``industrial_value_2024`` -> ``industrial_value_2025``). :func:`dump_toml` writes a rules table
(what ``tomllib`` reads, limited to the shapes a rule file uses) so the app's form can save one.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .errors import InputError
from .rules import available_years, check_text, notice_path, shipped_years
from .safeio import write_output
from .userdata import user_rules_dir

EMPTIED = ("document", "title_zh", "title_en", "date", "date_note")


def next_year_text(text: str, from_year: int, to_year: int) -> str:
    """The rule file ``text`` of ``from_year`` made into an editable start for ``to_year``."""
    step = to_year - from_year
    out = [
        f"# Rules of the {to_year} notice, started by `quota-opt rules new` from the {from_year} rules.",
        "# Fill in document, title_zh, title_en and date; check every value, clause and text_zh against the",
        f"# {to_year} notice (the texts still quote the {from_year} notice until you replace them);",
        "# then run `quota-opt rules check` on this file.",
    ]
    lines = text.replace("\r\n", "\n").split("\n")  # TOML lines end at \n only
    while lines and lines[0].lstrip().startswith("#"):  # the old file's heading speaks of the old year
        lines.pop(0)
    for line in lines:
        key = re.match(r"^\s*([A-Za-z_]+)\s*=", line)
        name = key[1] if key else ""
        if name == "year":
            line = f"year = {to_year}"
        elif name in EMPTIED:
            line = f'{name} = ""'
        elif name == "id":
            line = re.sub(rf"(?<!\d){from_year}(?!\d)", str(to_year), line)
        elif name == "dataset":
            line = re.sub(r"_(\d{4})\"", lambda m: f'_{int(m[1]) + step}"', line)
        elif name in ("measure_zh", "measure_en"):
            line = re.sub(r"(?<!\d)(\d{4})(?=年|\s)", lambda m: str(int(m[1]) + step), line)
        out.append(line)
    return "\n".join(out).rstrip("\n") + "\n"


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, (date, datetime)):
        return json.dumps(v.isoformat())
    if isinstance(v, str):
        # a JSON string is a TOML basic string, but for DEL, which TOML wants escaped too
        return json.dumps(v, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_value(x)}" for k, x in v.items()) + " }"
    if isinstance(v, (list, tuple)):
        if any(isinstance(x, dict) for x in v):
            return "[\n" + "".join(f"  {_value(x)},\n" for x in v) + "]"
        return "[" + ", ".join(_value(x) for x in v) + "]"
    raise InputError(f"无法写入 TOML 的值：{v!r}", f"cannot write {type(v).__name__} to TOML")


def dump_toml(raw: dict) -> str:
    """A rules table as TOML text: scalars and lists first, then each array of tables (``[[quota]]``)."""
    lines: list[str] = []
    tables = {k: v for k, v in raw.items() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)}
    for k, v in raw.items():
        if k not in tables and v is not None:
            lines.append(f"{k} = {_value(v)}")
    for name, rows in tables.items():
        for row in rows:
            lines += ["", f"[[{name}]]"]
            lines += [f"{k} = {_value(v)}" for k, v in row.items() if v is not None]
    return "\n".join(lines) + "\n"


def latest_year(rules_dir: Path | str | None = None) -> int:
    """The latest notice year with rules (shipped or the user's)."""
    return max(available_years(rules_dir))


def new_year(to_year: int, from_year: int, folder: Path | str | None = None, rules_dir: Path | str | None = None) -> Path:
    """Write ``to_year``'s editable rules, started from ``from_year``'s, into ``folder`` (default: the user
    rules folder) and return the path. A shipped year, an existing file or ``to_year`` not after
    ``from_year`` is an :class:`InputError`."""
    if to_year in shipped_years():
        raise InputError(f"{to_year}年度规则随软件提供，不能新建", f"the {to_year} rules ship with quota-opt; they cannot be made anew")
    if to_year <= from_year:
        raise InputError(f"新年度 {to_year} 应晚于 {from_year}", f"the new year {to_year} should come after {from_year}")
    source = notice_path(from_year, rules_dir).path
    text = next_year_text(source.read_text(encoding="utf-8-sig"), from_year, to_year)
    target = Path(folder) if folder is not None else user_rules_dir()
    path = target / f"{to_year}.toml"
    if path.exists():
        raise InputError(f"{path} 已存在，不覆盖；请先改名或删除", f"{path} already exists and is not overwritten; rename or remove it first")
    target.mkdir(parents=True, exist_ok=True)
    write_output(path, text.encode("utf-8"))
    return path


def save_user_rules(text: str, year: int, folder: Path | str | None = None) -> Path:
    """Save a rule file the user wrote (the app's form) as ``YEAR.toml`` in the user rules folder, after
    :func:`quota_opt.rules.check_text` finds no error. It may replace an earlier user file of that year,
    never a shipped year."""
    if year in shipped_years():
        raise InputError(f"{year}年度规则随软件提供，不能替代", f"the {year} rules ship with quota-opt and cannot be replaced")
    errors = [p for p in check_text(text, f"{year}.toml") if p.severity == "error"]
    if errors:
        raise InputError("规则有误：" + "；".join(p.one_line() for p in errors),
                         "the rules have errors: " + "; ".join(p.en for p in errors))
    target = Path(folder) if folder is not None else user_rules_dir()
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"{year}.toml"
    write_output(path, text.encode("utf-8"), force=True)
    return path
