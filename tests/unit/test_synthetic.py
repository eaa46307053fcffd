"""Tests of the synthetic extract generator (workbench.synthetic)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from workbench import reference
from workbench.spec import TABLES, VALUE_SETS
from workbench.synthetic import SCALES, DefectRates, GeneratorConfig, generate
from workbench.synthetic.contacts import ContactDraws

SMALL = SCALES["small"]
FILE_NAME = re.compile(r"^(?P<table>[a-z_]+)_(?P<org>[A-Z0-9]{3,6})_(?P<date>\d{8})\.csv$")
TEN_DIGITS = re.compile(r"^\d{10}$")


def _files(out: Path) -> list[Path]:
    """The community (CSDS-shaped) files; the councils' CLD files: test_synthetic_cld.py."""
    return sorted(p for p in out.rglob("*.csv") if not p.name.startswith("cld_"))


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _latest(out: Path, table: str) -> pd.DataFrame:
    frames = []
    for path in sorted(out.glob(f"*/{table}_*.csv")):
        frame = _read(path)
        frame["_sub"] = path.stem.rsplit("_", 1)[1]
        frames.append(frame)
    frame = pd.concat(frames, ignore_index=True).sort_values("_sub", kind="stable")
    return frame.drop_duplicates(list(TABLES[table].key), keep="last")


@pytest.fixture(scope="module")
def defective(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("defective")
    generate(out, SMALL, progress=False, overwrite=True)
    return out


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("clean")
    config = dataclasses.replace(
        SMALL, defects=DefectRates.clean(), months=12, referrals_per_provider_year=600
    )
    generate(out, config, progress=False, overwrite=True)
    return out


def test_same_seed_same_bytes_and_other_seed_differs(tmp_path: Path, defective: Path) -> None:
    again = tmp_path / "again"
    generate(again, SMALL, progress=False, workers=2)
    first = {p.relative_to(defective): p.read_bytes() for p in _files(defective)}
    second = {p.relative_to(again): p.read_bytes() for p in _files(again)}
    assert first == second
    other = tmp_path / "other"
    generate(other, dataclasses.replace(SMALL, seed=SMALL.seed + 1), progress=False)
    third = {p.relative_to(other): p.read_bytes() for p in _files(other)}
    assert third != first


def test_workers_default_to_the_cores_and_write_the_same_bytes(
    tmp_path: Path, defective: Path
) -> None:
    summary = generate(tmp_path / "cores", SMALL, progress=False, workers=None)
    assert summary.providers == ["SYN01", "SYN02"]  # in provider order, whatever finished first
    first = {p.relative_to(defective): p.read_bytes() for p in _files(defective)}
    again = {p.relative_to(tmp_path / "cores"): p.read_bytes() for p in _files(tmp_path / "cores")}
    assert again == first


def test_refuses_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "something.txt").write_text("x")
    with pytest.raises(ValueError, match="not empty"):
        generate(tmp_path, SMALL, progress=False)


def test_layout_columns_and_dates_not_after_submission(defective: Path) -> None:
    files = _files(defective)
    assert files
    assert (defective / "generation.json").exists()
    for path in files:
        match = FILE_NAME.match(path.name)
        assert match, path.name
        assert path.parent.name == match["org"]
        table = TABLES[match["table"]]
        text = path.read_text(encoding="utf-8")
        assert "\r" not in text
        frame = _read(path)
        assert tuple(frame.columns) == table.column_names
        sub = f"{match['date'][:4]}-{match['date'][4:6]}-{match['date'][6:]}"
        for col in table.columns:
            if col.dtype != "date":
                continue
            values = frame[col.name]
            iso = values[values.str.match(r"^\d{4}-\d{2}-\d{2}$")]
            parsed = pd.to_datetime(iso, errors="coerce").dropna()
            assert (parsed <= pd.Timestamp(sub)).all(), (path.name, col.name)
            assert (parsed >= pd.Timestamp("1900-01-01")).all()


