"""The shipped reference data as tables on the store's engine, registered once per store.

Every engine reads them the same way: a small pandas frame handed to the engine once and joined
like any other table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ibis.expr.types as ir
import pandas as pd

from workbench import reference

if TYPE_CHECKING:
    from workbench.store import Store


def _geography_frame() -> pd.DataFrame:
    geo = reference.lsoa11_geography()
    frame = geo[["lsoa11_code", "icb_code", "region_code", "imd_decile", "imd_quintile"]]
    frame = frame.rename(
        columns={"lsoa11_code": "lsoa", "icb_code": "icb", "region_code": "region"}
    )
    return frame.assign(imd_quintile=frame["imd_quintile"].astype(str))


def geography(store: Store) -> ir.Table:
    """2011 LSOAs with ``icb``, ``region`` (NHS England region code), ``imd_decile`` and
    ``imd_quintile`` (as text, 1 = most deprived)."""
    return store.reference("reference_geography", _geography_frame)


def lsoa21_codes(store: Store) -> ir.Table:
    """Every 2021 LSOA code in the shipped lookup, as ``lsoa``."""
    return store.reference(
        "reference_lsoa21",
        lambda: pd.DataFrame({"lsoa": reference.lsoa21_to_icb()["lsoa21_code"]}),
    )
