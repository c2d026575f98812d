"""Reference figures the quota rules read: 2024 industrial value added and 2024 excellent-level counts.

Each figure keeps its ``source`` and ``status`` (official / secondary / derived / missing).
An empty figure is not an error: it stays missing and the quotas that need it say so.
A file that is missing, lacks a column, names an unknown province or holds an unreadable
number is an :class:`InputError`.

Users with newer or corrected statistics can supply them three ways: a data folder
(:func:`load_reference` with ``data_dir``), a corrected file's bytes (:func:`read_reference_bytes`,
for an upload) or single figures, each with its source (:class:`UserFigure`, applied by
:func:`apply_user_figures`). A user's figure has status ``user`` and keeps the source given;
a figure without a source is refused, so nothing enters the quota's basis unexplained.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
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
    dataset = _dataset(name)
    folder = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
    path = folder / dataset.filename
    if not path.is_file():
        raise InputError(f"找不到数据文件 {path}", f"data file not found: {path}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取数据文件 {path}：{exc.strerror}", f"cannot read data file {path}: {exc.strerror}") from None
    return _parse(dataset, data, str(path))


def read_reference_bytes(name: str, data: bytes, label: str) -> ReferenceTable:
    """Dataset ``name`` from a file's bytes (an uploaded, corrected copy of the data file).

    Same columns and rules as :func:`load_reference`; ``label`` (the file's name) stands for the
    path in messages and in every figure's source.
    """
    return _parse(_dataset(name), data, label)


def _dataset(name: str) -> Dataset:
    if name not in DATASETS:
        raise InputError(f"未知的参考数据集“{name}”；可选：{'、'.join(DATASETS)}",
                         f"unknown reference dataset '{name}'; known: {', '.join(DATASETS)}")
    return DATASETS[name]


def _read_frame(data: bytes, path: str) -> pd.DataFrame:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding=encoding)
        except UnicodeDecodeError:
            continue
        except Exception as exc:  # noqa: BLE001 - pandas raises several kinds for malformed CSV
            raise InputError(f"无法读取数据文件 {path}：{exc}", f"cannot read data file {path}: {exc}") from exc
    raise InputError(f"无法读取数据文件 {path}：既不是 UTF-8 也不是 GB18030 编码",
                     f"cannot read data file {path}: neither UTF-8 nor GB18030 text")


def _parse(dataset: Dataset, data: bytes, path: str) -> ReferenceTable:
    frame = _read_frame(data, path)
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
        # a figure without a source is sourced to the file by its name: no folder of this machine in an export
        source = str(row.get("source", "")).strip() or (Path(path).name if value is not None else "")
        figures[province] = Figure(province, value, rank_min, rank_max, status, source)
    for province in PROVINCE_NAMES:
        figures.setdefault(province, Figure(province, None, None, None, "missing",
                                            f"{Path(path).name} 未列出 / not listed"))
    return ReferenceTable(dataset, str(path), figures)


@dataclass(frozen=True)
class UserFigure:
    """A figure a user supplies for one province of a dataset, with where it comes from."""

    dataset: str  # a key of DATASETS
    province: str  # any accepted spelling; stored as the full Chinese name
    value: float
    source: str  # required: the publication, table or document the figure is taken from

    def to_dict(self) -> dict:
        return {"dataset": self.dataset, "province": self.province, "value": self.value, "source": self.source}


def apply_user_figures(table: ReferenceTable, figures: Iterable[UserFigure]) -> ReferenceTable:
    """``table`` with the user's figures of its dataset in place of the file's (status ``user``).

    Stated rank bounds are kept: a figure that contradicts them is warned about by the ranking and
    the quotas it touches become undetermined. Figures of other datasets are ignored. A province
    that is unknown or named twice, a value that is negative, not finite or (for counts) not whole,
    and a figure without a source are :class:`InputError`.
    """
    dataset = table.dataset
    out = dict(table.figures)
    seen: set[str] = set()
    for fig in figures:
        if fig.dataset != dataset.name:
            continue
        province = resolve_province(fig.province)
        if province is None:
            raise InputError(f"用户数据：未知省份“{fig.province}”", f"user figure: unknown province '{fig.province}'")
        if province in seen:
            raise InputError(f"用户数据：{province}的{dataset.figure}填写了两次",
                             f"user figure: {province} is given twice for {dataset.figure}")
        seen.add(province)
        try:
            value = float(fig.value)
        except (TypeError, ValueError):
            raise InputError(f"用户数据：{province}的数值“{fig.value}”不是数字",
                             f"user figure for {province}: '{fig.value}' is not a number") from None
        if not math.isfinite(value) or value < 0 or (dataset.integer and value != int(value)):
            kind_zh, kind_en = ("非负整数", "a non-negative whole number") if dataset.integer else (
                "非负数", "a non-negative number")
            raise InputError(f"用户数据：{province}的数值“{fig.value}”应为{kind_zh}",
                             f"user figure for {province}: '{fig.value}' should be {kind_en}")
        source = normalise_text(fig.source or "")
        if not source:
            raise InputError(f"用户数据：{province}的数值须注明来源（出处、文件或网址）",
                             f"user figure for {province}: give its source (publication, document or address)")
        old = out[province]
        out[province] = replace(old, value=value, status="user", source=source)
    return ReferenceTable(dataset, table.path, out)
