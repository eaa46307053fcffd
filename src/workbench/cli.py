"""The ``workbench`` command: generate synthetic submissions, ingest them, print the spec."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import logging
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.engine import ENGINES, interrupt_duckdb, interrupted_by_signals
from workbench.errors import (
    EXIT_CODES,
    EXIT_LOADED_WITH_QUARANTINE,
    WorkbenchError,
    as_output_error,
)
from workbench.logs import SHOWN, add_logging_arguments, configure_logging
from workbench.paths import AGGREGATES, NOTEBOOKS, REPORTS
from workbench.pause import stop_at_next_step
from workbench.startup import stopped_while_starting
from workbench.store_layout import VERSIONS, read_pointer
from workbench.version import __version__

if TYPE_CHECKING:
    from collections.abc import Iterable

    from workbench.measures.declare import OutputColumn
    from workbench.period import Period
    from workbench.publish.request import ReportRequest
    from workbench.store import Store


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the process is, so that it unwinds like Ctrl-C does."""


#: The signals received during this run (an engine may turn one into its own error, such as
#: DuckDB's "Query interrupted"; the exit code still follows the signal).
_received: list[int] = []
#: Set once the command's work has returned: a signal after that changes nothing, so it is not
#: turned into an interruption (the run's own exit code and message stand).
_finished: list[bool] = []


def _terminated(signum: int, frame: object) -> None:
    if _finished:
        return
    _received.append(signum)
    interrupt_duckdb()  # its threads stop now, not when their query ends
    stop_at_next_step(Terminated)  # should this raise be lost (in a finalizer, say)
    raise Terminated


def _interrupted(signum: int, frame: object) -> None:
    if _finished:
        return
    _received.append(signum)
    interrupt_duckdb()
    stop_at_next_step(KeyboardInterrupt)
    raise KeyboardInterrupt


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _add_generate(sub: argparse._SubParsersAction) -> None:
    from workbench.synthetic import SCALES

    p = sub.add_parser(
        "generate",
        help="write synthetic provider submissions (CSV or Parquet)",
        description=(
            "Write synthetic, CSDS-shaped submission files as providers send them: one folder "
            "per provider, one file per table per submission date; and beside them each "
            "council's quarterly adult social care Client Level Data files "
            "(<LA code>/cld_<LA code>_<YYYYMMDD>), some of whose people are the providers' "
            "people with the same pseudonym. Deterministic: the same "
            "seed and options give byte-identical files. Scales: "
            + "; ".join(
                f"{name}: {c.providers} providers, {c.referrals_per_provider_year:,} "
                f"referrals/provider/year, {c.months} months, {c.cadence} {c.file_format}"
                for name, c in SCALES.items()
            )
        ),
    )
    p.add_argument("out", type=Path, help="folder to write (must be new or empty)")
    p.add_argument(
        "--scale",
        choices=sorted(SCALES),
        default="sample",
        help="preset size (default: sample, the committed sample's settings)",
    )
    p.add_argument("--seed", type=int, help="random seed (default: the preset's)")
    p.add_argument("--providers", type=_positive, help="number of providers")
    p.add_argument(
        "--referrals-per-provider",
        type=_positive,
        dest="referrals_per_provider_year",
        help="referrals per provider per year",
    )
    p.add_argument(
        "--start",
        type=_date,
        dest="period_start",
        help="first day of the submitted period (YYYY-MM-DD)",
    )
    p.add_argument("--months", type=_positive, help="months of submissions")
    p.add_argument("--cadence", choices=("daily", "monthly"), help="submission frequency")
    p.add_argument(
        "--format", choices=("csv", "csv.gz", "parquet"), dest="file_format", help="file format"
    )
    p.add_argument(
        "--clean",
        action="store_true",
        help="inject no data quality problems (default: realistic problems)",
    )
    p.add_argument(
        "--workers",
        type=_positive,
        help="processes to generate providers in parallel (default: one a core, at most one a "
        "provider; the files do not depend on it)",
    )
    p.add_argument("--overwrite", action="store_true", help="replace files in OUT")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=_run_generate)


