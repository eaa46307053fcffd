"""Councils with adult social services responsibilities (CASSRs), from the shipped LSOA lookup.

A CLD file comes from one council. The shipped ONS lookup (``lsoa11_to_icb``) gives each 2011
LSOA its lower tier local authority of 2022 (``ltla22_code``). A unitary authority (E06), a
metropolitan district (E08) or a London borough (E09, with the City of London) is its own
social services authority, so it keeps its own code. A shire district (E07) is not: its
county is. The shipped data has no district-to-county lookup, so the table below gives each
district of the 2022 lookup its council as at April 2023, when CLD began: the county council
(E10), or the new unitary that replaced the districts of Cumbria, North Yorkshire and
Somerset on 1 April 2023 (E06000063 to E06000066). The county of every district is public
knowledge (ONS local authority district to county lookups); it is written out here by hand and
checked by a test that every district of the lookup has one.

The council's code is its ONS (GSS) code. Councils also have a legacy three-digit CASSR code,
which some CLD guidance quotes as the "LA code"; the workbench names councils by GSS code
throughout so that a council sits in the same geography as an LSOA.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from workbench.reference import lsoa11_to_icb

#: A council that took over shire districts: GSS code and name.
COUNTIES: dict[str, str] = {
    "E10000003": "Cambridgeshire",
    "E10000007": "Derbyshire",
    "E10000008": "Devon",
    "E10000011": "East Sussex",
    "E10000012": "Essex",
    "E10000013": "Gloucestershire",
    "E10000014": "Hampshire",
    "E10000015": "Hertfordshire",
    "E10000016": "Kent",
    "E10000017": "Lancashire",
    "E10000018": "Leicestershire",
    "E10000019": "Lincolnshire",
    "E10000020": "Norfolk",
    "E10000024": "Nottinghamshire",
    "E10000025": "Oxfordshire",
    "E10000028": "Staffordshire",
    "E10000029": "Suffolk",
    "E10000030": "Surrey",
    "E10000031": "Warwickshire",
    "E10000032": "West Sussex",
    "E10000034": "Worcestershire",
    "E06000063": "Cumberland",
    "E06000064": "Westmorland and Furness",
    "E06000065": "North Yorkshire",
    "E06000066": "Somerset",
}

_DISTRICTS_BY_COUNCIL: dict[str, tuple[str, ...]] = {
    "E10000003": (
        "Cambridge",
        "East Cambridgeshire",
        "Fenland",
        "Huntingdonshire",
        "South Cambridgeshire",
    ),
    "E10000007": (
        "Amber Valley",
        "Bolsover",
        "Chesterfield",
        "Derbyshire Dales",
        "Erewash",
        "High Peak",
        "North East Derbyshire",
        "South Derbyshire",
    ),
    "E10000008": (
        "East Devon",
        "Exeter",
        "Mid Devon",
        "North Devon",
        "South Hams",
        "Teignbridge",
        "Torridge",
        "West Devon",
    ),
    "E10000011": ("Eastbourne", "Hastings", "Lewes", "Rother", "Wealden"),
    "E10000012": (
        "Basildon",
        "Braintree",
        "Brentwood",
        "Castle Point",
        "Chelmsford",
        "Colchester",
        "Epping Forest",
        "Harlow",
        "Maldon",
        "Rochford",
        "Tendring",
        "Uttlesford",
    ),
    "E10000013": (
        "Cheltenham",
        "Cotswold",
        "Forest of Dean",
        "Gloucester",
        "Stroud",
        "Tewkesbury",
    ),
    "E10000014": (
        "Basingstoke and Deane",
        "East Hampshire",
        "Eastleigh",
        "Fareham",
        "Gosport",
        "Hart",
        "Havant",
        "New Forest",
        "Rushmoor",
        "Test Valley",
        "Winchester",
    ),
    "E10000015": (
        "Broxbourne",
        "Dacorum",
        "East Hertfordshire",
        "Hertsmere",
        "North Hertfordshire",
        "St Albans",
        "Stevenage",
        "Three Rivers",
        "Watford",
        "Welwyn Hatfield",
    ),
    "E10000016": (
        "Ashford",
        "Canterbury",
        "Dartford",
        "Dover",
        "Folkestone and Hythe",
        "Gravesham",
        "Maidstone",
        "Sevenoaks",
        "Swale",
        "Thanet",
        "Tonbridge and Malling",
        "Tunbridge Wells",
    ),
    "E10000017": (
        "Burnley",
        "Chorley",
        "Fylde",
        "Hyndburn",
        "Lancaster",
        "Pendle",
        "Preston",
        "Ribble Valley",
        "Rossendale",
        "South Ribble",
        "West Lancashire",
        "Wyre",
    ),
    "E10000018": (
        "Blaby",
        "Charnwood",
        "Harborough",
        "Hinckley and Bosworth",
        "Melton",
        "North West Leicestershire",
        "Oadby and Wigston",
    ),
    "E10000019": (
        "Boston",
        "East Lindsey",
        "Lincoln",
        "North Kesteven",
        "South Holland",
        "South Kesteven",
        "West Lindsey",
    ),
    "E10000020": (
        "Breckland",
        "Broadland",
        "Great Yarmouth",
        "King's Lynn and West Norfolk",
        "North Norfolk",
        "Norwich",
        "South Norfolk",
    ),
    "E10000024": (
        "Ashfield",
        "Bassetlaw",
        "Broxtowe",
        "Gedling",
        "Mansfield",
        "Newark and Sherwood",
        "Rushcliffe",
    ),
    "E10000025": (
        "Cherwell",
        "Oxford",
        "South Oxfordshire",
        "Vale of White Horse",
        "West Oxfordshire",
    ),
    "E10000028": (
        "Cannock Chase",
        "East Staffordshire",
        "Lichfield",
        "Newcastle-under-Lyme",
        "South Staffordshire",
        "Stafford",
        "Staffordshire Moorlands",
        "Tamworth",
    ),
    "E10000029": ("Babergh", "East Suffolk", "Ipswich", "Mid Suffolk", "West Suffolk"),
    "E10000030": (
        "Elmbridge",
        "Epsom and Ewell",
        "Guildford",
        "Mole Valley",
        "Reigate and Banstead",
        "Runnymede",
        "Spelthorne",
        "Surrey Heath",
        "Tandridge",
        "Waverley",
        "Woking",
    ),
    "E10000031": (
        "North Warwickshire",
        "Nuneaton and Bedworth",
        "Rugby",
        "Stratford-on-Avon",
        "Warwick",
    ),
    "E10000032": (
        "Adur",
        "Arun",
        "Chichester",
        "Crawley",
        "Horsham",
        "Mid Sussex",
        "Worthing",
    ),
    "E10000034": (
        "Bromsgrove",
        "Malvern Hills",
        "Redditch",
        "Worcester",
        "Wychavon",
        "Wyre Forest",
    ),
    "E06000063": ("Allerdale", "Carlisle", "Copeland"),
    "E06000064": ("Barrow-in-Furness", "Eden", "South Lakeland"),
    "E06000065": (
        "Craven",
        "Hambleton",
        "Harrogate",
        "Richmondshire",
        "Ryedale",
        "Scarborough",
        "Selby",
    ),
    "E06000066": ("Mendip", "Sedgemoor", "Somerset West and Taunton", "South Somerset"),
}

#: The social services council of each shire district of the 2022 lookup, by district name.
DISTRICT_COUNCIL: dict[str, str] = {
    district: council
    for council, districts in _DISTRICTS_BY_COUNCIL.items()
    for district in districts
}


@cache
def _lsoa11_councils() -> pd.DataFrame:
    geo = lsoa11_to_icb()[["lsoa11_code", "ltla22_code", "ltla22_name"]]
    shire = geo["ltla22_code"].str.startswith("E07")
    unknown = sorted(set(geo.loc[shire, "ltla22_name"]) - set(DISTRICT_COUNCIL))
    if unknown:
        raise ValueError(f"shire districts with no council in the table: {', '.join(unknown)}")
    council = geo["ltla22_code"].where(~shire, geo["ltla22_name"].map(DISTRICT_COUNCIL))
    name = geo["ltla22_name"].where(~shire, council.map(COUNTIES))
    return pd.DataFrame(
        {"lsoa11_code": geo["lsoa11_code"], "la_code": council, "la_name": name}
    ).reset_index(drop=True)


def lsoa11_councils() -> pd.DataFrame:
    """Every 2011 LSOA with its council with adult social services responsibilities.

    Columns: ``lsoa11_code, la_code`` (ONS GSS code: E06, E08, E09 or E10) ``, la_name``.
    """
    return _lsoa11_councils().copy()


def council_names() -> dict[str, str]:
    """Every council's name by its GSS code."""
    frame = _lsoa11_councils()
    return dict(zip(frame["la_code"], frame["la_name"], strict=True))
