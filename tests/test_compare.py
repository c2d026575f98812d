"""Comparing two runs: entered, left, moved, stayed, objective, and which weights or rules differ."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quota_opt.compare import STANDING_TEXT, compare_runs, flatten, normalise_weights
from quota_opt.errors import InputError
from quota_opt.store import RunStore


def result(picks, not_selected=(), ineligible=(), invalid=(), status="optimal", quota=5, **extra):
    """A hand-built recommend result; ``picks`` is a list of (project_id, score) in priority order."""
    selected = [{"rank": i + 1, "project_id": p, "score": s} for i, (p, s) in enumerate(picks)]
    return {
        "unit": "四川省", "level": "excellent", "year": 2025, "quota": quota, "status": status,
        "objective": sum(s for _, s in picks) if status == "optimal" else None,
        "selected": selected,
        "not_selected": [{"project_id": p, "score": 10.0, "reason": r} for p, r in not_selected],
        "ineligible": [{"project_id": p, "failed_rules": ["R1"]} for p in ineligible],
        "invalid": [{"row": 9, "project_id": p, "problems": ["bad"]} for p in invalid],
        "explanation": "", **extra,
    }


BASE = """
name = "baseline"
[weights]
expert_score = 0.5
ai_scenario_share = 0.5
[constraints]
max_per_city = 10
include = ["P1", "P2"]
[constraints.industry_max]
"汽车制造业" = 5
"""

# A: P1 P2 P3 P4 ; B: P3 P1 P5 P2 (P4 out by the city cap, P5 in from quota_full)
A = result([("P1", 90), ("P2", 80), ("P3", 70), ("P4", 60)], not_selected=[("P5", "quota_full")],
           ineligible=["P7"])
B = result([("P3", 95), ("P1", 88), ("P5", 75), ("P2", 70)], not_selected=[("P4", "city_cap_full")],
           ineligible=["P7"])


def test_entered_left_moved_stayed_on_a_hand_built_pair():
    c = compare_runs((A, BASE), (B, BASE))
    assert c.entered == [{"project_id": "P5", "rank_b": 3, "score_b": 75, "in_a": "quota_full"}]
    assert c.left == [{"project_id": "P4", "rank_a": 4, "score_a": 60, "in_b": "city_cap_full"}]
    assert c.moved == [
        {"project_id": "P3", "rank_a": 3, "rank_b": 1, "places": 2, "score_a": 70, "score_b": 95},
        {"project_id": "P1", "rank_a": 1, "rank_b": 2, "places": -1, "score_a": 90, "score_b": 88},
        {"project_id": "P2", "rank_a": 2, "rank_b": 4, "places": -2, "score_a": 80, "score_b": 70},
    ]
    assert c.stayed == []
    assert (c.objective_a, c.objective_b, c.objective_diff) == (300.0, 328.0, 28.0)
    assert c.scenario_diff == [] and c.weight_diff == [] and c.weights_equivalent and c.context == []


def test_a_project_keeping_its_place_stayed():
    b = result([("P1", 91), ("P2", 80), ("P4", 61), ("P3", 50)])
    c = compare_runs((A, BASE), (b, BASE))
    assert [s["project_id"] for s in c.stayed] == ["P1", "P2"]
    assert c.stayed[0] == {"project_id": "P1", "rank": 1, "score_a": 90, "score_b": 91}
    assert [(m["project_id"], m["places"]) for m in c.moved] == [("P4", 1), ("P3", -1)]
    assert c.same_selection


def test_comparing_a_run_with_itself_finds_nothing():
    c = compare_runs((A, BASE), (A, BASE))
    assert not c.entered and not c.left and not c.moved and len(c.stayed) == 4
    assert c.objective_diff == 0.0 and c.scenario_diff == [] and c.weight_diff == []


@pytest.mark.parametrize(
    "b_run, in_a",
    [
        (result([("P7", 50)]), "ineligible"),
        (result([("P8", 50)]), "absent"),
        (result([("P9", 50)]), "invalid"),
    ],
)
def test_entered_says_where_the_project_stood_in_a(b_run, in_a):
    a = result([("P1", 90)], ineligible=["P7"], invalid=["P9"])
    c = compare_runs((a, ""), (b_run, ""))
    assert c.entered[0]["in_a"] == in_a
    assert STANDING_TEXT[in_a] in c.to_text()


def test_an_infeasible_run_has_no_objective_and_everything_left():
    b = result([], status="infeasible", not_selected=[(p, "infeasible") for p in ("P1", "P2", "P3", "P4")])
    c = compare_runs((A, BASE), (b, BASE))
    assert c.objective_b is None and c.objective_diff is None
    assert [e["project_id"] for e in c.left] == ["P1", "P2", "P3", "P4"]
    assert {"key": "status", "a": "optimal", "b": "infeasible"} in c.context


def test_rules_diff_flattens_keys_and_treats_id_lists_as_sets():
    other = """