def _run_generate(args: argparse.Namespace) -> int:
    from workbench.synthetic import SCALES, DefectRates, generate

    config = SCALES[args.scale]
    changes = {
        name: getattr(args, name)
        for name in (
            "seed",
            "providers",
            "referrals_per_provider_year",
            "period_start",
            "months",
            "cadence",
            "file_format",
        )
        if getattr(args, name) is not None
    }
    if args.clean:
        changes["defects"] = DefectRates.clean()
    config = dataclasses.replace(config, **changes)
    try:
        summary = generate(
            args.out,
            config,
            progress=not args.quiet,
            workers=args.workers,
            overwrite=args.overwrite,
        )
    except ValueError as err:
        raise WorkbenchError(str(err)) from None
    rows = summary.to_dict().get("rows", {})
    print(f"Wrote {summary.to_dict().get('files', '?')} files to {args.out}")
    for table, n in rows.items():
        print(f"  {table:<18}{n:>14,} rows")
    return 0


def _add_ingest(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "ingest",
        help="validate submission files into a Parquet store with a load report",
        description=(
            "Read every submission file below SRC (named <table>_<provider>_<YYYYMMDD>.csv, "
            ".csv.gz or .parquet), refuse identifiable data, validate every row against the "
            "extract specification, keep the latest version of each record, and write a "
            "Parquet store with rejects, superseded versions and a load report. Rows read = "
            "loaded + superseded + rejected for every table, or the load fails. --out STORE "
            "builds the store from SRC alone; --into STORE adds SRC's new files (the daily "
            "load) to it, skipping files already loaded. The store switches to the new version "
            "only when it is complete; one load at a time holds its writer lock. A file that "
            "cannot be read as specified (name, delimiter, encoding, columns, truncation, a "
            "future date in its name, operating-system litter) is quarantined with its reasons "
            "and the other files load; identifiable data stops everything. Each provider gets a "
            "feedback report (HTML and CSV) in STORE-feedback/<provider>/ (or --feedback DIR). "
            "Exit codes: "
            + "; ".join(f"{code} {what}" for code, what in EXIT_CODES.items() if code != 1)
            + "."
        ),
    )
    p.add_argument("source", type=Path, metavar="SRC", help="folder (or file) of submissions")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--out", type=Path, metavar="STORE", help="build the store from SRC alone (from scratch)"
    )
    where.add_argument(
        "--into", type=Path, metavar="STORE", help="add SRC's new files to the store"
    )
    p.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="wait up to SECONDS for another load into the store to finish (default: 0, stop "
        "at once with exit code 7)",
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="all or nothing: any file that cannot be read as specified stops the load (exit 2)",
    )
    p.add_argument(
        "--feedback",
        type=Path,
        metavar="DIR",
        help="folder of the providers' feedback reports (default: STORE-feedback beside STORE)",
    )
    p.add_argument(
        "--no-feedback", action="store_true", help="write no feedback reports for the providers"
    )
    p.add_argument(
        "--no-export",
        action="store_true",
        help="write no copy of the tables' live rows into the new version's export/ folder "
        "for tools without the workbench (each load rewrites every table there: about a minute "
        "a day nationally); run `workbench export STORE OUT` when such a reader needs them",
    )
    p.add_argument(
        "--load-date",
        type=_date,
        help="the load's date (YYYY-MM-DD): a file named with a later date is quarantined "
        "(default: today)",
    )
    p.add_argument(
        "--memory-limit",
        help="DuckDB memory limit, e.g. 8GB (default: $WORKBENCH_DUCKDB_MEMORY or 6GB)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    p.set_defaults(run=_run_ingest)


def _log_load_report(report: dict, store: Path) -> None:
    """The load report's counts (each table's rows read, loaded, superseded and rejected, with
    the reasons), and each quarantined file with its rows and reasons, into the log (the
    ``--log-file`` of a scheduled run); the terminal shows them already, or --quiet hid them."""
    log, shown = logging.getLogger("workbench.cli"), {SHOWN: True}
    log.info(
        "ingest: %s loaded into %s (%d file(s), %d provider(s), submissions %s to %s)",
        report["source"], store, len(report["files"]), len(report["providers"]),
        report["first_submission_date"], report["last_submission_date"],
    )  # fmt: skip
    for name, t in report["tables"].items():
        reasons = ", ".join(f"{r} {n}" for r, n in t["reject_reasons"].items())
        log.info(
            "ingest: %s: read %d, loaded %d, superseded %d, rejected %d%s; reconciled %s",
            name, t["read"], t["loaded"], t["superseded"], t["rejected"],
            f" ({reasons})" if reasons else "", "yes" if t["reconciled"] else "NO",
        )  # fmt: skip
    for q in report["quarantined"]:
        rows = "rows unknown" if q["rows"] is None else f"{q['rows']} row(s)"
        log.warning(
            "ingest: quarantined %s (%s, not loaded): %s",
            q["path"], rows, "; ".join(q["reasons"]), extra=shown,
        )  # fmt: skip


def _run_ingest(args: argparse.Namespace) -> int:
    from workbench.facts.carry import carry_facts
    from workbench.ingest import ingest
    from workbench.ingest.report import report_text

    store = args.into or args.out
    report = ingest(
        args.source,
        store,
        progress=not args.quiet,
        memory_limit=args.memory_limit,
        into=args.into is not None,
        wait_seconds=args.wait,
        strict=args.strict,
        load_date=args.load_date,
        feedback=args.feedback,
        write_feedback_reports=not args.no_feedback,
        export=not args.no_export,
        keep_facts=carry_facts,
    )
    if report.get("unchanged"):
        print(f"No new files in {args.source}: every one is already loaded; {store} is unchanged")
        logging.getLogger("workbench.cli").info("ingest: no new files in %s", args.source)
        return 0
    _log_load_report(report, store)
    if not args.quiet:
        print(report_text(report), end="")
    print(f"Store written to {store.resolve()} ({report.get('loads', 1)} load(s))")
    if args.no_export:
        print(
            "No export written (--no-export): tools without the workbench find no export/ in "
            f"this version; run `workbench export {store} OUT` to give them the tables"
        )
    if "feedback_folder" in report:
        print(f"Feedback for each provider and council written to {report['feedback_folder']}")
    if report["quarantined"]:
        print(
            f"{len(report['quarantined'])} file(s) quarantined (see the load report); "
            f"exit {EXIT_LOADED_WITH_QUARANTINE}"
        )
        return EXIT_LOADED_WITH_QUARANTINE
    return 0


def _add_purge(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "purge",
        help="remove a record, or every row of one file, from every version of a store",
        description=(
            "Remove a record (every row of the provider whose record ids, person_id, "
            "referral_id, contact_id or spell_id, equal KEY, or of the council whose Client "
            "Level Data person_id or event_reference does) or every row read from one "
            "submission file, from every version and kind of STORE: tables, superseded, "
            "rejects, waiting orphans and the facts cache. The store switches to the purged "
            "version and every other version is removed; the load history notes that a purge "
            "happened, never the value. The feedback folder is not changed."
        ),
    )
    p.add_argument("store", type=Path, metavar="STORE", help="the store folder")
    p.add_argument(
        "--provider",
        "--council",
        dest="provider",
        required=True,
        metavar="CODE",
        help="the provider's code, or the council's ONS code (--council) for its CLD",
    )
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--record", metavar="KEY", help="the record id to remove")
    which.add_argument("--file", metavar="NAME", help="the submission file name to remove")
    p.add_argument(
        "--wait", type=float, default=0.0, metavar="SECONDS", help="wait for a load to finish"
    )
    p.set_defaults(run=_run_purge)


def _run_purge(args: argparse.Namespace) -> int:
    from workbench.ingest.purge import purge

    removed = purge(args.store, args.provider, args.record, args.file, args.wait)
    total = sum(removed.values())
    print(f"Purged {total:,} live row(s) from {args.store.resolve()}:")
    for table, n in removed.items():
        if n:
            print(f"  {table:<18}{n:>14,} rows")
    print("Every earlier version was removed; the load history notes the purge.")
    return 0


def _add_period(p: argparse.ArgumentParser, census: bool = True) -> None:
    p.add_argument("--period-start", type=_date, help="first day of the period (YYYY-MM-DD)")
    p.add_argument("--period-end", type=_date, help="last day of the period (YYYY-MM-DD)")
    if census:
        p.add_argument(
            "--census-date",
            type=_date,
            help="census date of the waiting list (default: the period end)",
        )


def _period(args: argparse.Namespace, store: Store) -> Period:
    from workbench.period import Period

    if args.period_start is None and args.period_end is None:
        default = Period.default_for(store.report)
        return Period.of(default.start, default.end, getattr(args, "census_date", None))
    if args.period_start is None or args.period_end is None:
        raise WorkbenchError("give both --period-start and --period-end, or neither")
    return Period.of(args.period_start, args.period_end, getattr(args, "census_date", None))


def _add_compute(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "compute",
        help="compute every measure for every organisation into small aggregate tables",
        description=(
            "Run every measure once, for every provider, ICB of residence, NHS region and "
            "England, and write the small aggregate tables the reports read (Parquet, one per "
            "measure, with a manifest). Without a period: the last 12 whole months of the store."
        ),
    )
    p.add_argument(
        "store", type=Path, nargs="?", metavar="STORE", help="store folder from `ingest`"
    )
    p.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="AGGREGATES",
        help="folder to write the aggregates to",
    )
    p.add_argument(
        "--tables",
        metavar="SCHEMA",
        help=(
            "instead of STORE: the catalog schema (database) holding the extract's tables as "
            "docs/extract_spec.md names and shapes them, with submission_date (docs/spark.md)"
        ),
    )
    p.add_argument(
        "--facts",
        type=Path,
        metavar="FOLDER",
        help="with --tables: where the facts are kept (default: AGGREGATES-facts beside it)",
    )
    _add_period(p)
    p.add_argument("--engine", choices=ENGINES, default=ENGINES[0])
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=_run_compute)


