"""The synthetic adult social care extract (CLD): linked people, timing, linkage gaps, files."""

import hashlib
import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from workbench.identifiers import count_identifiers
from workbench.ingest.discover import find_submissions
from workbench.spec import TABLES
from workbench.spec.cld import CLD_EVENTS, CLD_VALUE_SETS, LA_CODE, PSEUDONYM
from workbench.synthetic import GeneratorConfig, generate
from workbench.synthetic import calibration as cal
from workbench.synthetic.cld import DECEASED, client_events, quarter_ends
from workbench.synthetic.cld_people import CLIENT_COLUMNS
from workbench.synthetic.dates import MISSING, day_number

CONFIG = GeneratorConfig(seed=11, providers=3, referrals_per_provider_year=900, months=12)
FILE_NAME = re.compile(r"^cld_(E\d{8})_(\d{8})\.csv$")


def _read(paths: list[Path]) -> pd.DataFrame:
    return pd.concat(
        [pd.read_csv(p, dtype=str, keep_default_na=False) for p in paths], ignore_index=True
    )


@pytest.fixture(scope="module")
def extract(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cld") / "extract"
    generate(out, CONFIG, progress=False)
    return out


@pytest.fixture(scope="module")
def cld_files(extract) -> list[Path]:
    return sorted(extract.glob("E*/cld_*"))


@pytest.fixture(scope="module")
def events(cld_files) -> pd.DataFrame:
    """The latest version of every CLD event."""
    rows = _read(cld_files)
    rows = rows.sort_values("reporting_period_end_date", kind="stable")
    return rows.drop_duplicates(list(CLD_EVENTS.key), keep="last").reset_index(drop=True)


@pytest.fixture(scope="module")
def community_persons(extract) -> set[str]:
    return set(_read(sorted(extract.glob("SYN*/mpi_*")))["person_id"])


def _digests(folder: Path, pattern: str) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.glob(pattern))
    }


def test_files_are_named_per_council_and_quarter_with_rolling_12_months(extract, cld_files):
    assert cld_files, "the generator wrote no CLD files"
    assert not (extract / ".cld_parts").exists()
    ends = {(np.datetime64(q, "D") + 1).astype(str).replace("-", "") for q in quarter_ends(CONFIG)}
    for path in cld_files:
        match = FILE_NAME.match(path.name)
        assert match, path.name
        la, dated = match.groups()
        assert path.parent.name == la
        assert dated in ends
        rows = pd.read_csv(path, dtype=str, keep_default_na=False)
        assert list(rows.columns) == list(CLD_EVENTS.column_names)
        assert set(rows["la_code"]) == {la}
        period_end = np.datetime64(rows["reporting_period_end_date"].iloc[0])
        assert (period_end + 1).astype(str).replace("-", "") == dated
        period_start = np.datetime64(rows["reporting_period_start_date"].iloc[0])
        assert 365 <= (period_end - period_start).astype(int) + 1 <= 366


def test_events_repeat_across_files_and_keys_are_unique_within_a_file(cld_files, events):
    rows = _read(cld_files)
    assert len(rows) > len(events)  # rolling 12 months: events arrive again
    assert not rows.duplicated(["la_code", "event_reference", "reporting_period_end_date"]).any()


def test_no_nhs_number_and_pseudonyms_are_pseudonyms(cld_files, events):
    rows = _read(cld_files)
    for name in rows.columns:
        nhs, postcodes = count_identifiers(pa.array(rows[name].tolist(), pa.string()))
        assert nhs == 0 and postcodes == 0, name
    given = events["person_id"][events["person_id"] != ""]
    assert given.str.fullmatch(PSEUDONYM).all()


def test_linked_share_and_linkage_gaps_are_within_tolerance(events, community_persons):
    people = pd.Series(events.loc[events["person_id"] != "", "person_id"].unique())
    assert len(people) >= 50
    linked = people.isin(community_persons).mean()
    assert 0.05 < linked < 0.5
    missing = (events["person_id"] == "").mean()
    request_share = (events["event_type"] == "Request").mean()
    expected = cal.CLD_UNTRACED_PERSON + cal.CLD_REQUEST_NO_NHS_NUMBER * request_share
    assert 0.3 * expected < missing < 2.5 * expected


