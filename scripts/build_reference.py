"""Rebuild the reference files shipped in src/workbench/reference/data/ from ../shared/reference.

Keeps only the columns the workbench reads and gzips them; no values are changed. Run from the
project root: ``python scripts/build_reference.py [SOURCE_DIR]``.
"""

import sys
from pathlib import Path

import pandas as pd

SOURCE = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/reference")
OUT = Path("src/workbench/reference/data")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    imd = pd.read_csv(SOURCE / "imd2019_lsoa11_england.csv", dtype={"lsoa_code": str})
    imd = imd.rename(
        columns={"lsoa_code": "lsoa11_code", "IMD_decile": "imd_decile", "IMD_rank": "imd_rank"}
    )[["lsoa11_code", "imd_decile", "imd_rank"]]
    imd.to_csv(
        OUT / "imd2019_lsoa11.csv.gz", index=False, compression={"method": "gzip", "mtime": 0}
    )

    l11 = pd.read_csv(SOURCE / "lsoa11_sicbl22_icb22_ltla22_england.csv", dtype=str)
    l11 = l11.rename(
        columns={
            "sicbl22_code_h": "sicbl_code",
            "icb22_code_h": "icb_code",
            "icb22_code": "icb_ons_code",
        }
    )
    l11 = l11[
        [
            "lsoa11_code",
            "lsoa11_name",
            "sicbl_code",
            "icb_code",
            "icb_ons_code",
            "ltla22_code",
            "ltla22_name",
        ]
    ]
    l11.to_csv(OUT / "lsoa11_icb22.csv.gz", index=False, compression={"method": "gzip", "mtime": 0})

    l21 = pd.read_csv(SOURCE / "lsoa21_sicbl24_icb24_england.csv", dtype=str)
    l21 = l21.rename(
        columns={
            "sicbl24_code_nhs": "sicbl_code",
            "icb24_code_nhs": "icb_code",
            "icb24_code": "icb_ons_code",
        }
    )
    l21 = l21[["lsoa21_code", "lsoa21_name", "sicbl_code", "icb_code", "icb_ons_code"]]
    l21.to_csv(OUT / "lsoa21_icb24.csv.gz", index=False, compression={"method": "gzip", "mtime": 0})

    icb = pd.read_csv(SOURCE / "icb_nhs_region_2024_england.csv", dtype=str)
    icb.to_csv(OUT / "icb_nhs_region_2024.csv", index=False)
    for f in sorted(OUT.iterdir()):
        print(f"{f}: {f.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
