"""Validation reports every problem at once, with the row, the column as written, the value and the severity."""

from __future__ import annotations

import math

import pytest

from candidate_factory import HUAWEI_CODE, csv_bytes, csv_with_headers, make_rows
from quota_opt.columns import CANDIDATE_COLUMNS, STAGE_COLUMNS
from quota_opt.errors import InputError
from quota_opt.load import read_table_bytes
from quota_opt.validate import (
    PROBLEM_COLUMNS,
    PROBLEM_LABELS,
    ProblemCode,
    credit_code_problem,
    uscc_check_character,
    validate,
)

ZH = {c.name: c.zh for c in CANDIDATE_COLUMNS}


def run(rows, **kw):
    return validate(read_table_bytes(csv_bytes(rows, **kw), "pool.csv"))


# (defect id, row index to change (0-based data row), column, new cell text, expected code, severity)
CELL_DEFECTS = [
    ("empty id", 1, "project_id", "", "empty_required", "error"),
    ("duplicate id", 2, "project_id", "T-001", "duplicate_id", "error"),
    ("empty name", 0, "project_name", " ", "empty_required", "error"),
    ("empty enterprise", 0, "enterprise", "", "empty_required", "error"),
    ("credit code too short", 0, "credit_code", HUAWEI_CODE[:17], "bad_credit_code", "error"),
    ("credit code wrong check", 0, "credit_code", HUAWEI_CODE[:17] + "7", "bad_credit_code", "error"),
    ("credit code letter O", 0, "credit_code", "91440300O92203821" + "6", "bad_credit_code", "error"),
    ("unknown province", 1, "province", "火星省", "unknown_province", "error"),
    ("planned city as province", 1, "province", "青岛", "unknown_province", "error"),
    ("central enterprise as province", 1, "province", "中央企业", "unknown_province", "error"),
    ("empty province", 1, "province", "", "empty_required", "error"),
    ("empty city", 2, "city", "", "empty_required", "error"),
    ("empty industry", 2, "industry", "", "empty_required", "error"),
    ("unknown level", 0, "level", "金牌级", "unknown_value", "error"),
    ("empty level", 0, "level", "", "empty_required", "error"),
    ("unknown rating", 0, "current_rating", "超级", "unknown_value", "error"),
    ("maturity not a number", 0, "maturity_level", "高", "not_a_number", "error"),
    ("maturity fractional", 0, "maturity_level", "3.5", "not_an_integer", "error"),
    ("maturity above 5", 0, "maturity_level", "6", "out_of_range", "error"),
    ("maturity zero", 0, "maturity_level", "0级", "out_of_range", "error"),
    ("stage unknown", 1, "stage_rd_design", "也许", "unknown_value", "error"),
    ("stage empty", 1, "stage_operation_management", "", "empty_required", "error"),
    ("ai share not a number", 2, "ai_scenario_share", "abc", "not_a_number", "error"),
    ("ai share above 100", 2, "ai_scenario_share", "120%", "out_of_range", "error"),
    ("ai share negative", 2, "ai_scenario_share", "-5", "out_of_range", "error"),
    ("ai share empty", 2, "ai_scenario_share", "", "empty_required", "error"),
    ("ai share infinite", 2, "ai_scenario_share", "inf", "not_a_number", "error"),
    ("expert score above 100", 0, "expert_score", "101", "out_of_range", "error"),
    ("expert score nan", 0, "expert_score", "nan", "not_a_number", "error"),
    ("efficiency negative", 0, "efficiency_gain", "-1", "out_of_range", "error"),
    ("defect reduction above 100", 0, "defect_reduction", "150%", "out_of_range", "error"),
    ("investment negative", 0, "investment", "-100", "out_of_range", "error"),
    ("investment bad separator", 0, "investment", "1,23", "not_a_number", "error"),
    ("energy two numbers", 0, "energy_reduction", "10-20", "not_a_number", "error"),
]