def test_only_services_are_open_and_reablement_is_about_six_weeks(events):
    open_ = events["event_end_date"] == ""
    assert set(events.loc[open_, "event_type"]) <= {"Service"}
    assert open_.any()
    reab = events[events["service_component"] == "Reablement"]
    assert (reab["service_type"] == "Short term support: ST-Max").all()
    closed = reab[reab["event_end_date"] != ""]
    days = (
        pd.to_datetime(closed["event_end_date"]) - pd.to_datetime(closed["event_start_date"])
    ).dt.days
    assert days.max() <= cal.REABLEMENT_DAYS_RANGE[1]
    assert 35 <= days[closed["event_outcome"] != DECEASED].median() <= 49


def test_requests_after_a_community_discharge_are_decided_on_discharge_day(extract, events):
    spells = _read(sorted(extract.glob("SYN*/inpatient_spells_*")))
    spells = spells[spells["discharge_date"] != ""]
    discharged = set(zip(spells["person_id"], spells["discharge_date"], strict=True))
    requests = events[
        (events["event_type"] == "Request")
        & (events["request_route_of_access"] == "Discharge from hospital")
        & (events["person_id"] != "")
    ]
    on_discharge = [
        (p, d) in discharged
        for p, d in zip(requests["person_id"], requests["event_end_date"], strict=True)
    ]
    assert any(on_discharge), "no request follows a community inpatient discharge"


def test_cld_only_people_are_not_in_the_community_extract(events, community_persons):
    people = set(events["person_id"]) - {""}
    assert people - community_persons, "no CLD-only people"
    assert people & community_persons, "no linked people"


def test_generation_is_deterministic_and_leaves_the_community_extract_unchanged(extract, tmp_path):
    again = tmp_path / "again"
    generate(again, CONFIG, progress=False)
    assert _digests(again, "E*/cld_*") == _digests(extract, "E*/cld_*")
    without = tmp_path / "without"
    generate(without, GeneratorConfig(**{**CONFIG.__dict__, "cld": False}), progress=False)
    assert not list(without.glob("E*/cld_*"))
    assert _digests(without, "SYN*/*") == _digests(extract, "SYN*/*")


def _clients(n: int, pathway: str, death: int = MISSING) -> pd.DataFrame:
    day = day_number(date(2024, 6, 1))
    frame = pd.DataFrame({c: [""] * n for c in CLIENT_COLUMNS})
    frame["day"] = np.full(n, day, dtype=np.int64)
    frame["pathway"] = pathway
    frame["route"] = "Discharge from hospital"
    frame["death_day"] = np.full(n, death, dtype=np.int64)
    return frame


def test_reablement_after_discharge_starts_in_the_ascof_2d_window():
    clients = _clients(400, "discharge")
    ev = client_events(np.random.default_rng(1), clients)
    day = clients["day"].iloc[0]
    req = ev[ev["event_type"] == "Request"]
    assert (req["event_end_date"] == day).all() and (req["event_start_date"] <= day).all()
    reab = ev[ev["service_component"] == "Reablement"]
    assert len(reab) > 100
    # ASCOF 2D: the discharge falls from 7 days before to 3 days after the episode's start.
    lag = reab["event_start_date"] - day
    assert lag.between(-3, 7).all()
    long_term = ev[ev["service_type"].str.startswith("Long term")]
    assert (long_term["event_start_date"] > day).all()


def test_death_ends_what_is_open_and_nothing_starts_after_it():
    death = day_number(date(2024, 7, 1))
    ev = client_events(np.random.default_rng(2), _clients(300, "care_home", death))
    assert (ev["event_start_date"] <= death).all()
    assert (ev["event_end_date"] != MISSING).all()
    assert (ev["event_end_date"] <= death).all()
    assert (ev.loc[ev["event_end_date"] == death, "event_outcome"] != "").all()
    assert (ev["event_outcome"] == DECEASED).any()


