"""Community health services workbench: data quality, waits, urgent response and outcomes
from pseudonymised CSDS-shaped extracts."""

import logging

from workbench.startup import install_starting_handlers

install_starting_handlers()  # first: a signal while the modules below load ends cleanly

logging.getLogger(__name__).addHandler(logging.NullHandler())  # silent unless configured (logs.py)

from workbench.store import Store, load_store  # noqa: E402
from workbench.store_tables import connect_tables  # noqa: E402
from workbench.version import __version__  # noqa: E402

__all__ = ["Store", "__version__", "connect_tables", "load_store"]
