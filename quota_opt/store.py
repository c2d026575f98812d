"""Saved runs: an embedded SQLite store of recommendation results and the scenarios that made them.

Each saved run keeps its id, name, creation time (UTC, ISO 8601), unit, level, year, the
SHA-256 of the input file, the scenario TOML text, the full result (the ``recommend`` JSON)
and the quota-opt version that made it.

Where the database lives, first match wins:

1. an explicit path (``RunStore(path)``, the CLI's ``--db``);
2. the ``QUOTA_OPT_DB`` environment variable;
3. the user's data folder: ``%APPDATA%\\quota-opt`` on Windows,
   ``~/Library/Application Support/quota-opt`` on macOS, ``$XDG_DATA_HOME/quota-opt`` (default
   ``~/.local/share/quota-opt``) elsewhere; the file is ``runs.sqlite3``.

Why it is safe with several processes: every write is one ``BEGIN IMMEDIATE`` transaction (the
write lock is taken up front, so two writers never deadlock on a lock upgrade), the journal is
WAL (readers never block the writer), and a busy timeout makes a writer wait for the lock
instead of failing. Reading never creates the file: listing a database that does not exist yet
gives an empty list. Reading (``list``, ``get``) opens the file read-only (``mode=ro``) and
never starts a write transaction, so under WAL it never waits on another process's write: it
sees the last committed state.

A damaged row (result JSON that does not parse, a key missing, an unknown level, a field of the
wrong type) never breaks reading: ``list`` lists it with a ``problem`` saying what is wrong (and
lists every other run), ``get`` refuses it with that message. An id too large for SQLite (past
64 bits) is simply an unknown run.

The same file keeps each recommending unit's profile (the name on its seal, co-signers, contact;
:class:`quota_opt.profile.UnitProfile`), one per unit, which signs the summary table and the
recommendation letter (:meth:`RunStore.save_profile`, :meth:`RunStore.get_profile`; schema 2).

Names may repeat; a name refers to its newest run, an id to exactly one. A name made only of
digits is refused because it would read as an id.

The schema is versioned with ``PRAGMA user_version``; :data:`MIGRATIONS` holds one function per
step (``MIGRATIONS[i]`` takes version ``i`` to ``i + 1``), run in one transaction on open. The file
is marked with ``PRAGMA application_id`` so another program's SQLite database is not mistaken
for ours.
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import sqlite3
import time
import tomllib
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

from .errors import InputError
from .profile import UnitProfile, default_profile, profile_key
from .userdata import user_data_dir

ENV_VAR = "QUOTA_OPT_DB"
FILE_NAME = "runs.sqlite3"
# "QOPT" in ASCII: the SQLite header's application id of a quota-opt database.
APPLICATION_ID = 0x514F5054
# Seconds a writer waits for another process's write lock before giving up.
BUSY_TIMEOUT_S = 30.0

_SHA256 = re.compile(r"[0-9a-f]{64}")


def default_db_path(env: dict[str, str] | None = None, platform: str | None = None,
                    home: Path | None = None) -> Path:
    """The database file used when no path is given (see the module docstring for the order)."""
    env = os.environ if env is None else env
    if env.get(ENV_VAR):
        return Path(env[ENV_VAR]).expanduser()
    return user_data_dir(env, platform, home) / FILE_NAME


def _migrate_0_to_1(conn: sqlite3.Connection) -> None:
    conn.execute(
        """
        CREATE TABLE runs (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            name          TEXT    NOT NULL,
            created       TEXT    NOT NULL,
            unit          TEXT    NOT NULL,
            level         TEXT    NOT NULL,
            year          INTEGER NOT NULL,
            input_sha256  TEXT,
            scenario_toml TEXT    NOT NULL,
            result_json   TEXT    NOT NULL,
            version       TEXT    NOT NULL,
            status        TEXT,
            objective     REAL,
            n_selected    INTEGER NOT NULL
        )
        """
    )
    conn.execute("CREATE INDEX runs_name ON runs (name, id)")


def _migrate_1_to_2(conn: sqlite3.Connection) -> None:
    # Issue 12: one profile per recommending unit (a central enterprise's per group), keyed by the
    # unit's canonical name; co_signers is a JSON list of names.
    conn.execute(
        """
        CREATE TABLE unit_profiles (
            unit       TEXT PRIMARY KEY,
            name       TEXT NOT NULL DEFAULT '',
            co_signers TEXT NOT NULL DEFAULT '[]',
            contact    TEXT NOT NULL DEFAULT '',
            phone      TEXT NOT NULL DEFAULT '',
            email      TEXT NOT NULL DEFAULT '',
            address    TEXT NOT NULL DEFAULT '',
            updated    TEXT NOT NULL
        )
        """
    )


# MIGRATIONS[i] upgrades a database at schema version i to version i + 1. Append, never edit.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_migrate_0_to_1, _migrate_1_to_2]


def schema_version() -> int:
    """The schema version this quota-opt writes: the number of migrations."""
    return len(MIGRATIONS)


@dataclass(frozen=True)
class RunSummary:
    """One line of the list of saved runs."""

    id: int
    name: str
    created: str
    unit: str
    level: str
    year: int
    status: str | None
    objective: float | None
    n_selected: int
    input_sha256: str | None
    version: str
    problem: str | None = None  # why the stored row cannot be used ("中文 / English"), None when sound

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class SavedRun:
    """A saved run in full: its summary, the scenario TOML text and the result dict."""

    summary: RunSummary
    scenario_toml: str
    result: dict

    @property
    def id(self) -> int:
        return self.summary.id

    @property
    def name(self) -> str:
        return self.summary.name

    @property
    def label(self) -> str:
        """``name #id``, how the run is named in messages and comparisons."""
        return f"{self.summary.name} #{self.summary.id}"

    def scenario(self) -> dict:
        """The scenario TOML parsed (validated when saved)."""
        return tomllib.loads(self.scenario_toml)

    def to_dict(self) -> dict:
        return {**self.summary.to_dict(), "scenario_toml": self.scenario_toml, "result": self.result}