def test_ingest_discovery_takes_cld_files_as_council_submissions_and_quarantines_none(
    extract, cld_files
):
    found = find_submissions(extract)
    assert sorted(f.path for f in found.files if f.table == "cld_events") == cld_files
    councils = [f.provider_code for f in found.files if f.table == "cld_events"]
    assert councils and all(re.fullmatch(LA_CODE, code) for code in councils)
    assert not found.quarantined
    assert {f.table for f in found.files} - set(TABLES) == {"cld_events"}


def test_unpaid_carers_get_direct_carer_support_and_nothing_long_term():
    clients = _clients(200, "carer")
    clients["route"] = "Community / Other route"
    ev = client_events(np.random.default_rng(3), clients)
    services = ev[ev["event_type"] == "Service"]
    assert len(services) > 50
    assert (services["service_type"] == "Unpaid carer support: Direct to unpaid carer").all()
    assert (services["cost_frequency"] == "One-off").all()
    assert set(ev["event_type"]) == {"Request", "Service"}


def test_every_cld_code_written_is_in_its_value_set(events):
    for col in CLD_EVENTS.columns:
        if col.value_set in CLD_VALUE_SETS:
            written = set(events[col.name]) - {""}
            assert written <= set(CLD_VALUE_SETS[col.value_set].codes), col.name


def test_requests_per_community_referral_are_near_the_national_ratio(extract, events):
    """About 2.0 million requests from new clients a year against about 22.4 million community
    referrals (cal.CLD_REQUESTS_PER_REFERRAL, about 0.093): requests starting in the period
    over referrals received in it, within 0.065 to 0.125 on this small extract."""
    start, end = CONFIG.period_start.isoformat(), quarter_end_text(CONFIG)
    refs = _read(sorted(extract.glob("SYN*/referrals_*")))
    refs = refs.drop_duplicates(list(TABLES["referrals"].key))
    received = refs["referral_received_date"]
    referrals = int(((received >= start) & (received <= end)).sum())
    requests = events[events["event_type"] == "Request"]["event_start_date"]
    ratio = int(((requests >= start) & (requests <= end)).sum()) / referrals
    assert abs(cal.CLD_REQUESTS_PER_REFERRAL - 0.093) < 0.001
    assert 0.065 < ratio < 0.125, ratio


def quarter_end_text(config: GeneratorConfig) -> str:
    return str(np.datetime64(quarter_ends(config)[-1], "D"))


def test_reablement_after_a_hospital_discharge_starts_0_to_3_days_after_it(extract, events):
    """Linked people whose request came from hospital start reablement 0 to 3 days after a
    discharge: an acute discharge or a community inpatient discharge (ASCOF 2D's window is
    7 days before to 3 after the start); both kinds occur."""
    spells = _read(sorted(extract.glob("SYN*/inpatient_spells_*")))
    acute = _read(sorted(extract.glob("SYNA*/acute_admissions_*")))
    acute = acute[acute["admission_method"] == "emergency"]
    discharges = pd.concat(
        [
            spells[["person_id", "discharge_date"]].assign(kind="bed"),
            acute[["person_id", "discharge_date"]].assign(kind="acute"),
        ]
    )
    discharges = discharges[discharges["discharge_date"] != ""].drop_duplicates()
    from_hospital = events[
        (events["event_type"] == "Request")
        & (events["request_route_of_access"] == "Discharge from hospital")
        & (events["event_outcome"] == "Progress to reablement/ST-Max")
    ]["person_id"]
    reab = events[
        (events["service_component"] == "Reablement")
        & events["person_id"].isin(set(from_hospital) & set(discharges["person_id"]))
    ]
    assert len(reab) >= 10
    pairs = reab[["person_id", "event_start_date"]].merge(discharges, on="person_id")
    lag = pd.to_datetime(pairs["event_start_date"]) - pd.to_datetime(pairs["discharge_date"])
    pairs = pairs[lag.dt.days.between(0, 3).to_numpy()]
    matched = reab["person_id"].isin(pairs["person_id"])
    assert matched.mean() > 0.95, matched.mean()
    assert set(pairs["kind"]) == {"bed", "acute"}
