"""Reference figures the quota rules read: 2024 industrial value added and 2024 excellent-level counts.

Each figure keeps its ``source`` and ``status`` (official / secondary / derived / missing).
An empty figure is not an error: it stays missing and the quotas that need it say so.
A file that is missing, lacks a column, names an unknown province or holds an unreadable
number is an :class:`InputError`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .columns import normalise_text
from .errors import InputError
from .units import PROVINCE_NAMES, resolve_province

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"

STATUSES = ("official", "secondary", "derived", "missing")
STATUS_ZH = {"official": "官方", "secondary": "二手转载", "derived": "推算", "missing": "缺失", "user": "用户提供"}


@dataclass(frozen=True)
class Dataset:
    name: str
    filename: str
    figure: str  # the figure's column
    unit_zh: str
    unit_en: str
    integer: bool = False
    has_rank_bounds: bool = False


DATASETS: dict[str, Dataset] = {
    "industrial_value_2024": Dataset(
        "industrial_value_2024", "industrial_value_2024.csv", "industrial_value", "亿元", "100 million yuan",
        has_rank_bounds=True,
    ),
    "excellent_counts_2024": Dataset(
        "excellent_counts_2024", "excellent_counts_2024.csv", "excellent_count", "个", "factories", integer=True,
    ),
}


@dataclass(frozen=True)
class Figure:
    province: str
    value: float | None
    rank_min: int | None
    rank_max: int | None
    status: str
    source: str

    @property
    def missing(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class ReferenceTable:
    dataset: Dataset
    path: str
    figures: dict[str, Figure]  # every one of the 31 provinces, missing ones included

    def get(self, province: str) -> Figure:
        return self.figures[province]


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _parse_number(raw: object, where: str, column: str, integer: bool = False) -> float | None:
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return None
    text = normalise_text(raw).replace(",", "").replace(" ", "")
    if text == "":
        return None
    if not _NUMBER.match(text):
        raise InputError(
            f"{where}，列“{column}”的值“{raw}”不是数字",
            f"{where}, column '{column}': '{raw}' is not a number",
        )
    value = float(text)
    if value < 0 or (integer and value != int(value)):
        kind_zh, kind_en = ("非负整数", "a non-negative whole number") if integer else ("非负数", "a non-negative number")
        raise InputError(
            f"{where}，列“{column}”的值“{raw}”应为{kind_zh}",
            f"{where}, column '{column}': '{raw}' should be {kind_en}",
        )
    return value


def load_reference(name: str, data_dir: Path | str | None = None) -> ReferenceTable:
    """Read dataset ``name`` from ``data_dir`` (default: the bundled ``data/``)."""
    dataset = DATASETS[name]
    folder = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
    path = folder / dataset.filename
    if not path.is_file():
        raise InputError(f"找不到数据文件 {path}", f"data file not found: {path}")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError:
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="gb18030")
        except Exception as exc:  # noqa: BLE001 - any unreadable file is bad input
            raise InputError(f"无法读取数据文件 {path}：{exc}", f"cannot read data file {path}: {exc}") from exc
    except Exception as exc:  # noqa: BLE001 - pandas raises several kinds for malformed CSV
        raise InputError(f"无法读取数据文件 {path}：{exc}", f"cannot read data file {path}: {exc}") from exc
    frame.columns = [normalise_text(c).lower().replace(" ", "_") for c in frame.columns]
    for needed in ("province", dataset.figure):
        if needed not in frame.columns:
            raise InputError(
                f"数据文件 {path} 缺少列“{needed}”",
                f"data file {path} lacks the column '{needed}'",
            )
    figures: dict[str, Figure] = {}
    for i, row in enumerate(frame.to_dict("records")):
        where_zh = f"{path} 第{i + 2}行"
        province = resolve_province(row["province"])
        if province is None:
            raise InputError(
                f"{where_zh}：未知省份“{row['province']}”",
                f"{path} row {i + 2}: unknown province '{row['province']}'",
            )
        if province in figures:
            raise InputError(
                f"{where_zh}：省份“{province}”重复",
                f"{path} row {i + 2}: province '{province}' appears twice",
            )
        where = f"{path} 第{i + 2}行 / row {i + 2}"
        value = _parse_number(row[dataset.figure], where, dataset.figure, dataset.integer)
        rank_min = rank_max = None
        if dataset.has_rank_bounds:
            rmin = _parse_number(row.get("rank_min", ""), where, "rank_min", integer=True)
            rmax = _parse_number(row.get("rank_max", ""), where, "rank_max", integer=True)
            rank_min = int(rmin) if rmin is not None else None
            rank_max = int(rmax) if rmax is not None else None
        status = normalise_text(row.get("status", "")).lower()
        if value is None:
            status = "missing" if status in ("", "official", "secondary") else status
        elif status in ("", "missing"):
            status = "user"
        source = str(row.get("source", "")).strip() or (f"{path}" if value is not None else "")
        figures[province] = Figure(province, value, rank_min, rank_max, status, source)
    for province in PROVINCE_NAMES:
        figures.setdefault(province, Figure(province, None, None, None, "missing", f"{path} 未列出 / not listed"))
    return ReferenceTable(dataset, str(path), figures)
