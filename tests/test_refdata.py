from __future__ import annotations

import pytest

from quota_opt import InputError
from quota_opt.refdata import load_reference
from quota_opt.units import PROVINCE_NAMES


def test_shipped_data_lists_all_31_provinces_with_source_and_status():
    for name in ("industrial_value_2024", "excellent_counts_2024"):
        table = load_reference(name)
        assert set(table.figures) == set(PROVINCE_NAMES)
        for fig in table.figures.values():
            assert fig.status in {"official", "secondary", "derived", "missing"}
            assert fig.source
            assert (fig.value is None) == (fig.status in {"missing", "derived"} and fig.value is None)


def test_shipped_data_invents_no_figure():
    values = load_reference("industrial_value_2024")
    known = {p: f.value for p, f in values.figures.items() if f.value is not None}
    assert known == {"河北省": 14908.5, "安徽省": 14171.0, "湖南省": 15600.0, "四川省": 17900.0}
    counts = load_reference("excellent_counts_2024")
    assert {p: f.value for p, f in counts.figures.items() if f.value is not None} == {"上海市": 12, "山东省": 22}


@pytest.mark.parametrize(
    "content,needle",
    [
        ("province,industrial_value\n火星省,100\n", "火星省"),
        ("province,industrial_value\n广东,abc\n", "abc"),
        ("province,value\n广东,100\n", "industrial_value"),
        ("province,industrial_value\n广东,100\nGuangdong,200\n", "广东省"),
        ("province,industrial_value\n广东,-5\n", "-5"),
    ],
)
def test_bad_data_file_is_bad_input(tmp_path, content, needle):
    (tmp_path / "industrial_value_2024.csv").write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_reference("industrial_value_2024", tmp_path)
    assert needle in exc.value.message_zh


def test_minimal_user_file_with_thousands_separators_and_gbk(tmp_path):
    (tmp_path / "industrial_value_2024.csv").write_bytes("province,industrial_value\n广东省,\"47,000\"\n".encode("gbk"))
    table = load_reference("industrial_value_2024", tmp_path)
    assert table.get("广东省").value == 47000 and table.get("广东省").status == "user"
    assert table.get("北京市").missing
