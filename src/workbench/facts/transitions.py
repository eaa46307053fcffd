"""The transitions fact: one row per linked person and event (measures.md section 9, "Events").

A linked person is one with a community record: an MPI row, an urgent response clock or a
community inpatient spell. Their events, each with its ``setting`` and ``event_date``:

========================== =============================================== ===================
setting                    from                                            date
========================== =============================================== ===================
urgent response            an in-scope UCR clock (``ucr_clocks`` fact)     clock start date
community bed              a community inpatient spell (``spells`` fact)   discharge date
emergency admission        an acute admission with method ``emergency``    admission date
acute discharge            an acute admission with a discharge date        discharge date
social care request        a CLD Request (``social_care_events`` fact)     event start date
reablement                 a reablement episode (``reablement_episodes``)  episode start date
long-term care             a CLD long-term nursing or residential Service  event start date
long-term community support a CLD long-term community Service              event start date
died                       the person's CLD date of death (latest stated)  date of death
========================== =============================================== ===================

``setting_order`` is the row of the table (1 to 9): events are ordered by date, then setting
order, then ``event_id``. Each row carries the person's next event: ``next_setting``,
``next_date`` and ``days_to_next`` (NULL after the last), and, for a starting event (urgent
response, community bed, acute discharge):

* ``outcome`` and ``outcome_days``: the first event 0 to 30 days later of an outcome setting
  (an event on the same day counts; of two on one day the earlier setting wins): emergency
  admission (a readmission after a discharge), reablement, long-term care (long-term care or
  long-term community support), social care request or died; ``home`` when none
  (``outcome_days`` NULL);
* ``days_to_admission`` and ``days_to_request``: days to the first emergency admission and to
  the first social care request 0 days or more later (NULL when none);
* ``days_to_service``: days from the event to the first CLD Service (any type but unpaid carer
  support) starting from 7 days before to 90 days after it, 0 when it started before; NULL
  when none;
* ``discharge_destination``: a community bed discharge's destination (else NULL).

Breakdowns: an urgent response takes its referral's, a community bed discharge its person's at
the spell's provider (the facts they come from); every other event takes the person's
breakdowns at their first community provider by code (the ``persons`` fact), "Not known"
throughout where the person has no MPI row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir

from workbench.breakdowns import NOT_KNOWN
from workbench.facts._attach import BREAKDOWN_COLUMNS
from workbench.facts.reablement import EMERGENCY

if TYPE_CHECKING:
    from workbench.store import Store


SETTINGS = (
    "urgent response",
    "community bed",
    "emergency admission",
    "acute discharge",
    "social care request",
    "reablement",
    "long-term care",
    "long-term community support",
    "died",
)
STARTS = ("urgent response", "community bed", "acute discharge")
#: The transition outcome each outcome setting counts as.
OUTCOMES = {
    "emergency admission": "emergency admission",
    "social care request": "social care request",
    "reablement": "reablement",
    "long-term care": "long-term care",
    "long-term community support": "long-term care",
    "died": "died",
}
HOME = "home"
OUTCOME_DAYS = 30
SERVICE_BEFORE_DAYS = 7
SERVICE_AFTER_DAYS = 90
_EVENT = ("person_id", "event_id", "setting", "event_date")


def _event(
    table: ir.Table, setting: str, date: ir.DateValue, event_id: ir.StringValue, **extra: ir.Value
) -> ir.Table:
    """``table``'s rows as events of ``setting`` (and the ``extra`` columns)."""
    return table.select(
        person_id=table.person_id,
        event_id=ibis.literal(setting + ":").concat(event_id),
        setting=ibis.literal(setting),
        event_date=date.cast("date"),
        **extra,
    )


