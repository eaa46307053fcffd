"""Writing small hand-made submission files for tests."""

from __future__ import annotations

import csv
from pathlib import Path

from workbench.spec import TABLES


def write_submission(
    folder: Path,
    table: str,
    provider: str,
    date: str,
    rows: list[dict],
    columns: list[str] | None = None,
) -> Path:
    """Write one CSV submission file ``<table>_<provider>_<date>.csv`` with spec columns."""
    columns = columns or list(TABLES[table].column_names)
    return write_rows(folder / provider / f"{table}_{provider}_{date}.csv", columns, rows)


def write_rows(path: Path, columns: list[str], rows: list[dict]) -> Path:
    """Write ``rows`` to the CSV file ``path`` under a header of ``columns`` (a column a row
    lacks is left empty)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})
    return path


def person(pid: str, **kw) -> dict:
    return {
        "person_id": pid,
        "provider_code": "RXA",
        "age_years": "70",
        "gender": "2",
        "ethnic_category": "A",
        "lsoa_2011": "E01000001",
        "postcode_district": "SE15",
        "gp_practice_code": "G85001",
        **kw,
    }


def referral(rid: str, pid: str, **kw) -> dict:
    return {
        "referral_id": rid,
        "person_id": pid,
        "provider_code": "RXA",
        "referral_received_date": "2025-01-10",
        "referral_received_time": "09:30:00",
        "source_of_referral": "01",
        "priority_type": "1",
        "primary_referral_reason": "02",
        "team_type": "A07",
        "age_at_referral": "70",
        **kw,
    }


def contact(cid: str, rid: str, **kw) -> dict:
    return {
        "contact_id": cid,
        "referral_id": rid,
        "provider_code": "RXA",
        "contact_date": "2025-01-20",
        "contact_time": "10:00:00",
        "attendance_status": "5",
        "consultation_mechanism": "01",
        "contact_duration_minutes": "30",
        "activity_location_type": "L03",
        **kw,
    }


def clock(rid: str, **kw) -> dict:
    return {
        "referral_id": rid,
        "provider_code": "RXA",
        "measurement_type": "05",
        "clock_start_date": "2025-01-10",
        "clock_start_time": "09:00:00",
        "clock_end_date": "2025-01-10",
        "clock_end_time": "10:00:00",
        **kw,
    }


def make_store(folder: Path, date: str = "20260101", **tables: list[dict]) -> Path:
    """Ingest one submission of the given tables (mpi defaults to persons of the referrals)."""
    from workbench.ingest import ingest

    src = folder / "src"
    for table, rows in tables.items():
        write_submission(src, table, "RXA", date, rows)
    ingest(src, folder / "store", progress=False)
    return folder / "store"
