"""Care contacts of each referral: non-attended ones while waiting, the first attended contact
at the end of the wait, then follow-ups by service line; and the discharge that follows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.spec.service_lines import UCR_TEAM_TYPE
from workbench.synthetic import calibration as cal
from workbench.synthetic.codes import choose_codes, code_of, coded, vocabulary
from workbench.synthetic.sampling import group_cumsum, stable_order

_REMOTE = {"02", "11"}
#: The categories of the coded columns (codes.py).
ATTENDANCE = vocabulary(cal.ATTENDANCE_PRE, cal.ATTENDANCE_FOLLOW_UP)
MECHANISMS = vocabulary(cal.CONSULTATION)
LOCATIONS = vocabulary(*cal.LOCATIONS.values(), ["L08"])


#: The columns of the contacts frame held as codes, and their categories.
_CODED = {
    "attendance_status": ATTENDANCE,
    "consultation_mechanism": MECHANISMS,
    "activity_location_type": LOCATIONS,
}


def line_kind(lines: np.ndarray) -> np.ndarray:
    """Kind of setting of each service line: home, clinic, bed, school, paediatric, mixed, ucr."""
    kinds = {}
    for line in set(lines):
        if line == UCR_TEAM_TYPE:
            kinds[line] = "ucr"
        elif line in cal.BED_LINES:
            kinds[line] = "bed"
        elif line in cal.HOME_LINES:
            kinds[line] = "home"
        elif line in cal.CLINIC_LINES:
            kinds[line] = "clinic"
        elif line in cal.SCHOOL_LINES:
            kinds[line] = "school"
        elif line in cal.PAEDIATRIC_LINES:
            kinds[line] = "paediatric"
        else:
            kinds[line] = "mixed"
    return np.array([kinds[x] for x in lines], dtype=object)


def _pre_contacts(rng: np.random.Generator, ref: pd.DataFrame) -> pd.DataFrame:
    """Non-attended contacts between receipt and the first attended contact (or removal)."""
    until = np.where(ref["seen"], ref["stop_day"], ref["removal_day"]) - ref["received_day"]
    until = until.to_numpy()
    n_pre = rng.choice(3, size=len(ref), p=cal.PRE_CONTACTS)
    n_pre[(until < 2) | ref["rejected"].to_numpy()] = 0
    rows = np.repeat(np.arange(len(ref)), n_pre)
    span = until[rows] - 1
    day = ref["received_day"].to_numpy()[rows] + 1 + np.floor(rng.random(len(rows)) * span)
    return pd.DataFrame(
        {
            "row": rows,
            "day": day.astype(np.int64),
            "attendance_status": choose_codes(rng, cal.ATTENDANCE_PRE, len(rows), ATTENDANCE),
        }
    )


def _follow_ups(rng: np.random.Generator, ref: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """First attended contact and the follow-ups of seen referrals; returns the contacts and the
    day of each referral's last contact."""
    seen = np.flatnonzero(ref["seen"].to_numpy())
    lines = ref["line"].to_numpy()[seen]
    line_of_referral, distinct = pd.factorize(lines)
    per_line = [cal.FOLLOW_UPS.get(x, cal.CONTACTS_DEFAULT) for x in distinct]
    pairs = np.array(per_line, float).reshape(-1, 2)[line_of_referral]
    mean_n, mean_gap = pairs[:, 0], pairs[:, 1]
    n_fu = rng.poisson(rng.gamma(1.5, np.maximum(mean_n, 1e-9) / 1.5))
    counts = 1 + n_fu
    rows = np.repeat(seen, counts)
    gap_mean = np.repeat(mean_gap, counts)
    gaps = np.maximum(1, np.round(rng.gamma(2.0, gap_mean / 2.0))).astype(np.int64)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    is_first = np.zeros(len(rows), dtype=bool)
    is_first[first] = True
    gaps[is_first] = 0
    day = ref["stop_day"].to_numpy()[rows] + group_cumsum(gaps, counts)
    status = choose_codes(rng, cal.ATTENDANCE_FOLLOW_UP, len(rows), ATTENDANCE)
    attended, not_attended = code_of("5", ATTENDANCE), code_of("6", ATTENDANCE)
    status[is_first] = np.where(rng.random(is_first.sum()) < 0.9, attended, not_attended)
    last_day = np.full(len(ref), -1, dtype=np.int64)
    last_day[seen] = day[np.cumsum(counts) - 1]
    out = pd.DataFrame({"row": rows, "day": day, "attendance_status": status})
    out["first"] = is_first
    return out, last_day


