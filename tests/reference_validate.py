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
    ROW_NUMBER_HEADERS,
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
    def classify_unknown(self) -> None:
        """Unknown columns: numeric ones are kept (scoring criteria), others ignored; both warned."""
        self.extra: dict[str, str] = {}  # extra name -> frame column
        reserved = {c.name for c in CANDIDATE_COLUMNS} | {ROW}
        headers = dict(zip(self.raw.frame.columns, self.raw.headers or self.raw.frame.columns))
        for frame_col in self.unknown:
            if alias_key(headers[frame_col]) in ROW_NUMBER_HEADERS:
                continue  # a 序号 column numbers the rows: neither a criterion nor an unknown column
            values = [v for v in self.raw.frame[frame_col].tolist() if alias_key(v) not in EMPTY_PLACEHOLDERS]
            parsed = 0
            for v in values:
                try:
                    parse_percent(v)
                    parsed += 1
                except ValueError:
                    pass
            name = normalise_text(frame_col)
            numeric = values and parsed * 2 > len(values) and name not in reserved and name not in self.extra
            if numeric:
                self.extra[name] = frame_col
                self.report(
                    self.raw.header_row, frame_col, "", WARNING, ProblemCode.EXTRA_NUMERIC_COLUMN,
                    "不在模板中；是数值列，已保留，可作为评分指标",
                    "not in the template; numeric, so kept and usable as a scoring criterion",
                )
            else:
                self.report(
                    self.raw.header_row, frame_col, "", WARNING, ProblemCode.UNKNOWN_COLUMN,
                    "不在模板中，已忽略", "not in the template; ignored",
                )

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
        if self.missing_required:
            names = "、".join(c.zh for c in self.missing_required)
            names_en = ", ".join(c.name for c in self.missing_required)
            for row in raw.row_numbers:
                self.row_errors.setdefault(row, []).insert(
                    0, f"{raw.source} 第{row}行：文件缺少必填列 {names}，本行无法通过校验 / "
                    f"{raw.source} row {row}: the file lacks the required column(s) {names_en}, so this row cannot pass",
                )
        valid_records = []
        invalid_rows = []
        for row, record, pid in zip(raw.row_numbers, records, ids):
            if row in self.row_errors:
                invalid_rows.append({"row": row, "project_id": pid or "", "problems": self.row_errors[row]})
            else:
                valid_records.append(self.complete(record, row))
        extra = list(self.extra)
        problems = pd.DataFrame(self.problems, columns=PROBLEM_COLUMNS)
        if len(problems):
            problems = problems.sort_values("row", kind="stable").reset_index(drop=True)
        problems["row"] = problems["row"].astype("int64")
        invalid = pd.DataFrame(invalid_rows, columns=INVALID_COLUMNS)
        invalid["row"] = invalid["row"].astype("int64")
        invalid["project_id"] = invalid["project_id"].astype("str")
        return ValidationResult(
            candidates=_typed_frame(valid_records, extra),
            invalid=invalid,
            problems=problems,
            rows=len(raw.row_numbers),
            skipped_empty=raw.skipped_empty,
            extra_numeric=extra,
            valid=not (problems["severity"] == ERROR).any(),
            source=raw.source,
            sha256=raw.sha256,
            sheet=raw.sheet,
            header_row=raw.header_row,
            column_map={name: frame_col for name, frame_col in self.col_of.items()},
            notes=raw.notes,
        )

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
