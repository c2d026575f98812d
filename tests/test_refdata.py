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
    # all 31 from the NBS yearbook table 3-9 (preliminary); every one quotes its source and the 初步核算数 wording
    assert all(f.value is not None and f.status == "official" and "初步核算数" in f.source for f in values.figures.values())
    assert (values.get("河北省").value, values.get("安徽省").value, values.get("西藏自治区").value) == (14908.5, 14171.2, 413.1)
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


# ---------------------------------------------------------------- user figures and uploaded files
from quota_opt.refdata import UserFigure, apply_user_figures, read_reference_bytes  # noqa: E402


def test_user_figure_replaces_a_missing_one_with_its_source():
    table = apply_user_figures(load_reference("excellent_counts_2024"),
                               [UserFigure("excellent_counts_2024", "四川", 15, "四川省经信厅 2025-02 通报")])
    fig = table.get("四川省")
    assert (fig.value, fig.status, fig.source) == (15, "user", "四川省经信厅 2025-02 通报")
    assert table.get("山东省").value == 22  # the others are untouched


def test_user_figures_of_another_dataset_are_ignored():
    table = load_reference("industrial_value_2024")
    same = apply_user_figures(table, [UserFigure("excellent_counts_2024", "四川", 15, "x")])
    assert same.figures == table.figures


@pytest.mark.parametrize(
    "figure,needle",
    [
        (UserFigure("excellent_counts_2024", "四川", 15, "  "), "来源"),
        (UserFigure("excellent_counts_2024", "四川", -1, "src"), "-1"),
        (UserFigure("excellent_counts_2024", "四川", 2.5, "src"), "2.5"),
        (UserFigure("excellent_counts_2024", "火星", 3, "src"), "火星"),
        (UserFigure("excellent_counts_2024", "四川", float("nan"), "src"), "nan"),
    ],
)
def test_bad_user_figure_is_bad_input(figure, needle):
    with pytest.raises(InputError) as exc:
        apply_user_figures(load_reference("excellent_counts_2024"), [figure])
    assert needle in exc.value.message_zh


def test_a_province_given_twice_is_bad_input():
    figs = [UserFigure("excellent_counts_2024", "四川", 3, "a"), UserFigure("excellent_counts_2024", "Sichuan", 4, "b")]
    with pytest.raises(InputError) as exc:
        apply_user_figures(load_reference("excellent_counts_2024"), figs)
    assert "四川省" in exc.value.message_zh


def test_uploaded_file_bytes_read_like_a_data_folder_file():
    data = "province,excellent_count,source\n四川,25,省统计公报\n山东省,22,\n".encode("gbk")
    table = read_reference_bytes("excellent_counts_2024", data, "我的数据.csv")
    assert table.path == "我的数据.csv"
    assert (table.get("四川省").value, table.get("四川省").source) == (25, "省统计公报")
    assert table.get("山东省").source == "我的数据.csv" and table.get("北京市").missing
    with pytest.raises(InputError) as exc:
        read_reference_bytes("excellent_counts_2024", b"province,count\n", "坏.csv")
    assert "坏.csv" in exc.value.message_zh and "excellent_count" in exc.value.message_zh
    with pytest.raises(InputError):
        read_reference_bytes("excellent_counts_2024", b"", "empty.csv")
    with pytest.raises(InputError):
        read_reference_bytes("no_such_dataset", data, "x.csv")


# ---------------------------------------------------------------- issue 10: datasets of any basis year
from quota_opt.refdata import (DEFAULT_DATA_DIR, dataset_for, figures_table, find_reference, read_reference_bytes,  # noqa: E402
                               reference_csv, save_user_reference)


def test_a_dataset_of_any_basis_year_is_named_family_and_year():
    assert dataset_for("industrial_value_2025").filename == "industrial_value_2025.csv"
    assert dataset_for("excellent_counts_2030").integer
    for bad in ("gdp_2025", "industrial_value", "industrial_value_25"):
        with pytest.raises(InputError):
            dataset_for(bad)


def test_a_dataset_is_looked_for_in_data_dir_then_the_user_folder_then_the_shipped_data(tmp_path, own_user_data_folder):
    assert find_reference("industrial_value_2024") == (DEFAULT_DATA_DIR / "industrial_value_2024.csv", "shipped")
    assert find_reference("industrial_value_2025") is None
    user = own_user_data_folder / "data"
    user.mkdir(parents=True)
    (user / "industrial_value_2024.csv").write_text("province,industrial_value,source\n四川,1,x\n", encoding="utf-8")
    assert find_reference("industrial_value_2024")[1] == "user"
    (tmp_path / "industrial_value_2024.csv").write_text("province,industrial_value,source\n四川,2,y\n", encoding="utf-8")
    assert find_reference("industrial_value_2024", tmp_path)[1] == "data_dir"
    assert load_reference("industrial_value_2024", tmp_path).get("四川省").value == 2
    assert load_reference("industrial_value_2024").get("四川省").value == 1
    assert load_reference("industrial_value_2025", missing_ok=True).get("四川省").missing


def test_typed_figures_saved_to_the_user_folder_read_back_with_their_sources(own_user_data_folder):
    table = figures_table("industrial_value_2025", [UserFigure("industrial_value_2025", "四川", 18000.5, "省统计局")])
    path = save_user_reference("industrial_value_2025", reference_csv(table), "typed")
    assert path == own_user_data_folder / "data" / "industrial_value_2025.csv"
    back = load_reference("industrial_value_2025")
    assert (back.origin, back.get("四川省").value, back.get("四川省").source, back.get("四川省").status) == (
        "user", 18000.5, "省统计局", "user")
    assert back.get("北京市").missing


def test_a_bad_file_is_not_saved_to_the_user_folder(own_user_data_folder):
    with pytest.raises(InputError):
        save_user_reference("industrial_value_2025", "province,industrial_value\n四川,abc\n".encode(), "bad.csv")
    assert not (own_user_data_folder / "data" / "industrial_value_2025.csv").exists()
    assert read_reference_bytes("industrial_value_2025", "province,industrial_value\n四川,1\n".encode(), "ok.csv")
