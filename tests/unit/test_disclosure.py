"""measures.md section 7, disclosure control, on hand-worked values.

Counts: 0 stays 0; 1-7 -> "*"; others to the nearest 5 (8 -> 10, 12 -> 10, 13 -> 15). Rates
from rounded counts; averages only where based on 8 or more records; no record-level column.
"""

from __future__ import annotations

import datetime as dt
import doctest

import numpy as np
import pandas as pd
import pytest

from workbench import disclosure, identifiers
from workbench.disclosure import (
    DisclosureError,
    Rate,
    round_count,
    suppress_count,
    suppress_counts,
)
from workbench.errors import WorkbenchError
from workbench.identifiers import assert_no_record_level


def _is_nan(value) -> bool:
    return isinstance(value, float) and np.isnan(value)


# --- counts ---------------------------------------------------------------------------------


def test_zero_stays_zero():
    assert suppress_count(0) == 0
    out = suppress_counts(pd.DataFrame({"referrals": [0]}), "referrals")
    assert out["referrals"].tolist() == [0]


@pytest.mark.parametrize("count", range(1, 8))
def test_counts_1_to_7_are_suppressed(count):
    assert suppress_count(count) == "*"
    out = suppress_counts(pd.DataFrame({"referrals": [count]}), "referrals")
    assert out["referrals"].tolist() == ["*"]


@pytest.mark.parametrize(
    ("count", "shown"),
    [(8, 10), (12, 10), (13, 15), (17, 15), (18, 20), (1002, 1000), (1003, 1005)],
)
def test_other_counts_rounded_to_nearest_5(count, shown):
    assert suppress_count(count) == shown
    assert round_count(count) == shown
    out = suppress_counts(pd.DataFrame({"referrals": [count]}), "referrals")
    assert out["referrals"].tolist() == [shown]
    assert type(out["referrals"].iloc[0]) is int


def test_non_whole_counts_refused():
    # halves round up, but 12.5 cannot occur for a count: a non-whole "count" is refused
    assert [round_count(v) for v in (22, 23, 27, 28)] == [20, 25, 25, 30]
    with pytest.raises(DisclosureError, match="non-whole"):
        round_count(12.5)


def test_vectorised_helpers_keep_series_index():
    s = pd.Series([0, 3, 8, 1002, None], index=list("abcde"), name="n")
    out = suppress_count(s)
    assert out.index.tolist() == list("abcde")
    assert out.tolist()[:4] == [0, "*", 10, 1000] and _is_nan(out.tolist()[4])
    assert round_count(np.array([12, 13])).tolist() == [10.0, 15.0]


def test_nan_count_stays_nan_not_suppressed():
    frame = pd.DataFrame({"referrals": [np.nan, 9.0]})
    out = suppress_counts(frame, "referrals")
    assert _is_nan(out["referrals"].iloc[0])
    assert out["referrals"].iloc[1] == 10
    assert _is_nan(suppress_count(None))


def test_negative_or_non_numeric_count_refused_naming_column():
    with pytest.raises(DisclosureError, match="'referrals'"):
        suppress_counts(pd.DataFrame({"referrals": [-1]}), "referrals")
    with pytest.raises(DisclosureError, match="'referrals'.*already been applied"):
        suppress_counts(pd.DataFrame({"referrals": ["*"]}), "referrals")


# --- percentages and rates ------------------------------------------------------------------


def test_percentage_from_rounded_numerator_and_denominator():
    # 13 of 47 -> 15 of 45 = 33.33...%, not the exact 27.66%
    frame = pd.DataFrame({"met": [13], "in_scope": [47], "performance": [13 / 47 * 100]})
    out = suppress_counts(frame, rate_columns={"performance": ("met", "in_scope", 100)})
    assert out["met"].tolist() == [15]
    assert out["in_scope"].tolist() == [45]
    assert out["performance"].iloc[0] == 33  # shown whole: 45 is under 4,000


def test_rate_per_1000_from_rounded_counts():
    # 22 admissions in a population of 1,002 -> 20 per 1,000 -> 20 / 1000 * 1000 = 20.0
    frame = pd.DataFrame({"admissions": [22], "population": [1002], "rate": [21.956]})
    out = suppress_counts(frame, rate_columns={"rate": Rate("admissions", "population", 1000)})
    assert out["rate"].iloc[0] == pytest.approx(20.0)


