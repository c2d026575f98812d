"""The problem built by columns (issue 13) is exactly the one the per-row building gave (tests/reference_problem.py,
the oracle): on random pools with odd text (full-width letters, Unicode white space, numbers and missing cells in
text columns, empty groups that fall back to the enterprise), odd project ids, per-key cap and floor tables naming
keys with and without candidates, include/exclude lists and every kind of score container, the same projects in
the same order, the same texts, scores, rules (names, solver names, families, keys, members, bounds, wording) in
the same order, the same warnings, and the same errors with the same messages."""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from factories import make_pool
from quota_opt.columns import normalise_text
from quota_opt.errors import InputError
from quota_opt.optimise import build_problem, group_keys
from quota_opt.optimise.problem import _normalised
from quota_opt.scenario import Constraints, FrozenMap
from reference_problem import problem_differences, reference_build_problem, reference_group_keys

NAN = float("nan")
# Each list holds texts that read the same once normalised and texts that only look alike.
CITY_TEXTS = ["成都市", "成都市 ", "  成都市", "成都 市", "成都\u3000市", "成都\t\n市", "绵阳市", "ｍｉａｎｙａｎｇ", "mianyang",
              "\u00a0绵阳市\u2028", "", "  ", None, NAN, pd.NA, 7, 7.0, "7", True]
INDUSTRY_TEXTS = ["汽车制造业", "汽车制造业\u3000", "ＡＢＣ", "ABC", "A  B", "A B", "医药", "", None, 3, "3"]
GROUP_TEXTS = ["", "", "", "东方电气集团", "东方电气集团 ", "ＴＣＬ", "TCL", None, NAN, "  ", 0]
ENTERPRISE_TEXTS = ["企业甲", "企业甲 ", "企业乙", "ＴＣＬ", "TCL", "东方电气集团", "", None, 12]
# Project ids that are distinct as text but look alike, sort unlike their look, or hold odd code points.
ID_TEXTS = ["P1", "P01", "p1", "P1 ", " P1", "Ｐ１", "P10", "P2", "P\u00e9", "Pe\u0301", "项目1", "项目01", "P\x00",
            "P", "P\U0001f600", "P\uffff", "Z", "a", "10", "9"]
KEYS = ["成都市", "绵阳市", "mianyang", "汽车制造业", "ABC", "A B", "医药", "东方电气集团", "TCL", "企业甲", "企业乙",
        "", "7", "7.0", "True", "3", "nowhere"]


def _text_column(draw, values, n):
    """A text column: drawn cells (or a missing column) as str cells (pandas' str dtype) or mixed objects."""
    cells = draw(st.lists(st.sampled_from(values), min_size=n, max_size=n))
    if draw(st.booleans()):  # plain text: numbers written as text, missing cells as None
        cells = [c if isinstance(c, str) else None if c is None or c is pd.NA or c != c else str(c) for c in cells]
        return pd.Series(cells, dtype="str")
    return pd.Series(cells, dtype=object)


