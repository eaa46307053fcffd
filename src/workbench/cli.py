"""The ``workbench`` command: generate synthetic submissions, ingest them, print the spec."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
from pathlib import Path

from workbench import __version__
from workbench.errors import WorkbenchError


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
            "per provider, one file per table per submission date. Deterministic: the same "
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
    p.add_argument("--format", choices=("csv", "parquet"), dest="file_format", help="file format")
    p.add_argument(
        "--clean",
        action="store_true",
        help="inject no data quality problems (default: realistic problems)",
    )
    p.add_argument(
        "--workers",
        type=_positive,
        default=1,
        help="processes to generate providers in parallel (default 1)",
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
            "loaded + superseded + rejected for every table, or the load fails. The previous "
            "store is replaced only when the new one is complete. Exit codes: 0 loaded, "
            "2 bad input, 3 identifiable data refused, 4 counts do not reconcile."
        ),
    )
    p.add_argument("source", type=Path, metavar="SRC", help="folder (or file) of submissions")
    p.add_argument("--out", type=Path, required=True, metavar="STORE", help="store folder")
    p.add_argument("--memory-limit", help="DuckDB memory limit, e.g. 8GB (default: DuckDB's)")
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    p.set_defaults(run=_run_ingest)


def _run_ingest(args: argparse.Namespace) -> int:
    from workbench.ingest import ingest
    from workbench.ingest.report import report_text

    report = ingest(args.source, args.out, progress=not args.quiet, memory_limit=args.memory_limit)
    if not args.quiet:
        print(report_text(report), end="")
    print(f"Store written to {args.out.resolve()}")
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


def _period(args: argparse.Namespace, store):
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
    p.add_argument("store", type=Path, metavar="STORE", help="store folder from `ingest`")
    p.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="AGGREGATES",
        help="folder to write the aggregates to",
    )
    _add_period(p)
    p.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=_run_compute)


def _run_compute(args: argparse.Namespace) -> int:
    from workbench import load_store
    from workbench.compute import compute

    store = load_store(args.store, engine=args.engine)
    manifest = compute(store, args.out, _period(args, store), progress=not args.quiet)
    print(
        f"Wrote {len(manifest['tables'])} aggregate tables for {manifest['period_start']} to "
        f"{manifest['period_end']} to {args.out.resolve()}"
    )
    return 0


MEASURES = {
    "dq": ("items", "ethnicity", "deprivation", "core20plus5", "clinical_areas", "dqmi", "rejects"),
    "waits": ("list", "completed", "removals", "movements"),
    "ucr": ("performance",),
    "outcomes": (
        "assessments",
        "contacts",
        "inpatients",
        "destinations",
        "follow_on",
        "inequality_rates",
        "inequality",
    ),
}


def _add_measure(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "measure",
        help="compute one measure from a store and write it as CSV",
        description=(
            "Compute one measure (MEASURES.md) from a store, broken down as asked, and write it "
            "as CSV. Choices of --what: "
            + "; ".join(f"{m}: {', '.join(w)}" for m, w in MEASURES.items())
            + ". Breakdowns: provider, icb, region, team_type, month, age_group, sex, "
            "ethnic_group, imd_quintile."
        ),
    )
    p.add_argument("measure", choices=sorted(MEASURES), help="measure family")
    p.add_argument("--store", type=Path, required=True, help="store folder from `ingest`")
    p.add_argument("--what", help="which table of the family (default: the first listed)")
    _add_period(p)
    p.add_argument("--by", default="", help="breakdowns, comma-separated, e.g. provider,month")
    p.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.csv", help="CSV to write")
    p.set_defaults(run=_run_measure)


def _run_measure(args: argparse.Namespace) -> int:
    from workbench import load_store
    from workbench.measures.catalogue import measure_function

    what = args.what or MEASURES[args.measure][0]
    if what not in MEASURES[args.measure]:
        raise WorkbenchError(
            f"--what {what!r} is not a {args.measure} measure; choose from: "
            f"{', '.join(MEASURES[args.measure])}"
        )
    store = load_store(args.store, engine=args.engine)
    frame = measure_function(args.measure, what)(store, _period(args, store), args.by)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(args.out, index=False)
    print(f"Wrote {len(frame):,} rows to {args.out.resolve()}")
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
    _add_compute(sub)
    _add_measure(sub)
    _add_spec(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command; user errors print a message (no traceback) and exit non-zero."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except WorkbenchError as err:
        print(f"workbench {args.command}: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print(f"workbench {args.command}: interrupted; nothing was replaced", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
