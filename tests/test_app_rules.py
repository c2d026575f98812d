"""AppTest of the weights page (issue 9, section 4): in AHP mode the weights column beside the criteria shows
the AHP weights, and the consistency ratio is judged by Saaty's limit for the matrix size."""

from __future__ import annotations

from app_helpers import frame_with, goto, start
from quota_opt.score import ahp_weights


def ahp_page(pairs: dict[tuple[str, str], str]):
    at = goto(start(), "rules")
    at.radio(key="w_method@zh").set_value("ahp").run()
    for (a, b), value in pairs.items():
        at.select_slider(key=f"ahp|{a}|{b}@zh").set_value(value).run()
    assert not at.exception
    return at


def test_the_weights_column_shows_the_ahp_weights_in_ahp_mode():
    at = ahp_page({("expert_score", "ai_scenario_share"): "3", ("expert_score", "maturity_level"): "5",
                   ("ai_scenario_share", "maturity_level"): "2"})
    result = ahp_weights([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]])
    shown = [m.value for m in at.markdown]
    assert "采用的权重" in [c.value for c in at.caption]  # the column's header, not the sliders' "归一化后"
    for w in result.weights.values():
        assert f"{w:.1%}" in shown
    assert "0.0%" in shown  # a criterion the AHP leaves out weighs nothing, whatever its slider says
    used = frame_with(at, "指标", "层次分析法", "采用的权重")
    assert "滑块" not in used.columns  # the sliders' weights are not used in AHP mode
    assert used.set_index("指标").loc["专家评审得分", "采用的权重"] == round(result.weights["C1"], 4)


def test_ahp_consistency_in_the_app_uses_saatys_limit_for_the_matrix_size():
    """CR 0.081 for these three criteria: acceptable under 0.10, not under Saaty's 0.05 for a 3x3 matrix."""
    at = ahp_page({("expert_score", "ai_scenario_share"): "2", ("expert_score", "maturity_level"): "5",
                   ("ai_scenario_share", "maturity_level"): "1"})
    assert any("CR = 0.081" in w.value and "> 0.05" in w.value and "3 个指标的上限" in w.value for w in at.warning)
    at = ahp_page({("expert_score", "ai_scenario_share"): "2", ("expert_score", "maturity_level"): "4",
                   ("ai_scenario_share", "maturity_level"): "1"})
    assert any("CR = 0.046" in s.value and "CR ≤ 0.05（3 个指标时的上限）" in s.value for s in at.success)
