"""The pandas reference of the linked measures (linked_reference.py) against values worked by
hand on the tiny extract of hand_extract.py (measures.md section 9), so that the reference is
right on its own before it is set against the registry (test_linked_against_registry.py)."""

from __future__ import annotations

import math

import linked_reference as ref
import numpy as np
import pandas as pd
import pytest
from hand_extract import END, START, hand_extract


@pytest.fixture(scope="module")
def extract() -> ref.Extract:
    return hand_extract()


def rows(frame: pd.DataFrame, key: str | list[str], columns: list[str]) -> dict:
    """``{key value: (columns...)}`` of a result frame, for comparing with worked values."""
    keys = [key] if isinstance(key, str) else key
    out = {}
    for _, row in frame.iterrows():
        k = tuple(row[c] for c in keys)
        out[k[0] if len(k) == 1 else k] = tuple(int(row[c]) for c in columns)
    return out


def test_wilson_matches_the_worked_example_of_workbench_stats() -> None:
    # 1 of 5: 20.0% (3.62 to 62.45), the docstring example of stats.percentage_with_interval
    pct, lower, upper = ref.wilson(1, 5)
    assert (pct, round(lower, 2), round(upper, 2)) == (20.0, 3.62, 62.45)
    assert all(math.isnan(v) for v in ref.wilson(0, 0))
    assert ref.wilson(0, 4)[1] == 0.0


def test_percentile7_is_numpy_type_7() -> None:
    values = [0, 1, 2, 3, 5, 8, 13, 40]
    for q in (50, 90, 92, 10):
        assert ref.percentile7(pd.Series(values), q) == pytest.approx(np.percentile(values, q))
    assert ref.percentile7(pd.Series(values), 50) == 4.0
    assert ref.percentile7(pd.Series(values), 90) == pytest.approx(21.1)


def test_after_ucr(extract: ref.Extract) -> None:
    # k1 (p1, 1 Feb): emergency admission and request the same day: the admission first.
    # k3 (p3, 1 Apr): request on day 4, admission on day 8: a request in 7 and 30 days.
    # k6 (p3, 20 Jun): request on day 25 (after the period end): neither in 7, request in 30.
    # Out of scope: a clock ending before it starts, one with no end time, a non-05 clock.
    columns = ["clocks", "admission_7_days", "request_7_days", "neither_7_days"]
    columns += ["admission_30_days", "request_30_days", "neither_30_days"]
    england = ref.after_ucr(extract, START, END, None)
    assert rows(england.assign(k=0), "k", columns) == {0: (3, 1, 1, 1, 1, 2, 0)}
    assert england.loc[0, "pct_request_30_days"] == pytest.approx(200 / 3)
    by_region = ref.after_ucr(extract, START, END, "region")
    assert rows(by_region, "region", columns) == {
        "R1": (1, 1, 0, 0, 1, 0, 0),
        "R2": (2, 0, 1, 1, 0, 2, 0),
    }
    by_ethnic = ref.after_ucr(extract, START, END, "ethnic_group")
    assert rows(by_ethnic, "ethnic_group", ["clocks"]) == {"White": (1,), "Not known": (2,)}


def test_discharge_to_service(extract: ref.Extract) -> None:
    # In the period, alive: s1 (no service in -7..90), s2 (other short term support 5 days
    # before: 0 days; an unpaid carer service is not counted), s4 (reablement day 2), s6
    # (reablement day 2), s7 (residential care day 17). s3 died; s5 is before the period.
    columns = ["discharges", "with_service"]
    england = ref.discharge_to_service(extract, START, END, None)
    assert rows(england.assign(k=0), "k", columns) == {0: (5, 4)}
    assert math.isnan(england.loc[0, "median_days"])  # fewer than 8 with a service
    assert math.isnan(england.loc[0, "p90_days"])
    by_provider = ref.discharge_to_service(extract, START, END, "provider")
    assert rows(by_provider, "provider", columns) == {"PA": (2, 1), "PB": (3, 3)}
    spells = ref.discharges_with_service(extract, pd.Timestamp(START), pd.Timestamp(END))
    assert sorted(spells["days"].dropna()) == [0, 2, 2, 17]


def test_discharge_to_service_percentiles_from_8(extract: ref.Extract) -> None:
    days = [0, 1, 2, 3, 5, 8, 13, 40]
    people = [f"q{i}" for i in range(len(days))]
    spells = pd.DataFrame(
        {
            "provider_code": "PA",
            "spell_id": people,
            "person_id": people,
            "discharge_date": pd.Timestamp("2025-02-01"),
            "discharge_destination": "01",
        }
    )
    services = pd.DataFrame(
        {
            "person_id": people,
            "event_type": "Service",
            "service_type": "Long term support: Community",
            "event_start_date": [pd.Timestamp("2025-02-01") + pd.Timedelta(days=d) for d in days],
        }
    )
    eight = ref.Extract(**{**extract.__dict__, "inpatient_spells": spells, "cld_events": services})
    out = ref.discharge_to_service(eight, START, END, None)
    assert (out.loc[0, "median_days"], out.loc[0, "p90_days"]) == (4.0, pytest.approx(21.1))
    seven = ref.Extract(**{**eight.__dict__, "inpatient_spells": spells.iloc[:7]})
    assert math.isnan(ref.discharge_to_service(seven, START, END, None).loc[0, "median_days"])


