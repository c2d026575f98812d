"""The unit profile kept in the run store: one per unit (a central enterprise's per group), the
defaults without one, what a field may hold, and the schema migration that adds it."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, strategies as st

from quota_opt import store
from quota_opt.errors import InputError
from quota_opt.profile import MAX_FIELD, UnitProfile, default_profile, parse_co_signers, profile_key
from quota_opt.store import RunStore, schema_version


def test_a_saved_profile_comes_back_under_any_spelling_of_the_unit(tmp_path):
    db = RunStore(tmp_path / "runs.sqlite3")
    saved = db.save_profile(UnitProfile("四川", name="四川省经济和信息化厅", co_signers=("四川省财政厅",),
                                        contact="张三", phone="028-1", email="a@b.cn", address="成都市某路1号"))
    assert saved.unit == "四川省" and saved.saved
    for spelling in ("四川省", "四川", "Sichuan", "sichuan"):
        got = db.get_profile(spelling)
        assert got == saved
    assert got.official_name == "四川省经济和信息化厅" and got.signers == ("四川省经济和信息化厅", "四川省财政厅")


def test_one_profile_per_unit_a_new_save_replaces_the_old(tmp_path):
    db = RunStore(tmp_path / "runs.sqlite3")
    db.save_profile(UnitProfile("四川省", name="旧名", contact="甲"))
    db.save_profile(db.profile("四川").updated_with(name="新名"))
    got = db.get_profile("四川")
    assert (got.name, got.contact) == ("新名", "甲")
    with sqlite3.connect(db.path) as conn:
        assert conn.execute("SELECT count(*) FROM unit_profiles").fetchone()[0] == 1


def test_a_central_enterprise_has_one_profile_per_group(tmp_path):
    db = RunStore(tmp_path / "runs.sqlite3")
    db.save_profile(UnitProfile("中央企业:宝武", name="中国宝武钢铁集团有限公司"))
    db.save_profile(UnitProfile("中央企业:国家电网", name="国家电网有限公司"))
    assert db.profile("中央企业:宝武").official_name == "中国宝武钢铁集团有限公司"
    assert db.profile("central-enterprise:国家电网").official_name == "国家电网有限公司"
    assert db.get_profile("中央企业") is None


def test_without_a_profile_the_official_name_and_blank_contact_lines(tmp_path):
    db = RunStore(tmp_path / "missing.sqlite3")
    profile = db.profile("Xinjiang Production and Construction Corps")
    assert profile == default_profile("兵团") and not profile.saved
    assert profile.official_name == "新疆生产建设兵团" and (profile.contact, profile.phone) == ("", "")
    assert default_profile("中央企业:宝武").official_name == "宝武"
    assert not (tmp_path / "missing.sqlite3").exists()  # reading never creates the database


def test_an_unknown_unit_is_an_input_error(tmp_path):
    with pytest.raises(InputError) as info:
        RunStore(tmp_path / "runs.sqlite3").profile("火星省")
    assert "未知的推荐单位" in info.value.message_zh


@pytest.mark.parametrize(("field", "value", "why"), [
    ("email", "not-an-address", "格式不对"),
    ("contact", "张\x1b[31m三", "控制字符"),
    ("name", "名" * (MAX_FIELD + 1), "过长"),
    ("phone", "028\u202e1234", "控制字符"),
])
def test_a_field_that_cannot_be_kept_is_refused_with_the_reason(field, value, why):
    with pytest.raises(InputError) as info:
        UnitProfile("四川省").updated_with(**{field: value})
    assert why in info.value.message_zh


def test_updating_changes_only_the_fields_given_and_empty_clears():
    base = UnitProfile("四川省", name="甲", contact="乙", phone="1")
    changed = base.updated_with(contact="丙", phone="", name=None)
    assert (changed.name, changed.contact, changed.phone) == ("甲", "丙", "")


@given(st.lists(st.text(alphabet="四川省财政厅发展改革委员会", min_size=1, max_size=12), max_size=6),
       st.sampled_from(["、", "，", ",", "；", "\n"]))
def test_co_signers_split_on_any_separator_in_order_without_repeats(names, sep):
    parsed = parse_co_signers(sep.join(names))
    assert list(parsed) == list(dict.fromkeys(names))


def test_profile_key_is_the_canonical_unit_name():
    assert profile_key("Shenzhen") == "深圳市" and profile_key("中央企业：宝武") == "中央企业:宝武"


def test_a_schema_1_database_gains_the_profile_table_and_keeps_its_runs(tmp_path, monkeypatch):
    path = tmp_path / "runs.sqlite3"
    monkeypatch.setattr(store, "MIGRATIONS", store.MIGRATIONS[:1])
    old = RunStore(path)
    run_id = old.save("baseline", "四川省", "excellent", 2025, None, "", {"status": "optimal", "selected": []})
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    monkeypatch.undo()
    db = RunStore(path)
    assert db.get_profile("四川") is None
    db.save_profile(UnitProfile("四川省", contact="张三"))
    assert db.get(run_id).name == "baseline" and db.profile("四川").contact == "张三"
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema_version() >= 2
