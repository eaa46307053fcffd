"""The committed sample's urgent response referrals: a reason on each, and sources near the
October 2023 national shares (sources.md 2a)."""

from pathlib import Path

import pandas as pd
import pytest

from workbench.spec.service_lines import TEAM_TYPE
from workbench.spec.value_sets import UCR_REFERRAL_REASON

SAMPLE = Path(__file__).parents[2] / "data" / "synthetic" / "sample"


@pytest.fixture(scope="module")
def referrals() -> pd.DataFrame:
    files = sorted(SAMPLE.glob("SYN*/referrals_*.csv.gz"))
    frame = pd.concat(
        [pd.read_csv(f, dtype=str, keep_default_na=False) for f in files], ignore_index=True
    )
    return frame.drop_duplicates(["provider_code", "referral_id"], keep="last")


def test_every_urgent_response_referral_has_a_reason_and_others_none(referrals):
    ucr = referrals["team_type"] == "A28"
    assert ucr.sum() > 500
    assert referrals.loc[ucr, "ucr_referral_reason"].isin(list(UCR_REFERRAL_REASON.codes)).all()
    # other rows: only those whose team type was made invalid on purpose carry a reason
    stray = referrals.loc[~ucr & (referrals["ucr_referral_reason"] != ""), "team_type"]
    assert not stray.isin(list(TEAM_TYPE.codes)).any()


def test_urgent_response_sources_follow_october_2023(referrals):
    shares = (
        referrals.loc[referrals["team_type"] == "A28", "source_of_referral"]
        .value_counts(normalize=True)
        .mul(100)
    )
    assert shares["02"] == pytest.approx(37.5, abs=4)  # the person, a carer or relative
    assert shares["01"] == pytest.approx(15.6, abs=3)  # GP
    assert shares["04"] == pytest.approx(8.4, abs=2.5)  # ambulance service
