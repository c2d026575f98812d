"""The scenario file contract: every key optional, a shipped default, bad files reported by file and key."""

from __future__ import annotations

import pickle
import tomllib

import pytest

from quota_opt.columns import BlendForm, Direction, WeightMethod
from quota_opt.errors import InputError
from quota_opt.scenario import Constraints, FrozenMap, Scenario, default_scenario, load_scenario, read_scenario_bytes

ISSUE_EXAMPLE = """
name = "baseline"
[weights]
expert_score = 0.5
ai_scenario_share = 0.2
efficiency_gain = 0.1
defect_reduction = 0.1
energy_reduction = 0.1
[direction]
investment = "cost"
[scoring]
method = "minmax"
[constraints]
max_per_industry = 8
max_per_city = 10
min_per_city = 1
max_per_group = 1
min_score = 60.0
include = ["SC-001"]
exclude = ["SC-017"]
[constraints.industry_max]
"汽车制造业" = 5
[constraints.city_min]
"成都市" = 5
"""


def write(tmp_path, text, name="s.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_issue_example_loads_exactly(tmp_path):
    s = load_scenario(write(tmp_path, ISSUE_EXAMPLE))
    assert s.name == "baseline"
    assert dict(s.weights) == {"expert_score": 0.5, "ai_scenario_share": 0.2, "efficiency_gain": 0.1,
                               "defect_reduction": 0.1, "energy_reduction": 0.1}
    assert s.direction_of("investment") is Direction.COST
    assert s.direction_of("expert_score") is Direction.BENEFIT
    c = s.constraints
    assert (c.max_per_industry, c.max_per_city, c.min_per_city, c.max_per_group, c.min_score) == (8, 10, 1, 1, 60.0)
    assert c.include == ("SC-001",) and c.exclude == ("SC-017",)
    assert dict(c.industry_max) == {"汽车制造业": 5} and dict(c.city_min) == {"成都市": 5}


def test_default_scenario_weights_sum_to_one_and_set_no_balance_rule():
    s = default_scenario()
    assert s.name == "default"
    assert sum(s.weights.values()) == pytest.approx(1.0)
    assert s.weights["expert_score"] == max(s.weights.values())
    assert s.constraints.is_empty()
    assert s.scoring.weights_method is WeightMethod.MANUAL


def test_default_weights_are_the_ones_the_readme_documents():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for criterion, weight in default_scenario().weights.items():
        assert f"| `{criterion}` | {weight:.2f} |" in readme


def test_an_empty_file_is_the_default_scenario_named_after_the_file(tmp_path):
    s = load_scenario(write(tmp_path, "", "我的方案.toml"))
    assert s.name == "我的方案"
    assert s.weights == default_scenario().weights and s.constraints == Constraints()


def test_a_section_written_replaces_the_default_one_whole(tmp_path):
    s = load_scenario(write(tmp_path, "[weights]\nexpert_score = 2\n"))
    assert dict(s.weights) == {"expert_score": 2.0}


def test_chinese_headers_name_criteria(tmp_path):
    s = load_scenario(write(tmp_path, '[weights]\n"专家评审得分" = 3\n"人工智能场景占比" = 1\n[direction]\n"项目总投资（万元）" = "成本型"\n'))
    assert dict(s.weights) == {"expert_score": 3.0, "ai_scenario_share": 1.0}
    assert s.direction_of("investment") is Direction.COST


def test_extra_columns_keep_their_header(tmp_path):
    s = load_scenario(write(tmp_path, '[weights]\n"专利数量" = 1\n'))
    assert dict(s.weights) == {"专利数量": 1.0}


def test_round_trip_through_toml_keeps_everything(tmp_path):
    text = ISSUE_EXAMPLE.replace('method = "minmax"', '''method = "minmax"
weights_method = "blend"
blend_alpha = 0.3
blend_form = "multiplicative"
entropy_criteria = ["expert_score", "ai_scenario_share"]
[scoring.ahp]
criteria = ["expert_score", "ai_scenario_share"]
matrix = [[1, 3], ["1/3", 1]]''') + '[constraints.group_max]\n"东方电气集团" = 2\n[constraints.industry_min]\n"医药制造业" = 1\n'
    s = load_scenario(write(tmp_path, text))
    assert s.scoring.weights_method is WeightMethod.BLEND and s.scoring.blend_form is BlendForm.MULTIPLICATIVE
    assert s.scoring.ahp.matrix == ((1.0, 3.0), (1 / 3, 1.0))
    again = load_scenario(write(tmp_path, s.to_toml(), "again.toml"))
    assert again == s
    assert again.fingerprint == s.fingerprint
    assert Scenario.from_dict(tomllib.loads(s.to_toml())) == s


def test_scenarios_are_immutable_hashable_and_picklable():
    s = default_scenario().with_constraints(max_per_group=1, city_min={"成都市": 2})
    assert hash(s) == hash(pickle.loads(pickle.dumps(s)))
    assert pickle.loads(pickle.dumps(s)) == s
    with pytest.raises(TypeError):
        s.constraints.city_min["成都市"] = 3  # type: ignore[index]
    with pytest.raises(AttributeError):
        s.name = "x"  # type: ignore[misc]
    assert FrozenMap({"a": 1}) == {"a": 1}


def test_with_constraints_and_with_weights_validate_like_a_file():
    s = default_scenario().with_constraints(max_per_city=3).with_weights({"expert_score": 1})
    assert s.constraints.max_per_city == 3 and dict(s.weights) == {"expert_score": 1.0}
    with pytest.raises(InputError, match="max_per_city"):
        default_scenario().with_constraints(max_per_city=-1)


BAD = [
    ("nonsense = 1\n", "nonsense", "unknown key"),
    ("[constraints]\nmax_per_town = 3\n", "constraints.max_per_town", "unknown key"),
    ("[scoring]\nfoo = 1\n", "scoring.foo", "unknown key"),
    ("[weights]\nexpert_score = -0.5\n", "weights.expert_score", "negative"),
    ('[weights]\nexpert_score = "high"\n', "weights.expert_score", "must be a number"),
    ("[weights]\nexpert_score = true\n", "weights.expert_score", "must be a number"),
    ("[weights]\nexpert_score = 0\n", "weights", "at least one positive weight"),
    ('[weights]\nexpert_score = 1\n"专家评审得分" = 2\n', "weights.专家评审得分", "second time"),
    ("weights = 3\n", "weights", "must be a table"),
    ('[direction]\ninvestment = "sideways"\n', "direction.investment", "benefit"),
    ('[scoring]\nmethod = "zscore"\n', "scoring.method", "minmax"),
    ('[scoring]\nweights_method = "guess"\n', "scoring.weights_method", "manual"),
    ('[scoring]\nweights_method = "ahp"\n', "scoring.weights_method", "scoring.ahp"),
    ("[scoring]\nblend_alpha = 1.5\n", "scoring.blend_alpha", "between 0 and 1"),
    ('[scoring.ahp]\ncriteria = ["expert_score", "ai_scenario_share"]\nmatrix = [[1, 2, 3], [1, 1, 1]]\n',
     "scoring.ahp.matrix", "2x2"),
    ('[scoring.ahp]\ncriteria = ["expert_score", "ai_scenario_share"]\nmatrix = [[1, "one third"], [3, 1]]\n',
     "scoring.ahp.matrix[1][2]", "fraction"),
    ("[constraints]\nmax_per_industry = 2.5\n", "constraints.max_per_industry", "whole number"),
    ("[constraints]\nmax_per_city = -1\n", "constraints.max_per_city", "negative"),
    ('[constraints]\nmax_per_group = "one"\n', "constraints.max_per_group", "must be a number"),
    ("[constraints]\nmin_score = 120\n", "constraints.min_score", "between 0 and 100"),
    ("[constraints]\ninclude = [1, 2]\n", "constraints.include", "in quotes"),
    ('[constraints]\ninclude = "SC-001"\n', "constraints.include", "list of project ids"),
    ('[constraints]\ninclude = ["SC-001"]\nexclude = ["SC-001"]\n', "constraints.include", "SC-001"),
    ('[constraints.city_min]\n"成都市" = -2\n', "constraints.city_min.成都市", "negative"),
    ("[constraints]\nindustry_max = 5\n", "constraints.industry_max", "must be a table"),
    ("name = 3\n", "name", "must be text"),
]


@pytest.mark.parametrize("text,key,english", BAD, ids=[b[1] + ":" + b[2] for b in BAD])
def test_a_bad_scenario_file_names_the_file_and_the_key(tmp_path, text, key, english):
    path = write(tmp_path, text, "bad.toml")
    with pytest.raises(InputError) as info:
        load_scenario(path)
    err = info.value
    assert str(path) in err.message_zh and str(path) in err.message_en
    assert key in err.message_zh and key in err.message_en
    assert english in err.message_en


def test_malformed_toml_is_bad_input_naming_the_file(tmp_path):
    path = write(tmp_path, "[weights\nexpert_score = 1\n", "broken.toml")
    with pytest.raises(InputError) as info:
        load_scenario(path)
    assert "broken.toml" in info.value.message_zh and "not valid TOML" in info.value.message_en


def test_a_missing_or_binary_file_is_bad_input(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_scenario(tmp_path / "nope.toml")
    binary = tmp_path / "b.toml"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(InputError, match="UTF-8"):
        load_scenario(binary)


def test_a_scenario_read_from_bytes_equals_the_file_and_names_the_upload_in_errors(tmp_path):
    from quota_opt.scenario import read_scenario_bytes

    scen = default_scenario().with_constraints(max_per_city=3, city_min={"成都市": 2}, include=["SC-001"])
    path = tmp_path / "mine.toml"
    path.write_text(scen.to_toml(), encoding="utf-8")
    assert read_scenario_bytes(path.read_bytes(), "上传.toml") == load_scenario(path)
    assert read_scenario_bytes(b"[weights]\nexpert_score = 1\n", "up/my rules.toml").name == "my rules"
    with pytest.raises(InputError) as exc:
        read_scenario_bytes(b"[constraints]\nmax_per_town = 3\n", "上传.toml")
    assert "上传.toml" in exc.value.message_zh and "max_per_town" in exc.value.message_en
    with pytest.raises(InputError):
        read_scenario_bytes(b"\xff\xfe\x00", "bin.toml")


def test_an_ahp_entry_past_the_largest_float_is_bad_input_not_a_traceback():
    text = b'[scoring]\nweights_method = "ahp"\n[scoring.ahp]\ncriteria = ["expert_score", "investment"]\n' \
           b'matrix = [[1, "1e400"], ["1e-400", 1]]\n'
    with pytest.raises(InputError, match=r"matrix\[1\]\[2\]") as exc:
        read_scenario_bytes(text, "s.toml")
    assert "1e400" in exc.value.message_en and "s.toml" in exc.value.message_zh


def test_an_ahp_entry_too_large_to_compute_with_is_bad_input():
    text = b'[scoring]\nweights_method = "ahp"\n[scoring.ahp]\ncriteria = ["expert_score", "investment"]\n' \
           b'matrix = [[1, 1e305], [1e-305, 1]]\n'
    with pytest.raises(InputError, match="Saaty"):
        read_scenario_bytes(text, "s.toml")


@pytest.mark.parametrize("nested", ["x = " + "[" * 100_000 + "]" * 100_000,
                                    "x = " + "{a=" * 100_000 + "1" + "}" * 100_000])
def test_toml_nested_100000_deep_is_a_bad_scenario_file(nested):
    with pytest.raises(InputError, match="nested too deeply") as exc:
        read_scenario_bytes(nested.encode(), "deep.toml")
    assert "deep.toml" in exc.value.message_zh


def test_a_scenario_file_past_its_size_limit_is_refused_unparsed():
    with pytest.raises(InputError, match="too large"):
        read_scenario_bytes(b"# " + b"x" * (2 * 1024 * 1024), "big.toml")
