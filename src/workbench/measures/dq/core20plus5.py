"""Core20PLUS5 readiness (MEASURES.md section 2), per group.

- ethnicity known %, deprivation known %, both known %, of persons with activity in the period;
- Core20 share: of persons with a known IMD 2019 decile, the share in deciles 1-2, beside the
  share of the group's resident catchment LSOAs in deciles 1-2 and the national 20%. The
  catchment of an ICB or region is its LSOAs; of a provider, the LSOAs of the ICB most of its
  persons live in (its home ICB). Other groups (age, sex, ...) have no catchment.
- coding of the five clinical areas: the share of referrals received in the period with a
  primary diagnosis recorded, and the count of those referrals whose diagnoses fall in a
  Core20PLUS5 clinical area (adult areas at 19 and over, children and young people's areas at
  0-18: :mod:`workbench.spec.clinical_areas`).
"""

from __future__ import annotations

import ibis
import pandas as pd

from workbench import reference
from workbench.measures.breakdowns import NOT_KNOWN
from workbench.measures.dq.items import add_percentages
from workbench.measures.dq.population import active_persons, in_period
from workbench.measures.grouping import breakdowns, reduce, with_breakdowns, with_person_breakdowns
from workbench.measures.reference_tables import geography
from workbench.spec import VALUE_SETS
from workbench.spec.clinical_areas import ADULT_AREAS, CYP_AREAS, clinical_area
from workbench.stats import wilson_interval

NATIONAL_CORE20_SHARE = 20.0


def catchment_core20_share(level: str) -> pd.Series:
    """The share (%) of each ICB's or region's LSOAs in IMD 2019 deciles 1-2."""
    geo = reference.lsoa11_geography()
    column = {"icb": "icb_code", "region": "region_code"}[level]
    return (geo["imd_decile"] <= 2).groupby(geo[column]).mean() * 100


def _provider_catchment(store) -> pd.Series:
    persons = with_person_breakdowns(store["mpi"], ["provider", "icb"], store)
    counts = persons.group_by(["provider", "icb"]).aggregate(n=persons.count()).to_pandas()
    counts = counts[counts["icb"] != NOT_KNOWN].sort_values(
        ["provider", "n", "icb"], ascending=[True, False, True]
    )
    home = counts.drop_duplicates("provider").set_index("provider")["icb"]
    return home.map(catchment_core20_share("icb"))


def core20plus5_readiness(store, period_start=None, period_end=None, by=None) -> pd.DataFrame:
    """Per group: ``records`` (persons), ``ethnicity_known``, ``deprivation_known``,
    ``both_known`` with percentages and Wilson intervals; ``core20`` persons (deciles 1-2) of
    ``deprivation_known``, ``pct_core20`` with interval, ``catchment_pct_core20`` and
    ``national_pct_core20``; ``referrals``, ``with_primary_diagnosis`` and its percentage."""
    by = breakdowns(by)
    persons = with_person_breakdowns(active_persons(store, period_start, period_end), by, store)
    deciles = geography(store).select(_lsoa="lsoa", _decile="imd_decile")
    joined = persons.left_join(deciles, persons.lsoa_2011 == deciles._lsoa)
    eth = joined.ethnic_category.isin(list(VALUE_SETS["ethnic_category"].known))
    dep = joined._decile.notnull()
    frame = reduce(
        joined,
        by,
        records=joined.count(),
        ethnicity_known=ibis.ifelse(eth, 1, 0).sum(),
        deprivation_known=ibis.ifelse(dep, 1, 0).sum(),
        both_known=ibis.ifelse(eth & dep, 1, 0).sum(),
        core20=ibis.ifelse(joined._decile <= 2, 1, 0).sum(),
    )
    counts = ["records", "ethnicity_known", "deprivation_known", "both_known", "core20"]
    frame[counts] = frame[counts].fillna(0).astype("int64")
    frame = add_percentages(frame, columns=("ethnicity_known", "deprivation_known", "both_known"))
    lower, upper = wilson_interval(
        frame["core20"].to_numpy(), frame["deprivation_known"].to_numpy()
    )
    known = frame["deprivation_known"].where(frame["deprivation_known"] > 0)
    frame["pct_core20"] = frame["core20"] / known * 100
    frame["pct_core20_lower"], frame["pct_core20_upper"] = lower * 100, upper * 100
    frame["catchment_pct_core20"] = _catchment(store, frame, by)
    frame["national_pct_core20"] = NATIONAL_CORE20_SHARE
    coding = primary_diagnosis_coding(store, period_start, period_end, by)
    frame = frame.merge(coding, on=by, how="left") if by else pd.concat([frame, coding], axis=1)
    for col in ("referrals", "with_primary_diagnosis"):
        frame[col] = frame[col].fillna(0).astype("int64")
    return frame


