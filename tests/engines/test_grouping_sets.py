"""Every aggregate in one pass: grouping sets give what separate group-bys give (issue 9)."""

import pandas as pd
import pytest

from submission_files import make_store, person, referral
from workbench import load_store
from workbench.measures.grouping_sets import aggregate_by_sets, split_by_set


@pytest.fixture(scope="module")
def referrals(tmp_path_factory, engine):
    folder = tmp_path_factory.mktemp("sets")
    refs = [
        referral(
            f"R{i}", f"P{i % 3}", team_type=("A01", "A02", "C01")[i % 3], age_at_referral=str(i)
        )
        for i in range(30)
    ]
    store = load_store(
        make_store(folder, mpi=[person(f"P{i}") for i in range(3)], referrals=refs), engine=engine
    )
    table = store["referrals"]
    return table.mutate(age=table.age_at_referral.cast("float64"))


SETS = [("team_type",), ("team_type", "person_id"), ()]


@pytest.mark.parametrize("strategy", ["grouping_sets", "union"])
def test_each_set_equals_its_own_group_by(referrals, strategy):
    aggregates = {"n": referrals.count(), "median_age": referrals.age.quantile(0.5)}
    frame = aggregate_by_sets(referrals, SETS, aggregates, strategy=strategy)
    for columns, part in split_by_set(frame, SETS):
        if columns:
            expected = referrals.group_by(list(columns)).aggregate(**aggregates).to_pandas()
        else:
            expected = referrals.aggregate(**aggregates).to_pandas()
        keys = list(columns)
        got = part.sort_values(keys).reset_index(drop=True) if keys else part
        expected = expected.sort_values(keys).reset_index(drop=True) if keys else expected
        pd.testing.assert_frame_equal(got[expected.columns], expected, check_dtype=False)


def test_the_total_has_a_row_even_over_no_records(referrals):
    empty = referrals.filter(referrals.team_type == "none")
    frame = aggregate_by_sets(empty, SETS, {"n": empty.count()})
    parts = dict(split_by_set(frame, SETS))
    assert parts[()]["n"].tolist() == [0]
    assert parts[("team_type",)].empty
