"""Synthetic adult social care Client Level Data (CLD): linked people, their events, the files.

Each provider's share of the extract is made here, from its community tables: who reaches the
council (:mod:`workbench.synthetic.cld_people`), then each client's events in order:

- a request, made in hospital before discharge (route: discharge from hospital), after an
  urgent community response (diversion from hospital services) or from the community;
- reablement (a service of type ST-Max with component Reablement) starting within days of a
  discharge (so the discharge falls in the ASCOF 2D window, 7 days before to 3 after its
  start) and lasting about six weeks;
- a long term assessment, and long term support (community, residential or nursing care) that
  stays open, reviewed after six months to a year;
- death ends whatever is open, with the outcome "NFA: Deceased".

Linkage gaps follow the public sources: NHS England says the NHS number is missing from some
CLD records, more so for some event types, and that 0.16% of rows have no identifier at all;
no national completeness rate is published. So a small share of clients are never traced (no
pseudonym on any record) and a further share of requests carry none
(``CLD_UNTRACED_PERSON``, ``CLD_REQUEST_NO_NHS_NUMBER`` in
:mod:`workbench.synthetic.calibration`, placeholders in that range).

Files: every council submits each quarter a file covering the rolling 12 months to the quarter's
end (DHSC methodology: requests, assessments and reviews appear once ended; services while they
overlap the period, open ones with no end date), dated the day after the quarter ends:
``OUT/<LA code>/cld_<LA code>_<YYYYMMDD>.<format>``. A council's clients can come from several
providers, so each provider writes its rows to a part file and :func:`write_cld_files` writes
the councils' files from all parts once every provider is done.
"""

from __future__ import annotations

import gzip
import shutil
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from workbench.spec.cld import CLD_EVENTS, CLD_FILE_PREFIX
from workbench.synthetic import calibration as cal
from workbench.synthetic.cld_people import cld_only_clients, linked_clients
from workbench.synthetic.config import GeneratorConfig
from workbench.synthetic.dates import MISSING, add_months, day_number, yyyymmdd
from workbench.synthetic.ids import local_ids
from workbench.synthetic.providers import Provider
from workbench.synthetic.sampling import choose, lognormal_days
from workbench.synthetic.text import to_text

#: Folder of the per-provider part files inside the output folder (removed once merged).
PARTS_DIR = ".cld_parts"
#: A number mixed into the seed so CLD draws never touch the community extract's streams.
CLD_STREAM = 23

REABLEMENT = "Progress to reablement/ST-Max"
TO_ASSESSMENT = "Progress to assessment, review or reassessment"
TO_SERVICES = "Progress to support planning or services"
DECEASED = "NFA: Deceased"
_TYPE_ORDER = {"Request": 0, "Assessment": 1, "Service": 2, "Review": 3}
_SETTINGS = {
    "community": ("Long term support: Community", ""),
    "residential": ("Long term support: Residential care", "Long term residential care"),
    "nursing": ("Long term support: Nursing care", "Long term nursing care"),
}
_CSV = pacsv.WriteOptions(include_header=False, delimiter=",", quoting_style="needed")


def cld_rng(config: GeneratorConfig, provider: Provider) -> np.random.Generator:
    """The provider's own CLD stream: SeedSequence([seed, provider index, CLD_STREAM])."""
    return np.random.default_rng(np.random.SeedSequence([config.seed, provider.index, CLD_STREAM]))


def _events(
    client: np.ndarray,
    etype: str,
    start: np.ndarray,
    end: np.ndarray,
    outcome: np.ndarray,
    **cols: object,
) -> pd.DataFrame:
    """Event rows of one type; columns not given are empty."""
    n = len(client)
    frame = pd.DataFrame(
        {
            "client": client,
            "event_type": etype,
            "event_start_date": np.asarray(start, dtype=np.int64),
            "event_end_date": np.asarray(end, dtype=np.int64),
            "event_outcome": np.asarray(outcome, dtype=object) if n else [],
            "request_route_of_access": "",
            "assessment_type": "",
            "service_type": "",
            "service_component": "",
            "delivery_mechanism": "",
            "unit_cost": np.nan,
            "cost_frequency": "",
        }
    )
    for name, values in cols.items():
        frame[name] = values
    return frame