@pytest.mark.parametrize(("met", "in_scope"), [(5, 20), (0, 3), (6, 6)])
def test_percentage_blank_when_numerator_or_denominator_suppressed(met, in_scope):
    frame = pd.DataFrame({"met": [met], "in_scope": [in_scope], "pct": [met / in_scope * 100]})
    out = suppress_counts(frame, rate_columns={"pct": Rate("met", "in_scope")})
    assert out["pct"].tolist() == ["*"]


def test_percentage_with_zero_denominator_is_not_available():
    frame = pd.DataFrame({"met": [0], "in_scope": [0], "pct": [np.nan]})
    out = suppress_counts(frame, rate_columns={"pct": Rate("met", "in_scope")})
    assert _is_nan(out["pct"].iloc[0])


def test_rate_intervals_kept_from_the_exact_counts_without_a_recompute_function():
    # intervals are complex calculations from the unrounded counts (measures.md section 7):
    # kept as the frame holds them, at the percentage's precision, hidden where the rate is
    frame = pd.DataFrame(
        {
            "met": [13, 5],
            "in_scope": [47, 20],
            "performance": [27.7, 25.0],
            "performance_lower": [17.0, 11.0],
            "performance_upper": [41.4, 47.0],
        }
    )
    out = suppress_counts(frame, rate_columns={"performance": Rate("met", "in_scope")})
    assert out["performance_lower"].tolist() == [17, "*"]
    assert out["performance_upper"].tolist() == [41, "*"]
    assert out.attrs["disclosure_columns"]["intervals"] == [
        "performance_lower",
        "performance_upper",
    ]


def test_rate_intervals_come_from_the_unrounded_counts():
    seen = {}

    def interval(numerator, denominator):
        seen["args"] = (numerator.tolist(), denominator.tolist())
        p = numerator / denominator
        return p - 0.1, p + 0.1

    frame = pd.DataFrame(
        {"met": [13, 5], "in_scope": [47, 20], "pct": [27.7, 25.0], "lo": [1.0, 1.0]}
    )
    frame["hi"] = 50.0
    rate = Rate("met", "in_scope", 100, lower="lo", upper="hi", interval=interval)
    out = suppress_counts(frame, rate_columns={"pct": rate})
    assert seen["args"][0][0] == 13 and seen["args"][1][0] == 47
    assert out["pct"].iloc[0] == 33  # the rate itself from the rounded 15 of 45
    assert out["lo"].iloc[0] == round(1300 / 47 - 10)
    assert out["hi"].iloc[0] == round(1300 / 47 + 10)
    assert out["lo"].iloc[1] == "*" and out["hi"].iloc[1] == "*"


def test_precision_follows_the_rounded_denominator():
    # whole percentages below a rounded denominator of 4,000; one decimal from 4,000
    frame = pd.DataFrame({"met": [1234, 1234, 9], "in_scope": [3997, 3998, 12]})
    frame["pct"] = frame["met"] / frame["in_scope"] * 100
    out = suppress_counts(frame, rate_columns={"pct": Rate("met", "in_scope", 100)})
    assert out["in_scope"].tolist() == [3995, 4000, 10]
    assert out["pct"].tolist() == [31, 30.9, 100]  # 1235/3995 = 30.9..., 1235/4000 = 30.875
    assert isinstance(out["pct"].iloc[0], int) and isinstance(out["pct"].iloc[1], float)
    national = suppress_counts(frame, rate_columns={"pct": Rate("met", "in_scope")}, national=True)
    assert national["pct"].iloc[0] == pytest.approx(1234 / 3997 * 100)  # England: exact


# --- means, medians, percentiles ------------------------------------------------------------


def test_median_shown_for_8_records_hidden_for_7():
    frame = pd.DataFrame(
        {"completed": [8, 7], "median_days": [30.0, 41.0], "p92_days": [60.0, 70.0]}
    )
    out = suppress_counts(
        frame, average_columns={"median_days": "completed", "p92_days": "completed"}
    )
    assert out["median_days"].tolist() == [30.0, "*"]
    assert out["p92_days"].tolist() == [60.0, "*"]
    # the base count is itself a count: 8 -> 10, 7 -> *
    assert out["completed"].tolist() == [10, "*"]


