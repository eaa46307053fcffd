"""Logging for the ``workbench`` command and the library: the standard library's ``logging``,
configured once per command from ``--log-file`` and ``--log-level``, progress bars only where a
person is watching (a terminal), and the Jupyter kernel's routine noise kept out of logs.

Modules log to ``logging.getLogger(__name__)`` (all below the ``workbench`` logger). A scheduled
run gives ``--log-file``: the file then holds every message at ``--log-level`` (default INFO) with
a timestamp, while the terminal (or cron's mail) gets warnings and errors only.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import warnings
from pathlib import Path

from workbench.errors import WorkbenchError

LOGGER = "workbench"
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
FILE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

#: Messages from Jupyter's machinery that say nothing about the report: a kernel talking to its
#: own process over local TCP, a kernel told to stop when a worker is interrupted, and the
#: frozen-modules debugger hint of Python 3.11+.
KERNEL_NOISE = re.compile(
    r"running over TCP without encryption|KeyboardInterrupt caught in kernel|"
    r"frozen modules|PYDEVD_DISABLE_FILE_VALIDATION|Debugger warning",
    re.IGNORECASE,
)

#: Set on a record that the command line has already shown on the terminal.
SHOWN = "workbench_shown"


class KernelNoiseFilter(logging.Filter):
    """Drops records matching :data:`KERNEL_NOISE` (ipykernel and jupyter_client chatter)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not KERNEL_NOISE.search(record.getMessage())


class _NotShown(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(record, SHOWN, False)


def add_logging_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--log-file`` and ``--log-level`` to one (sub)command's parser."""
    group = parser.add_argument_group("logging")
    group.add_argument(
        "--log-file",
        type=Path,
        metavar="FILE",
        help="append a timestamped log to FILE (for scheduled runs); the terminal still shows "
        "warnings and errors",
    )
    group.add_argument(
        "--log-level",
        type=str.upper,
        choices=LEVELS,
        help="least severe message logged (default: INFO in --log-file, WARNING on the terminal)",
    )


def configure_logging(log_file: str | Path | None = None, level: str | None = None) -> None:
    """Send the ``workbench`` loggers' messages to ``log_file`` (appending, at ``level``, default
    INFO) and warnings (or ``level``, when given without a file) to standard error. Python
    warnings are logged too; kernel noise is dropped everywhere. Calling it again replaces the
    handlers it added. A file that cannot be opened is a WorkbenchError naming it."""
    file_handler = None
    if log_file is not None:  # opened first, so a bad path changes nothing
        path = Path(log_file)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            file_handler = logging.FileHandler(path, mode="a", encoding="utf-8")
        except OSError as err:
            raise WorkbenchError(
                f"cannot write the log file {path} ({err.strerror or err}): give a --log-file in "
                "a folder you can write to"
            ) from None
    logger, warnings_logger = logging.getLogger(LOGGER), logging.getLogger("py.warnings")
    for owner in (logger, warnings_logger):
        for handler in list(owner.handlers):
            if getattr(handler, "_workbench", False):
                owner.removeHandler(handler)
                handler.close()
    noise = KernelNoiseFilter()
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(level if level and file_handler is None else logging.WARNING)
    console.setFormatter(logging.Formatter("workbench: %(levelname)s: %(message)s"))
    console.addFilter(noise)
    console.addFilter(_NotShown())
    handlers: list[logging.Handler] = [console]
    if file_handler is not None:
        file_handler.setLevel(level or logging.INFO)
        file_handler.setFormatter(logging.Formatter(FILE_FORMAT))
        file_handler.addFilter(noise)
        handlers.append(file_handler)
    for handler in handlers:
        handler._workbench = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        warnings_logger.addHandler(handler)
    logger.setLevel(min(h.level for h in handlers))
    logger.propagate = False
    warnings_logger.propagate = False
    logging.captureWarnings(True)
    warnings.filterwarnings("ignore", message=f".*({KERNEL_NOISE.pattern})")


def progress_enabled(requested: bool = True) -> bool:
    """Whether to draw a progress bar: only when asked for and standard error is a terminal, so
    that scheduled runs do not write bars into their logs. Bars are plain ``tqdm`` (never
    ``tqdm.auto``, which in a Jupyter kernel without ipywidgets warns "IProgress not found" as
    it is imported: a red warning in a notebook's first output)."""
    stream = sys.stderr
    return bool(requested) and stream is not None and stream.isatty()
