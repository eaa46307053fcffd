"""Who appears in the synthetic adult social care extract (CLD), and when their story starts.

Two kinds of client, one frame:

- Linked clients: people of the community extract who are older or frailer and reach the
  council after a community inpatient discharge (by destination: a new care package or care
  home placement almost always), an urgent community response (route: diversion from hospital
  services) or an emergency acute admission (timed from its discharge date). They keep their CSDS
  pseudonym, so they link.
- CLD-only clients: people the council supports who are not in the community extract, with
  pseudonyms of their own (numbers above 2**39, so never a CSDS person's).

Rates are in :mod:`workbench.synthetic.calibration` ("Adult social care Client Level Data").
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from workbench.reference.councils import lsoa11_councils
from workbench.spec.service_lines import UCR_TEAM_TYPE
from workbench.synthetic import calibration as cal
from workbench.synthetic.dates import MISSING
from workbench.synthetic.ids import person_id_text, person_ids
from workbench.synthetic.providers import Provider
from workbench.synthetic.sampling import choose

#: CSDS ethnic category (2001 groups) -> the CLD's 2021 census group.
ETHNICITY_FROM_CSDS = {
    "A": "White: English, Welsh, Scottish, Northern Irish or British",
    "B": "White: Irish",
    "C": "White: Any other White background",
    "D": "Mixed or multiple ethnic groups: White and Black Caribbean",
    "E": "Mixed or multiple ethnic groups: White and Black African",
    "F": "Mixed or multiple ethnic groups: White and Asian",
    "G": "Mixed or multiple ethnic groups: Any other Mixed or multiple ethnic background",
    "H": "Asian or Asian British: Indian",
    "J": "Asian or Asian British: Pakistani",
    "K": "Asian or Asian British: Bangladeshi",
    "L": "Asian or Asian British: Any other Asian background",
    "M": "Black, Black British, Caribbean or African: Caribbean",
    "N": "Black, Black British, Caribbean or African: African",
    "P": "Black, Black British, Caribbean or African: Any other Black, Black British or "
    "Caribbean background",
    "R": "Asian or Asian British: Chinese",
    "S": "Other ethnic group: Any other ethnic group",
    "Z": "No data: Refused",
}
UNDECLARED = "No data: Undeclared or not known"
GENDER_FROM_CSDS = {"1": "Male", "2": "Female", "9": "Other", "X": "Unknown"}

#: A CLD-only person's number starts here (a CSDS person's number is far below it).
CLD_ONLY_NUMBER = 2**39 + 1

#: The pathway a client's first request follows (keys of ``CLD_REQUEST_OUTCOMES``) by route.
PATHWAY_OF_ROUTE = {
    "Discharge from hospital": "discharge",
    "Diversion from hospital services": "diversion",
}

CLIENT_COLUMNS = (
    "person_id",
    "linked",
    "age",
    "birth_year",
    "birth_month",
    "gender",
    "ethnicity",
    "lsoa_2011",
    "la_code",
    "day",
    "route",
    "pathway",
    "client_type",
    "primary_support_reason",
    "death_day",
)


def _text(series: pd.Series) -> np.ndarray:
    """A community table's column as text: a person id held as its integer key (the community
    generator keeps ids as integers until it writes a file) becomes the id the files carry."""
    if series.dtype.kind in "iu":
        return person_id_text(series.to_numpy())
    return series.astype(object).where(series.notna(), "").to_numpy(dtype=object)


def community_people(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per person of the community extract, from their latest MPI version: person_id,
    age, day (of that version), gender, ethnic_category, lsoa_2011, last_seen (last referral)."""
    mpi = tables["mpi"]
    order = np.lexsort((mpi["_seq"].to_numpy(), mpi["_event"].to_numpy()))
    last = mpi.iloc[order].drop_duplicates("person_id", keep="last")
    return pd.DataFrame(
        {
            "person_id": _text(last["person_id"]),
            "age": last["age_years"].to_numpy(dtype=np.int64),
            "day": last["_event"].to_numpy(dtype=np.int64),
            "gender": _text(last["gender"]),
            "ethnic_category": _text(last["ethnic_category"]),
            "lsoa_2011": _text(last["lsoa_2011"]),
        }
    ).sort_values("person_id", ignore_index=True)


