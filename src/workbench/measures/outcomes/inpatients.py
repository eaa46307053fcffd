"""Community inpatient spells: length of stay, discharge delays, discharge destinations and
readmissions (measures.md section 5, "Community inpatient spells").

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

Decisions where measures.md is silent:

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
  carry no age at admission); team type and service do not apply and are "Not known"; month is
  the month of discharge.

Both measures read the inpatient spell fact (:mod:`workbench.facts.spells`), which holds each
spell's length of stay, delay and readmission flag and its breakdowns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir
import pandas as pd

from workbench.breakdowns import NOT_KNOWN, month_of
from workbench.facts import fact_table
from workbench.measures.declare import AggregateTable, Measure, average, columns, label, percentage
from workbench.measures.declare import count as count_column
from workbench.measures.grouping_sets import SET_COLUMN, aggregate_by_sets
from workbench.measures.outcomes._common import (
    OUTCOME_BREAKDOWNS,
    PERSON_EXTRAS,
    add_proportion,
    as_counts,
    count,
    in_period,
    ordered,
    set_columns,
    sets_with,
)
from workbench.period import Period
from workbench.spec.value_sets import DISCHARGE_DESTINATION

if TYPE_CHECKING:
    from workbench.store import Store


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
STAY_OUTPUT = (
    "spells",
    "median_los_days",
    "mean_los_days",
    "los_not_known",
    "spells_with_ready_date",
    "ready_after_discharge",
    "ready_before_admission",
    "delayed",
    "median_delay_days",
    "mean_delay_days",
    "bed_days_lost",
    "discharged_on_day_ready",
    "died",
    "discharged_alive",
    "readmitted_30_days",
    "pct_discharged_on_day_ready",
    "pct_discharged_on_day_ready_lower",
    "pct_discharged_on_day_ready_upper",
    "readmission_rate",
    "readmission_rate_lower",
    "readmission_rate_upper",
)
DESTINATION_OUTPUT = (
    "discharge_destination",
    "destination_label",
    "spells",
    "group_spells",
    "pct_spells",
    "pct_spells_lower",
    "pct_spells_upper",
)


def discharged_spells(store: Store, period: Period) -> ir.Table:
    """Rows of the spell fact discharged in the period, with ``month`` (of discharge)."""
    spells = fact_table(store, "spells")
    index = spells.filter(in_period(spells.discharge_date, period))
    return index.mutate(month=month_of(index.discharge_date))


def inpatient_stays_by_sets(
    store: Store, period: Period, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """Inpatient stays for every grouping set in one pass (month: of discharge)."""
    records = discharged_spells(store, period)
    delay = records.delay_days
    alive = records.discharge_destination.isnull() | (records.discharge_destination != DIED)
    frame = aggregate_by_sets(
        records,
        sets,
        {
            "spells": records.count(),
            "median_los_days": records.los_days.quantile(0.5),
            "mean_los_days": records.los_days.mean(),
            "los_not_known": count(records.los_days.isnull()),
            "spells_with_ready_date": count(records.ready_valid),
            "ready_after_discharge": count(records.discharge_ready_date > records.discharge_date),
            "ready_before_admission": count(records.discharge_ready_date < records.admission_date),
            "delayed": count(delay > 0),
            "median_delay_days": delay.quantile(0.5, where=delay > 0),
            "mean_delay_days": delay.mean(where=delay > 0),
            "bed_days_lost": delay.sum(),
            "discharged_on_day_ready": count(delay == 0),
            "died": count(~alive),
            "discharged_alive": count(alive),
            "readmitted_30_days": count(alive & records.readmitted_30_days),
        },
    )
    as_counts(frame, STAY_COUNTS)
    for col in ("median_los_days", "mean_los_days", "median_delay_days", "mean_delay_days"):
        frame[col] = frame[col].astype("float64")
    add_proportion(
        frame, "pct_discharged_on_day_ready", "discharged_on_day_ready", "spells_with_ready_date"
    )
    add_proportion(frame, "readmission_rate", "readmitted_30_days", "discharged_alive")
    return ordered(frame, sets, STAY_OUTPUT)


def inpatient_stays(
    store: Store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    by: str | list[str] | None = None,
) -> pd.DataFrame:
    """Community inpatient spells discharged in [period_start, period_end] (measures.md 5).

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
    return INPATIENT_STAYS.run(store, Period.of(period_start, period_end), by)


