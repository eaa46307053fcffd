"""Errors the workbench raises for problems a user can fix, each with an exit code for the CLI.

Messages name the file, the column and what to do, and never print a data value.
:data:`EXIT_CODES` is the one table of the command's exit codes; the CLI and README follow it.
"""

from __future__ import annotations

import errno
import re

#: Exit code of ``ingest`` when the good files loaded and one or more files were quarantined
#: (set aside with their reasons; see the load report and the submitter feedback).
EXIT_LOADED_WITH_QUARANTINE = 5

#: Every exit code of the ``workbench`` command and what it means.
EXIT_CODES: dict[int, str] = {
    0: "done",
    1: "a report failed to render (report run)",
    2: "bad input or options",
    3: "identifiable data refused; nothing was stored",
    4: "counts do not reconcile; nothing was stored",
    EXIT_LOADED_WITH_QUARANTINE: (
        "loaded, with quarantined files (see the load report and the submitter feedback)"
    ),
    6: (
        "the output could not be written (disk full, read-only, no permission); nothing was "
        "replaced, unless the message says the store was switched (or the output replaced) first"
    ),
    7: "the store is busy: another load holds its writer lock; nothing was changed",
    130: (
        "interrupted (Ctrl-C, SIGINT); nothing was replaced, unless the message says the "
        "store was switched (or the output replaced) first"
    ),
    143: (
        "stopped (SIGTERM); nothing was replaced, unless the message says the store was "
        "switched (or the output replaced) first"
    ),
}


class WorkbenchError(Exception):
    """A problem with the input or the request that the user can fix; exit code 2."""

    exit_code = 2


class BadInputError(WorkbenchError):
    """One or more submission files cannot be read as the extract specification requires.

    ``problems`` holds one sentence per problem, each naming the file (and column or line).
    """

    exit_code = 2

    def __init__(self, problems: list[str], intro: str = "The submission files cannot be loaded"):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{intro}:\n{lines}\nNothing was written to the store.")


class IdentifiableDataError(BadInputError):
    """The submission holds direct identifiers; the load stops before anything is stored."""

    exit_code = 3

    def __init__(self, problems: list[str]):
        super().__init__(
            problems,
            intro=(
                "Refused: the submission holds identifiable data. The workbench takes "
                "pseudonymised extracts only; remove or pseudonymise these columns and submit "
                "again"
            ),
        )


class ReconciliationError(WorkbenchError):
    """Rows read do not equal rows loaded + superseded + rejected for a table."""

    exit_code = 4


class StoreBusyError(WorkbenchError):
    """Another process holds the store's writer lock (a load is running into it)."""

    exit_code = 7


class DisclosureError(WorkbenchError):
    """A table cannot be released under disclosure control (measures.md section 7).

    The message names the column and never prints a data value.
    """


class ScheduleError(WorkbenchError):
    """A schedule file that cannot be used; the message names the file and the field."""


class OutputError(WorkbenchError):
    """The workbench could not write its output (disk full, read-only folder, no permission).

    Never blamed on an input file: the message names the output path and the cause.
    """

    exit_code = 6


#: What an operating-system error number means for someone writing output, and what to do.
_OUTPUT_CAUSES = {
    errno.ENOSPC: "disk full; free some space and run again",
    errno.EDQUOT: "disk quota exceeded; free some space and run again",
    errno.EROFS: "the file system is read-only; choose a writable folder",
    errno.EACCES: "permission denied; choose a folder you may write to",
    errno.EPERM: "operation not permitted; choose a folder you may write to",
}


def output_error(err: OSError, target: object) -> OutputError:
    """An :class:`OutputError` saying "could not write to TARGET: CAUSE" for ``err``.

    ``target`` is the output being written (a folder or a file); the path in ``err``, when it
    has one, is named instead, since it is the exact place that failed.
    """
    where = err.filename if err.filename else target
    text = str(err).lower()
    cause = _OUTPUT_CAUSES.get(err.errno or 0)
    if cause is None and "no space left" in text:
        cause = _OUTPUT_CAUSES[errno.ENOSPC]
    if cause is None and "read-only file system" in text:
        cause = _OUTPUT_CAUSES[errno.EROFS]
    if cause is None and "permission denied" in text:
        cause = _OUTPUT_CAUSES[errno.EACCES]
    if cause is None:
        cause = f"{err.strerror or type(err).__name__}; check the folder can be written to"
    return OutputError(f"could not write to {where}: {cause}")


#: Exception types of the engines and file libraries that mean the disk or the folder refused
#: a write (DuckDB's write-ahead log and file writes; Arrow's writers raise OSError).
_WRITE_FAILURES = frozenset({"IOException", "TransactionException", "PermissionException"})
_QUOTED_PATH = re.compile(r"""["']((?:[A-Za-z]:)?[/\\][^"']+)["']""")


def as_output_error(err: BaseException, target: object) -> OutputError | None:
    """The :class:`OutputError` ("could not write to PATH: CAUSE") an exception raised while
    writing means, or None when it is not a failure to write: an ``OSError`` whose cause is
    the disk or a permission (:data:`_OUTPUT_CAUSES`, or a message saying so), or a DuckDB
    ``IOException``/``TransactionException`` (its write-ahead log or a file it writes could
    not be written). The path named is the one in the message when there is one, else
    ``target``."""
    if isinstance(err, OutputError):
        return err
    text = str(err)
    if isinstance(err, OSError):
        known = err.errno in _OUTPUT_CAUSES or any(
            words in text.lower()
            for words in ("no space left", "read-only file system", "permission denied")
        )
        return output_error(err, target) if known else None
    if type(err).__name__ not in _WRITE_FAILURES:
        return None
    found = _QUOTED_PATH.search(text)
    lowered = text.lower()
    number = next((n for n, words in _ERRNO_WORDS.items() if words in lowered), errno.EIO)
    return output_error(OSError(number, text, found.group(1) if found else None), target)


#: Words in an engine's message that give the operating-system cause.
_ERRNO_WORDS = {
    errno.ENOSPC: "no space left",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
}
