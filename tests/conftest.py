"""Shared fixtures (small hand-written submissions whose every row's fate is known; the committed
sample ingested and computed once) and the markers each floor's tests carry.

The floors: tests/unit (functions over values, frames and files), tests/engines (the store, the
facts and every hand-worked measure value, on each engine: tests/engines/conftest.py),
tests/e2e (commands, notebooks run in kernels, rendered reports, the wheel). Everything under
tests/e2e is marked ``e2e``; a test on Spark ``spark`` (by its ``engine`` or its file); the
browser and wheel tests ``browser`` and ``wheel``. ``make test-fast`` deselects all four.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from submission_files import contact, person, referral, write_submission

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
#: Markers a whole file carries, beside the folder's ``e2e`` and the Spark engine's ``spark``.
FILE_MARKERS = {
    "test_engine_parity.py": "spark",
    "test_report_in_browser.py": "browser",
    "test_wheel.py": "wheel",
}
#: A folder holding ``store`` and ``aggregates`` of the committed sample, built before the tests
#: (``make test`` builds them once for the tests and nbval); unset, the tests build their own.
SAMPLE_BUILD = "WORKBENCH_TEST_SAMPLE"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by its floor and file, before ``-m`` selects."""
    for item in items:
        path = Path(item.path).resolve()
        if TESTS / "e2e" in path.parents:
            item.add_marker(pytest.mark.e2e)
        if path.name in FILE_MARKERS:
            item.add_marker(getattr(pytest.mark, FILE_MARKERS[path.name]))


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
    """The committed sample, ingested and computed once for the whole test session: the
    aggregates folder, with the store beside it (``../store``).

    With ``WORKBENCH_TEST_SAMPLE`` set (``make test`` sets it), the store and aggregates built
    there beforehand are read instead, so nbval in the same run reads the same ones.
    """
    from workbench import load_store
    from workbench.compute import compute
    from workbench.ingest import ingest

    built = os.environ.get(SAMPLE_BUILD)
    if built:
        if not (Path(built) / "aggregates" / "manifest.json").exists():
            pytest.fail(
                f"{SAMPLE_BUILD}={built} holds no aggregates/manifest.json: build it with "
                "`make sample-build`, or unset it to build the sample inside the test run"
            )
        return Path(built) / "aggregates"
    folder = tmp_path_factory.mktemp("sample_aggregates")
    ingest(ROOT / "data" / "synthetic" / "sample", folder / "store", progress=False)
    compute(load_store(folder / "store"), folder / "aggregates", progress=False)
    return folder / "aggregates"
