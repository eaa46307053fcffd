"""Adult social care Client Level Data through ingest (measures.md section 1, issue 23): a
council's quarterly CLD files pass the same guard, validation, versions, reconciliation,
quarantine and feedback as CSDS; the guard lets through exactly the year and month of birth
the CLD specification declares, and nothing else about birth."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from submission_files import person, write_rows, write_submission
from workbench.errors import IdentifiableDataError
from workbench.identifiers import count_birth_dates
from workbench.ingest import ingest
from workbench.ingest.export import export_store
from workbench.ingest.feedback import default_feedback_folder
from workbench.ingest.history import reject_reasons, store_totals
from workbench.ingest.purge import purge
from workbench.spec import EXTRACT_TABLES
from workbench.spec.cld import CLD_EVENTS
from workbench.store_layout import (
    HISTORY_JSON,
    KINDS,
    LOCK,
    MANIFEST,
    REPORT_JSON,
    current_version,
    empty_rows_sql,
    holds_table,
    live_row_count,
    live_rows_sql,
    read_rows,
)

LA = "E08000001"
OTHER_LA = "E09000002"
LOAD_DATE = dt.date(2025, 8, 1)


def cld_event(reference: str, **kw: str) -> dict:
    """One CLD row: a long-term service of a linked person, valid under the specification."""
    return {
        "la_code": LA,
        "reporting_period_start_date": "2024-04-01",
        "reporting_period_end_date": "2025-03-31",
        "person_id": "PABCDEFGHIJKLMNOP",
        "birth_year": "1941",
        "birth_month": "3",
        "gender": "Female",
        "ethnicity": "White: Irish",
        "lsoa_2011": "E01000001",
        "date_of_death": "",
        "client_type": "Service User",
        "primary_support_reason": "Physical Support: Personal Care Support",
        "event_type": "Service",
        "event_reference": reference,
        "event_start_date": "2024-06-01",
        "event_end_date": "",
        "event_outcome": "",
        "service_type": "Long Term Support: Community",
        "service_component": "Home Support",
        "delivery_mechanism": "CASSR Managed Personal Budget",
        "unit_cost": "25.5",
        "cost_frequency": "Weekly",
        **kw,
    }


def write_cld(
    folder: Path, la: str, date: str, rows: list[dict], columns: list[str] | None = None
) -> Path:
    """Write one CLD file ``cld_<la>_<date>.csv`` in the council's folder."""
    columns = columns or list(CLD_EVENTS.column_names)
    return write_rows(folder / la / f"cld_{la}_{date}.csv", columns, rows)


def _cld_quarters(src: Path) -> None:
    """Two quarterly files of one council: E1 sent twice (the later wins), E2 once, E3 with
    another council's code in its row (rejected), E4 with an impossible date (rejected)."""
    write_cld(src, LA, "20250401", [cld_event("E1"), cld_event("E2")])
    write_cld(
        src,
        LA,
        "20250701",
        [
            cld_event("E1", event_end_date="2025-03-01", event_outcome="NFA - Moved to another LA"),
            cld_event("E3", la_code=OTHER_LA),
            cld_event("E4", event_start_date="1899-12-31"),
        ],
    )


def test_cld_files_load_with_the_latest_version_winning_and_reconcile(tmp_path):
    src, store = tmp_path / "src", tmp_path / "store"
    write_submission(src, "mpi", "RXA", "20250201", [person("P1")])
    _cld_quarters(src)
    report = ingest(src, store, progress=False, load_date=LOAD_DATE, write_feedback_reports=False)
    t = report["tables"]["cld_events"]
    assert (t["read"], t["loaded"], t["superseded"], t["rejected"]) == (5, 2, 1, 2)
    assert t["read"] == t["loaded"] + t["superseded"] + t["rejected"] and t["reconciled"]
    rows = read_rows(store, "tables", "cld_events").to_pandas().set_index("event_reference")
    assert rows.loc["E1", "event_end_date"] == dt.date(2025, 3, 1)
    assert rows.loc["E1", "birth_year"] == 1941 and rows.loc["E1", "birth_month"] == 3
    reasons = t["reject_reasons"]
    assert reasons["la_code: differs from the council in the file name"] == 1
    assert reasons["event_start_date: impossible date, before 1900-01-01"] == 1
    history = json.loads((current_version(store) / HISTORY_JSON).read_text())
    cld = history[-1]["tables"]["cld_events"]
    assert cld["read"] == cld["loaded"] + cld["superseded"] + cld["rejected"] == 5
    text = (current_version(store) / "load_report.txt").read_text()
    assert "from 1 provider(s) and 1 council(s)" in text


