"""What the scripts print and write: tables, JSON, masking, private files."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from pathlib import Path
from typing import Any, Iterable, Sequence

from .errors import UsageError


def mask(token: str | None) -> str:
    return f"{token[:4]}…" if token else ""


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """Columns padded to their widest cell; no dependency for a table."""
    rows = [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines)


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def to_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue()


def inside_unignored_git_tree(path: Path) -> bool:
    """True when path would be picked up by `git add` in some work tree above it."""
    directory = path.resolve().parent
    for parent in (directory, *directory.parents):
        if (parent / ".git").exists():
            try:
                result = subprocess.run(["git", "-C", str(parent), "check-ignore", "-q", str(path.resolve())],
                                        capture_output=True, timeout=10)
            except (OSError, subprocess.SubprocessError):
                return True
            return result.returncode != 0
    return False


def check_private_target(path: str | Path, force: bool = False) -> Path:
    """Refuse, before anything is sent, a token file that could not be written safely."""
    path = Path(path)
    if path.exists():
        raise UsageError(f"{path} already exists; it is never overwritten: choose another file name")
    if not path.parent.resolve().is_dir():
        raise UsageError(f"cannot write {path}: its folder does not exist")
    if not os.access(path.parent.resolve(), os.W_OK):
        raise UsageError(f"cannot write {path}: its folder is not writable")
    if not force and inside_unignored_git_tree(path):
        raise UsageError(f"{path} is inside a git work tree and not git-ignored, so the token could be committed; "
                         "save it elsewhere, add it to .gitignore, or pass --force")
    return path


def write_private(path: str | Path, text: str, force: bool = False) -> Path:
    """A file only its owner can read, never over an existing one, never into a git tree by accident."""
    path = check_private_target(path, force)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise UsageError(f"{path} already exists; it is never overwritten: choose another file name") from None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(path, 0o600)
    return path