@pytest.mark.parametrize("defect,index,column,value,code,severity", CELL_DEFECTS, ids=[d[0] for d in CELL_DEFECTS])
def test_each_cell_defect_is_reported_at_its_row_column_and_severity(defect, index, column, value, code, severity):
    rows = make_rows(4)
    rows[index][column] = value
    result = run(rows)
    assert len(result.problems) == 1, result.problems.to_dict("records")
    problem = result.problems.iloc[0]
    assert problem["row"] == index + 2  # header = row 1
    assert problem["column"] == ZH[column]
    assert problem["value"] == value.strip()
    assert problem["severity"] == severity and problem["code"] == code
    assert problem["file"] == "pool.csv"
    assert result.valid is False
    assert result.invalid["row"].tolist() == [index + 2]
    assert len(result.candidates) == 3 and index + 2 not in result.candidates["row"].tolist()


def _add_column(rows, name, values):
    for row, value in zip(rows, values):
        row[name] = value
    return [c.name for c in CANDIDATE_COLUMNS] + [name]


FILE_DEFECTS = [
    # (defect id, build(rows) -> csv bytes, expected row, column, code, severity, all rows stay valid)
    ("missing required column",
     lambda rows: csv_bytes(rows, columns=[c.name for c in CANDIDATE_COLUMNS if c.name != "city"]),
     1, "city", "missing_column", "error", False),
    ("unknown text column",
     lambda rows: csv_bytes(rows, columns=_add_column(rows, "备注", ["好", "", "甲", "乙"])),
     1, "备注", "unknown_column", "warning", True),
    ("extra numeric column",
     lambda rows: csv_bytes(rows, columns=_add_column(rows, "发明专利数", ["3", "1,200", "", "7"])),
     1, "发明专利数", "extra_numeric_column", "warning", True),
    ("column given twice",
     lambda rows: csv_bytes(rows, columns=_add_column(rows, "AI share", ["x"] * 4), headers="en"),
     1, "AI share", "duplicate_column", "error", True),
    ("title row above the header",
     lambda rows: "2025年推荐汇总表\r\n".encode() + csv_bytes(rows),
     1, "", "title_row", "warning", True),
    ("a note below the data",
     lambda rows: csv_bytes(rows) + "填表说明：金额单位为万元\r\n".encode(),
     6, "", "note_row", "warning", True),
    ("percentages written as fractions",
     lambda rows: csv_bytes([{**r, "efficiency_gain": "0.22"} for r in rows]),
     1, ZH["efficiency_gain"], "percent_as_fraction", "warning", True),
]


@pytest.mark.parametrize("defect,build,row,column,code,severity,rows_valid", FILE_DEFECTS,
                         ids=[d[0] for d in FILE_DEFECTS])
def test_each_column_defect_is_reported_at_the_header(defect, build, row, column, code, severity, rows_valid):
    result = validate(read_table_bytes(build(make_rows(4)), "pool.csv"))
    hits = result.problems[result.problems["code"] == code]
    assert len(hits) == 1, result.problems.to_dict("records")
    problem = hits.iloc[0]
    assert (problem["row"], problem["column"], problem["severity"]) == (row, column, severity)
    assert len(result.candidates) == (4 if rows_valid else 0)
    assert result.valid is (severity == "warning")


def test_distinct_defects_cover_at_least_twenty_kinds():
    assert len({d[0] for d in CELL_DEFECTS}) + len(FILE_DEFECTS) >= 20
    assert {code for *_, code, _ in CELL_DEFECTS} | {d[4] for d in FILE_DEFECTS} == {c.value for c in ProblemCode} - {
        "extra_not_a_number"
    }


