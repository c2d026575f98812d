"""The expert panel (issue 11): formulas on hand-computed and published examples, reading both forms of
score sheet with every problem at once, recusal (property: no conflicted score ever enters an
aggregate), min_experts, the panel check, and the bundled sample panel against its truth file."""

from __future__ import annotations

import csv
import io
import math

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from candidate_factory import csv_bytes, make_rows
from quota_opt.columns import AggregateRule, PANEL_MIN_EXPERTS_RULE, PanelExclusion
from quota_opt.load import read_table, read_table_bytes
from quota_opt.panel import (
    PanelFile,
    PanelOptions,
    aggregate,
    kendall_w,
    leniency,
    read_panel,
    review_panel,
    spearman,
    standardise,
    trimmed_mean,
)
from quota_opt.panel.template import panel_template_workbook
from quota_opt.samples import SAMPLES_DIR
from quota_opt.validate import validate

POOL = SAMPLES_DIR / "sichuan_excellent_2025.csv"
PANEL_XLSX = SAMPLES_DIR / "sichuan_excellent_2025_panel.xlsx"
PANEL_LONG = SAMPLES_DIR / "sichuan_excellent_2025_panel_long.csv"
EXPERTS = SAMPLES_DIR / "sichuan_excellent_2025_experts.csv"
RECUSALS = SAMPLES_DIR / "sichuan_excellent_2025_recusals.csv"
TRUTH = SAMPLES_DIR / "sichuan_excellent_2025_panel_truth.csv"


def csv_file(name: str, rows: list[list[object]], encoding: str = "utf-8-sig") -> PanelFile:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return PanelFile(name, buffer.getvalue().encode(encoding))


def xlsx_file(name: str, sheets: dict[str, list[list[object]]]) -> PanelFile:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return PanelFile(name, buffer.getvalue())


def small_pool(n: int = 6, **overrides) -> pd.DataFrame:
    """n valid candidates T-001..T-00n (enterprise 测试企业i有限公司, no group unless overridden)."""
    rows = make_rows(n)
    for key, values in overrides.items():
        for row, value in zip(rows, values):
            row[key] = value
    return validate(read_table_bytes(csv_bytes(rows), "pool.csv")).candidates


# ----------------------------------------------------------------------------- aggregation by hand
def test_trimmed_mean_drops_exactly_one_highest_and_one_lowest():
    # sorted 70 80 85 90 95: drop 70 and 95 -> (80 + 85 + 90) / 3 = 85
    assert trimmed_mean([90, 70, 95, 85, 80]) == pytest.approx(85.0)
    assert aggregate([90, 70, 95, 85, 80], "trimmed") == (pytest.approx(85.0), False)


@pytest.mark.parametrize("scores, expected", [
    ([90, 90, 80, 70, 70], (90 + 80 + 70) / 3),  # one of each equal pair dropped, not both
    ([90, 90, 90, 80, 70], (90 + 90 + 80) / 3),  # three equal highest: only one goes
    ([80, 80, 80, 80, 80, 80], 80.0),  # all equal
    ([60, 100, 100, 75, 75, 60], (60 + 75 + 75 + 100) / 4),
])
def test_trimmed_mean_with_ties_at_the_extremes_drops_one_of_the_equal_scores(scores, expected):
    assert aggregate(scores, AggregateRule.TRIMMED)[0] == pytest.approx(expected)


@pytest.mark.parametrize("scores, expected", [([70, 80, 90], 80.0), ([70, 80, 90, 100], 85.0)])
def test_trimmed_with_three_or_four_scores_is_the_plain_mean_with_a_warning(scores, expected):
    value, fell_back = aggregate(scores, "trimmed")
    assert value == pytest.approx(expected) and fell_back


@pytest.mark.parametrize("rule, scores, expected", [
    ("mean", [70, 80, 85, 90, 95], 84.0),
    ("mean", [90, 90, 80, 70, 70], 80.0),
    ("median", [95, 70, 85, 80, 90], 85.0),
    ("median", [70, 100, 80, 90], 85.0),  # even: mean of the two middle scores
    ("median", [90, 90, 80, 70, 70], 80.0),
])
def test_mean_and_median_on_hand_computed_cases(rule, scores, expected):
    assert aggregate(scores, rule) == (pytest.approx(expected), False)


def test_no_scores_give_no_aggregate():
    assert aggregate([], "mean") == (None, False)


