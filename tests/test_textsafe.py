"""quota_opt.textsafe: text from files never reaches a terminal as control sequences, and never a
spreadsheet as a formula (issue 9 §1)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import unicodedata

import pytest
from hypothesis import given, strategies as st

from quota_opt.cli.common import json_text, print_csv, print_table, say
from quota_opt.textsafe import UNSAFE, formula_like, json_printable, neutralise, printable

# Text biased towards the hazards: escape sequences, OSC 52, C1, DEL, bidi overrides, separators.
HAZARDS = ["\x1b[2J", "\x1b]52;c;ZXZpbA==\x07", "\x9b31m", "\x7f", "\u202e", "\u2066", "\u2028", "\r", "\n", "\t",
           "\x00", "\x85"]
texts = st.lists(st.one_of(st.sampled_from(HAZARDS), st.text(max_size=8)), max_size=8).map("".join)


def unsafe_in(text: str) -> set[str]:
    return {ch for ch in text if ch in UNSAFE}


def test_every_hazard_is_in_the_unsafe_set():
    for ch in "\x1b\x07\x9b\x7f\x00\x85\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029":
        assert ch in UNSAFE, repr(ch)
    assert all(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in UNSAFE)


def test_an_escape_sequence_is_shown_not_obeyed():
    assert printable("A\x1b]52;c;ZXZpbA==\x07B") == "A\\x1b]52;c;ZXZpbA==\\x07B"
    assert printable("名称\u202e部分") == "名称\\u202e部分"
    assert printable("第一行\n第二行") == "第一行\\n第二行"
    assert printable("第一行\n第\x1b二行", keep_newlines=True) == "第一行\n第\\x1b二行"
    assert printable("智能工厂 Smart-Factory（一期）") == "智能工厂 Smart-Factory（一期）"


@given(texts)
def test_printable_leaves_no_control_character(text):
    assert unsafe_in(printable(text)) == set()
    assert unsafe_in(printable(text, keep_newlines=True)) <= {"\n"}


@given(st.lists(st.dictionaries(st.sampled_from(["a", "b", "名称"]), texts, max_size=3), max_size=5), st.lists(texts, min_size=1, max_size=3))
def test_no_table_line_holds_a_control_character_whatever_the_cells(rows, extra_columns):
    with contextlib.redirect_stdout(io.StringIO()) as buffer:
        print_table(rows, ["a", "b", "名称", *extra_columns])
        say("".join(extra_columns))
    out = buffer.getvalue()
    for line in out.split("\n"):
        assert unsafe_in(line) == set(), repr(line)


@given(st.recursive(st.one_of(st.none(), st.integers(), st.floats(allow_nan=False), texts),
                    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(texts, inner, max_size=3)),
                    max_leaves=10))
def test_json_output_is_escaped_yet_parses_to_the_same_document(document):
    text = json_text(document)
    assert unsafe_in(text) <= {"\n"}  # the line breaks of the indentation only
    assert json.loads(text) == document
    assert json.loads(json_printable(json.dumps(document, ensure_ascii=False))) == document


@given(st.lists(texts, min_size=1, max_size=4))
def test_csv_on_stdout_has_no_control_character_and_no_formula(values):
    with contextlib.redirect_stdout(io.StringIO()) as buffer:
        print_csv([{f"c{i}": v for i, v in enumerate(values)}], [f"c{i}" for i in range(len(values))])
    out = buffer.getvalue()
    assert unsafe_in(out) <= {"\n"}
    for row in csv.reader(io.StringIO(out)):
        assert not any(formula_like(cell) for cell in row)


@pytest.mark.parametrize("text", ["=1+2", "+1+2", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "＝1+1", "＋1", "－1", "＠x",
                                  '=HYPERLINK("http://evil.example","点击")'])
def test_formula_like_text_is_neutralised_with_an_apostrophe(text):
    assert formula_like(text) and neutralise(text) == "'" + text


@pytest.mark.parametrize("value", [-3.5, -1, 0, 2.5, "-3.5", "+2", "-1e-3", "智能工厂", "", None, "a=b"])
def test_numbers_and_ordinary_text_stay_as_they_are(value):
    assert not formula_like(value) and neutralise(value) == value


@given(texts)
def test_neutralised_text_never_starts_a_formula(text):
    out = neutralise(text)
    assert not formula_like(out)
    assert out == text or out == "'" + text
