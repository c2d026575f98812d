"""AppTest of a scenario file loaded in the app (issue 9, section 4): the app gives exactly what the CLI gives
for the same file -- exact weights (the sliders only show them rounded), project ids the pool lacks reported
with the CLI's message -- and a description marked as edited once the weights or rules change in the app."""

from __future__ import annotations

import json

import pytest

from app_helpers import frame_with, goto, start
from app_pages.i18n import esc
from cli_helpers import run_script
from quota_opt import Scenario
from quota_opt.pipeline import prepare, recommend_prepared
from quota_opt.samples import sample_path

SAMPLE = str(sample_path("sichuan_excellent_2025"))
CLI_POOL = [SAMPLE, "--unit", "四川", "--level", "excellent", "--year", "2025"]
# 0.004 and 0.096 are 0 and 10 on a slider of whole shares of 100: rounded, the order of the picks changes
EXACT = {"maturity_level": 0.9, "expert_score": 0.004, "ai_scenario_share": 0.096}
SCENARIO = f'''name = "精确权重"
description = "成熟度为主 / maturity first"

[weights]
{chr(10).join(f"{k} = {v}" for k, v in EXACT.items())}
'''


def load(at, text: str, name: str = "方案.toml"):
    goto(at, "rules")
    at.file_uploader(key="rules_upload").set_value((name, text.encode("utf-8"), "application/toml")).run()
    assert not at.exception, at.exception
    return at


def app_picks(at) -> list[str]:
    goto(at, "results")
    return frame_with(at, "优先顺序", "项目编号")["项目编号"].tolist()


def cli_picks(tmp_path, text: str) -> list[str]:
    path = tmp_path / "scenario.toml"
    path.write_text(text, encoding="utf-8")
    done = run_script("recommend", *CLI_POOL, "--scenario", path, "--json", "-")
    assert done.returncode == 0, done.stderr
    return [r["project_id"] for r in json.loads(done.stdout)["selected"]]


def test_a_scenario_uploaded_in_the_app_gives_exactly_the_cli_picks_with_exact_weights(tmp_path):
    at = load(start(), SCENARIO)
    # the sliders show the weights rounded ...
    assert (at.slider(key="w_expert_score").value, at.slider(key="w_ai_scenario_share").value) == (0, 10)
    # ... but the scenario keeps them exactly, so the picks are the CLI's, in its order
    assert app_picks(at) == cli_picks(tmp_path, SCENARIO)
    rounded = {"maturity_level": 0.9, "ai_scenario_share": 0.1}
    pool = prepare(SAMPLE, "四川省", "excellent", 2025)
    as_rounded = [r["project_id"] for r in recommend_prepared(pool, Scenario.from_dict({"weights": rounded})).selected]
    assert app_picks(at) != as_rounded  # what rounding to the sliders would have given


def test_moving_one_slider_keeps_the_other_weights_of_a_loaded_scenario_exact(tmp_path):
    at = load(start(), SCENARIO)
    at.slider(key="w_investment").set_value(1).run()
    goto(at, "export")
    goto(at, "rules")
    toml = at.session_state["exact_weights"]
    assert toml == {**EXACT, "investment": pytest.approx(0.01)}


@pytest.mark.parametrize("family", ["include", "exclude"])
def test_unknown_ids_of_an_uploaded_scenario_are_reported_as_the_cli_reports_them(tmp_path, family):
    text = SCENARIO + f'\n[constraints]\n{family} = ["SC-091", "NOPE-1"]\n'
    path = tmp_path / "scenario.toml"
    path.write_text(text, encoding="utf-8")
    done = run_script("recommend", *CLI_POOL, "--scenario", path)
    assert done.returncode == 2
    zh, en = done.stderr.strip().split(" / ", 1)
    assert "NOPE-1" in zh
    at = load(start(), text)
    assert at.multiselect(key=f"c_{family}").value == ["SC-091", "NOPE-1"]  # kept, not dropped
    goto(at, "results")
    shown = "\n".join(e.value for e in at.error)
    assert esc(zh.removeprefix("错误：").strip()) in shown, (zh, shown)
    at.session_state["lang"] = "en"
    at.run()
    assert esc(en.strip().removeprefix("Error: ")) in "\n".join(e.value for e in at.error)


def test_an_ahp_matrix_off_the_saaty_scale_is_used_exactly_as_the_cli_uses_it(tmp_path):
    text = '''name = "ahp"
[scoring]
weights_method = "ahp"
[scoring.ahp]
criteria = ["maturity_level", "expert_score", "ai_scenario_share"]
matrix = [[1, 2.5, 6.5], [0.4, 1, 3.5], [0.15384615384615385, 0.2857142857142857, 1]]
'''
    at = load(start(), text)
    assert app_picks(at) == cli_picks(tmp_path, text)


def _exported_toml(at) -> str:
    goto(at, "export")
    info = frame_with(at, "项目", "内容")
    return next(str(v) for v in info.iloc[:, 1] if "[weights]" in str(v))


def test_a_scenario_description_is_marked_as_edited_when_the_weights_or_rules_change_after_loading(tmp_path, monkeypatch):
    monkeypatch.setenv("QUOTA_OPT_DB", str(tmp_path / "runs.sqlite3"))
    at = load(start(), SCENARIO)
    assert 'description = "成熟度为主 / maturity first"' in _exported_toml(at)  # as loaded: not edited
    goto(at, "rules")
    at.toggle(key="c_on_city_cap").set_value(True).run()  # a rule changed in the app
    at.number_input(key="c_max_per_city").set_value(6).run()
    toml = _exported_toml(at)
    assert 'description = "成熟度为主 / maturity first （已修改）/ (edited)"' in toml
    at.button(key="export_save").click().run()
    from quota_opt import RunStore
    (run,) = RunStore(tmp_path / "runs.sqlite3").list()
    assert "（已修改）/ (edited)" in RunStore(tmp_path / "runs.sqlite3").get(run.id).scenario_toml
    goto(at, "rules")
    at.toggle(key="c_on_city_cap").set_value(False).run()  # back as loaded: no longer marked
    assert "已修改" not in _exported_toml(at)
    goto(at, "rules")
    at.slider(key="w_expert_score").set_value(20).run()  # a weight changed
    assert "（已修改）/ (edited)" in _exported_toml(at)


def test_weights_of_1e308_uploaded_in_the_app_do_not_overflow_and_give_the_cli_picks(tmp_path):
    """Issue 9 §2 in the app: weights whose sum overflows (1e308 each) are the same shares as 1 and 1."""
    huge = '[weights]\nmaturity_level = 1e308\nexpert_score = 1e308\n'
    at = load(start(), huge)
    assert (at.slider(key="w_maturity_level").value, at.slider(key="w_expert_score").value) == (50, 50)
    assert app_picks(at) == cli_picks(tmp_path, huge) == cli_picks(tmp_path, '[weights]\nmaturity_level = 1\nexpert_score = 1\n')