# ----------------------------------------------------------------------------- Kendall's W
def test_kendall_w_on_a_published_example_without_ties():
    """Four raters rank the strawberries of eight farms (influentialpoints.com, "Kendall coefficient
    of concordance", worked example I): rank sums 31 12 12 15 22 5 22 25, S = 500,
    W = 500 / (504 * 16 / 12) = 0.744, k(N - 1)W = 20.83, P = 0.004."""
    ranks = [[8, 4, 2, 3, 5, 1, 6, 7], [7, 3, 1, 4, 5, 2, 6, 8], [8, 2, 5, 6, 7, 1, 4, 3], [8, 3, 4, 2, 5, 1, 6, 7]]
    k = kendall_w(ranks)
    assert k.w == pytest.approx(500 / (504 * 16 / 12)) and round(k.w, 3) == 0.744
    assert k.chi2 == pytest.approx(20.83, abs=0.005) and round(k.p_value, 3) == 0.004
    assert (k.m, k.n) == (4, 8)


def test_kendall_w_with_ties_on_a_worked_example():
    """The tie-corrected W of Kendall & Babington Smith (1939), as Siegel & Castellan (1988, §9.4) and
    Legendre (2005, eq. 2) give it: W = 12 S / (m^2 (n^3 - n) - m sum T), T = sum (t^3 - t) per judge.
    Worked by hand on three judges scoring five projects:

        judge A  90 85 85 70 60  -> ranks 5 3.5 3.5 2 1      T = 2^3 - 2 = 6
        judge B  88 88 80 75 75  -> ranks 4.5 4.5 3 1.5 1.5  T = 6 + 6 = 12
        judge C  95 80 85 70 65  -> ranks 5 3 4 2 1          T = 0
        R = 14.5 11 10.5 5.5 3.5 (sum 45, mean 9); S = 5.5^2 + 2^2 + 1.5^2 + 3.5^2 + 5.5^2 = 79
        W = 12 * 79 / (9 * 120 - 3 * 18) = 948 / 1026 = 158 / 171 = 0.92398
        (without the correction 948 / 1080 = 0.8778); chi2 = m (n - 1) W = 12 * 158 / 171 = 11.0877, df 4.
    """
    k = kendall_w([[90, 85, 85, 70, 60], [88, 88, 80, 75, 75], [95, 80, 85, 70, 65]])
    assert k.w == pytest.approx(158 / 171)
    assert k.chi2 == pytest.approx(12 * 158 / 171)
    assert k.p_value == pytest.approx(sps.chi2.sf(12 * 158 / 171, 4))


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 6).flatmap(lambda m: st.integers(3, 8).flatmap(
    lambda n: st.lists(st.lists(st.integers(60, 66), min_size=n, max_size=n), min_size=m, max_size=m))))
def test_kendall_w_is_the_tie_corrected_friedman_statistic_over_m_n_minus_1(matrix):
    """chi2_r (Friedman, tie-corrected, as scipy computes it) = m (n - 1) W (Legendre 2005, eq. 3)."""
    k = kendall_w(matrix)
    if k.w is None:  # every judge ties every object
        assert all(len(set(row)) == 1 for row in matrix)
        return
    friedman = sps.friedmanchisquare(*np.array(matrix, dtype=float).T).statistic
    assert k.chi2 == pytest.approx(friedman, rel=1e-9, abs=1e-9)
    assert 0 <= k.w <= 1 + 1e-12


# ----------------------------------------------------------------------------- Spearman, leniency, standardisation
def _pearson_of_average_ranks(x, y):
    def ranks(v):
        order = sorted(range(len(v)), key=lambda i: v[i])
        r = [0.0] * len(v)
        i = 0
        while i < len(v):
            j = i
            while j + 1 < len(v) and v[order[j + 1]] == v[order[i]]:
                j += 1
            for k in range(i, j + 1):
                r[order[k]] = (i + j) / 2 + 1
            i = j + 1
        return r
    rx, ry = ranks(x), ranks(y)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    num = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    return num / math.sqrt(sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry))


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(50, 60), st.integers(50, 60)), min_size=3, max_size=12))
def test_spearman_equals_the_pearson_correlation_of_average_ranks(pairs):
    x, y = [a for a, _ in pairs], [b for _, b in pairs]
    rho = spearman(x, y)
    if len(set(x)) < 2 or len(set(y)) < 2:
        assert rho is None
    else:
        assert rho == pytest.approx(_pearson_of_average_ranks(x, y))


