"""The aggregates a batch of reports reads, computed once per data snapshot: reused when their
manifest matches the store (same ``source_sha256``, period and package version), recomputed
otherwise."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from workbench.aggregates_folder import read_manifest
from workbench.period import Period
from workbench.store import load_report, load_store
from workbench.version import __version__


def aggregates_manifest(aggregates: str | Path) -> dict | None:
    """The manifest of the aggregates at ``aggregates``, or None if there are none."""
    return read_manifest(aggregates)


def stale_reason(manifest: dict | None, report: dict, period: Period) -> str | None:
    """Why aggregates with ``manifest`` do not fit the store's ``report`` and ``period``
    (None when they do): a missing folder, another data snapshot, period or workbench version,
    or rows by month that do not reach back as far as the store allows (computed before they
    covered up to 24 months)."""
    if manifest is None:
        return "no aggregates yet"
    if manifest.get("source_sha256") != report.get("source_sha256"):
        return "the store holds a different data snapshot"
    wanted = period.to_dict()
    if any(manifest.get(k) != v for k, v in wanted.items()):
        return f"the period differs ({wanted['period_start']} to {wanted['period_end']} wanted)"
    if manifest.get("workbench_version") != __version__:
        return f"made by workbench {manifest.get('workbench_version')}, not {__version__}"
    from workbench.compute import HISTORY_MONTHS

    history = period.history(report, HISTORY_MONTHS).start.isoformat()
    if manifest.get("monthly_start") != history:
        return f"the rows by month do not start at {history} (up to {HISTORY_MONTHS} months)"
    return None


def ensure_aggregates(
    store: str | Path,
    aggregates: str | Path,
    period: Period | None = None,
    progress: bool = True,
    log: Callable[[str], object] = print,
) -> dict:
    """The manifest of up-to-date aggregates for ``store`` and ``period`` (default: compute's
    default period of the store), running :func:`workbench.compute.compute` first only if the
    aggregates are missing or stale."""
    report = load_report(store)
    period = period or Period.default_for(report)
    manifest = aggregates_manifest(aggregates)
    reason = stale_reason(manifest, report, period)
    if reason is None and manifest is not None:
        log(f"Aggregates in {aggregates} are up to date with the store")
        return manifest
    from workbench.compute import compute

    log(f"Computing aggregates into {aggregates} ({reason})")
    return compute(load_store(store), aggregates, period, progress=progress)