def test_every_problem_is_reported_at_once():
    rows = make_rows(5)
    rows[0].update(ai_scenario_share="abc", maturity_level="9", level="gold")
    rows[1]["ai_scenario_share"] = "150"  # one "abc" above does not hide this
    rows[3]["ai_scenario_share"] = "xyz"
    rows[4]["project_id"] = "T-001"
    result = run(rows)
    got = [(p["row"], p["column"], p["code"]) for p in result.problems.to_dict("records")]
    assert got == [
        (2, ZH["level"], "unknown_value"),
        (2, ZH["maturity_level"], "out_of_range"),
        (2, ZH["ai_scenario_share"], "not_a_number"),
        (3, ZH["ai_scenario_share"], "out_of_range"),
        (5, ZH["ai_scenario_share"], "not_a_number"),
        (6, ZH["project_id"], "duplicate_id"),
    ]
    assert result.invalid["row"].tolist() == [2, 3, 5, 6]
    assert len(result.invalid.iloc[0]["problems"]) == 3
    assert result.candidates["row"].tolist() == [4]


def test_duplicate_id_is_reported_on_every_row_after_the_first():
    rows = make_rows(4, project_id="SC-001")
    result = run(rows)
    dupes = result.problems[result.problems["code"] == "duplicate_id"]
    assert dupes["row"].tolist() == [3, 4, 5]
    assert "第2行" in dupes.iloc[0]["message_zh"] and "row 2" in dupes.iloc[0]["message_en"]
    assert result.candidates["row"].tolist() == [2]


def test_missing_required_column_invalidates_every_row_but_drops_none():
    rows = make_rows(3)
    rows[1]["ai_scenario_share"] = "abc"
    data = csv_bytes(rows, columns=[c.name for c in CANDIDATE_COLUMNS if c.name not in ("level", "city")])
    result = validate(read_table_bytes(data, "pool.csv"))
    missing = result.problems[result.problems["code"] == "missing_column"]
    assert missing["column"].tolist() == ["city", "level"] and set(missing["row"]) == {1}
    assert result.candidates.empty and list(result.candidates.columns)[:2] == ["project_id", "project_name"]
    assert result.invalid["row"].tolist() == [2, 3, 4]
    assert all("所在城市" in r[0] and "city" in r[0] for r in result.invalid["problems"])
    assert any("abc" in m for m in result.invalid.iloc[1]["problems"])  # the cell error is still reported


def test_no_row_is_dropped_silently():
    rows = make_rows(6)
    rows[2]["maturity_level"] = "x"
    rows[4]["province"] = "Atlantis"
    result = run(rows)
    assert result.rows == 6
    assert sorted(result.candidates["row"].tolist() + result.invalid["row"].tolist()) == list(range(2, 8))


def test_empty_rows_are_skipped_and_counted_not_reported():
    data = csv_bytes(make_rows(2)).decode() .split("\r\n")
    text = "\r\n".join([data[0], data[1], ",,,", "", data[2]]) + "\r\n"
    result = validate(read_table_bytes(text.encode(), "pool.csv"))
    assert result.valid and result.skipped_empty == 2 and result.candidates["row"].tolist() == [2, 5]


def test_messages_name_file_row_column_and_value_in_both_languages():
    rows = make_rows(2)
    rows[1]["ai_scenario_share"] = "120%"
    p = run(rows).problems.iloc[0]
    assert all(s in p["message_zh"] for s in ("pool.csv", "第3行", "人工智能场景占比", "120%", "0~100"))
    assert all(s in p["message_en"] for s in ("pool.csv", "row 3", "人工智能场景占比", "120%", "between 0% and 100%"))
    assert list(run(rows).problems.columns) == PROBLEM_COLUMNS
    assert set(PROBLEM_LABELS) == set(ProblemCode)


