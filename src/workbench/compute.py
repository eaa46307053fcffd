"""The compute step: every measure once, for every organisation and level, into small tables.

A batch of reports reads these aggregates instead of repeating record-level work. Each
aggregate is computed directly at each level (provider, ICB of residence, NHS region of
residence, England) so percentiles are exact at every level: medians are never averaged.

Output folder: one Parquet file per aggregate, each row carrying ``level`` (provider, icb,
region, england), ``org_code`` (the provider, ICB or region code; ``ENG`` for England) and
``breakdown`` (the extra breakdown, or ``none``), plus ``manifest.json`` with the period, the
store's source checksum and the package version.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from workbench import __version__
from workbench.atomic import replace_folder
from workbench.measures.catalogue import measure_function
from workbench.measures.grouping import with_person_breakdowns
from workbench.period import Period, month_ends

LEVELS = ("provider", "icb", "region", "england")
MANIFEST = "manifest.json"
ENGLAND = "ENG"
REFERRAL_EXTRAS = (("team_type",), ("age_group",), ("sex",), ("ethnic_group",), ("imd_quintile",))
PERSON_EXTRAS = (("age_group",), ("sex",), ("ethnic_group",), ("imd_quintile",))


@dataclass(frozen=True)
class Aggregate:
    """One aggregate table: the catalogue measure it runs, the extra breakdowns added to the
    level, the levels it is computed at, and whether it repeats for every month of the period
    (``census``: at each month end; ``month``: over each calendar month)."""

    name: str
    family: str
    what: str
    extras: tuple[tuple[str, ...], ...] = ()
    levels: tuple[str, ...] = LEVELS
    repeat: str | None = None

    def run(self, store, period: Period, by: list[str]) -> pd.DataFrame:
        fn = measure_function(self.family, self.what)
        if self.repeat is None:
            return fn(store, period, by)
        frames = []
        for end in month_ends(period.start, period.end):
            start = max(end.replace(day=1), period.start)
            frame = fn(store, Period(start, end, end), by)
            if self.repeat == "month":
                frame.insert(0, "month", end.strftime("%Y-%m"))
            frames.append(frame)
        return pd.concat(frames, ignore_index=True)


AGGREGATES: tuple[Aggregate, ...] = (
    Aggregate("waiting_list", "waits", "list", REFERRAL_EXTRAS),
    Aggregate("waiting_list_monthly", "waits", "list", repeat="census"),
    Aggregate("completed_waits", "waits", "completed", (("month",), *REFERRAL_EXTRAS)),
    Aggregate("removals", "waits", "removals"),
    Aggregate("list_movements", "waits", "movements"),
    Aggregate("ucr_performance", "ucr", "performance", (("month",), *REFERRAL_EXTRAS[1:])),
    Aggregate("ethnicity_quality", "dq", "ethnicity", PERSON_EXTRAS[:2]),
    Aggregate("ethnicity_quality_monthly", "dq", "ethnicity", repeat="month"),
    Aggregate("deprivation_quality", "dq", "deprivation", PERSON_EXTRAS[:3]),
    Aggregate("deprivation_quality_monthly", "dq", "deprivation", repeat="month"),
    Aggregate("core20plus5_readiness", "dq", "core20plus5"),
    Aggregate("clinical_area_coding", "dq", "clinical_areas"),
    Aggregate("item_quality", "dq", "items", levels=("provider", "england")),
    Aggregate("dqmi", "dq", "dqmi", levels=("provider",)),
    Aggregate("rejects", "dq", "rejects", levels=("provider",)),
    Aggregate("paired_assessments", "outcomes", "assessments", REFERRAL_EXTRAS[1:]),
    Aggregate("contact_outcomes", "outcomes", "contacts", (("month",), *REFERRAL_EXTRAS)),
    Aggregate("inpatient_stays", "outcomes", "inpatients", (("month",), *PERSON_EXTRAS)),
    Aggregate("discharge_destinations", "outcomes", "destinations"),
    Aggregate("ucr_follow_on", "outcomes", "follow_on", (("month",), *REFERRAL_EXTRAS[1:])),
    Aggregate("inequality_rates", "outcomes", "inequality_rates", levels=("england",)),
    Aggregate("inequality", "outcomes", "inequality", levels=("england",)),
)


def organisations(store) -> pd.DataFrame:
    """Every provider with its home ICB and region (where most of its persons live) and its
    number of persons: how provider-level tables roll up in ICB and region reports."""
    persons = with_person_breakdowns(store["mpi"], ["provider", "icb", "region"], store)
    counts = persons.group_by(["provider", "icb", "region"]).aggregate(persons=persons.count())
    frame = counts.to_pandas().sort_values(
        ["provider", "persons", "icb"], ascending=[True, False, True]
    )
    home = frame.drop_duplicates("provider")[["provider", "icb", "region"]]
    totals = frame.groupby("provider", as_index=False)["persons"].sum()
    return home.merge(totals, on="provider").reset_index(drop=True)


def compute_one(store, aggregate: Aggregate, period: Period) -> pd.DataFrame:
    """One aggregate at every level and extra breakdown, stacked into one tidy frame."""
    frames = []
    for level in aggregate.levels:
        base = [] if level == "england" else [level]
        for extra in ((), *aggregate.extras):
            frame = aggregate.run(store, period, [*base, *extra])
            frame = frame.copy()
            org = frame.pop(level) if level in frame and level != "england" else ENGLAND
            frame.insert(0, "org_code", org)
            frame.insert(0, "level", level)
            frame.insert(2, "breakdown", ",".join(extra) or "none")
            frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def compute(
    store,
    out: str | Path,
    period: Period | None = None,
    progress: bool = True,
    only: list[str] | None = None,
) -> dict:
    """Write every aggregate (or those named in ``only``) for ``period`` into ``out``.

    Returns the manifest. The folder is replaced only when every table is written.
    """
    period = period or Period.default_for(store.report)
    chosen = [a for a in AGGREGATES if only is None or a.name in only]
    manifest: dict = {}

    def build(folder: Path) -> None:
        organisations(store).to_parquet(folder / "organisations.parquet", index=False)
        tables = {}
        for aggregate in tqdm(chosen, desc="computing", unit="table", disable=not progress):
            frame = compute_one(store, aggregate, period)
            frame.to_parquet(folder / f"{aggregate.name}.parquet", index=False)
            tables[aggregate.name] = len(frame)
        manifest.update(
            {
                "workbench_version": __version__,
                **period.to_dict(),
                "store": str(Path(store.path).resolve()),
                "source_sha256": store.report.get("source_sha256"),
                "loaded_at": store.report.get("loaded_at"),
                "tables": tables,
            }
        )
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")

    replace_folder(Path(out), build, marker=MANIFEST)
    return manifest
