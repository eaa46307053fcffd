"""The installed package's version, which stamps every store, facts folder, set of aggregates
and report (so a reader knows what made it)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("chs-workbench")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