def discharge_destinations_by_sets(
    store: Store, period: Period, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """Discharge destination shares for every grouping set in one pass."""
    records = discharged_spells(store, period)
    dest = records.discharge_destination
    codes = list(DISCHARGE_DESTINATION.codes)
    records = records.mutate(
        discharge_destination=ibis.ifelse(dest.isin(codes).fill_null(False), dest, NOT_KNOWN)
    )
    with_dest = sets_with(sets, "discharge_destination")
    frame = aggregate_by_sets(records, with_dest, {"spells": records.count()})
    labels = {**DISCHARGE_DESTINATION.codes, NOT_KNOWN: "Missing or invalid code"}
    frame["destination_label"] = frame["discharge_destination"].map(labels)
    as_counts(frame, ["spells"])
    groups = [SET_COLUMN, *[c for c in set_columns(sets) if c in frame]]
    frame["group_spells"] = (
        frame.groupby(groups, dropna=False, sort=False)["spells"].transform("sum").astype("int64")
    )
    add_proportion(frame, "pct_spells", "spells", "group_spells")
    keys = [c for c in set_columns(sets) if c != "discharge_destination"]
    return ordered(frame, [keys], DESTINATION_OUTPUT, sort=["discharge_destination"])


def discharge_destinations(
    store: Store,
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
    return DESTINATIONS.run(store, Period.of(period_start, period_end), by)


_STAY_COLUMNS = columns(
    count_column("spells", "Spells discharged", "spells"),
    average("median_los_days", "Median length of stay (days)", "spells"),
    average("mean_los_days", "Mean length of stay (days)", "spells"),
    count_column("los_not_known", "Length of stay not known", "spells"),
    count_column("spells_with_ready_date", "Spells with a valid discharge ready date", "spells"),
    count_column("ready_after_discharge", "Ready date after discharge", "spells"),
    count_column("ready_before_admission", "Ready date before admission", "spells"),
    count_column("delayed", "Delayed discharges", "spells"),
    average("median_delay_days", "Median delay of delayed spells (days)", "delayed"),
    average("mean_delay_days", "Mean delay of delayed spells (days)", "delayed"),
    count_column("bed_days_lost", "Bed days lost to delay", "bed days"),
    count_column("discharged_on_day_ready", "Discharged on the day ready", "spells"),
    count_column("died", "Died", "spells"),
    count_column("discharged_alive", "Discharged alive", "spells"),
    count_column("readmitted_30_days", "Readmitted within 30 days", "spells"),
    percentage(
        "pct_discharged_on_day_ready",
        "% discharged on the day ready (of spells with a valid ready date)",
        "discharged_on_day_ready",
        "spells_with_ready_date",
    ),
    percentage(
        "readmission_rate",
        "30-day readmission rate (% of spells discharged alive)",
        "readmitted_30_days",
        "discharged_alive",
    ),
)

INPATIENT_STAYS = Measure(
    family="outcomes",
    name="inpatients",
    title="Community inpatient spells: length of stay, delays and readmissions",
    section="5",
    function=inpatient_stays,
    grouped=inpatient_stays_by_sets,
    facts=("spells",),
    breakdowns=OUTCOME_BREAKDOWNS,
    columns=_STAY_COLUMNS,
    tables=(AggregateTable("inpatient_stays", extras=(("month",), *PERSON_EXTRAS)),),
)

DESTINATIONS = Measure(
    family="outcomes",
    name="destinations",
    within=("discharge_destination",),
    title="Discharge destinations of community inpatient spells",
    section="5",
    function=discharge_destinations,
    grouped=discharge_destinations_by_sets,
    facts=("spells",),
    breakdowns=OUTCOME_BREAKDOWNS,
    columns=columns(
        label("discharge_destination", "Discharge destination code"),
        label("destination_label", "Discharge destination"),
        count_column("spells", "Spells discharged to the destination", "spells"),
        count_column("group_spells", "Spells discharged", "spells"),
        percentage("pct_spells", "% of spells discharged", "spells", "group_spells"),
    ),
    tables=(AggregateTable("discharge_destinations"),),
)