@dataclass(frozen=True)
class ContactDraws:
    """Every contact drawn for the referrals, in the order drawn: ``columns`` by name,
    ``referral_row`` (each contact's row in the referrals) and ``order``, the permutation that
    sorts them by date, time and referral. A contact's id is its place in that order."""

    columns: dict[str, np.ndarray]
    referral_row: np.ndarray
    order: np.ndarray

    def frame(self, keep: np.ndarray) -> pd.DataFrame:
        """The contacts where ``keep`` (a mask in the order drawn), sorted, each numbered by its
        place among all the contacts drawn (``contact_id``, last), codes as categoricals. Only
        the kept rows are moved into order: most contacts drawn fall before the extract's
        window."""
        positions = np.flatnonzero(keep[self.order])
        rows = self.order[positions]
        con = pd.DataFrame({name: values[rows] for name, values in self.columns.items()})
        con["contact_id"] = positions.astype(np.int64)  # written C + 9 digits
        for name, categories in _CODED.items():
            con[name] = coded(con[name].to_numpy(), categories)
        return con


def make_contacts(rng: np.random.Generator, ref: pd.DataFrame) -> tuple[ContactDraws, np.ndarray]:
    """All contacts of the referrals, to be sorted by date and numbered (:class:`ContactDraws`),
    and each referral's discharge day (last contact + a few days; -1 when never seen)."""
    pre = _pre_contacts(rng, ref)
    pre["first"] = False
    post, last_day = _follow_ups(rng, ref)
    con = pd.concat([pre, post], ignore_index=True)
    n = len(con)
    rows = con["row"].to_numpy()
    # Each contact's kind of setting as a code into ``kinds`` (sorted), worked out per referral.
    # (pd.factorize with sort=True gives np.unique's sorted kinds and codes, by hashing)
    kind_of_referral, kinds = pd.factorize(line_kind(ref["line"].to_numpy()), sort=True)
    kinds = np.asarray(kinds, dtype=object)
    kind = kind_of_referral.reshape(-1)[rows]
    minute = rng.integers(32, 76, n) * 15
    first = con["first"].to_numpy()
    minute[first] = ref["stop_min"].to_numpy()[rows][first]
    mech = choose_codes(rng, cal.CONSULTATION, n, MECHANISMS)
    mech[np.isin(kind, np.flatnonzero(np.isin(kinds, ["ucr", "bed"])))] = code_of("01", MECHANISMS)
    location = np.full(n, -1, dtype=np.int64)
    for code in np.unique(kind):
        k = kinds[code]
        mask = kind == code
        weights = cal.LOCATIONS["home" if k == "ucr" else k]
        location[mask] = choose_codes(rng, weights, int(mask.sum()), LOCATIONS)
    remote = [code_of(m, MECHANISMS) for m in sorted(_REMOTE)]
    location[np.isin(mech, remote)] = code_of("L08", LOCATIONS)
    med = np.array([cal.DURATION_MEDIAN[k] for k in kinds], dtype=float)[kind]
    duration = np.clip(np.round(med * np.exp(0.35 * rng.standard_normal(n)) / 5) * 5, 10, 90)
    columns = {
        "day": con["day"].to_numpy(),
        "attendance_status": con["attendance_status"].to_numpy(),
        "first": first,
        "rnum": ref["rnum"].to_numpy()[rows],
        "referral_id": ref["referral_id"].to_numpy()[rows],
        "minute": minute.astype(np.int64),
        "consultation_mechanism": mech,
        "contact_duration_minutes": duration.astype(np.int64),
        "activity_location_type": location,
    }
    ucr = ref["line"].to_numpy() == UCR_TEAM_TYPE
    after = np.where(
        ucr,
        rng.integers(0, 4, len(ref)),
        rng.integers(0, cal.DISCHARGE_AFTER_LAST_CONTACT_DAYS + 1, len(ref)),
    )
    discharge = np.where(last_day >= 0, last_day + after, -1)
    # The order: by date, time and referral, one stable numpy sort of the integer keys.
    order = stable_order(columns["day"], columns["minute"], columns["rnum"])
    return ContactDraws(columns, rows, order), discharge