def triggers(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every event that may bring a community person to the council: person_id, day (community
    inpatient discharge, urgent response, or discharge after an emergency acute admission: its
    ``discharge_date``; an admission still open at the extract's end brings none), kind (bed,
    ucr, acute) and destination (beds only)."""
    spells = tables["inpatient_spells"]
    spells = spells[spells["discharge_date"].to_numpy() != MISSING]
    refs = tables["referrals"]
    ucr = refs[(_text(refs["team_type"]) == UCR_TEAM_TYPE) & (refs["_seq"].to_numpy() == 0)]
    acute = tables["acute_admissions"]
    acute = acute[
        (_text(acute["admission_method"]) == "emergency")
        & (acute["discharge_date"].to_numpy() != MISSING)
    ]
    destination = _text(spells["discharge_destination"])
    parts = [
        ("bed", spells["person_id"], spells["discharge_date"], destination),
        ("ucr", ucr["person_id"], ucr["referral_received_date"], ""),
        ("acute", acute["person_id"], acute["discharge_date"], ""),
    ]
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "person_id": _text(pid),
                    "day": np.asarray(day, dtype=np.int64),
                    "kind": kind,
                    "destination": dest,
                }
            )
            for kind, pid, day, dest in parts
        ],
        ignore_index=True,
    )


def _link_chance(trig: pd.DataFrame, age: np.ndarray) -> np.ndarray:
    kind = trig["kind"].to_numpy()
    dest = trig["destination"].to_numpy(dtype=object)
    chance = np.select(
        [kind == "bed", kind == "ucr", kind == "acute"],
        [
            np.array([cal.CLD_AFTER_BED.get(d, 0.0) for d in dest], dtype=float),
            np.full(len(trig), cal.CLD_AFTER_UCR),
            np.full(len(trig), cal.CLD_AFTER_ACUTE),
        ],
        0.0,
    )
    factor = np.where(age >= 65, 1.0, np.where(age >= 18, cal.CLD_ADULT_FACTOR, 0.0))
    return chance * factor


def linked_clients(
    rng: np.random.Generator,
    tables: dict[str, pd.DataFrame],
    provider: Provider,
    start: int,
    end: int,
) -> pd.DataFrame:
    """Community people who reach the council: each at their first trigger that leads to CLD,
    in [start, end). Columns :data:`CLIENT_COLUMNS`."""
    people = community_people(tables).set_index("person_id")
    trig = triggers(tables)
    row = people.index.get_indexer(trig["person_id"])  # -1: not in the community tables
    trig = trig[row >= 0].reset_index(drop=True)
    person = people.iloc[row[row >= 0]]
    age = person["age"].to_numpy() + (trig["day"].to_numpy() - person["day"].to_numpy()) // 365
    chosen = rng.random(len(trig)) < _link_chance(trig, age)
    chosen &= (trig["day"].to_numpy() >= start) & (trig["day"].to_numpy() < end)
    first = trig[chosen].sort_values(["day", "person_id"], kind="stable")
    first = first.drop_duplicates("person_id").sort_values("person_id", ignore_index=True)
    who = people.loc[first["person_id"]]
    n = len(first)
    route = np.where(first["kind"] == "ucr", "Diversion from hospital services", "")
    route = np.where(route == "", "Discharge from hospital", route).astype(object)
    pathway = np.array([PATHWAY_OF_ROUTE[r] for r in route], dtype=object)
    pathway[first["destination"].to_numpy() == "03"] = "care_home"
    age_then = who["age"].to_numpy() + (first["day"].to_numpy() - who["day"].to_numpy()) // 365
    frame = pd.DataFrame(
        {
            "person_id": first["person_id"].to_numpy(dtype=object),
            "linked": True,
            "age": age_then,
            "gender": [GENDER_FROM_CSDS.get(g, "Unknown") for g in who["gender"]],
            "ethnicity": [ETHNICITY_FROM_CSDS.get(e, UNDECLARED) for e in who["ethnic_category"]],
            "lsoa_2011": who["lsoa_2011"].to_numpy(dtype=object),
            "day": first["day"].to_numpy(dtype=np.int64),
            "route": route,
            "pathway": pathway,
            "client_type": "Service user",
        }
    )
    frame["ethnicity"] = _unrecorded(rng, frame["ethnicity"].to_numpy(dtype=object))
    last_seen = who["day"].to_numpy(dtype=np.int64) + 120  # after their last referral's care
    return _complete(rng, frame, provider, n, end, last_seen)


def cld_only_clients(
    rng: np.random.Generator, provider: Provider, n: int, start: int, end: int
) -> pd.DataFrame:
    """``n`` clients of the council who are not in the community extract, first asking for
    support uniformly in the 12 months before ``start`` up to ``end``."""
    older = rng.random(n) < cal.CLD_ONLY_OLDER_SHARE
    age = np.where(
        older,
        np.minimum(104, 65 + np.floor(rng.gamma(3.0, 5.0, n))),
        18 + np.floor(47 * rng.beta(1.6, 1.1, n)),
    ).astype(np.int64)
    female = np.where(older, 0.6, 0.5)
    gender = np.where(rng.random(n) < female, "Female", "Male").astype(object)
    gender[rng.random(n) < 0.005] = "Unknown"
    base = np.array(
        cal.ETHNIC_SHARES_LONDON if provider.region == "London" else cal.ETHNIC_SHARES_ENGLAND
    )
    codes = np.array(cal.ETHNIC_CODES, dtype=object)[rng.choice(len(base), n, p=base / base.sum())]
    weights = np.array(cal.REFERRAL_WEIGHT_BY_DECILE)[provider.imd_decile - 1]
    lsoa = provider.lsoa11[rng.choice(len(provider.lsoa11), n, p=weights / weights.sum())]
    route = choose(rng, cal.CLD_ONLY_ROUTES, n)
    pathway = np.array([PATHWAY_OF_ROUTE.get(r, "community") for r in route], dtype=object)
    carer = rng.random(n) < cal.CLD_CARER_SHARE
    route[carer], pathway[carer] = "Community / Other route", "carer"
    frame = pd.DataFrame(
        {
            "person_id": person_ids(provider.index, CLD_ONLY_NUMBER + np.arange(n)),
            "linked": False,
            "age": age,
            "gender": gender,
            "ethnicity": _unrecorded(rng, np.array([ETHNICITY_FROM_CSDS[c] for c in codes])),
            "lsoa_2011": lsoa.astype(object),
            "day": rng.integers(start - 365, end, n) if n else np.zeros(0, dtype=np.int64),
            "route": route,
            "pathway": pathway,
            "client_type": np.where(carer, "Unpaid carer", "Service user").astype(object),
        }
    )
    return _complete(rng, frame, provider, n, end, np.zeros(n, dtype=np.int64))


@cache
def _councils() -> dict[str, str]:
    """The council of every 2011 LSOA (:func:`workbench.reference.councils.lsoa11_councils`)."""
    frame = lsoa11_councils()
    return dict(zip(frame["lsoa11_code"], frame["la_code"], strict=True))


def _unrecorded(rng: np.random.Generator, ethnicity: np.ndarray) -> np.ndarray:
    """The council's own record: a share of clients' ethnicity not recorded."""
    out = ethnicity.astype(object).copy()
    out[rng.random(len(out)) < cal.CLD_ETHNICITY_UNRECORDED] = UNDECLARED
    return out


def _complete(
    rng: np.random.Generator,
    frame: pd.DataFrame,
    provider: Provider,
    n: int,
    end: int,
    not_before: np.ndarray,
) -> pd.DataFrame:
    """Add birth year and month, council and LSOA, primary support reason and death day."""
    day = frame["day"].to_numpy(dtype=np.int64)
    age = frame["age"].to_numpy(dtype=np.int64)
    dob = (day - np.floor(age * 365.25).astype(np.int64) - rng.integers(0, 365, n)).astype(
        "datetime64[D]"
    )
    frame["birth_year"] = dob.astype("datetime64[Y]").astype(np.int64) + 1970
    frame["birth_month"] = dob.astype("datetime64[M]").astype(np.int64) % 12 + 1
    councils = _councils()
    lsoa = frame["lsoa_2011"].to_numpy(dtype=object).copy()
    known = np.array([code in councils for code in lsoa], dtype=bool)
    lsoa[~known] = provider.lsoa11[rng.integers(0, len(provider.lsoa11), int((~known).sum()))]
    frame["lsoa_2011"] = lsoa
    frame["la_code"] = np.array([councils[code] for code in lsoa], dtype=object)
    older = age >= 65
    psr = np.empty(n, dtype=object)
    psr[older] = choose(rng, cal.PSR_65, int(older.sum()))
    psr[~older] = choose(rng, cal.PSR_ADULT, int((~older).sum()))
    psr[frame["pathway"].to_numpy() == "carer"] = "Social support: Support to unpaid carer"
    frame["primary_support_reason"] = psr
    rate = np.where(older, cal.CLD_DEATHS_PER_YEAR_65, cal.CLD_DEATHS_PER_YEAR_ADULT)
    death = np.maximum(day + np.floor(rng.exponential(365.25 / rate)).astype(np.int64), not_before)
    frame["death_day"] = np.where(death < end, death, MISSING)
    return frame[list(CLIENT_COLUMNS)]