def _compute_source(args: argparse.Namespace) -> Store:
    """The store ``compute`` reads: STORE, or the catalog tables of --tables."""
    from workbench.store import load_store
    from workbench.store_tables import connect_tables

    if (args.store is None) == (args.tables is None):
        raise WorkbenchError("give a STORE folder or --tables SCHEMA (one of the two)")
    if args.tables is None:
        return load_store(args.store, engine=args.engine)
    facts = args.facts or args.out.parent / f"{args.out.name}-facts"
    return connect_tables(args.tables, facts, engine=args.engine)


def _run_compute(args: argparse.Namespace) -> int:
    from workbench.compute import compute

    store = _compute_source(args)
    manifest = compute(store, args.out, _period(args, store), progress=not args.quiet)
    print(
        f"Wrote {len(manifest['tables'])} aggregate tables for {manifest['period_start']} to "
        f"{manifest['period_end']} to {args.out.resolve()}"
    )
    return 0


def _add_export(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="write the store's tables as plain Parquet files or Delta tables for other tools",
        description=(
            "Write the live rows of every table of the store's current version (what "
            "load_store reads: deleted and superseded rows left out, no lineage columns) to "
            "OUT, for Power BI, R, Excel or Spark without the workbench: OUT/<table>.parquet, "
            "or with --format delta a Delta table OUT/<table>/ (needs the deltalake package). "
            "Every load also writes STORE/versions/<the name in STORE/CURRENT>/export/"
            "<table>.parquet (docs/store_format.md)."
        ),
    )
    p.add_argument("store", type=Path, metavar="STORE", help="store folder from `ingest`")
    p.add_argument("out", type=Path, metavar="OUT", help="folder to write the tables to")
    p.add_argument("--format", choices=("parquet", "delta"), default="parquet", dest="fmt")
    p.set_defaults(run=_run_export)