def test_spearman_of_a_hand_computed_case():
    # ranks x 1 2 3 4 5, y 2 1 4 3 5: d^2 = 1+1+1+1+0 = 4; rho = 1 - 6*4 / (5*24) = 0.8
    assert spearman([10, 20, 30, 40, 50], [2, 1, 4, 3, 5]) == pytest.approx(0.8)


def test_leniency_is_the_mean_difference_from_the_other_experts():
    own = {"A": 90.0, "B": 80.0, "C": 70.0}
    others = {"A": [80.0, 84.0], "B": [75.0], "C": []}  # C has no other score: left out
    assert leniency(own, others) == pytest.approx(((90 - 82) + (80 - 75)) / 2)


def test_standardise_rescales_to_the_panel_mean_and_spread_over_his_projects():
    own = {"A": 90.0, "B": 80.0}  # mean 85, sd 5: z = +1, -1
    reference = {"A": [90.0, 70.0], "B": [80.0, 60.0]}  # pooled 90 70 80 60: mean 75, sd sqrt(125)
    out = standardise(own, reference)
    assert out["A"] == pytest.approx(75 + math.sqrt(125)) and out["B"] == pytest.approx(75 - math.sqrt(125))
    assert standardise({"A": 80.0, "B": 80.0}, reference) is None  # no spread: kept as they are


# ----------------------------------------------------------------------------- reading both forms
def test_the_wide_and_the_long_sample_give_the_same_panel_scores():
    candidates = validate(read_table(POOL)).candidates
    wide = review_panel(read_panel([PANEL_XLSX]), candidates)
    long = review_panel(read_panel([PANEL_LONG]), candidates)
    assert wide.experts == long.experts == [f"E0{i}" for i in range(1, 8)]
    assert wide.aggregates == long.aggregates
    assert set(wide.problems["code"]) == {"not_scored"}  # the gaps, each reported once
    assert long.problems.empty


def test_items_are_summed_in_the_long_form_and_checked_against_the_scheme():
    pool = small_pool(3)
    scores = csv_file("scores.csv", [["专家编号", "项目编号", "评分项", "得分"],
                                     ["E1", "T-001", "技术", "50"], ["E1", "T-001", "效益", "30"],
                                     ["E1", "T-002", "技术", "61"], ["E1", "T-002", "效益", "30"],
                                     ["E1", "T-003", "技术", "40"]])
    scheme = csv_file("scheme.csv", [["评分项", "满分"], ["技术", "60"], ["效益", "40"]])
    review = review_panel(read_panel([scores], scheme=scheme), pool, PanelOptions(min_experts=1))
    by_id = {p["project_id"]: p for p in review.projects}
    assert by_id["T-001"]["aggregate"] == pytest.approx(80.0)
    assert by_id["T-002"]["excluded"] == [{"expert_id": "E1", "reason": "out_of_range", "score": 91.0}]
    assert by_id["T-003"]["excluded"][0]["reason"] == "incomplete_items"
    problems = review.problems.set_index("code")
    assert problems.loc["out_of_range", "row"] == 4 and problems.loc["out_of_range", "value"] == "61"
    assert "效益" in problems.loc["incomplete_items", "message_zh"]


def test_a_wide_workbook_names_each_expert_by_a_cell_above_the_header_or_by_its_sheet():
    pool = small_pool(3)
    book = xlsx_file("panel.xlsx", {
        "第一位": [["专家编号：E7"], ["项目编号", "项目名称", "得分"], ["T-001", "x", 80], ["T-002", "y", 70]],
        "E8": [["项目编号", "得分"], ["T-001", 90], ["T-002", 60], ["T-003", None]],
        "填写说明": [["说明"], ["不是评分表"]],
    })
    review = review_panel(read_panel([book]), pool, PanelOptions(min_experts=1))
    assert review.experts == ["E7", "E8"]
    assert review.projects[0]["scores"] == {"E7": 80.0, "E8": 90.0}
    assert list(review.problems["code"]) == ["not_scored"]  # E8 left T-003 empty; the notes sheet is skipped


def test_a_wide_sheet_with_items_and_a_total_must_add_up():
    pool = small_pool(2)
    book = xlsx_file("p.xlsx", {"E1": [["项目编号", "技术", "效益", "总分"], ["T-001", 50, 30, 80], ["T-002", 50, 30, 85]]})
    scheme = csv_file("scheme.csv", [["评分项", "满分"], ["技术", "60"], ["效益", "40"]])
    review = review_panel(read_panel([book], scheme=scheme), pool, PanelOptions(min_experts=1))
    assert review.projects[0]["aggregate"] == pytest.approx(80.0)
    assert review.projects[1]["excluded"][0]["reason"] == "total_mismatch"


