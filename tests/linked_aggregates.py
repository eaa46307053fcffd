"""A small aggregates folder holding the linked-pathway tables (measures.md section 9) in the
shape ``workbench compute`` writes them: ``level``, ``org_code``, ``breakdown``, the breakdown
columns, the ``within`` columns, then the measure's columns, with 95% Wilson limits.

The counts are made up (a fixed seed), coherent (a numerator never exceeds its denominator, the
three outcomes after an urgent response add up to the clocks, the time-to-service curve never
falls) and include small counts, so that disclosure control has something to do.

Where the measure registry does not yet declare the linked tables, :func:`declare_linked`
declares them as the shared contract names them, so the report sections can be tested before the
measures are; once the registry has them, it changes nothing.
"""

from __future__ import annotations

import itertools
import json
import types
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.aggregates_folder import write_table
from workbench.measures.declare import AggregateTable, Measure, average, columns, count, percentage
from workbench.reports.sections.pathways import FROM_SETTINGS, OUTCOMES
from workbench.stats import percentage_with_interval

#: Providers, with their home ICB and region (as the sample's).
PROVIDERS = (("SYN01", "QHL", "Y60"), ("SYN02", "QKK", "Y56"), ("SYN08", "QMF", "Y56"))
COUNCILS = ("E09000001", "E09000002", "E08000025")
DISCHARGE_SETTINGS = ("acute", "community bed", "any")
PERSON_EXTRAS = ("age_group", "sex", "ethnic_group", "imd_quintile", "imd_decile")
VALUES = {
    "age_group": ("0-18", "19-64", "65+", "Not known"),
    "sex": ("Female", "Male", "Not known"),
    "ethnic_group": ("White", "Mixed", "Asian", "Black", "Other", "Not known"),
    "imd_quintile": ("1", "2", "3", "4", "5", "Not known"),
    "imd_decile": (*[str(d) for d in range(1, 11)], "Not known"),
}
#: Each level's size: England's counts are this many times a provider's.
SCALE = {"england": 12.0, "region": 4.0, "icb": 2.0, "provider": 1.0, "council": 1.0}


def _declarations() -> tuple[Measure, ...]:
    """The linked tables as the contract names them (labels are this fixture's own)."""

    def measure(family: str, name: str, table: str, cols, within=(), levels=None) -> Measure:
        levels = levels or ("provider", "icb", "region", "england")
        return Measure(
            family=family,
            name=name,
            title=name,
            section="9",
            function=lambda *a, **k: pd.DataFrame(),
            grouped=lambda *a, **k: pd.DataFrame(),
            facts=("transitions",),
            breakdowns=(),
            columns=columns(*cols),
            tables=(AggregateTable(table, levels=levels),),
            within=within,
        )

    council = ("council", "icb", "region", "england")
    after = [count("clocks", "In-scope UCR clocks")]
    for n in (7, 30):
        for what in ("admission", "request", "neither"):
            after.append(count(f"{what}_{n}_days", f"{what} within {n} days"))
            after.append(
                percentage(
                    f"pct_{what}_{n}_days", f"% {what} {n} days", f"{what}_{n}_days", "clocks"
                )
            )
    reable = []
    for n in (84, 91):
        reable += [
            count(f"episodes_{n}", f"Linked reablement episodes ({n} days)"),
            count(f"at_home_{n}_days", f"At home after {n} days"),
            percentage(
                f"pct_at_home_{n}_days", f"% at home {n}", f"at_home_{n}_days", f"episodes_{n}"
            ),
        ]
    return (
        measure("linked", "after_ucr", "linked_after_ucr", after),
        measure(
            "linked",
            "discharge_to_service",
            "linked_discharge_to_service",
            [
                count("discharges", "Community bed discharges alive"),
                count("with_service", "With a social care service"),
                percentage("pct_with_service", "% with a service", "with_service", "discharges"),
                average("median_days", "Median days to service", "with_service"),
                average("p90_days", "90th percentile days", "with_service"),
            ],
        ),
        measure(
            "linked",
            "service_curve",
            "linked_service_curve",
            [
                count("discharges", "Community bed discharges alive"),
                count("with_service_by_day", "With a service by this day"),
                percentage(
                    "pct_with_service_by_day", "% by day", "with_service_by_day", "discharges"
                ),
            ],
            within=("day",),
        ),
        measure(
            "linked",
            "reablement_at_home",
            "linked_reablement_at_home",
            reable,
            within=("discharge_setting",),
            levels=council,
        ),
        measure(
            "linked",
            "reablement_coverage",
            "linked_reablement_coverage",
            [
                count("episodes", "Reablement episodes, 65 and over"),
                count("linked", "Linked to a discharge"),
                percentage("pct_linked", "% linked", "linked", "episodes"),
            ],
            levels=council,
        ),
        measure(
            "linked",
            "both_services",
            "linked_both_services",
            [
                count("persons", "People with community activity"),
                count("with_social_care", "With a social care service"),
                percentage("pct_with_social_care", "% both", "with_social_care", "persons"),
            ],
        ),
        measure(
            "linked",
            "transitions",
            "linked_transitions",
            [
                count("transitions", "Transitions"),
                count("starts", "Starting events"),
                percentage("pct_transitions", "% of starts", "transitions", "starts"),
            ],
            within=("from_setting", "to_outcome"),
        ),
        measure(
            "dq",
            "linkage_councils",
            "linkage_quality_councils",
            [
                count("events", "CLD events"),
                count("with_pseudonym", "With a pseudonym"),
                percentage("pct_with_pseudonym", "% pseudonym", "with_pseudonym", "events"),
                count("pseudonyms", "Distinct pseudonyms"),
                count("linked", "Found in community data"),
                percentage("pct_linked", "% linked", "linked", "pseudonyms"),
            ],
            levels=council,
        ),
        measure(
            "dq",
            "linkage_providers",
            "linkage_quality_providers",
            [
                count("persons", "People with community activity"),
                count("in_cld", "Found in CLD"),
                percentage("pct_in_cld", "% in CLD", "in_cld", "persons"),
            ],
        ),
    )


