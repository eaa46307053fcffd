"""What a report section shows, as the disclosure tests read it: its tables, and whether a shown
count is one disclosure control allows below England (measures.md section 7)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
import pandas as pd


def shown_frames(items: Iterable[object]) -> Iterator[pd.DataFrame]:
    """The frames of the tables among a section's ``items`` (pandas Stylers)."""
    for item in items:
        frame = getattr(item, "data", None)
        if isinstance(frame, pd.DataFrame):
            yield frame


def is_controlled_count(value: object) -> bool:
    """A count shown below England: ``*``, missing, 0 or a multiple of 5."""
    if isinstance(value, str):
        return value == "*"
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return True
    number = float(value)  # type: ignore[arg-type]
    return number == 0 or (number.is_integer() and number % 5 == 0)