def test_average_uses_the_named_count_not_another():
    # UCR: the median rests on in-scope clocks (7), not all clocks (12)
    frame = pd.DataFrame({"clocks": [12], "in_scope": [7], "median_minutes": [90.0]})
    out = suppress_counts(frame, "clocks", average_columns={"median_minutes": "in_scope"})
    assert out["median_minutes"].tolist() == ["*"]


# --- record-level values --------------------------------------------------------------------


@pytest.mark.parametrize(
    "column",
    [
        "person_id",
        "referral_id",
        "contact_id",
        "spell_id",
        "assessment_id",
        "Person_ID",
        "ServiceRequestID",
        "nhs_number",
        "NHSNumber",
        "date_of_birth",
        "surname",
        "postcode",
    ],
)
def test_record_level_identifier_columns_refused_naming_the_column(column):
    frame = pd.DataFrame({column: ["x"], "contacts": [3]})
    with pytest.raises(DisclosureError, match=f"'{column}'"):
        assert_no_record_level(frame)
    with pytest.raises(DisclosureError, match=f"'{column}'"):
        suppress_counts(frame, "contacts")


@pytest.mark.parametrize("column", ["contact_date", "discharge_date", "clock_start_time"])
def test_exact_event_dates_refused(column):
    frame = pd.DataFrame({column: [dt.date(2025, 6, 1)], "contacts": [3]})
    with pytest.raises(DisclosureError, match=f"'{column}'.*date"):
        assert_no_record_level(frame)


def test_date_typed_column_refused_whatever_its_name():
    frame = pd.DataFrame({"clock_start": pd.to_datetime(["2025-06-01"]), "n": [3]})
    with pytest.raises(DisclosureError, match="'clock_start'"):
        assert_no_record_level(frame)


def test_identifier_in_the_index_refused():
    frame = pd.DataFrame({"contacts": [3]}, index=pd.Index(["P1"], name="person_id"))
    with pytest.raises(DisclosureError, match="index level 'person_id'"):
        assert_no_record_level(frame)


def test_period_and_organisation_columns_allowed():
    frame = pd.DataFrame(
        {
            "census_date": [dt.date(2025, 6, 30)],
            "month": pd.to_datetime(["2025-06-01"]),
            "period_start": [dt.date(2025, 4, 1)],
            "provider_code": ["RXA"],
            "provider_id": ["RXA"],
            "team_id": ["T1"],
            "postcode_district": ["LS1"],
            "referrals": [40],
        }
    )
    assert_no_record_level(frame)


def test_record_level_check_applies_even_with_control_off():
    frame = pd.DataFrame({"person_id": ["P1"], "contacts": [3]})
    with pytest.raises(DisclosureError, match="'person_id'"):
        suppress_counts(frame, enabled=False)


def test_disclosure_error_is_a_workbench_error():
    assert issubclass(DisclosureError, WorkbenchError)


# --- control off, national level ------------------------------------------------------------


def test_disabled_control_returns_values_unchanged_and_marks_it():
    frame = pd.DataFrame({"met": [13, 5], "in_scope": [47, 20], "median_days": [3.0, 4.0]})
    out = suppress_counts(
        frame,
        rate_columns=None,
        average_columns={"median_days": "in_scope"},
        count_columns=["met"],
        enabled=False,
    )
    pd.testing.assert_frame_equal(out, frame)
    assert out.attrs["disclosure_control"] is False
    assert "disclosure_control" not in frame.attrs


def test_enabled_control_marks_columns_treated():
    frame = pd.DataFrame({"met": [13], "in_scope": [47], "pct": [27.7], "median": [5.0]})
    out = suppress_counts(
        frame, rate_columns={"pct": Rate("met", "in_scope")}, average_columns={"median": "met"}
    )
    assert out.attrs["disclosure_control"] is True
    assert out.attrs["disclosure_level"] == "subnational"
    assert out.attrs["disclosure_columns"] == {
        "counts": ["met", "in_scope"],
        "rates": ["pct"],
        "intervals": [],
        "averages": ["median"],
    }