def test_a_cld_file_named_with_no_council_code_is_quarantined(tmp_path):
    src, store = tmp_path / "src", tmp_path / "store"
    write_cld(src, LA, "20250401", [cld_event("E1")])
    write_cld(src, "RXA", "20250401", [cld_event("E9", la_code="RXA")])
    report = ingest(src, store, progress=False, load_date=LOAD_DATE, write_feedback_reports=False)
    (q,) = report["quarantined"]
    assert q["path"].endswith("cld_RXA_20250401.csv") and q["table"] == "cld_events"
    assert "'RXA' in the name is not a council code" in q["reasons"][0]
    assert report["tables"]["cld_events"]["loaded"] == 1


@pytest.mark.parametrize(
    "column", ["date_of_birth", "birth_date", "person_birth_year", "dob", "yob"]
)
def test_cld_files_still_refuse_every_other_birth_column(tmp_path, column):
    src = tmp_path / "src"
    write_cld(src, LA, "20250401", [cld_event("E1")], [*CLD_EVENTS.column_names, column])
    with pytest.raises(IdentifiableDataError, match=f"'{column}': looks like a date of birth"):
        ingest(src, tmp_path / "store", progress=False, load_date=LOAD_DATE)
    assert not (tmp_path / "store").exists()


def test_a_csds_table_may_not_carry_the_year_of_birth(tmp_path):
    """The allowance is per table: the CSDS MPI does not declare a year of birth."""
    src = tmp_path / "src"
    columns = [*EXTRACT_TABLES["mpi"].column_names, "birth_year"]
    write_submission(src, "mpi", "RXA", "20250201", [person("P1", birth_year="1941")], columns)
    with pytest.raises(IdentifiableDataError, match="'birth_year': looks like a date of birth"):
        ingest(src, tmp_path / "store", progress=False, load_date=LOAD_DATE)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("birth_year", "1941-03-12"),
        ("birth_year", "12/03/1941"),
        ("birth_year", "19410312"),
        ("birth_month", "1941-03-12"),
        ("birth_month", "13"),
        ("birth_month", "03/1941"),
    ],
)
def test_a_full_date_in_the_year_or_month_of_birth_stops_the_load(tmp_path, column, value):
    src = tmp_path / "src"
    write_cld(src, LA, "20250401", [cld_event("E1"), cld_event("E2", **{column: value})])
    with pytest.raises(IdentifiableDataError) as err:
        ingest(src, tmp_path / "store", progress=False, load_date=LOAD_DATE)
    message = str(err.value)
    assert f"column '{column}': 1 row(s) are not" in message and "full date of birth" in message
    assert value not in message
    store = tmp_path / "store"
    assert not store.exists() or [p.name for p in store.iterdir()] == [LOCK]


def test_the_birth_guard_counts_only_what_is_not_a_bare_year_or_month():
    years = pa.array(["1941", " 1941 ", None, "", "unknown", "1941-03-12", "194103", "41"])
    assert count_birth_dates(years, "year") == 3
    months = pa.array(["1", "03", "12", None, "0", "13", "1941-03", "3.0"])
    assert count_birth_dates(months, "month") == 4


def test_a_council_gets_its_own_feedback_page(tmp_path):
    src, store = tmp_path / "src", tmp_path / "store"
    write_submission(src, "mpi", "RXA", "20250201", [person("P1")])
    _cld_quarters(src)
    ingest(src, store, progress=False, load_date=LOAD_DATE)
    feedback = default_feedback_folder(store)
    (load,) = [p for p in (feedback / LA).iterdir() if p.is_dir()]
    page = (load / "feedback.html").read_text(encoding="utf-8")
    assert f"Submission feedback for council {LA}" in page
    assert "for this council only" in page and "provider" not in page
    assert "2021 census ethnic groups" in page
    rejected = (load / "rejected_rows.csv").read_text(encoding="utf-8")
    assert "event_reference=E3" in rejected and "la_code=" not in rejected
    assert "PABCDEFGHIJKLMNOP" not in rejected  # no submitted value but the record key
    history = json.loads((feedback / LA / "history.json").read_text())
    assert history[-1]["ethnicity_known_pct"] == 100.0
    provider_page = next((feedback / "RXA").glob("*/feedback.html")).read_text()
    assert "Submission feedback for provider RXA" in provider_page
    assert "council" not in provider_page