@st.composite
def cases(draw):
    n = draw(st.integers(0, 16))
    pool = make_pool(n, seed=draw(st.integers(0, 3)))
    ids = draw(st.lists(st.sampled_from(ID_TEXTS), min_size=n, max_size=n, unique=draw(st.booleans()) or n > 12))
    id_kind = draw(st.sampled_from(["str", "object", "numbers"]))
    if id_kind == "numbers":  # numbers as project ids: compared as their text
        pool["project_id"] = pd.Series(draw(st.lists(st.integers(0, 30), min_size=n, max_size=n, unique=True)),
                                       dtype="int64")
    else:
        pool["project_id"] = pd.Series(ids, dtype="str" if id_kind == "str" else object)
    for column, values in (("city", CITY_TEXTS), ("industry", INDUSTRY_TEXTS), ("group", GROUP_TEXTS),
                           ("enterprise", ENTERPRISE_TEXTS)):
        if draw(st.integers(0, 9)) == 0:
            pool = pool.drop(columns=[column])
        else:
            pool[column] = _text_column(draw, values, n)
    if draw(st.booleans()):
        pool = pool.iloc[draw(st.permutations(range(n)))] if n else pool
    text_ids = [str(v) for v in pool["project_id"].tolist()]

    points = st.sampled_from([0.0, 50.0, 60.0, 60.0, 70.5, 99.9999994, 99.9999996, 100.0])  # ties on purpose
    values = draw(st.lists(points, min_size=n, max_size=n))
    kind = draw(st.sampled_from(["series", "series", "shuffled", "mapping", "array", "labels", "bad"]))
    if kind == "series":  # as score() gives it: text labels in row order
        scores = pd.Series(values, index=pd.Index(pool["project_id"].astype(str), name="project_id"), name="score")
    elif kind == "shuffled":
        scores = pd.Series(values, index=pd.Index(text_ids, name="project_id")).iloc[::-1]
    elif kind == "mapping":
        scores = dict(zip(text_ids, values))
    elif kind == "array":
        scores = np.array(values)
    elif kind == "labels":  # the ids' own values as labels (numbers, when the ids are numbers)
        scores = pd.Series(values, index=pool["project_id"].tolist(), dtype=float)
    else:  # a missing, extra, negative or infinite score
        scores = pd.Series(values + [1.0], index=text_ids + ["extra"]).iloc[1:]
        if draw(st.booleans()) and n:
            scores.iloc[-1] = draw(st.sampled_from([-1.0, np.inf, NAN]))

    rules = {}
    for name in ("max_per_industry", "max_per_city", "max_per_group"):
        if draw(st.booleans()):
            rules[name] = draw(st.integers(0, 3))
    for name in ("min_per_industry", "min_per_city"):
        if draw(st.booleans()):
            rules[name] = draw(st.integers(0, 2))
    for name in ("industry_max", "industry_min", "city_max", "city_min", "group_max"):
        if draw(st.booleans()):
            rules[name] = FrozenMap(draw(st.dictionaries(st.sampled_from(KEYS), st.integers(0, 3), max_size=4)))
    if draw(st.booleans()):
        rules["min_score"] = draw(st.sampled_from([55.0, 65.0]))
    named = st.sampled_from(text_ids + ["nowhere"]) if n else st.just("nowhere")
    if draw(st.booleans()):
        rules["include"] = tuple(draw(st.lists(named, max_size=2, unique=True)))
    if draw(st.booleans()):
        rules["exclude"] = tuple(draw(st.lists(named, max_size=2, unique=True)))
    quota = draw(st.sampled_from([0, 1, 3, 5, np.int64(2), -1, True, 2.0]))
    known = draw(st.sampled_from([None, text_ids + ["nowhere"]]))
    return pool, scores, quota, Constraints(**rules), known


def outcome(build, pool, scores, quota, constraints, known):
    try:
        return build(pool, scores, quota, constraints, known_ids=known), None
    except InputError as exc:
        return None, (exc.message_zh, exc.message_en)


def assert_same_problem(got, expected):
    assert problem_differences(got, expected) == []


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cases())
def test_the_problem_built_by_columns_is_exactly_the_per_row_problem(case):
    pool, scores, quota, constraints, known = case
    got, got_error = outcome(build_problem, pool, scores, quota, constraints, known)
    expected, expected_error = outcome(reference_build_problem, pool, scores, quota, constraints, known)
    assert got_error == expected_error
    if expected is not None:
        assert_same_problem(got, expected)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_group_keys_by_columns_are_the_per_row_group_keys(case):
    pool = case[0]
    got, expected = group_keys(pool), reference_group_keys(pool)
    pd.testing.assert_series_equal(got, expected)
    assert [type(v) for v in got] == [type(v) for v in expected]


