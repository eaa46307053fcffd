"""What a report notebook reads: the aggregate tables of one organisation, its peers, and the
manifest that says which data and period they describe.

Organisations are a provider (its code), an ICB of residence (ODS code, e.g. QKK), an NHS
England region (e.g. Y56) or England (ENG). Tables computed only per provider (item quality,
DQMI, rejects) are rolled up for an ICB or region from the providers whose home ICB or region it
is (:func:`workbench.compute.organisations`), adding counts and recomputing percentages.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import pandas as pd

from workbench.aggregates_folder import (
    ENGLAND,
    MANIFEST,
    NO_BREAKDOWN,
    ORGANISATIONS,
    read_manifest,
    read_table,
    table_path,
)
from workbench.breakdowns import BREAKDOWNS, LEVELS
from workbench.disclosure import mark_national
from workbench.errors import WorkbenchError
from workbench.organisations import known_codes, organisation_name

__all__ = ["ReportData"]


@lru_cache(maxsize=64)
def _table(folder: str, name: str, stamp: int) -> pd.DataFrame:
    """Aggregate ``name`` of ``folder`` as written at ``stamp`` (its modification time): read
    once however many sections, key messages and index rows ask for it. Callers select rows
    (a new frame) and never change it in place."""
    return read_table(folder, name)


@dataclass
class ReportData:
    """The aggregates folder seen from one organisation, for a report made with or without
    disclosure control (``disclosure_control``, measures.md section 7): every section, key
    message and table of the report reads it from here."""

    folder: Path
    level: str
    code: str
    manifest: dict
    disclosure_control: bool = True

    @classmethod
    def open(
        cls,
        aggregates: str | Path,
        level: str,
        code: str | None = None,
        disclosure_control: bool = True,
    ) -> ReportData:
        """Open ``aggregates`` (written by ``workbench compute``) for one organisation, with
        disclosure control on unless turned off; a clear error when the folder, the level or
        the code is not there."""
        folder = Path(aggregates)
        if not (folder / MANIFEST).exists():
            raise WorkbenchError(
                f"{folder} holds no aggregates ({MANIFEST} missing); run "
                "`workbench compute STORE --out AGGREGATES` first"
            )
        if level not in LEVELS:
            raise WorkbenchError(f"org level {level!r}: choose one of {', '.join(LEVELS)}")
        code = ENGLAND if level == "england" else str(code or "")
        data = cls(folder, level, code, read_manifest(folder) or {}, disclosure_control)
        known = data.codes(level)
        if code not in known:
            raise WorkbenchError(
                f"no {level} {code!r} in the aggregates; known codes: {', '.join(known)}"
            )
        return data

    def seen_from(self, level: str, code: str | None = None) -> ReportData:
        """The same aggregates seen from another organisation (England's code by default for
        England), with the same disclosure control."""
        return ReportData.open(self.folder, level, code, self.disclosure_control)

    def _read(self, name: str) -> pd.DataFrame:
        path = table_path(self.folder, name)
        stamp = path.stat().st_mtime_ns if path.exists() else -1
        return _table(str(self.folder), name, stamp)

    @cached_property
    def organisations(self) -> pd.DataFrame:
        """Providers with their home ICB and region."""
        return self._read(ORGANISATIONS)

    def codes(self, level: str) -> list[str]:
        """Every organisation code at ``level`` that the aggregates hold."""
        return known_codes(level, self.folder)

    @property
    def name(self) -> str:
        """The organisation's name as a reader knows it (``London``, not ``Region Y56``)."""
        return organisation_name(self.level, self.code)

    @property
    def providers(self) -> list[str]:
        """The providers whose figures make up this organisation's provider-only tables."""
        orgs = self.organisations
        if self.level == "england":
            return sorted(orgs["provider"])
        if self.level == "provider":
            return [self.code]
        return sorted(orgs.loc[orgs[self.level] == self.code, "provider"])

    def table(self, name: str, breakdown: str = NO_BREAKDOWN) -> pd.DataFrame:
        """Rows of aggregate ``name`` for this organisation and ``breakdown``; England's rows are
        marked national, so that disclosure control leaves them unrounded (measures.md
        section 7)."""
        frame = self._read(name)
        rows = frame[
            (frame["level"] == self.level)
            & (frame["org_code"] == self.code)
            & (frame["breakdown"] == breakdown)
        ]
        unused = [
            b
            for b in BREAKDOWNS
            if b in rows and b not in breakdown.split(",") and rows[b].isna().all()
        ]
        out = rows.drop(columns=["level", "org_code", "breakdown", *unused]).reset_index(drop=True)
        return mark_national(out) if self.level == "england" else out

    def national(self, name: str) -> pd.DataFrame:
        """Rows of ``name`` for England (tables computed only nationally, e.g. inequality),
        marked national: not rounded in any report (measures.md section 7)."""
        frame = self._read(name)
        rows = frame[frame["level"] == "england"]
        return mark_national(
            rows.drop(columns=["level", "org_code", "breakdown"]).reset_index(drop=True)
        )

    def peers(
        self, name: str, breakdown: str = NO_BREAKDOWN, level: str | None = None
    ) -> pd.DataFrame:
        """Rows of ``name`` for every organisation at ``level`` (default: this level; for
        England the regions), with ``org_code``: the comparators of a funnel plot."""
        level = level or ("region" if self.level == "england" else self.level)
        frame = self._read(name)
        rows = frame[(frame["level"] == level) & (frame["breakdown"] == breakdown)]
        return rows.drop(columns=["level", "breakdown"]).reset_index(drop=True)

    def provider_rows(self, name: str, breakdown: str = NO_BREAKDOWN) -> pd.DataFrame:
        """Provider-level rows of ``name`` for this organisation's providers, with ``org_code``."""
        frame = self._read(name)
        rows = frame[
            (frame["level"] == "provider")
            & frame["org_code"].isin(self.providers)
            & (frame["breakdown"] == breakdown)
        ]
        return rows.drop(columns=["level", "breakdown"]).reset_index(drop=True)

    def provider_rollup(self, name: str, keys: list[str], counts: list[str]) -> pd.DataFrame:
        """A provider-only table summed over this organisation's providers by ``keys``; for
        England, the sum over every provider is a national figure and is marked so (not rounded,
        measures.md section 7)."""
        rows = self.provider_rows(name)
        if rows.empty:
            return pd.DataFrame(columns=[*keys, *counts])
        out = rows.groupby(keys, as_index=False, sort=False)[counts].sum()
        return mark_national(out) if self.level == "england" else out
