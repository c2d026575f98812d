from __future__ import annotations

import csv
from pathlib import Path

import pytest

from quota_opt.units import PROVINCE_NAMES

REPO = Path(__file__).resolve().parent.parent


def write_values(folder: Path, values: dict[str, float | None], bounds: dict | None = None,
                 name: str = "industrial_value_2024.csv", figure: str = "industrial_value") -> Path:
    """Write a reference file with ``values`` (province -> figure or None) and optional rank bounds."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    bounds = bounds or {}
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        header = ["province", figure] + (["rank_min", "rank_max"] if figure == "industrial_value" else []) + ["source", "status"]
        writer.writerow(header)
        for province, value in values.items():
            row = [province, "" if value is None else value]
            if figure == "industrial_value":
                lo, hi = bounds.get(province, (None, None))
                row += ["" if lo is None else lo, "" if hi is None else hi]
            row += ["test", "official" if value is not None else "missing"]
            writer.writerow(row)
    return path


@pytest.fixture
def all_known_values():
    """Every province with a distinct figure: province i (in list order) has 1000 - 10*i."""
    return {p: 1000.0 - 10 * i for i, p in enumerate(PROVINCE_NAMES)}


@pytest.fixture
def make_data_dir(tmp_path):
    def make(values, bounds=None, counts=None):
        folder = tmp_path / "data"
        write_values(folder, values, bounds)
        if counts is not None:
            write_values(folder, counts, name="excellent_counts_2024.csv", figure="excellent_count")
        return folder
    return make


@pytest.fixture(autouse=True)
def own_user_data_folder(tmp_path_factory, monkeypatch):
    """Every test gets an empty user data folder (XDG_DATA_HOME), so a real user's rules or data never
    change a result; tests that need user files write them there (issue 10)."""
    home = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.delenv("QUOTA_OPT_RULES_DIR", raising=False)
    return home / "quota-opt"
