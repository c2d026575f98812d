"""Writing an output file with care: never over an input, never through a link, never half-written.

Every file the CLI writes for a user (``--out``, ``--json PATH``, ``--docx``, ``--letter`` …) goes
through :func:`write_output`:

* the target may not be one of the run's input files (compared by resolved path and by inode), a
  folder, or a symbolic link (a link could point anywhere: it is refused, not followed);
* an existing file is refused unless ``force`` is given (``--force``);
* the bytes go to a temporary file in the target's own folder, are flushed to disk, and the
  temporary file is renamed onto the target, so an interrupted run leaves either the old file or the
  complete new one, never a half-written one; on any failure the temporary file is removed;
* every failure (a missing folder, no permission, a full disk) is an :class:`OutputError` with a
  Chinese and an English message naming the path: the CLI's exit code 2, never a traceback.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Iterable

from .errors import InputError


class OutputError(InputError):
    """An output file cannot be written where the user asked (exit code 2, like bad input)."""


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.resolve() == b.resolve():
            return True
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_target(path: str | os.PathLike, *, inputs: Iterable[str | os.PathLike] = (), force: bool = False) -> Path:
    """The target as a Path if it may be written; else an OutputError saying why (nothing is written)."""
    target = Path(path)
    shown = str(path)
    for src in inputs:
        if src is not None and _same_file(target, Path(src)):
            raise OutputError(f"输出文件 {shown} 与输入文件相同，不会覆盖输入文件；请换一个文件名",
                              f"the output file {shown} is the input file; it is never written over: choose another name")
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"无法访问输出文件 {shown}（{exc.strerror}）", f"cannot reach the output file {shown} ({exc.strerror})") from None
    except ValueError:  # a NUL character in the path
        raise OutputError(f"输出文件名 {shown!r} 含有不允许的字符", f"the output file name {shown!r} holds a forbidden character") from None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise OutputError(f"输出文件 {shown} 是符号链接，不会跟随它写入；请给出普通文件的路径",
                              f"the output file {shown} is a symbolic link, which is never followed: give the path of a plain file")
        if stat.S_ISDIR(info.st_mode):
            raise OutputError(f"输出路径 {shown} 是一个文件夹，请给出文件名",
                              f"the output path {shown} is a folder: give a file name")
        if not force:
            raise OutputError(f"输出文件 {shown} 已存在；如要替换，请加 --force",
                              f"the output file {shown} already exists; add --force to replace it")
        if not stat.S_ISREG(info.st_mode):
            raise OutputError(f"输出路径 {shown} 不是普通文件", f"the output path {shown} is not a plain file")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"输出文件夹 {folder} 不存在", f"the output folder {folder} does not exist")
    return target


def write_output(path: str | os.PathLike, data: bytes, *, inputs: Iterable[str | os.PathLike] = (),
                 force: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically after :func:`check_target`; the path written is returned."""
    target = check_target(path, inputs=inputs, force=force)
    shown = str(path)
    folder = target.parent if str(target.parent) else Path(".")
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp_name, 0o644 & ~_umask())
        # Checked again just before the rename: a link or file may have appeared meanwhile.
        check_target(path, inputs=inputs, force=force)
        os.replace(tmp_name, target)
        tmp_name = None
        _sync_folder(folder)
    except OutputError:
        raise
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputError(f"无法写入输出文件 {shown}（{reason}）", f"cannot write the output file {shown} ({reason})") from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
    return target


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry for the renamed file to disk where the system allows it (POSIX)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