def _run_export(args: argparse.Namespace) -> int:
    from workbench.ingest.export import export_store

    counts = export_store(args.store, args.out, args.fmt)
    print(
        f"Wrote {len(counts)} tables ({sum(counts.values()):,} rows) as {args.fmt} to "
        f"{args.out.resolve()}"
    )
    return 0


def _measure_choices() -> str:
    from workbench.measures.registry import registry

    families: dict[str, list[str]] = {}
    for family, name in registry():
        families.setdefault(family, []).append(name)
    return "; ".join(f"{family}: {', '.join(names)}" for family, names in families.items())


def _add_measure(sub: argparse._SubParsersAction) -> None:
    from workbench.breakdowns import BREAKDOWNS
    from workbench.measures.registry import registry

    p = sub.add_parser(
        "measure",
        help="compute one measure from a store and write it as CSV",
        description=(
            "Compute one measure (measures.md) from a store, broken down as asked, and "
            "write it as CSV. Disclosure control is on (measures.md section 7): rows below "
            "England (any provider, ICB or region breakdown) have counts of 1 to 7 shown as [c], "
            "other counts rounded to 5, percentages recomputed from the rounded counts and "
            "averages shown only where based on 8 or more records ([x]: no value); a total over "
            "the whole store is England's figure and is not rounded. Percentages and averages "
            "are rounded to one decimal and months are dates, as tools read them. "
            "Choices of --what: "
            + _measure_choices()
            + f". Breakdowns: {', '.join(BREAKDOWNS)} (each measure says which it takes)."
        ),
    )
    p.add_argument("measure", choices=sorted({f for f, _ in registry()}), help="measure family")
    p.add_argument("--store", type=Path, required=True, help="store folder from `ingest`")
    p.add_argument("--what", help="which measure of the family (default: the first listed)")
    _add_period(p)
    p.add_argument("--by", default="", help="breakdowns, comma-separated, e.g. provider,month")
    p.add_argument("--engine", choices=ENGINES, default=ENGINES[0])
    p.add_argument(
        "--no-disclosure-control",
        dest="disclosure_control",
        action="store_false",
        help="write exact counts (internal use only: the file then says so on its first line)",
    )
    p.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="FILE.csv",
        help="CSV to write; - writes it to standard output (the summary goes to standard error)",
    )
    p.set_defaults(run=_run_measure)


