"""Core20PLUS5 readiness (measures.md section 2), per group.

- ethnicity known %, deprivation known %, both known %, of persons with activity in the period;
- Core20 share: of persons with a known IMD 2019 decile, the share in deciles 1-2, beside the
  share of the group's resident catchment LSOAs in deciles 1-2 and the national 20%. The
  catchment of an ICB or region is its LSOAs; of a provider, the LSOAs of the ICB most of its
  persons live in (its home ICB). Other groups (age, sex, ...) have no catchment.
- coding of the five clinical areas: the share of referrals received in the period with a
  primary diagnosis recorded, and the count of those referrals whose diagnoses fall in a
  Core20PLUS5 clinical area (adult areas at 19 and over, children and young people's areas at
  0-18: :mod:`workbench.spec.clinical_areas`).

Persons come from the person facts (:mod:`workbench.measures.dq.population`), referrals from the
pathway fact (a referral received in the period is a pathway whose clock starts in it); each
part is one grouped pass over every grouping set.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir
import pandas as pd

from workbench import reference
from workbench.breakdowns import NOT_KNOWN, PERSON_MEASURE_BREAKDOWNS, check_breakdowns, month_of
from workbench.engine import register_frame
from workbench.facts import fact_table
from workbench.measures.declare import (
    AggregateTable,
    Measure,
    columns,
    count,
    label,
    percentage,
    value,
)
from workbench.measures.dq.items import add_percentages
from workbench.measures.dq.population import period_of, persons_by_sets
from workbench.measures.grouping_sets import (
    SET_COLUMN,
    aggregate_by_sets,
    one_set,
    split_by_set,
    unique_sets,
)
from workbench.measures.waits import PATHWAY_BREAKDOWNS
from workbench.period import Period
from workbench.spec import VALUE_SETS
from workbench.spec.clinical_areas import ADULT_AREAS, CYP_AREAS, clinical_area
from workbench.stats import wilson_interval

if TYPE_CHECKING:
    from workbench.store import Store


NATIONAL_CORE20_SHARE = 20.0
PERSON_COUNTS = ("records", "ethnicity_known", "deprivation_known", "both_known", "core20")
CODING_COUNTS = ("referrals", "with_primary_diagnosis")


def catchment_core20_share(level: str) -> pd.Series:
    """The share (%) of each ICB's or region's LSOAs in IMD 2019 deciles 1-2."""
    return _catchment_shares(level).copy()


@functools.lru_cache(maxsize=2)
def _catchment_shares(level: str) -> pd.Series:
    geo = reference.lsoa11_geography()
    column = {"icb": "icb_code", "region": "region_code"}[level]
    return (geo["imd_decile"] <= 2).groupby(geo[column]).mean() * 100


def _provider_catchment(store: Store) -> pd.Series:
    """Each provider's catchment Core20 share: that of its home ICB (where most of its persons
    live; ties to the first ICB code)."""
    persons = fact_table(store, "persons")
    counts = persons.group_by(["provider", "icb"]).aggregate(n=persons.count()).to_pandas()
    counts = counts[counts["icb"] != NOT_KNOWN].sort_values(
        ["provider", "n", "icb"], ascending=[True, False, True]
    )
    home = counts.drop_duplicates("provider").set_index("provider")["icb"]
    return home.map(_catchment_shares("icb"))


def _catchment(store: Store, frame: pd.DataFrame, by: tuple[str, ...]) -> pd.Series:
    if by in (("icb",), ("region",)):
        return frame[by[0]].map(_catchment_shares(by[0])).astype("float64")
    if by == ("provider",):
        return frame["provider"].map(_provider_catchment(store)).astype("float64")
    if not by:
        return pd.Series(NATIONAL_CORE20_SHARE, index=frame.index, dtype="float64")
    return pd.Series(float("nan"), index=frame.index, dtype="float64")


def _person_aggregates(persons: ir.Table) -> dict[str, ir.Value]:
    eth = persons.ethnic_category.isin(list(VALUE_SETS["ethnic_category"].known))
    dep = persons.lsoa_known
    return {
        "records": persons.count(),
        "ethnicity_known": ibis.ifelse(eth, 1, 0).sum(),
        "deprivation_known": ibis.ifelse(dep, 1, 0).sum(),
        "both_known": ibis.ifelse(eth & dep, 1, 0).sum(),
        "core20": ibis.ifelse(persons.imd_decile.isin(["1", "2"]), 1, 0).sum(),
    }


def referrals_received(store: Store, period: Period | None) -> ir.Table:
    """Pathways (referrals with a received date) received in the period, with ``month`` (of
    the received date)."""
    p = fact_table(store, "pathways")
    if period is not None:
        p = p.filter(p.clock_start >= period.start, p.clock_start <= period.end)
    return p.mutate(month=month_of(p.clock_start))


def primary_diagnosis_coding_by_sets(
    store: Store, period: Period | None, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """Referrals received in the period and those with a primary diagnosis, for every set."""
    records = referrals_received(store, period)
    frame = aggregate_by_sets(
        records,
        sets,
        {
            "referrals": records.count(),
            "with_primary_diagnosis": records.has_primary_diagnosis.cast("int64").sum(),
        },
    )
    frame[list(CODING_COUNTS)] = frame[list(CODING_COUNTS)].fillna(0).astype("int64")
    return add_percentages(frame, columns=("with_primary_diagnosis",), total="referrals")


def primary_diagnosis_coding(
    store: Store,
    period_start: dt.date | str | None = None,
    period_end: dt.date | str | None = None,
    by: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Referrals received in the period and those with a primary diagnosis recorded (any
    breakdown of a referral)."""
    by = CLINICAL_AREAS.check_breakdowns(check_breakdowns(by))
    period = period_of(period_start, period_end)
    return one_set(primary_diagnosis_coding_by_sets(store, period, [tuple(by)]), by)