name = "tighter"
[weights]
expert_score = 0.5
ai_scenario_share = 0.5
[constraints]
max_per_city = 8
min_per_city = 1
include = ["P2", "P1", "P1"]
exclude = ["P4"]
[constraints.industry_max]
"汽车制造业" = 3
"C36.汽车" = 2
"""
    c = compare_runs((A, BASE), (A, other))
    assert [d["key"] for d in c.scenario_diff] == sorted(d["key"] for d in c.scenario_diff)
    keys = {d["key"]: (d["a"], d["b"]) for d in c.scenario_diff}
    assert keys == {
        'constraints.industry_max."C36.汽车"': (None, 2),
        "constraints.industry_max.汽车制造业": (5, 3),
        "constraints.max_per_city": (10, 8),
        "constraints.min_per_city": (None, 1),
        "constraints.exclude": (None, ["P4"]),
    }  # include is the same set; the name is not a rule
    assert c.weight_diff == [] and c.weights_equivalent


def test_scaled_weights_differ_raw_but_are_equivalent_normalised():
    doubled = BASE.replace("0.5", "1")
    c = compare_runs((A, BASE), (A, doubled))
    assert [w["criterion"] for w in c.weight_diff] == ["expert_score", "ai_scenario_share"]  # the canonical order
    assert c.weight_diff[1] == {"criterion": "ai_scenario_share", "a": 0.5, "b": 1,
                                "a_normalised": 0.5, "b_normalised": 0.5, "a_used": 0.5, "b_used": 0.5}
    assert c.weights_equivalent
    assert "归一化后相同" in c.to_text() and "normalised they are the same" in c.to_text()


def test_changed_weights_are_reported_raw_and_normalised():
    other = BASE.replace("ai_scenario_share = 0.5", "ai_scenario_share = 0.3\nefficiency_gain = 0.2")
    c = compare_runs((A, BASE), (A, other))
    rows = {w["criterion"]: w for w in c.weight_diff}
    assert set(rows) == {"ai_scenario_share", "efficiency_gain"}  # expert_score is 0.5 raw and normalised on both
    assert rows["efficiency_gain"]["a"] is None and rows["efficiency_gain"]["a_normalised"] == 0.0
    assert rows["ai_scenario_share"]["b_normalised"] == pytest.approx(0.3)
    assert not c.weights_equivalent


def test_same_raw_weight_but_different_normalised_weight_is_reported():
    other = BASE.replace("ai_scenario_share = 0.5", "ai_scenario_share = 1.5")
    rows = {w["criterion"]: w for w in compare_runs((A, BASE), (A, other)).weight_diff}
    assert rows["expert_score"]["a"] == rows["expert_score"]["b"] == 0.5
    assert (rows["expert_score"]["a_normalised"], rows["expert_score"]["b_normalised"]) == (0.5, 0.25)


@pytest.mark.parametrize(
    "weights, expected",
    [
        ({"x": 2, "y": 6}, {"x": 0.25, "y": 0.75}),
        ({"x": 0, "y": 0}, None),
        ({"x": -1, "y": 2}, None),
        ({"x": "high"}, None),
        ({"x": True}, None),
        ({}, None),
        (None, None),
    ],
)
def test_normalise_weights(weights, expected):
    assert normalise_weights(weights) == expected


def test_flatten_quotes_keys_with_dots_or_spaces():
    assert flatten({"a": {"b c": 1, "d.e": {"f": 2}, "城市": 3}}) == {
        'a."b c"': 1, 'a."d.e".f': 2, "a.城市": 3}


def test_saved_runs_compare_with_their_labels_and_input_fingerprints(tmp_path):
    db = RunStore(tmp_path / "runs.sqlite3")
    ia = db.save("baseline", "四川省", "excellent", 2025, "a" * 64, BASE, A)
    ib = db.save("more-ai", "四川省", "excellent", 2025, "b" * 64, BASE, B)
    c = compare_runs(db.get(ia), db.get(ib))
    assert (c.a, c.b) == (f"baseline #{ia}", f"more-ai #{ib}")
    assert c.context == [{"key": "input_sha256", "a": "a" * 64, "b": "b" * 64}]
    assert [e["project_id"] for e in c.entered] == ["P5"]


def test_json_and_bilingual_text():
    c = compare_runs((A, BASE), (B, BASE.replace("max_per_city = 10", "")))
    data = json.loads(c.to_json())
    assert data["entered"][0]["project_id"] == "P5" and data["objective_diff"] == 28.0
    assert data["scenario_diff"] == [{"key": "constraints.max_per_city", "a": 10, "b": None}]
    text = c.to_text()
    for fragment in ["进入", "entered", "退出", "left", "P3  3 → 1  (上升 / up 2)", "P1  1 → 2  (下降 / down 1)",
                     "目标值 / objective: 300 → 328 (+28)", "constraints.max_per_city: 10 → —", "the default applies"]:
        assert fragment in text


PANEL = {"options": {"aggregate": "trimmed", "min_experts": 3, "standardise": False}, "experts": ["E01", "E02", "E03"],
         "set_aside": [], "files": [{"role": "scores", "name": "panel.xlsx", "sha256": "ab" * 32}], "problems": 0,
         "errors": 0}


def test_a_run_scored_by_the_expert_panel_differs_in_context_from_one_scored_by_the_file():
    c = compare_runs((A, BASE), (result([("P1", 90)], panel=PANEL), BASE))
    assert c.context == [{"key": "panel", "a": None, "b": {"options": PANEL["options"], "experts": 3,
                                                           "files": PANEL["files"]}}]
    assert "panel: 候选项目表 / the candidate file → 专家评审 / expert panel: 3 experts" in c.to_text()
    other = {**PANEL, "options": {**PANEL["options"], "aggregate": "median"}}
    assert [d["key"] for d in compare_runs((result([], panel=PANEL), BASE), (result([], panel=other), BASE)).context] \
        == ["panel"]
    assert compare_runs((result([], panel=PANEL), BASE), (result([], panel=dict(PANEL)), BASE)).context == []


def test_text_names_settings_by_the_labels_it_is_given():
    c = compare_runs((A, BASE), (B, BASE.replace("max_per_city = 10", "max_per_city = 8")))
    text = c.to_text(lambda key: {"constraints.max_per_city": "每个城市最多推荐"}[key],
                     lambda key, value, side: f"{value} 个（{side}）")
    assert "  每个城市最多推荐: 10 个（a） → 8 个（b）" in text and "constraints.max_per_city" not in text


@pytest.mark.parametrize(
    "a, message",
    [
        ((A, "[weights\n"), "TOML"),
        ((result([]) | {"selected": [{"score": 1}]}, ""), "project_id"),
        (("not", "a run"), "saved run"),
        ([A, BASE], "saved run"),
    ],
)
def test_bad_runs_are_input_errors(a, message):
    with pytest.raises(InputError) as info:
        compare_runs(a, (B, BASE))
    assert message in info.value.message_en and info.value.message_zh


ids = st.lists(st.sampled_from([f"P{i}" for i in range(12)]), unique=True, max_size=8)


@given(ids, ids)
@settings(max_examples=200, deadline=None)
def test_every_pick_of_either_run_is_accounted_for_exactly_once(picks_a, picks_b):
    a = result([(p, 50.0) for p in picks_a])
    b = result([(p, 60.0) for p in picks_b])
    c = compare_runs((a, ""), (b, ""))
    from_a = [e["project_id"] for e in c.left + c.moved + c.stayed]
    from_b = [e["project_id"] for e in c.entered + c.moved + c.stayed]
    assert sorted(from_a) == sorted(picks_a) and sorted(from_b) == sorted(picks_b)
    for m in c.moved:
        assert m["places"] == picks_a.index(m["project_id"]) - picks_b.index(m["project_id"]) != 0
    for s in c.stayed:
        assert picks_a.index(s["project_id"]) == picks_b.index(s["project_id"]) == s["rank"] - 1
    assert c.same_selection == (set(picks_a) == set(picks_b))


AHP_SCENARIO = """
name = "ahp"
[weights]
expert_score = 0.5
ai_scenario_share = 0.5
[scoring]
weights_method = "ahp"
[scoring.ahp]
criteria = ["maturity_level", "expert_score", "ai_scenario_share"]
matrix = [[1, 3, 5], ["1/3", 1, 2], ["1/5", "1/2", 1]]
"""


def test_compare_saved_runs_compares_the_weights_used_after_ahp_in_one_criterion_order():
    """An AHP run and a slider run with the same [weights] table but different weights used are different."""
    used_ahp = {"maturity_level": 0.648, "expert_score": 0.230, "ai_scenario_share": 0.122}
    picks = [("P1", 90.0), ("P2", 80.0)]
    a = (result(picks, weights={"expert_score": 0.5, "ai_scenario_share": 0.5}), BASE)
    b = (result(picks, weights=used_ahp), AHP_SCENARIO)
    c = compare_runs(a, b)
    assert not c.weights_equivalent
    assert [w["criterion"] for w in c.weight_diff] == ["expert_score", "ai_scenario_share", "maturity_level"]
    rows = {w["criterion"]: w for w in c.weight_diff}
    assert (rows["maturity_level"]["a_used"], rows["maturity_level"]["b_used"]) == (0.0, 0.648)
    assert rows["expert_score"]["a"] == rows["expert_score"]["b"] == 0.5  # the same given weight, used differently
    text = c.to_text()
    assert "智能制造能力成熟度等级 / " in text and "采用 / used 0 → 0.648" in text and "权重 / weights: 相同" not in text
    # the AHP criteria keep their stored order, so the matrix rows line up with them
    keys = {d["key"]: (d["a"], d["b"]) for d in c.scenario_diff}
    assert keys["scoring.ahp.criteria"] == (None, ["maturity_level", "expert_score", "ai_scenario_share"])
    assert keys["scoring.ahp.matrix"][1][0] == [1, 3, 5]


@given(st.permutations(["expert_score", "ai_scenario_share", "maturity_level", "investment", "extra_col"]))
def test_weight_rows_come_in_one_criterion_order_whatever_the_order_of_the_runs(order):
    weights_b = {c: 0.1 * (i + 1) for i, c in enumerate(order)}
    toml_b = "[weights]\n" + "\n".join(f"{c} = {w}" for c, w in weights_b.items())
    c = compare_runs((result([("P1", 90.0)]), BASE), (result([("P1", 90.0)]), toml_b))
    assert [w["criterion"] for w in c.weight_diff] == ["expert_score", "ai_scenario_share", "investment",
                                                       "maturity_level", "extra_col"]


def test_weights_of_1e308_are_compared_by_their_shares_without_overflow():
    """Issue 9 §2: 1e308 + 1e308 overflows; the comparison divides by the largest first, as scoring does."""
    assert normalise_weights({"a": 1e308, "b": 1e308}) == {"a": 0.5, "b": 0.5}
    assert normalise_weights({"a": 3e307, "b": 1e308}) == pytest.approx({"a": 3 / 13, "b": 10 / 13})
    assert normalise_weights({"a": float("inf"), "b": 1.0}) is None and normalise_weights({"a": 0, "b": 0}) is None
