"""measures.md section 8, the waiting list's weekly dynamics, on a hand-worked list.

Period 2025-05-31 to 2025-06-15: two whole weeks counted back from the end, week 1 from
2025-06-02 to 06-08 and week 2 from 06-09 to 06-15 (31 May and 1 June, a part week, are left
out). Each referral's part is worked by hand in its comment.
"""

import datetime as dt

import pytest

from submission_files import contact, make_store, person, referral
from workbench import load_store
from workbench.errors import WorkbenchError
from workbench.measures.dynamics import list_dynamics, weeks_frame

START, END = "2025-05-31", "2025-06-15"
W1, W2 = "2025-06-08", "2025-06-15"


@pytest.fixture
def store(tmp_path, engine):
    mpi = [person("P1"), person("P2", age_years="9")]
    referrals = [
        # adult, waiting throughout: 38 days at the end of week 1, 45 at the end of week 2
        referral("OLD", "P1", referral_received_date="2025-05-01"),
        # adult, on the list when week 1 starts, seen on 06-05 (week 1)
        referral("SEEN_A", "P1", referral_received_date="2025-05-20"),
        # adult, added 06-03 (week 1, waits 5 days at its end), rejected 06-10 (week 2, unseen)
        referral(
            "NEW_A",
            "P1",
            referral_received_date="2025-06-03",
            referral_rejection_date="2025-06-10",
        ),
        # adult, added 06-09 (week 2), waiting 6 days at its end
        referral("NEW_B", "P1", referral_received_date="2025-06-09"),
        # adult, added 06-10 and seen 06-12, both in week 2
        referral("SAME_WEEK", "P1", referral_received_date="2025-06-10"),
        # adult, seen before the period: in no week
        referral("BEFORE", "P1", referral_received_date="2025-05-01"),
        # adult, discharged unseen on 06-01, the day before week 1: in no week
        referral(
            "LEFT_DAY_BEFORE",
            "P1",
            referral_received_date="2025-05-10",
            service_discharge_date="2025-06-01",
        ),
        # children and young people's, added on 06-08 (last day of week 1, waits 0), waiting
        # 7 days at the end of week 2
        referral(
            "CYP1",
            "P2",
            referral_received_date="2025-06-08",
            team_type="C03",
            age_at_referral="9",
        ),
    ]
    contacts = [
        contact("C1", "SEEN_A", contact_date="2025-06-05"),
        contact("C2", "SAME_WEEK", contact_date="2025-06-12"),
        contact("C3", "BEFORE", contact_date="2025-05-25"),
    ]
    return load_store(
        make_store(tmp_path, mpi=mpi, referrals=referrals, care_contacts=contacts), engine=engine
    )


def _week(frame, week, **where):
    rows = frame[frame["week_ending"].astype(str) == week]
    for col, value in where.items():
        rows = rows[rows[col] == value]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_weeks_count_back_from_the_period_end():
    weeks = weeks_frame(dt.date.fromisoformat(START), dt.date.fromisoformat(END))
    assert [str(w) for w in weeks["week_ending"]] == [W1, W2]
    assert [str(d) for d in weeks["first_day"]] == ["2025-06-02", "2025-06-09"]


def test_week_one_movements_and_waits(store):
    row = _week(list_dynamics(store, START, END), W1)
    assert row["list_start"] == 2  # OLD, SEEN_A (LEFT_DAY_BEFORE left on 06-01)
    assert row["additions"] == 2  # NEW_A, CYP1
    assert (row["seen"], row["removed"], row["removals"]) == (1, 0, 1)  # SEEN_A
    assert row["waiting"] == 3  # OLD 38, NEW_A 5, CYP1 0 = 2 + 2 - 1
    assert row["load"] == pytest.approx(2.0)
    assert row["mean_days"] == pytest.approx(43 / 3)
    assert row["median_days"] == pytest.approx(5)
    assert row["p92_days"] == pytest.approx(5 + 0.84 * 33)  # position 1.84 of 0, 5, 38


def test_week_two_movements_and_waits(store):
    row = _week(list_dynamics(store, START, END), W2)
    assert row["list_start"] == 3  # OLD, NEW_A, CYP1
    assert row["additions"] == 2  # NEW_B, SAME_WEEK
    assert (row["seen"], row["removed"], row["removals"]) == (1, 1, 2)  # SAME_WEEK; NEW_A
    assert row["waiting"] == 3  # OLD 45, NEW_B 6, CYP1 7
    assert row["load"] == pytest.approx(1.0)
    assert row["mean_days"] == pytest.approx(58 / 3)
    assert row["median_days"] == pytest.approx(7)
    assert row["p92_days"] == pytest.approx(7 + 0.84 * 38)


def test_adult_and_children_apart(store):
    frame = list_dynamics(store, START, END, by="service")
    adult1 = _week(frame, W1, service="Adult")
    assert (adult1["additions"], adult1["seen"], adult1["waiting"]) == (1, 1, 2)
    assert adult1["median_days"] == pytest.approx(21.5)  # 5 and 38
    cyp1 = _week(frame, W1, service="Children and young people")
    assert (cyp1["list_start"], cyp1["additions"], cyp1["waiting"]) == (0, 1, 1)
    assert cyp1["removals"] == 0 and cyp1["load"] != cyp1["load"]  # no removals: no load
    cyp2 = _week(frame, W2, service="Children and young people")
    assert (cyp2["list_start"], cyp2["additions"], cyp2["waiting"], cyp2["p92_days"]) == (
        1,
        0,
        1,
        7,
    )
    adult2 = _week(frame, W2, service="Adult")
    assert (adult2["additions"], adult2["seen"], adult2["removed"], adult2["waiting"]) == (
        2,
        1,
        1,
        2,
    )


def test_every_week_reconciles(store):
    frame = list_dynamics(store, START, END, by=["service", "team_type"])
    assert (frame["waiting"] == frame["list_start"] + frame["additions"] - frame["removals"]).all()


def test_a_period_shorter_than_a_week_is_refused(store):
    with pytest.raises(WorkbenchError, match="shorter than a week"):
        list_dynamics(store, "2025-06-10", "2025-06-15")


def test_the_list_at_census_for_planning(store):
    from workbench.planning import list_at_census

    everyone = list_at_census(store, W2)
    assert everyone["wait"].tolist() == [6, 7, 45]  # NEW_B, CYP1, OLD
    assert set(everyone.columns) == {"wait", "priority_type"}  # no identifier leaves the store
    adult = list_at_census(store, W2, "provider", "RXA", service="Adult")
    assert adult["wait"].tolist() == [6, 45]
    assert list_at_census(store, W1, "provider", "RXA", team_type="C03")["wait"].tolist() == [0]
    with pytest.raises(WorkbenchError, match="give the region code"):
        list_at_census(store, W2, "region")