def _as_before_cld(store: Path) -> None:
    """Make ``store`` look as a store loaded before CLD was in the extract: no cld_events
    anywhere in its version (manifest, folders, export, report, history)."""
    version = current_version(store)
    manifest = json.loads((version / MANIFEST).read_text())
    manifest["files"] = {k: v for k, v in manifest["files"].items() if "cld_events" not in k}
    (version / MANIFEST).write_text(json.dumps(manifest))
    for folder in version.rglob("cld_events*"):
        shutil.rmtree(folder) if folder.is_dir() else folder.unlink()
    for name in (REPORT_JSON, HISTORY_JSON):
        data = json.loads((version / name).read_text())
        for tables in [d["tables"] for d in (data if isinstance(data, list) else [data])]:
            tables.pop("cld_events")
        (version / name).write_text(json.dumps(data))


def test_a_store_loaded_before_cld_is_read_and_takes_cld_incrementally(tmp_path):
    first, second, store = tmp_path / "first", tmp_path / "second", tmp_path / "store"
    write_submission(first, "mpi", "RXA", "20250201", [person("P1")])
    ingest(first, store, progress=False, load_date=LOAD_DATE, write_feedback_reports=False)
    _as_before_cld(store)
    assert not holds_table(current_version(store), "cld_events")
    assert read_rows(store, "tables", "mpi").num_rows == 1
    assert set(export_store(store, tmp_path / "out")) == set(EXTRACT_TABLES) - {"cld_events"}
    _cld_quarters(second)
    write_submission(second, "mpi", "RXA", "20250301", [person("P2")])
    report = ingest(
        second, store, into=True, progress=False, load_date=LOAD_DATE, write_feedback_reports=False
    )
    assert report["tables"]["cld_events"]["read"] == 5
    assert report["tables"]["cld_events"]["loaded"] == 2
    assert report["tables"]["mpi"]["loaded"] == 2 and report["loads"] == 2
    assert read_rows(store, "tables", "cld_events").num_rows == 2
    assert (current_version(store) / "export" / "cld_events.parquet").exists()


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    return [(row[0], row[1]) for row in con.execute(f"DESCRIBE {relation}").fetchall()]


def test_a_version_before_cld_reads_as_no_cld_rows_with_the_loaded_columns(tmp_path):
    src, store, before = tmp_path / "src", tmp_path / "store", tmp_path / "before"
    _cld_quarters(src)
    write_submission(src, "mpi", "RXA", "20250201", [person("P1")])
    ingest(src, store, progress=False, load_date=LOAD_DATE, write_feedback_reports=False)
    shutil.copytree(store, before)
    _as_before_cld(before)
    old, new = current_version(before), current_version(store)
    assert holds_table(new, "cld_events") and not holds_table(old, "cld_events")
    with duckdb.connect() as con:
        for kind in KINDS:
            for filename in (False, True):
                empty = live_rows_sql(old, kind, "cld_events", filename=filename)
                loaded = live_rows_sql(new, kind, "cld_events", filename=filename)
                assert _columns(con, empty) == _columns(con, loaded)
                assert con.execute(f"SELECT count(*) FROM ({empty})").fetchone() == (0,)
            assert live_row_count(old, kind, "cld_events") == 0
            assert live_row_count(new, kind, "cld_events") > 0
            for name in EXTRACT_TABLES:  # every table's stored types, as a load writes them
                stored = live_rows_sql(new, kind, name, filename=True)
                assert _columns(con, empty_rows_sql(kind, name, filename=True)) == _columns(
                    con, stored
                ), (kind, name)
    assert store_totals(old)["cld_events"] == {"loaded": 0, "superseded": 0, "rejected": 0}
    assert store_totals(old)["mpi"] == store_totals(new)["mpi"]
    assert reject_reasons(old)["cld_events"] == {} != reject_reasons(new)["cld_events"]
    assert read_rows(before, "superseded", "cld_events").num_rows == 0


def test_purge_removes_a_council_record(tmp_path):
    src, store = tmp_path / "src", tmp_path / "store"
    _cld_quarters(src)
    write_cld(src, LA, "20250702", [cld_event("E7", person_id="PAAAAAAAAAAAAAAAA")])
    ingest(src, store, progress=False, load_date=LOAD_DATE, write_feedback_reports=False)
    assert purge(store, OTHER_LA, record="E1")["cld_events"] == 0  # another council's: none
    removed = purge(store, LA, record="E1")
    assert removed["cld_events"] == 2  # the loaded version and the superseded one
    assert purge(store, LA, record="PAAAAAAAAAAAAAAAA")["cld_events"] == 1
    left = read_rows(store, "tables", "cld_events").column("event_reference").to_pylist()
    assert sorted(left) == ["E2"]
