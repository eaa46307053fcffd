"""Synthetic postcode districts and GP practice codes for real 2011 LSOAs.

Both are made up: each LSOA of a catchment is given a plausible outward code for its NHS region
(e.g. London 'SE15', North West 'M14') and a GP practice code (a letter and five digits), so
the extract looks like a pseudonymised CSDS extract without pointing at any real place or practice.
"""

from __future__ import annotations

import numpy as np

#: Postcode areas by NHS England region (real area letters; the district numbers are invented).
POSTCODE_AREAS: dict[str, tuple[str, ...]] = {
    "London": ("E", "N", "SE", "SW", "W", "NW", "EN", "HA", "UB", "CR", "BR", "IG", "RM"),
    "North West": ("M", "L", "WA", "PR", "BL", "OL", "SK", "CH", "CW", "FY", "BB", "LA", "WN"),
    "North East and Yorkshire": (
        "NE",
        "SR",
        "DH",
        "TS",
        "LS",
        "BD",
        "HX",
        "HD",
        "WF",
        "S",
        "DN",
        "HU",
        "YO",
        "HG",
    ),
    "Midlands": (
        "B",
        "CV",
        "WV",
        "WS",
        "DY",
        "ST",
        "DE",
        "NG",
        "LE",
        "NN",
        "LN",
        "SY",
        "TF",
        "WR",
        "HR",
    ),
    "East of England": ("CB", "PE", "NR", "IP", "CO", "CM", "SS", "LU", "MK", "AL", "SG"),
    "South East": ("BN", "RH", "GU", "TN", "ME", "CT", "SO", "PO", "RG", "OX", "HP", "SL"),
    "South West": ("BS", "BA", "EX", "PL", "TQ", "TR", "TA", "GL", "SN", "BH", "DT", "SP"),
}

#: First letter of the synthetic GP practice codes by region.
GP_LETTER: dict[str, str] = {
    "London": "F",
    "North West": "N",
    "North East and Yorkshire": "B",
    "Midlands": "M",
    "East of England": "D",
    "South East": "H",
    "South West": "L",
}

LSOAS_PER_DISTRICT = 12
LSOAS_PER_PRACTICE = 6


def postcode_districts(region: str, n_lsoas: int, offset: int) -> np.ndarray:
    """A district for each of ``n_lsoas`` LSOAs (in catchment order): runs of neighbouring LSOAs
    share a district; ``offset`` shifts the numbering so catchments in one region differ."""
    areas = POSTCODE_AREAS.get(region, POSTCODE_AREAS["Midlands"])
    chunk = (np.arange(n_lsoas) // LSOAS_PER_DISTRICT) + offset
    area = np.array(areas, dtype=object)[chunk % len(areas)]
    number = (chunk // len(areas)) % 28 + 1
    return (area + number.astype(str).astype(object)).astype(object)


def gp_practices(region: str, n_lsoas: int, offset: int) -> np.ndarray:
    """A synthetic GP practice code (letter + 5 digits) for each LSOA of a catchment."""
    letter = GP_LETTER.get(region, "Y")
    number = 80_000 + (offset * 997 + np.arange(n_lsoas) // LSOAS_PER_PRACTICE) % 20_000
    return np.char.add(letter, number.astype(str)).astype(object)
