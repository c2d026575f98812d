"""`quota-opt rules list|show|new|check` and a new notice year made only from the command line (issue 10).

Every test runs the installed console script in a subprocess with its own user data folder
(XDG_DATA_HOME, set for each test by conftest.own_user_data_folder).
"""

from __future__ import annotations

import csv
import json
import os
import re
import tomllib
from pathlib import Path

import pytest

from cli_helpers import run_script
from quota_opt.rules import RULES_DIR
from quota_opt.units import PROVINCE_NAMES

SHIPPED_2025 = (RULES_DIR / "2025.toml").read_text(encoding="utf-8")


def user_folder() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "quota-opt"


def synthetic_2025_values() -> dict[str, float]:
    """A made-up 2025 table for the test only: province i (in list order) has 5000 - 100*i."""
    return {p: 5000.0 - 100 * i for i, p in enumerate(PROVINCE_NAMES)}


def write_dataset(folder: Path, name: str, values: dict[str, float]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["province", "industrial_value", "status", "source"])
        for p, v in values.items():
            w.writerow([p, v, "official", "测试用合成数据 / synthetic test data"])
    return path


def make_2026_round() -> Path:
    """2026 rules made only through `rules new` and edits of the file: a document number and tiers 45/35/25."""
    done = run_script("rules", "new", "--year", "2026", "--from", "2025")
    assert done.returncode == 0, done.stderr
    path = Path(done.stdout.strip())
    assert path == user_folder() / "rules" / "2026.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('document = ""', 'document = "工信厅联通装函〔2026〕88号"', 1)
    for old, new in (("rank_max = 10, quota = 40", "rank_max = 10, quota = 45"),
                     ("rank_max = 20, quota = 30", "rank_max = 20, quota = 35"), ("{ quota = 20,", "{ quota = 25,")):
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return path


def test_rules_list_names_every_year_with_its_document():
    done = run_script("rules", "list")
    assert done.returncode == 0
    assert re.search(r"2024\s+shipped\s+工信厅联通装函〔2024〕399号", done.stdout)
    assert re.search(r"2025\s+shipped\s+工信厅联通装函〔2025〕251号", done.stdout)


@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_rules_show_prints_the_year_as_toml_or_json(fmt):
    done = run_script("rules", "show", "--year", "2025", "--format", fmt)
    assert done.returncode == 0
    raw = json.loads(done.stdout) if fmt == "json" else tomllib.loads(done.stdout)
    assert raw["document"] == "工信厅联通装函〔2025〕251号"
    assert [t["quota"] for t in raw["quota"][0]["tiers"]] == [40, 30, 20]


def test_rules_new_writes_an_editable_copy_with_the_year_ids_and_datasets_moved_on():
    done = run_script("rules", "new", "--year", "2026", "--from", "2025")
    assert done.returncode == 0
    raw = tomllib.loads(Path(done.stdout.strip()).read_text(encoding="utf-8"))
    assert raw["year"] == 2026 and raw["document"] == raw["title_zh"] == raw["title_en"] == raw["date"] == ""
    assert [q["id"] for q in raw["quota"]][0] == "Q2026-E-province-rank"
    assert all(r["id"].startswith(("Q2026", "E2026")) for r in raw["quota"] + raw["eligibility"])
    datasets = {q["dataset"] for q in raw["quota"] if "dataset" in q}
    assert datasets == {"industrial_value_2025", "excellent_counts_2025"}
    assert raw["quota"][0]["measure_zh"] == "2025年全部工业增加值"
    # an empty document number is an error until the user fills it in
    check = run_script("rules", "check", done.stdout.strip())
    assert check.returncode == 2 and "document" in check.stderr


def test_rules_new_into_a_chosen_folder_and_never_over_a_file(tmp_path):
    first = run_script("rules", "new", "--year", "2027", "--from", "2025", "--dir", tmp_path)
    assert first.returncode == 0 and Path(first.stdout.strip()) == tmp_path / "2027.toml"
    again = run_script("rules", "new", "--year", "2027", "--from", "2025", "--dir", tmp_path)
    assert again.returncode == 2 and "2027.toml" in again.stderr and "Traceback" not in again.stderr


def test_rules_new_for_a_shipped_year_is_refused():
    done = run_script("rules", "new", "--year", "2025", "--from", "2024")
    assert done.returncode == 2 and "2025" in done.stderr


