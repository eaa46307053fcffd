"""Facts kept by the load: a load writes its new store version's facts from the previous
version's, updated only for the persons it touched, so compute never rebuilds them whole.

Every fact's rows each belong to one person: a row with ``person_id`` to that person (at any
provider: acute admissions and Client Level Data link on the person alone), a row keyed by a
referral (``provider_code, referral_id``) to the referral's person. The persons a load touches
are the ``person_id`` of every row it inserts, supersedes or displaces in any table, a row
without ``person_id`` through its parent (ingest/load.py ``touched_persons``). For each fact the
previous version had built (its facts manifest stamped for that version, facts/cache.py), the
new version's fact is

    the previous fact's rows of persons the load did not touch
    UNION ALL
    the fact built by its own builder from the new version restricted to the touched persons

The restricted version (:class:`TouchedStore`) gives each table semi-joined to the touched
persons: on ``person_id`` where the table has it (with the rows that have none, which belong to
nobody and are rebuilt by every load), else (a table keyed by a referral) to the
referrals of touched persons. A referral's person changes only in a load that touches the
referral, and then both persons are touched, so the rows removed and the rows rebuilt are the
same referrals'. A fact built whole from the new version instead: one whose rows read other
persons' rows (``Fact.by_person`` false), one whose builder reads what the restricted version
cannot restrict, or every fact when the load cannot say which persons it touched. A fact the
previous version had not built (or built before one it needs) is left for compute, as is every
fact when the previous version's facts were not built from it.

Each fact of the catalogue reads only its own person's rows and reference data: ``persons``
(the MPI row), ``referral_breakdowns``, ``pathways``, ``contact_counts`` and
``assessment_pairs`` (a referral, its own contacts, diagnoses and assessments, and its person's
MPI row), ``person_months`` (the person's referrals and their contacts), ``spells`` (a
readmission is a later spell of the same person at the same provider) and ``ucr_clocks`` (the
follow-on admissions are the same person's, at any acute provider).

The facts are written into the new version's folder with its manifest stamped for the new
version (facts/cache.py ``stamp_of``) before the load switches the store to it, so a load
stopped on the way leaves the previous version and its facts whole.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis.expr.types as ir
import pyarrow as pa

from workbench.engine import connect
from workbench.facts.cache import read_manifest, stamp_of, write_manifest
from workbench.facts.catalogue import FACTS
from workbench.store import Store
from workbench.store_layout import FACTS_FOLDER, REPORT_JSON

log = logging.getLogger(__name__)

PERSON = "person_id"
REFERRAL = ["provider_code", "referral_id"]


@dataclass(frozen=True)
class Touched:
    """The persons a load touched (``person_id``) and their referrals in the new version
    (``provider_code, referral_id``), as tables on the version's engine."""

    persons: ir.Table
    referrals: ir.Table


def build_order() -> list[str]:
    """Every fact by name, each after the facts it needs."""
    order: list[str] = []

    def visit(name: str) -> None:
        if name not in order:
            for need in FACTS[name].needs:
                visit(need)
            order.append(name)

    for name in FACTS:
        visit(name)
    return order


