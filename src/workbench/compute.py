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
from workbench.measures.grouping_sets import SET_COLUMN, rows_in_group_order, unique_sets
from workbench.measures.registry import aggregate_tables
from workbench.pause import reached
from workbench.period import Period
from workbench.version import __version__

if TYPE_CHECKING:
    from workbench.store import Store


log = logging.getLogger(__name__)

#: The most months a table's rows by month cover (time charts; the headline stays on the period).
HISTORY_MONTHS = 24


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


def _grouped(
    store: Store,
    measure: Measure,
    period: Period,
    history: Period | None,
    sets: list[tuple[str, ...]],
) -> pd.DataFrame:
    """The measure's one-pass result for ``sets``: the sets by month over ``history`` (the
    months a time chart covers), the others over ``period``; ``SET_COLUMN`` indexes ``sets``."""
    monthly = [s for s in sets if "month" in s] if history and history != period else []
    parts = []
    for chosen, over in (([s for s in sets if s not in monthly], period), (monthly, history)):
        if not chosen or over is None:
            continue
        part = measure.grouped(store, over, chosen)
        where = np.array([sets.index(s) for s in chosen], dtype="int64")
        part[SET_COLUMN] = where[part[SET_COLUMN].to_numpy(dtype="int64")]
        parts.append(part)
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


def compute_table(
    store: Store,
    measure: Measure,
    table: AggregateTable,
    period: Period,
    history: Period | None = None,
) -> pd.DataFrame:
    """One aggregate table at every level and extra breakdown, from one call of the measure's
    one-pass function (two where ``history`` is given: its rows by month then cover the longer
    ``history``, up to 24 months for time charts, while every other row covers ``period``),
    stacked into one tidy frame with ``level``, ``org_code`` and ``breakdown``: for each (level,
    extra breakdown) in turn, the rows of its grouping set in breakdown order (months in order,
    as tables read). A level's own column becomes ``org_code``; breakdown columns outside a
    row's set are empty."""
    plan = table_sets(table)
    sets = unique_sets([s for _, _, s in plan])
    frame = _grouped(store, measure, period, history, sets).reset_index(drop=True)
    set_of_row = frame[SET_COLUMN].to_numpy()
    positions: list[np.ndarray] = []
    levels: list[np.ndarray] = []
    orgs: list[np.ndarray] = []
    breakdowns: list[np.ndarray] = []
    codes: dict[str, np.ndarray] = {}  # sort codes of whole columns, shared by every set
    values = {
        level: frame[level].to_numpy(dtype=object) for level in table.levels if level in frame
    }
    for level, extra, s in plan:
        rows = np.flatnonzero(set_of_row == sets.index(s))
        rows = rows_in_group_order(frame, rows, [k for k in s if k in frame], codes)
        positions.append(rows)
        levels.append(np.full(len(rows), level, dtype=object))
        orgs.append(
            np.full(len(rows), ENGLAND, dtype=object) if level == "england" else values[level][rows]
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
    """Write every aggregate table (or those named in ``only``) for ``period`` into ``out``;
    rows by month cover up to :data:`HISTORY_MONTHS` months ending with the period's last
    (:meth:`Period.history`: as many as the store holds), so a time chart has enough points
    for SPC while every other row, and so every headline, stays on ``period``.

    Returns the manifest. The folder is replaced only when every table is written.
    """
    period = period or Period.default_for(store.report)
    history = period.history(store.report, HISTORY_MONTHS)
    chosen = [(m, t) for m, t in aggregate_tables() if only is None or t.name in only]
    manifest: dict = {}

    def build(folder: Path) -> None:
        reached("compute:facts")
        build_facts(store, progress=progress)
        reached("compute:aggregates")
        write_table(folder, ORGANISATIONS, organisations(store))
        tables = {}
        for measure, table in tqdm(
            chosen, desc="computing", unit="table", disable=not progress_enabled(progress)
        ):
            log.info("computing %s", table.name)
            frame = compute_table(store, measure, table, period, history)
            write_table(folder, table.name, frame)
            tables[table.name] = len(frame)
            reached("compute:write")
        reached("compute:manifest")
        manifest.update(
            {
                "workbench_version": __version__,
                **period.to_dict(),
                "monthly_start": history.start.isoformat(),
                "store": str(Path(store.path).resolve()),
                "source_sha256": store.report.get("source_sha256"),
                "loaded_at": store.report.get("loaded_at"),
                "tables": tables,
            }
        )
        write_manifest(folder, manifest)

    replace_folder(Path(out), build, marker=MANIFEST)
    reached("compute:done")
    return manifest