def _pick(rng: np.random.Generator, table: dict[str, dict[str, float]], keys: np.ndarray):
    out = np.empty(len(keys), dtype=object)
    for key, weights in table.items():
        mask = keys == key
        out[mask] = choose(rng, weights, int(mask.sum()))
    return out


def _requests(rng: np.random.Generator, clients: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Each client's first request, ending when its first outcome is final."""
    n = len(clients)
    day = clients["day"].to_numpy(dtype=np.int64)
    pathway = clients["pathway"].to_numpy(dtype=object)
    hospital = np.isin(pathway, ["discharge", "care_home"])
    start = day - np.where(hospital, rng.integers(0, 4, n), 0)
    end = np.where(hospital, day, start + rng.integers(0, 8, n))
    outcome = _pick(rng, cal.CLD_REQUEST_OUTCOMES, pathway)
    route = clients["route"].to_numpy(dtype=object)
    return _events(
        np.arange(n), "Request", start, end, outcome, request_route_of_access=route
    ), outcome


def _reablement(
    rng: np.random.Generator, clients: pd.DataFrame, idx: np.ndarray, after: np.ndarray
) -> pd.DataFrame:
    """Reablement episodes: ST-Max with component Reablement, about six weeks; after a discharge
    they start 0 to 3 days after it (inside the ASCOF 2D linking window)."""
    n = len(idx)
    from_hospital = np.isin(clients["pathway"].to_numpy()[idx], ["discharge", "care_home"])
    day = clients["day"].to_numpy(dtype=np.int64)[idx]
    start = np.where(from_hospital, day + rng.integers(0, 4, n), after + rng.integers(1, 15, n))
    low, high = cal.REABLEMENT_DAYS_RANGE
    length = np.clip(
        lognormal_days(
            rng, np.full(n, cal.REABLEMENT_MEDIAN_DAYS), np.full(n, cal.REABLEMENT_SIGMA)
        ),
        low,
        high,
    )
    outcome = choose(rng, cal.REABLEMENT_OUTCOMES, n)
    admitted = outcome == "Admitted to hospital"
    length[admitted] = rng.integers(3, length[admitted] + 1) if admitted.any() else length[admitted]
    return _events(
        idx,
        "Service",
        start,
        start + length,
        outcome,
        service_type="Short term support: ST-Max",
        service_component="Reablement",
        delivery_mechanism="CASSR commissioned support",
    )


def _assessments(rng: np.random.Generator, idx: np.ndarray, after: np.ndarray) -> pd.DataFrame:
    """Long term (Care Act eligibility) assessments after a request or reablement."""
    n = len(idx)
    start = after + rng.integers(0, 15, n)
    outcome = choose(rng, cal.ASSESSMENT_OUTCOMES, n)
    return _events(
        idx,
        "Assessment",
        start,
        start + rng.integers(7, 36, n),
        outcome,
        assessment_type="Long term assessment",
    )


def _long_term(
    rng: np.random.Generator, clients: pd.DataFrame, idx: np.ndarray, after: np.ndarray
) -> pd.DataFrame:
    """Long term support, open until death: a care home placement after a care home discharge,
    otherwise mostly in the community, with its delivery and weekly cost."""
    n = len(idx)
    care_home = clients["pathway"].to_numpy()[idx] == "care_home"
    setting = choose(rng, cal.LONG_TERM_SETTINGS, n)
    setting[care_home] = np.where(rng.random(int(care_home.sum())) < 0.6, "residential", "nursing")
    service_type = np.array([_SETTINGS[s][0] for s in setting], dtype=object)
    component = np.array([_SETTINGS[s][1] for s in setting], dtype=object)
    community = setting == "community"
    component[community] = choose(rng, cal.COMMUNITY_COMPONENTS, int(community.sum()))
    delivery = np.full(n, "CASSR commissioned support", dtype=object)
    delivery[community] = choose(rng, cal.COMMUNITY_DELIVERY, int(community.sum()))
    delivery[component == "Direct payment"] = "Direct payment"
    median = np.array([cal.WEEKLY_COST[s][0] for s in setting])
    sigma = np.array([cal.WEEKLY_COST[s][1] for s in setting])
    cost = np.round(median * np.exp(sigma * rng.standard_normal(n)), 2)
    frequency = np.full(n, "Weekly", dtype=object)
    start = after + rng.integers(3, 22, n)
    end = np.full(n, MISSING, dtype=np.int64)
    equipment = component == "Equipment"
    frequency[equipment], cost[equipment], end[equipment] = "One-off", 250.0, start[equipment]
    outcome = np.where(equipment, "NFA: Support ended as planned", "").astype(object)
    return _events(
        idx,
        "Service",
        start,
        end,
        outcome,
        service_type=service_type,
        service_component=component,
        delivery_mechanism=delivery,
        unit_cost=cost,
        cost_frequency=frequency,
    )


def _carer_support(rng: np.random.Generator, idx: np.ndarray, after: np.ndarray) -> pd.DataFrame:
    """An unpaid carer's direct support: a one-off direct payment after their request."""
    n = len(idx)
    start = after + rng.integers(1, 29, n)
    median, sigma = cal.CARER_PAYMENT
    return _events(
        idx,
        "Service",
        start,
        start,
        np.full(n, "NFA: Support ended as planned", dtype=object),
        service_type="Unpaid carer support: Direct to unpaid carer",
        service_component="Direct payment",
        delivery_mechanism="Direct payment",
        unit_cost=np.round(median * np.exp(sigma * rng.standard_normal(n)), 2),
        cost_frequency="One-off",
    )


def _reviews(rng: np.random.Generator, services: pd.DataFrame) -> pd.DataFrame:
    """A planned review of each open long term service six months to a year after it starts."""
    open_ = services[services["event_end_date"].to_numpy() == MISSING]
    n = len(open_)
    start = open_["event_start_date"].to_numpy() + rng.integers(180, 366, n)
    outcome = np.where(rng.random(n) < 0.9, "Continuation of support or services", TO_ASSESSMENT)
    return _events(
        open_["client"].to_numpy(), "Review", start, start + rng.integers(0, 15, n), outcome
    )


def client_events(rng: np.random.Generator, clients: pd.DataFrame) -> pd.DataFrame:
    """Every event of every client (``client`` = row of ``clients``), deaths applied."""
    requests, outcome = _requests(rng, clients)
    req_end = requests["event_end_date"].to_numpy()
    idx = np.flatnonzero(outcome == REABLEMENT)
    reab = _reablement(rng, clients, idx, req_end[idx])
    to_assess = np.flatnonzero(outcome == TO_ASSESSMENT)
    after = req_end[to_assess]
    reab_assess = reab["event_outcome"].to_numpy() == TO_ASSESSMENT
    to_assess = np.concatenate([to_assess, idx[reab_assess]])
    after = np.concatenate([after, reab["event_end_date"].to_numpy()[reab_assess]])
    assess = _assessments(rng, to_assess, after)
    carer = clients["pathway"].to_numpy() == "carer"
    to_service = np.flatnonzero((outcome == TO_SERVICES) & ~carer)
    to_carer = np.flatnonzero((outcome == TO_SERVICES) & carer)
    chose = assess["event_outcome"].to_numpy() == TO_SERVICES
    lts = _long_term(
        rng,
        clients,
        np.concatenate([to_service, to_assess[chose]]),
        np.concatenate([req_end[to_service], assess["event_end_date"].to_numpy()[chose]]),
    )
    support = _carer_support(rng, to_carer, req_end[to_carer])
    events = pd.concat(
        [requests, reab, assess, lts, _reviews(rng, lts), support], ignore_index=True
    )
    return _apply_deaths(events, clients["death_day"].to_numpy(dtype=np.int64))


def _apply_deaths(events: pd.DataFrame, death_day: np.ndarray) -> pd.DataFrame:
    """Drop events after a client's death; end what is still going at death as deceased."""
    death = death_day[events["client"].to_numpy()]
    died = death != MISSING
    events = events[~died | (events["event_start_date"].to_numpy() <= death)].copy()
    death = death_day[events["client"].to_numpy()]
    end = events["event_end_date"].to_numpy()
    cut = (death != MISSING) & ((end == MISSING) | (end > death))
    events.loc[cut, "event_end_date"] = death[cut]
    events.loc[cut, "event_outcome"] = DECEASED
    return events.reset_index(drop=True)


def quarter_ends(config: GeneratorConfig) -> list[int]:
    """The last day of each whole quarter of the generated period (day numbers)."""
    return [
        day_number(add_months(config.period_start, 3 * k)) - 1
        for k in range(1, config.months // 3 + 1)
    ]


def _references(events: pd.DataFrame, provider: Provider) -> np.ndarray:
    """Council event references, unique across providers: 'E<provider index>X' + 8 digits."""
    return local_ids(f"E{provider.index}X", np.arange(len(events)), 8)


def _pseudonyms(
    rng: np.random.Generator, events: pd.DataFrame, clients: pd.DataFrame
) -> np.ndarray:
    """Each event's pseudonym, empty for untraced clients and for some requests."""
    untraced = rng.random(len(clients)) < cal.CLD_UNTRACED_PERSON
    client = events["client"].to_numpy()
    missing = untraced[client]
    request = events["event_type"].to_numpy() == "Request"
    missing |= request & (rng.random(len(events)) < cal.CLD_REQUEST_NO_NHS_NUMBER)
    pid = clients["person_id"].to_numpy(dtype=object)[client].copy()
    pid[missing] = ""
    return pid


def event_table(
    rng: np.random.Generator, clients: pd.DataFrame, provider: Provider
) -> pd.DataFrame:
    """Every client's events with the person's columns, in client and date order: one row per
    event, dates as day numbers (MISSING = none), ``death_day`` beside ``date_of_death``."""
    events = client_events(rng, clients)
    order = np.lexsort(
        (
            events["event_type"].map(_TYPE_ORDER).to_numpy(),
            events["event_start_date"].to_numpy(),
            events["client"].to_numpy(),
        )
    )
    events = events.iloc[order].reset_index(drop=True)
    events["event_reference"] = _references(events, provider)
    events["person_id"] = _pseudonyms(rng, events, clients)
    person = clients.iloc[events["client"].to_numpy()].reset_index(drop=True)
    for column in (
        "la_code",
        "birth_year",
        "birth_month",
        "gender",
        "ethnicity",
        "lsoa_2011",
        "client_type",
        "primary_support_reason",
        "death_day",
    ):
        events[column] = person[column].to_numpy()
    return events


def file_rows(events: pd.DataFrame, quarter_end_days: list[int]) -> pd.DataFrame:
    """The rows of every quarterly file: an event in each file whose rolling 12 months it falls
    in (requests, assessments and reviews once ended in the period; services while they overlap
    it), in its state at the period's end; ``_sub`` is the file's date."""
    parts = []
    start = events["event_start_date"].to_numpy()
    end = events["event_end_date"].to_numpy()
    service = events["event_type"].to_numpy() == "Service"
    for q_end in quarter_end_days:
        first = date(1970, 1, 1) + timedelta(days=q_end + 1)
        p_start = day_number(add_months(first, -12))
        ended = (end != MISSING) & (end >= p_start) & (end <= q_end)
        running = service & ((end == MISSING) | (end >= p_start))
        rows = events[(start <= q_end) & (ended | running)].copy()
        still_open = rows["event_end_date"].to_numpy() > q_end
        rows.loc[still_open, "event_end_date"] = MISSING
        rows.loc[still_open, "event_outcome"] = ""
        death = rows["death_day"].to_numpy()
        rows["date_of_death"] = np.where(death <= q_end, death, MISSING)
        rows["reporting_period_start_date"] = p_start
        rows["reporting_period_end_date"] = q_end
        rows["_sub"] = q_end + 1
        parts.append(rows)
    if not parts:  # a period shorter than a quarter: no file
        none = np.zeros(0, dtype=np.int64)
        return events.iloc[:0].assign(
            date_of_death=none,
            reporting_period_start_date=none,
            reporting_period_end_date=none,
            _sub=none,
        )
    return pd.concat(parts, ignore_index=True)


def cld_provider_rows(
    config: GeneratorConfig, provider: Provider, tables: dict[str, pd.DataFrame]
) -> pd.DataFrame:
    """One provider's share of every council's CLD files (spec columns as internal types, plus
    ``_sub``): its linked clients and its CLD-only clients."""
    start = day_number(config.period_start)
    end = day_number(add_months(config.period_start, config.months))
    rng = cld_rng(config, provider)
    linked = linked_clients(rng, tables, provider, start, end)
    n_only = cld_only_count(tables["referrals"], len(linked), start, end)
    clients = pd.concat(
        [linked, cld_only_clients(rng, provider, n_only, start, end)], ignore_index=True
    )
    events = event_table(rng, clients, provider)
    events = events[events["event_start_date"].to_numpy() < end]
    return file_rows(events, quarter_ends(config))


def cld_only_count(referrals: pd.DataFrame, linked: int, start: int, end: int) -> int:
    """How many CLD-only clients a provider's share of the councils gets: enough that the
    requests starting in [start, end) number ``cal.CLD_REQUESTS_PER_REFERRAL`` per community
    referral received then, given ``linked`` clients (each with one request in the period).
    CLD-only clients first ask from 12 months before ``start`` (their requests spread evenly
    over that longer window), so the count is scaled up to it."""
    first = referrals[referrals["_seq"].to_numpy() == 0]
    received = first["referral_received_date"].to_numpy()
    in_period = int(((received >= start) & (received < end)).sum())
    wanted = max(cal.CLD_REQUESTS_PER_REFERRAL * in_period - linked, 0.0)
    return round(wanted * (end - start + 365) / (end - start))


def write_cld_part(
    out_dir: Path, config: GeneratorConfig, provider: Provider, tables: dict[str, pd.DataFrame]
) -> int:
    """Write one provider's CLD rows (as text) to the parts folder, one part per council
    (``PARTS_DIR/<LA code>/<provider>.parquet``); the number of rows."""
    rows = cld_provider_rows(config, provider, tables)
    text = to_text(rows, CLD_EVENTS)
    arrow = pa.table(
        {
            **{
                name: values if isinstance(values, pa.Array) else pa.array(values, pa.string())
                for name, values in text.items()
            },
            "_sub": pa.array(rows["_sub"].to_numpy(dtype=np.int64)),
        }
    )
    for la in sorted(set(rows["la_code"])):
        folder = out_dir / PARTS_DIR / la
        folder.mkdir(parents=True, exist_ok=True)
        mine = arrow.filter(pc.equal(arrow["la_code"], la))
        pq.write_table(mine, folder / f"{provider.code}.parquet")
    return len(rows)


def write_cld_files(out_dir: Path, file_format: str) -> tuple[int, list[str]]:
    """Write each council's quarterly files from the providers' parts, then remove the parts.

    Returns (files written, councils). One council is held in memory at a time; rows of a
    file are in event reference order, so the files do not depend on the order providers
    finished in."""
    parts = out_dir / PARTS_DIR
    councils = sorted(p.name for p in parts.iterdir() if p.is_dir()) if parts.exists() else []
    files = 0
    for la in councils:
        mine = pa.concat_tables([pq.read_table(p) for p in sorted((parts / la).glob("*.parquet"))])
        mine = mine.take(
            pc.sort_indices(mine, [("_sub", "ascending"), ("event_reference", "ascending")])
        )
        for sub in pc.unique(mine["_sub"]).to_pylist():
            part = mine.filter(pc.equal(mine["_sub"], sub)).drop_columns(["_sub"])
            name = f"{CLD_FILE_PREFIX}_{la}_{yyyymmdd(sub)}.{file_format}"
            _write_file(out_dir / la / name, part)
            files += 1
    if parts.exists():
        shutil.rmtree(parts)
    return files, councils


def _write_file(path: Path, table: pa.Table) -> None:
    """A CLD file: CSV with its text values quoted (CLD values hold commas), or Parquet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.name.endswith(".parquet"):
        pq.write_table(table, path, compression="zstd")
        return
    opened = gzip.GzipFile(path, "wb", mtime=0) if path.name.endswith(".gz") else path.open("wb")
    with opened as handle:
        handle.write((",".join(table.column_names) + "\n").encode("utf-8"))
        pacsv.write_csv(table, handle, write_options=_CSV)
