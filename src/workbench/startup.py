"""The ``workbench`` command's first moments: a signal that arrives while the package is still
loading its modules (before :func:`workbench.cli.main` puts in its own handlers) ends the
command with its exit code and a true message, not a traceback."""

import os
import signal
import sys


def stopped_while_starting(signum: int, frame: object) -> None:
    """The ``workbench`` command stopped while it was still loading its modules: nothing was
    done, so it says so and exits at once (143 for SIGTERM, 130 for SIGINT); ``cli.main``
    replaces this handler as soon as it runs."""
    what = "stopped (SIGTERM)" if signum == signal.SIGTERM else "interrupted"
    os.write(2, f"workbench: {what} while starting; nothing was changed\n".encode())
    os._exit(143 if signum == signal.SIGTERM else 130)


def install_starting_handlers() -> None:
    """Put :func:`stopped_while_starting` in for SIGTERM and SIGINT when this process is the
    ``workbench`` command (or ``python -m workbench``) and they are still Python's defaults; a
    program that imports the package keeps its own."""
    command = sys.argv and (
        os.path.basename(sys.argv[0]).startswith("workbench") or sys.argv[0] == "-m"
    )
    if not command:
        return
    for signum in (signal.SIGTERM, signal.SIGINT):
        if signal.getsignal(signum) in (signal.SIG_DFL, signal.default_int_handler):
            signal.signal(signum, stopped_while_starting)
