"""The queueing formulas of measures.md section 8 against the worked values of NHSRwaitinglist.

Source of every expected figure: the R package NHSRwaitinglist (nhs-r-community, GitHub), its
examples and its testthat tests (tests/testthat/test-calc_*.R) for calc_queue_load,
calc_target_mean_wait, calc_target_queue_size, calc_relief_capacity, calc_target_capacity and
calc_waiting_list_pressure. The package's tests compare to 7-8 significant figures.
"""

from __future__ import annotations

import inspect
import math

import numpy as np
import pytest

from workbench import planning
from workbench.errors import WorkbenchError

APPROX = {"rel": 1e-7}


def test_queue_load_worked_values():
    # test-calc_queue_load.R: (30, 27) = 1.11111111; vector (35,30,52)/(27,25,42)
    assert planning.queue_load(30, 27) == pytest.approx(1.11111111, **APPROX)
    got = planning.queue_load([35, 30, 52], [27, 25, 42])
    assert got == pytest.approx([1.2962963, 1.2, 1.23809524], **APPROX)


def test_target_mean_wait_worked_values():
    # test-calc_target_mean_wait.R: (52, 4) = 13; vector (35,30,52), (4,4,6)
    assert planning.target_mean_wait(52, 4) == 13
    assert planning.target_mean_wait(52) == 13  # the factor defaults to 4
    got = planning.target_mean_wait([35, 30, 52], [4, 4, 6])
    assert got == pytest.approx([8.75, 7.5, 8.6666667], **APPROX)


def test_target_queue_size_worked_values():
    # test-calc_target_queue_size.R and the example: 30 a week, 52 weeks -> 390
    assert planning.target_queue_size(30, 52) == 390
    assert planning.target_queue_size(30, 50) == 375
    assert planning.target_queue_size(30, 50, 6) == pytest.approx(250)
    got = planning.target_queue_size([30, 30, 30], [52, 50, 50], [4, 4, 6])
    assert got == pytest.approx([390, 375, 250])


def test_relief_capacity_worked_values():
    # test-calc_relief_capacity.R and the example: 30 + (1200 - 390) / 26 = 61.153846
    assert planning.relief_capacity(30, 1200, 390, 26) == pytest.approx(61.153846, **APPROX)
    assert planning.relief_capacity(30, 1200, 390) == pytest.approx(61.153846, **APPROX)
    got = planning.relief_capacity([30, 33, 35], [1200, 800, 250], [390, 200, 100], [26, 30, 15])
    assert got == pytest.approx([61.153846, 53, 45], **APPROX)


def test_relief_capacity_raises_an_estimated_demand():
    # calc_relief_capacity.R: with num_referrals > 0, demand / (1 - 2 demand cv / sqrt(n))
    raised = 30 / (1 - 2 * 30 * 0.1 / math.sqrt(400))
    got = planning.relief_capacity(30, 1200, 390, 26, num_referrals=400, cv_demand=0.1)
    assert got == pytest.approx(raised + 810 / 26)
    # the correction is skipped when it would divide by zero or less
    assert planning.relief_capacity(30, 1200, 390, 26, 4, 1) == pytest.approx(61.153846, **APPROX)


def test_target_capacity_worked_values():
    # test-calc_target_capacity.R: (30, 52, 3, 1.1, 1.2) = 30.076442
    assert planning.target_capacity(30, 52, 3, 1.1, 1.2) == pytest.approx(30.076442, **APPROX)
    got = planning.target_capacity(
        [30, 42, 35], [52, 65, 50], [3, 2, 1], [1.1, 1.2, 1.3], [1.4, 1.5, 1.6]
    )
    assert got == pytest.approx([30.0914423, 42.0567692, 35.0425], **APPROX)
    # defaults: factor 4, both coefficients of variation 1 (Poisson arrivals and removals)
    assert planning.target_capacity(4, 52) == pytest.approx(4 + 4 / 52)


def test_waiting_list_pressure_worked_values():
    # test-calc_waiting_list_pressure.R: (63, 52) = 2.42307692
    assert planning.waiting_list_pressure(63, 52) == pytest.approx(2.42307692, **APPROX)
    got = planning.waiting_list_pressure([63, 42, 55], [52, 24, 50])
    assert got == pytest.approx([2.42307692, 3.5, 2.2], **APPROX)


def test_arguments_keep_the_r_package_names_and_order():
    expected = {
        "queue_load": ["demand", "capacity"],
        "target_mean_wait": ["target_wait", "factor"],
        "target_queue_size": ["demand", "target_wait", "factor"],
        "relief_capacity": [
            "demand",
            "queue_size",
            "target_queue_size",
            "time_to_target",
            "num_referrals",
            "cv_demand",
        ],
        "target_capacity": ["demand", "target_wait", "factor", "cv_demand", "cv_capacity"],
        "waiting_list_pressure": ["mean_wait", "target_wait"],
    }
    for name, args in expected.items():
        assert list(inspect.signature(getattr(planning, name)).parameters) == args, name


def test_factor_from_the_standards_percentile():
    # exponential waits: the share past the target is e^-factor
    assert planning.share_within_target(4) == pytest.approx(0.9817, abs=1e-4)
    weeks_18, share_18 = planning.STANDARD_18_WEEKS
    weeks_52, share_52 = planning.STANDARD_52_WEEKS
    assert (weeks_18, share_18, weeks_52, share_52) == (18, 0.92, 52, 0.99)
    assert planning.factor_for_percentile(share_18) == pytest.approx(-math.log(0.08))
    assert planning.factor_for_percentile(share_52) == pytest.approx(4.60517, abs=1e-5)
    for f in (1.0, 2.5, 4.0, 6.0):
        assert planning.factor_for_percentile(planning.share_within_target(f)) == pytest.approx(f)


def test_scalars_give_floats_and_arrays_give_arrays():
    assert isinstance(planning.target_queue_size(30, 52), float)
    assert isinstance(planning.target_queue_size(np.array([30.0]), 52), np.ndarray)


@pytest.mark.parametrize(
    "call",
    [
        lambda: planning.queue_load("x", 1),
        lambda: planning.target_queue_size(1, "x", 3),
        lambda: planning.relief_capacity(1, 2, "x", 4),
        lambda: planning.target_capacity(1, 2, 3, 4, "x"),
        lambda: planning.waiting_list_pressure("x", 2),
    ],
)
def test_text_is_refused_with_a_clear_error(call):
    with pytest.raises(WorkbenchError, match="must be a number"):
        call()


@pytest.mark.parametrize(
    "call",
    [
        lambda: planning.queue_load(30, 0),
        lambda: planning.target_mean_wait(52, 0),
        lambda: planning.relief_capacity(30, 1200, 390, 0),
        lambda: planning.waiting_list_pressure(63, 0),
        lambda: planning.factor_for_percentile(1.0),
        lambda: planning.factor_for_percentile(92),
    ],
)
def test_impossible_values_are_refused(call):
    with pytest.raises(WorkbenchError):
        call()
