"""Referrals of one provider and their pathway: service line, wait, removal or first contact,
and the UCR / 2-day response clocks that time the first contact."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.spec.service_lines import BED_BASED_TEAM_TYPE, UCR_TEAM_TYPE
from workbench.synthetic import calibration as cal
from workbench.synthetic.dates import MISSING
from workbench.synthetic.persons import age_on
from workbench.synthetic.sampling import choose, lognormal_days

TWO_DAY_TEAM_TYPE = "A06"


def _referral_days(rng: np.random.Generator, persons: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """One row per referral: person row index and received day (first referral, then further
    ones a few weeks later)."""
    counts = persons["n_refs"].to_numpy()
    owner = np.repeat(np.arange(len(persons)), counts)
    first = np.repeat(persons["first_ref_day"].to_numpy(), counts)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    later = np.arange(len(owner)) != starts
    gap = np.where(later, np.ceil(rng.exponential(cal.EXTRA_REFERRAL_GAP_DAYS, len(owner))), 0)
    return owner, first + gap.astype(np.int64)


def _service_lines(rng: np.random.Generator, group: np.ndarray, has_beds: bool) -> np.ndarray:
    lines = np.empty(len(group), dtype=object)
    for g, name in enumerate(cal.AGE_GROUPS):
        mix = dict(cal.SERVICE_MIX[name])
        if not has_beds and BED_BASED_TEAM_TYPE in mix:
            mix[BED_BASED_TEAM_TYPE] = 0.0
        mask = group == g
        lines[mask] = choose(rng, mix, int(mask.sum()))
    return lines


def _by_line(lines: np.ndarray, table: dict, default: tuple) -> tuple[np.ndarray, np.ndarray]:
    pairs = np.array([table.get(line, default) for line in lines], dtype=float).reshape(-1, 2)
    return pairs[:, 0], pairs[:, 1]


def make_referrals(
    rng: np.random.Generator,
    persons: pd.DataFrame,
    end_day: int,
    has_beds: bool,
) -> pd.DataFrame:
    """Every referral of the persons received before ``end_day``, with its pathway.

    Pathway columns: ``seen`` (has an attended first contact), ``stop_day``/``stop_min`` (first
    attended contact), ``removal_day``/``removal_reason``/``rejected`` (removed unseen), and the
    clock: ``clock_type`` ('05', '06' or ''), ``clock_end_day``/``clock_end_min`` as recorded.
    """
    owner, received = _referral_days(rng, persons)
    keep = received < end_day
    owner, received = owner[keep], received[keep]
    n = len(owner)
    age = age_on(persons["dob_day"].to_numpy()[owner], received)
    group = np.select([age <= 18, age <= 64], [0, 1], 2)
    lines = _service_lines(rng, group, has_beds)
    ucr = lines == UCR_TEAM_TYPE
    minute = _received_minutes(rng, ucr)
    source, priority, reason = _referral_codes(rng, lines, ucr, group == 0)
    wait, stop_min = _first_contact_waits(rng, lines, minute)
    clock_type, rec_end_day, rec_end_min = _response_clocks(
        rng, lines, received, minute, wait, stop_min
    )
    removed, removal_day, removal_reason = _removals(rng, clock_type != "", received, wait)
    rejected = removal_reason == "07"
    seen = ~removed
    return pd.DataFrame(
        {
            "rnum": np.arange(n, dtype=np.int64),
            "referral_id": np.arange(n, dtype=np.int64),  # written R + 9 digits
            "prow": owner,
            "received_day": received,
            "received_min": minute,
            "line": lines,
            "group": group,
            "age_at_referral": age,
            "source_of_referral": source,
            "priority_type": priority,
            "primary_referral_reason": reason,
            "seen": seen,
            "stop_day": np.where(seen, received + wait, MISSING),
            "stop_min": np.where(seen, stop_min, MISSING),
            "removal_day": removal_day,
            "removal_reason": removal_reason,
            "rejected": rejected,
            "clock_type": clock_type,
            "clock_end_day": rec_end_day,
            "clock_end_min": rec_end_min,
        }
    )


def _received_minutes(rng: np.random.Generator, ucr: np.ndarray) -> np.ndarray:
    """Received time (minute of the day): UCR 08:00-20:00 peaking late morning, others office
    hours."""
    n = len(ucr)
    return np.where(
        ucr,
        np.clip(rng.normal(13 * 60, 170, n), 7 * 60, 21 * 60),
        rng.integers(8 * 60, 17 * 60, n),
    ).astype(np.int64)


def _referral_codes(
    rng: np.random.Generator, lines: np.ndarray, ucr: np.ndarray, cyp: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Source of referral, priority and primary reason (mostly the service line's own)."""
    n = len(lines)
    source = np.where(cyp, choose(rng, cal.SOURCE_CYP, n), choose(rng, cal.SOURCE_ADULT, n))
    source[ucr] = choose(rng, cal.SOURCE_UCR, int(ucr.sum()))
    priority = choose(rng, cal.PRIORITY_ROUTINE, n)
    priority[ucr] = "2"
    main_reason = np.array([cal.REASON_BY_LINE.get(x, "") for x in lines], dtype=object)
    reason = choose(rng, {"01": 0.3, "02": 0.35, "03": 0.15, "04": 0.18, "99": 0.02}, n)
    use_main = (main_reason != "") & (rng.random(n) < 0.7)
    reason[use_main | ucr] = main_reason[use_main | ucr]
    return source, priority, reason