def test_clean_values_are_all_valid(clean: Path) -> None:
    lsoa11 = set(reference.lsoa11_to_icb()["lsoa11_code"])
    lsoa21 = set(reference.lsoa21_to_icb()["lsoa21_code"])
    for name, table in TABLES.items():
        frames = [_read(p) for p in clean.glob(f"*/{name}_*.csv")]
        frame = pd.concat(frames, ignore_index=True)
        for col in table.columns:
            values = frame[col.name]
            present = values[values != ""]
            if col.is_mandatory:
                assert len(present) == len(values), (name, col.name)
            if col.value_set in VALUE_SETS:
                bad = set(present) - set(VALUE_SETS[col.value_set].codes)
                assert not bad, (name, col.name, bad)
            elif col.value_set == "lsoa11":
                assert set(present) <= lsoa11
            elif col.value_set == "lsoa21":
                assert set(present) <= lsoa21
            if col.pattern:
                assert present.str.fullmatch(col.pattern).all(), (name, col.name)
            if col.dtype == "date":
                assert present.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
                pd.to_datetime(present, format="%Y-%m-%d")
            if col.dtype == "time":
                assert present.str.fullmatch(r"\d{2}:\d{2}:\d{2}").all()
            if col.dtype == "int":
                ints = present.astype(int)
                assert ints.between(col.minimum, col.maximum).all(), (name, col.name)
    contacts = _latest(clean, "care_contacts")
    referrals = _latest(clean, "referrals")
    assert set(contacts["referral_id"]) <= set(referrals["referral_id"])
    both = contacts.merge(referrals, on=["provider_code", "referral_id"])
    assert (both["contact_date"] >= both["referral_received_date"]).all()
    scores = _latest(clean, "assessments")
    assert len(scores) > 0


def test_defects_produce_invalid_values(defective: Path) -> None:
    mpi = _latest(defective, "mpi")
    assert (mpi["ethnic_category"] == "").any()
    assert (~mpi["ethnic_category"].isin(list(VALUE_SETS["ethnic_category"].codes) + [""])).any()


def test_defect_rates_match_requested(tmp_path: Path) -> None:
    rates = DefectRates(
        ethnicity_missing=0.1,
        ethnicity_not_stated=0.05,
        ethnicity_not_known=0.05,
        ethnicity_invalid=0.02,
        lsoa_missing=0.05,
        lsoa_invalid=0.02,
        invalid_codes=0.0,
        contact_before_referral=0.01,
        duplicate_resubmission=0.0,
        orphan_contacts=0.01,
        unparseable_dates=0.0,
    )
    config = GeneratorConfig(
        providers=2,
        referrals_per_provider_year=1500,
        months=6,
        defects=rates,
        variation=0.0,
        seed=7,
    )
    generate(tmp_path, config, progress=False)
    mpi = _latest(tmp_path, "mpi")
    truth = mpi["ethnic_category"]
    lsoa11 = set(reference.lsoa11_to_icb()["lsoa11_code"])

    def close(observed: pd.Series, rate: float) -> None:
        n = len(observed)
        se = np.sqrt(rate * (1 - rate) / n)
        assert abs(observed.mean() - rate) <= 4 * se + 1e-9, (observed.mean(), rate, n)

    close(truth == "", 0.1)
    close(truth == "Z", 0.05)
    close(truth == "99", 0.05)
    close(~truth.isin(list(VALUE_SETS["ethnic_category"].codes) + [""]), 0.02)
    close(mpi["lsoa_2011"] == "", 0.05)
    close((mpi["lsoa_2011"] != "") & ~mpi["lsoa_2011"].isin(lsoa11), 0.02)
    contacts = _latest(tmp_path, "care_contacts")
    referrals = _latest(tmp_path, "referrals")
    orphan = ~contacts["referral_id"].isin(set(referrals["referral_id"]))
    close(orphan, 0.01)
    both = contacts[~orphan].merge(referrals, on=["provider_code", "referral_id"])
    close(both["contact_date"] < both["referral_received_date"], 0.01 / 0.99 * 0.99)


def test_clean_config_has_no_defects(clean: Path) -> None:
    mpi = _latest(clean, "mpi")
    assert not (mpi["ethnic_category"] == "").any()
    assert not (mpi["lsoa_2011"] == "").any()
    counts = [len(_read(p)) for p in clean.glob("*/care_contacts_*.csv")]
    latest = _latest(clean, "care_contacts")
    assert sum(counts) == len(latest)  # no re-sends of contacts (they never change)


def test_no_ten_digit_numbers(defective: Path) -> None:
    for path in _files(defective):
        frame = _read(path)
        for col in frame.columns:
            assert not frame[col].str.fullmatch(TEN_DIGITS).any(), (path.name, col)


