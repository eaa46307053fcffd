"""The hand-made extract of hand_extract.py written as submission files (CSDS per provider, the
acute extract per acute provider, CLD per council) and ingested into a store, so the registry
can be run on exactly the cases worked by hand.

Names become valid ones: providers PA, PB -> RXA, RXB; acute providers AC1, AC2 -> RAA, RAB;
councils LA1, LA2 -> E08000025, E09000022; pseudonyms p1..p9 -> "P" and 16 letters; LSOA L1 ->
a London LSOA (region Y56), L2 -> a Midlands one (Y60), anything else -> none.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from hand_extract import hand_tables

from submission_files import clock, contact, person, referral, write_rows, write_submission
from workbench.ingest import ingest
from workbench.spec.cld import CLD_EVENTS

SUBMITTED = "20250930"
PROVIDERS = {"PA": "RXA", "PB": "RXB", "AC1": "RAA", "AC2": "RAB"}
COUNCILS = {"LA1": "E08000025", "LA2": "E09000022"}
LSOAS = {"L1": "E01000559", "L2": "E01014210"}


def pseudonym(person_id: str | None) -> str:
    """``p1`` -> ``PAAAAAAAAAAAAAAAA`` (CLD's pseudonym pattern); None -> ""."""
    if person_id is None or pd.isna(person_id):
        return ""
    return "P" + "ABCDEFGHIJ"[int(person_id[1:])] * 16


def _text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as text, with the valid names of providers, people and LSOAs."""
    out = []
    for row in frame.to_dict("records"):
        row = {k: _text(v) for k, v in row.items()}
        if "provider_code" in row:
            row["provider_code"] = PROVIDERS[row["provider_code"]]
        if "person_id" in row:
            row["person_id"] = pseudonym(row["person_id"] or None)
        if "lsoa_2011" in row:
            row["lsoa_2011"] = LSOAS.get(row["lsoa_2011"], "")
        out.append(row)
    return out


def _valid(name: str, row: dict) -> dict:
    """A hand-made row over the submission_files helper's valid row of its table."""
    if name == "mpi":
        return {**person(row["person_id"]), **row}
    if name == "referrals":
        return {**referral(row["referral_id"], row["person_id"]), **row}
    if name == "care_contacts":
        return {**contact(row["contact_id"], row["referral_id"]), **row}
    if name == "rtt_clocks":
        return {**clock(row["referral_id"]), **row}
    return row


def _community(src: Path, tables: dict[str, pd.DataFrame]) -> None:
    """The CSDS tables and the acute admissions, one submission per provider."""
    for name in ("mpi", "referrals", "care_contacts", "rtt_clocks", "inpatient_spells"):
        _by_provider(src, name, [_valid(name, row) for row in _records(tables[name])])
    _by_provider(src, "acute_admissions", _records(tables["acute_admissions"]))


def _by_provider(src: Path, name: str, rows: list[dict]) -> None:
    for provider in sorted({row["provider_code"] for row in rows}):
        mine = [row for row in rows if row["provider_code"] == provider]
        write_submission(src, name, provider, SUBMITTED, mine)


def _cld(src: Path, cld: pd.DataFrame) -> None:
    """Each council's CLD rows, one file per submission date."""
    rows = _records(cld)
    for row in rows:
        row.update(
            la_code=COUNCILS[row["la_code"]],
            reporting_period_start_date="2024-10-01",
            reporting_period_end_date="2025-06-30",
            gender="Female",
            client_type="Service user",
            primary_support_reason="Physical support: Personal care support",
            event_outcome="",
        )
    for council in sorted({row["la_code"] for row in rows}):
        for date in sorted({row["submission_date"] for row in rows}):
            mine = [r for r in rows if r["la_code"] == council and r["submission_date"] == date]
            if mine:
                path = src / council / f"cld_{council}_{date.replace('-', '')}.csv"
                write_rows(path, list(CLD_EVENTS.column_names), mine)


def hand_store(folder: Path) -> Path:
    """Write the hand-made extract as submission files under ``folder`` and ingest them; the
    store's path. Columns the specification of this tree lacks (an acute discharge date, before
    it is in the extract) are left out by the writer."""
    tables = hand_tables()
    _community(folder / "src", tables)
    _cld(folder / "src", tables["cld_events"])
    ingest(folder / "src", folder / "store", progress=False)
    return folder / "store"