def test_service_curve(extract: ref.Extract) -> None:
    curve = ref.service_curve(extract, START, END, None).set_index("day")
    assert list(curve.index) == list(range(91))
    assert (curve["discharges"] == 5).all()
    by_day = curve["with_service_by_day"]
    assert [by_day[d] for d in (0, 1, 2, 16, 17, 90)] == [1, 1, 3, 3, 4, 4]


def test_reablement_episodes_merge_within_7_days(extract: ref.Extract) -> None:
    episodes = ref.reablement_episodes(extract)
    p1 = episodes[episodes["person_id"] == "p1"]
    # e4 (22 Mar - 30 Apr) and e7 (5 May, 5 days later) merge; e8 (1 Jun, 12 days after 20 May)
    # is a new episode
    assert [str(d.date()) for d in p1["start"]] == ["2025-03-22", "2025-06-01"]
    assert len(episodes) == 6  # p1 twice, p2, p3, p4, p5; none for the service with no id
    assert len(ref.reablement_episodes(extract, pseudonymised=False)) == 7
    ages = dict(zip(episodes["person_id"], episodes["age"], strict=True))
    assert ages["p3"] == 64  # born June 1960, episode 3 May 2025
    assert ages["p5"] == 94


def test_reablement_episode_open_service_absorbs_later_ones(extract: ref.Extract) -> None:
    cld = extract.cld_events
    open_first = cld[cld["event_reference"].isin(["e8"])].assign(
        event_start_date=pd.Timestamp("2025-01-01")
    )
    later = open_first.assign(event_reference="e20", event_start_date=pd.Timestamp("2025-05-01"))
    changed = ref.Extract(**{**extract.__dict__, "cld_events": pd.concat([open_first, later])})
    assert len(ref.reablement_episodes(changed)) == 1


def test_reablement_at_home(extract: ref.Extract) -> None:
    # Linked (65+): p1's 22 Mar episode to the acute discharge of 20 Mar (a community bed
    # discharge the same day: acute wins); emergency admission day 87: home 84, not 91.
    # p2's 22 Jan episode to the acute discharge that day: a long-term community service on day
    # 38 is not long-term care: home both. p4 to the acute discharge of 5 Jan: died on day 55
    # (the latest date stated, 1 Mar; a later-submitted row says 20 Jan: day 15). p5 to the
    # community bed discharge of 10 Feb: residential care on day 91: home 84, not 91. Not
    # counted: p3 (64), p1's June episode (no discharge from -7 to +3 days).
    columns = ["episodes_84", "at_home_84_days", "episodes_91", "at_home_91_days"]
    england = ref.reablement_at_home(extract, START, END, None)
    assert rows(england, "discharge_setting", columns) == {
        "acute": (3, 2, 3, 1),
        "community bed": (1, 1, 1, 0),
        "any": (4, 3, 4, 1),
    }
    by_council = ref.reablement_at_home(extract, START, END, "council")
    assert rows(by_council, ["council", "discharge_setting"], columns) == {
        ("LA1", "acute"): (2, 2, 2, 1),
        ("LA1", "any"): (2, 2, 2, 1),
        ("LA2", "acute"): (1, 0, 1, 0),
        ("LA2", "community bed"): (1, 1, 1, 0),
        ("LA2", "any"): (2, 1, 2, 0),
    }


def test_reablement_at_home_needs_the_whole_follow_up_in_the_period(
    extract: ref.Extract,
) -> None:
    # With the period ending 15 June, 91 days back is 16 March: p1's 20 March discharge falls
    # out of the 91-day count, and stays in the 84-day one (to 23 March).
    out = ref.reablement_at_home(extract, START, "2025-06-15", None)
    assert rows(out, "discharge_setting", ["episodes_84", "episodes_91"])["acute"] == (3, 2)


def test_reablement_coverage(extract: ref.Extract) -> None:
    # 65+ episodes starting in the period: p1 (Mar, linked; Jun, not), p2 (linked), p4
    # (linked), p5 (linked), and the service with no pseudonym (not linked): 4 of 6.
    england = ref.reablement_coverage(extract, START, END, None)
    assert rows(england.assign(k=0), "k", ["episodes", "linked"]) == {0: (6, 4)}
    by_region = ref.reablement_coverage(extract, START, END, "region")
    assert rows(by_region, "region", ["episodes", "linked"]) == {
        "R1": (3, 2),
        "R2": (2, 2),
        "Not known": (1, 0),
    }
    # the broad group of CLD's 2021 census heading; the service with no pseudonym is White
    by_ethnic = ref.reablement_coverage(extract, START, END, "ethnic_group")
    assert rows(by_ethnic, "ethnic_group", ["episodes", "linked"]) == {
        "White": (3, 1),
        "Asian": (1, 1),
        "Other": (1, 1),
        "Mixed": (1, 1),
    }


