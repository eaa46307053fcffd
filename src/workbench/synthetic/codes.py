"""Code columns held as integer codes until a file is written.

A code column (attendance status, consultation mechanism, ...) is held as a pandas
``Categorical``: an integer code per row into a short list of categories kept in sorted order,
so it sorts as its text does. Rows are taken, filtered and concatenated as integers, and the
text is made once, in Arrow, when a file is written (``text.to_text``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from workbench.synthetic.sampling import choose_index


def vocabulary(*groups: Iterable[str]) -> tuple[str, ...]:
    """Every value of the given groups once, sorted: the categories of a code column."""
    return tuple(sorted({value for group in groups for value in group}))


def choose_codes(
    rng: np.random.Generator, weights: Mapping[str, float], n: int, categories: Sequence[str]
) -> np.ndarray:
    """``n`` values drawn as ``sampling.choose`` draws them (the same random draws), as codes
    into ``categories``."""
    lookup = np.array([categories.index(value) for value in weights], dtype=np.int64)
    return lookup[choose_index(rng, weights, n)]


def code_of(value: str, categories: Sequence[str]) -> int:
    """The code of one value."""
    return categories.index(value)


def coded(codes: np.ndarray, categories: Sequence[str]) -> pd.Categorical:
    """Codes into ``categories`` (-1 = missing) as a ``Categorical``."""
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int64), categories=categories)


def replace_values(
    values: pd.Series | np.ndarray, rows: np.ndarray, new: Sequence[str] | np.ndarray
) -> pd.Categorical | np.ndarray:
    """``values`` with the rows ``rows`` (positions or a mask) set to ``new``: a code column
    stays coded (new values become categories, kept sorted), anything else becomes a numpy
    object array."""
    array = values.array if isinstance(values, pd.Series) else values
    if not isinstance(array, pd.Categorical):
        out = np.asarray(array, dtype=object).copy()
        out[rows] = new
        return out
    new = np.asarray(new, dtype=object)
    categories = vocabulary(array.categories, new.tolist())
    array = array.set_categories(categories)
    codes = array.codes.astype(np.int64)
    codes[rows] = pd.Categorical(new, categories=categories).codes
    return coded(codes, categories)
