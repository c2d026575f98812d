"""Reference figures the quota rules read: 2024 industrial value added and 2024 excellent-level counts.

Each figure keeps its ``source`` and ``status`` (official / secondary / derived / missing).
An empty figure is not an error: it stays missing and the quotas that need it say so.
A file that is missing, lacks a column, names an unknown province or holds an unreadable
number is an :class:`InputError`.

A dataset is named ``<family>_<year>`` (``industrial_value_2024``, ``excellent_counts_2025``): a rule
of a new notice year names the basis year's dataset and no code changes. Its file ``<dataset>.csv``
is looked for in ``data_dir`` (the CLI's ``--data-dir``), then in ``data/`` of the user data folder
(:func:`quota_opt.userdata.user_reference_dir`), then in the shipped ``data/``; the table says which
(``origin``). A figure may carry the source's own word for its standing (``source_status_zh`` /
``source_status_en``, e.g. 初步核算数 / preliminary), which the quota's basis quotes.

Users with newer or corrected statistics can supply them three ways: a data folder
(:func:`load_reference` with ``data_dir``, or the user data folder), a corrected file's bytes (:func:`read_reference_bytes`,
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
from .userdata import user_reference_dir

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


# Dataset families: what a rule's ``dataset`` may name, as ``<family>_<year>``.
FAMILIES: dict[str, Dataset] = {
    "industrial_value": Dataset("industrial_value", "", "industrial_value", "亿元", "100 million yuan",
                                has_rank_bounds=True),
    "excellent_counts": Dataset("excellent_counts", "", "excellent_count", "个", "factories", integer=True),
}
_DATASET_NAME = re.compile(r"^(?P<family>[a-z_]+)_(?P<year>\d{4})$")


def dataset_for(name: str) -> Dataset:
    """The dataset ``name`` (``<family>_<year>``); an unknown family is an :class:`InputError`."""
    m = _DATASET_NAME.match(str(name))
    family = FAMILIES.get(m["family"]) if m else None
    if family is None:
        raise InputError(
            f"未知的参考数据集“{name}”；应为 {'、'.join(f + '_年份' for f in FAMILIES)}（如 industrial_value_2025）",
            f"unknown reference dataset '{name}'; expected {', '.join(f + '_YEAR' for f in FAMILIES)} "
            "(e.g. industrial_value_2025)")
    return replace(family, name=name, filename=f"{name}.csv")


DATASETS: dict[str, Dataset] = {n: dataset_for(n) for n in ("industrial_value_2024", "excellent_counts_2024")}

# Where a table was read from (ReferenceTable.origin), in the user's words.
ORIGINS = {
    "data_dir": ("--data-dir 指定的文件夹", "the --data-dir folder"),
    "user": ("用户数据文件夹", "the user data folder"),
    "shipped": ("随软件提供的数据", "the shipped data"),
    "upload": ("上传的文件", "an uploaded file"),
    "none": ("未找到文件", "no file found"),
}


@dataclass(frozen=True)
class Figure:
    province: str
    value: float | None
    rank_min: int | None
    rank_max: int | None
    status: str
    source: str
    source_status_zh: str = ""  # the source's own word for the figure's standing, e.g. 初步核算数
    source_status_en: str = ""  # e.g. preliminary
    # A short citation of the source in each language, for the quota's basis ("国家统计局《中国统计年鉴2025》
    # 表3-9…"); ``source`` keeps the whole provenance note. Empty: the basis quotes ``source``.
    citation_zh: str = ""
    citation_en: str = ""

    @property
    def missing(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class ReferenceTable:
    dataset: Dataset
    path: str
    figures: dict[str, Figure]  # every one of the 31 provinces, missing ones included
    origin: str = "upload"  # a key of ORIGINS: where the file was found

    @property
    def label(self) -> str:
        """The file's name and where it was found, without the folder (safe to export)."""
        zh, en = ORIGINS.get(self.origin, (self.origin, self.origin))
        return f"{Path(self.path).name}（{zh} / {en}）"

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


def find_reference(name: str, data_dir: Path | str | None = None) -> tuple[Path, str] | None:
    """Where dataset ``name``'s file is, first match wins: ``data_dir``, the user data folder's
    ``data/``, the shipped ``data/``; with its origin (a key of :data:`ORIGINS`), or None."""
    dataset = dataset_for(name)
    places = [(Path(data_dir), "data_dir")] if data_dir is not None else []
    places += [(user_reference_dir(), "user"), (DEFAULT_DATA_DIR, "shipped")]
    for folder, origin in places:
        path = folder / dataset.filename
        if path.is_file():
            return path, origin
    return None