def test_both_services(extract: ref.Extract) -> None:
    # Active in the period: p1, p2, p6 at PA; p1, p3, p7 at PB. A service active in the
    # period: p1, p2, p3; p6 has only unpaid carer support and a service ended in 2024.
    # p1 counts at each provider, once in England, and in the ethnic group of each MPI row.
    columns = ["persons", "with_social_care"]
    england = ref.both_services(extract, START, END, None)
    assert rows(england.assign(k=0), "k", columns) == {0: (5, 3)}
    by_provider = ref.both_services(extract, START, END, "provider")
    assert rows(by_provider, "provider", columns) == {"PA": (3, 2), "PB": (3, 2)}
    by_ethnic = ref.both_services(extract, START, END, "ethnic_group")
    assert rows(by_ethnic, "ethnic_group", columns) == {
        "White": (2, 1),
        "Asian": (1, 1),
        "Black": (1, 1),
        "Mixed": (1, 0),
        "Not known": (1, 1),
    }


def test_transitions(extract: ref.Extract) -> None:
    out = ref.transitions(extract, START, END, None)
    assert len(out) == 3 * 6  # every outcome of each setting with starts, 0 when none
    moved = out[out["transitions"] > 0]
    got = rows(moved, ["from_setting", "to_outcome"], ["transitions", "starts"])
    assert got == {
        ("urgent response", "emergency admission"): (
            1,
            3,
        ),  # k1: admission and request the same day
        ("urgent response", "social care request"): (2, 3),  # k3 day 4; k6 day 25
        ("community bed", "home"): (1, 6),  # s1
        ("community bed", "reablement"): (3, 6),  # s2, s4, s6 (s4's p3 is 64: still counts)
        ("community bed", "social care request"): (1, 6),  # s3 (died in hospital: still a start)
        ("community bed", "long-term care"): (1, 6),  # s7: residential care on day 17
        ("acute discharge", "home"): (2, 7),  # a1 (next admission day 32), a5
        ("acute discharge", "reablement"): (3, 7),  # a3 (day 0), a4, a6
        ("acute discharge", "died"): (1, 7),  # a8: p4 died 4 days later
        # a7: admitted as an emergency and discharged the same day: the admission is another
        # event on the discharge's day, so it "follows" it (measures.md 9, read to the letter)
        ("acute discharge", "emergency admission"): (1, 7),
    }  # a9 (p8, no community record) starts nothing
    by_provider = ref.transitions(extract, START, END, "provider")
    acute = by_provider[
        (by_provider["from_setting"] == "acute discharge") & (by_provider["transitions"] > 0)
    ]
    # an acute discharge takes the person's first community provider by code: p1, p2 at PA
    assert rows(acute, ["provider", "to_outcome"], ["transitions", "starts"]) == {
        ("PA", "home"): (2, 5),
        ("PA", "reablement"): (2, 5),
        ("PA", "emergency admission"): (1, 5),
        ("PB", "reablement"): (1, 2),
        ("PB", "died"): (1, 2),
    }


def test_linkage_councils(extract: ref.Extract) -> None:
    columns = ["events", "with_pseudonym", "pseudonyms", "linked"]
    england = ref.linkage_councils(extract, START, END, None)
    # p9 (LA2) is in CLD only; one LA2 service has no pseudonym; e6, e17, e18 start outside
    assert rows(england.assign(k=0), "k", columns) == {0: (17, 16, 7, 6)}
    by_council = ref.linkage_councils(extract, START, END, "council")
    assert rows(by_council, "council", columns) == {"LA1": (10, 10, 4, 4), "LA2": (7, 6, 4, 3)}
    by_region = ref.linkage_councils(extract, START, END, "region")
    assert rows(by_region, "region", columns) == {
        "R1": (9, 9, 3, 3),
        "R2": (7, 7, 4, 3),
        "Not known": (1, 0, 0, 0),
    }


def test_linkage_providers(extract: ref.Extract) -> None:
    columns = ["persons", "in_cld"]
    england = ref.linkage_providers(extract, START, END, None)
    assert rows(england.assign(k=0), "k", columns) == {0: (5, 4)}
    by_provider = ref.linkage_providers(extract, START, END, "provider")
    assert rows(by_provider, "provider", columns) == {"PA": (3, 3), "PB": (3, 2)}
    by_region = ref.linkage_providers(extract, START, END, "region")
    # p1 lives in R1 by PA's MPI row and in R2 by PB's: once in each
    assert rows(by_region, "region", columns) == {"R1": (3, 2), "R2": (3, 3)}
