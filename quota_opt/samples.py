"""The synthetic sample candidate pools bundled in ``data/samples/`` (made by ``scripts/make_samples.py``).

Every project, enterprise and group in them is invented ("（示例）" in each name). Each pool has a
sidecar ``*_truth.csv`` with the rules the generator made each project fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "data" / "samples"


@dataclass(frozen=True)
class SamplePool:
    name: str  # short key, e.g. "sichuan_excellent_2025"
    file: str  # file name in data/samples/
    unit: str
    level: str
    year: int
    label_zh: str
    label_en: str
    truth: str | None = None  # sidecar truth file name
    encoding: str = "utf-8-sig"

    @property
    def path(self) -> Path:
        return SAMPLES_DIR / self.file

    @property
    def truth_path(self) -> Path | None:
        return SAMPLES_DIR / self.truth if self.truth else None


SAMPLES: list[SamplePool] = [
    SamplePool("sichuan_excellent_2025", "sichuan_excellent_2025.csv", "四川省", "excellent", 2025,
               "四川省 2025 卓越级（120个示例项目，UTF-8 CSV）", "Sichuan 2025 excellent level (120 synthetic projects, UTF-8 CSV)",
               "sichuan_excellent_2025_truth.csv"),
    SamplePool("sichuan_excellent_2025_gbk", "sichuan_excellent_2025_gbk.csv", "四川省", "excellent", 2025,
               "四川省 2025 卓越级（同上，GBK 编码 CSV）", "Sichuan 2025 excellent level (same pool, GBK CSV)",
               "sichuan_excellent_2025_truth.csv", encoding="gbk"),
    SamplePool("sichuan_excellent_2025_xlsx", "sichuan_excellent_2025.xlsx", "四川省", "excellent", 2025,
               "四川省 2025 卓越级（同上，Excel 工作簿）", "Sichuan 2025 excellent level (same pool, .xlsx)",
               "sichuan_excellent_2025_truth.csv", encoding=""),
    SamplePool("shandong_leading_2025", "shandong_leading_2025.csv", "山东省", "leading", 2025,
               "山东省 2025 领航级（12个示例项目）", "Shandong 2025 leading level (12 synthetic projects)",
               "shandong_leading_2025_truth.csv"),
    SamplePool("central_enterprise_excellent_2025", "central_enterprise_excellent_2025.csv", "中央企业", "excellent", 2025,
               "中央企业 2025 卓越级（15个示例项目）", "A central enterprise, 2025 excellent level (15 synthetic projects)",
               "central_enterprise_excellent_2025_truth.csv"),
]

SAMPLES_BY_NAME: dict[str, SamplePool] = {s.name: s for s in SAMPLES}


def sample(name: str) -> SamplePool:
    """The bundled pool called ``name`` (its key or its file name)."""
    for pool in SAMPLES:
        if name in (pool.name, pool.file):
            return pool
    names = ", ".join(s.name for s in SAMPLES)
    raise InputError(f"没有名为“{name}”的示例数据；可选：{names}", f"no sample pool named '{name}'; choose one of: {names}")


def sample_path(name: str) -> Path:
    """The path of the bundled pool called ``name`` (its key or its file name)."""
    return sample(name).path


__all__ = ["SAMPLES", "SAMPLES_BY_NAME", "SAMPLES_DIR", "SamplePool", "sample", "sample_path"]