def test_every_problem_is_reported_at_once_with_sheet_row_column_and_value():
    pool = small_pool(3)
    scores = csv_file("评分.csv", [["专家编号", "项目编号", "得分"],
                                   ["E1", "T-001", "80"],
                                   ["E1", "T-999", "75"],  # unknown project
                                   ["E1", "T-002", "120"],  # out of range
                                   ["E2", "T-001", "八十"],  # not a number
                                   ["E2", "T-002", "70"], ["E2", "T-002", "71"],  # duplicate
                                   ["", "T-003", "60"]], encoding="gbk")  # no expert
    review = review_panel(read_panel([scores]), pool, PanelOptions(min_experts=1))
    got = {(r["code"], r["row"], r["value"]) for r in review.problems.to_dict("records")}
    assert {("unknown_project", 3, "T-999"), ("out_of_range", 4, "120"), ("not_a_number", 5, "八十"),
            ("duplicate", 7, "71"), ("empty_required", 8, "")} <= got
    assert all(r["file"] == "评分.csv" and r["message_en"] for r in review.problems.to_dict("records"))
    reasons = {(r.expert_id, r.project_id): r.reasons for r in review.scores.itertuples()}
    assert reasons[("E1", "T-999")] == ("unknown_project",)
    assert reasons[("E2", "T-002")] == ("duplicate",)  # neither of the two scores is used
    assert review.aggregates == {"T-001": 80.0, "T-002": None, "T-003": None}


def test_the_panel_template_reads_back_once_filled_in():
    wb = panel_template_workbook()
    assert wb.sheetnames == ["评分（长表）", "E01", "专家名单", "回避", "评分标准", "填写说明"]
    wb["E01"].append(["T-001", "x", 88])
    wb["专家名单"].append(["E01", "张三", "测试企业1有限公司", ""])
    buffer = io.BytesIO()
    wb.save(buffer)
    review = review_panel(read_panel([PanelFile("t.xlsx", buffer.getvalue())]), small_pool(2), PanelOptions(min_experts=1))
    assert review.projects[0]["excluded"] == [{"expert_id": "E01", "reason": "own_enterprise", "score": 88.0}]
    assert set(review.problems["code"]) == {"empty_sheet"}