#: The first line of a measure CSV written without disclosure control.
UNCONTROLLED_NOTE = (
    "NOT DISCLOSURE CONTROLLED: exact counts for internal use only; do not share or publish"
)


def _export_columns(columns: Iterable[OutputColumn], present: list[str]) -> tuple[list, list]:
    """The figure columns of a measure's CSV (counts, rates, averages, interval bounds) and
    those of them rounded as the page rounds (all but the counts)."""
    rounded = [c.name for c in columns if c.role in ("rate", "average")]
    rounded += [f"{r}_{side}" for r in rounded for side in ("lower", "upper")]
    figures = [c.name for c in columns if c.role == "count"] + rounded
    return [c for c in figures if c in present], [c for c in rounded if c in present]


def _run_measure(args: argparse.Namespace) -> int:
    from workbench.breakdowns import ORGANISATION_BREAKDOWNS, check_breakdowns
    from workbench.csv_output import STDOUT, export_frame, write_csv
    from workbench.measures.controlled import apply_disclosure_control
    from workbench.measures.registry import measure, registry
    from workbench.store import load_store

    names = [n for f, n in registry() if f == args.measure]
    chosen = measure(args.measure, args.what or names[0])
    by = chosen.check_breakdowns(check_breakdowns(args.by))
    store = load_store(args.store, engine=args.engine)
    frame = chosen.run(store, _period(args, store), by)
    national = not set(by) & set(ORGANISATION_BREAKDOWNS)
    frame = apply_disclosure_control(
        frame, chosen.columns, enabled=args.disclosure_control, national=national
    )
    frame = export_frame(frame, *_export_columns(chosen.columns, list(frame.columns)))
    to_stdout = str(args.out) == STDOUT
    if not to_stdout:
        args.out.parent.mkdir(parents=True, exist_ok=True)
    write_csv(frame, args.out, comment=None if args.disclosure_control else UNCONTROLLED_NOTE)
    control = (
        "without disclosure control"
        if not args.disclosure_control
        else ("England figures, not rounded" if national else "with disclosure control")
    )
    where = "standard output" if to_stdout else args.out.resolve()
    summary = sys.stderr if to_stdout else sys.stdout
    print(f"Wrote {len(frame):,} rows to {where} ({control})", file=summary)
    return 0


REPORT_EPILOG = f"""\
two forms:
  workbench report NOTEBOOK [options]     render one notebook for one organisation
  workbench report run SCHEDULE.yml       render a schedule of notebooks x organisations

examples:
  workbench report waits --org-level icb --org-code QKK
  workbench report notebooks/outcomes.ipynb --org-level provider --org-code 007 --format pdf
  workbench report run {REPORTS.as_posix()}/schedule.yml

NOTEBOOK is a name in {NOTEBOOKS}/ (waits for {NOTEBOOKS}/waits.ipynb) or a path to an .ipynb.
A single report reads the aggregates of `workbench compute` (default {AGGREGATES.as_posix()}) and
is written to {REPORTS.as_posix()}/<level>/<org_code>/<notebook>.html (its executed notebook to
{REPORTS.as_posix()}/executed/<level>/<org_code>/) unless --out says otherwise. A schedule
computes the aggregates when they are missing or out of date, renders in parallel, resumes an
interrupted run, and writes manifest.json and index.html (see docs/scheduling.md); the last line
printed is the path of index.html. Exit codes: 0 all reports rendered, 1 a report failed (the
failed cell is printed), 2 bad input (missing notebook, bad schedule, unknown organisation).
"""


