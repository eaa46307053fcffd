"""The inpatient spell fact: one row per community inpatient spell (measures.md section 5,
"Community inpatient spells").

Every spell with a provider, person and spell identifier, with its dates, ``discharge_destination``
and:

* ``los_days``: discharge date - admission date in whole days; NULL when either date is missing
  or the admission is after the discharge;
* ``ready_valid``: a discharge ready date is present and not after the discharge date;
  ``delay_days``: discharge date - ready date when the ready date is valid (0 or more), else
  NULL;
* ``readmitted_30_days``: another spell of the same person at the same provider is admitted 0
  to 30 days after this spell's discharge (both ends included), whenever that is;
* the person's breakdowns (:func:`workbench.facts._attach.with_person_breakdowns`): provider is
  the spell's; ICB, region, sex, ethnic group, IMD decile and quintile from the person's MPI row
  at that provider; age group from the MPI's age; team type and service "Not known".

Which spells a period holds (those discharged in it) is the measures' filter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir

from workbench.facts._attach import PERSON_KEY, with_person_breakdowns

if TYPE_CHECKING:
    from workbench.store import Store


READMISSION_DAYS = 30


def spell_records(spells: ir.Table) -> ir.Table:
    """Spells with the per-spell columns of the fact (without breakdowns)."""
    spells = spells.filter(
        spells.provider_code.notnull(), spells.person_id.notnull(), spells.spell_id.notnull()
    )
    los = spells.discharge_date.delta(spells.admission_date, unit="day")
    ready_valid = spells.discharge_ready_date.notnull() & (
        spells.discharge_ready_date <= spells.discharge_date
    )
    index = spells.select(
        *PERSON_KEY,
        "spell_id",
        "admission_date",
        "discharge_ready_date",
        "discharge_date",
        "discharge_destination",
        los_days=ibis.ifelse(los >= 0, los, ibis.null("int64")),
        ready_valid=ready_valid.fill_null(False),
        delay_days=ibis.ifelse(
            ready_valid,
            spells.discharge_date.delta(spells.discharge_ready_date, unit="day"),
            ibis.null("int64"),
        ),
    )
    later = spells.filter(spells.admission_date.notnull()).select(
        *PERSON_KEY, _later_spell=spells.spell_id, _later_admission=spells.admission_date
    )
    discharged = index.filter(index.discharge_date.notnull())
    pairs = discharged.select(*PERSON_KEY, "spell_id", "discharge_date").join(
        later, list(PERSON_KEY)
    )
    gap = pairs._later_admission.delta(pairs.discharge_date, unit="day")
    readmitted = (
        pairs.filter(pairs._later_spell != pairs.spell_id, gap >= 0, gap <= READMISSION_DAYS)
        .select(*PERSON_KEY, "spell_id")
        .distinct()
        .mutate(_readmitted=ibis.literal(True))
    )
    joined = index.left_join(readmitted, [*PERSON_KEY, "spell_id"])
    return joined.select(
        *[index[c] for c in index.columns],
        readmitted_30_days=joined._readmitted.fill_null(False),
    )


def spells(store: Store, facts: Callable[[str], ir.Table]) -> ir.Table:
    """The inpatient spell fact of ``store`` (see the module docstring)."""
    return with_person_breakdowns(spell_records(store["inpatient_spells"]), facts("persons"))
