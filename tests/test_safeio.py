"""quota_opt.safeio.write_output: never over an input, never through a link, never half-written (issue 9 §1)."""

from __future__ import annotations

import errno
import os

import pytest
from hypothesis import given, settings, strategies as st

from quota_opt import safeio
from quota_opt.safeio import OutputError, check_target, write_output


def parts(folder) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".part")]


def test_writes_the_bytes_to_a_new_file(tmp_path):
    target = write_output(tmp_path / "out.csv", b"a,b\n")
    assert target.read_bytes() == b"a,b\n" and parts(tmp_path) == []
    assert oct(target.stat().st_mode & 0o777) != oct(0o600)  # not left with mkstemp's private mode


@pytest.mark.parametrize("spelling", ["same", "dot-slash", "via-parent", "absolute"])
def test_the_input_file_is_refused_however_it_is_spelled(tmp_path, monkeypatch, spelling):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "pool.csv").write_bytes(b"original")
    target = {"same": "pool.csv", "dot-slash": "./pool.csv", "via-parent": "sub/../pool.csv",
              "absolute": str(tmp_path / "pool.csv")}[spelling]
    with pytest.raises(OutputError, match="the output file .* is the input file"):
        write_output(target, b"new", inputs=["pool.csv"], force=True)
    assert (tmp_path / "pool.csv").read_bytes() == b"original"


def test_a_hard_link_to_the_input_is_refused(tmp_path):
    src = tmp_path / "pool.csv"
    src.write_bytes(b"original")
    os.link(src, tmp_path / "alias.csv")
    with pytest.raises(OutputError, match="is the input file"):
        write_output(tmp_path / "alias.csv", b"new", inputs=[src], force=True)
    assert src.read_bytes() == b"original"


def test_a_symbolic_link_is_refused_and_its_target_untouched(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep")
    (tmp_path / "link.xlsx").symlink_to(victim)
    for force in (False, True):
        with pytest.raises(OutputError, match="symbolic link"):
            write_output(tmp_path / "link.xlsx", b"new", force=force)
    (tmp_path / "dangling.xlsx").symlink_to(tmp_path / "nowhere.xlsx")
    with pytest.raises(OutputError, match="symbolic link"):
        write_output(tmp_path / "dangling.xlsx", b"new", force=True)
    assert victim.read_bytes() == b"keep" and not (tmp_path / "nowhere.xlsx").exists()


def test_an_existing_file_is_refused_without_force_and_replaced_with_it(tmp_path):
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(OutputError) as info:
        write_output(target, b"new")
    assert "已存在" in info.value.message_zh and "--force" in info.value.message_en
    assert target.read_bytes() == b"old"
    write_output(target, b"new", force=True)
    assert target.read_bytes() == b"new" and parts(tmp_path) == []


@pytest.mark.parametrize("where, expect", [("folder", "is a folder"), ("missing", "does not exist"),
                                           ("under-a-file", "cannot reach")])
def test_a_folder_a_missing_folder_or_a_file_as_folder_is_refused(tmp_path, where, expect):
    (tmp_path / "plain.txt").write_text("x")
    target = {"folder": tmp_path, "missing": tmp_path / "no" / "out.xlsx",
              "under-a-file": tmp_path / "plain.txt" / "out.xlsx"}[where]
    with pytest.raises(OutputError, match=expect):
        write_output(target, b"new", force=True)


def test_a_device_is_not_a_plain_file(tmp_path):
    with pytest.raises(OutputError, match="not a plain file"):
        check_target("/dev/full", force=True)


def test_an_interrupted_write_leaves_the_old_file_and_no_part_file(tmp_path, monkeypatch):
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old complete workbook")

    def interrupted(src, dst):
        raise KeyboardInterrupt  # the user pressed Ctrl-C just before the rename

    monkeypatch.setattr(safeio.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_output(target, b"new" * 1000, force=True)
    assert target.read_bytes() == b"old complete workbook" and parts(tmp_path) == []


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EFBIG, errno.EIO])
def test_a_full_disk_is_an_output_error_naming_the_file_and_leaves_nothing(tmp_path, monkeypatch, code):
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")

    def full(fd):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(safeio.os, "fsync", full)
    with pytest.raises(OutputError) as info:
        write_output(target, b"new", force=True)
    assert str(target) in info.value.message_en and os.strerror(code) in info.value.message_en
    assert "无法写入输出文件" in info.value.message_zh
    assert target.read_bytes() == b"old" and parts(tmp_path) == []


def test_a_nul_in_the_name_is_an_output_error(tmp_path):
    with pytest.raises(OutputError, match="forbidden character"):
        write_output(str(tmp_path / "a\0b.csv"), b"x")


@settings(max_examples=30, deadline=None)
@given(data=st.binary(max_size=4096))
def test_what_is_read_back_is_exactly_what_was_written(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("w")
    target = write_output(folder / "out.bin", data)
    assert target.read_bytes() == data and parts(folder) == []
