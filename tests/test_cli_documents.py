"""`quota-opt profile` and `recommend --docx/--letter` as a user runs them: the installed console script in
a subprocess; exit codes 0 / 1 / 2, files written with care (never over an input, --force to replace)."""

from __future__ import annotations

import io
import json

import docx
import pytest

from cli_helpers import run_script
from quota_opt.documents import china_time, chinese_date, china_today
from quota_opt.samples import sample_path

POOL = sample_path("sichuan_excellent_2025")
BASE = ["recommend", POOL, "--unit", "四川", "--level", "excellent", "--year", "2025"]


@pytest.fixture
def env(tmp_path):
    return {"QUOTA_OPT_DB": str(tmp_path / "runs.sqlite3")}


def read(path):
    return docx.Document(io.BytesIO(path.read_bytes()))


def test_profile_set_then_show_round_trips(env):
    done = run_script("profile", "set", "--unit", "四川", "--name", "四川省经济和信息化厅", "--contact", "张三",
                      "--phone", "028-86000000", "--co-signers", "四川省发展和改革委员会、四川省财政厅", env=env)
    assert done.returncode == 0, done.stderr
    shown = run_script("profile", "show", "--unit", "Sichuan", "--format", "json", env=env)
    data = json.loads(shown.stdout)
    assert shown.returncode == 0 and data["saved"] and data["unit"] == "四川省"
    assert data["official_name"] == "四川省经济和信息化厅" and data["co_signers"] == ["四川省发展和改革委员会", "四川省财政厅"]
    table = run_script("profile", "show", "--unit", "四川省", env=env).stdout
    assert "四川省经济和信息化厅" in table and "张三" in table


def test_profile_show_gives_the_update_time_in_china_standard_time(env):
    assert run_script("profile", "set", "--unit", "四川", "--contact", "张三", env=env).returncode == 0
    stored = json.loads(run_script("profile", "show", "--unit", "四川", "--format", "json", env=env).stdout)["updated"]
    table = run_script("profile", "show", "--unit", "四川", env=env).stdout
    assert f"更新时间 / updated: {china_time(stored)}" in table and china_time(stored).endswith("+08:00")


def test_profile_show_without_a_profile_gives_the_defaults(env):
    done = run_script("profile", "show", "--unit", "兵团", env=env)
    assert done.returncode == 0 and "新疆生产建设兵团" in done.stdout and "尚未保存" in done.stdout


@pytest.mark.parametrize("args", [["--unit", "火星省", "--name", "x"], ["--unit", "四川", "--email", "nope"]])
def test_profile_bad_input_exits_2_with_one_bilingual_line(env, args):
    done = run_script("profile", "set", *args, env=env)
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and " / " in done.stderr and "Traceback" not in done.stderr


def test_recommend_writes_the_table_and_the_letter(env, tmp_path):
    run_script("profile", "set", "--unit", "四川", "--name", "四川省经济和信息化厅", "--contact", "张三", env=env)
    table, letter = tmp_path / "汇总表.docx", tmp_path / "推荐函.docx"
    done = run_script(*BASE, "--docx", table, "--letter", letter, "--date", "2025-07-25", env=env)
    assert done.returncode == 0, done.stderr
    t = read(table)
    assert t.paragraphs[0].text == "2025年度卓越级智能工厂项目推荐汇总表"
    assert t.paragraphs[1].text == "推荐单位（盖章）：四川省经济和信息化厅"
    assert len(t.tables[0].rows) == 41 and t.tables[0].rows[0].cells[-1].text == "统一社会信用代码"
    assert "填报日期：2025年7月25日" in t.paragraphs[-1].text and "联系人：张三" in t.paragraphs[-1].text
    texts = [p.text for p in read(letter).paragraphs]
    assert "工业和信息化部装备工业一司：" in texts and "2025年7月25日" in texts
    assert any("工信厅联通装函〔2025〕251号" in x and "40个" in x for x in texts)
    assert not list(tmp_path.glob(".*.part"))


def test_docx_score_adds_the_score_and_the_date_defaults_to_today_in_china(env, tmp_path):
    table = tmp_path / "t.docx"
    done = run_script(*BASE, "--docx", table, "--docx-score", env=env)
    assert done.returncode == 0, done.stderr
    t = read(table)
    assert t.tables[0].rows[0].cells[-1].text == "得分"
    assert t.paragraphs[1].text == "推荐单位（盖章）：四川省"  # no profile: the official name
    assert chinese_date(china_today()) in t.paragraphs[-1].text


def test_an_existing_file_is_kept_unless_force(env, tmp_path):
    table = tmp_path / "t.docx"
    table.write_bytes(b"old")
    done = run_script(*BASE, "--docx", table, env=env)
    assert done.returncode == 2 and "--force" in done.stderr and table.read_bytes() == b"old"
    done = run_script(*BASE, "--docx", table, "--force", env=env)
    assert done.returncode == 0 and read(table).paragraphs[0].text.endswith("推荐汇总表")


def test_a_planned_city_letter_is_bad_input_and_nothing_is_written(env, tmp_path):
    letter = tmp_path / "l.docx"
    done = run_script("recommend", POOL, "--unit", "大连", "--level", "excellent", "--year", "2025", "--letter", letter,
                      env=env)
    assert done.returncode == 2 and "推荐函" in done.stderr and "辽宁省" in done.stderr and "Traceback" not in done.stderr
    assert not letter.exists()


def test_a_central_enterprise_letter_goes_to_both_addressees(env, tmp_path):
    letter = tmp_path / "l.docx"
    done = run_script("recommend", sample_path("central_enterprise_excellent_2025"), "--unit", "中央企业", "--level",
                      "excellent", "--year", "2025", "--letter", letter, env=env)
    assert done.returncode == 0, done.stderr
    assert "工业和信息化部装备工业一司、国务院国资委科技创新局：" in [p.text for p in read(letter).paragraphs]


@pytest.mark.parametrize(("extra", "says"), [
    (["--docx", "{tmp}/t.txt"], ".docx"),
    (["--docx", "{tmp}/no/such/t.docx"], "不存在"),
    (["--docx", "{tmp}/t.docx", "--date", "25/07/2025"], "YYYY-MM-DD"),
    (["--docx-score"], "--docx"),
    (["--date", "2025-07-25"], "--docx"),
    (["--docx", "{tmp}/same.docx", "--letter", "{tmp}/same.docx"], "同一个文件"),
])
def test_bad_document_options_exit_2(env, tmp_path, extra, says):
    args = [a.format(input=POOL, tmp=tmp_path) for a in extra]
    done = run_script(*BASE, *args, env=env)
    assert done.returncode == 2 and says in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.glob("*.docx"))


def test_a_document_is_never_written_over_an_input(env, tmp_path):
    scenario = tmp_path / "scenario.docx"  # an input file that happens to be named like the output
    scenario.write_text("[constraints]\n", encoding="utf-8")
    done = run_script(*BASE, "--scenario", scenario, "--docx", scenario, "--force", env=env)
    assert done.returncode == 2 and "输入文件" in done.stderr
    assert scenario.read_text(encoding="utf-8") == "[constraints]\n"


def test_infeasible_writes_no_document_and_exits_1(env, tmp_path):
    scenario = tmp_path / "s.toml"
    scenario.write_text("[constraints]\nmin_per_city = 4\n", encoding="utf-8")
    table, letter = tmp_path / "t.docx", tmp_path / "l.docx"
    done = run_script(*BASE, "--scenario", scenario, "--docx", table, "--letter", letter, env=env)
    assert done.returncode == 1 and "未生成" in done.stderr
    assert not table.exists() and not letter.exists()