def _add_report(sub: argparse._SubParsersAction) -> None:
    from workbench.breakdowns import LEVELS

    p = sub.add_parser(
        "report",
        help="render a notebook as an HTML report, or run a schedule of reports",
        description=(
            "Render a parameterised notebook as a self-contained HTML report (code hidden, "
            "figures embedded, no scripts), or run a schedule of them for many organisations."
        ),
        epilog=REPORT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "target",
        metavar="NOTEBOOK|run",
        help="a notebook name or path; or `run` followed by a schedule file",
    )
    p.add_argument(
        "schedule", nargs="?", type=Path, metavar="SCHEDULE.yml", help="with `run`: the schedule"
    )
    one = p.add_argument_group("one report (NOTEBOOK form only)")
    one.add_argument(
        "--org-level", choices=LEVELS, help="level of the organisation (default england)"
    )
    one.add_argument(
        "--org-code", help="organisation code, kept as text (e.g. QKK, Y56, 007; default ENG)"
    )
    one.add_argument("--period-start", type=_date, help="first day (default: the aggregates')")
    one.add_argument("--period-end", type=_date, help="last day (default: the aggregates')")
    one.add_argument("--census-date", type=_date, help="waiting list census date")
    one.add_argument(
        "--aggregates",
        type=Path,
        help=f"output of `workbench compute` (default {AGGREGATES.as_posix()})",
    )
    one.add_argument("--store", type=Path, help="the store (default: the aggregates' store)")
    one.add_argument(
        "--no-disclosure-control",
        dest="disclosure_control",
        action="store_false",
        default=None,
        help="turn disclosure control OFF (the report is then not safe to share)",
    )
    one.add_argument(
        "--format",
        dest="formats",
        action="append",
        choices=("html", "pdf"),
        help="html (default) or pdf; repeat for both",
    )
    one.add_argument(
        "--out", type=Path, help=f"folder (default {REPORTS.as_posix()}/<level>/<org_code>)"
    )
    one.add_argument(
        "--kernel",
        help="Jupyter kernel (default chs-workbench: the project's kernel, on this Python)",
    )
    one.add_argument("--timeout", type=_positive, help="seconds any one cell may run (600)")
    p.add_argument("--quiet", action="store_true", help="no progress bar (schedules)")
    p.set_defaults(run=_run_report)


SINGLE_REPORT_OPTIONS = (
    "org_level",
    "org_code",
    "period_start",
    "period_end",
    "census_date",
    "aggregates",
    "store",
    "disclosure_control",
    "formats",
    "out",
    "kernel",
    "timeout",
)


def _run_report(args: argparse.Namespace) -> int:
    if args.target == "run":
        return _run_report_schedule(args)
    if args.schedule is not None:
        raise WorkbenchError(
            f"unexpected {str(args.schedule)!r} after the notebook; to run a schedule: "
            "workbench report run SCHEDULE.yml"
        )
    return _run_report_one(args)


def _run_report_schedule(args: argparse.Namespace) -> int:
    from workbench.publish.batch import run_schedule

    if args.schedule is None:
        raise WorkbenchError("give the schedule file: workbench report run SCHEDULE.yml")
    given = [
        "--" + name.replace("_", "-")
        for name in SINGLE_REPORT_OPTIONS
        if getattr(args, name) is not None
    ]
    if given:
        raise WorkbenchError(
            f"{', '.join(given)} apply to one report; a schedule sets them in its file"
        )
    summary = run_schedule(args.schedule, progress=not args.quiet)
    print(summary.text())
    print(summary.index)
    return summary.exit_code


def report_request(args: argparse.Namespace) -> ReportRequest:
    """The report the options of ``workbench report NOTEBOOK`` ask for."""
    from workbench.publish.request import resolve_request

    return resolve_request(
        args.target,
        args.org_level,
        args.org_code,
        aggregates=args.aggregates,
        store=args.store,
        period_start=args.period_start,
        period_end=args.period_end,
        census_date=args.census_date,
        disclosure_control=args.disclosure_control is not False,
        formats=args.formats,
        out=args.out,
        kernel=args.kernel,
        timeout=args.timeout,
    )


