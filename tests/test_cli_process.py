"""The CLI's output contracts where the user meets them: the installed `quota-opt` run as a subprocess
(issue 9 §1, §2, §4). Standard output is read exactly as a pipe receives it, file descriptor 1
included, so a solver banner printed from C++ would be seen; files written are read back.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

import quota_opt
from cli_helpers import console_script, run_script
from quota_opt.samples import sample_path
from quota_opt.sensitivity import MAX_SAMPLES
from quota_opt.textsafe import UNSAFE, formula_like

UNIT = ["--unit", "四川", "--level", "excellent", "--year", "2025"]
HAZARDS = ["Evil\x1b]52;c;ZXZpbA==\x07clip", "\x1b[2J\x1b[Hcleared", "\u202eright-to-left", "\x9b31mC1", "del\x7f",
           '=HYPERLINK("http://evil.example","点击")', "+1+2", "@SUM(A1)", "-2+3", "＝全角"]


def one_line_bilingual_error(proc: subprocess.CompletedProcess) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stdout[-500:], proc.stderr)
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：") and "/ Error: " in lines[0], proc.stderr


def no_unsafe(text: str) -> bool:
    return not any(ch in UNSAFE for ch in text.replace("\n", ""))


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    """A folder with the Sichuan sample pool, a hostile copy of it, and a run database with two runs."""
    folder = tmp_path_factory.mktemp("process")
    shutil.copy(sample_path("sichuan_excellent_2025"), folder / "pool.csv")
    with open(folder / "pool.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    name = rows[0].index("项目名称")
    for i, row in enumerate(rows[1:]):
        row[name] = HAZARDS[i % len(HAZARDS)] + row[name]
    with open(folder / "hostile.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    db = folder / "runs.sqlite3"
    for run_name in ("base\x1b[2Jline", "second"):
        proc = run_script("recommend", folder / "hostile.csv", *UNIT, "--save", run_name, "--db", db, "--json", "-")
        assert proc.returncode == 0, proc.stderr
    return folder


# --- every JSON and CSV output parses and holds nothing else ----------------------------------------------


JSON_COMMANDS = {
    "quota all units": ["quota", "--year", "2025", "--level", "excellent", "--format", "json"],
    "quota one unit": ["quota", *UNIT, "--format", "json"],
    "quota override": ["quota", *UNIT, "--quota", "30", "--reason", "省厅来函", "--format", "json"],
    "validate": ["validate", "{hostile}", "--format", "json"],
    "validate eligibility": ["validate", "{hostile}", *UNIT, "--format", "json"],
    "recommend": ["recommend", "{hostile}", *UNIT, "--json", "-"],
    "sensitivity": ["sensitivity", "{hostile}", *UNIT, "--samples", "20", "--json", "-"],
    "whatif": ["whatif", "{hostile}", *UNIT, "--project", "SC-001", "--json", "-"],
    "scenarios list": ["scenarios", "list", "--db", "{db}", "--format", "json"],
    "scenarios show": ["scenarios", "show", "second", "--db", "{db}", "--format", "json"],
    "scenarios compare": ["scenarios", "compare", "1", "second", "--db", "{db}", "--format", "json"],
}


def fill(args: list[str], work: Path) -> list[str]:
    return [a.format(hostile=work / "hostile.csv", pool=work / "pool.csv", db=work / "runs.sqlite3") for a in args]


def nothing_but_the_data_source(stderr: str) -> bool:
    """stderr empty, or only the line saying which reference data file the quotas read (issue 10)."""
    return all(line.startswith("参考数据 / reference data: ") for line in stderr.splitlines())


@pytest.mark.parametrize("command", list(JSON_COMMANDS))
def test_json_on_stdout_parses_and_holds_nothing_else(work, command):
    proc = run_script(*fill(JSON_COMMANDS[command], work))
    assert proc.returncode == 0, proc.stderr
    assert nothing_but_the_data_source(proc.stderr), proc.stderr
    assert "HiGHS" not in proc.stdout
    json.loads(proc.stdout)  # raises on a banner line or anything after the document
    assert proc.stdout.startswith(("{", "[")) and proc.stdout.endswith("}\n") or proc.stdout.endswith("]\n")
    assert no_unsafe(proc.stdout)  # DEL, C1 and bidi characters are \\u escapes inside the JSON strings


def test_the_hostile_names_survive_json_exactly(work):
    doc = json.loads(run_script("recommend", work / "hostile.csv", *UNIT, "--json", "-").stdout)
    names = {r["project_name"] for r in doc["selected"]}
    assert any(n.startswith("Evil\x1b]52;c;") for n in names) or any(n.startswith(tuple(HAZARDS)) for n in names)


def test_quota_csv_on_stdout_parses_and_holds_nothing_else():
    proc = run_script("quota", "--year", "2025", "--level", "excellent", "--format", "csv")
    assert proc.returncode == 0 and nothing_but_the_data_source(proc.stderr), proc.stderr
    rows = list(csv.reader(io.StringIO(proc.stdout)))
    assert rows[0][:3] == ["unit", "unit_type", "year"] and len(rows) >= 32
    assert all(len(r) == len(rows[0]) for r in rows)
    assert not any(formula_like(cell) for row in rows for cell in row)


TABLES = {
    "recommend": (["recommend", "{hostile}", *UNIT], r"rank\s+project_id\s+score"),
    "sensitivity": (["sensitivity", "{hostile}", *UNIT, "--samples", "20"], r"project_id\s+class\s+frequency"),
    "whatif": (["whatif", "{hostile}", *UNIT, "--project", "SC-001"], r"项目 SC-001"),
    "validate": (["validate", "{hostile}", *UNIT], r"row\s+column\s+value"),
    "quota": (["quota", *UNIT], r"unit\s+quota\s+status"),
    "scenarios list": (["scenarios", "list", "--db", "{db}"], r"id\s+name\s+created"),
    "scenarios show": (["scenarios", "show", "1", "--db", "{db}"], r"运行 / run: base"),
    "scenarios compare": (["scenarios", "compare", "1", "2", "--db", "{db}"], r"."),
}


@pytest.mark.parametrize("command", list(TABLES))
def test_table_output_is_the_table_alone_with_control_characters_escaped(work, command):
    args, first = TABLES[command]
    proc = run_script(*fill(args, work))
    assert proc.returncode == 0, proc.stderr
    assert nothing_but_the_data_source(proc.stderr), proc.stderr
    assert "HiGHS" not in proc.stdout and "Copyright" not in proc.stdout
    assert re.match(first, proc.stdout), proc.stdout[:300]  # the first line is the output's own
    assert no_unsafe(proc.stdout), [line for line in proc.stdout.splitlines() if not no_unsafe(line)][:3]
    if command in ("recommend", "scenarios show"):
        assert "\\x1b" in proc.stdout  # the escape sequence is shown, not obeyed


def test_no_highs_is_made_outside_the_banner_guard():
    """Every HiGHS instance is made in quota_opt.quiet (directly) or solved inside stdout_fd_silenced (PuLP)."""
    package = Path(quota_opt.__file__).parent
    for path in package.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name != "quiet.py":
            assert not re.search(r"\bHighs\(\)", text), path
        for match in re.finditer(r"pulp\.HiGHS\(", text):
            tail = text[match.end():match.end() + 400]
            assert "with stdout_fd_silenced():" in tail, path


# --- output files: refused before any work, exit 2, never a traceback -------------------------------------


def output_cases(work: Path) -> dict[str, tuple[list[str], Path | None]]:
    (work / "exists.xlsx").write_bytes(b"old")
    (work / "exists.json").write_bytes(b"old")
    if not (work / "link.xlsx").is_symlink():
        (work / "link.xlsx").symlink_to(work / "victim.xlsx")
    (work / "victim.xlsx").write_bytes(b"victim")
    (work / "folder.xlsx").mkdir(exist_ok=True)
    return {
        "--out a folder": (["--out", str(work / "folder.xlsx")], None),
        "--out in a missing folder": (["--out", str(work / "missing" / "r.xlsx")], None),
        "--out an existing file": (["--out", str(work / "exists.xlsx")], work / "exists.xlsx"),
        "--out through a symlink": (["--out", str(work / "link.xlsx"), "--force"], work / "victim.xlsx"),
        "--out over the input": (["--out", str(work / "pool.csv"), "--force"], work / "pool.csv"),
        "--out over the input by another path": (["--out", f"{work}/./missing/../pool.csv", "--force"], work / "pool.csv"),
        "--out a wrong suffix": (["--out", str(work / "r.pdf")], None),
        "--json a folder": (["--json", str(work)], None),
        "--json in a missing folder": (["--json", str(work / "missing" / "r.json")], None),
        "--json an existing file": (["--json", str(work / "exists.json")], work / "exists.json"),
        "--json over the input": (["--json", str(work / "pool.csv"), "--force"], work / "pool.csv"),
        "--json and --out one file": (["--json", str(work / "same.xlsx"), "--out", str(work / "same.xlsx")], None),
        "--json the full device": (["--json", "/dev/full", "--force"], None),
        "--json over the run database": (["--save", "x", "--db", str(work / "runs.sqlite3"), "--json",
                                          str(work / "runs.sqlite3"), "--force"], work / "runs.sqlite3"),
    }


OUTPUT_CASES = ["--out a folder", "--out in a missing folder", "--out an existing file", "--out through a symlink",
                "--out over the input", "--out over the input by another path", "--out a wrong suffix",
                "--json a folder", "--json in a missing folder", "--json an existing file", "--json over the input",
                "--json and --out one file", "--json the full device", "--json over the run database"]


@pytest.mark.parametrize("case", OUTPUT_CASES)
def test_an_output_path_that_cannot_be_written_is_exit_2_before_any_work(work, case):
    args, kept = output_cases(work)[case]
    before = kept.read_bytes() if kept else None
    proc = run_script("recommend", work / "pool.csv", *UNIT, *args)
    one_line_bilingual_error(proc)
    assert proc.stdout == ""  # refused before the recommendation is made and printed
    if kept:
        assert kept.read_bytes() == before
    assert not list(work.glob("*.part")) and not list(work.glob(".*.part"))


@pytest.mark.parametrize("command", [["sensitivity", "--samples", "5"], ["whatif", "--project", "SC-001"]])
def test_json_path_of_sensitivity_and_whatif_is_checked_too(work, command):
    existing = work / "exists-too.json"
    existing.write_bytes(b"old")
    proc = run_script(command[0], work / "pool.csv", *UNIT, *command[1:], "--json", existing)
    one_line_bilingual_error(proc)
    assert existing.read_bytes() == b"old"
    proc = run_script(command[0], work / "pool.csv", *UNIT, *command[1:], "--json", existing, "--force")
    assert proc.returncode == 0 and json.loads(existing.read_text(encoding="utf-8"))


def _limit_file_size(limit: int):
    def apply() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
@pytest.mark.parametrize("option, name, says", [
    ("--out", "full.xlsx", "the disk may be full"),  # openpyxl's own temporary files fail first
    ("--out", "full.csv", "File too large"),
    ("--json", "full.json", "File too large"),
])
def test_a_full_disk_is_exit_2_and_leaves_the_old_file_intact(work, option, name, says):
    """The file-size limit makes every write past 4 KB fail with EFBIG (Python ignores SIGXFSZ), as a full
    disk fails a write with ENOSPC: the file is written after the work, so the failure comes mid-write."""
    target = work / name
    target.write_bytes(b"old complete file")
    proc = subprocess.run([console_script(), "recommend", str(work / "pool.csv"), *UNIT, option, str(target), "--force"],
                          capture_output=True, text=True, encoding="utf-8", preexec_fn=_limit_file_size(4096),
                          timeout=300)
    one_line_bilingual_error(proc)
    assert says in proc.stderr and (says != "File too large" or str(target) in proc.stderr)
    assert target.read_bytes() == b"old complete file"
    assert not [p for p in work.iterdir() if p.name.endswith(".part")]


def test_force_replaces_an_existing_workbook_with_a_complete_one(work):
    target = work / "replaced.xlsx"
    target.write_bytes(b"old")
    proc = run_script("recommend", work / "pool.csv", *UNIT, "--out", target, "--force")
    assert proc.returncode == 0, proc.stderr
    assert openpyxl.load_workbook(target).sheetnames[0] == "推荐汇总表"


def test_template_is_written_through_the_same_rules(work):
    target = work / "模板.xlsx"
    assert run_script("template", target).returncode == 0
    one_line_bilingual_error(run_script("template", target))
    assert run_script("template", target, "--force").returncode == 0
    (work / "tlink.xlsx").symlink_to(work / "tvictim.xlsx")
    one_line_bilingual_error(run_script("template", work / "tlink.xlsx", "--force"))
    assert not (work / "tvictim.xlsx").exists()


# --- a file with no valid row ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wrong_sheet(work) -> Path:
    """A workbook whose first sheet is a contact list, not the candidate table (the second sheet)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "联系人"
    ws.append(["序号", "姓名", "电话"])
    ws.append(["1", "张三", "028-12345678"])
    ws.append(["2", "李四", "028-87654321"])
    data = wb.create_sheet("候选项目")
    with open(work / "pool.csv", encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh):
            data.append(row)
    wb.save(work / "two-sheets.xlsx")
    return work / "two-sheets.xlsx"


