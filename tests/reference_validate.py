"""The per-row validator quota-opt used before validation ran over whole columns, kept as the oracle:
``reference_validate(raw)`` must report exactly what :func:`quota_opt.validate.validate` reports
(tests/test_validate_vectorised.py), and benchmarks/bench_load.py times both in one process.

It shares the header checks and the checks of one cell with the package (``_Validator``) and keeps
its own way of applying them: every cell of every row, one at a time."""

from __future__ import annotations

import numpy as np
import pandas as pd

from quota_opt.columns import (
    CANDIDATE_COLUMNS,
    EMPTY_PLACEHOLDERS,
    Column,
    alias_key,
    normalise_text,
    parse_percent,
)
from quota_opt.load import RawTable
from quota_opt.validate import (
    ERROR,
    INVALID_COLUMNS,
    PROBLEM_COLUMNS,
    ROW,
    WARNING,
    ProblemCode,
    ValidationResult,
    _dtype,
    _typed_frame,
    _Validator,
)


class _PerRow(_Validator):
    @staticmethod
    def numeric_share(texts: pd.Series) -> tuple[int, int]:
        values = [v for v in texts.tolist() if alias_key(v) not in EMPTY_PLACEHOLDERS]
        parsed = 0
        for v in values:
            try:
                parse_percent(v)
                parsed += 1
            except ValueError:
                pass
        return len(values), parsed

    # -- the run
    def run(self) -> ValidationResult:
        raw = self.raw
        self.map_columns()
        self.classify_unknown()
        frame = raw.frame
        columns_in_file = [c for c in CANDIDATE_COLUMNS if c.name in self.col_of]
        order = list(frame.columns)
        columns_in_file.sort(key=lambda c: order.index(self.col_of[c.name]))
        grid = frame.to_numpy(dtype=object).tolist()  # plain lists: cell access per value is the hot loop
        index_of = {name: j for j, name in enumerate(order)}
        seen_ids: dict[str, int] = {}
        records: list[dict] = []
        ids: list[str] = []
        for i, row in enumerate(raw.row_numbers):
            record: dict = {}
            for col in columns_in_file:
                frame_col = self.col_of[col.name]
                text = grid[i][index_of[frame_col]]
                value = self.parse_cell(row, col, frame_col, text)
                if col.kind == "id" and value is not None:
                    if value in seen_ids:
                        self.report(row, frame_col, text, ERROR, ProblemCode.DUPLICATE_ID,
                                    f"项目编号与第{seen_ids[value]}行重复", f"the project id repeats row {seen_ids[value]}")
                    else:
                        seen_ids[value] = row
                record[col.name] = value
            for name, frame_col in self.extra.items():
                record[name] = self.parse_extra(row, frame_col, grid[i][index_of[frame_col]])
            if "project_id" in self.col_of:
                ids.append(record.get("project_id") or normalise_text(grid[i][index_of[self.col_of["project_id"]]]))
            else:
                ids.append("")
            records.append(record)
        self.fraction_warnings(columns_in_file, records)
        self.missing_column_errors()
        valid_records = []
        invalid_rows = []
        for row, record, pid in zip(raw.row_numbers, records, ids):
            if row in self.row_errors:
                invalid_rows.append({"row": row, "project_id": pid or "", "problems": self.row_errors[row]})
            else:
                valid_records.append(self.complete(record, row))
        return self.result(invalid_rows, _typed_frame(valid_records, list(self.extra)))

    def fraction_warnings(self, columns: list[Column], records: list[dict]) -> None:
        for col in columns:
            if col.kind != "percent":
                continue
            frame_col = self.col_of[col.name]
            texts = self.raw.frame[frame_col].tolist()
            values = [r.get(col.name) for r in records if r.get(col.name) is not None]
            if len(values) >= 3 and max(values) <= 1 and max(values) > 0 and not any("%" in normalise_text(t) for t in texts):
                self.report(
                    self.raw.header_row, frame_col, "", WARNING, ProblemCode.PERCENT_AS_FRACTION,
                    f"“{col.zh}”各值均不超过1，是否把百分数写成了小数（如0.35应写35或35%）？",
                    f"every '{col.name}' value is at most 1: were percentages written as fractions "
                    "(0.35 should be 35 or 35%)?",
                )

    @staticmethod
    def complete(record: dict, row: int) -> dict:
        """A valid record with every contract column: optional text '' and optional numbers NaN."""
        out = {}
        for col in CANDIDATE_COLUMNS:
            value = record.get(col.name)
            if value is None:
                value = np.nan if _dtype(col) == "float64" else ""
            out[col.name] = value
        for name, value in record.items():
            if name not in out:
                out[name] = value
        out[ROW] = row
        return out


def reference_validate(raw: RawTable) -> ValidationResult:
    """Every cell of ``raw`` checked one row at a time (the oracle)."""
    return _PerRow(raw).run()
