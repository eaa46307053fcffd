"""Synthetic community providers and their catchments of real 2011 LSOAs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench import reference
from workbench.synthetic.geography import gp_practices, postcode_districts
from workbench.synthetic.ids import acute_code, provider_code

#: ICBs chosen first, in order: one in each NHS region, the very deprived Birmingham and
#: Solihull (QHL) first, then a second London ICB.
PREFERRED_ICBS = ("QHL", "QKK", "QOP", "QWO", "QMM", "QKS", "QT6", "QMF")


@dataclass(frozen=True)
class Provider:
    """One synthetic community provider: codes, ICB, region and catchment LSOAs."""

    index: int
    code: str
    acute_code: str
    icb_code: str
    region: str
    has_beds: bool
    lsoa11: np.ndarray
    imd_decile: np.ndarray
    lsoa21: np.ndarray  # the same code when it exists in 2021, else ''
    postcode_district: np.ndarray
    gp_practice: np.ndarray


def _allocate(counts: dict[str, int], n: int) -> dict[str, int]:
    """Spread ``n`` providers over ICBs in proportion to LSOA counts (at least one each)."""
    icbs = sorted(counts)
    total = sum(counts.values())
    raw = {icb: max(1.0, n * counts[icb] / total) for icb in icbs}
    alloc = {icb: int(np.floor(raw[icb])) for icb in icbs}
    rest = sorted(icbs, key=lambda icb: (alloc[icb] - raw[icb], icb))
    i = 0
    while sum(alloc.values()) < n:
        alloc[rest[i % len(rest)]] += 1
        i += 1
    while sum(alloc.values()) > n:
        biggest = max(icbs, key=lambda icb: (alloc[icb], icb))
        alloc[biggest] -= 1
    return alloc


def make_providers(n: int) -> list[Provider]:
    """``n`` providers. Up to 42: one ICB each, the preferred ICBs first; more than 42: every ICB,
    providers spread by LSOA count, each ICB's LSOAs split between its providers."""
    geo = reference.lsoa11_geography().sort_values(["icb_code", "sicbl_code", "lsoa11_code"])
    lsoa21 = set(reference.lsoa21_to_icb()["lsoa21_code"])
    by_icb = {icb: frame for icb, frame in geo.groupby("icb_code", sort=True)}
    if n <= len(by_icb):
        others = [icb for icb in sorted(by_icb) if icb not in PREFERRED_ICBS]
        plan = [(icb, 0, 1) for icb in (list(PREFERRED_ICBS) + others)[:n]]
    else:
        alloc = _allocate({icb: len(frame) for icb, frame in by_icb.items()}, n)
        plan = [(icb, part, alloc[icb]) for icb in sorted(by_icb) for part in range(alloc[icb])]
    providers = []
    for i, (icb, part, parts) in enumerate(plan, start=1):
        frame = by_icb[icb]
        chunk = np.array_split(np.arange(len(frame)), parts)[part]
        frame = frame.iloc[chunk]
        codes = frame["lsoa11_code"].to_numpy(dtype=object)
        region = str(frame["region_name"].iloc[0])
        providers.append(
            Provider(
                index=i,
                code=provider_code(i),
                acute_code=acute_code(i),
                icb_code=icb,
                region=region,
                has_beds=i % 2 == 1,
                lsoa11=codes,
                imd_decile=frame["imd_decile"].to_numpy(dtype=np.int64),
                lsoa21=np.array([c if c in lsoa21 else "" for c in codes], dtype=object),
                postcode_district=postcode_districts(region, len(codes), i * 7),
                gp_practice=gp_practices(region, len(codes), i),
            )
        )
    return providers
