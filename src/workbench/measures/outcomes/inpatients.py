"""Community inpatient spells: length of stay, discharge delays, discharge destinations and
readmissions (MEASURES.md section 5, "Community inpatient spells").

Spells in the period are those discharged in [period_start, period_end].

* Length of stay = discharge date - admission date, in whole days.
* A valid ready date is present and not after the discharge date. Delay = discharge date -
  ready date (0 or more days); a spell is delayed when the delay is more than 0 days; bed days
  lost = the sum of delays; discharged on the day ready = delay of 0, as a share of the spells
  with a valid ready date. A ready date after discharge counts as no delay and is left out of
  that share (counted in ``ready_after_discharge``).
* Readmission: another spell of the same person (``person_id``) at the same provider admitted
  0 to 30 days after this spell's discharge (both ends included; a transfer admitted on the day
  of discharge counts as day 0).

Decisions where MEASURES.md is silent:

* a spell with no admission date, or admitted after its discharge, has no length of stay
  (counted in ``los_not_known``) but takes part in everything else;
* a ready date before the admission date is used as it is (the delay may then exceed the length
  of stay) and counted in ``ready_before_admission`` for the data quality report;
* the readmission rate's denominator is the spells discharged alive (destination not ``06``
  Died); a readmission may fall after the period end, so a recent period's rate is incomplete
  until 30 days of later data have arrived;
* breakdowns: spells carry ``person_id``, not ``referral_id``. provider is the spell's provider;
  sex, ethnic group, IMD quintile and decile, ICB and region come from the person's MPI row at
  that provider; age group is from the MPI's age at the end of the reporting period (spells
  carry no age at admission); team type does not apply and is "Not known"; month is the month
  of discharge.
"""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.types as ir
import pandas as pd

from workbench.measures.breakdowns import NOT_KNOWN
from workbench.measures.grouping import breakdowns, reduce
from workbench.measures.outcomes._common import (
    PERSON_KEY,
    add_proportion,
    as_counts,
    count,
    month_expr,
    period,
    with_person_record_breakdowns,
)
from workbench.spec.value_sets import DISCHARGE_DESTINATION

READMISSION_DAYS = 30
DIED = "06"
STAY_COUNTS = (
    "spells",
    "los_not_known",
    "spells_with_ready_date",
    "ready_after_discharge",
    "ready_before_admission",
    "delayed",
    "bed_days_lost",
    "discharged_on_day_ready",
    "died",
    "discharged_alive",
    "readmitted_30_days",
)


def discharged_spells(
    spells: ir.Table, period_start: dt.date | str, period_end: dt.date | str
) -> ir.Table:
    """Spells discharged in the period with ``los_days``, ``ready_valid``, ``delay_days`` and
    ``readmitted_30_days`` (bool) per spell."""
    s, e = period(period_start, period_end)
    spells = spells.filter(
        spells.provider_code.notnull(), spells.person_id.notnull(), spells.spell_id.notnull()
    )
    index = spells.filter(spells.discharge_date >= s, spells.discharge_date <= e)
    los = index.discharge_date.delta(index.admission_date, unit="day")
    ready_valid = index.discharge_ready_date.notnull() & (
        index.discharge_ready_date <= index.discharge_date
    )
    index = index.mutate(
        los_days=ibis.ifelse(los >= 0, los, ibis.null("int64")),
        ready_valid=ready_valid.fill_null(False),
        delay_days=ibis.ifelse(
            ready_valid,
            index.discharge_date.delta(index.discharge_ready_date, unit="day"),
            ibis.null("int64"),
        ),
    )
    later = spells.filter(spells.admission_date.notnull()).select(
        *PERSON_KEY, _later_spell=spells.spell_id, _later_admission=spells.admission_date
    )
    pairs = index.select(*PERSON_KEY, "spell_id", "discharge_date").join(later, list(PERSON_KEY))
    gap = pairs._later_admission.delta(pairs.discharge_date, unit="day")
    readmitted = (
        pairs.filter(pairs._later_spell != pairs.spell_id, gap >= 0, gap <= READMISSION_DAYS)
        .select(*PERSON_KEY, "spell_id")
        .distinct()
        .mutate(_readmitted=ibis.literal(True))
    )
    joined = index.left_join(readmitted, [*PERSON_KEY, "spell_id"])
    joined = joined.drop(*[f"{k}_right" for k in (*PERSON_KEY, "spell_id")])
    return joined.mutate(readmitted_30_days=joined._readmitted.fill_null(False)).drop("_readmitted")


