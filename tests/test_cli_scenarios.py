"""The `quota-opt scenarios list|show|compare|delete` contract: output, exit codes, bilingual errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from quota_opt.store import RunStore
from cli_helpers import run_cli, run_script
from quota_opt.documents import china_time

SHA = "cd" * 32
BASE = 'name = "baseline"\n[weights]\nexpert_score = 0.5\nai_scenario_share = 0.5\n[constraints]\nmax_per_city = 10\n'
MORE_AI = BASE.replace("ai_scenario_share = 0.5", "ai_scenario_share = 1.5").replace("10", "8")


def result(picks, status="optimal", explanation=""):
    return {
        "unit": "四川省", "level": "excellent", "year": 2025, "quota": 3, "status": status,
        "objective": sum(s for _, s in picks) if picks else None,
        "selected": [{"rank": i + 1, "project_id": p, "score": s} for i, (p, s) in enumerate(picks)],
        "not_selected": [{"project_id": "P9", "score": 1.0, "reason": "quota_full"}],
        "ineligible": [], "invalid": [], "explanation": explanation,
    }


@pytest.fixture
def db(tmp_path):
    store = RunStore(tmp_path / "runs.sqlite3")
    store.save("baseline", "四川省", "excellent", 2025, SHA, BASE, result([("P1", 90.0), ("P2", 80.0), ("P3", 70.0)]))
    store.save("more-ai", "四川省", "excellent", 2025, SHA, MORE_AI, result([("P2", 91.0), ("P1", 85.0), ("P4", 72.5)]))
    return store


def test_list_json_newest_first(capsys, db):
    code, out, _ = run_cli(capsys, "scenarios", "list", "--db", str(db.path), "--format", "json")
    rows = json.loads(out)
    assert code == 0 and [r["name"] for r in rows] == ["more-ai", "baseline"]
    assert rows[0]["objective"] == 248.5 and rows[0]["n_selected"] == 3 and rows[0]["input_sha256"] == SHA


def test_list_table(capsys, db):
    code, out, _ = run_cli(capsys, "scenarios", "list", "--db", str(db.path))
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:3] == ["id", "name", "created"]
    assert "more-ai" in lines[2] and "248.5" in lines[2] and "baseline" in lines[3]


def test_list_and_show_give_the_time_in_china_standard_time(db):
    stored = db.get("baseline").summary.created  # stored in UTC
    shown = china_time(stored)
    listed = run_script("scenarios", "list", "--db", db.path)
    assert listed.returncode == 0 and shown in listed.stdout and stored not in listed.stdout
    assert shown.endswith("+08:00")
    one = run_script("scenarios", "show", "baseline", "--db", db.path)
    assert one.returncode == 0 and f"created: {shown}" in one.stdout
    as_json = run_script("scenarios", "list", "--db", db.path, "--format", "json")
    assert json.loads(as_json.stdout)[-1]["created"] == stored  # JSON keeps the stored value


def test_list_of_a_database_not_yet_made_is_empty_and_creates_nothing(capsys, tmp_path):
    path = tmp_path / "nothing.sqlite3"
    code, out, _ = run_cli(capsys, "scenarios", "list", "--db", str(path))
    assert code == 0 and "no saved runs" in out and "没有" in out and not path.exists()
    code, out, _ = run_cli(capsys, "scenarios", "list", "--db", str(path), "--format", "json")
    assert code == 0 and json.loads(out) == []


def test_the_environment_variable_names_the_database(capsys, db, monkeypatch):
    monkeypatch.setenv("QUOTA_OPT_DB", str(db.path))
    code, out, _ = run_cli(capsys, "scenarios", "list", "--format", "json")
    assert code == 0 and len(json.loads(out)) == 2


def test_show_by_name_json_is_the_whole_run(capsys, db):
    code, out, _ = run_cli(capsys, "scenarios", "show", "baseline", "--db", str(db.path), "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["name"] == "baseline" and data["scenario_toml"] == BASE
    assert [p["project_id"] for p in data["result"]["selected"]] == ["P1", "P2", "P3"]


def test_show_by_id_table(capsys, db):
    run_id = db.get("more-ai").id
    code, out, _ = run_cli(capsys, "scenarios", "show", str(run_id), "--db", str(db.path))
    assert code == 0 and f"more-ai #{run_id}" in out
    assert "P4" in out and "72.5" in out and "ai_scenario_share = 1.5" in out and SHA in out
    assert "未入选 / not selected: 1" in out


def test_show_infeasible_run_prints_its_explanation(capsys, db):
    db.save("too-tight", "四川省", "excellent", 2025, None, "", result([], "infeasible", "城市下限超过名额 / floors exceed quota"))
    code, out, _ = run_cli(capsys, "scenarios", "show", "too-tight", "--db", str(db.path))
    assert code == 0 and "floors exceed quota" in out and "selected: 0" in out and "（默认 / defaults）" in out


def test_compare_json(capsys, db):
    code, out, _ = run_cli(capsys, "scenarios", "compare", "baseline", "more-ai", "--db", str(db.path), "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert [e["project_id"] for e in data["entered"]] == ["P4"]
    assert [e["project_id"] for e in data["left"]] == ["P3"]
    assert [(m["project_id"], m["places"]) for m in data["moved"]] == [("P2", 1), ("P1", -1)]
    assert data["objective_diff"] == 8.5
    assert data["scenario_diff"] == [{"key": "constraints.max_per_city", "a": 10, "b": 8}]
    assert {w["criterion"] for w in data["weight_diff"]} == {"ai_scenario_share", "expert_score"}
    assert data["weights_equivalent"] is False


def test_compare_text_is_bilingual(capsys, db):
    code, out, _ = run_cli(capsys, "scenarios", "compare", "baseline", "more-ai", "--db", str(db.path))
    assert code == 0
    for fragment in ("进入", "entered", "P4", "退出", "left", "P3", "constraints.max_per_city: 10 → 8", "+8.5"):
        assert fragment in out


def test_delete_removes_one_run(capsys, db):
    code, out, _ = run_cli(capsys, "scenarios", "delete", "more-ai", "--db", str(db.path), "--format", "json")
    assert code == 0 and json.loads(out)["deleted"]["name"] == "more-ai"
    assert [r.name for r in db.list()] == ["baseline"]
    code, out, _ = run_cli(capsys, "scenarios", "delete", "baseline", "--db", str(db.path))
    assert code == 0 and "已删除 / deleted: baseline" in out and db.list() == []


@pytest.mark.parametrize(
    "args",
    [
        ["show", "nobody"],
        ["show", "999"],
        ["compare", "baseline", "nobody"],
        ["delete", "999"],
        ["show"],
        ["compare", "baseline"],
        ["list", "--format", "xml"],
        ["rename", "baseline"],
        [],
    ],
)
def test_bad_input_exits_2_with_one_bilingual_line(capsys, db, args):
    code, out, err = run_cli(capsys, "scenarios", *args, "--db", str(db.path))
    assert code == 2 and out == ""
    assert "错误" in err and "Error" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert len(db.list()) == 2  # nothing deleted


@pytest.mark.parametrize("content", [b"not a database at all\n" * 100, b"SQLite format 3\x00" + b"\xff" * 200])
def test_a_file_that_is_not_a_database_exits_2(capsys, tmp_path, content):
    path = tmp_path / "runs.sqlite3"
    path.write_bytes(content)
    code, _, err = run_cli(capsys, "scenarios", "list", "--db", str(path))
    assert code == 2 and "SQLite" in err and "错误" in err and len(err.strip().splitlines()) == 1
    assert path.read_bytes() == content


def test_module_entry_point(db):
    proc = subprocess.run([sys.executable, "-m", "quota_opt", "scenarios", "list", "--db", str(db.path), "--format",
                           "json"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and len(json.loads(proc.stdout)) == 2


# --- issue 9 §3: the run store under a concurrent writer and with damaged rows ---------------------------

import sqlite3  # noqa: E402
import time  # noqa: E402

from cli_helpers import run_script  # noqa: E402


@pytest.mark.parametrize("lock", ["IMMEDIATE", "EXCLUSIVE"])
def test_reads_never_wait_on_another_process_write(db, lock):
    """list, show and compare return promptly (read-only, WAL) while another connection holds a write
    transaction with an uncommitted run; they see the committed runs only."""
    writer = sqlite3.connect(db.path, isolation_level=None)
    try:
        writer.execute(f"BEGIN {lock}")
        writer.execute("INSERT INTO runs (name, created, unit, level, year, input_sha256, scenario_toml, result_json,"
                       " version, status, objective, n_selected) VALUES ('uncommitted', '2025-01-01T00:00:00+00:00',"
                       " '四川省', 'excellent', 2025, NULL, '', '{\"status\": \"optimal\", \"selected\": []}', '0',"
                       " 'optimal', 0, 0)")
        for args in (["list", "--format", "json"], ["show", "baseline"], ["compare", "baseline", "more-ai"]):
            started = time.monotonic()
            proc = run_script("scenarios", *args, "--db", db.path, timeout=60)
            seconds = time.monotonic() - started
            assert proc.returncode == 0, proc.stderr
            assert seconds < 10, (args, seconds)  # a writer's busy wait is 30 s
            assert "uncommitted" not in proc.stdout
        rows = json.loads(run_script("scenarios", "list", "--format", "json", "--db", db.path).stdout)
        assert [r["name"] for r in rows] == ["more-ai", "baseline"]
    finally:
        writer.execute("ROLLBACK")
        writer.close()


@pytest.mark.parametrize("run_id", ["18446744073709551616", "9223372036854775808", pytest.param("9" * 5000, id="5000-digits")])
def test_ids_past_64_bits_are_an_unknown_run(capsys, db, run_id):
    for args in (["show", run_id], ["compare", run_id, "baseline"], ["delete", run_id]):
        code, out, err = run_cli(capsys, "scenarios", *args, "--db", str(db.path))
        assert code == 2 and out == "" and "Traceback" not in err
        assert "没有编号或名称" in err and "no saved run" in err


DAMAGE = {
    "broken JSON": ("result_json", '{"status": "optimal", "selected": ['),
    "missing key": ("result_json", '{"status": "optimal"}'),
    "not an object": ("result_json", "[1, 2]"),
    "unknown level": ("level", "platinum"),
    "year not a number": ("year", "twenty"),
    "objective not a number": ("objective", "lots"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_row_is_named_and_the_other_runs_still_listed(capsys, db, damage):
    column, value = DAMAGE[damage]
    broken = db.save("broken", "四川省", "excellent", 2025, SHA, BASE, result([("P1", 1.0)]))
    with sqlite3.connect(db.path) as conn:
        conn.execute(f"UPDATE runs SET {column} = ? WHERE id = ?", (value, broken))
    conn.close()

    code, out, err = run_cli(capsys, "scenarios", "list", "--db", str(db.path))
    assert code == 0 and err == "" and "Traceback" not in out
    assert "baseline" in out and "more-ai" in out and "已损坏 damaged" in out
    assert f"! 运行 broken #{broken} 的记录已损坏" in out and "is damaged" in out

    code, out, _ = run_cli(capsys, "scenarios", "list", "--db", str(db.path), "--format", "json")
    rows = {r["name"]: r for r in json.loads(out)}
    assert code == 0 and set(rows) == {"broken", "baseline", "more-ai"}
    assert rows["broken"]["problem"] and rows["baseline"]["problem"] is None

    for args in (["show", "broken"], ["show", str(broken)], ["compare", "baseline", "broken"]):
        code, out, err = run_cli(capsys, "scenarios", *args, "--db", str(db.path))
        assert code == 2 and out == "" and "Traceback" not in err, (args, err)
        assert f"broken #{broken}" in err and "已损坏" in err and "damaged" in err
    assert run_cli(capsys, "scenarios", "show", "baseline", "--db", str(db.path))[0] == 0
