"""Community health services workbench: data quality, waits, urgent response and outcomes
from pseudonymised CSDS-shaped extracts."""

import logging
import os
import signal
import sys


def _stopped_while_starting(signum: int, frame: object) -> None:
    """The ``workbench`` command stopped while it was still loading its modules: nothing was
    done, so it says so and exits at once (143 for SIGTERM, 130 for SIGINT); ``cli.main``
    replaces this handler as soon as it runs."""
    what = "stopped (SIGTERM)" if signum == signal.SIGTERM else "interrupted"
    os.write(2, f"workbench: {what} while starting; nothing was changed\n".encode())
    os._exit(143 if signum == signal.SIGTERM else 130)


# The command's handlers go in before anything heavy is imported (a signal in the first second
# would otherwise end in a traceback); a program that imports the package keeps its own.
if sys.argv and (os.path.basename(sys.argv[0]).startswith("workbench") or sys.argv[0] == "-m"):
    for _signum in (signal.SIGTERM, signal.SIGINT):
        if signal.getsignal(_signum) in (signal.SIG_DFL, signal.default_int_handler):
            signal.signal(_signum, _stopped_while_starting)

logging.getLogger(__name__).addHandler(logging.NullHandler())  # silent unless configured (logs.py)

from workbench.store import Store, load_store  # noqa: E402
from workbench.store_tables import connect_tables  # noqa: E402
from workbench.version import __version__  # noqa: E402

__all__ = ["Store", "__version__", "connect_tables", "load_store"]
