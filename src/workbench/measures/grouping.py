"""Attaching breakdown columns to records and reducing them to a tidy pandas frame."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pandas as pd

from workbench.errors import WorkbenchError
from workbench.measures.breakdowns import (
    IMD_DECILE,
    NOT_KNOWN,
    age_group,
    check_breakdowns,
    person_attributes,
    referral_attributes,
)
from workbench.measures.reference_tables import geography

KEY = ("provider_code", "referral_id")


def referral_breakdowns(store) -> ir.Table:
    """Every referral's breakdown attributes (:func:`referral_attributes`), built once per store."""
    return store.derived(
        "referral_attributes",
        lambda s: referral_attributes(s["referrals"], s["mpi"], geography(s)),
    )


def with_breakdowns(
    records: ir.Table, store, by: list[str], month: ir.Value | str | None = None
) -> ir.Table:
    """``records`` (keyed by provider_code, referral_id) with the breakdown columns in ``by``.

    ``month`` is the expression (or a fixed ``YYYY-MM`` label) used for the month breakdown.
    Breakdowns the records already carry are used as they are; the rest come from the
    referral's attributes, and records whose referral has none are "Not known".
    """
    if "provider" in by and "provider" not in records.columns:
        records = records.mutate(provider=records.provider_code)
    wanted = [b for b in by if b != "month" and b not in records.columns]
    if wanted:
        attrs = referral_breakdowns(store).select(*KEY, *wanted)
        joined = records.left_join(attrs, list(KEY))
        records = joined.drop(*[f"{k}_right" for k in KEY]).mutate(
            **{b: joined[b].fill_null(NOT_KNOWN) for b in wanted}
        )
    if "month" in by:
        value = ibis.literal(month) if isinstance(month, str) else month
        records = records.mutate(month=value)
    return records


PERSON_BREAKDOWNS = (
    "provider",
    "icb",
    "region",
    "age_group",
    "sex",
    "ethnic_group",
    "imd_quintile",
    "imd_decile",
)


#: The breakdowns that come from the person's MPI row and LSOA.
PERSON_ATTRIBUTES = ("icb", "region", "sex", "ethnic_group", "imd_quintile", "imd_decile")


def with_person_breakdowns(persons: ir.Table, by: list[str], store) -> ir.Table:
    """MPI rows with the person breakdowns in ``by`` (age group from age at the end of the
    reporting period). Team type and month do not describe a person: asking for them is an
    error."""
    wrong = [b for b in by if b not in PERSON_BREAKDOWNS]
    if wrong:
        raise WorkbenchError(
            f"{', '.join(wrong)} cannot break down persons; choose from: "
            f"{', '.join(PERSON_BREAKDOWNS)}"
        )
    attrs = person_attributes(persons, geography(store))
    wanted = [b for b in by if b in PERSON_ATTRIBUTES]
    out = persons.mutate(provider=persons.provider_code, age_group=age_group(persons.age_years))
    if wanted:
        out = out.left_join(
            attrs.select("provider_code", "person_id", *wanted), ["provider_code", "person_id"]
        ).drop("provider_code_right", "person_id_right")
    return out


def _decile_order(values: pd.Series) -> pd.Series:
    return values.map(lambda v: (1, 0) if v == NOT_KNOWN else (0, int(v)))


def sort_groups(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """``frame`` sorted by the breakdown columns, IMD deciles in numeric order, "Not known"
    last among deciles."""
    if not by or frame.empty:
        return frame.reset_index(drop=True)
    return frame.sort_values(
        by, kind="stable", key=lambda s: _decile_order(s) if s.name == IMD_DECILE else s
    ).reset_index(drop=True)


def reduce(table: ir.Table, by: list[str], /, **aggregates: ir.Value) -> pd.DataFrame:
    """Aggregate ``table`` by ``by`` into a pandas frame sorted by the breakdowns."""
    expr = table.group_by(by).aggregate(**aggregates) if by else table.aggregate(**aggregates)
    return sort_groups(expr.to_pandas(), by)


def breakdowns(by) -> list[str]:
    """The breakdown names asked for (validated)."""
    return check_breakdowns(by)
