"""The app's strings: one table, both languages for every key, and the helpers that pick and escape."""

from __future__ import annotations

import re
import string

import pytest

from app_helpers import REPO
from app_pages.i18n import TEXT, esc, split

SOURCES = [REPO / "app.py", *sorted((REPO / "app_pages").glob("*.py"))]
PLAIN_KEY = re.compile(r"""\bt\(\s*["']([a-z0-9_.]+)["']""")
F_KEY = re.compile(r"""\bt\(\s*f["']([a-z0-9_.]+)\{""")


def used_keys() -> tuple[set[str], set[str]]:
    plain, prefixes = set(), set()
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        plain |= set(PLAIN_KEY.findall(text))
        prefixes |= set(F_KEY.findall(text))
    return plain, prefixes


def test_every_key_the_pages_use_is_in_the_table():
    plain, prefixes = used_keys()
    assert len(plain) > 150
    assert sorted(plain - set(TEXT)) == []
    for prefix in prefixes:
        assert any(k.startswith(prefix) for k in TEXT), prefix


def test_every_text_has_both_languages_with_the_same_placeholders():
    fields = string.Formatter()
    for key, (zh, en) in TEXT.items():
        assert isinstance(zh, str) and isinstance(en, str)
        if key != "res.state.free":
            assert zh and en, key
        names = lambda s: sorted(f[1] for f in fields.parse(s) if f[1])  # noqa: E731
        assert names(zh) == names(en), key


def test_chinese_texts_are_chinese_and_english_texts_are_english():
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for key, (zh, en) in TEXT.items():
        if zh and key not in ("lang.label",):
            assert cjk.search(zh), key
        if key not in ("lang.label",):
            assert not cjk.search(en), key


@pytest.mark.parametrize("text,expected", [
    ("名额由用户指定 / quota overridden by the user: 30", ("名额由用户指定", "quota overridden by the user: 30")),
    ("项目 SC-030 缺少专家评审得分，按最差值（0）计 / project SC-030 has no value for expert score",
     ("项目 SC-030 缺少专家评审得分，按最差值（0）计", "project SC-030 has no value for expert score")),
    ("与河北省并列第10位 / tied at rank 10 with 河北省 / 安徽省", ("与河北省并列第10位", "tied at rank 10 with 河北省 / 安徽省")),
    ("数据状态：官方/二手 / data status official/secondary", ("数据状态：官方/二手", "data status official/secondary")),
    ("仅中文", ("仅中文", "仅中文")),
    ("English only / and more", ("English only / and more", "English only / and more")),
    # issue 13: the run information's first label has no space before its slash
    ("生成时间（北京时间）/ created (China Standard Time)", ("生成时间（北京时间）", "created (China Standard Time)")),
    ("路径 a/ b", ("路径 a/ b", "路径 a/ b")),
])
def test_split_finds_the_two_halves_of_a_core_message(text, expected):
    assert split(text) == expected


def test_escape_leaves_no_markup():
    raw = "**粗体** <b>x</b> [链接](http://e.x) :red[红] $x$ # 标题 `code` _i_ ~s~ 1. 2) - + ! | & = \" ' \\"
    out = esc(raw)
    plain, i = [], 0
    while i < len(out):  # read it as Markdown would: a backslash makes the next character literal
        if out[i] == "\\":
            plain.append(out[i + 1])
            i += 2
            continue
        assert out[i] not in "*<>[]():$#`_~.-+!|&=\"'", (out[i], out)  # nothing special left bare
        plain.append(out[i])
        i += 1
    assert "".join(plain) == raw
    assert esc("四川省（示例）智能工厂") == "四川省（示例）智能工厂"
