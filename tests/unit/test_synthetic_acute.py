"""The generated acute admissions: discharge dates, lengths of stay, versions in the files."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from workbench.spec import TABLES
from workbench.synthetic import SCALES, DefectRates, generate
from workbench.synthetic import calibration as cal
from workbench.synthetic.acute import lengths_of_stay
from workbench.synthetic.build import build_provider, window
from workbench.synthetic.dates import MISSING
from workbench.synthetic.providers import make_providers

KEY = list(TABLES["acute_admissions"].key)
CONFIG = dataclasses.replace(
    SCALES["small"], defects=DefectRates.clean(), months=12, referrals_per_provider_year=1500
)


@pytest.fixture(scope="module")
def extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("acute")
    generate(out, CONFIG, progress=False)
    return out


@pytest.fixture(scope="module")
def rows(extract: Path) -> pd.DataFrame:
    """Every acute admission row of every file, with its file's date (``_file``)."""
    frames = []
    for path in sorted(extract.glob("SYNA*/acute_admissions_*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame["_file"] = pd.Timestamp(path.stem.rsplit("_", 1)[1])
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _latest(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.sort_values("_file", kind="stable").drop_duplicates(KEY, keep="last")


def test_discharge_dates_are_never_before_admission_nor_after_their_file(rows):
    discharged = rows[rows["discharge_date"] != ""]
    assert len(discharged) > 100
    admitted = pd.to_datetime(discharged["admission_date"])
    left = pd.to_datetime(discharged["discharge_date"])
    assert (left >= admitted).all()
    assert (left < discharged["_file"]).all(), "a file knows a discharge after its own date"


def test_a_stay_crossing_files_is_sent_again_with_its_discharge(rows):
    latest = _latest(rows)
    assert (latest["discharge_date"] != "").mean() > 0.95
    sent = rows.groupby(KEY)["discharge_date"].agg(["size", "first", "last"])
    again = sent[sent["size"] > 1]
    assert len(again) > 10
    assert (again["first"] == "").all() and (again["last"] != "").all()
    assert (rows.groupby([*KEY, "_file"]).size() == 1).all(), "a key twice in one file"


def test_admissions_open_at_the_extracts_end_have_no_discharge_date():
    provider = make_providers(1)[0]
    tables, _, _ = build_provider(CONFIG, provider)
    _, _, end = window(CONFIG)
    acute = tables["acute_admissions"]
    discharge = acute["discharge_date"].to_numpy()
    assert (discharge[discharge != MISSING] < end).all()
    open_ = discharge == MISSING
    assert open_.any(), "no admission open at the extract's end"
    # Only admissions late in the period are still open (the longest stay is cut).
    assert (acute["admission_date"].to_numpy()[open_] >= end - cal.ACUTE_STAY_MAX_DAYS).all()


def test_open_admissions_in_the_files_are_those_open_at_the_end(rows):
    latest = _latest(rows)
    still_in = latest[latest["discharge_date"] == ""]
    last_file = rows["_file"].max()
    assert len(still_in)
    assert (pd.to_datetime(still_in["admission_date"]) >= last_file - pd.Timedelta(days=181)).all()


def test_lengths_of_stay_follow_the_calibration():
    rng = np.random.default_rng(7)
    n = 40_000
    older = lengths_of_stay(rng, np.full(n, "emergency"), np.full(n, 2))
    assert 4 <= np.median(older) <= 5
    assert 7.5 <= older.mean() <= 10
    assert older.max() <= cal.ACUTE_STAY_MAX_DAYS and older.min() >= 0
    assert (older > 21).mean() > 0.05, "no long tail"
    younger = lengths_of_stay(rng, np.full(n, "emergency"), np.full(n, 1))
    assert younger.mean() < older.mean() and np.median(younger) < np.median(older)
    elective = lengths_of_stay(rng, np.full(n, "elective"), np.full(n, 2))
    assert abs((elective == 0).mean() - cal.ELECTIVE_DAY_CASE) < 0.03
    assert np.quantile(elective, 0.8) <= 1


def test_stays_of_a_generated_provider_are_as_calibrated():
    config = dataclasses.replace(CONFIG, referrals_per_provider_year=6000)
    tables, _, _ = build_provider(config, make_providers(1)[0])
    acute = tables["acute_admissions"]
    done = acute[acute["discharge_date"].to_numpy() != MISSING]
    stay = done["discharge_date"].to_numpy() - done["admission_date"].to_numpy()
    emergency = (done["admission_method"] == "emergency").to_numpy()
    assert emergency.sum() > 300
    assert (stay >= 0).all()
    assert 2 <= np.median(stay[emergency]) <= 5
    assert 4 <= stay[emergency].mean() <= 10
    assert 0.7 <= (stay[~emergency] == 0).mean() <= 0.9


def test_the_stays_change_no_other_table_and_no_admission(tmp_path, monkeypatch):
    """Stays are drawn last on the acute stream and the discharge updates after the files'
    defects: with every stay 0 days the community files are the same bytes and the acute
    files hold the same admission rows (defects included), in the same order, before any
    update."""
    config = dataclasses.replace(CONFIG, defects=SCALES["small"].defects)
    extract = tmp_path / "stays"
    generate(extract, config, progress=False)
    monkeypatch.setattr(
        "workbench.synthetic.acute.lengths_of_stay",
        lambda rng, method, group: np.zeros(len(method), dtype=np.int64),
    )
    again = tmp_path / "day_stays"
    generate(again, config, progress=False)
    for path in sorted(extract.glob("SYN[0-9]*/*.csv")):
        assert path.read_bytes() == (again / path.relative_to(extract)).read_bytes(), path.name
    for path in sorted(extract.glob("SYNA*/*.csv")):
        day_stays = pd.read_csv(again / path.relative_to(extract), dtype=str)
        dated = day_stays["admission_date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}")
        assert (day_stays["discharge_date"] == day_stays["admission_date"])[dated].all()
        ours = pd.read_csv(path, dtype=str).iloc[: len(day_stays)]
        columns = [c for c in day_stays.columns if c != "discharge_date"]
        pd.testing.assert_frame_equal(ours[columns], day_stays[columns])