def test_the_benchmark_pool_with_every_rule_family_builds_the_same_problem():
    """The pool of benchmarks/bench_solve_loop.py's goal 2 (1,000 candidates, every rule family)."""
    pool = make_pool(1000, seed=42)
    ids = list(pool["project_id"])
    cons = Constraints(max_per_industry=6, min_per_industry=1, max_per_city=5, min_per_city=1, max_per_group=2,
                       min_score=30.0, include=tuple(ids[:2]), exclude=tuple(ids[2:4]),
                       city_max=FrozenMap({"成都市": 9, "拉萨市": 1}), city_min=FrozenMap({"拉萨市": 1}),
                       group_max=FrozenMap({"通威集团": 4}))
    scores = pd.Series(np.linspace(0, 100, 1000).round(6), index=pd.Index(pool["project_id"], name="project_id"))
    shuffled = pool.sample(frac=1, random_state=3)
    for frame in (pool, shuffled):
        assert_same_problem(build_problem(frame, scores, 40, cons), reference_build_problem(frame, scores, 40, cons))


# ---------------------------------------------------------------------- the orders and texts it relies on


ODD_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=6)  # surrogates and NUL included


@settings(max_examples=300, deadline=None)
@given(st.lists(ODD_TEXT, max_size=20, unique=True))
def test_project_ids_are_in_python_sorted_order_by_code_point(ids):
    """Any text, lone surrogates (which only an object column holds) and U+0000 included, sorts as Python's
    ``sorted`` sorts str: by code point, so '\\U0001f600' after '\\uffff' (unlike UTF-16 order)."""
    pool = pd.DataFrame({"project_id": pd.Series(ids, dtype=object)})
    problem = build_problem(pool, pd.Series(0.0, index=pd.Index(ids, dtype=object), dtype=float), 0, Constraints())
    assert problem.project_ids == tuple(sorted(ids))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["b", "a\x00", "a", "\uffff", "\U0001f600", "é", "e\u0301", "A", ""]),
                min_size=1, max_size=12))
def test_rule_keys_are_in_python_sorted_order_by_code_point(cities):
    pool = pd.DataFrame({"project_id": [f"P{i:02d}" for i in range(len(cities))],
                         "city": pd.Series(cities, dtype=object)})
    problem = build_problem(pool, pd.Series(0.0, index=pool["project_id"], dtype=float), 0, Constraints(min_per_city=1))
    normalised = [normalise_text(c) for c in cities]
    assert [r.key for r in problem.rules[1:]] == sorted(set(normalised))
    assert [r.members for r in problem.rules[1:]] == [
        tuple(i for i, c in enumerate(normalised) if c == key) for key in sorted(set(normalised))]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(st.characters(codec=None, exclude_categories=("Cs",)), max_size=5), max_size=8))
@example(["a", "\u0301"])  # a combining mark opening a text does not join the one before
@example(["e\u0301"])  # composes to é
@example(["\u1100", "\u1161"])  # Hangul jamo that would compose if they touched
@example(["\u1100\u1161"])
@example(["a\x00\u0301", "ＡＢＣ", "x\u3000y", ""])
@example(["\u00c5", "\u212b"])  # Å and the Ångström sign
@example(["已经规范", "汽车制造业"])
def test_texts_are_normalised_as_normalise_text_normalises_each(texts):
    """The one check over all texts (joined by U+0000) never passes a text normalise_text would change."""
    assert _normalised(list(texts)) == [normalise_text(t) for t in texts]


def test_already_normal_texts_are_kept_and_others_normalised():
    kept = ["成都市", "汽车制造业", "TCL"]
    assert _normalised(kept) is kept
    assert _normalised(["成都市", "ＴＣＬ"]) == ["成都市", "TCL"]
    assert _normalised(["a b"]) == ["a b"] and _normalised(["a  b"]) == ["a b"]
    assert unicodedata.is_normalized("NFKC", "\x00".join(kept))


def test_a_duplicate_id_is_named_as_before():
    pool = make_pool(4, seed=1, project_id=["B", "A", "B", "A"])
    with pytest.raises(InputError) as info:
        build_problem(pool, pd.Series([1.0] * 4, index=list("BABA")), 2, Constraints())
    assert info.value.message_en == "duplicate project ids: A, B"