# ----------------------------------------------------------------------------- recusal
def test_recusal_by_enterprise_group_and_the_recusal_table():
    pool = small_pool(4, group=["集团甲", "集团甲", "", ""])
    rows = [["专家编号", "项目编号", "得分"]] + [[e, f"T-00{i}", 80] for e in ("E1", "E2", "E3") for i in range(1, 5)]
    experts = csv_file("experts.csv", [["专家编号", "姓名", "工作单位", "所属集团"],
                                       ["E1", "甲", "测试企业4有限公司", ""],  # works for T-004's applicant
                                       ["E2", "乙", "某大学", "集团甲"],  # T-001, T-002's group
                                       ["E3", "丙", "某研究院", ""]])  # empty group matches nothing
    recusals = csv_file("r.csv", [["专家编号", "项目编号"], ["E3", "T-003"]])
    review = review_panel(read_panel([csv_file("s.csv", rows)], experts=experts, recusals=recusals), pool,
                          PanelOptions(min_experts=1))
    excluded = {(x["expert_id"], p["project_id"]): x["reason"] for p in review.projects for x in p["excluded"]}
    assert excluded == {("E1", "T-004"): "own_enterprise", ("E2", "T-001"): "own_group",
                        ("E2", "T-002"): "own_group", ("E3", "T-003"): "declared_recusal"}
    assert [e["flags"] for e in review.expert_stats] == [["conflicted"]] * 3


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_no_conflicted_score_ever_enters_an_aggregate(data):
    n_projects = data.draw(st.integers(2, 6))
    n_experts = data.draw(st.integers(1, 7))
    groups = data.draw(st.lists(st.sampled_from(["", "集团甲", "集团乙"]), min_size=n_projects, max_size=n_projects))
    pool = small_pool(n_projects, group=groups)
    companies = [f"测试企业{i}有限公司" for i in range(1, n_projects + 1)] + ["某大学"]
    experts = [[f"E{j}", "x", data.draw(st.sampled_from(companies)), data.draw(st.sampled_from(["", "集团甲", "集团乙"]))]
               for j in range(n_experts)]
    declared = data.draw(st.lists(st.tuples(st.integers(0, n_experts - 1), st.integers(1, n_projects)), max_size=4))
    scores = {(j, i): data.draw(st.integers(0, 100)) for j in range(n_experts) for i in range(1, n_projects + 1)}
    rule = data.draw(st.sampled_from(list(AggregateRule)))
    standardised = data.draw(st.booleans())
    rows = [["专家编号", "项目编号", "得分"]] + [[f"E{j}", f"T-{i:03d}", v] for (j, i), v in scores.items()]
    sheets = read_panel([csv_file("s.csv", rows)],
                        experts=csv_file("e.csv", [["专家编号", "姓名", "工作单位", "所属集团"], *experts]),
                        recusals=csv_file("r.csv", [["专家编号", "项目编号"],
                                                    *[[f"E{j}", f"T-{i:03d}"] for j, i in declared]])
                        if declared else None)
    review = review_panel(sheets, pool, PanelOptions(rule=rule, min_experts=1, standardise=standardised))
    enterprise = dict(zip(pool["project_id"], pool["enterprise"]))
    group = dict(zip(pool["project_id"], pool["group"]))

    def conflicted(j: int, pid: str) -> bool:
        _, _, employer, own_group = experts[j]
        return employer == enterprise[pid] or (own_group and own_group == group[pid]) or \
            (j, int(pid[2:])) in set(declared)

    used = {(r.expert_id, r.project_id) for r in review.used.itertuples()}
    for p in review.projects:
        pid = p["project_id"]
        clean = [scores[(j, int(pid[2:]))] for j in range(n_experts) if not conflicted(j, pid)]
        assert all((f"E{j}", pid) not in used for j in range(n_experts) if conflicted(j, pid))
        assert p["valid_scores"] == len(clean)
        assert {x["expert_id"] for x in p["excluded"]} == {f"E{j}" for j in range(n_experts) if conflicted(j, pid)}
        if not standardised:
            assert p["aggregate"] == (pytest.approx(aggregate(clean, rule)[0]) if clean else None)


# ----------------------------------------------------------------------------- min_experts and the check
def test_a_project_with_fewer_valid_scores_than_min_experts_gets_no_panel_score():
    pool = small_pool(2)
    rows = [["专家编号", "项目编号", "得分"], ["E1", "T-001", 80], ["E2", "T-001", 70], ["E3", "T-001", 90],
            ["E1", "T-002", 80], ["E2", "T-002", 85]]
    review = review_panel(read_panel([csv_file("s.csv", rows)]), pool)
    assert review.aggregates == {"T-001": pytest.approx(80.0), "T-002": None}
    assert review.projects[0]["flags"] == ["trimmed_as_mean"] and review.projects[1]["flags"] == ["no_panel_score"]
    assert review.set_aside == ["T-002"]


def test_the_panel_check_flags_a_wide_range_and_a_lenient_expert():
    pool = small_pool(5)
    base = [60, 70, 80, 85, 75]
    rows = [["专家编号", "项目编号", "得分"]]
    for j, shift in enumerate([0, 1, -1, 9]):  # E3 is lenient by 9
        rows += [[f"E{j}", f"T-{i + 1:03d}", base[i] + shift + (i % 2)] for i in range(5)]
    review = review_panel(read_panel([csv_file("s.csv", rows)]), pool,
                          PanelOptions(range_threshold=9.5))
    flags = {e["expert_id"]: e["flags"] for e in review.expert_stats}
    assert flags == {"E0": [], "E1": [], "E2": [], "E3": ["lenient"]}
    assert review.expert_stats[3]["leniency"] == pytest.approx(9 - 0)  # the others' shifts average 0
    assert review.expert_stats[2]["leniency"] == pytest.approx(-1 - 10 / 3)  # within -5: not severe
    assert [p["range"] for p in review.projects] == [10.0] * 5  # 9 - (-1) on every project
    assert all(p["flags"] == ["wide_range", "trimmed_as_mean"] for p in review.projects)
    assert review.kendall.n == 5 and review.kendall.m == 4 and review.kendall.w == pytest.approx(1.0)


def test_standardisation_is_stated_in_the_outputs():
    review = review_panel(read_panel([PANEL_LONG]), validate(read_table(POOL)).candidates,
                          PanelOptions(standardise=True))
    assert review.to_dict()["options"]["standardise"] is True
    assert any("已启用" in str(v) for _, v in review.run_info())