def _catchment(store, frame: pd.DataFrame, by: list[str]) -> pd.Series:
    if by == ["icb"] or by == ["region"]:
        return frame[by[0]].map(catchment_core20_share(by[0])).astype("float64")
    if by == ["provider"]:
        return frame["provider"].map(_provider_catchment(store)).astype("float64")
    if not by:
        return pd.Series(NATIONAL_CORE20_SHARE, index=frame.index, dtype="float64")
    return pd.Series(float("nan"), index=frame.index, dtype="float64")


def _referrals_with_diagnoses(store, period_start, period_end):
    referrals = in_period(store["referrals"], "referrals", period_start, period_end).filter(
        lambda t: t.referral_received_date.notnull()
    )
    primary = (
        store["diagnoses"]
        .filter(lambda t: t.primary == 1)
        .select("provider_code", "referral_id")
        .distinct()
        .mutate(_primary=ibis.literal(1))
    )
    return referrals.left_join(primary, ["provider_code", "referral_id"]).drop(
        "provider_code_right", "referral_id_right"
    )


def primary_diagnosis_coding(store, period_start=None, period_end=None, by=None) -> pd.DataFrame:
    """Referrals received in the period and those with a primary diagnosis recorded."""
    by = breakdowns(by)
    referrals = _referrals_with_diagnoses(store, period_start, period_end)
    records = with_breakdowns(
        referrals, store, by, month=referrals.referral_received_date.strftime("%Y-%m")
    )
    frame = reduce(
        records,
        by,
        referrals=records.count(),
        with_primary_diagnosis=records._primary.fill_null(0).sum(),
    )
    frame[["referrals", "with_primary_diagnosis"]] = (
        frame[["referrals", "with_primary_diagnosis"]].fillna(0).astype("int64")
    )
    return add_percentages(frame, columns=("with_primary_diagnosis",), total="referrals")


def clinical_area_coding(store, period_start=None, period_end=None, by=None) -> pd.DataFrame:
    """Referrals received in the period with a diagnosis in each Core20PLUS5 clinical area.

    One row per group and area (the five adult and five children and young people's areas):
    ``population`` (adults or children and young people), ``area``, ``referrals``. A referral
    counts once per area however many of its diagnoses fall in it. The code-to-area mapping is
    applied to the distinct (scheme, code, age band) combinations in pandas, which is small.
    """
    by = breakdowns(by)
    referrals = in_period(store["referrals"], "referrals", period_start, period_end).filter(
        lambda t: t.referral_received_date.notnull()
    )
    records = with_breakdowns(
        referrals, store, by, month=referrals.referral_received_date.strftime("%Y-%m")
    )
    diagnoses = store["diagnoses"].select(
        "provider_code", "referral_id", "diagnosis_scheme", "diagnosis_code"
    )
    joined = records.join(diagnoses, ["provider_code", "referral_id"])
    cyp = joined.age_at_referral <= 18
    codes = joined.select("diagnosis_scheme", "diagnosis_code", cyp=cyp).distinct().to_pandas()
    codes["area"] = [
        clinical_area(s, c, bool(y))
        for s, c, y in zip(
            codes["diagnosis_scheme"], codes["diagnosis_code"], codes["cyp"], strict=True
        )
    ]
    codes = codes.dropna(subset=["area"])
    areas = ibis.memtable(
        codes
        if len(codes)
        else pd.DataFrame(
            {
                "diagnosis_scheme": pd.Series(dtype=str),
                "diagnosis_code": pd.Series(dtype=str),
                "cyp": pd.Series(dtype=bool),
                "area": pd.Series(dtype=str),
            }
        )
    )
    tagged = joined.mutate(cyp=cyp).join(areas, ["diagnosis_scheme", "diagnosis_code", "cyp"])
    per_referral = tagged.select(*by, "provider_code", "referral_id", "area").distinct()
    counted = reduce(per_referral, [*by, "area"], referrals=per_referral.count())
    grid = pd.DataFrame(
        [("Adults", a) for a in ADULT_AREAS]
        + [("Children and young people", a) for a in CYP_AREAS],
        columns=["population", "area"],
    )
    groups = counted[by].drop_duplicates() if by else pd.DataFrame(index=[0])
    full = groups.merge(grid, how="cross")
    full = full.merge(counted, on=[*by, "area"], how="left")
    full["referrals"] = full["referrals"].fillna(0).astype("int64")
    return full