def declare_linked(monkeypatch) -> None:
    """Declare the linked tables in the measure registry for one test, unless it already does."""
    from workbench.measures import registry

    if any(t.name == "linked_transitions" for _, t in registry.aggregate_tables()):
        return
    extra = types.SimpleNamespace(MEASURES=_declarations())
    monkeypatch.setattr(registry, "FAMILIES", (*registry.FAMILIES, extra))


def _organisations(council_level: bool) -> list[tuple[str, str]]:
    first = (
        [("council", c) for c in COUNCILS]
        if council_level
        else [("provider", p) for p, _, _ in PROVIDERS]
    )
    icbs = sorted({(("icb", i)) for _, i, _ in PROVIDERS})
    regions = sorted({("region", r) for _, _, r in PROVIDERS})
    return [*first, *icbs, *regions, ("england", "ENG")]


def _share(rng: np.random.Generator, n: np.ndarray, low: float, high: float) -> np.ndarray:
    return rng.binomial(n, rng.uniform(low, high, size=n.shape))


def _add_pct(frame: pd.DataFrame, name: str, numerator: str, denominator: str) -> None:
    frame[name], frame[f"{name}_lower"], frame[f"{name}_upper"] = percentage_with_interval(
        frame[numerator], frame[denominator]
    )


def _rows(rng, council_level: bool, breakdowns, base: int) -> pd.DataFrame:
    """One row per organisation and breakdown value, with a size ``n``."""
    out = []
    for level, code in _organisations(council_level):
        for breakdown in breakdowns:
            values = VALUES.get(breakdown, (None,)) if breakdown != "none" else (None,)
            for value in values:
                size = base * SCALE[level] * (1 if value is None else 1 / len(values))
                row = {"level": level, "org_code": code, "breakdown": breakdown}
                if value is not None:
                    row[breakdown] = value
                row["n"] = int(rng.integers(max(1, int(size * 0.5)), int(size * 1.5) + 2))
                out.append(row)
    return pd.DataFrame(out)


def _after_ucr(rng) -> pd.DataFrame:
    frame = _rows(rng, False, ["none"], 150).rename(columns={"n": "clocks"})
    for n in (7, 30):
        admission = _share(rng, frame["clocks"].to_numpy(), 0.05 * n / 7, 0.08 * n / 7)
        request = _share(rng, frame["clocks"].to_numpy() - admission, 0.03, 0.1)
        frame[f"admission_{n}_days"] = np.minimum(admission, frame["clocks"])
        frame[f"request_{n}_days"] = request
        frame[f"neither_{n}_days"] = frame["clocks"] - frame[f"admission_{n}_days"] - request
        for what in ("admission", "request", "neither"):
            _add_pct(frame, f"pct_{what}_{n}_days", f"{what}_{n}_days", "clocks")
    return frame


def _discharge(rng) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = _rows(rng, False, ["none"], 60).rename(columns={"n": "discharges"})
    frame["with_service"] = _share(rng, frame["discharges"].to_numpy(), 0.2, 0.4)
    _add_pct(frame, "pct_with_service", "with_service", "discharges")
    frame["median_days"] = rng.uniform(5, 20, len(frame)).round(1)
    frame["p90_days"] = frame["median_days"] + rng.uniform(20, 50, len(frame)).round(1)
    curves = []
    for _, row in frame.iterrows():
        days = np.arange(91)
        shape = 1 - np.exp(-days / max(1.0, row["median_days"]))
        by_day = np.floor(row["with_service"] * shape / shape[-1]).astype(int)
        curves.append(
            pd.DataFrame(
                {
                    "level": row["level"],
                    "org_code": row["org_code"],
                    "breakdown": "none",
                    "day": days,
                    "discharges": row["discharges"],
                    "with_service_by_day": by_day,
                }
            )
        )
    curve = pd.concat(curves, ignore_index=True)
    _add_pct(curve, "pct_with_service_by_day", "with_service_by_day", "discharges")
    return frame, curve


