"""Data quality defects injected on purpose, at rates that differ by provider and drift over
months (``GeneratorConfig.variation``; 0 = the exact rates everywhere, every month)."""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pandas as pd

from workbench.synthetic.codes import replace_values
from workbench.synthetic.config import DefectRates

#: Codes outside the value sets, used for the invalid-code defects.
INVALID_ETHNICITY = ("X1", "CA", "O", "LB", "7")
INVALID_CODES = {
    "priority_type": ("A", "4", "R"),
    "source_of_referral": ("00", "1", "GP"),
    "team_type": ("A31", "C18", "X01"),
    "attendance_status": ("0", "8", "1"),
    "consultation_mechanism": ("03", "06", "99"),
}
#: Well-formed LSOA-like codes that are not in the 2011 lookup (Welsh or non-existent).
INVALID_LSOAS = ("E01999999", "W01000001", "E01099999", "W01001958", "E02000001")


class DefectModel:
    """Per-provider defect rates: rate x multiplier (mean 1) x (1 + drift x centred month)."""

    def __init__(
        self, rates: DefectRates, variation: float, rng: np.random.Generator, months: int
    ) -> None:
        self.rates = rates
        self.months = months
        names = [f.name for f in fields(DefectRates)]
        sigma = float(variation)
        z = rng.standard_normal(len(names))
        drift = rng.uniform(-1.0, 1.0, len(names)) * sigma
        self.multiplier = dict(zip(names, np.exp(sigma * z - sigma**2 / 2), strict=True))
        self.drift = dict(zip(names, drift, strict=True))

    def rate(self, name: str, month: np.ndarray) -> np.ndarray:
        """The rate of defect ``name`` for records first seen in each month index."""
        base = getattr(self.rates, name) * self.multiplier[name]
        centred = (np.asarray(month, float) - (self.months - 1) / 2) / max(self.months, 1)
        return np.clip(base * (1.0 + self.drift[name] * centred), 0.0, 1.0)


def _bands(
    model: DefectModel, names: tuple[str, ...], month: np.ndarray, u: np.ndarray
) -> np.ndarray:
    """Which of the mutually exclusive defects ``names`` hits each row (-1 = none)."""
    out = np.full(len(u), -1)
    low = np.zeros(len(u))
    for i, name in enumerate(names):
        high = low + model.rate(name, month)
        out[(u >= low) & (u < high) & (out == -1)] = i
        low = high
    return out


def person_defects(
    rng: np.random.Generator, model: DefectModel, persons: pd.DataFrame, month: np.ndarray
) -> pd.DataFrame:
    """Ethnicity missing / not stated / not known / invalid and LSOA missing / invalid."""
    n = len(persons)
    eth = persons["ethnic_category"].to_numpy(dtype=object).copy()
    band = _bands(
        model,
        ("ethnicity_missing", "ethnicity_not_stated", "ethnicity_not_known", "ethnicity_invalid"),
        month,
        rng.random(n),
    )
    eth[band == 0] = ""
    eth[band == 1] = "Z"
    eth[band == 2] = "99"
    bad = band == 3
    eth[bad] = np.array(INVALID_ETHNICITY, dtype=object)[
        rng.integers(0, len(INVALID_ETHNICITY), bad.sum())
    ]
    lsoa_band = _bands(model, ("lsoa_missing", "lsoa_invalid"), month, rng.random(n))
    out = persons.assign(ethnic_category=eth)
    out["lsoa_defect"] = lsoa_band
    return out


def invalid_codes(
    rng: np.random.Generator,
    model: DefectModel,
    frame: pd.DataFrame,
    columns: tuple[str, ...],
    month: np.ndarray,
) -> pd.DataFrame:
    """One of ``columns`` set to a value outside its value set in a share of rows."""
    hit = rng.random(len(frame)) < model.rate("invalid_codes", month)
    which = rng.integers(0, len(columns), len(frame))
    frame = frame.copy()
    for i, col in enumerate(columns):
        mask = hit & (which == i)
        bad = np.array(INVALID_CODES[col], dtype=object)
        frame[col] = replace_values(frame[col], mask, bad[rng.integers(0, len(bad), mask.sum())])
    return frame


def hits(rng: np.random.Generator, model: DefectModel, name: str, month: np.ndarray) -> np.ndarray:
    """Rows hit by defect ``name`` (a Bernoulli draw at the month's rate)."""
    return rng.random(len(month)) < model.rate(name, month)


def unparseable(text: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Date texts turned into something that is not a date: 'YYYY-02-30' or 'DD/MM/YYYY'."""
    out = text.copy()
    slash = rng.random(len(text)) < 0.5
    for i in range(len(text)):
        value = str(text[i])
        if len(value) != 10:
            value = "2025-01-31"
        y, m, d = value.split("-")
        out[i] = f"{d}/{m}/{y}" if slash[i] else f"{y}-02-30"
    return out
