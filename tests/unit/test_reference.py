"""The shipped reference data: complete, consistent and attributed (sources.md 2e and 5)."""

from workbench import reference


def test_imd_2019_deciles_hold_a_tenth_of_lsoas_each():
    imd = reference.imd2019()
    assert len(imd) == 32_844
    counts = imd["imd_decile"].value_counts()
    assert set(counts.index) == set(range(1, 11))
    assert counts.between(3_284, 3_285).all()
    assert (imd.loc[imd["imd_decile"] <= 2, "imd_rank"].max()) == 6_568


def test_every_lsoa_has_an_icb_and_region():
    geo = reference.lsoa11_geography()
    assert len(geo) == 32_844
    assert geo[["icb_code", "region_code", "imd_decile"]].notna().all().all()
    assert geo["icb_code"].nunique() == 42
    per_region = geo.groupby("region_name")["icb_code"].nunique().to_dict()
    assert per_region == {
        "London": 5,
        "South West": 7,
        "South East": 6,
        "Midlands": 11,
        "East of England": 6,
        "North West": 3,
        "North East and Yorkshire": 4,
    }


def test_core20_share_by_region_matches_domain_md():
    geo = reference.lsoa11_geography()
    share = geo.assign(core20=geo["imd_decile"] <= 2).groupby("region_name")["core20"].mean()
    assert round(share["North West"] * 100, 1) == 34.8
    assert round(share["South East"] * 100, 1) == 8.2


def test_quintile_one_is_deciles_one_and_two():
    geo = reference.lsoa11_geography()
    assert set(geo.loc[geo["imd_quintile"] == 1, "imd_decile"]) == {1, 2}


def test_provenance_carries_the_open_government_licence_attribution():
    text = reference.provenance()
    assert "Open Government Licence v3.0" in text
    assert "Open Government Licence v3.0" in reference.ATTRIBUTION


def test_readers_return_copies():
    a = reference.imd2019()
    a.loc[0, "imd_decile"] = 99
    assert reference.imd2019().loc[0, "imd_decile"] != 99
