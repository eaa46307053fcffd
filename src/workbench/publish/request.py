"""One report asked for, resolved in one place: which notebook, for which organisation, from
which aggregates and store, for which period, into which folder and formats, and so with which
notebook parameters. ``workbench report NOTEBOOK`` and every report of ``workbench report run
SCHEDULE.yml`` are resolved by the same :func:`resolve_request`, so the same report asked for
either way is the same :class:`ReportRequest`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.aggregates_folder import ENGLAND
from workbench.errors import WorkbenchError
from workbench.organisations import check_org
from workbench.paths import (
    NOTEBOOKS,
    default_aggregates,
    default_reports,
    default_store,
    notebook_path,
    project_root,
)
from workbench.publish.aggregates import aggregates_manifest, load_report
from workbench.publish.kernel import PROJECT_KERNEL
from workbench.publish.manifest import report_key

#: Seconds any one cell may run, unless asked otherwise.
DEFAULT_TIMEOUT = 600
#: Further attempts when the kernel fails to start or dies, unless asked otherwise.
DEFAULT_RETRIES = 2


@dataclass(frozen=True)
class ReportRequest:
    """One report, every choice made and every path absolute.

    ``out_dir`` is the folder the report's files are written to; ``bundle`` the folder of
    reports it belongs to (``<bundle>/<level>/<code>`` is ``out_dir``; the bundle holds the
    measure pages the report links to and its ``executed/`` notebooks), or None for a report
    written alone to a folder of the user's choosing. ``data_snapshot`` is the checksum of the
    data the aggregates were computed from. ``root`` is the folder the notebook runs in."""

    notebook: Path
    level: str
    code: str
    aggregates: Path
    store: Path
    period_start: str | None
    period_end: str | None
    census_date: str | None
    disclosure_control: bool
    formats: tuple[str, ...]
    out_dir: Path
    bundle: Path | None
    data_snapshot: str | None
    root: Path
    kernel: str = PROJECT_KERNEL
    timeout: int = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES

    @property
    def name(self) -> str:
        """The notebook's name (``waits``), which is the report files' name."""
        return self.notebook.stem

    @property
    def key(self) -> str:
        """The report's identity: ``level/code/notebook``."""
        return report_key(self.level, self.code, self.name)

    @property
    def parameters(self) -> dict:
        """The notebook's parameters (papermill's, as Python values; codes stay text)."""
        return {
            "aggregates": str(self.aggregates),
            "store": str(self.store),
            "org_level": self.level,
            "org_code": self.code,
            "period_start": self.period_start,
            "period_end": self.period_end,
            "census_date": self.census_date,
            "disclosure_control": self.disclosure_control,
            "output_format": "html" if "html" in self.formats else self.formats[0],
        }

    @property
    def provenance(self) -> dict[str, str]:
        """The lines the report's footer and spreadsheet add about what it was made from."""
        return {"Data snapshot": str(self.data_snapshot), "Report": self.key}


def _manifest(aggregates: Path) -> dict:
    """The aggregates' manifest; WorkbenchError saying how to make them when there is none."""
    manifest = aggregates_manifest(aggregates)
    if manifest is None:
        raise WorkbenchError(
            f"no aggregates in {aggregates} (no manifest.json); make them with `workbench "
            f"compute STORE --out {aggregates}`, or give --aggregates"
        )
    return manifest


def _organisation(level: str | None, code: str | None, aggregates: Path) -> tuple[str, str]:
    """The level (default England) and code (England's own by default), checked against the
    reference data or, for providers, the aggregates."""
    level = level or "england"
    if code is None:
        if level != "england":
            raise WorkbenchError(f"--org-code is required with --org-level {level}")
        code = ENGLAND
    check_org(level, str(code), aggregates)
    return level, str(code)


def _period(
    manifest: dict,
    start: dt.date | None,
    end: dt.date | None,
    census: dt.date | None,
) -> tuple[str | None, str | None, str | None]:
    """Period start, end and census date as ISO text: those given, else the aggregates'."""
    if (start is None) != (end is None):
        raise WorkbenchError("give both --period-start and --period-end, or neither")
    if start is None or end is None:
        given = census.isoformat() if census else manifest.get("census_date")
        return manifest.get("period_start"), manifest.get("period_end"), given
    if end < start:
        raise WorkbenchError(f"--period-end {end} is before --period-start {start}")
    return start.isoformat(), end.isoformat(), census.isoformat() if census else None


def resolve_request(
    notebook: str | Path,
    level: str | None = None,
    code: str | None = None,
    *,
    aggregates: str | Path | None = None,
    manifest: dict | None = None,
    store: str | Path | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    census_date: dt.date | None = None,
    disclosure_control: bool = True,
    formats: Sequence[str] | None = None,
    out: str | Path | None = None,
    bundle: str | Path | None = None,
    kernel: str | None = None,
    timeout: int | None = None,
    retries: int | None = None,
    root: str | Path | None = None,
) -> ReportRequest:
    """The report ``notebook`` (a name in ``root/notebooks`` or a path) for one organisation.

    Defaults: ``root`` the project root; ``aggregates`` its ``data/aggregates``, whose
    ``manifest`` is read when not given (WorkbenchError when there is none); ``store`` the one
    the aggregates were computed from, else ``data/store``; England; the aggregates' period;
    HTML; the project's kernel, 600 seconds a cell, 2 retries. The report goes to
    ``out`` when given (alone, in no bundle), else to ``<bundle>/<level>/<code>``, the bundle
    being ``root/reports`` unless given. WorkbenchError for a missing notebook, an unknown
    organisation, a level without its code or half a period.
    """
    root = Path(root).resolve() if root else project_root()
    notebook = notebook_path(notebook, root / NOTEBOOKS)
    aggregates = Path(aggregates or default_aggregates(root)).resolve()
    manifest = _manifest(aggregates) if manifest is None else manifest
    store = Path(store or manifest.get("store") or default_store(root)).resolve()
    level, code = _organisation(level, code, aggregates)
    start, end, census = _period(manifest, period_start, period_end, census_date)
    if out is not None:
        out_dir, bundle = Path(out).resolve(), None
    else:
        bundle = Path(bundle or default_reports(root)).resolve()
        out_dir = bundle / level / code
    return ReportRequest(
        notebook=notebook,
        level=level,
        code=code,
        aggregates=aggregates,
        store=store,
        period_start=start,
        period_end=end,
        census_date=census,
        disclosure_control=disclosure_control,
        formats=tuple(dict.fromkeys(formats or ("html",))),
        out_dir=out_dir,
        bundle=bundle,
        data_snapshot=manifest.get("source_sha256"),
        root=root,
        kernel=kernel or PROJECT_KERNEL,
        timeout=timeout or DEFAULT_TIMEOUT,
        retries=DEFAULT_RETRIES if retries is None else retries,
    )


def snapshot_warning(request: ReportRequest) -> str | None:
    """A warning when the store now holds other data than the aggregates were computed from
    (None when they match, or when there is no store to compare: a report can run from the
    aggregates alone)."""
    try:
        current = load_report(request.store).get("source_sha256")
    except WorkbenchError:
        return None
    if current == request.data_snapshot:
        return None
    return (
        f"the aggregates in {request.aggregates} were computed from a different snapshot of "
        f"{request.store}; run `workbench compute` again"
    )