def _reablement(rng) -> tuple[pd.DataFrame, pd.DataFrame]:
    base = _rows(rng, True, ["none"], 40)
    rows = []
    for _, row in base.iterrows():
        for setting in DISCHARGE_SETTINGS:
            n = row["n"] * (2 if setting == "any" else 1)
            episodes = int(rng.binomial(n, 0.9))
            rows.append(
                {
                    **row.drop("n").to_dict(),
                    "discharge_setting": setting,
                    "episodes_84": episodes,
                    "at_home_84_days": int(rng.binomial(episodes, 0.8)),
                    "episodes_91": int(rng.binomial(episodes, 0.95)),
                }
            )
    at_home = pd.DataFrame(rows)
    at_home["at_home_91_days"] = _share(rng, at_home["episodes_91"].to_numpy(), 0.7, 0.8)
    for n in (84, 91):
        _add_pct(at_home, f"pct_at_home_{n}_days", f"at_home_{n}_days", f"episodes_{n}")
    coverage = base.rename(columns={"n": "episodes"})
    coverage["episodes"] = coverage["episodes"] * 3
    coverage["linked"] = _share(rng, coverage["episodes"].to_numpy(), 0.5, 0.7)
    _add_pct(coverage, "pct_linked", "linked", "episodes")
    return at_home, coverage


def _both(rng) -> pd.DataFrame:
    frame = _rows(rng, False, ["none", *PERSON_EXTRAS], 900).rename(columns={"n": "persons"})
    frame["with_social_care"] = _share(rng, frame["persons"].to_numpy(), 0.05, 0.15)
    _add_pct(frame, "pct_with_social_care", "with_social_care", "persons")
    return frame


def _transitions(rng) -> pd.DataFrame:
    base = _rows(rng, False, ["none"], 60)
    rows = []
    for (_, row), setting in itertools.product(base.iterrows(), FROM_SETTINGS):
        starts = int(row["n"] * (2 if setting == "urgent response" else 1))
        weights = rng.dirichlet([2, 1, 0.5, 1.5, 0.3, 8])
        split = rng.multinomial(starts, weights)
        for outcome, k in zip(OUTCOMES, split, strict=True):
            rows.append(
                {
                    **row.drop("n").to_dict(),
                    "from_setting": setting,
                    "to_outcome": outcome,
                    "transitions": int(k),
                    "starts": starts,
                }
            )
    frame = pd.DataFrame(rows)
    _add_pct(frame, "pct_transitions", "transitions", "starts")
    return frame


def _linkage(rng) -> tuple[pd.DataFrame, pd.DataFrame]:
    councils = _rows(rng, True, ["none"], 300).rename(columns={"n": "events"})
    councils["with_pseudonym"] = _share(rng, councils["events"].to_numpy(), 0.85, 0.97)
    _add_pct(councils, "pct_with_pseudonym", "with_pseudonym", "events")
    councils["pseudonyms"] = _share(rng, councils["with_pseudonym"].to_numpy(), 0.3, 0.5)
    councils["linked"] = _share(rng, councils["pseudonyms"].to_numpy(), 0.4, 0.7)
    _add_pct(councils, "pct_linked", "linked", "pseudonyms")
    providers = _rows(rng, False, ["none"], 900).rename(columns={"n": "persons"})
    providers["in_cld"] = _share(rng, providers["persons"].to_numpy(), 0.05, 0.15)
    _add_pct(providers, "pct_in_cld", "in_cld", "persons")
    return councils, providers


def linked_tables(seed: int = 9) -> dict[str, pd.DataFrame]:
    """Every linked aggregate table, by name."""
    rng = np.random.default_rng(seed)
    discharge, curve = _discharge(rng)
    at_home, coverage = _reablement(rng)
    councils, providers = _linkage(rng)
    return {
        "linked_after_ucr": _after_ucr(rng),
        "linked_discharge_to_service": discharge,
        "linked_service_curve": curve,
        "linked_reablement_at_home": at_home,
        "linked_reablement_coverage": coverage,
        "linked_both_services": _both(rng),
        "linked_transitions": _transitions(rng),
        "linkage_quality_councils": councils,
        "linkage_quality_providers": providers,
    }


def write_linked_aggregates(folder: Path, seed: int = 9) -> Path:
    """An aggregates folder with a manifest, the organisations and the linked tables (added to
    whatever ``folder`` already holds, e.g. a copy of the sample's aggregates)."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = folder / "manifest.json"
    if not manifest.exists():
        manifest.write_text(
            json.dumps(
                {
                    "period_start": "2025-04-01",
                    "period_end": "2026-03-31",
                    "census_date": "2026-03-31",
                    "source_sha256": "0" * 64,
                    "loaded_at": "2026-04-02T09:00:00+00:00",
                    "tables": {},
                }
            )
        )
        orgs = pd.DataFrame(PROVIDERS, columns=["provider", "icb", "region"]).assign(persons=900)
        write_table(folder, "organisations", orgs)
    for name, frame in linked_tables(seed).items():
        write_table(folder, name, frame)
    return folder
