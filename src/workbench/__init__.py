"""Community health services workbench: data quality, waits, urgent response and outcomes
from pseudonymised CSDS-shaped extracts."""

import logging
from importlib.metadata import PackageNotFoundError, version

logging.getLogger(__name__).addHandler(logging.NullHandler())  # silent unless configured (logs.py)

try:
    __version__ = version("chs-workbench")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

from workbench.store import Store, load_store  # noqa: E402

__all__ = ["Store", "__version__", "load_store"]
