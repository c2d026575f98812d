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
gives an empty list.

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
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

from .errors import InputError
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


# MIGRATIONS[i] upgrades a database at schema version i to version i + 1. Append, never edit.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_migrate_0_to_1]


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


def _summary(row: sqlite3.Row) -> RunSummary:
    return RunSummary(
        id=row["id"], name=row["name"], created=row["created"], unit=row["unit"], level=row["level"],
        year=row["year"], status=row["status"], objective=row["objective"], n_selected=row["n_selected"],
        input_sha256=row["input_sha256"], version=row["version"],
    )


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
        self._ready = False

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
        try:
            # isolation_level=None: we issue BEGIN IMMEDIATE / COMMIT ourselves.
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise self._fail(f"无法打开数据库：{exc}", f"cannot open the database: {exc}") from None
        try:
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            if not self._ready:
                self._prepare(conn)
                self._ready = True
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
        """Every saved run, newest first."""
        with self._connect(write=False) as conn:
            if conn is None:
                return []
            rows = conn.execute(f"SELECT {_SUMMARY_COLUMNS} FROM runs ORDER BY id DESC").fetchall()
        return [_summary(r) for r in rows]

    def get(self, id_or_name: int | str) -> SavedRun:
        """The run with this id, or the newest run with this name; InputError when there is none."""
        with self._connect(write=False) as conn:
            row = None if conn is None else self._find(conn, id_or_name, "*")
        if row is None:
            raise self._unknown(id_or_name)
        return SavedRun(_summary(row), row["scenario_toml"], json.loads(row["result_json"]))

    def delete(self, id_or_name: int | str) -> bool:
        """Delete the run with this id, or the newest with this name; False when there is none."""
        with self._connect(write=False) as conn:
            if conn is None:
                return False
            with self._transaction(conn):
                row = self._find(conn, id_or_name, "id")
                if row is None:
                    return False
                conn.execute("DELETE FROM runs WHERE id = ?", (row["id"],))
                return True

    # --- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _find(conn: sqlite3.Connection, id_or_name: int | str, columns: str) -> sqlite3.Row | None:
        key = id_or_name.strip() if isinstance(id_or_name, str) else id_or_name
        if isinstance(key, int) or key.isdigit():
            return conn.execute(f"SELECT {columns} FROM runs WHERE id = ?", (int(key),)).fetchone()
        return conn.execute(f"SELECT {columns} FROM runs WHERE name = ? ORDER BY id DESC LIMIT 1", (key,)).fetchone()

    def _unknown(self, id_or_name: int | str) -> InputError:
        return self._fail(f"没有编号或名称为“{id_or_name}”的已保存运行（可用 scenarios list 查看）",
                          f"no saved run with id or name '{id_or_name}' (see: quota-opt scenarios list)")


__all__ = ["RunStore", "RunSummary", "SavedRun", "default_db_path", "schema_version", "MIGRATIONS", "ENV_VAR"]