def load_reference(name: str, data_dir: Path | str | None = None, *, missing_ok: bool = False) -> ReferenceTable:
    """Read dataset ``name`` from the first folder that has it (see :func:`find_reference`).

    A ``data_dir`` that is not a folder is an :class:`InputError`, as is a dataset found nowhere,
    unless ``missing_ok``: then every figure is missing (origin ``none``), so the quotas that need the
    dataset stay undetermined and say which file is missing (a new year's figures may come later).
    """
    dataset = dataset_for(name)
    if data_dir is not None and not Path(data_dir).is_dir():
        raise InputError(f"找不到数据文件夹 {data_dir}", f"data folder not found: {data_dir}")
    found = find_reference(name, data_dir)
    if found is None and missing_ok:
        note = f"找不到数据文件 {dataset.filename} / data file {dataset.filename} not found"
        figures = {p: Figure(p, None, None, None, "missing", note) for p in PROVINCE_NAMES}
        return ReferenceTable(dataset, dataset.filename, figures, "none")
    if found is None:
        where = "、".join(str(p) for p in ([Path(data_dir)] if data_dir else []) + [user_reference_dir(), DEFAULT_DATA_DIR])
        raise InputError(f"找不到数据文件 {dataset.filename}（已查找：{where}）",
                         f"data file not found: {dataset.filename} (looked in: {where.replace('、', ', ')})")
    path, origin = found
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取数据文件 {path}：{exc.strerror}", f"cannot read data file {path}: {exc.strerror}") from None
    return replace(_parse(dataset, data, str(path)), origin=origin)


def read_reference_bytes(name: str, data: bytes, label: str) -> ReferenceTable:
    """Dataset ``name`` from a file's bytes (an uploaded, corrected copy of the data file).

    Same columns and rules as :func:`load_reference`; ``label`` (the file's name) stands for the
    path in messages and in every figure's source.
    """
    return _parse(dataset_for(name), data, label)


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
        figures[province] = Figure(province, value, rank_min, rank_max, status, source,
                                   normalise_text(row.get("source_status_zh", "")),
                                   normalise_text(row.get("source_status_en", "")),
                                   " ".join(str(row.get("citation_zh", "") or "").split()),  # as written:
                                   " ".join(str(row.get("citation_en", "") or "").split()))  # （…） stays full-width
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
        # the user's source replaces the file's, and with it the file's citations
        out[province] = replace(old, value=value, status="user", source=source, source_status_zh="",
                                source_status_en="", citation_zh="", citation_en="")
    return ReferenceTable(dataset, table.path, out, table.origin)


def reference_csv(table: ReferenceTable) -> bytes:
    """``table`` as a data file (UTF-8 with BOM, so Excel reads the Chinese), every province in order;
    a user's figure is written with an empty status, which reads back as ``user``."""
    buf = io.StringIO()
    frame = pd.DataFrame([{
        "province": f.province, table.dataset.figure: "" if f.value is None else (int(f.value) if table.dataset.integer else f.value),
        "status": "" if f.status == "user" else f.status, "source": f.source,
        "source_status_zh": f.source_status_zh, "source_status_en": f.source_status_en,
    } for f in table.figures.values()])
    frame.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8-sig")


def save_user_reference(name: str, data: bytes, label: str) -> Path:
    """Keep a data file for dataset ``name`` in the user data folder's ``data/`` (after the same checks
    as every data file: :func:`read_reference_bytes`); it is used from then on unless ``--data-dir``
    gives another. Returns the path written."""
    from .safeio import write_output  # noqa: PLC0415 - only this function writes

    read_reference_bytes(name, data, label)  # refuses a bad file with the row, column and value
    folder = user_reference_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return write_output(folder / dataset_for(name).filename, data, force=True)


def figures_table(name: str, figures: Iterable[UserFigure]) -> ReferenceTable:
    """A table of dataset ``name`` made only of the figures a user typed (each with its source; the
    checks of :func:`apply_user_figures`); the other provinces are missing."""
    dataset = dataset_for(name)
    empty = {p: Figure(p, None, None, None, "missing", "") for p in PROVINCE_NAMES}
    return apply_user_figures(ReferenceTable(dataset, dataset.filename, empty, "user"), figures)