def community_events(facts: Callable[[str], ir.Table]) -> ir.Table:
    """Urgent responses and community bed discharges with their own breakdowns."""
    clocks = facts("ucr_clocks")
    clocks = clocks.filter(clocks.status == "in_scope", clocks.person_id.notnull())
    ucr_id = clocks.provider_code.concat(":", clocks.referral_id, ":")
    ucr_id = ucr_id.concat(clocks.clock_start_date.cast("string"))
    spells = facts("spells")
    spells = spells.filter(spells.discharge_date.notnull())
    parts = []
    for table, setting, date, key, destination in (
        (clocks, "urgent response", clocks.clock_start_date, ucr_id, ibis.null("string")),
        (
            spells,
            "community bed",
            spells.discharge_date,
            spells.provider_code.concat(":", spells.spell_id),
            spells.discharge_destination.cast("string"),
        ),
    ):
        breakdowns = {c: table[c] for c in BREAKDOWN_COLUMNS}
        parts.append(
            _event(table, setting, date, key, discharge_destination=destination, **breakdowns)
        )
    return parts[0].union(parts[1])


def other_events(store: Store, facts: Callable[[str], ir.Table]) -> ir.Table:
    """Acute and social care events and deaths (no breakdowns of their own)."""
    acute = store["acute_admissions"].filter(lambda t: t.person_id.notnull())
    acute_id = acute.provider_code.concat(":", acute.person_id, ":")
    acute_id = acute_id.concat(acute.admission_date.cast("string"))
    parts = [
        _event(
            acute.filter((acute.admission_method == EMERGENCY).fill_null(False)),
            "emergency admission",
            acute.admission_date,
            acute_id,
        )
    ]
    if "discharge_date" in acute.columns:
        discharged = acute.filter(acute.discharge_date.notnull())
        parts.append(_event(discharged, "acute discharge", acute.discharge_date, acute_id))
    cld = facts("social_care_events")
    cld = cld.filter(cld.person_id.notnull(), cld.event_start_date.notnull())
    cld_id = cld.la_code.concat(":", cld.event_reference)
    for setting in ("social care request", "long-term care", "long-term community support"):
        chosen = cld.filter(cld.kind == setting)
        parts.append(_event(chosen, setting, chosen.event_start_date, cld_id))
    episodes = facts("reablement_episodes").filter(lambda t: t.person_id.notnull())
    parts.append(_event(episodes, "reablement", episodes.episode_start, episodes.episode_id))
    deaths = (
        cld.filter(cld.date_of_death.notnull())
        .group_by("person_id")
        .aggregate(date_of_death=lambda t: t.date_of_death.max())
    )
    parts.append(_event(deaths, "died", deaths.date_of_death, deaths.person_id))
    return ibis.union(*parts)


def with_person_breakdowns(events: ir.Table, persons: ir.Table) -> ir.Table:
    """``events`` with the breakdowns of the person's first community provider by code."""
    first = persons.group_by("person_id").aggregate(_first=persons.provider_code.min())
    rows = persons.join(
        first,
        [persons.person_id == first.person_id, persons.provider_code == first._first],
    )
    own = [c for c in BREAKDOWN_COLUMNS if c not in ("team_type", "service")]
    rows = rows.select(_pid=rows.person_id, **{f"_b_{c}": rows[c] for c in own})
    joined = events.left_join(rows, events.person_id == rows._pid)
    return joined.select(
        *[joined[c] for c in _EVENT],
        discharge_destination=ibis.null("string"),
        **{
            c: joined[f"_b_{c}"].fill_null(NOT_KNOWN) if c in own else ibis.literal(NOT_KNOWN)
            for c in BREAKDOWN_COLUMNS
        },
    )


def linked_events(store: Store, facts: Callable[[str], ir.Table]) -> ir.Table:
    """Every event of a linked person with its breakdowns and ``setting_order``."""
    community = community_events(facts)
    persons = facts("persons").filter(lambda t: t.person_id.notnull())
    people = community.select("person_id").union(persons.select("person_id"), distinct=True)
    others = other_events(store, facts).semi_join(people, "person_id")
    events = community.union(with_person_breakdowns(others, persons))
    order = ibis.cases(*[(events.setting == s, i) for i, s in enumerate(SETTINGS, 1)])
    return events.mutate(setting_order=order.cast("int64"))