def test_candidates_are_typed_with_canonical_names():
    rows = make_rows(3)
    rows[0].update(project_id="007", group="  四川甲集团 ", expert_score="", investment="—", credit_code="")
    c = run(rows).candidates
    assert list(c.columns) == [col.name for col in CANDIDATE_COLUMNS] + ["row"]
    assert c["project_id"].tolist()[0] == "007"
    assert c["group"].tolist() == ["四川甲集团", "", ""]
    assert math.isnan(c["expert_score"][0]) and math.isnan(c["investment"][0]) and c["credit_code"][0] == ""
    assert str(c["maturity_level"].dtype) == "int64" and str(c["row"].dtype) == "int64"
    assert all(str(c[s].dtype) == "bool" for s in STAGE_COLUMNS)
    assert all(str(c[n].dtype) == "float64" for n in ("ai_scenario_share", "expert_score", "investment"))
    assert c["level"].tolist() == ["excellent"] * 3 and c["current_rating"].tolist() == ["advanced"] * 3
    assert c["province"].tolist() == ["四川省"] * 3


@pytest.mark.parametrize(
    "column,cells,expected",
    [
        ("maturity_level", ["三级", "3级", "3", "L3", "Level 4", "４", "5.0"], [3, 3, 3, 3, 4, 4, 5]),
        ("stage_rd_design", ["是", "否", "1", "0", "Y", "n", "true", "FALSE", "√", "×"],
         [True, False, True, False, True, False, True, False, True, False]),
        ("ai_scenario_share", ["35%", "35", "３５％", " 35.5 % ", "0"], [35, 35, 35, 35.5, 0]),
        ("investment", ["35,000", "1,234,567.5", "5000万元", "５０００", "0"], [35000, 1234567.5, 5000, 5000, 0]),
        ("expert_score", ["86分", "86.5", ""], [86, 86.5, math.nan]),
        ("province", ["四川", "Sichuan", "川", "四川省", "兵团", "XPCC", "新疆生产建设兵团", "新疆"],
         ["四川省"] * 4 + ["新疆生产建设兵团"] * 3 + ["新疆维吾尔自治区"]),
        ("level", ["卓越级", "卓越", "excellent", "Excellent", "领航级", "leading"],
         ["excellent"] * 4 + ["leading"] * 2),
        ("current_rating", ["无", "基础级", "先进", "advanced", "卓越级", "None"],
         ["none", "basic", "advanced", "advanced", "excellent", "none"]),
        ("credit_code", [HUAWEI_CODE, HUAWEI_CODE.lower(), f" {HUAWEI_CODE} ", "—"], [HUAWEI_CODE] * 3 + [""]),
    ],
)
def test_every_accepted_spelling_reads_the_same(column, cells, expected):
    rows = make_rows(len(cells))
    for row, cell in zip(rows, cells):
        row[column] = cell
    result = run(rows)
    assert result.valid, result.problems.to_dict("records")
    got = result.candidates[column].tolist()
    for g, e in zip(got, expected):
        assert (isinstance(e, float) and math.isnan(e) and math.isnan(g)) or g == e


def test_english_headers_any_order_spaces_and_marks_are_accepted():
    rows = make_rows(2)
    names = [c.name for c in CANDIDATE_COLUMNS][::-1]
    text = csv_bytes(rows, headers="en", columns=names).decode()
    header, rest = text.split("\r\n", 1)
    header = header.replace("project_id", " Project ID ").replace("ai_scenario_share", "人工智能场景占比（%）")
    header = header.replace("project_name", "*项目名称").replace("investment", "项目总投资(万元)")
    result = validate(read_table_bytes((header + "\r\n" + rest).encode(), "pool.csv"))
    assert result.valid and len(result.candidates) == 2
    assert result.column_map["project_id"] == "Project ID"
    assert result.candidates["project_id"].tolist() == ["T-001", "T-002"]


def test_extra_numeric_column_is_kept_as_float_with_a_warning_for_non_numbers():
    rows = make_rows(4)
    names = _add_column(rows, " 发明专利数 ", ["12", "1,200", "—", "很多"])
    result = run(rows, columns=names)
    assert result.extra_numeric == ["发明专利数"] and result.valid
    values = result.candidates["发明专利数"].tolist()
    assert values[:2] == [12.0, 1200.0] and math.isnan(values[2]) and math.isnan(values[3])
    warned = result.problems[result.problems["code"] == "extra_not_a_number"]
    assert warned["row"].tolist() == [5] and warned["severity"].tolist() == ["warning"]


