"""The compute step: every aggregate table of the measure registry, for every organisation and
level, each in one pass over its facts.

Record-level work happens once per store version (:mod:`workbench.facts`); each aggregate table
(:func:`workbench.measures.registry.aggregate_tables`) is then one query that groups its facts by
every level (provider, ICB of residence, NHS region of residence, England) and extra breakdown
at once (:mod:`workbench.measures.grouping_sets`), so percentiles are exact at every level:
England, regions and ICBs are never built by averaging. The folder's layout is owned by
:mod:`workbench.aggregates_folder`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from tqdm import tqdm

from workbench.aggregates_folder import (
    ENGLAND,
    MANIFEST,
    ORGANISATIONS,
    breakdown_name,
    write_manifest,
    write_table,
)
from workbench.atomic import replace_folder
from workbench.facts import build_facts, fact_table
from workbench.logs import progress_enabled
from workbench.measures.declare import AggregateTable, Measure
from workbench.measures.grouping_sets import SET_COLUMN, group_order, unique_sets
from workbench.measures.registry import aggregate_tables
from workbench.period import Period
from workbench.version import __version__

if TYPE_CHECKING:
    from workbench.store import Store


log = logging.getLogger(__name__)


def organisations(store: Store) -> pd.DataFrame:
    """Every provider with its home ICB and region (where most of its persons live) and its
    number of persons: how provider-level tables roll up in ICB and region reports."""
    persons = fact_table(store, "persons")
    counts = persons.group_by(["provider", "icb", "region"]).aggregate(persons=persons.count())
    frame = counts.to_pandas().sort_values(
        ["provider", "persons", "icb"], ascending=[True, False, True]
    )
    home = frame.drop_duplicates("provider")[["provider", "icb", "region"]]
    totals = frame.groupby("provider", as_index=False)["persons"].sum()
    return home.merge(totals, on="provider").reset_index(drop=True)


def table_sets(table: AggregateTable) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """``(level, extra, grouping set)`` for every level and extra breakdown of ``table``."""
    out = []
    month = ("month",) if table.repeat == "month" else ()
    for level in table.levels:
        base = () if level == "england" else (level,)
        for extra in ((), *table.extras):
            out.append((level, extra, (*base, *extra, *month)))
    return out


def compute_table(
    store: Store, measure: Measure, table: AggregateTable, period: Period
) -> pd.DataFrame:
    """One aggregate table at every level and extra breakdown, from one call of the measure's
    one-pass function, stacked into one tidy frame with ``level``, ``org_code`` and
    ``breakdown``: for each (level, extra breakdown) in turn, the rows of its grouping set in
    breakdown order (months in order, as tables read). A level's own column becomes
    ``org_code``; breakdown columns outside a row's set are empty."""
    plan = table_sets(table)
    sets = unique_sets([s for _, _, s in plan])
    frame = measure.grouped(store, period, sets).reset_index(drop=True)
    set_of_row = frame[SET_COLUMN].to_numpy()
    positions: list[np.ndarray] = []
    levels: list[np.ndarray] = []
    orgs: list[np.ndarray] = []
    breakdowns: list[np.ndarray] = []
    for level, extra, s in plan:
        rows = np.flatnonzero(set_of_row == sets.index(s))
        rows = rows[group_order(frame.take(rows), [k for k in s if k in frame])]
        positions.append(rows)
        levels.append(np.full(len(rows), level, dtype=object))
        orgs.append(
            np.full(len(rows), ENGLAND, dtype=object)
            if level == "england"
            else frame[level].to_numpy(dtype=object)[rows]
        )
        breakdowns.append(np.full(len(rows), breakdown_name(extra), dtype=object))
    keys = list(dict.fromkeys(k for s in sets for k in s))
    kept = [  # a breakdown column stays where some set holds it other than as its level
        k for k in keys if any(k in s and k != level for level, _, s in plan) and k in frame
    ]
    out = frame.drop(columns=[SET_COLUMN, *[k for k in keys if k not in kept and k in frame]])
    out = out.take(np.concatenate(positions) if positions else []).reset_index(drop=True)
    level_of_row = _text(levels)
    for column in kept:  # on a level's own rows its column is the org_code, not a breakdown
        out.loc[(level_of_row == column).to_numpy(), column] = None
    out.insert(0, "breakdown", _text(breakdowns))
    out.insert(0, "org_code", _text(orgs))
    out.insert(0, "level", level_of_row)
    return out


def _text(parts: list[np.ndarray]) -> pd.Series:
    return pd.Series(np.concatenate(parts) if parts else [], dtype="str")


def compute(
    store: Store,
    out: str | Path,
    period: Period | None = None,
    progress: bool = True,
    only: list[str] | None = None,
) -> dict:
    """Write every aggregate table (or those named in ``only``) for ``period`` into ``out``.

    Returns the manifest. The folder is replaced only when every table is written.
    """
    period = period or Period.default_for(store.report)
    chosen = [(m, t) for m, t in aggregate_tables() if only is None or t.name in only]
    manifest: dict = {}

    def build(folder: Path) -> None:
        build_facts(store, progress=progress)
        write_table(folder, ORGANISATIONS, organisations(store))
        tables = {}
        for measure, table in tqdm(
            chosen, desc="computing", unit="table", disable=not progress_enabled(progress)
        ):
            log.info("computing %s", table.name)
            frame = compute_table(store, measure, table, period)
            write_table(folder, table.name, frame)
            tables[table.name] = len(frame)
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
        write_manifest(folder, manifest)

    replace_folder(Path(out), build, marker=MANIFEST)
    return manifest