def inpatient_stays(
    store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    by: str | list[str] | None = None,
) -> pd.DataFrame:
    """Community inpatient spells discharged in [period_start, period_end] (MEASURES.md 5).

    Returns the breakdown columns and: ``spells``; ``median_los_days``, ``mean_los_days``
    (length of stay of spells with one) and ``los_not_known``; ``spells_with_ready_date``
    (valid: present and not after discharge), ``ready_after_discharge``,
    ``ready_before_admission``; ``delayed`` (delay > 0), ``median_delay_days`` and
    ``mean_delay_days`` (of delayed spells), ``bed_days_lost`` (sum of delays);
    ``discharged_on_day_ready`` and ``pct_discharged_on_day_ready`` (of spells with a valid
    ready date); ``died``, ``discharged_alive``, ``readmitted_30_days`` (of spells discharged
    alive) and ``readmission_rate``. Every percentage has ``_lower``/``_upper`` 95% Wilson
    limits.
    """
    by = breakdowns(by)
    index = discharged_spells(store["inpatient_spells"], period_start, period_end)
    records = with_person_record_breakdowns(
        index, store, by, month=month_expr(index.discharge_date)
    )
    delay = records.delay_days
    alive = records.discharge_destination.isnull() | (records.discharge_destination != DIED)
    frame = reduce(
        records,
        by,
        spells=records.count(),
        median_los_days=records.los_days.quantile(0.5),
        mean_los_days=records.los_days.mean(),
        los_not_known=count(records.los_days.isnull()),
        spells_with_ready_date=count(records.ready_valid),
        ready_after_discharge=count(records.discharge_ready_date > records.discharge_date),
        ready_before_admission=count(records.discharge_ready_date < records.admission_date),
        delayed=count(delay > 0),
        median_delay_days=delay.quantile(0.5, where=delay > 0),
        mean_delay_days=delay.mean(where=delay > 0),
        bed_days_lost=delay.sum(),
        discharged_on_day_ready=count(delay == 0),
        died=count(~alive),
        discharged_alive=count(alive),
        readmitted_30_days=count(alive & records.readmitted_30_days),
    )
    as_counts(frame, STAY_COUNTS)
    for col in ("median_los_days", "mean_los_days", "median_delay_days", "mean_delay_days"):
        frame[col] = frame[col].astype("float64")
    add_proportion(
        frame, "pct_discharged_on_day_ready", "discharged_on_day_ready", "spells_with_ready_date"
    )
    add_proportion(frame, "readmission_rate", "readmitted_30_days", "discharged_alive")
    return frame


def discharge_destinations(
    store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    by: str | list[str] | None = None,
) -> pd.DataFrame:
    """Shares of spells discharged in [period_start, period_end] by discharge destination.

    Returns the breakdown columns, ``discharge_destination`` (the code; "Not known" when it is
    missing or not a valid code, kept apart from the valid code ``99``),
    ``destination_label``, ``spells``, ``group_spells`` (all spells of the breakdown group) and
    ``pct_spells`` = spells / group_spells with ``_lower``/``_upper`` 95% Wilson limits.
    Breakdowns as :func:`inpatient_stays`.
    """
    by = breakdowns(by)
    index = discharged_spells(store["inpatient_spells"], period_start, period_end)
    records = with_person_record_breakdowns(
        index, store, by, month=month_expr(index.discharge_date)
    )
    codes = list(DISCHARGE_DESTINATION.codes)
    dest = records.discharge_destination
    records = records.mutate(
        _destination=ibis.ifelse(dest.isin(codes).fill_null(False), dest, NOT_KNOWN)
    )
    frame = reduce(records, [*by, "_destination"], spells=records.count())
    frame = frame.rename(columns={"_destination": "discharge_destination"})
    labels = {**DISCHARGE_DESTINATION.codes, NOT_KNOWN: "Missing or invalid code"}
    frame.insert(len(by) + 1, "destination_label", frame["discharge_destination"].map(labels))
    as_counts(frame, ["spells"])
    if by:
        frame["group_spells"] = frame.groupby(by, sort=False)["spells"].transform("sum")
    else:
        frame["group_spells"] = frame["spells"].sum()
    frame["group_spells"] = frame["group_spells"].astype("int64")
    add_proportion(frame, "pct_spells", "spells", "group_spells")
    return frame
