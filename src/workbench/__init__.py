"""Community health services workbench: data quality, waits, urgent response and outcomes
from pseudonymised CSDS-shaped extracts."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("chs-workbench")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

from workbench.store import Store, load_store  # noqa: E402

__all__ = ["Store", "__version__", "load_store"]
