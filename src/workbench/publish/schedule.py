"""A schedule: which notebooks to render for which organisations, from which store, into which
folder. Read from YAML and validated, with every error naming the field::

    store: data/store            # a store from `workbench ingest`
    aggregates: data/aggregates  # recomputed when missing or out of date with the store
    output: reports              # reports, index.html and manifest.json
    period_start: null           # optional; default: compute's default period
    period_end: null
    workers: 2                   # notebooks run in parallel, at most this many at once
    disclosure_control: true
    formats: [html]              # html and/or pdf
    notebooks: [data_quality, waits, urgent_response, outcomes]
    organisations:
      - level: england
      - level: region
        codes: all               # or a list of codes
      - level: icb
        codes: [QKK, QHL]

Optional too: ``notebooks_dir`` (default ``notebooks``, else the notebooks installed with the
package), ``kernel`` (``chs-workbench``, the
project's kernel on the running Python: :mod:`workbench.publish.kernel`), ``timeout``
(seconds per cell, 600) and ``retries`` (kernel start failures, 2). Relative paths are taken
from the project root: the nearest folder above the schedule file holding ``pyproject.toml``
(else the schedule's own folder). Codes are text: quote codes that YAML would read as numbers
(``'007'``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from workbench.aggregates_folder import ENGLAND
from workbench.breakdowns import LEVELS
from workbench.errors import ScheduleError, WorkbenchError
from workbench.organisations import unknown_codes
from workbench.paths import NOTEBOOKS, find_root, shipped_notebooks
from workbench.period import Period
from workbench.publish.kernel import PROJECT_KERNEL
from workbench.publish.render import FORMATS

#: Makes the error for one field of a schedule: ``err(field, message)``.
FieldError = Callable[[str, str], ScheduleError]

REQUIRED = ("store", "aggregates", "output", "notebooks", "organisations")
DEFAULTS = {
    "period_start": None,
    "period_end": None,
    "workers": 2,
    "disclosure_control": True,
    "formats": ["html"],
    "notebooks_dir": NOTEBOOKS,
    "kernel": PROJECT_KERNEL,
    "timeout": 600,
    "retries": 2,
}


@dataclass(frozen=True)
class Organisations:
    """One ``organisations`` entry: a level and its codes (``None`` means all of them)."""

    level: str
    codes: tuple[str, ...] | None


@dataclass(frozen=True)
class Schedule:
    """A validated schedule; every path absolute."""

    path: Path
    root: Path
    store: Path
    aggregates: Path
    output: Path
    notebooks: tuple[Path, ...]
    organisations: tuple[Organisations, ...]
    period: Period | None = None
    workers: int = 2
    disclosure_control: bool = True
    formats: tuple[str, ...] = ("html",)
    kernel: str = PROJECT_KERNEL
    timeout: int = 600
    retries: int = 2
    extra: dict = field(default_factory=dict)


def _whole(value: object, name: str, minimum: int, err: FieldError) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise err(name, f"must be a whole number of {minimum} or more, not {value!r}")
    return value


def _codes(value: object, name: str, err: FieldError) -> tuple[str, ...] | None:
    """A list of organisation codes, or None for ``all``."""
    return None if value == "all" else _text_list(value, name, err, allow_all=True)


def _text_list(
    value: object, name: str, err: FieldError, allow_all: bool = False
) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        choices = "'all' or a list" if allow_all else "a list"
        raise err(name, f"must be {choices} of names, not {value!r}")
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            hint = (
                "; quote it in the YAML (e.g. '007') so it stays text"
                if isinstance(item, int | float) and not isinstance(item, bool)
                else ""
            )
            raise err(f"{name}[{i}]", f"must be text, not {item!r}{hint}")
    if len(set(value)) != len(value):
        raise err(name, f"lists a name twice: {value}")
    return tuple(value)


def _organisations(value: object, err: FieldError) -> tuple[Organisations, ...]:
    if not isinstance(value, list) or not value:
        raise err("organisations", "must be a list of entries such as {level: icb, codes: all}")
    out, seen = [], set()
    for i, entry in enumerate(value):
        name = f"organisations[{i}]"
        if not isinstance(entry, dict):
            raise err(name, f"must be a mapping with 'level' (and 'codes'), not {entry!r}")
        extra = set(entry) - {"level", "codes"}
        if extra:
            raise err(
                name, f"unknown key(s) {', '.join(map(str, sorted(extra)))}; use level, codes"
            )
        level = entry.get("level")
        if level not in LEVELS:
            raise err(f"{name}.level", f"must be one of {', '.join(LEVELS)}, not {level!r}")
        if level in seen:
            raise err(f"{name}.level", f"level {level!r} is listed twice; merge the entries")
        seen.add(level)
        if "codes" not in entry:
            if level != "england":
                raise err(f"{name}.codes", f"required for level {level}: 'all' or a list of codes")
            codes: tuple[str, ...] | None = (ENGLAND,)
        else:
            codes = _codes(entry["codes"], f"{name}.codes", err)
        if level == "england" and codes not in (None, (ENGLAND,)):
            raise err(f"{name}.codes", f"England has one code, {ENGLAND}; leave codes out")
        if codes and level in ("region", "icb"):
            bad = unknown_codes(level, list(codes))
            if bad:
                raise err(
                    f"{name}.codes",
                    f"unknown {level} code(s) {', '.join(bad)}; see "
                    "workbench.reference.icb_regions() for the codes",
                )
        out.append(Organisations(level, codes))
    return tuple(out)


def parse_schedule(data: object, path: Path) -> Schedule:
    """A :class:`Schedule` from the YAML mapping ``data`` read from ``path``."""

    def err(name: str, message: str) -> ScheduleError:
        return ScheduleError(f"{path}: field '{name}': {message}")

    if not isinstance(data, dict):
        raise ScheduleError(f"{path}: must be a YAML mapping of fields (store, output, ...)")
    unknown = sorted(set(map(str, data)) - set(REQUIRED) - set(DEFAULTS))
    if unknown:
        raise err(unknown[0], f"unknown field; known fields: {', '.join((*REQUIRED, *DEFAULTS))}")
    for name in REQUIRED:
        if data.get(name) in (None, "", []):
            raise err(name, "is required")
    # null means "the default" (for the period: compute's default period)
    values = {**DEFAULTS, **{k: v for k, v in data.items() if v is not None}}
    root = find_root(path.parent) or path.parent

    def folder(name: str) -> Path:
        value = values[name]
        if not isinstance(value, str):
            raise err(name, f"must be a path, not {value!r}")
        p = Path(value).expanduser()
        return (p if p.is_absolute() else root / p).resolve()

    period = None
    start, end = values["period_start"], values["period_end"]
    if (start is None) != (end is None):
        missing = "period_end" if end is None else "period_start"
        raise err(missing, "give both period_start and period_end, or neither")
    if start is not None:
        for name, value in (("period_start", start), ("period_end", end)):
            if not isinstance(value, str | dt.date):
                raise err(name, f"must be a date (YYYY-MM-DD), not {value!r}")
        try:
            period = Period.of(start, end)
        except WorkbenchError as e:
            raise err("period_start" if "start" in str(e) else "period_end", str(e)) from None
    workers = _whole(values["workers"], "workers", 1, err)
    timeout = _whole(values["timeout"], "timeout", 1, err)
    retries = _whole(values["retries"], "retries", 0, err)
    if not isinstance(values["disclosure_control"], bool):
        raise err(
            "disclosure_control", f"must be true or false, not {values['disclosure_control']!r}"
        )
    formats = _text_list(values["formats"], "formats", err)
    for i, f in enumerate(formats):
        if f not in FORMATS:
            raise err(f"formats[{i}]", f"must be one of {', '.join(FORMATS)}, not {f!r}")
    if not isinstance(values["kernel"], str):
        raise err("kernel", f"must be a kernel name such as python3, not {values['kernel']!r}")
    notebooks_dir = folder("notebooks_dir")
    if "notebooks_dir" not in data and not notebooks_dir.is_dir():  # a pip-installed server
        notebooks_dir = shipped_notebooks() or notebooks_dir
    names = _text_list(values["notebooks"], "notebooks", err)
    notebooks = []
    for i, name in enumerate(names):
        candidate = notebooks_dir / (name if name.endswith(".ipynb") else f"{name}.ipynb")
        if not candidate.is_file():
            available = sorted(p.stem for p in notebooks_dir.glob("*.ipynb"))
            raise err(
                f"notebooks[{i}]",
                f"no notebook {candidate}; available: {', '.join(available) or 'none'}",
            )
        notebooks.append(candidate)
    return Schedule(
        path=path,
        root=root,
        store=folder("store"),
        aggregates=folder("aggregates"),
        output=folder("output"),
        notebooks=tuple(notebooks),
        organisations=_organisations(values["organisations"], err),
        period=period,
        workers=workers,
        disclosure_control=values["disclosure_control"],
        formats=formats,
        kernel=values["kernel"],
        timeout=timeout,
        retries=retries,
    )


def load_schedule(path: str | Path) -> Schedule:
    """Read and validate the schedule YAML at ``path``; ScheduleError naming the field."""
    path = Path(path).resolve()
    if not path.is_file():
        raise ScheduleError(f"no schedule file at {path}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(e, "problem", None) or str(e)
        raise ScheduleError(f"{path}: not valid YAML{where}: {problem}") from None
    return parse_schedule(data, path)
