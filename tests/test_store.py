"""Saved runs in SQLite: round trip, names and ids, where the file lives, concurrency, schema and bad files."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from quota_opt import __version__, store
from quota_opt.errors import InputError
from quota_opt.store import APPLICATION_ID, RunStore, default_db_path, schema_version

SHA = "ab" * 32


def make_result(selected=("SC-001", "SC-002"), status="optimal", objective=None, **extra):
    picks = [{"rank": i + 1, "project_id": p, "score": 90.0 - i} for i, p in enumerate(selected)]
    return {
        "unit": "四川省", "level": "excellent", "year": 2025, "quota": 40, "status": status,
        "objective": sum(p["score"] for p in picks) if objective is None else objective,
        "selected": picks, "not_selected": [{"project_id": "SC-009", "score": 50.0, "reason": "quota_full"}],
        "ineligible": [], "invalid": [], "explanation": "", **extra,
    }


def save(db: RunStore, name="baseline", result=None, scenario='name = "baseline"\n[weights]\nexpert_score = 1\n'):
    return db.save(name, "四川省", "excellent", 2025, SHA, scenario, result or make_result())


def test_round_trip_keeps_every_field(tmp_path):
    db = RunStore(tmp_path / "runs.sqlite3")
    result = make_result(explanation="说明 explanation")
    run_id = save(db, result=result)
    run = db.get(run_id)
    assert run.result == result
    assert run.scenario() == {"name": "baseline", "weights": {"expert_score": 1}}
    s = run.summary
    assert (s.id, s.name, s.unit, s.level, s.year, s.input_sha256, s.version) == (
        run_id, "baseline", "四川省", "excellent", 2025, SHA, __version__)
    assert (s.status, s.objective, s.n_selected) == ("optimal", 179.0, 2)
    assert s.created.endswith("+00:00") and s.created[:4].isdigit()
    assert json.loads(json.dumps(run.to_dict()))["result"] == result


def test_numpy_scores_are_stored_as_plain_numbers(tmp_path):
    np = pytest.importorskip("numpy")
    db = RunStore(tmp_path / "runs.sqlite3")
    result = make_result()
    result["selected"][0]["score"] = np.float64(90.5)
    result["objective"] = np.float64(179.5)
    run = db.get(save(db, result=result))
    assert run.result["selected"][0]["score"] == 90.5 and run.summary.objective == 179.5


def test_infeasible_run_has_no_objective_in_summary(tmp_path):
    db = RunStore(tmp_path / "runs.sqlite3")
    run_id = save(db, result=make_result(selected=(), status="infeasible", objective=None) | {"objective": None})
    assert db.get(run_id).summary.objective is None and db.list()[0].status == "infeasible"


def test_a_name_refers_to_its_newest_run_and_ids_stay_unique(tmp_path):
    db = RunStore(tmp_path / "runs.sqlite3")
    first = save(db, "baseline", make_result(("SC-001",)))
    second = save(db, "baseline", make_result(("SC-002",)))
    other = save(db, "more-ai")
    assert len({first, second, other}) == 3
    assert db.get("baseline").id == second
    assert db.get(first).result["selected"][0]["project_id"] == "SC-001"
    assert db.get(str(first)).id == first  # a string of digits is an id
    assert [r.id for r in db.list()] == [other, second, first]  # newest first
    assert db.delete("baseline") is True  # deletes the newest of that name only
    assert db.get("baseline").id == first
    assert db.delete(first) is True and db.delete(first) is False
    assert [r.id for r in db.list()] == [other]


@pytest.mark.parametrize("key", [999, "999", "nobody"])
def test_unknown_id_or_name_is_a_bilingual_input_error(tmp_path, key):
    db = RunStore(tmp_path / "runs.sqlite3")
    save(db)
    with pytest.raises(InputError) as info:
        db.get(key)
    assert "没有" in info.value.message_zh and "no saved run" in info.value.message_en
    assert str(key) in info.value.message_en


def test_reading_a_missing_database_does_not_create_it(tmp_path):
    path = tmp_path / "sub" / "runs.sqlite3"
    db = RunStore(path)
    assert db.list() == [] and db.delete("x") is False
    with pytest.raises(InputError):
        db.get(1)
    assert not path.exists()
    save(db)  # saving creates the folder and the file
    assert path.exists() and len(db.list()) == 1


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"name": "  "}, "name"),
        ({"name": "2025"}, "only digits"),
        ({"input_sha256": "not-a-hash"}, "SHA-256"),
        ({"scenario_toml": "[weights\n"}, "TOML"),
        ({"result": {"status": "optimal"}}, "selected"),
        ({"result": ["not", "a", "dict"]}, "dict"),
        ({"result": make_result(objective=float("nan"))}, "JSON"),
        ({"result": make_result(extra=object())}, "JSON"),
        ({"year": "next"}, "year"),
    ],
)
def test_bad_save_arguments_are_refused_and_nothing_is_written(tmp_path, kwargs, fragment):
    db = RunStore(tmp_path / "runs.sqlite3")
    args = dict(name="baseline", unit="四川省", level="excellent", year=2025, input_sha256=SHA,
                scenario_toml="", result=make_result())
    args.update(kwargs)
    with pytest.raises(InputError) as info:
        db.save(**args)
    assert fragment in info.value.message_en and info.value.message_zh
    assert db.list() == []


def test_empty_scenario_and_no_hash_are_allowed(tmp_path):
    db = RunStore(tmp_path / "runs.sqlite3")
    run = db.get(db.save("defaults", "上海市", "leading", 2025, None, None, make_result()))
    assert run.scenario_toml == "" and run.scenario() == {} and run.summary.input_sha256 is None


# --- where the file lives ----------------------------------------------------------------

HOME = Path("/home/u")


@pytest.mark.parametrize(
    "env, platform, expected",
    [
        ({}, "linux", HOME / ".local/share/quota-opt/runs.sqlite3"),
        ({"XDG_DATA_HOME": "/data"}, "linux", Path("/data/quota-opt/runs.sqlite3")),
        ({"APPDATA": "/appdata"}, "win32", Path("/appdata/quota-opt/runs.sqlite3")),
        ({}, "win32", HOME / "AppData/Roaming/quota-opt/runs.sqlite3"),
        ({}, "darwin", HOME / "Library/Application Support/quota-opt/runs.sqlite3"),
        ({"QUOTA_OPT_DB": "/x/my.db", "XDG_DATA_HOME": "/data"}, "linux", Path("/x/my.db")),
        ({"QUOTA_OPT_DB": "/x/my.db"}, "win32", Path("/x/my.db")),
    ],
)
def test_default_path_per_platform_and_env_override(env, platform, expected):
    assert default_db_path(env, platform, HOME) == expected


def test_store_without_path_uses_the_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("QUOTA_OPT_DB", str(tmp_path / "env.sqlite3"))
    save(RunStore())
    assert (tmp_path / "env.sqlite3").exists()


# --- concurrency ------------------------------------------------------------------------------

def _save_many(path: str, worker: int, count: int, barrier) -> None:
    db = RunStore(path)
    barrier.wait()  # every process starts writing at the same moment
    for i in range(count):
        db.save(f"w{worker}-{i}", "四川省", "excellent", 2025, SHA, "", make_result((f"P{worker}-{i}",)))


def test_four_processes_saving_at_once_lose_nothing(tmp_path):
    path = str(tmp_path / "runs.sqlite3")
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    workers, count = 4, 50
    barrier = ctx.Barrier(workers)
    procs = [ctx.Process(target=_save_many, args=(path, w, count, barrier)) for w in range(workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0] * workers
    runs = RunStore(path).list()
    assert len(runs) == workers * count
    assert len({r.id for r in runs}) == workers * count
    assert {r.name for r in runs} == {f"w{w}-{i}" for w in range(workers) for i in range(count)}
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _save_once(path: str, barrier) -> None:
    db = RunStore(path)
    barrier.wait()
    db.save("first", "四川省", "excellent", 2025, SHA, "", make_result())


def test_many_processes_creating_a_new_database_at_once_all_succeed(tmp_path):
    # Turning on WAL needs the file to itself and SQLite does not wait for it; without the
    # store's retry about half of these rounds lose a save.
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    workers = 8
    for round_ in range(10):
        path = str(tmp_path / f"new{round_}.sqlite3")
        barrier = ctx.Barrier(workers)
        procs = [ctx.Process(target=_save_once, args=(path, barrier)) for _ in range(workers)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        assert [p.exitcode for p in procs] == [0] * workers
        assert len(RunStore(path).list()) == workers


# --- schema, migrations, files that are not ours ------------------------------------------------

def test_new_database_is_marked_and_at_the_current_schema(tmp_path):
    path = tmp_path / "runs.sqlite3"
    save(RunStore(path))
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema_version() >= 1
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_a_new_migration_runs_once_on_open_and_keeps_the_rows(tmp_path, monkeypatch):
    path = tmp_path / "runs.sqlite3"
    old_id = save(RunStore(path))
    current = schema_version()
    calls = []

    def add_note(conn):
        calls.append(1)
        conn.execute("ALTER TABLE runs ADD COLUMN note TEXT DEFAULT 'migrated'")

    monkeypatch.setattr(store, "MIGRATIONS", store.MIGRATIONS + [add_note])
    db = RunStore(path)
    assert db.get(old_id).name == "baseline"
    save(db)
    RunStore(path).list()
    assert calls == [1]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == current + 1
        assert conn.execute("SELECT note FROM runs WHERE id = ?", (old_id,)).fetchone()[0] == "migrated"


def test_a_failing_migration_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "runs.sqlite3"
    save(RunStore(path))
    current = schema_version()

    def broken(conn):
        conn.execute("ALTER TABLE runs ADD COLUMN half TEXT")
        conn.execute("THIS IS NOT SQL")

    monkeypatch.setattr(store, "MIGRATIONS", store.MIGRATIONS + [broken])
    with pytest.raises(InputError):
        RunStore(path).list()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == current
        columns = [r[1] for r in conn.execute("PRAGMA table_info(runs)")]
    assert "half" not in columns


def test_a_database_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "runs.sqlite3"
    save(RunStore(path))
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {schema_version() + 1}")
    with pytest.raises(InputError) as info:
        RunStore(path).list()
    assert "newer" in info.value.message_en and "更新" in info.value.message_zh


def test_a_file_that_is_not_a_database_is_an_input_error(tmp_path):
    path = tmp_path / "runs.sqlite3"
    path.write_text("项目编号,项目名称\n" * 200, encoding="utf-8")
    for action in (lambda db: db.list(), lambda db: save(db), lambda db: db.get(1)):
        with pytest.raises(InputError) as info:
            action(RunStore(path))
        assert "SQLite" in info.value.message_en and info.value.message_zh
    assert path.read_text(encoding="utf-8").startswith("项目编号")  # untouched


def test_another_programs_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(InputError) as info:
        RunStore(path).list()
    assert "another program" in info.value.message_en
    with sqlite3.connect(path) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["customers"]


def test_a_folder_is_not_a_database(tmp_path):
    with pytest.raises(InputError) as info:
        RunStore(tmp_path).list()
    assert "folder" in info.value.message_en
