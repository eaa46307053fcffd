"""The reablement episode fact: one row per reablement episode (measures.md section 9,
"Reablement episodes" and "Reablement: still at home").

A reablement service is a CLD Service of type "Short term support: ST-Max" with component
"Reablement" and a start date (the ``reablement service`` kind of the ``social_care_events``
fact). Services of the same person at the same council that start within 7 days of the end of
the previous one (the latest end of the services before it; an open service has no end, so every
later service of the person merges into it) merge into one episode, from the first start to the
last end (``episode_end`` NULL while a service is open). A service with no pseudonym cannot be
told apart from another person's: it is an episode of its own, never linked.

Each episode has ``episode_id`` (the council and the first service's reference), ``la_code``,
``person_id``, ``episode_start``, ``episode_end``, ``services``, ``age_at_start`` (whole years
from the first day of the birth month to the start) and the council breakdowns of its first
service (:data:`workbench.facts.social_care.COUNCIL_BREAKDOWNS`), and:

* ``discharge_date`` and ``discharge_setting`` (``acute`` or ``community bed``): the linked
  discharge, the latest acute discharge (an acute admission's ``discharge_date``) or community
  inpatient discharge of the person dated from 7 days before to 3 days after the episode start
  (on a tie, acute); NULL when none;
* ``days_to_death``, ``days_to_admission``, ``days_to_long_term_care``: days from the linked
  discharge to the person's CLD date of death (the latest stated), to the first emergency
  admission 1 day or more after it, and to the first long-term nursing or residential care
  service starting 1 day or more after it; NULL when none (or no linked discharge).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir

from workbench.facts.social_care import COUNCIL_BREAKDOWNS, age_at

if TYPE_CHECKING:
    from workbench.store import Store


MERGE_DAYS = 7
LINK_BEFORE_DAYS = 7
LINK_AFTER_DAYS = 3
EMERGENCY = "emergency"
#: Stands for the end of an open service while episodes are merged.
OPEN_END = dt.date(9999, 12, 31)
_SETTING_RANK = {"acute": 0, "community bed": 1}


def _merged(services: ir.Table) -> ir.Table:
    """Services of a person with a pseudonym merged into episodes (see the module docstring)."""
    key = ["la_code", "person_id"]
    order = ["event_start_date", "_end", "event_reference"]
    rows = services.mutate(_end=services.event_end_date.fill_null(ibis.literal(OPEN_END)))
    before = ibis.window(group_by=key, order_by=order, rows=(None, -1))
    rows = rows.mutate(_previous_end=rows._end.max().over(before))
    gap = rows.event_start_date.delta(rows._previous_end, unit="day")
    rows = rows.mutate(_new=ibis.ifelse(rows._previous_end.isnull() | (gap > MERGE_DAYS), 1, 0))
    running = ibis.window(group_by=key, order_by=order, rows=(None, 0))
    rows = rows.mutate(_episode=rows._new.sum().over(running))
    spans = rows.group_by([*key, "_episode"]).aggregate(
        _last_end=rows._end.max(), services=rows.count()
    )
    first = rows.filter(rows._new == 1)
    joined = first.join(spans, [*key, "_episode"])
    return joined.mutate(
        event_end_date=ibis.ifelse(
            joined._last_end == ibis.literal(OPEN_END), ibis.null("date"), joined._last_end
        )
    ).drop("_end", "_previous_end", "_new", "_episode", "_last_end")


def episodes(events: ir.Table) -> ir.Table:
    """Every reablement episode of the social care event fact ``events``, without its link."""
    services = events.filter(events.kind == "reablement service", events.event_start_date.notnull())
    alone = services.filter(services.person_id.isnull()).mutate(services=ibis.literal(1, "int64"))
    merged = _merged(services.filter(services.person_id.notnull()))
    both = merged.union(alone.select(*merged.columns))
    return both.select(
        episode_id=both.la_code.concat(":", both.event_reference),
        la_code=both.la_code,
        person_id=both.person_id,
        episode_start=both.event_start_date,
        episode_end=both.event_end_date,
        services=both.services.cast("int64"),
        age_at_start=age_at(both.birth_year, both.birth_month, both.event_start_date),
        **{c: both[c] for c in COUNCIL_BREAKDOWNS},
    )


def discharges(store: Store) -> ir.Table:
    """Every acute and community inpatient discharge of a person: ``person_id``,
    ``discharge_date``, ``discharge_setting``, ``_rank`` (acute first on a tie)."""
    acute = store["acute_admissions"]
    if "discharge_date" in acute.columns:
        acute = acute.filter(acute.person_id.notnull(), acute.discharge_date.notnull()).select(
            "person_id",
            "discharge_date",
            discharge_setting=ibis.literal("acute"),
            _rank=ibis.literal(_SETTING_RANK["acute"], "int64"),
        )
    else:  # a store loaded before acute discharge dates were in the extract
        acute = None
    spells = store["inpatient_spells"]
    community = spells.filter(spells.person_id.notnull(), spells.discharge_date.notnull()).select(
        "person_id",
        "discharge_date",
        discharge_setting=ibis.literal("community bed"),
        _rank=ibis.literal(_SETTING_RANK["community bed"], "int64"),
    )
    return community if acute is None else acute.union(community)


def linked_discharges(episodes: ir.Table, discharges: ir.Table) -> ir.Table:
    """``episode_id, discharge_date, discharge_setting`` of every episode that links."""
    people = episodes.filter(episodes.person_id.notnull()).select(
        "episode_id", "person_id", "episode_start"
    )
    pairs = people.join(discharges, "person_id")
    days = pairs.discharge_date.delta(pairs.episode_start, unit="day")
    pairs = pairs.filter(days >= -LINK_BEFORE_DAYS, days <= LINK_AFTER_DAYS)
    latest = pairs.group_by("episode_id").aggregate(_latest=pairs.discharge_date.max())
    on_latest = pairs.join(latest, "episode_id").filter(lambda t: t.discharge_date == t._latest)
    chosen = on_latest.group_by(["episode_id", "discharge_date"]).aggregate(
        _rank=on_latest._rank.min()
    )
    return chosen.select(
        "episode_id",
        "discharge_date",
        discharge_setting=ibis.ifelse(chosen._rank == 0, "acute", "community bed"),
    )


def _first_after(linked: ir.Table, events: ir.Table, name: str) -> ir.Table:
    """``episode_id`` and ``name``: days from the linked discharge to the first of ``events``
    (``person_id``, ``_date``) dated 1 day or more after it."""
    pairs = linked.join(events, "person_id")
    days = pairs._date.delta(pairs.discharge_date, unit="day")
    pairs = pairs.filter(days >= 1)
    return pairs.group_by("episode_id").aggregate(**{name: days.min().cast("int64")})


def follow_up(linked: ir.Table, store: Store, events: ir.Table) -> ir.Table:
    """``episode_id`` and the days to death, emergency admission and long-term care of each
    linked episode (``episode_id``, ``person_id``, ``discharge_date``)."""
    acute = store["acute_admissions"]
    admissions = acute.filter(
        acute.person_id.notnull(),
        acute.admission_date.notnull(),
        (acute.admission_method == EMERGENCY).fill_null(False),
    ).select("person_id", _date=acute.admission_date)
    care = events.filter(
        events.kind == "long-term care",
        events.person_id.notnull(),
        events.event_start_date.notnull(),
    ).select("person_id", _date=events.event_start_date)
    deaths = (
        events.filter(events.person_id.notnull(), events.date_of_death.notnull())
        .group_by("person_id")
        .aggregate(_death=lambda t: t.date_of_death.max())
    )
    died = linked.join(deaths, "person_id")
    died = died.select(
        "episode_id", days_to_death=died._death.delta(died.discharge_date, unit="day")
    )
    out = linked.select("episode_id")
    for part in (
        died,
        _first_after(linked, admissions, "days_to_admission"),
        _first_after(linked, care, "days_to_long_term_care"),
    ):
        out = out.left_join(part, "episode_id").drop("episode_id_right")
    return out


def reablement_episodes(store: Store, facts: Callable[[str], ir.Table]) -> ir.Table:
    """The reablement episode fact of ``store`` (see the module docstring)."""
    events = facts("social_care_events")
    spans = episodes(events)
    links = linked_discharges(spans, discharges(store))
    linked = spans.join(links, "episode_id").select("episode_id", "person_id", "discharge_date")
    after = follow_up(linked, store, events)
    joined = spans.left_join(links, "episode_id").drop("episode_id_right")
    joined = joined.left_join(after, "episode_id").drop("episode_id_right")
    return joined.select(
        *spans.columns,
        "discharge_date",
        "discharge_setting",
        days_to_death=joined.days_to_death.cast("int64"),
        days_to_admission=joined.days_to_admission.cast("int64"),
        days_to_long_term_care=joined.days_to_long_term_care.cast("int64"),
    )