def ucr_referral_reasons(rng: np.random.Generator, lines: np.ndarray) -> np.ndarray:
    """The clinical condition or need of each urgent community response referral (sources.md
    2a; shares ``calibration.UCR_REASON``), '' for every other referral. Drawn from its own
    stream, so adding it changed no other column."""
    ucr = lines == UCR_TEAM_TYPE
    reason = np.full(len(lines), "", dtype=object)
    reason[ucr] = choose(rng, cal.UCR_REASON, int(ucr.sum()))
    return reason


def _first_contact_waits(
    rng: np.random.Generator, lines: np.ndarray, minute: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Days waited to the first attended contact (by service line) and its minute of the day
    (in office hours, or a few hours after a same-day referral)."""
    n = len(lines)
    median, sigma = _by_line(lines, cal.WAITS, cal.WAIT_DEFAULT)
    wait = lognormal_days(rng, median, sigma)
    stop_min = rng.integers(32, 76, n) * 15  # 08:00-18:45 in quarter hours
    same_day = wait == 0
    stop_min[same_day] = np.minimum(
        23 * 60 + 45, minute[same_day] + rng.integers(30, 240, n)[same_day]
    )
    return wait, stop_min


def _response_clocks(
    rng: np.random.Generator,
    lines: np.ndarray,
    received: np.ndarray,
    minute: np.ndarray,
    wait: np.ndarray,
    stop_min: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """UCR ('05') and 2-day ('06') response clocks: clock type and the clock end as recorded
    (some missing, some before the start). The first contact of a clocked referral is at the
    clock end: ``wait`` and ``stop_min`` are set so in place."""
    n = len(lines)
    ucr = lines == UCR_TEAM_TYPE
    clock_type = np.full(n, "", dtype=object)
    clock_type[ucr] = "05"
    two_day = (lines == TWO_DAY_TEAM_TYPE) & (rng.random(n) < cal.TWO_DAY_CLOCK_SHARE)
    clock_type[two_day] = "06"
    response = np.zeros(n, dtype=np.int64)
    response[ucr] = np.clip(
        np.round(
            cal.UCR_RESPONSE_MEDIAN_MIN
            * np.exp(cal.UCR_RESPONSE_SIGMA * rng.standard_normal(ucr.sum()))
        ),
        5,
        1440,
    )
    response[two_day] = np.clip(
        np.round(
            60 * cal.TWO_DAY_RESPONSE_MEDIAN_H * np.exp(0.7 * rng.standard_normal(two_day.sum()))
        ),
        30,
        7 * 1440,
    )
    clocked = clock_type != ""
    end_abs = received * 1440 + minute + response
    wait[clocked] = end_abs[clocked] // 1440 - received[clocked]
    stop_min[clocked] = end_abs[clocked] % 1440
    rec_end_day = np.where(clocked, end_abs // 1440, MISSING)
    rec_end_min = np.where(clocked, end_abs % 1440, MISSING)
    u = rng.random(n)
    missing_end = ucr & (u < cal.UCR_MISSING_END)
    before = ucr & (u >= cal.UCR_MISSING_END) & (u < cal.UCR_MISSING_END + cal.UCR_END_BEFORE_START)
    rec_end_day[missing_end] = MISSING
    rec_end_min[missing_end] = MISSING
    early = received * 1440 + minute - rng.integers(5, 90, n)
    rec_end_day[before] = (early // 1440)[before]
    rec_end_min[before] = (early % 1440)[before]
    return clock_type, rec_end_day, rec_end_min


def _removals(
    rng: np.random.Generator, clocked: np.ndarray, received: np.ndarray, wait: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which referrals are removed without being seen (never clocked urgent ones), the removal
    day (MISSING when not removed) and reason ('' when not; '07' rejected, soon after)."""
    n = len(clocked)
    removed = (~clocked) & (rng.random(n) < cal.REMOVED_UNSEEN)
    removal_reason = np.full(n, "", dtype=object)
    removal_reason[removed] = choose(rng, cal.REMOVAL_REASONS, int(removed.sum()))
    rejected = removal_reason == "07"
    removal_day = np.full(n, MISSING, dtype=np.int64)
    frac = rng.uniform(0.05, 1.0, n)
    removal_day[removed] = received[removed] + np.floor(frac * wait)[removed].astype(np.int64)
    quick = np.minimum(wait, rng.integers(0, 15, n))
    removal_day[rejected] = received[rejected] + quick[rejected]
    return removed, removal_day, removal_reason