@pytest.fixture(scope="module")
def no_id_column(work) -> Path:
    with open(work / "pool.csv", encoding="utf-8-sig", newline="") as fh:
        rows = [row[1:] for row in csv.reader(fh)]  # 项目编号 removed
    with open(work / "no-id.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return work / "no-id.csv"


@pytest.mark.parametrize("command", [["recommend"], ["sensitivity", "--samples", "5"], ["whatif", "--project", "SC-001"]])
@pytest.mark.parametrize("pool", ["wrong_sheet", "no_id_column"])
def test_a_file_with_no_valid_row_is_exit_2_not_an_empty_optimum(request, command, pool):
    path = request.getfixturevalue(pool)
    proc = run_script(command[0], path, *UNIT, *command[1:], "--json", "-")
    one_line_bilingual_error(proc)
    said = ("没有一行有效数据" in proc.stderr and "no valid row" in proc.stderr) or (
        "个必填列" in proc.stderr and "required column" in proc.stderr)  # a missing column is said as such, before any row
    assert proc.stdout == "" and said, proc.stderr


def test_thirteen_missing_columns_are_one_readable_line_with_their_count(work):
    """Each missing column once, by its Chinese header and English name, joined readably, with the count;
    still one line on stderr."""
    from quota_opt.columns import CANDIDATE_COLUMNS

    with open(work / "pool.csv", encoding="utf-8-sig", newline="") as fh:
        rows = [row[:2] for row in csv.reader(fh)]  # 项目编号 and 项目名称 only
    with open(work / "two-columns.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    proc = run_script("recommend", work / "two-columns.csv", *UNIT)
    one_line_bilingual_error(proc)
    missing = [c for c in CANDIDATE_COLUMNS if c.required and c.name not in ("project_id", "project_name")]
    assert "缺少 13 个必填列" in proc.stderr and "lacks 13 required columns" in proc.stderr
    assert "、".join(f"{c.zh}（{c.name}）" for c in missing) in proc.stderr
    assert ", ".join(f"{c.zh} ({c.name})" for c in missing) in proc.stderr
    assert proc.stderr.count("各行均无法通过校验") == 1 and proc.stderr.count("第1行") == 0


def test_the_right_sheet_of_the_same_workbook_is_recommended(wrong_sheet):
    proc = run_script("recommend", wrong_sheet, *UNIT, "--sheet", "候选项目", "--json", "-")
    assert proc.returncode == 0 and len(json.loads(proc.stdout)["selected"]) == 40


# --- §2: sensitivity --samples has a hard limit, checked before any work ---------------------------------


def test_sensitivity_samples_past_the_limit_is_exit_2_before_reading_the_file(tmp_path):
    proc = run_script("sensitivity", tmp_path / "does-not-exist.csv", *UNIT, "--samples", str(MAX_SAMPLES + 1))
    one_line_bilingual_error(proc)
    assert "--samples" in proc.stderr and f"{MAX_SAMPLES}" in proc.stderr and "does-not-exist" not in proc.stderr


# --- CSV and workbook exports: no formula, no visible apostrophe, numbers stay numbers --------------------


def test_every_cell_of_the_csv_export_is_inert(work):
    target = work / "hostile-summary.csv"
    proc = run_script("recommend", work / "hostile.csv", *UNIT, "--out", target, "--force")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert not any(formula_like(cell) for row in rows for cell in row)
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)
    assert all(float(row[-1]) >= 0 for row in rows[1:])  # the score column stays a number


def test_the_workbook_keeps_formula_like_text_exact_as_text_cells(work):
    target = work / "hostile.xlsx"
    proc = run_script("recommend", work / "hostile.csv", *UNIT, "--out", target, "--force")
    assert proc.returncode == 0, proc.stderr
    wb = openpyxl.load_workbook(target)
    texts = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                if isinstance(cell.value, str):
                    texts[cell.value] = cell
    hyperlinks = [t for t in texts if t.startswith('=HYPERLINK("http://evil.example"')]
    assert hyperlinks and all(texts[t].data_type == "s" and texts[t].quotePrefix for t in hyperlinks)
    assert not any(t.startswith("'=") for t in texts)
    ws = wb["推荐汇总表"]
    assert all(isinstance(ws.cell(r, 7).value, float) for r in range(4, 44))


# --- §4: run information without a path of this machine, times in China Standard Time --------------------


def machine_paths(work: Path) -> list[str]:
    return [str(work), str(Path(quota_opt.__file__).resolve().parents[1]), str(Path.home()), "/tmp/", "site-packages"]


def test_exports_hold_file_names_and_sha256_never_a_path_of_this_machine(work):
    xlsx, js = work / "info.xlsx", work / "info.json"
    proc = run_script("recommend", work / "pool.csv", *UNIT, "--quota", "30", "--reason", "省厅来函",
                      "--out", xlsx, "--json", js, "--force")
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(xlsx) as zf:
        parts = {n: zf.read(n).decode("utf-8", "replace") for n in zf.namelist()}
    doc = js.read_text(encoding="utf-8")
    for text in [*parts.values(), doc]:
        for path in machine_paths(work):
            assert path not in text
    data = json.loads(doc)
    assert data["input_name"] == "pool.csv" and len(data["input_sha256"]) == 64
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", data["created_at"])
    info = {r[0].value: r[1].value for r in openpyxl.load_workbook(xlsx)["运行信息"].iter_rows(min_row=2)}
    assert info["输入文件 / input file"] == "pool.csv" and info["输入文件 SHA-256 / input SHA-256"] == data["input_sha256"]
    assert info["生成时间（北京时间）/ created (China Standard Time)"].endswith("+08:00")
    assert info["名额调整理由 / reason for the override"] == "省厅来函"
    assert data["quota_basis"]["reference_file"].startswith("industrial_value_2024.csv")  # its name (and origin), no folder


def test_quota_json_names_reference_files_without_their_folder():
    proc = run_script("quota", "--year", "2025", "--level", "excellent", "--format", "json")
    assert proc.returncode == 0
    for row in json.loads(proc.stdout):
        assert not (row.get("reference_file") or "").startswith("/")
        assert str(Path(quota_opt.__file__).resolve().parents[1]) not in json.dumps(row, ensure_ascii=False)


def test_quota_override_without_a_reason_is_exit_2():
    one_line_bilingual_error(run_script("quota", *UNIT, "--quota", "30"))


def test_a_full_standard_output_is_exit_2_without_an_interpreter_message(work):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    with open("/dev/full", "w") as full:
        proc = subprocess.run([console_script(), "quota", "--year", "2025", "--level", "excellent", "--format", "json"],
                              stdout=full, stderr=subprocess.PIPE, text=True, encoding="utf-8", timeout=120)
    assert proc.returncode == 2 and "Exception ignored" not in proc.stderr and "/ Error: " in proc.stderr