def _run_report_one(args: argparse.Namespace) -> int:
    from workbench.publish.job import Job, run_job
    from workbench.publish.methodology import write_bundle_pages
    from workbench.publish.render import FailedCell
    from workbench.publish.request import snapshot_warning

    request = report_request(args)
    warning = snapshot_warning(request)
    if warning:
        print(f"workbench report: warning: {warning}", file=sys.stderr)
    if request.bundle is not None:  # the pages the report links to, as in a batch's bundle
        write_bundle_pages(request.bundle)
    job = Job.of(request)
    record = run_job(job)
    if not record.ok:
        cell = FailedCell(**record.failed_cell) if record.failed_cell else None
        where = f" at {cell}" if cell else ""
        print(f"workbench report: {request.notebook.name} failed{where}", file=sys.stderr)
        print(f"  {record.error}", file=sys.stderr)
        if record.executed:
            print(f"  executed notebook: {job.output / record.executed}", file=sys.stderr)
        return 1
    for fmt in ("html", "pdf"):
        if fmt in record.outputs:
            print(job.output / record.outputs[fmt])
    return 0


def _add_spec(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "spec",
        help="print the extract specification as Markdown",
        description="Print the tables, columns, keys and code lists the workbench expects.",
    )
    p.set_defaults(run=lambda args: print(_spec_markdown(), end="") or 0)


def _spec_markdown() -> str:
    from workbench.spec.document import specification_markdown

    return specification_markdown()


def _add_measures(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "measures",
        help="print the measure catalogue as Markdown",
        description=(
            "Print every measure: its definition, facts, breakdowns, aggregate tables and "
            "output columns with their roles and labels (docs/measure_catalogue.md)."
        ),
    )
    p.set_defaults(run=lambda args: print(_catalogue_markdown(), end="") or 0)


def _catalogue_markdown() -> str:
    from workbench.measures.document import catalogue_markdown

    return catalogue_markdown()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``workbench`` command."""
    parser = argparse.ArgumentParser(
        prog="workbench",
        description=(
            "Community health services workbench: synthetic CSDS-shaped extracts, ingest into "
            "a validated store. Run `workbench COMMAND --help` for each command."
        ),
    )
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _add_generate(sub)
    _add_ingest(sub)
    _add_purge(sub)
    _add_compute(sub)
    _add_export(sub)
    _add_measure(sub)
    _add_measures(sub)
    _add_report(sub)
    _add_spec(sub)
    for command in sub.choices.values():  # every command takes the logging options
        add_logging_arguments(command)
    return parser


def _what_is_current(err: BaseException, joiner: str) -> str:
    """What a failure after the store switched leaves current (empty before a switch)."""
    store = getattr(err, "switched", None)
    if store is None:
        return ""
    if not (Path(store) / VERSIONS).is_dir():  # an aggregates folder, not a store
        return f"{joiner}the output was replaced first: {store} holds the new aggregates"
    return (
        f"{joiner}the store was switched first: {store} holds this load's new version; the "
        "providers' feedback still missing is written by the next `workbench ingest` into it"
    )


def _folder_identity(folder: object) -> tuple[int, int] | None:
    """The device and inode of an output folder (None when there is none): a folder swapped
    into place (atomic.replace_folder) has a new one."""
    if not isinstance(folder, Path):
        return None
    try:
        found = folder.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _replaced_first(err: BaseException, args: argparse.Namespace) -> None:
    """Mark ``err`` when the command's output folder was swapped into place before it: the
    message then says the new output is current (compute's aggregates; ingest's store, whose
    own mark a signal handled in its clean-up would lose)."""
    out = getattr(args, "out", None) if args.command == "compute" else None
    before = getattr(args, "_output_before", None)
    if out is not None and _folder_identity(out) not in (before, None):
        err.switched = str(out)  # type: ignore[attr-defined]
    store = _store_of(args)
    if store is not None and _pointer(store) != getattr(args, "_pointer_before", None):
        err.switched = str(store.resolve())  # type: ignore[attr-defined]


def _store_of(args: argparse.Namespace) -> Path | None:
    """The store an ``ingest`` writes (None for other commands)."""
    if args.command != "ingest":
        return None
    return getattr(args, "into", None) or getattr(args, "out", None)


def _pointer(store: Path) -> str | None:
    """The version the store's pointer names (None: no store, or none readable)."""
    try:
        return read_pointer(store)
    except (OSError, ValueError, WorkbenchError):  # a damaged store: its own error says so
        return None