# ----------------------------------------------------------------------------- the sample panel
def test_the_sample_panels_flagged_experts_and_excluded_scores_equal_its_truth_file():
    truth = list(csv.DictReader(TRUTH.open(encoding="utf-8")))
    review = review_panel(read_panel([PANEL_XLSX], experts=EXPERTS, recusals=RECUSALS),
                          validate(read_table(POOL)).candidates)
    flagged = {e["expert_id"]: e["flags"] for e in review.expert_stats if e["flags"]}
    expected_flags: dict[str, list[str]] = {}
    for t in truth:
        if t["kind"] == "flagged_expert":
            expected_flags.setdefault(t["expert_id"], []).append(t["value"])
    assert flagged == expected_flags
    excluded = {(x["expert_id"], p["project_id"], x["reason"]) for p in review.projects for x in p["excluded"]}
    assert excluded == {(t["expert_id"], t["project_id"], t["value"]) for t in truth if t["kind"] == "excluded_score"}
    gaps = {(r["sheet"], r["row"]) for r in review.problems.to_dict("records") if r["code"] == "not_scored"}
    order = list(validate(read_table(POOL)).candidates["project_id"])
    assert gaps == {(t["expert_id"], order.index(t["project_id"]) + 3) for t in truth if t["kind"] == "not_scored"}
    declared = {(r.expert_id, r.project_id) for r in read_panel([PANEL_XLSX], recusals=RECUSALS).recusals}
    assert declared == {(t["expert_id"], t["project_id"]) for t in truth if t["kind"] == "declared_recusal"}


def test_panel_scores_replace_the_expert_criterion_and_set_aside_projects_fail_their_rule():
    from quota_opt.pipeline import prepare, with_panel

    prepared = prepare(POOL, "四川省", "excellent", 2025)
    rows = [["专家编号", "项目编号", "得分"]] + [[e, pid, 80 + k] for k, e in enumerate(("E1", "E2", "E3"))
                                                 for pid in prepared.validation.candidates["project_id"][1:]]
    review = review_panel(read_panel([csv_file("s.csv", rows)]), prepared.validation.candidates)
    panelled = with_panel(prepared, review)
    first = str(prepared.validation.candidates["project_id"][0])
    table = panelled.eligibility.table.set_index("project_id")
    assert PANEL_MIN_EXPERTS_RULE in table.loc[first, "failed_rules"] and not table.loc[first, "eligible"]
    assert first not in set(panelled.eligibility.eligible["project_id"])
    assert (panelled.eligibility.eligible["expert_score"] == 81.0).all()
    assert PanelExclusion.OWN_GROUP.recusal and not PanelExclusion.DUPLICATE.recusal


def test_a_workbook_with_more_sheets_than_the_limit_is_refused(monkeypatch):
    from quota_opt.errors import InputError
    from quota_opt.panel import sheets

    monkeypatch.setattr(sheets, "MAX_SHEETS", 1)
    book = xlsx_file("many.xlsx", {"E1": [["项目编号", "得分"], ["T-001", 80]], "E2": [["项目编号", "得分"], ["T-001", 70]]})
    with pytest.raises(InputError, match="超过上限1个"):
        read_panel([book])


def test_notes_below_a_score_sheet_are_set_aside_with_a_warning_and_an_unscored_last_project_is_not_a_note():
    """Issue 9 §4 for the panel's files: a 备注 row under the scores is a note, said as a warning (no row is
    dropped without a word); a last project left unscored (one filled cell) is still a project, not scored."""
    pool = small_pool(3)
    scores = csv_file("scores.csv", [["专家编号", "项目编号", "得分"], ["E1", "T-001", "80"], ["E1", "T-002", "70"],
                                     ["备注：评分截至7月1日"]])
    review = review_panel(read_panel([scores]), pool, PanelOptions(min_experts=1))
    notes = review.problems[review.problems["code"] == "note_row"]
    assert list(notes["row"]) == [4] and "备注" in notes.iloc[0]["value"] and set(notes["severity"]) == {"warning"}
    book = xlsx_file("panel.xlsx", {"E8": [["项目编号", "得分"], ["T-001", 90], ["T-002", 60], ["T-003", None]]})
    review = review_panel(read_panel([book]), pool, PanelOptions(min_experts=1))
    assert list(review.problems["code"]) == ["not_scored"]
