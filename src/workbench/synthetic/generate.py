"""Generate a whole synthetic extract: every provider, one at a time (or in worker processes)."""

from __future__ import annotations

import json
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from tqdm import tqdm

from workbench.logs import progress_enabled
from workbench.spec import TABLES
from workbench.synthetic.acute import discharge_states, merged_by_file
from workbench.synthetic.build import build_provider, rngs, window
from workbench.synthetic.cld import write_cld_files, write_cld_part
from workbench.synthetic.config import GeneratorConfig
from workbench.synthetic.dates import month_index
from workbench.synthetic.defects import unparseable
from workbench.synthetic.providers import Provider, make_providers
from workbench.synthetic.submissions import add_resubmissions, date_submissions
from workbench.synthetic.text import to_text
from workbench.synthetic.writer import write_submissions

#: For re-sends that correct a value: the wrong value the first copy carried.
CORRECTIONS = {
    "care_contacts": (
        "attendance_status",
        {"5": "3", "6": "5", "3": "5", "7": "5", "2": "4", "4": "2"},
        "5",
    ),
    "mpi": ("ethnic_category", {"99": "Z", "Z": "99"}, "99"),
}


@dataclass
class GenerationSummary:
    """What a generation wrote."""

    files: int = 0
    rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    persons: int = 0
    referrals: int = 0
    providers: list[str] = field(default_factory=list)
    acute_providers: list[str] = field(default_factory=list)
    local_authorities: list[str] = field(default_factory=list)

    def add(self, other: GenerationSummary) -> None:
        """Fold one provider's summary into this one."""
        self.files += other.files
        for table, n in other.rows.items():
            self.rows[table] = self.rows.get(table, 0) + n
        self.persons += other.persons
        self.referrals += other.referrals
        self.providers += other.providers
        self.acute_providers += other.acute_providers

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-able values."""
        return asdict(self)


def generate_provider(
    out_dir: Path, config: GeneratorConfig, provider: Provider
) -> GenerationSummary:
    """Build and write every table of one provider."""
    tables, model, counts = build_provider(config, provider)
    rng = rngs(config, provider)["files"]
    _, start, end = window(config)
    summary = GenerationSummary(
        persons=counts["persons"],
        referrals=counts["referrals"],
        providers=[provider.code],
        acute_providers=[provider.acute_code],
    )
    for name, spec in TABLES.items():
        key = list(spec.key)
        rows = date_submissions(tables[name], key, config.cadence, start, end)
        rows = add_resubmissions(
            rows,
            key,
            model,
            rng,
            config.cadence,
            start,
            end,
            CORRECTIONS.get(name) if config.defects.duplicate_resubmission else None,
        )
        if name == "acute_admissions":  # each row as its file knows the discharge
            rows, updates = discharge_states(rows, key, config.cadence)
        text = to_text(rows, spec)
        column = spec.event_date  # the unparseable-dates defect spoils the event date
        if column is not None and len(rows):
            month = rows["_event"].to_numpy()
            hit = rng.random(len(rows)) < model.rate("unparseable_dates", month_index(month, start))
            text[column] = _spoil_dates(text[column], hit, rng)
        subs = rows["_sub"].to_numpy()
        if name == "acute_admissions":  # discharges after the admission's file, sent later
            text, subs = merged_by_file(
                text, subs, to_text(updates, spec), updates["_sub"].to_numpy()
            )
        org = provider.acute_code if name == "acute_admissions" else provider.code
        paths = write_submissions(out_dir, org, name, text, subs, config.file_format)
        summary.files += len(paths)
        summary.rows[name] = len(subs)
    if config.cld:  # after the community tables, from its own random stream
        summary.rows["cld_events"] = write_cld_part(out_dir, config, provider, tables)
    return summary


def _spoil_dates(
    dates: np.ndarray | pa.Array, hit: np.ndarray, rng: np.random.Generator
) -> pa.Array:
    """The date texts with the non-missing ones among ``hit`` made unparseable."""
    dates = dates if isinstance(dates, pa.Array) else pa.array(dates, type=pa.string())
    hit = hit & dates.is_valid().to_numpy(zero_copy_only=False)
    spoiled = unparseable(dates.filter(pa.array(hit)).to_numpy(zero_copy_only=False), rng)
    return pc.replace_with_mask(dates, pa.array(hit), pa.array(spoiled, type=pa.string()))


def _prepare(out: Path, overwrite: bool) -> None:
    if out.exists() and any(out.iterdir()):
        if not overwrite:
            raise ValueError(
                f"output directory {out} exists and is not empty; "
                "pass overwrite=True to replace an earlier generation"
            )
        if not (out / "generation.json").exists():
            raise ValueError(
                f"refusing to overwrite {out}: it holds no generation.json, so it "
                "does not look like an earlier synthetic extract"
            )
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def _run(args: tuple[Path, GeneratorConfig, Provider]) -> GenerationSummary:
    return generate_provider(*args)


def generate(
    out_dir: str | Path,
    config: GeneratorConfig,
    progress: bool = True,
    workers: int | None = 1,
    overwrite: bool = False,
    only_providers: int | None = None,
) -> GenerationSummary:
    """Write a synthetic extract into a fresh ``out_dir`` and return what was written.

    Providers are generated in ``workers`` processes (None: one a core this process may use),
    never more than there are providers. Results do not depend on ``workers``: every provider
    has its own random streams (SeedSequence([seed, provider index])). ``only_providers``
    generates just the first n providers of the configuration (for timing a national run on
    one provider).
    """
    out = Path(out_dir)
    _prepare(out, overwrite)
    providers = make_providers(config.providers)
    if only_providers is not None:
        providers = providers[:only_providers]
    summary = GenerationSummary()
    jobs = [(out, config, p) for p in providers]
    workers = min(workers or len(os.sched_getaffinity(0)), len(jobs))
    bar = tqdm(
        total=len(jobs), disable=not progress_enabled(progress), unit="provider", desc="generating"
    )
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for result in pool.map(_run, jobs):
                summary.add(result)
                bar.update()
    else:
        for job in jobs:
            summary.add(_run(job))
            bar.update()
    bar.close()
    if config.cld:
        cld_files, summary.local_authorities = write_cld_files(out, config.file_format)
        summary.files += cld_files
    meta = {
        "config": config.to_dict(),
        "summary": summary.to_dict(),
        "note": "Synthetic data: no real person, provider, postcode or GP practice.",
    }
    (out / "generation.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return summary


__all__ = ["GenerationSummary", "generate", "generate_provider"]
