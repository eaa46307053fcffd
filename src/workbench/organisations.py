"""The organisations a report can be for, by level, and what a reader calls them: England
(``ENG``), the 7 NHS England regions and 42 ICBs of the shipped reference data, and the
providers present in a set of aggregates (``organisations.parquet`` written by
``workbench compute``). The one owner of an organisation's codes and names."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbench.aggregates_folder import ENGLAND, ORGANISATIONS, table_path
from workbench.breakdowns import LEVELS
from workbench.errors import WorkbenchError

#: What one organisation of each level is (a report's subtitle).
LEVEL_NAMES = {
    "provider": "Provider",
    "council": "Council (adult social care)",
    "icb": "Integrated care board (residence)",
    "region": "NHS England region (residence)",
    "england": "England",
}
#: What the organisations of each level are called together (the index's headings).
LEVEL_HEADINGS = {
    "england": "England",
    "region": "NHS regions",
    "icb": "ICBs",
    "provider": "Providers",
    "council": "Councils",
}


def known_codes(level: str, aggregates: str | Path | None = None) -> list[str]:
    """Every code of ``level``, sorted. Providers need ``aggregates`` (their organisations)."""
    from workbench.reference import icb_regions

    if level == "england":
        return [ENGLAND]
    if level == "region":
        return sorted(icb_regions()["nhser_ods_code"].unique())
    if level == "icb":
        return sorted(icb_regions()["icb_ods_code"].unique())
    if level == "provider":
        if aggregates is None:
            raise WorkbenchError("provider codes come from the aggregates; none were given")
        path = table_path(aggregates, ORGANISATIONS)
        if not path.exists():
            raise WorkbenchError(
                f"no {path.name} in {aggregates}; run `workbench compute STORE --out "
                f"{aggregates}` first"
            )
        frame = pd.read_parquet(path, columns=["provider"])
        return sorted(frame["provider"].astype(str).unique())
    if level == "council":
        from workbench.reference.councils import council_names

        return sorted(council_names())
    raise WorkbenchError(f"unknown level {level!r}; choose from {', '.join(LEVELS)}")


def org_names(level: str) -> dict[str, str]:
    """Names of the regions, ICBs or councils (code to name); empty for other levels."""
    from workbench.reference import icb_regions

    if level == "council":
        from workbench.reference.councils import council_names

        return council_names()
    ref = icb_regions()
    if level == "region":
        return dict(zip(ref["nhser_ods_code"], ref["nhser_name"], strict=True))
    if level == "icb":
        return dict(zip(ref["icb_ods_code"], ref["icb_name"], strict=True))
    if level == "england":
        return {ENGLAND: "England"}
    return {}


def organisation_name(level: str, code: str) -> str:
    """What a reader calls the organisation: ``England``, the region's or ICB's name from the
    shipped reference data (``London``, not ``Y56``), or ``Provider <code>`` (the extract names
    no providers); the code itself when the reference data does not know it."""
    if level == "provider":
        return f"Provider {code}"
    return org_names(level).get(code, code)


def unknown_codes(level: str, codes: list[str], aggregates: str | Path | None = None) -> list[str]:
    """The ``codes`` that are not organisations of ``level``."""
    known = set(known_codes(level, aggregates))
    return [c for c in codes if c not in known]


def check_org(level: str, code: str, aggregates: str | Path | None = None) -> None:
    """WorkbenchError naming the level and some valid codes when ``code`` is not one."""
    if unknown_codes(level, [code], aggregates):
        known = known_codes(level, aggregates)
        shown = ", ".join(known[:50]) + (" ..." if len(known) > 50 else "")
        raise WorkbenchError(f"unknown {level} code {code!r}; known {level} codes: {shown}")
