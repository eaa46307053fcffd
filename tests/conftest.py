"""Shared fixtures: small hand-written submissions whose every row's fate is known."""

from __future__ import annotations

from pathlib import Path

import pytest

from submission_files import contact, person, referral, write_submission


@pytest.fixture
def small_submission(tmp_path: Path) -> Path:
    """Two daily submissions from one provider with a known fate for every row.

    mpi: P1, P2 on day 1; P1 re-sent on day 2 (1 superseded). 3 read, 2 loaded.
    referrals: R1, R2 (P1), R3 (person P9 absent: orphan), R4 (impossible date) on day 1;
      R1 re-sent on day 2 with a closure date. 5 read, 2 loaded, 1 superseded, 2 rejected.
    care_contacts: C1 (R1), C2 (R2, unparseable date), C3 (R404 absent: orphan),
      C4 (R3, whose referral was rejected: orphan), C5 (missing contact_id). 5 read, 1 loaded.
    """
    src = tmp_path / "src"
    write_submission(src, "mpi", "RXA", "20250201", [person("P1"), person("P2")])
    write_submission(src, "mpi", "RXA", "20250202", [person("P1", ethnic_category="B")])
    write_submission(
        src,
        "referrals",
        "RXA",
        "20250201",
        [
            referral("R1", "P1"),
            referral("R2", "P1"),
            referral("R3", "P9"),
            referral("R4", "P2", referral_received_date="1899-12-31"),
        ],
    )
    write_submission(
        src,
        "referrals",
        "RXA",
        "20250202",
        [
            referral("R1", "P1", referral_closure_date="2025-02-01"),
        ],
    )
    write_submission(
        src,
        "care_contacts",
        "RXA",
        "20250201",
        [
            contact("C1", "R1"),
            contact("C2", "R2", contact_date="2025-02-30"),
            contact("C3", "R404"),
            contact("C4", "R3"),
            contact("", "R1"),
        ],
    )
    return src


@pytest.fixture(scope="session")
def sample_aggregates(tmp_path_factory) -> Path:
    """The committed sample, ingested and computed once for the whole test session."""
    from workbench import load_store
    from workbench.compute import compute
    from workbench.ingest import ingest

    root = Path(__file__).resolve().parents[1]
    folder = tmp_path_factory.mktemp("sample_aggregates")
    ingest(root / "data" / "synthetic" / "sample", folder / "store", progress=False)
    compute(load_store(folder / "store"), folder / "aggregates", progress=False)
    return folder / "aggregates"
