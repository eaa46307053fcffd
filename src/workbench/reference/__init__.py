"""Open reference data shipped inside the package: IMD 2019 by LSOA 2011, LSOA to sub-ICB
location to ICB, and ICB to NHS England region. Provenance and the Open Government Licence
attribution are in ``PROVENANCE.md`` beside this file (``workbench.reference.provenance()``).

Each reader returns a fresh pandas DataFrame of strings (deciles and ranks as integers).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import pandas as pd

ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0 "
    "(MHCLG English Indices of Deprivation 2019; ONS Open Geography lookups; NHS England codes)."
)


def _path(name: str):
    return resources.files("workbench.reference").joinpath(name)


@cache
def _read(name: str) -> pd.DataFrame:
    with _path(f"data/{name}").open("rb") as handle:
        compression = "gzip" if name.endswith(".gz") else None
        frame = pd.read_csv(handle, dtype=str, compression=compression, keep_default_na=False)
    for col in ("imd_decile", "imd_rank"):
        if col in frame:
            frame[col] = frame[col].astype("int64")
    return frame


def imd2019() -> pd.DataFrame:
    """IMD 2019 by 2011 LSOA: ``lsoa11_code, imd_decile, imd_rank`` (1 = most deprived)."""
    return _read("imd2019_lsoa11.csv.gz").copy()


def lsoa11_to_icb() -> pd.DataFrame:
    """2011 LSOAs with their sub-ICB location, ICB (ODS and ONS codes) and local authority."""
    return _read("lsoa11_icb22.csv.gz").copy()


def lsoa21_to_icb() -> pd.DataFrame:
    """2021 LSOAs with their sub-ICB location and ICB (April 2024 boundaries)."""
    return _read("lsoa21_icb24.csv.gz").copy()


def icb_regions() -> pd.DataFrame:
    """The 42 ICBs with ODS and ONS codes, names and their NHS England region."""
    return _read("icb_nhs_region_2024.csv").copy()


def lsoa11_geography() -> pd.DataFrame:
    """Every 2011 LSOA with IMD 2019 decile and rank, ICB and NHS England region in one frame.

    Columns: ``lsoa11_code, lsoa11_name, sicbl_code, icb_code, icb_name, region_code,
    region_name, imd_decile, imd_rank, imd_quintile`` (quintile 1 = deciles 1-2 = Core20).
    """
    return _lsoa11_geography().copy()


@cache
def _lsoa11_geography() -> pd.DataFrame:
    """``lsoa11_geography``, joined once a process (compute asks for it more than once)."""
    geo = _read("lsoa11_icb22.csv.gz").merge(
        _read("imd2019_lsoa11.csv.gz"), on="lsoa11_code", how="left", validate="1:1"
    )
    regions = _read("icb_nhs_region_2024.csv").rename(
        columns={
            "icb_ods_code": "icb_code",
            "nhser_ods_code": "region_code",
            "nhser_name": "region_name",
        }
    )[["icb_code", "icb_name", "region_code", "region_name"]]
    geo = geo.merge(regions, on="icb_code", how="left", validate="m:1")
    geo["imd_quintile"] = (geo["imd_decile"] + 1) // 2
    return geo[
        [
            "lsoa11_code",
            "lsoa11_name",
            "sicbl_code",
            "icb_code",
            "icb_name",
            "region_code",
            "region_name",
            "imd_decile",
            "imd_rank",
            "imd_quintile",
        ]
    ]


def provenance() -> str:
    """The provenance and licence text of the shipped reference data."""
    return _path("PROVENANCE.md").read_text(encoding="utf-8")