def test_national_level_not_rounded():
    frame = pd.DataFrame({"referrals": [3, 1002], "median_days": [10.0, 12.0]})
    out = suppress_counts(
        frame, "referrals", average_columns={"median_days": "referrals"}, national=True
    )
    pd.testing.assert_frame_equal(out, frame)
    assert out.attrs["disclosure_control"] is True
    assert out.attrs["disclosure_level"] == "national"


# --- frame handling -------------------------------------------------------------------------


def test_input_frame_not_mutated():
    frame = pd.DataFrame(
        {"provider_code": ["RXA", "RXB"], "met": [13, 5], "in_scope": [47, 20], "pct": [27.7, 25.0]}
    )
    frame.attrs["source"] = "ucr"
    before = frame.copy(deep=True)
    out = suppress_counts(frame, rate_columns={"pct": Rate("met", "in_scope")})
    pd.testing.assert_frame_equal(frame, before)
    assert frame.attrs == {"source": "ucr"}
    assert out.attrs["source"] == "ucr"
    assert out is not frame


def test_empty_frame():
    frame = pd.DataFrame(
        {"provider_code": pd.Series([], dtype="str"), "met": [], "in_scope": [], "pct": []}
    )
    out = suppress_counts(frame, rate_columns={"pct": Rate("met", "in_scope")})
    assert out.empty
    assert out.columns.tolist() == frame.columns.tolist()
    assert out.attrs["disclosure_control"] is True


def test_columns_index_and_order_kept():
    frame = pd.DataFrame(
        {"month": ["2025-05", "2025-06"], "referrals": [12, 3]}, index=pd.Index([10, 20])
    )
    out = suppress_counts(frame, "referrals")
    assert out.columns.tolist() == ["month", "referrals"]
    assert out.index.tolist() == [10, 20]
    assert out["month"].tolist() == ["2025-05", "2025-06"]


def test_undeclared_numeric_column_refused_unless_uncontrolled():
    frame = pd.DataFrame({"referrals": [12], "contacts": [3], "standard": [70.0]})
    with pytest.raises(DisclosureError, match="'contacts'"):
        suppress_counts(frame, "referrals", uncontrolled="standard")
    out = suppress_counts(frame, ["referrals", "contacts"], uncontrolled=["standard"])
    assert out["standard"].tolist() == [70.0]


def test_declared_column_missing_or_twice_refused():
    frame = pd.DataFrame({"met": [13], "in_scope": [47]})
    with pytest.raises(DisclosureError, match="'refs'.*no such column"):
        suppress_counts(frame, ["met", "in_scope", "refs"])
    with pytest.raises(DisclosureError, match="'met'.*both"):
        suppress_counts(frame, "met", average_columns={"met": "in_scope"})


def test_numeric_marker_gives_float_columns():
    frame = pd.DataFrame({"met": [13, 5], "in_scope": [47, 20], "pct": [27.7, 25.0]})
    out = suppress_counts(frame, rate_columns={"pct": Rate("met", "in_scope")}, marker=np.nan)
    assert out["met"].dtype == "float64"
    assert out["met"].iloc[0] == 15 and np.isnan(out["met"].iloc[1])
    assert np.isnan(out["pct"].iloc[1])


def test_docstring_examples_run():
    result = doctest.testmod(disclosure, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    result = doctest.testmod(identifiers, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_a_rate_over_a_denominator_that_rounds_to_zero_shows_the_one_suppression_mark():
    # 1 or 2 rounds to 0, but it is a suppressed count: its rate is "*" (hidden), not "-"
    frame = pd.DataFrame({"met": [1, 0], "in_scope": [2, 0], "pct": [50.0, np.nan]})
    frame["pct_lower"], frame["pct_upper"] = frame["pct"], frame["pct"]
    out = suppress_counts(
        frame, rate_columns={"pct": Rate("met", "in_scope", 100, interval=_wilson_pct)}
    )
    assert out["pct"].iloc[0] == "*" and out["pct_lower"].iloc[0] == "*"
    assert pd.isna(out["pct"].iloc[1])  # no records at all: not available, not hidden


def _wilson_pct(numerator, denominator):
    from workbench.stats import wilson_interval

    return wilson_interval(numerator, denominator)