def test_credit_code_check_character_matches_published_codes():
    # Codes printed on the business licences of 华为技术有限公司 and 深圳市腾讯计算机系统有限公司.
    for code in (HUAWEI_CODE, "91440300708461136T"):
        assert uscc_check_character(code[:17]) == code[17]
        assert credit_code_problem(code) is None
    assert credit_code_problem(HUAWEI_CODE[:17] + "5") == ("校验位应为 6，实为 5", "check character should be 6, is 5")
    assert "I" in credit_code_problem("91440300I922038216")[1]


@pytest.mark.parametrize("second", ["project_id", "项目编号", "Project ID", "*项目编号（必填）"])
def test_a_column_given_twice_under_chinese_and_english_names_is_a_file_error_naming_both(second):
    rows = make_rows(3)
    headers = [(c.name, c.zh) for c in CANDIDATE_COLUMNS] + [("project_id", second)]
    result = validate(read_table_bytes(csv_with_headers(rows, headers), "pool.csv"))
    dupes = result.problems[result.problems["code"] == "duplicate_column"]
    assert len(dupes) == 1 and dupes.iloc[0]["row"] == 1 and dupes.iloc[0]["severity"] == "error"
    message = dupes.iloc[0]["message_zh"]
    assert "项目编号" in message and "A列" in message and "Y列" in message
    assert "column A" in dupes.iloc[0]["message_en"] and "column Y" in dupes.iloc[0]["message_en"]
    assert not result.valid and list(result.file_errors["code"]) == ["duplicate_column"]
    with pytest.raises(InputError, match="项目编号"):
        result.check_file()


def test_the_same_unknown_header_twice_is_a_file_error_too():
    rows = make_rows(3)
    headers = [(c.name, c.zh) for c in CANDIDATE_COLUMNS] + [("x1", "研发投入"), ("x2", "研发投入")]
    for i, row in enumerate(rows):
        row.update(x1=str(i), x2=str(10 * i))
    result = validate(read_table_bytes(csv_with_headers(rows, headers), "pool.csv"))
    dupes = result.problems[result.problems["code"] == "duplicate_column"]
    assert len(dupes) == 1 and "Y列" in dupes.iloc[0]["message_zh"] and "Z列" in dupes.iloc[0]["message_zh"]
    assert result.extra_numeric == ["研发投入"]  # the first is used; the second is not a criterion of its own


REQUIRED = [c for c in CANDIDATE_COLUMNS if c.required]


def test_many_missing_columns_are_a_list_one_item_each_with_header_and_name():
    """A file with two of the fifteen required columns lacks thirteen: one item per column (its Chinese
    header and English name), a heading with the count, and one readable line for the CLI."""
    kept = ("project_id", "project_name")
    result = run(make_rows(3), columns=[*kept, "expert_score"])
    missing = [c for c in REQUIRED if c.name not in kept]
    assert len(missing) == 13
    head, items = result.file_error_lines()
    assert head == ("文件“pool.csv”缺少 13 个必填列，各行均无法通过校验：",
                    "the file 'pool.csv' lacks 13 required columns, so no row can pass validation:")
    assert items == [(f"{c.zh}（{c.name}）", f"{c.zh} ({c.name})") for c in missing]
    zh, en = result.file_error_message()
    assert zh == head[0] + "、".join(f"{c.zh}（{c.name}）" for c in missing)
    assert en == head[1] + " " + ", ".join(f"{c.zh} ({c.name})" for c in missing)
    assert "\n" not in zh + en and zh.count("各行均无法通过校验") == 1  # said once, not once per column
    with pytest.raises(InputError) as info:
        result.check_file()
    assert (info.value.message_zh, info.value.message_en) == (zh, en)