def test_calibration(clean: Path) -> None:
    referrals = _latest(clean, "referrals")
    received = referrals[referrals["referral_received_date"] >= "2024-04-01"]
    age = received["age_at_referral"].astype(int)
    assert 0.48 <= (age >= 65).mean() <= 0.62
    assert 0.10 <= (age <= 18).mean() <= 0.22
    assert 0.02 <= (received["team_type"] == "A28").mean() <= 0.06
    clocks = _latest(clean, "rtt_clocks")
    clocks = clocks[(clocks["measurement_type"] == "05") & (clocks["clock_end_date"] != "")]
    start = pd.to_datetime(clocks["clock_start_date"] + " " + clocks["clock_start_time"])
    end = pd.to_datetime(clocks["clock_end_date"] + " " + clocks["clock_end_time"])
    minutes = (end - start).dt.total_seconds() / 60
    met = (minutes[minutes >= 0] <= 120).mean()
    assert 0.65 <= met <= 0.9
    # CYP waits over 52 weeks exist among referrals still open and unseen at the end.
    contacts = _latest(clean, "care_contacts")
    seen = set(contacts.loc[contacts["attendance_status"].isin(["5", "6"]), "referral_id"])
    open_cyp = referrals[
        referrals["team_type"].str.startswith("C")
        & (referrals["referral_closure_date"] == "")
        & (referrals["referral_rejection_date"] == "")
        & ~referrals["referral_id"].isin(seen)
    ]
    wait = pd.Timestamp("2025-04-01") - pd.to_datetime(open_cyp["referral_received_date"])
    assert (wait.dt.days > 364).any()


def test_sample_scale_is_the_default_config() -> None:
    sample = SCALES["sample"]
    assert sample.providers == 8 and sample.months == 24 and sample.cadence == "monthly"
    assert SCALES["national"].file_format == "parquet"


def test_daily_cadence_and_parquet(tmp_path: Path) -> None:
    config = dataclasses.replace(SMALL, cadence="daily", months=2, file_format="parquet")
    summary = generate(tmp_path, config, progress=False)
    files = sorted(tmp_path.rglob("*.parquet"))
    assert len(files) == summary.files
    for path in files[:200]:
        table, org, day = path.stem.rsplit("_", 2)[0], *path.stem.rsplit("_", 2)[1:]
        frame = pd.read_parquet(path)
        assert tuple(frame.columns) == TABLES[table].column_names
        schema = pq.read_schema(path)
        assert all(pa.types.is_string(field.type) for field in schema)
        sub = pd.Timestamp(f"{day[:4]}-{day[4:6]}-{day[6:]}")
        for col in TABLES[table].columns:
            if col.dtype == "date":
                parsed = pd.to_datetime(frame[col.name], errors="coerce", format="%Y-%m-%d")
                assert (parsed.dropna() <= sub).all(), (path.name, col.name)
        assert org.startswith("SYN")


def test_kept_contacts_are_the_sorted_contacts_filtered_with_their_places_as_ids() -> None:
    """Framing only the kept contacts gives the rows, order and ids that sorting every contact
    drawn and then dropping the others would give."""
    rng = np.random.default_rng(7)
    n = 500
    day, minute = rng.integers(0, 40, n), rng.integers(0, 4, n)
    coded = ("attendance_status", "consultation_mechanism", "activity_location_type")
    columns = {"day": day, "minute": minute, "rnum": rng.integers(0, 60, n)}
    columns |= {name: rng.integers(0, 3, n) for name in coded}
    order = np.lexsort((columns["rnum"], minute, day))
    draws = ContactDraws(columns, columns["rnum"], order)
    keep = (day >= 10) & (columns["rnum"] % 3 != 0)

    every = pd.DataFrame({name: values[order] for name, values in columns.items()})
    every["contact_id"] = np.arange(n)
    expected = every[keep[order]].reset_index(drop=True)
    kept = draws.frame(keep)

    assert kept["contact_id"].tolist() == expected["contact_id"].tolist()
    assert kept["day"].tolist() == expected["day"].tolist()
    assert kept["rnum"].tolist() == expected["rnum"].tolist()
    codes = kept["attendance_status"].cat.codes.tolist()
    assert codes == expected["attendance_status"].tolist()
    assert len(kept) < n and kept["day"].is_monotonic_increasing
