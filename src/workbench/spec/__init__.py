"""The extract specification: one source of truth for tables, columns, types, keys and codes.

The CSDS-shaped tables are :data:`TABLES`; the adult social care Client Level Data extract
is :data:`CLD_TABLES` with its code lists :data:`CLD_VALUE_SETS` (:mod:`workbench.spec.cld`).
The generator writes to it, the validator checks against it, the data quality measures count
against it and the documentation is printed from it (``workbench spec``).
"""

from workbench.spec.assessment_tools import ASSESSMENT_TOOL, ASSESSMENT_TOOLS, assessment_tool
from workbench.spec.cld import CLD_TABLES, CLD_VALUE_SETS
from workbench.spec.model import Column, Parent, Table
from workbench.spec.service_lines import TEAM_TYPE
from workbench.spec.tables import TABLES
from workbench.spec.value_sets import (
    ACTIVITY_LOCATION_TYPE,
    ADMISSION_METHOD,
    ATTENDANCE_STATUS,
    CONSULTATION_MECHANISM,
    DIAGNOSIS_SCHEME,
    DISCHARGE_DESTINATION,
    ETHNIC_CATEGORY,
    GENDER,
    MEASUREMENT_TYPE,
    PRIMARY_REFERRAL_REASON,
    PRIORITY_TYPE,
    REFERRAL_CLOSURE_REASON,
    SOURCE_OF_REFERRAL,
    UCR_REFERRAL_REASON,
    ValueSet,
)

#: Every code list a column can name in ``Column.value_set`` (the LSOA lookups live in
#: :mod:`workbench.reference`).
VALUE_SETS: dict[str, ValueSet] = {
    vs.name: vs
    for vs in (
        ETHNIC_CATEGORY,
        GENDER,
        ATTENDANCE_STATUS,
        CONSULTATION_MECHANISM,
        PRIORITY_TYPE,
        MEASUREMENT_TYPE,
        SOURCE_OF_REFERRAL,
        PRIMARY_REFERRAL_REASON,
        UCR_REFERRAL_REASON,
        REFERRAL_CLOSURE_REASON,
        ACTIVITY_LOCATION_TYPE,
        DIAGNOSIS_SCHEME,
        DISCHARGE_DESTINATION,
        ADMISSION_METHOD,
        TEAM_TYPE,
        ASSESSMENT_TOOL,
    )
}
REFERENCE_VALUE_SETS = ("lsoa11", "lsoa21")

#: Every table ingest loads, in load order: the CSDS tables (parents first), then CLD's.
EXTRACT_TABLES: dict[str, Table] = {**TABLES, **CLD_TABLES}


def table(name: str) -> Table:
    """The table called ``name``; KeyError listing the known tables otherwise."""
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"no table {name!r}; the extract has: {', '.join(TABLES)}") from None


__all__ = [
    "ASSESSMENT_TOOLS",
    "CLD_TABLES",
    "CLD_VALUE_SETS",
    "EXTRACT_TABLES",
    "REFERENCE_VALUE_SETS",
    "TABLES",
    "VALUE_SETS",
    "Column",
    "Parent",
    "Table",
    "ValueSet",
    "assessment_tool",
    "table",
]
