"""The pipeline: every input row ends up exactly once, and results are reproducible."""

from __future__ import annotations

import pytest

from candidate_factory import base_row, write_csv
from quota_opt import InputError
from quota_opt.pipeline import prepare, recommend
from quota_opt.samples import SAMPLES, sample_path
from quota_opt.scenario import Scenario


@pytest.mark.parametrize("pool", SAMPLES, ids=lambda s: s.name)
def test_every_sample_row_ends_up_exactly_once(pool):
    rec = recommend(pool.path, pool.unit, pool.level, pool.year)
    ids = ([r["project_id"] for r in rec.selected] + [r["project_id"] for r in rec.not_selected]
           + [r["project_id"] for r in rec.ineligible])
    assert len(ids) == len(set(ids))
    prepared = prepare(pool.path, pool.unit, pool.level, pool.year)
    assert len(ids) + len(rec.invalid) == prepared.validation.rows
    assert rec.status == "optimal" and len(rec.selected) <= rec.quota


def test_invalid_rows_are_carried_with_their_row_number(tmp_path):
    rows = [base_row(i) for i in range(1, 6)]
    rows[2]["maturity_level"] = "七级"
    rows[4]["project_id"] = rows[0]["project_id"]  # a duplicate id
    path = write_csv(tmp_path / "pool.csv", rows)
    rec = recommend(path, "四川", "excellent", 2025)
    assert sorted(r["row"] for r in rec.invalid) == [4, 6]
    assert len(rec.selected) + len(rec.not_selected) + len(rec.ineligible) == 3


def test_same_inputs_give_the_same_output():
    path = sample_path("sichuan_excellent_2025")
    a = recommend(path, "四川", "excellent", 2025).to_dict()
    b = recommend(path, "四川省", "卓越级", "2025").to_dict()
    for key in ("selected", "not_selected", "ineligible", "objective", "input_sha256"):
        assert a[key] == b[key]


def test_undetermined_quota_needs_an_override_and_then_works(make_data_dir, all_known_values):
    path = sample_path("sichuan_excellent_2025")
    folder = make_data_dir({**all_known_values, "上海市": None})  # Shanghai's figure missing: its tier is open
    with pytest.raises(InputError) as exc:
        recommend(path, "上海", "excellent", 2025, data_dir=folder)
    assert "--quota" in exc.value.message_en
    rec = recommend(path, "上海", "excellent", 2025, quota=10, data_dir=folder)
    assert rec.quota == 10 and rec.selected == [] and len(rec.ineligible) == 120  # none is Shanghai's


def test_unit_that_recommends_through_another_is_refused_naming_it():
    with pytest.raises(InputError) as exc:
        recommend(sample_path("sichuan_excellent_2025"), "青岛", "excellent", 2025)
    assert "山东省" in exc.value.message_zh


def test_scenario_changes_the_picks_but_not_the_accounting():
    path = sample_path("sichuan_excellent_2025")
    base = recommend(path, "四川", "excellent", 2025)
    only_ai = recommend(path, "四川", "excellent", 2025, Scenario.from_dict({"weights": {"ai_scenario_share": 1}}))
    assert [r["project_id"] for r in base.selected] != [r["project_id"] for r in only_ai.selected]
    assert base.counts() == only_ai.counts()


def test_prepare_takes_user_figures_and_an_override_reason_into_the_quota():
    from quota_opt.pipeline import recommend_prepared
    from quota_opt.refdata import UserFigure

    path = sample_path("sichuan_excellent_2025")
    fig = UserFigure("industrial_value_2024", "四川省", 18000, "四川省统计公报（更正）")
    prepared = prepare(path, "四川", "excellent", 2025, figures=[fig])
    assert prepared.quota.quota == 40 and prepared.quota.data_status == "user"
    rec = recommend_prepared(prepare(path, "四川", "excellent", 2025, quota=30, quota_reason="压减名额"))
    assert rec.quota == 30 and len(rec.selected) == 30
    assert rec.quota_info["override_reason"] == "压减名额" and rec.quota_info["original_quota"] == 40


@pytest.mark.parametrize("rules", [{}, {"max_per_industry": 3, "min_per_city": 1, "max_per_group": 1, "min_score": 40.0},
                                   {"max_per_industry": 1, "min_per_city": 3}])
def test_a_shared_selection_problem_gives_the_same_recommendation_frequencies_and_balance_cost(rules):
    """The app scores and builds the problem once per change and shares it (issue 13): the recommendation,
    the balance cost and the selection frequencies are those made from scratch, infeasible rules included."""
    from quota_opt.balance import balance_cost
    from quota_opt.pipeline import recommend_prepared, selection_problem
    from quota_opt.scenario import default_scenario
    from quota_opt.sensitivity import sensitivity_prepared

    prepared = prepare(sample_path("sichuan_excellent_2025"), "四川", "excellent", 2025)
    scenario = default_scenario().with_constraints(**rules)
    shared = selection_problem(prepared, scenario)
    alone, again = recommend_prepared(prepared, scenario), recommend_prepared(prepared, scenario, selection=shared)
    drop = ("total_seconds", "solve_seconds", "created_at")
    assert {k: v for k, v in alone.to_dict().items() if k not in drop} == \
           {k: v for k, v in again.to_dict().items() if k not in drop}
    eligible = prepared.eligibility.eligible
    assert balance_cost(alone, eligible) == balance_cost(again, eligible, problem=shared[0])
    a = sensitivity_prepared(prepared, scenario, samples=40).to_dict()
    b = sensitivity_prepared(prepared, scenario, samples=40, selection=shared).to_dict()
    a.pop("timings"), b.pop("timings")
    assert a == b