def _failure(err: BaseException, args: argparse.Namespace) -> tuple[int, str] | None:
    """The exit code and message for an error that ends a run, or None for one that is a
    fault in the workbench (left to show its traceback). A signal (even one an engine turned
    into its own error) gives 143 or 130; a disk or permission error of any library 6
    (:func:`workbench.errors.as_output_error`); a :class:`WorkbenchError` its own code."""
    _replaced_first(err, args)
    if isinstance(err, KeyboardInterrupt) or _received:
        term = isinstance(err, Terminated) or (_received and _received[-1] == signal.SIGTERM)
        what = "stopped (SIGTERM)" if term else "interrupted"
        return 143 if term else 130, what + (
            _what_is_current(err, "; ") or "; nothing was replaced"
        )
    target = getattr(args, "into", None) or getattr(args, "out", None) or "the output"
    failure = err if isinstance(err, WorkbenchError) else as_output_error(err, target)
    if failure is None:
        return None
    return failure.exit_code, f"{failure}{_what_is_current(err, chr(10))}"


def _quiet_unraisable(hook: sys.UnraisableHookArgs) -> None:
    """Log, never print, an error raised where nothing can catch it (a file writer closed
    while the disk is full, at exit): the run's own message already says what failed."""
    logging.getLogger("workbench.cli").debug("ignored: %r", hook.exc_value)


def main(argv: list[str] | None = None) -> int:
    """Run the command; user errors print a message (no traceback) and exit non-zero.

    Exit codes: :data:`workbench.errors.EXIT_CODES`. SIGTERM is handled like Ctrl-C (the work
    under way is abandoned and its leftovers removed) and exits 143, Ctrl-C 130, whatever the
    engine was doing; a disk full, read-only or forbidden folder exits 6 from any library.
    Every outcome is also logged (``--log-file``).
    """
    previous = {
        signal.SIGTERM: signal.signal(signal.SIGTERM, _terminated),
        signal.SIGINT: signal.signal(signal.SIGINT, _interrupted),
    }
    unraisable, sys.unraisablehook = sys.unraisablehook, _quiet_unraisable
    _received.clear()
    _finished.clear()
    stop_at_next_step(None)
    try:
        try:
            args = build_parser().parse_args(argv)
        except KeyboardInterrupt as err:  # stopped while reading the command line
            code, said = _failure(err, argparse.Namespace(command="")) or (130, "interrupted")
            print(f"workbench: {said}", file=sys.stderr)
            return code
        with interrupted_by_signals():
            return _run(args)
    finally:
        sys.unraisablehook = unraisable
        stop_at_next_step(None)
        if _started_as_the_command(previous):
            _hold_signals_until_exit()
        else:  # a program that called main keeps its own handlers
            for signum, handler in previous.items():
                signal.signal(signum, handler)


def _started_as_the_command(previous: dict) -> bool:
    """Whether this process is the ``workbench`` command (the package put its start-up
    handlers in before :func:`main` ran), not a program calling :func:`main`."""
    return any(handler is stopped_while_starting for handler in previous.values())


def _hold_signals_until_exit() -> None:
    """Ignore SIGTERM and SIGINT for the moments between the command's end and the process's:
    its work is done and its exit code and message stand (Python drops its own handlers while
    it shuts down, and a signal then would end the process as killed, as if nothing were done).
    Ignoring is process-wide, so a signal delivered to an engine's thread is ignored too."""
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, signal.SIG_IGN)


def _run(args: argparse.Namespace) -> int:
    """Run the parsed command; its failures become an exit code and a message (:func:`main`)."""
    log = logging.getLogger("workbench.cli")
    args._output_before = _folder_identity(getattr(args, "out", None))
    store = _store_of(args)
    args._pointer_before = _pointer(store) if store is not None else None
    try:
        configure_logging(args.log_file, args.log_level)
        log.info("workbench %s %s: started", __version__, args.command)
        code = args.run(args)
        _finished.append(True)
    except BaseException as err:
        try:
            failure = _failure(err, args)
        except KeyboardInterrupt:  # the signal's handler ran only now, the engine stopped
            failure = _failure(err, args)  # first (engine.py's watcher): the signal is known
        if failure is None:
            raise
        code, said = failure
        print(f"workbench {args.command}: {said}", file=sys.stderr)
        log.error("%s: %s (exit %d)", args.command, said, code, extra={SHOWN: True})
        return code
    log.info("workbench %s: finished (exit %d)", args.command, code)
    return code


if __name__ == "__main__":
    sys.exit(main())