def kept_facts(previous: Path) -> list[str]:
    """The facts of the version ``previous`` that a load carries forward, in build order:
    those its facts manifest lists, built from that version (stamped for its load report),
    whose file is there and whose needs are carried too."""
    folder = previous / FACTS_FOLDER
    try:
        report = json.loads((previous / REPORT_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    manifest, stamp = read_manifest(folder), stamp_of(report)
    if {k: manifest.get(k) for k in stamp} != stamp:
        return []
    listed = set(manifest.get("facts", []))
    kept: list[str] = []
    for name in build_order():
        needs = all(need in kept for need in FACTS[name].needs)
        if name in listed and needs and (folder / f"{name}.parquet").exists():
            kept.append(name)
    return kept


def version_store(version: Path, report: dict) -> Store:
    """The store version being built in ``version`` (its load report ``report``, not yet
    written) on DuckDB: every table's live rows."""
    store = Store(path=version, con=connect("duckdb"), report=report)
    store.read_every_table()
    return store


class TouchedStore(Store):
    """A store version restricted to the touched persons: ``store[name]`` is the table's live
    rows of those persons (see the module docstring), kept as a temporary table the first time
    it is asked for (a day's persons hold few rows, and several facts read each table); a
    table that cannot be restricted, and the rejected and superseded rows, raise KeyError (the
    fact is then built whole). ``touched``: the persons and their referrals."""

    def __init__(self, store: Store, touched: Touched):
        super().__init__(path=store.path, con=store.con, report=store.report)
        self._derived = store._derived  # reference data registered once, shared
        self.touched = touched
        self._whole = store.tables

    def holds(self, name: str) -> bool:
        return name in self._whole

    def __getitem__(self, name: str) -> ir.Table:
        if name not in self.tables:
            table = self._whole[name]
            theirs = touched_rows(table, self.touched)
            if theirs is None:
                raise KeyError(f"{name} has neither {PERSON} nor a referral")
            self.tables[name] = self.con.create_table(
                f"restricted_{name}_{self.tag}", theirs.select(*table.columns), temp=True
            )
        return self.tables[name]

    def _read(self, kind: str, name: str) -> ir.Table:
        raise KeyError(f"the {kind} rows of {name} are not restricted to the touched persons")


def touched_tables(store: Store, persons: pa.Array) -> Touched:
    """``persons`` and the new version's referrals of those persons, as temporary tables."""
    con = store.con
    people = con.create_table(
        f"touched_persons_{store.tag}",
        pa.table({PERSON: persons.cast(pa.string())}),
        temp=True,
        overwrite=True,
    )
    referrals = store["referrals"]
    theirs = referrals.semi_join(people, PERSON).select(*REFERRAL).distinct()
    refs = con.create_table(f"touched_referrals_{store.tag}", theirs, temp=True, overwrite=True)
    return Touched(people, refs)


def touched_rows(table: ir.Table, touched: Touched) -> ir.Table | None:
    """The rows of ``table`` (a store table or a fact) of the touched persons: by
    ``person_id``, with the rows that have none (nobody's, so rebuilt by every load), else by
    referral (None: its rows carry neither)."""
    if PERSON in table.columns:
        return table.semi_join(touched.persons, PERSON).union(table.filter(table[PERSON].isnull()))
    if set(REFERRAL) <= set(table.columns):
        return table.semi_join(touched.referrals, REFERRAL)
    return None


def not_touched(previous: ir.Table, touched: Touched) -> ir.Table | None:
    """The rows of a previous fact whose person the load did not touch (None: the fact's rows
    carry neither a person nor a referral). A row with no person (a social care event sent
    without an NHS number) is nobody's, so it is never kept: the restricted version rebuilds
    every such row."""
    if PERSON in previous.columns:
        return previous.filter(previous[PERSON].notnull()).anti_join(touched.persons, PERSON)
    if set(REFERRAL) <= set(previous.columns):
        return previous.anti_join(touched.referrals, REFERRAL)
    return None


def updated_fact(
    store: Store,
    name: str,
    previous: Path,
    touched: TouchedStore | None,
    facts: Callable[[str], ir.Table],
) -> ir.Table:
    """The fact ``name`` of the new version ``store``: the previous fact (``previous``: its
    file, or its folder of part files when Spark built it) updated for the persons of
    ``touched`` (the version restricted to them; None: every person), or built whole (see the
    module docstring)."""
    fact = FACTS[name]
    if touched is None or not fact.by_person:
        return fact.build(store, facts)
    files = previous / "*.parquet" if previous.is_dir() else previous  # Spark's part files
    before = store.con.read_parquet(str(files), table_name=f"previous_{name}_{store.tag}")
    kept = not_touched(before, touched.touched)
    try:
        fresh = fact.build(touched, facts)
    except KeyError as err:
        log.info("the %s fact is built whole: %s", name, err)
        return fact.build(store, facts)
    if kept is None or set(fresh.columns) != set(before.columns):
        log.info("the %s fact is built whole: its rows cannot be told by person", name)
        return fact.build(store, facts)
    # a fact built from another fact (not from the restricted tables) holds every person's
    # rows: only the touched persons' are new
    only_touched = touched_rows(fresh, touched.touched)
    fresh = fresh if only_touched is None else only_touched
    schema = before.schema()
    fresh = fresh.select(*[fresh[c].cast(schema[c]).name(c) for c in before.columns])
    return kept.union(fresh)


def _write(store: Store, expr: ir.Table, folder: Path, name: str) -> ir.Table:
    """Write ``expr`` as the fact ``name`` into ``folder`` (under a temporary name, then
    renamed) and return it read back from there."""
    path = folder / f"{name}.parquet"
    temp = folder / f".{name}.{os.getpid()}.parquet"
    store.con.to_parquet(expr, str(temp))
    if path.is_dir():
        shutil.rmtree(path)
    os.replace(temp, path)
    return store.con.read_parquet(str(path), table_name=f"fact_{name}_{store.tag}")


def carry_facts(version: Path, previous: Path, report: dict, persons: pa.Array | None) -> list[str]:
    """Write into the store version being built in ``version`` (its load report ``report``)
    every fact the previous version ``previous`` kept (:func:`kept_facts`), updated for the
    persons the load touched (``persons``: their ``person_id``; None: every person), with the
    facts manifest stamped for the new version. Returns the facts written (none: compute
    builds them as it needs them)."""
    names = kept_facts(previous)
    if not names:
        return []
    folder = version / FACTS_FOLDER
    folder.mkdir()
    store = version_store(version, report)
    written: dict[str, ir.Table] = {}
    try:
        touched = None if persons is None else TouchedStore(store, touched_tables(store, persons))
        for name in names:
            old = previous / FACTS_FOLDER / f"{name}.parquet"
            expr = updated_fact(store, name, old, touched, written.__getitem__)
            written[name] = _write(store, expr, folder, name)
            log.info("kept the %s fact for the new version", name)
    finally:
        store.con.disconnect()
    manifest: dict[str, Any] = {**stamp_of(report), "facts": sorted(written)}
    write_manifest(folder, manifest)
    return sorted(written)