_SUMMARY_COLUMNS = "id, name, created, unit, level, year, status, objective, n_selected, input_sha256, version"
# What list() learns of the stored result without parsing it in Python (SQLite's JSON functions;
# CASE keeps json_type from running on text that is not JSON).
_RESULT_CHECKS = ("json_valid(result_json) AS json_ok, "
                  "CASE WHEN json_valid(result_json) THEN json_type(result_json) END AS json_kind, "
                  "CASE WHEN json_valid(result_json) THEN json_type(result_json, '$.status') END AS status_kind, "
                  "CASE WHEN json_valid(result_json) THEN json_type(result_json, '$.selected') END AS selected_kind")
LEVELS = ("excellent", "leading")
# The largest id SQLite can hold (a signed 64-bit integer); a larger number names no run.
MAX_ID = 2 ** 63 - 1


def _text(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def _summary(row: sqlite3.Row) -> RunSummary:
    """A row as a RunSummary; a field of the wrong type is shown as text and named in ``problem``."""
    problems: list[tuple[str, str]] = []

    def need(ok: bool, zh: str, en: str) -> None:
        if not ok:
            problems.append((zh, en))

    year, objective, n_selected = row["year"], row["objective"], row["n_selected"]
    need(isinstance(row["name"], str) and row["name"].strip() != "", "名称缺失", "the name is missing")
    need(row["level"] in LEVELS, f"未知层级“{_text(row['level'])}”", f"unknown level '{_text(row['level'])}'")
    need(isinstance(year, int), f"年度“{_text(year)}”不是整数", f"year '{_text(year)}' is not a whole number")
    need(objective is None or (isinstance(objective, (int, float)) and math.isfinite(objective)),
         f"得分合计“{_text(objective)}”不是数字", f"objective '{_text(objective)}' is not a number")
    need(isinstance(n_selected, int), f"入选数“{_text(n_selected)}”不是整数",
         f"n_selected '{_text(n_selected)}' is not a whole number")
    need(row["status"] is None or isinstance(row["status"], str), "状态不是文本", "the status is not text")
    keys = row.keys()
    if "json_ok" in keys:
        if not row["json_ok"]:
            problems.append(("结果不是有效的 JSON", "the stored result is not valid JSON"))
        elif row["json_kind"] != "object":
            problems.append(("结果不是 JSON 对象", "the stored result is not a JSON object"))
        else:
            need(row["status_kind"] == "text", "结果缺少 status", "the stored result lacks 'status'")
            need(row["selected_kind"] == "array", "结果缺少 selected 列表", "the stored result lacks the 'selected' list")
    problem = None
    if problems:
        problem = "；".join(zh for zh, _ in problems) + " / " + "; ".join(en for _, en in problems)
    return RunSummary(
        id=row["id"], name=_text(row["name"]), created=_text(row["created"]), unit=_text(row["unit"]),
        level=_text(row["level"]), year=year if isinstance(year, int) else _text(year),
        status=row["status"] if row["status"] is None else _text(row["status"]),
        objective=_finite_or_none(objective) if not isinstance(objective, (str, bytes)) else None,
        n_selected=n_selected if isinstance(n_selected, int) else 0,
        input_sha256=None if row["input_sha256"] is None else _text(row["input_sha256"]),
        version=_text(row["version"]), problem=problem,
    )


def _saved_run(row: sqlite3.Row, damaged: Callable[[str, str], InputError]) -> SavedRun:
    """A full row as a SavedRun, or the InputError ``damaged(zh, en)`` saying what is wrong with it."""
    summary = _summary(row)
    if summary.problem:
        zh, _, en = summary.problem.partition(" / ")
        raise damaged(zh, en)
    raw = row["result_json"]
    try:
        result = json.loads(raw)
    except (TypeError, ValueError, RecursionError):
        raise damaged("结果不是有效的 JSON", "the stored result is not valid JSON") from None
    if not isinstance(result, dict) or not isinstance(result.get("status"), str) or not isinstance(result.get("selected"), list):
        raise damaged("结果缺少 status 或 selected", "the stored result lacks 'status' or the 'selected' list")
    if not all(isinstance(r, dict) and "project_id" in r for r in result["selected"]):
        raise damaged("结果的 selected 列表中有不完整的项目", "the stored result's 'selected' list has incomplete entries")
    scenario_toml = row["scenario_toml"]
    try:
        tomllib.loads(scenario_toml if isinstance(scenario_toml, str) else "\0")
    except (tomllib.TOMLDecodeError, RecursionError):
        raise damaged("情景不是有效的 TOML", "the stored scenario is not valid TOML") from None
    return SavedRun(summary, scenario_toml, result)


def _json_default(value: Any) -> Any:
    # numpy scalars and arrays (the optimiser's scores) become plain numbers and lists.
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(type(value).__name__)


def _finite_or_none(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


class RunStore:
    """Saved runs in one SQLite file. Cheap to make; each call opens and closes its own connection."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path).expanduser() if path is not None else default_db_path()
        self._ready = False  # the schema made current by this object (a write connection)
        self._checked_schema = False  # a read found no migration pending

    # --- connections -----------------------------------------------------------------------

    def _fail(self, zh: str, en: str) -> InputError:
        return InputError(f"{zh}（数据库 {self.path}）", f"{en} (database {self.path})")

    @contextmanager
    def _connect(self, write: bool) -> Iterator[sqlite3.Connection | None]:
        """A connection with the schema current, or None when reading a file that does not exist."""
        if self.path.is_dir():
            raise self._fail("路径是文件夹，不是数据库文件", "the path is a folder, not a database file")
        if not self.path.exists():
            if not write:
                yield None
                return
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise self._fail(f"无法创建文件夹：{exc.strerror}", f"cannot create its folder: {exc.strerror}") from None
        if not write and not self._ready and not self._checked_schema:
            if self._needs_migration():
                with self._connect(write=True):  # an older schema is brought up to date once, then read
                    pass
            self._checked_schema = True
        try:
            # isolation_level=None: we issue BEGIN IMMEDIATE / COMMIT ourselves. A reader opens the
            # file read-only: it never takes a write lock, so it never waits on a writer (WAL).
            if write:
                conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            else:
                conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S,
                                       isolation_level=None)
        except sqlite3.Error as exc:
            raise self._fail(f"无法打开数据库：{exc}", f"cannot open the database: {exc}") from None
        try:
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            if write and not self._ready:
                self._prepare(conn)
                self._ready = True
            elif not write:
                self._check_readable(conn)
            yield conn
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise self._fail("数据库被其他进程长时间占用，请稍后重试",
                                 "the database stayed locked by another process; try again") from None
            raise self._fail(f"无法读写数据库：{exc}", f"cannot read or write the database: {exc}") from None
        except sqlite3.DatabaseError as exc:
            raise self._fail(f"不是可用的 SQLite 数据库（{exc}）",
                             f"not a usable SQLite database ({exc})") from None
        finally:
            conn.close()

    def _check_readable(self, conn: sqlite3.Connection) -> None:
        """What :meth:`_prepare` checks, without writing: the file is ours and its schema known."""
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]  # raises on a non-database file
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if app_id not in (0, APPLICATION_ID) or (app_id == 0 and version == 0 and conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]):
            raise self._fail("这是其他程序的 SQLite 数据库，不是 quota-opt 的运行记录",
                             "this is another program's SQLite database, not quota-opt's saved runs")
        if version > schema_version():
            raise self._fail(
                f"数据库由更新版本的 quota-opt 创建（结构版本 {version}，本版本支持 {schema_version()}），请升级",
                f"the database was made by a newer quota-opt (schema {version}, this one knows "
                f"{schema_version()}); upgrade quota-opt",
            )

    def _needs_migration(self) -> bool:
        """True when the file holds runs in an older schema (a read then migrates it first)."""
        try:
            conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
        except sqlite3.Error:
            return False
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            return app_id == APPLICATION_ID and 0 < version < schema_version()
        except sqlite3.Error:
            return False  # reported by the read itself
        finally:
            conn.close()

    @contextmanager
    def _transaction(self, conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @staticmethod
    def _switch_to_wal(conn: sqlite3.Connection) -> None:
        """Turn on WAL (it persists in the file), retrying while other processes hold the file.

        SQLite does not call the busy handler for this change (it needs the file to itself), so
        several processes opening a new database at once would fail here without the retry.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        delay = 0.002
        while True:
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.1)

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """Check the file is ours (or empty), switch to WAL, and run any pending migrations."""
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]  # raises on a non-database file
        if app_id not in (0, APPLICATION_ID):
            raise self._fail("这是其他程序的 SQLite 数据库，不是 quota-opt 的运行记录",
                             "this is another program's SQLite database, not quota-opt's saved runs")
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            self._switch_to_wal(conn)
        with self._transaction(conn):
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > schema_version():
                raise self._fail(
                    f"数据库由更新版本的 quota-opt 创建（结构版本 {version}，本版本支持 {schema_version()}），请升级",
                    f"the database was made by a newer quota-opt (schema {version}, this one knows "
                    f"{schema_version()}); upgrade quota-opt",
                )
            if version == 0:
                tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
                if app_id == 0 and tables:
                    raise self._fail("这是其他程序的 SQLite 数据库，不是 quota-opt 的运行记录",
                                     "this is another program's SQLite database, not quota-opt's saved runs")
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            for step in range(version, schema_version()):
                MIGRATIONS[step](conn)
            if version != schema_version():
                conn.execute(f"PRAGMA user_version = {schema_version()}")

    # --- the API ---------------------------------------------------------------------------

    def save(self, name: str, unit: str, level: str, year: int, input_sha256: str | None,
             scenario_toml: str | None, result: dict) -> int:
        """Save one run in one transaction and return its id.

        ``result`` is the ``recommend`` JSON as a dict (it needs ``status`` and ``selected``);
        ``scenario_toml`` must parse as TOML (None or empty means the package defaults).
        """
        name = (name or "").strip()
        if not name:
            raise InputError("运行名称不能为空", "a run needs a name")
        if name.isdigit():
            raise InputError(f"运行名称“{name}”不能全是数字（会被当作编号）",
                             f"run name '{name}' cannot be only digits (it would read as an id)")
        if input_sha256 is not None and not _SHA256.fullmatch(input_sha256):
            raise InputError("输入文件的 SHA-256 应为 64 位小写十六进制", "the input SHA-256 must be 64 lowercase hex digits")
        scenario_toml = scenario_toml or ""
        try:
            tomllib.loads(scenario_toml)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"情景文件不是有效的 TOML：{exc}", f"the scenario is not valid TOML: {exc}") from None
        if not isinstance(result, dict) or "status" not in result or not isinstance(result.get("selected"), list):
            raise InputError("结果应为包含 status 和 selected 的字典",
                             "the result must be a dict with 'status' and a 'selected' list")
        try:
            result_json = json.dumps(result, ensure_ascii=False, allow_nan=False, default=_json_default)
        except (TypeError, ValueError) as exc:
            raise InputError(f"结果无法保存为 JSON：{exc}", f"the result cannot be stored as JSON: {exc}") from None
        try:
            year = int(year)
        except (TypeError, ValueError):
            raise InputError(f"年度“{year}”不是整数", f"year '{year}' is not a whole number") from None
        from . import __version__

        created = datetime.now(timezone.utc).isoformat(timespec="seconds")
        row = (name, created, str(unit), str(level), year, input_sha256, scenario_toml, result_json, __version__,
               result.get("status"), _finite_or_none(result.get("objective")), len(result["selected"]))
        with self._connect(write=True) as conn, self._transaction(conn):
            cursor = conn.execute(
                "INSERT INTO runs (name, created, unit, level, year, input_sha256, scenario_toml, result_json,"
                " version, status, objective, n_selected) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            return int(cursor.lastrowid)

    def list(self) -> list[RunSummary]:
        """Every saved run, newest first; a damaged one with its ``problem`` (see the module docstring)."""
        with self._connect(write=False) as conn:
            if conn is None or not self._has_runs_table(conn):
                return []
            rows = conn.execute(f"SELECT {_SUMMARY_COLUMNS}, {_RESULT_CHECKS} FROM runs ORDER BY id DESC").fetchall()
        return [_summary(r) for r in rows]

    def get(self, id_or_name: int | str) -> SavedRun:
        """The run with this id, or the newest run with this name; InputError when there is none or
        when its stored row is damaged (the message says how)."""
        with self._connect(write=False) as conn:
            row = None if conn is None or not self._has_runs_table(conn) else self._find(conn, id_or_name, "*")
        if row is None:
            raise self._unknown(id_or_name)
        label = f"{_text(row['name'])} #{row['id']}"
        return _saved_run(row, lambda zh, en: self._fail(f"运行 {label} 的记录已损坏：{zh}",
                                                         f"the record of run {label} is damaged: {en}"))

    def delete(self, id_or_name: int | str) -> bool:
        """Delete the run with this id, or the newest with this name; False when there is none."""
        if not self.path.exists():
            return False
        with self._connect(write=True) as conn:
            with self._transaction(conn):
                row = self._find(conn, id_or_name, "id")
                if row is None:
                    return False
                conn.execute("DELETE FROM runs WHERE id = ?", (row["id"],))
                return True

    # --- unit profiles (issue 12) -------------------------------------------------------------

    def save_profile(self, profile: UnitProfile) -> UnitProfile:
        """Keep ``profile`` as its unit's one profile (replacing any before) and return it as stored."""
        key = profile_key(profile.unit)
        stored = replace(profile, unit=key, updated=datetime.now(timezone.utc).isoformat(timespec="seconds"))
        row = (key, stored.name, json.dumps(list(stored.co_signers), ensure_ascii=False), stored.contact,
               stored.phone, stored.email, stored.address, stored.updated)
        with self._connect(write=True) as conn, self._transaction(conn):
            conn.execute("INSERT OR REPLACE INTO unit_profiles (unit, name, co_signers, contact, phone, email,"
                         " address, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)
        return stored

    def get_profile(self, unit: str) -> UnitProfile | None:
        """The saved profile of ``unit`` (any accepted spelling), or None when it has none."""
        key = profile_key(unit)
        with self._connect(write=False) as conn:
            row = None if conn is None else conn.execute(
                "SELECT * FROM unit_profiles WHERE unit = ?", (key,)).fetchone()
        if row is None:
            return None
        return UnitProfile(unit=row["unit"], name=row["name"], co_signers=tuple(json.loads(row["co_signers"])),
                           contact=row["contact"], phone=row["phone"], email=row["email"], address=row["address"],
                           updated=row["updated"])

    def profile(self, unit: str) -> UnitProfile:
        """The saved profile of ``unit``, else its default (official name, contact lines blank)."""
        return self.get_profile(unit) or default_profile(unit)

    # --- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _has_runs_table(conn: sqlite3.Connection) -> bool:
        return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'runs'").fetchone() is not None

    @staticmethod
    def _find(conn: sqlite3.Connection, id_or_name: int | str, columns: str) -> sqlite3.Row | None:
        key = id_or_name.strip() if isinstance(id_or_name, str) else id_or_name
        if isinstance(key, int) or key.isascii() and key.isdigit():
            if len(str(key)) > len(str(MAX_ID)) or not 0 <= int(key) <= MAX_ID:
                return None  # past 64 bits: no row can have this id
            return conn.execute(f"SELECT {columns} FROM runs WHERE id = ?", (int(key),)).fetchone()
        return conn.execute(f"SELECT {columns} FROM runs WHERE name = ? ORDER BY id DESC LIMIT 1", (key,)).fetchone()

    def _unknown(self, id_or_name: int | str) -> InputError:
        return self._fail(f"没有编号或名称为“{id_or_name}”的已保存运行（可用 scenarios list 查看）",
                          f"no saved run with id or name '{id_or_name}' (see: quota-opt scenarios list)")


__all__ = ["RunStore", "RunSummary", "SavedRun", "default_db_path", "schema_version", "MIGRATIONS", "ENV_VAR"]
