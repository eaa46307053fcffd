"""Writing one output file so that a reader never sees half of it: write a temporary file in the
same folder, flush it to disk, then rename it over the target (``os.replace`` is atomic on one
file system). If anything fails, the temporary file is removed and the old file stays."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def temporary_sibling(target: Path, suffix: str = "") -> Path:
    """A new, empty, hidden file beside ``target`` (same folder, so a rename is atomic)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.partial-", suffix=suffix, dir=target.parent)
    os.close(fd)
    os.chmod(name, 0o666 & ~_umask())  # as an ordinary new file would be, not mkstemp's 0600
    return Path(name)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(target: str | Path, content: str | bytes) -> Path:
    """Write ``content`` (text as UTF-8, or bytes) to ``target`` atomically; returns ``target``."""
    target = Path(target)
    data = content.encode("utf-8") if isinstance(content, str) else content
    partial = temporary_sibling(target)
    try:
        with open(partial, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target
