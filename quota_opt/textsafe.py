"""Text from files made safe where it leaves the tool: on a terminal, and in a spreadsheet.

Two hazards, one module:

* **Terminal**: a project name read from a file may hold control characters. Printed as they
  are, an escape sequence can move the cursor, rewrite the lines above (hiding a row of the table
  an official signs), set the window title or write the clipboard (OSC 52), and a bidi override
  (U+202E …) can make a line read in another order than it is stored. :func:`printable` shows each
  such character as a visible escape (``\\x1b``, ``\\u202e``) instead; everything the CLI prints as
  text goes through it. JSON on standard output is escaped by :func:`json_printable`, which keeps
  the document exactly equal after parsing.
* **Spreadsheet**: text beginning with ``= + - @`` (or their full-width forms ＝＋－＠), a tab or a
  carriage return may be read as a formula by a spreadsheet program (CSV injection).
  :func:`formula_like` says whether a text is such a text; :func:`neutralise` prefixes it with an
  apostrophe for CSV files, where no cell type exists; the workbook export keeps the text as it is
  and stores it as a text cell with Excel's "quote prefix" instead (no visible apostrophe).
  A plain number written as text (``-3.5``) is not a formula and is left alone.
"""

from __future__ import annotations

import re
from typing import Any

# C0 controls (tab and newline included: a table cell must stay on one line), DEL, C1 controls.
_CONTROL = {chr(c) for c in range(0x20)} | {chr(0x7F)} | {chr(c) for c in range(0x80, 0xA0)}
# Bidirectional embeddings, overrides, isolates and marks (the "Trojan Source" set), and the
# Unicode line and paragraph separators, which some terminals treat as a new line.
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}
_SEPARATORS = {"\u2028", "\u2029"}
UNSAFE = frozenset(_CONTROL | _BIDI | _SEPARATORS)
_UNSAFE_RE = re.compile("[" + "".join(re.escape(ch) for ch in sorted(UNSAFE)) + "]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match) -> str:
    ch = match.group(0)
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: Any, *, keep_newlines: bool = False) -> str:
    """``text`` as a string that a terminal shows as it is: every control character (C0, DEL,
    C1: escape sequences, OSC 52 clipboard writes), bidi override and line separator becomes a
    visible escape such as ``\\x1b`` or ``\\u202e``. With ``keep_newlines`` a ``\\n`` stays a line break
    (for multi-line text the tool itself composed)."""
    text = "" if text is None else str(text)
    if keep_newlines:
        return "\n".join(_UNSAFE_RE.sub(_escape, line) for line in text.split("\n"))
    return _UNSAFE_RE.sub(_escape, text)


# json.dumps escapes C0 itself; the rest of UNSAFE passes through it with ensure_ascii=False.
_JSON_UNSAFE_RE = re.compile("[" + "".join(re.escape(ch) for ch in sorted(UNSAFE) if ord(ch) >= 0x20) + "]")


def json_printable(document: str) -> str:
    """A JSON text with the characters :func:`printable` escapes written as ``\\uXXXX`` escapes.

    ``json.dumps`` already escapes C0 controls; DEL, C1 controls and bidi characters pass through
    with ``ensure_ascii=False``. They can only occur inside JSON strings, where ``\\uXXXX`` means the
    same character, so the parsed document is unchanged."""
    return _JSON_UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", document)


# ---------------------------------------------------------------------- spreadsheets

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def formula_like(value: Any) -> bool:
    """True for text a spreadsheet could take for a formula: it begins with = + - @ (or ＝＋－＠),
    a tab or a carriage return, and is not simply a number such as ``-3.5``."""
    return (isinstance(value, str) and value.startswith(FORMULA_START)
            and not _PLAIN_NUMBER.fullmatch(value))


def neutralise(value: Any) -> Any:
    """For CSV: formula-like text with an apostrophe in front (shown as text, never evaluated);
    every other value (numbers, negative ones included) as it is."""
    return "'" + value if formula_like(value) else value


__all__ = ["FORMULA_START", "UNSAFE", "formula_like", "json_printable", "neutralise", "printable"]
