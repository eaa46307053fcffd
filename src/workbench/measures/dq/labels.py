"""What a reader calls an extract table and a data item, and whether an item is rated
(measures.md section 2, "Rating", and section 7: no internal name reaches a reader).

Item quality and rejects are keyed by the extract's own names (``mpi``, ``referral_closure_date``);
reports show these words instead. An item is rated (Good, Needs attention, Poor) only when it is
expected for every record in scope: mandatory or required in the extract specification. Optional
items (closure, rejection and discharge dates, ...) are blank for most records by design, so
a low completeness is not a data problem: they are shown without a rating.
"""

from __future__ import annotations

from workbench.spec import TABLES

#: Reader's names of the extract tables.
TABLE_LABELS = {
    "mpi": "People (master patient index)",
    "referrals": "Referrals",
    "rtt_clocks": "Waiting time clocks",
    "care_contacts": "Care contacts",
    "diagnoses": "Diagnoses",
    "assessments": "Assessments",
    "inpatient_spells": "Inpatient spells",
    "acute_admissions": "Acute admissions",
}
#: Words written in capitals wherever they appear in an item's name.
_ACRONYMS = {"id": "ID", "lsoa": "LSOA", "gp": "GP", "rtt": "RTT", "dna": "DNA", "imd": "IMD"}
#: Item names whose words alone would not say what they hold.
_ITEM_WORDS = {
    "age_years": "Age (years)",
    "gender": "Gender (sex)",
    "lsoa_2011": "LSOA of residence (2011 census)",
    "lsoa_2021": "LSOA of residence (2021 census)",
    "primary": "Primary diagnosis flag",
    "score": "Assessment score",
    "contact_duration_minutes": "Contact duration (minutes)",
    "measurement_type": "Waiting time measurement type",
    "team_type": "Service line (team type)",
}
#: What the rating column says of an item that is not rated.
OPTIONAL_NOT_RATED = "Not rated (optional item)"


def table_label(table: str) -> str:
    """What a reader calls extract table ``table`` (its name in words when not listed)."""
    return TABLE_LABELS.get(table, _words(table))


def item_label(item: str) -> str:
    """What a reader calls data item ``item``: e.g. ``referral_closure_date`` is "Referral
    closure date"."""
    return _ITEM_WORDS.get(item, _words(item))


def _words(name: str) -> str:
    words = [_ACRONYMS.get(w, w) for w in str(name).split("_") if w]
    if not words:
        return str(name)
    first = words[0]
    words[0] = first if first.isupper() else first.capitalize()
    return " ".join(words)


def is_rated(table: str, item: str) -> bool:
    """True when ``item`` of ``table`` is expected of every record (mandatory or required), so
    that its completeness earns a rating; False for an optional item or one not in the spec."""
    spec = TABLES.get(table)
    if spec is None:
        return False
    try:
        return spec.column(item).requirement != "optional"
    except KeyError:
        return False