def _first_days(starts: ir.Table, targets: ir.Table, low: int, high: int | None) -> ir.Table:
    """``event_id``, ``_days`` (to the first target ``low`` to ``high`` days after the start)
    and ``_order`` (the lowest setting order among the targets on that day)."""
    pairs = starts.join(targets, "person_id")
    days = pairs._date.delta(pairs.event_date, unit="day")
    pairs = pairs.filter(days >= low, *([days <= high] if high is not None else []))
    pairs = pairs.mutate(_d=days)
    first = pairs.group_by("event_id").aggregate(_days=pairs._d.min())
    on_first = pairs.join(first, "event_id").filter(lambda t: t._d == t._days)
    return on_first.group_by(["event_id", "_days"]).aggregate(_order=on_first._order.min())


def follow_ons(events: ir.Table, facts: Callable[[str], ir.Table]) -> ir.Table:
    """``event_id`` of every starting event with ``outcome``, ``outcome_days``,
    ``days_to_admission``, ``days_to_request`` and ``days_to_service``."""
    starts = events.filter(events.setting.isin(list(STARTS))).select(
        "person_id", "event_id", "event_date"
    )
    targets = events.filter(events.setting.isin(list(OUTCOMES))).select(
        "person_id", _date=events.event_date, _order=events.setting_order
    )
    cld = facts("social_care_events")
    services = cld.filter(cld.service, cld.person_id.notnull(), cld.event_start_date.notnull())
    services = services.select("person_id", _date=services.event_start_date, _order=0)
    parts = {
        "outcome": _first_days(starts, targets, 0, OUTCOME_DAYS),
        "admission": _first_days(
            starts,
            targets.filter(targets._order == SETTINGS.index("emergency admission") + 1),
            0,
            None,
        ),
        "request": _first_days(
            starts,
            targets.filter(targets._order == SETTINGS.index("social care request") + 1),
            0,
            None,
        ),
        "service": _first_days(starts, services, -SERVICE_BEFORE_DAYS, SERVICE_AFTER_DAYS),
    }
    out = starts.select("event_id")
    for name, part in parts.items():
        part = part.select(
            "event_id", **{f"_{name}_days": part._days, f"_{name}_order": part._order}
        )
        out = out.left_join(part, "event_id").drop("event_id_right")
    outcome = ibis.cases(
        *[(out._outcome_order == SETTINGS.index(s) + 1, label) for s, label in OUTCOMES.items()],
        else_=HOME,
    )
    return out.select(
        "event_id",
        outcome=outcome,
        outcome_days=out._outcome_days.cast("int64"),
        days_to_admission=out._admission_days.cast("int64"),
        days_to_request=out._request_days.cast("int64"),
        days_to_service=ibis.ifelse(out._service_days < 0, 0, out._service_days).cast("int64"),
    )


def transitions(store: Store, facts: Callable[[str], ir.Table]) -> ir.Table:
    """The transitions fact of ``store`` (see the module docstring)."""
    events = linked_events(store, facts)
    following = ibis.window(
        group_by="person_id", order_by=["event_date", "setting_order", "event_id"]
    )
    events = events.mutate(
        next_setting=events.setting.lead().over(following),
        next_date=events.event_date.lead().over(following),
    )
    events = events.mutate(days_to_next=events.next_date.delta(events.event_date, unit="day"))
    joined = events.left_join(follow_ons(events, facts), "event_id").drop("event_id_right")
    return joined.select(
        "person_id",
        "event_id",
        "setting",
        "setting_order",
        "event_date",
        "next_setting",
        "next_date",
        days_to_next=joined.days_to_next.cast("int64"),
        outcome=joined.outcome,
        outcome_days=joined.outcome_days,
        days_to_admission=joined.days_to_admission,
        days_to_request=joined.days_to_request,
        days_to_service=joined.days_to_service,
        discharge_destination=joined.discharge_destination,
        **{c: joined[c] for c in BREAKDOWN_COLUMNS},
    )