def core20plus5_readiness_by_sets(
    store: Store, period: Period | None, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """Core20PLUS5 readiness for every grouping set: one pass over the persons, one over the
    referrals, joined per set in pandas (small)."""
    sets = unique_sets(sets)
    start, end = (None, None) if period is None else (period.start, period.end)
    persons = persons_by_sets(store, start, end, sets, _person_aggregates)
    persons[list(PERSON_COUNTS)] = persons[list(PERSON_COUNTS)].fillna(0).astype("int64")
    coding = primary_diagnosis_coding_by_sets(store, period, sets)
    coding_parts = dict(split_by_set(coding, sets))
    parts = []
    for s, part in split_by_set(persons, sets):
        part = add_percentages(part, columns=("ethnicity_known", "deprivation_known", "both_known"))
        lower, upper = wilson_interval(
            part["core20"].to_numpy(), part["deprivation_known"].to_numpy()
        )
        known = part["deprivation_known"].where(part["deprivation_known"] > 0)
        part["pct_core20"] = (part["core20"] / known * 100).astype("float64")
        part["pct_core20_lower"], part["pct_core20_upper"] = lower * 100, upper * 100
        part["catchment_pct_core20"] = _catchment(store, part, s)
        part["national_pct_core20"] = NATIONAL_CORE20_SHARE
        referrals = coding_parts[s]
        if s:
            part = part.merge(referrals, on=list(s), how="left")
        else:
            part = pd.concat([part, referrals.iloc[:1].reset_index(drop=True)], axis=1)
        for col in CODING_COUNTS:
            part[col] = part[col].fillna(0).astype("int64")
        part[SET_COLUMN] = sets.index(s)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def core20plus5_readiness(
    store: Store,
    period_start: dt.date | str | None = None,
    period_end: dt.date | str | None = None,
    by: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Per group: ``records`` (persons), ``ethnicity_known``, ``deprivation_known``,
    ``both_known`` with percentages and Wilson intervals; ``core20`` persons (deciles 1-2) of
    ``deprivation_known``, ``pct_core20`` with interval, ``catchment_pct_core20`` and
    ``national_pct_core20``; ``referrals``, ``with_primary_diagnosis`` and its percentage."""
    return CORE20PLUS5.run(store, period_of(period_start, period_end), by)


# --- clinical areas --------------------------------------------------------------------------

_AREA_GRID = pd.DataFrame(
    [("Adults", a) for a in ADULT_AREAS] + [("Children and young people", a) for a in CYP_AREAS],
    columns=["population", "area"],
)


def _areas_table(store: Store, joined: ir.Table) -> ir.Table | None:
    """The Core20PLUS5 area of each distinct (scheme, code, children and young people) in the
    joined diagnoses, mapped in pandas (small) and handed to the engine; None when no code
    falls in an area."""
    codes = joined.select("diagnosis_scheme", "diagnosis_code", "cyp").distinct().to_pandas()
    codes["area"] = [
        clinical_area(s, c, bool(y))
        for s, c, y in zip(
            codes["diagnosis_scheme"], codes["diagnosis_code"], codes["cyp"], strict=True
        )
    ]
    codes = codes.dropna(subset=["area"]).reset_index(drop=True)
    if not len(codes):
        return None
    codes["cyp"] = codes["cyp"].astype(bool)
    return register_frame(store.con, "dq_clinical_area_codes", codes)


def clinical_area_coding_by_sets(
    store: Store, period: Period | None, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """Referrals in each clinical area for every grouping set, in one pass."""
    sets = unique_sets(sets)
    keys = list(dict.fromkeys(k for s in sets for k in s))
    records = referrals_received(store, period)
    diagnoses = store["diagnoses"].select(
        "provider_code", "referral_id", "diagnosis_scheme", "diagnosis_code"
    )
    joined = records.join(diagnoses, ["provider_code", "referral_id"])
    joined = joined.mutate(cyp=joined.age_at_referral <= 18)
    areas = _areas_table(store, joined)
    area_sets = [(*s, "area") for s in sets]
    if areas is None:
        counted = pd.DataFrame(
            {c: pd.Series(dtype=object) for c in [*keys, "area"]}
            | {"referrals": pd.Series(dtype="int64"), SET_COLUMN: pd.Series(dtype="int64")}
        )
    else:
        tagged = joined.join(areas, ["diagnosis_scheme", "diagnosis_code", "cyp"])
        per_referral = tagged.select(*keys, "provider_code", "referral_id", "area").distinct()
        counted = aggregate_by_sets(per_referral, area_sets, {"referrals": per_referral.count()})
    parts = []
    for s, part in zip(sets, (p for _, p in split_by_set(counted, area_sets)), strict=True):
        groups = part[list(s)].drop_duplicates() if s else pd.DataFrame(index=[0])
        full = groups.merge(_AREA_GRID, how="cross").merge(part, on=[*s, "area"], how="left")
        full["referrals"] = full["referrals"].fillna(0).astype("int64")
        full[SET_COLUMN] = sets.index(s)
        parts.append(full)
    return pd.concat(parts, ignore_index=True)


def clinical_area_coding(
    store: Store,
    period_start: dt.date | str | None = None,
    period_end: dt.date | str | None = None,
    by: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Referrals received in the period with a diagnosis in each Core20PLUS5 clinical area.

    One row per group and area (the five adult and five children and young people's areas):
    ``population`` (adults or children and young people), ``area``, ``referrals``. A referral
    counts once per area however many of its diagnoses fall in it. The code-to-area mapping is
    applied to the distinct (scheme, code, age band) combinations in pandas, which is small.
    """
    by = CLINICAL_AREAS.check_breakdowns(check_breakdowns(by))
    period = period_of(period_start, period_end)
    frame = clinical_area_coding_by_sets(store, period, [tuple(by)])
    frame = frame.drop(columns=[SET_COLUMN]).reset_index(drop=True)
    if by:
        frame = frame.sort_values(list(by), kind="stable").reset_index(drop=True)
    return frame


# --- the registry ----------------------------------------------------------------------------

CORE20PLUS5 = Measure(
    family="dq",
    name="core20plus5",
    title="Core20PLUS5 readiness",
    section="2",
    function=core20plus5_readiness,
    grouped=core20plus5_readiness_by_sets,
    facts=("persons", "person_months", "pathways"),
    breakdowns=PERSON_MEASURE_BREAKDOWNS,
    columns=columns(
        count("records", "Persons with activity", "people"),
        count("ethnicity_known", "Ethnic category known", "people"),
        count("deprivation_known", "IMD decile known", "people"),
        count("both_known", "Ethnicity and IMD decile known", "people"),
        count("core20", "In IMD deciles 1-2 (Core20)", "people"),
        percentage("pct_ethnicity_known", "% ethnicity known", "ethnicity_known", "records"),
        percentage("pct_deprivation_known", "% IMD decile known", "deprivation_known", "records"),
        percentage("pct_both_known", "% both known", "both_known", "records"),
        percentage(
            "pct_core20", "% in Core20 (of IMD decile known)", "core20", "deprivation_known"
        ),
        value("catchment_pct_core20", "% of catchment LSOAs in Core20", "%"),
        value("national_pct_core20", "% in Core20 nationally", "%"),
        count("referrals", "Referrals received", "referrals"),
        count("with_primary_diagnosis", "With a primary diagnosis", "referrals"),
        percentage(
            "pct_with_primary_diagnosis",
            "% with a primary diagnosis",
            "with_primary_diagnosis",
            "referrals",
        ),
    ),
    tables=(AggregateTable("core20plus5_readiness"),),
)

CLINICAL_AREAS = Measure(
    family="dq",
    name="clinical_areas",
    title="Referrals coded to the Core20PLUS5 clinical areas",
    section="2",
    function=clinical_area_coding,
    grouped=clinical_area_coding_by_sets,
    facts=("pathways",),
    breakdowns=PATHWAY_BREAKDOWNS,  # a referral received is a pathway
    columns=columns(
        label("population", "Population (adults or children and young people)"),
        label("area", "Clinical area"),
        count("referrals", "Referrals with a diagnosis in the area", "referrals"),
    ),
    tables=(AggregateTable("clinical_area_coding"),),
)

MEASURES = (CORE20PLUS5, CLINICAL_AREAS)
