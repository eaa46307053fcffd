"""An independent re-implementation of the linked pathway measures (measures.md section 9) in
plain pandas, written from the text of measures.md, to check the registry's measures against.

It uses no Ibis and none of the package's facts or measures: its input is an :class:`Extract`,
the store's live tables as pandas frames (read from the store's ``export/`` Parquet files, see
:func:`read_extract`) and the shipped 2011 LSOA lookup. Every function returns one row per
group of ``by`` (``None`` for England, or one column such as ``"provider"``, ``"council"``,
``"region"``, ``"ethnic_group"``) with the counts and the percentages of the contract.

Readings of measures.md section 9 taken here, where the text leaves room (each is named in the
test that checks it, and in the report of any disagreement with the registry):

* a UCR clock is in scope when it is a ``05`` clock with a start and an end date and time, and
  does not end before it starts (section 4); its person is its referral's;
* a person's community attributes (region, ICB, ethnic group, IMD) are those of their MPI row at
  the provider of the event; a CLD-anchored row takes them from the CLD row's LSOA;
* "within N days" is days 0 to N after the starting date, both ends included;
* the person's date of death is the latest date of death on any of their live CLD rows (the
  registry's reading of "the latest stated"; the most recently submitted statement is another);
* a reablement episode ends at the latest end of its services so far; a later service starts a
  new episode when it starts more than 7 days after that end; an open service keeps the episode
  open, so every later service of the person at the council joins it;
* the 84/91-day outcome counts a long-term care service of type nursing or residential care
  (the "long-term care" row of the events table);
* people with activity are distinct pseudonyms in each group: a person active at two
  providers counts at each provider and once in England (as the registry: methodology.md 9);
* transitions start from the events of people with a community record (an MPI row); an acute
  discharge takes the person's first community provider by code.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, fields

import pandas as pd

NOT_KNOWN = "Not known"
Z95 = 1.959963984540054
EMERGENCY = "emergency"
UNPAID_CARER = "Unpaid carer support"
ST_MAX = "Short term support: ST-Max"
REABLEMENT = "Reablement"
LONG_TERM_CARE = ("Long term support: Nursing care", "Long term support: Residential care")
LONG_TERM_COMMUNITY = "Long term support: Community"
DIED_DESTINATION = "06"
#: Outcome settings of a transition, in the order of the events table (the earlier wins a tie).
OUTCOME_ORDER = (
    "emergency admission",
    "social care request",
    "reablement",
    "long-term care",
    "died",
)
FROM_SETTINGS = ("urgent response", "community bed", "acute discharge")
TO_OUTCOMES = (
    "emergency admission",
    "reablement",
    "long-term care",
    "social care request",
    "died",
    "home",
)
ETHNIC_GROUPS = {
    **dict.fromkeys("ABC", "White"),
    **dict.fromkeys("DEFG", "Mixed"),
    **dict.fromkeys("HJKL", "Asian"),
    **dict.fromkeys("MNP", "Black"),
    **dict.fromkeys("RS", "Other"),
}
#: The 2021 census headings of CLD's ethnicity ("Heading: group"), by the broad group.
CLD_ETHNIC_PREFIXES = {
    "White": "White",
    "Mixed or multiple ethnic groups": "Mixed",
    "Asian or Asian British": "Asian",
    "Black, Black British, Caribbean or African": "Black",
    "Other ethnic group": "Other",
}


@dataclass
class Extract:
    """The live tables the measures read, as pandas frames (dates as ``datetime64``)."""

    mpi: pd.DataFrame
    referrals: pd.DataFrame
    rtt_clocks: pd.DataFrame
    care_contacts: pd.DataFrame
    inpatient_spells: pd.DataFrame
    acute_admissions: pd.DataFrame
    cld_events: pd.DataFrame
    geography: pd.DataFrame = field(default_factory=lambda: shipped_geography())


DATE_COLUMNS = {
    "referrals": ("referral_received_date",),
    "rtt_clocks": ("clock_start_date", "clock_end_date"),
    "care_contacts": ("contact_date",),
    "inpatient_spells": ("admission_date", "discharge_date"),
    "acute_admissions": ("admission_date", "discharge_date"),
    "cld_events": ("event_start_date", "event_end_date", "date_of_death", "submission_date"),
}


def shipped_geography() -> pd.DataFrame:
    """The shipped 2011 LSOA lookup: ``lsoa, icb, region, imd_decile, imd_quintile``."""
    from workbench import reference

    geo = reference.lsoa11_geography()
    return pd.DataFrame(
        {
            "lsoa": geo["lsoa11_code"],
            "icb": geo["icb_code"],
            "region": geo["region_code"],
            "imd_decile": geo["imd_decile"].astype("Int64").astype(str),
            "imd_quintile": geo["imd_quintile"].astype(str),
        }
    )


def prepared(extract: Extract) -> Extract:
    """A copy of ``extract`` with its date columns as ``datetime64`` (absent ones as NaT)."""
    out = {}
    for f in fields(extract):
        frame = getattr(extract, f.name).copy()
        for column in DATE_COLUMNS.get(f.name, ()):
            values = frame[column] if column in frame else pd.Series(pd.NaT, index=frame.index)
            frame[column] = pd.to_datetime(values)
        out[f.name] = frame
    return Extract(**out)


def read_extract(store_path: str) -> Extract:
    """The live tables of the store at ``store_path`` from its ``export/`` Parquet files (each
    table's live rows as plain Parquet: docs/store_format.md), read without any engine."""
    from workbench.store_layout import current_version

    export = current_version(store_path) / "export"
    tables = {f.name: pd.read_parquet(export / f"{f.name}.parquet") for f in fields(Extract)[:-1]}
    return prepared(Extract(**tables))


# ---- shared pieces -------------------------------------------------------------------------


def wilson(x: float, n: float) -> tuple[float, float, float]:
    """``x / n`` in percent with its 95% Wilson score limits, NaN when ``n`` is 0."""
    if n == 0:
        return (math.nan, math.nan, math.nan)
    p = x / n
    denominator = 1 + Z95**2 / n
    centre = (p + Z95**2 / (2 * n)) / denominator
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / denominator
    return (100 * p, 100 * (centre - half), 100 * (centre + half))


def add_pct(frame: pd.DataFrame, name: str, numerator: str, denominator: str) -> None:
    """Add ``name`` and ``name_lower``/``name_upper`` (percent) to ``frame`` in place."""
    values = [wilson(x, n) for x, n in zip(frame[numerator], frame[denominator], strict=True)]
    for i, suffix in enumerate(("", "_lower", "_upper")):
        frame[name + suffix] = [v[i] for v in values]


def summarise(
    records: pd.DataFrame, by: str | None, counts: dict[str, str], within: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Sum each flag column of ``records`` (``counts``: output name -> 0/1 column) per group of
    ``by`` (England when None) and ``within``; a ``rows`` column counts the records."""
    keys = [*([by] if by else []), *within]
    frame = records.assign(_one=1)
    sums = {"rows": ("_one", "sum"), **{k: (v, "sum") for k, v in counts.items()}}
    if keys:
        out = frame.groupby(keys, dropna=False).agg(**sums).reset_index()
    else:
        out = pd.DataFrame({k: [int(frame[col].sum())] for k, (col, _) in sums.items()})
    for column in ["rows", *counts]:
        out[column] = out[column].astype("int64")
    return out


def in_period(dates: pd.Series, start: dt.date, end: dt.date) -> pd.Series:
    """True where the date lies in ``[start, end]`` (both days included)."""
    return (dates >= pd.Timestamp(start)) & (dates <= pd.Timestamp(end))


def community_people(extract: Extract) -> pd.DataFrame:
    """Each MPI person at their provider with ``provider``, ICB, region, IMD and broad ethnic
    group (of a known ETHNIC CATEGORY, section 2; else Not known)."""
    mpi = extract.mpi
    geo = extract.geography
    people = mpi[["provider_code", "person_id", "lsoa_2011", "ethnic_category"]].merge(
        geo, how="left", left_on="lsoa_2011", right_on="lsoa"
    )
    people["provider"] = people["provider_code"]
    people["ethnic_group"] = people["ethnic_category"].map(ETHNIC_GROUPS).fillna(NOT_KNOWN)
    for column in ("icb", "region", "imd_decile", "imd_quintile"):
        people[column] = people[column].fillna(NOT_KNOWN)
    columns = ["provider_code", "person_id", "provider", "icb", "region", "ethnic_group"]
    return people[[*columns, "imd_decile", "imd_quintile"]]


def with_community_attributes(records: pd.DataFrame, extract: Extract) -> pd.DataFrame:
    """``records`` (with ``provider_code`` and ``person_id``) with the person's attributes at
    that provider; a person missing from the MPI is Not known everywhere but provider."""
    out = records.merge(community_people(extract), how="left", on=["provider_code", "person_id"])
    out["provider"] = out["provider_code"]
    for column in ("icb", "region", "ethnic_group", "imd_decile", "imd_quintile"):
        out[column] = out[column].fillna(NOT_KNOWN)
    return out


def in_scope_clocks(extract: Extract) -> pd.DataFrame:
    """In-scope 2-hour clocks (section 4) with their referral's ``person_id``."""
    c = extract.rtt_clocks
    c = c[c["measurement_type"] == "05"]
    present = (
        c["clock_start_date"].notna()
        & c["clock_end_date"].notna()
        & c["clock_start_time"].notna()
        & c["clock_end_time"].notna()
    )
    c = c[present]
    start = c["clock_start_date"] + pd.to_timedelta(c["clock_start_time"].astype(str))
    end = c["clock_end_date"] + pd.to_timedelta(c["clock_end_time"].astype(str))
    c = c[end >= start]
    persons = extract.referrals[["provider_code", "referral_id", "person_id"]]
    return c.merge(persons, how="inner", on=["provider_code", "referral_id"])


def linked_cld(extract: Extract) -> pd.DataFrame:
    """The CLD events with a pseudonym."""
    cld = extract.cld_events
    return cld[cld["person_id"].notna() & (cld["person_id"].astype(str) != "")]


def social_care_services(extract: Extract) -> pd.DataFrame:
    """CLD Services of any type but unpaid carer support, with a pseudonym and a start date."""
    cld = linked_cld(extract)
    keep = (
        (cld["event_type"] == "Service")
        & ~cld["service_type"].fillna("").str.startswith(UNPAID_CARER)
        & cld["event_start_date"].notna()
    )
    return cld[keep]


def dates_of(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """``person_id`` and ``date`` rows of ``frame``'s non-missing ``column``."""
    out = frame[["person_id", column]].rename(columns={column: "date"})
    return out[out["date"].notna() & out["person_id"].notna()]


def emergency_admissions(extract: Extract) -> pd.DataFrame:
    """Dates of emergency acute admissions by person."""
    acute = extract.acute_admissions
    return dates_of(acute[acute["admission_method"] == EMERGENCY], "admission_date")


def requests(extract: Extract) -> pd.DataFrame:
    """Dates of social care requests by person."""
    cld = linked_cld(extract)
    return dates_of(cld[cld["event_type"] == "Request"], "event_start_date")


def long_term_starts(extract: Extract, community: bool) -> pd.DataFrame:
    """Start dates of long-term nursing or residential care services by person (and of
    long-term community support as well when ``community``)."""
    types = (*LONG_TERM_CARE, *((LONG_TERM_COMMUNITY,) if community else ()))
    cld = linked_cld(extract)
    return dates_of(
        cld[(cld["event_type"] == "Service") & cld["service_type"].isin(types)], "event_start_date"
    )


def deaths(extract: Extract) -> pd.DataFrame:
    """Each person's date of death: the latest date of death on any of their live CLD rows
    (measures.md 9 "the latest stated"; read as the registry reads it, methodology.md 9)."""
    cld = linked_cld(extract)
    stated = cld[cld["date_of_death"].notna()]
    return dates_of(
        stated.groupby("person_id", as_index=False)["date_of_death"].max(), "date_of_death"
    )


def first_day(
    anchors: pd.DataFrame, anchor_date: str, events: pd.DataFrame, low: int, high: int
) -> pd.Series:
    """For each row of ``anchors`` (``person_id`` and ``anchor_date``), the fewest days from
    the anchor to one of the person's ``events`` dated ``low`` to ``high`` days after it
    (NaN when none)."""
    left = anchors[["person_id", anchor_date]].reset_index().rename(columns={"index": "_row"})
    pairs = left.merge(events, on="person_id")
    days = (pairs["date"] - pairs[anchor_date]).dt.days
    pairs = pairs.assign(days=days)[(days >= low) & (days <= high)]
    nearest = pairs.groupby("_row")["days"].min()
    return pd.Series(nearest.reindex(anchors.index).to_numpy(), index=anchors.index)


# ---- the measures --------------------------------------------------------------------------


def after_ucr(extract: Extract, start: dt.date, end: dt.date, by: str | None) -> pd.DataFrame:
    """``linked_after_ucr``: in-scope clocks starting in the period followed within 7 and 30
    days first by an emergency admission, first by a social care request, or neither."""
    clocks = in_scope_clocks(extract)
    clocks = clocks[in_period(clocks["clock_start_date"], start, end)]
    clocks = with_community_attributes(clocks, extract).reset_index(drop=True)
    counts = {}
    for n in (7, 30):
        admit = first_day(clocks, "clock_start_date", emergency_admissions(extract), 0, n)
        ask = first_day(clocks, "clock_start_date", requests(extract), 0, n)
        admitted = admit.notna() & (ask.isna() | (admit <= ask))
        asked = ask.notna() & ~admitted
        clocks[f"a{n}"] = admitted.astype(int)
        clocks[f"r{n}"] = asked.astype(int)
        clocks[f"x{n}"] = (~admitted & ~asked).astype(int)
        counts |= {f"admission_{n}_days": f"a{n}", f"request_{n}_days": f"r{n}"}
        counts[f"neither_{n}_days"] = f"x{n}"
    out = summarise(clocks, by, counts).rename(columns={"rows": "clocks"})
    for n in (7, 30):
        for kind in ("admission", "request", "neither"):
            add_pct(out, f"pct_{kind}_{n}_days", f"{kind}_{n}_days", "clocks")
    return out


def discharges_with_service(extract: Extract, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Community inpatient spells discharged alive in the period, each with ``days`` to the
    first social care service starting from 7 days before to 90 days after the discharge (0
    when it started before; NaN when none)."""
    spells = extract.inpatient_spells
    alive = spells["discharge_destination"].fillna("") != DIED_DESTINATION
    spells = spells[in_period(spells["discharge_date"], start, end) & alive]
    spells = with_community_attributes(spells, extract).reset_index(drop=True)
    services = dates_of(social_care_services(extract), "event_start_date")
    days = first_day(spells, "discharge_date", services, -7, 90)
    return spells.assign(days=days.clip(lower=0), served=days.notna().astype(int))


def percentile7(values: pd.Series, q: float) -> float:
    """The ``q``-th percentile of whole days by linear interpolation (type 7), by hand."""
    ordered = sorted(float(v) for v in values)
    h = (len(ordered) - 1) * q / 100
    low = math.floor(h)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (h - low) * (ordered[high] - ordered[low])


def discharge_to_service(
    extract: Extract, start: dt.date, end: dt.date, by: str | None
) -> pd.DataFrame:
    """``linked_discharge_to_service``: discharges, with a service, the share, and the median
    and 90th percentile days (only on 8 or more with a service)."""
    spells = discharges_with_service(extract, start, end)
    out = summarise(spells, by, {"with_service": "served"}).rename(columns={"rows": "discharges"})
    add_pct(out, "pct_with_service", "with_service", "discharges")
    groups = [spells] if by is None else [spells[spells[by] == g] for g in out[by]]
    for name, q in (("median_days", 50), ("p90_days", 90)):
        out[name] = [
            percentile7(g.loc[g["served"] == 1, "days"], q) if g["served"].sum() >= 8 else math.nan
            for g in groups
        ]
    return out


def service_curve(extract: Extract, start: dt.date, end: dt.date, by: str | None) -> pd.DataFrame:
    """``linked_service_curve``: for each day 0 to 90, discharges with a service by that day."""
    spells = discharges_with_service(extract, start, end)
    frames = []
    for day in range(91):
        flagged = spells.assign(day=day, by_day=(spells["days"] <= day).astype(int))
        frames.append(summarise(flagged, by, {"with_service_by_day": "by_day"}, ("day",)))
    out = pd.concat(frames, ignore_index=True).rename(columns={"rows": "discharges"})
    add_pct(out, "pct_with_service_by_day", "with_service_by_day", "discharges")
    return out


def reablement_episodes(extract: Extract, pseudonymised: bool = True) -> pd.DataFrame:
    """Reablement episodes: ST-Max services with component Reablement and a start date, merged
    per person and council when one starts within 7 days of the episode's end so far (an open
    service keeps the episode open). With ``pseudonymised=False``, services with no pseudonym
    are episodes of their own. Columns: ``la_code, person_id, start, age`` and the CLD row's
    ``lsoa_2011`` and ``ethnicity`` (of the episode's first service)."""
    cld = extract.cld_events
    keep = (
        (cld["event_type"] == "Service")
        & (cld["service_type"] == ST_MAX)
        & (cld["service_component"] == REABLEMENT)
        & cld["event_start_date"].notna()
    )
    services = cld[keep].sort_values(["la_code", "person_id", "event_start_date"])
    has_id = services["person_id"].notna() & (services["person_id"].astype(str) != "")
    episodes = [_merge(group) for _, group in services[has_id].groupby(["la_code", "person_id"])]
    if not pseudonymised:
        episodes += [row.to_frame().T for _, row in services[~has_id].iterrows()]
    columns = ["la_code", "person_id", "event_start_date", "birth_year", "birth_month"]
    frame = (
        pd.concat(episodes, ignore_index=True)
        if episodes
        else pd.DataFrame(columns=[*columns, "lsoa_2011", "ethnicity"])
    )
    frame = frame.rename(columns={"event_start_date": "start"})
    frame["start"] = pd.to_datetime(frame["start"])
    frame["age"] = [
        _age(s, y, m)
        for s, y, m in zip(frame["start"], frame["birth_year"], frame["birth_month"], strict=True)
    ]
    return frame[["la_code", "person_id", "start", "age", "lsoa_2011", "ethnicity"]]


def _merge(services: pd.DataFrame) -> pd.DataFrame:
    """The first service row of each episode of one person at one council."""
    firsts, episode_end, is_open = [], None, False
    for i, (_, row) in enumerate(services.iterrows()):
        begins = row["event_start_date"]
        new = i == 0 or (not is_open and (begins - episode_end).days > 7)
        if new:
            firsts.append(row)
            episode_end, is_open = row["event_end_date"], pd.isna(row["event_end_date"])
        elif pd.isna(row["event_end_date"]):
            is_open = True
        else:
            episode_end = max(episode_end, row["event_end_date"])
    return pd.DataFrame(firsts)


def _age(start: pd.Timestamp, year: float, month: float) -> float:
    """Whole years from the first day of the birth month to ``start`` (NaN when unknown)."""
    if pd.isna(year) or pd.isna(month):
        return math.nan
    born = dt.date(int(year), int(month), 1)
    day = start.date()
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def cld_attributes(frame: pd.DataFrame, extract: Extract) -> pd.DataFrame:
    """``frame`` (CLD rows with ``la_code, lsoa_2011, ethnicity``) with ``council``, ``icb``,
    ``region`` and IMD from the LSOA, and the broad ethnic group of the CLD ethnicity."""
    out = frame.merge(extract.geography, how="left", left_on="lsoa_2011", right_on="lsoa")
    out["council"] = out["la_code"]
    for column in ("icb", "region", "imd_decile", "imd_quintile"):
        out[column] = out[column].fillna(NOT_KNOWN)
    prefix = out["ethnicity"].fillna("").str.split(":").str[0]
    out["ethnic_group"] = prefix.map(CLD_ETHNIC_PREFIXES).fillna(NOT_KNOWN)
    return out


def hospital_discharges(extract: Extract) -> pd.DataFrame:
    """Every acute and community bed discharge: ``person_id, date, setting``."""
    acute = dates_of(extract.acute_admissions, "discharge_date").assign(setting="acute")
    bed = dates_of(extract.inpatient_spells, "discharge_date").assign(setting="community bed")
    return pd.concat([acute, bed], ignore_index=True)


def linked_episodes(extract: Extract, pseudonymised: bool = True) -> pd.DataFrame:
    """Reablement episodes of people 65 and over, each with the discharge it links to
    (``discharge_date``, ``discharge_setting``; NaT/None when none): the same person's latest
    discharge dated from 7 days before to 3 days after the episode start (on a tie, acute)."""
    episodes = reablement_episodes(extract, pseudonymised)
    episodes = episodes[episodes["age"] >= 65].reset_index(drop=True)
    pairs = (
        episodes[["person_id", "start"]]
        .reset_index()
        .merge(hospital_discharges(extract), on="person_id")
    )
    offset = (pairs["date"] - pairs["start"]).dt.days
    pairs = pairs[(offset >= -7) & (offset <= 3)].assign(acute=lambda p: p["setting"] == "acute")
    best = pairs.sort_values(["index", "date", "acute"]).groupby("index").last()
    episodes["discharge_date"] = best["date"].reindex(episodes.index)
    episodes["discharge_setting"] = best["setting"].reindex(episodes.index)
    return cld_attributes(episodes, extract)


def _stays_home(episodes: pd.DataFrame, extract: Extract, days: int) -> pd.Series:
    """1 where no death, emergency admission or new long-term nursing or residential care
    service falls on days 1 to ``days`` after the linked discharge."""
    events = pd.concat(
        [deaths(extract), emergency_admissions(extract), long_term_starts(extract, False)]
    )
    hit = first_day(episodes, "discharge_date", events, 1, days)
    return hit.isna().astype(int)


def reablement_at_home(
    extract: Extract, start: dt.date, end: dt.date, by: str | None
) -> pd.DataFrame:
    """``linked_reablement_at_home``: per ``discharge_setting`` (acute, community bed, any),
    linked episodes whose discharge falls from the period start to its end - 84 (or 91) days,
    and those still at home for 84 (or 91) days."""
    episodes = linked_episodes(extract)
    episodes = episodes[episodes["discharge_date"].notna()].reset_index(drop=True)
    counts = {}
    for n in (84, 91):
        last = pd.Timestamp(end) - pd.Timedelta(days=n)
        counted = in_period(episodes["discharge_date"], start, last.date()).astype(int)
        episodes[f"e{n}"] = counted
        episodes[f"h{n}"] = counted * _stays_home(episodes, extract, n)
        counts |= {f"episodes_{n}": f"e{n}", f"at_home_{n}_days": f"h{n}"}
    both = episodes.assign(discharge_setting="any")
    records = pd.concat([episodes, both], ignore_index=True)
    out = summarise(records, by, counts, ("discharge_setting",)).drop(columns="rows")
    for n in (84, 91):
        add_pct(out, f"pct_at_home_{n}_days", f"at_home_{n}_days", f"episodes_{n}")
    return out


def reablement_coverage(
    extract: Extract, start: dt.date, end: dt.date, by: str | None
) -> pd.DataFrame:
    """``linked_reablement_coverage``: episodes of people 65 and over starting in the period
    (those with no pseudonym included), and those linked to a discharge."""
    episodes = linked_episodes(extract, pseudonymised=False)
    episodes = episodes[in_period(episodes["start"], start, end)]
    episodes = episodes.assign(linked=episodes["discharge_date"].notna().astype(int))
    out = summarise(episodes, by, {"linked": "linked"}).rename(columns={"rows": "episodes"})
    add_pct(out, "pct_linked", "linked", "episodes")
    return out


def active_people(extract: Extract, start: dt.date, end: dt.date) -> pd.DataFrame:
    """People (provider and person) with a referral received or a care contact in the period
    (a contact's person is its referral's), with their attributes at that provider."""
    referrals = extract.referrals
    received = referrals[in_period(referrals["referral_received_date"], start, end)]
    contacts = extract.care_contacts
    seen = contacts[in_period(contacts["contact_date"], start, end)].merge(
        referrals[["provider_code", "referral_id", "person_id"]],
        on=["provider_code", "referral_id"],
    )
    people = pd.concat(
        [received[["provider_code", "person_id"]], seen[["provider_code", "person_id"]]]
    ).drop_duplicates()
    return with_community_attributes(people.reset_index(drop=True), extract)


def once_a_group(people: pd.DataFrame, by: str | None) -> pd.DataFrame:
    """Each person once in each group of ``by`` (once in England): a person active at two
    providers counts at each, and once in a region (methodology.md 9, "People")."""
    return people.drop_duplicates([*([by] if by else []), "person_id"])


def both_services(extract: Extract, start: dt.date, end: dt.date, by: str | None) -> pd.DataFrame:
    """``linked_both_services``: people with community activity in the period, and those with
    a social care service active on some day of it."""
    people = active_people(extract, start, end)
    services = social_care_services(extract)
    active = (services["event_start_date"] <= pd.Timestamp(end)) & ~(
        services["event_end_date"] < pd.Timestamp(start)
    )
    served = set(services.loc[active, "person_id"])
    people = once_a_group(people, by)
    people = people.assign(served=people["person_id"].isin(served).astype(int))
    out = summarise(people, by, {"with_social_care": "served"}).rename(columns={"rows": "persons"})
    add_pct(out, "pct_with_social_care", "with_social_care", "persons")
    return out


def linkage_providers(
    extract: Extract, start: dt.date, end: dt.date, by: str | None
) -> pd.DataFrame:
    """``linkage_quality_providers``: people with community activity in the period, and those
    found in CLD (any council, any date)."""
    people = once_a_group(active_people(extract, start, end), by)
    in_cld = set(linked_cld(extract)["person_id"])
    people = people.assign(found=people["person_id"].isin(in_cld).astype(int))
    out = summarise(people, by, {"in_cld": "found"}).rename(columns={"rows": "persons"})
    add_pct(out, "pct_in_cld", "in_cld", "persons")
    return out


def linkage_councils(
    extract: Extract, start: dt.date, end: dt.date, by: str | None
) -> pd.DataFrame:
    """``linkage_quality_councils``: CLD events starting in the period, those with a pseudonym,
    and of their distinct pseudonyms those found in the community extract (any provider)."""
    cld = extract.cld_events
    events = cld_attributes(cld[in_period(cld["event_start_date"], start, end)], extract)
    has_id = events["person_id"].notna() & (events["person_id"].astype(str) != "")
    events = events.assign(named=has_id.astype(int))
    out = summarise(events, by, {"with_pseudonym": "named"}).rename(columns={"rows": "events"})
    add_pct(out, "pct_with_pseudonym", "with_pseudonym", "events")
    community = set(extract.mpi["person_id"])
    named = events[has_id]
    keys = [by] if by else []
    distinct = named.drop_duplicates([*keys, "person_id"])
    distinct = distinct.assign(found=distinct["person_id"].isin(community).astype(int))
    linked = summarise(distinct, by, {"linked": "found"}).rename(columns={"rows": "pseudonyms"})
    out = out.merge(linked, how="left", on=keys) if keys else pd.concat([out, linked], axis=1)
    out[["pseudonyms", "linked"]] = out[["pseudonyms", "linked"]].fillna(0).astype("int64")
    add_pct(out, "pct_linked", "linked", "pseudonyms")
    return out


def starting_events(extract: Extract) -> pd.DataFrame:
    """The events a transition starts from: ``person_id, date, from_setting, provider_code``
    (an in-scope clock's start, a community bed discharge, an acute discharge).

    Section 9 counts a "linked person's" events without saying who that is; as the registry
    (methodology.md section 9), a linked person has a community record (an MPI row), and an
    acute discharge, which has no community provider, takes the person's first community
    provider by code (and the person's attributes there)."""
    clocks = in_scope_clocks(extract).rename(columns={"clock_start_date": "date"})
    spells = extract.inpatient_spells.rename(columns={"discharge_date": "date"})
    first_provider = extract.mpi.groupby("person_id", as_index=False)["provider_code"].min()
    acute = (
        extract.acute_admissions.drop(columns="provider_code")
        .rename(columns={"discharge_date": "date"})
        .merge(first_provider, on="person_id")
    )
    parts = [
        frame.loc[frame["date"].notna(), ["person_id", "date", "provider_code"]].assign(
            from_setting=setting
        )
        for frame, setting in zip((clocks, spells, acute), FROM_SETTINGS, strict=True)
    ]
    return pd.concat(parts, ignore_index=True)


def outcome_events(extract: Extract) -> pd.DataFrame:
    """The events a transition ends in: ``person_id, date, to_outcome, rank`` (rank: the order
    of the events table, which wins a same-day tie)."""
    episodes = reablement_episodes(extract).rename(columns={"start": "date"})
    parts = (
        emergency_admissions(extract),
        requests(extract),
        episodes[["person_id", "date"]],
        long_term_starts(extract, True),
        deaths(extract),
    )
    named = zip(OUTCOME_ORDER, parts, strict=True)
    return pd.concat(
        [p.assign(to_outcome=name, rank=i) for i, (name, p) in enumerate(named)],
        ignore_index=True,
    )


def transitions(extract: Extract, start: dt.date, end: dt.date, by: str | None) -> pd.DataFrame:
    """``linked_transitions``: starting events in the period by the first outcome event 0 to
    30 days after them (``home`` when none), with the starts of each setting; every outcome
    of a setting with starts has its row (0 when none)."""
    starts = starting_events(extract)
    starts = starts[in_period(starts["date"], start, end)].reset_index(drop=True)
    starts = with_community_attributes(starts, extract)
    pairs = (
        starts[["person_id", "date"]]
        .reset_index()
        .merge(outcome_events(extract), on="person_id", suffixes=("", "_next"))
    )
    days = (pairs["date_next"] - pairs["date"]).dt.days
    pairs = pairs.assign(days=days)[(days >= 0) & (days <= 30)]
    first = pairs.sort_values(["index", "days", "rank"]).groupby("index").first()
    starts["to_outcome"] = first["to_outcome"].reindex(starts.index).fillna("home")
    keys = [*([by] if by else []), "from_setting"]
    totals = summarise(starts, by, {}, ("from_setting",)).rename(columns={"rows": "starts"})
    counted = summarise(starts, by, {}, ("from_setting", "to_outcome"))
    grid = totals[keys].merge(pd.DataFrame({"to_outcome": TO_OUTCOMES}), how="cross")
    out = grid.merge(counted, how="left", on=[*keys, "to_outcome"]).merge(totals, on=keys)
    out = out.rename(columns={"rows": "transitions"})
    out["transitions"] = out["transitions"].fillna(0).astype("int64")
    add_pct(out, "pct_transitions", "transitions", "starts")
    return out