def test_a_2026_round_made_with_rules_new_gives_its_quotas_from_a_user_data_file():
    make_2026_round()
    values = synthetic_2025_values()
    write_dataset(user_folder() / "data", "industrial_value_2025", values)
    done = run_script("quota", "--year", "2026", "--level", "excellent", "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = {r["unit"]: r for r in json.loads(done.stdout)}
    ranked = sorted(values, key=lambda p: -values[p])
    for rank, province in enumerate(ranked, start=1):
        expected = 45 if rank <= 10 else 35 if rank <= 20 else 25
        assert (rows[province]["quota"], rows[province]["rank_min"]) == (expected, rank), province
    assert rows["新疆生产建设兵团"]["quota"] == 5 and rows["深圳市"]["status"] == "via"
    assert "工信厅联通装函〔2026〕88号" in rows[ranked[0]]["basis_zh"]
    # the tool says which file it used
    assert "industrial_value_2025.csv（用户数据文件夹 / the user data folder）" in done.stderr
    # leading level: no 2025 counts yet, so the quotas stay undetermined and say which file is missing
    lead = json.loads(run_script("quota", "--year", "2026", "--level", "leading", "--format", "json").stdout)
    sichuan = next(r for r in lead if r["unit"] == "四川省")
    assert sichuan["status"] == "undetermined" and "excellent_counts_2025.csv" in sichuan["basis_zh"]


def test_data_dir_comes_before_the_user_data_folder(tmp_path):
    make_2026_round()
    write_dataset(user_folder() / "data", "industrial_value_2025", synthetic_2025_values())
    flipped = {p: 1000.0 + 100 * i for i, p in enumerate(PROVINCE_NAMES)}  # the last province is now first
    write_dataset(tmp_path, "industrial_value_2025", flipped)
    done = run_script("quota", "--year", "2026", "--level", "excellent", "--unit", PROVINCE_NAMES[-1],
                      "--data-dir", tmp_path, "--format", "json")
    assert done.returncode == 0 and json.loads(done.stdout)[0]["quota"] == 45
    assert "--data-dir" in done.stderr


@pytest.mark.parametrize("command", [
    ["quota", "--year", "2025", "--level", "excellent"],
    ["rules", "show", "--year", "2025"],
    ["recommend", str(Path(__file__).resolve().parent.parent / "data" / "samples" / "sichuan_excellent_2025.csv"),
     "--unit", "四川", "--level", "excellent", "--year", "2025"],
])
def test_a_user_file_for_a_shipped_year_is_refused_naming_it(command):
    folder = user_folder() / "rules"
    folder.mkdir(parents=True)
    (folder / "2025.toml").write_text(SHIPPED_2025.replace("quota = 40,", "quota = 99,"), encoding="utf-8")
    done = run_script(*command)
    assert done.returncode == 2
    assert str(folder / "2025.toml") in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def _line_of(text: str, needle: str, nth: int = 0) -> int:
    lines = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    return lines[nth]


# Each listed problem: how to make it from the shipped 2025 file, the key it names, the line's text.
PROBLEMS = {
    "tiers out of order": ("{ rank_max = 20, quota = 30,", "{ rank_max = 5, quota = 30,", "quota[0].tiers[1].rank_max"),
    "quota not a positive integer": ("kind = \"fixed\"\nquota = 5", "kind = \"fixed\"\nquota = 0", "quota[1].quota"),
    "quota a fraction": ("{ rank_max = 10, quota = 40,", "{ rank_max = 10, quota = 40.5,", "quota[0].tiers[0].quota"),
    "unknown kind": ('kind = "via_factory_province"', 'kind = "via_somewhere"', "quota[6].kind"),
    "unknown level": ('id = "E2025-L-ai"\nlevel = "leading"', 'id = "E2025-L-ai"\nlevel = "platinum"', "eligibility[8].level"),
    "missing clause": ('clause = "三（一）3"\ntext_zh = "申报主体须已获评卓越级智能工厂"', 'text_zh = "申报主体须已获评卓越级智能工厂"',
                       "eligibility[5].clause"),
    "empty document number": ('document = "工信厅联通装函〔2025〕251号"', 'document = ""', "document"),
}


@pytest.mark.parametrize("problem", list(PROBLEMS))
def test_rules_check_finds_each_listed_problem_with_its_line(tmp_path, problem):
    old, new, key = PROBLEMS[problem]
    assert old in SHIPPED_2025
    text = SHIPPED_2025.replace(old, new, 1)
    path = tmp_path / "2025.toml"
    path.write_text(text, encoding="utf-8")
    done = run_script("rules", "check", path)
    assert done.returncode == 2 and done.stdout == ""
    hit = [line for line in done.stderr.splitlines() if f" {key}：" in line]
    assert hit, done.stderr
    line = int(hit[0].split(":")[1])
    probe = new.splitlines()[-1] if problem != "missing clause" else 'id = "E2025-L-rating"'
    expected = _line_of(text, probe) if problem != "missing clause" else _line_of(text, probe)
    if problem == "missing clause":
        assert line == _line_of(text, "[[eligibility]]", 5)  # the rule's table, as the key is not there
    else:
        assert line == expected


def test_rules_check_reports_every_problem_at_once(tmp_path):
    text = SHIPPED_2025
    for old, new, _ in PROBLEMS.values():
        text = text.replace(old, new, 1)
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    done = run_script("rules", "check", path)
    assert done.returncode == 2
    for _, _, key in PROBLEMS.values():
        assert f" {key}：" in done.stderr, key


def test_rules_check_of_the_shipped_files_passes():
    for year in (2024, 2025):
        done = run_script("rules", "check", RULES_DIR / f"{year}.toml")
        assert done.returncode == 0, done.stderr


def test_rules_check_a_toml_syntax_error_names_its_line(tmp_path):
    path = tmp_path / "2026.toml"
    path.write_text('year = 2026\ndocument = "x"\nlevels = ["excellent"\n', encoding="utf-8")
    done = run_script("rules", "check", path)
    assert done.returncode == 2 and re.search(r":\d+: 错误", done.stderr)


def test_rules_check_an_unreadable_file_is_bad_input(tmp_path):
    done = run_script("rules", "check", tmp_path / "none.toml")
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