def test_a_missing_column_and_a_column_given_twice_are_both_listed():
    rows = make_rows(2)
    headers = [(c.name, c.zh) for c in CANDIDATE_COLUMNS if c.name != "city"] + [("project_id", "编号")]
    result = validate(read_table_bytes(csv_with_headers(rows, headers), "pool.csv"))
    head, items = result.file_error_lines()
    assert head[0] == "文件“pool.csv”缺少 1 个必填列、有 1 列重复，各行均无法通过校验："
    assert head[1] == "the file 'pool.csv' lacks 1 required column and has 1 column given twice, so no row can pass validation:"
    assert items[0] == ("所在城市（city）", "所在城市 (city)")
    assert items[1][0].startswith("列“编号”：") and items[1][1].startswith("column '编号': ")
    assert "；" in result.file_error_message()[0]


def test_a_valid_file_has_no_file_error():
    result = run(make_rows(3))
    assert result.file_errors.empty
    result.check_file()


def _with_lines(rows, *lines: str) -> bytes:
    return csv_bytes(rows) + "".join(line + "\r\n" for line in lines).encode()


NOTE_LINES = ["", "填表说明：1. 金额单位为万元；2. 百分数填数字", "备注,以上项目均已公示", "注：带*为必填项",
              "合计,,,,,,,,,,,,,,,,,,,,,,,1234567", ",,,,,,,,张三", "填表人：李四,,联系电话：028-12345678"]


def test_rows_after_the_data_that_are_notes_are_set_aside_as_notes_not_errors():
    result = validate(read_table_bytes(_with_lines(make_rows(4), *NOTE_LINES), "pool.csv"))
    assert result.valid and result.rows == 4 and len(result.candidates) == 4 and result.invalid.empty
    notes = result.problems[result.problems["code"] == "note_row"]
    assert notes["row"].tolist() == [7, 8, 9, 10, 11, 12] and set(notes["severity"]) == {"warning"}
    assert [r for r, _ in result.notes] == [7, 8, 9, 10, 11, 12]
    assert result.notes[0][1].startswith("填表说明") and "1234567" in result.notes[3][1]
    assert len(result.problems) == 6  # one line a note, not an error per empty cell
    zh, en = result.summary()
    assert "6行为说明" in zh and "6 rows below the data set aside as notes" in en
    line = result.notes_line()
    assert "第7、8、9、10、11、12行" in line and "rows 7, 8, 9, 10, 11, 12" in line


def test_a_data_row_with_one_filled_cell_in_the_middle_is_still_an_invalid_row():
    rows = make_rows(4)
    rows[1] = {"project_id": "T-002"}  # one cell filled, data after it
    result = run(rows)
    assert not result.notes and result.invalid["row"].tolist() == [3]
    assert (result.problems["row"] == 3).sum() > 10


def test_a_note_like_row_in_the_middle_of_the_data_is_data():
    text = csv_bytes(make_rows(3)).decode().split("\r\n")
    body = "\r\n".join([text[0], text[1], "备注：此行之后为补报项目", text[2], text[3]]) + "\r\n"
    result = validate(read_table_bytes(body.encode(), "pool.csv"))
    assert not result.notes and result.invalid["row"].tolist() == [3]


def test_the_only_data_row_is_never_taken_for_a_note():
    body = csv_bytes([{"project_id": "T-1"}]).decode()
    result = validate(read_table_bytes(body.encode(), "pool.csv"))
    assert not result.notes and result.invalid["row"].tolist() == [2]


@pytest.mark.parametrize("header", ["序号", "No.", "行号"])
def test_a_row_number_column_is_recognised_not_offered_as_a_criterion(header):
    rows = make_rows(4)
    for i, row in enumerate(rows, start=1):
        row["seq"] = str(i)
    headers = [("seq", header)] + [(c.name, c.zh) for c in CANDIDATE_COLUMNS]
    result = validate(read_table_bytes(csv_with_headers(rows, headers), "pool.csv"))
    assert result.valid and result.extra_numeric == [] and result.problems.empty
    assert header not in result.candidates.columns and "seq" not in result.candidates.columns
