"""The planning report (measures.md section 8): how the waiting list moves week by week, what
the queueing formulas say it needs, and where the simulation projects it under a capacity plan.

A report reads aggregates only, so the list at the census date is rebuilt from its wait bands
(:func:`workbench.planning.waits_from_bands`: the counts over 18 and 52 weeks are exact, the
order within a band assumed); an analyst with the store can start from the actual list instead
(:func:`workbench.planning.list_at_census`). Demand and capacity are the mean weekly additions
and removals over the last 13 weeks. Figures the model derives from counts are rounded to the
nearest 5 below England when disclosure control is on, as counts are (measures.md section 7).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from workbench import charts
from workbench.breakdowns import ADULT_SERVICE, CYP_SERVICE
from workbench.disclosure import round_count
from workbench.errors import WorkbenchError
from workbench.planning import (
    FormulaAnswers,
    WeeklyRates,
    capacity_to_clear,
    formula_answers,
    project_waiting_list,
    waits_from_bands,
    weekly_rates,
)
from workbench.reports.data import ReportData
from workbench.reports.sections import urgent_response
from workbench.reports.services import service_totals
from workbench.reports.tables import controlled, show
from workbench.spec.service_lines import service_line_label

DYNAMICS = "list_dynamics_weekly"
SHOWN = [
    "week_ending",
    "list_start",
    "additions",
    "seen",
    "removed",
    "removals",
    "waiting",
    "load",
]
SERVICES = (None, ADULT_SERVICE, CYP_SERVICE)


@dataclass(frozen=True)
class PlanSettings:
    """What the plan asks: the list (``service``: Adult, Children and young people or None for
    both; ``team_type``: one service line), the standard (``percentile`` within ``target_wait``
    weeks), the ``target_date`` to clear long waits by, and ``extra_capacity`` removals a week
    from ``extra_from`` (default: the week after the census)."""

    service: str | None = None
    team_type: str | None = None
    target_wait: float = 18
    percentile: float = 0.92
    target_date: dt.date | None = None
    extra_capacity: float = 0
    extra_from: dt.date | None = None
    weeks: int = 52
    runs: int = 200
    seed: int = 20240401


@dataclass(frozen=True)
class Plan:
    """One list's plan: its weekly dynamics, the list rebuilt at the census date, the rates,
    the formulas' answers and what the settings ask."""

    settings: PlanSettings
    census: dt.date
    dynamics: pd.DataFrame
    waits: np.ndarray
    rates: WeeklyRates
    answers: FormulaAnswers

    @property
    def what(self) -> str:
        """The list in words: "the adult services' list", "the list of Podiatry (adult)"."""
        s = self.settings
        if s.team_type:
            return f"the list of {service_line_label(s.team_type) or s.team_type}"
        if s.service == ADULT_SERVICE:
            return "the adult services' list"
        if s.service == CYP_SERVICE:
            return "the children and young people's services' list"
        return "the waiting list"


def _dynamics_rows(data: ReportData, s: PlanSettings) -> pd.DataFrame:
    if s.team_type:
        frame = data.table(DYNAMICS, "service,team_type")
        frame = frame[frame["team_type"] == s.team_type]
    elif s.service:
        frame = data.table(DYNAMICS, "service")
        frame = frame[frame["service"] == s.service]
    else:
        frame = data.table(DYNAMICS)
    out = frame.sort_values("week_ending").reset_index(drop=True)
    out.attrs = dict(frame.attrs)
    return out


def _bands(data: ReportData, s: PlanSettings) -> pd.Series:
    if s.team_type:
        frame = data.table("waiting_list", "team_type")
        frame = frame[frame["team_type"] == s.team_type]
    elif s.service:
        frame = service_totals(data)
        frame = frame[frame["service"] == s.service] if not frame.empty else frame
    else:
        frame = data.table("waiting_list")
    if frame.empty:
        raise WorkbenchError(f"no waiting list for {data.name} and this service at the census")
    return frame.iloc[0]


def plan_for(data: ReportData, settings: PlanSettings | None) -> Plan:
    """The plan of one organisation's list as ``settings`` ask (measures.md section 8): a clear
    error when the service or line has no weeks in the aggregates. ``settings`` None asks for
    the defaults of :class:`PlanSettings`."""
    s = settings or PlanSettings()
    if s.service not in SERVICES:
        raise WorkbenchError(f"service must be one of {ADULT_SERVICE!r}, {CYP_SERVICE!r} or None")
    dynamics = _dynamics_rows(data, s)
    if dynamics.empty:
        raise WorkbenchError(
            f"no weekly dynamics for {data.name} and this service: run `workbench compute` "
            "with this version, or choose another service line"
        )
    rates = weekly_rates(dynamics)
    last = dynamics.iloc[-1]
    waits = waits_from_bands(_bands(data, s))
    mean_weeks = float(last["mean_days"]) / 7 if pd.notna(last["mean_days"]) else 0.0
    answers = formula_answers(rates, len(waits), mean_weeks, s.target_wait, s.percentile)
    census = pd.Timestamp(last["week_ending"]).date()
    if s.target_date is None:
        s = replace(s, target_date=next_31_march(census))
    return Plan(s, census, dynamics, waits, rates, answers)


def next_31_march(day: dt.date) -> dt.date:
    """The first 31 March after ``day``: the end of the financial year plans are made for."""
    march = dt.date(day.year, 3, 31)
    return march if day < march else dt.date(day.year + 1, 3, 31)


def _shown(data: ReportData, value: float) -> str:
    """A figure derived from counts as the page may show it: rounded to the nearest 5 below
    England under disclosure control (measures.md section 7), else to a whole number."""
    if not np.isfinite(value):
        return "not known"
    whole = max(round(float(value)), 0)
    if data.disclosure_control and data.level != "england":
        whole = round_count(whole)
    return f"{whole:,}"


def _date_text(day: dt.date | None) -> str:
    return "not within the projection" if day is None else f"{day:%d %B %Y}".lstrip("0")


def summary(data: ReportData, settings: PlanSettings | None = None) -> list:
    """The list at the census date, its weekly demand and capacity, and its load, in words."""
    plan = plan_for(data, settings)
    r, a = plan.rates, plan.answers
    load = "" if not np.isfinite(a.load) else f" The load (demand / capacity) is {a.load:.2f}: "
    if np.isfinite(a.load):
        load += (
            "more joins the list than leaves it, so it grows."
            if a.load > 1.02
            else "about as many leave as join."
            if a.load >= 0.98
            else "the list is shrinking."
        )
    return [
        f"At the census date ({_date_text(plan.census)}) {_shown(data, len(plan.waits))} "
        f"people were on {plan.what} of {data.name}. Over the last {r.weeks} weeks, "
        f"{_shown(data, r.demand)} referrals a week joined it (demand) and "
        f"{_shown(data, r.capacity)} a week left it, seen or removed without being seen "
        f"(capacity).{load}"
    ]


def dynamics(data: ReportData, settings: PlanSettings | None = None) -> list:
    """The weekly dynamics chart (additions, clock stops, removals unseen; list size) and the
    last 13 weeks as a controlled table."""
    plan = plan_for(data, settings)
    table = controlled(
        plan.dynamics,
        DYNAMICS,
        [c for c in SHOWN if c != "week_ending"],
        labels=["week_ending"],
        enabled=data.disclosure_control,
    )
    table["week_ending"] = table["week_ending"].astype(str)
    title = f"Weekly movements of {plan.what}"
    return [charts.dynamics_chart(table, title), show(table.tail(13), DYNAMICS, decimals=2)]


def formulas(data: ReportData, settings: PlanSettings | None = None) -> list:
    """The queueing formulas' answers in words, with the standard, its factor and the
    assumptions, and a table of every answer (measures.md section 8)."""
    plan = plan_for(data, settings)
    a = plan.answers
    pct = f"{a.percentile * 100:g}%"
    steady = (
        f"The standard asked for is {pct} of the list waiting {a.target_wait:g} weeks or less. "
        f"If waits were exponential, that asks for a mean wait of the target divided by "
        f"-ln(1 - {a.percentile:g}) = {a.factor:.2f} (the factor), that is "
        f"{a.target_mean_wait:.1f} weeks; a factor of 4 would keep {0.9817:.1%} within the "
        "target."
    )
    size = (
        f"At the present demand a list that meets it holds about "
        f"{_shown(data, a.target_queue_size)} people (Little's law: demand x target mean wait). "
        f"{plan.what[0].upper()}{plan.what[1:]} holds {_shown(data, a.list_size)} now"
        + (
            ", more than twice that, so it needs relief."
            if a.list_size > 2 * a.target_queue_size
            else "."
        )
    )
    capacity = (
        f"To reach that size in {a.weeks_to_target:g} weeks takes about "
        f"{_shown(data, a.relief_capacity)} removals a week (relief capacity), against "
        f"{_shown(data, a.capacity)} now; to hold it afterwards, about "
        f"{_shown(data, a.target_capacity)} a week (target capacity, allowing for the "
        "week-to-week variation seen)."
    )
    pressure = (
        f"The mean wait of those waiting is {a.mean_wait:.1f} weeks, a pressure of "
        f"{a.pressure:.2f} (2 x mean wait / target wait): "
        + (
            "below 1, so the list is likely to meet the target."
            if a.pressure < 1
            else "above 1, so the list is likely to miss the target."
        )
    )
    caveat = (
        "These formulas assume a steady list served first come, first served, with "
        "exponential waits. Community lists are seldom steady, serve by clinical priority and "
        "have long tails, so the projection below simulates the actual list instead."
    )
    return [steady, size, capacity, pressure, caveat, _answers_table(data, plan)]


def _answers_table(data: ReportData, plan: Plan) -> pd.DataFrame:
    a = plan.answers
    counts = {
        "Demand (referrals a week)": a.demand,
        "Capacity (removals a week)": a.capacity,
        "List size at the census": a.list_size,
        "Target list size": a.target_queue_size,
        "Relief capacity (removals a week)": a.relief_capacity,
        "Target capacity (removals a week)": a.target_capacity,
    }
    rows = [[name, _shown(data, value)] for name, value in counts.items()]
    rows += [
        ["Factor from the standard", f"{a.factor:.2f}"],
        ["Target mean wait (weeks)", f"{a.target_mean_wait:.1f}"],
        ["Load (demand / capacity)", f"{a.load:.2f}" if np.isfinite(a.load) else "not known"],
        ["Mean wait (weeks)", f"{a.mean_wait:.1f}"],
        ["Pressure (2 x mean wait / target wait)", f"{a.pressure:.2f}"],
    ]
    return pd.DataFrame(rows, columns=["Quantity", "Value"])


MEASURE_WORDS = {
    "waiting": "the whole list",
    "over_18_weeks": "the list over 18 weeks",
    "over_52_weeks": "the list over 52 weeks",
}


def _weeks_to(plan: Plan, day: dt.date | None) -> int:
    return 0 if day is None else (day - plan.census).days // 7


def projection(data: ReportData, settings: PlanSettings | None = None) -> list:
    """The simulation's projection of the list under the plan's capacity (the capacity seen,
    plus any extra from a date): a chart with the 95% band, when each measure reaches zero in
    words, and the projection every 13 weeks as a table (measures.md section 8)."""
    plan = plan_for(data, settings)
    s, r = plan.settings, plan.rates
    weeks = min(max(s.weeks, _weeks_to(plan, s.target_date)), 156)
    result = project_waiting_list(
        plan.waits,
        r.demand,
        r.capacity,
        weeks,
        extra_removals=s.extra_capacity,
        extra_from=s.extra_from or 1,
        census_date=plan.census,
        runs=s.runs,
        seed=s.seed,
        demand_sd=r.demand_sd,
        capacity_sd=r.capacity_sd,
    )
    summary = result.summary()
    extra = (
        f"with {_shown(data, s.extra_capacity)} more removals a week from "
        f"{_date_text(s.extra_from or plan.census + dt.timedelta(days=7))}"
        if s.extra_capacity
        else "with capacity as it is"
    )
    title = f"Projection of {plan.what} {extra}"
    items: list = [charts.projection_chart(summary, title[0].upper() + title[1:])]
    for _, row in result.clearance().iterrows():
        items.append(_clearance_sentence(extra, row))
    return [*items, *_order_note(plan, result.clearance()), _projection_table(data, summary)]


def _order_note(plan: Plan, clearance: pd.DataFrame) -> list:
    """Where the projection clears the 18-week waits within 13 weeks while the observed 92nd
    percentile wait held above 18 weeks, a sentence saying that the service does not see people
    strictly in the order the projection assumes."""
    weeks = clearance.set_index("measure").loc["over_18_weeks", "central"]
    p92 = pd.to_numeric(plan.dynamics["p92_days"], errors="coerce").tail(13)
    if not (pd.notna(weeks) and weeks <= 13 and p92.notna().any() and p92.min() > 126):
        return []
    return [
        f"In the last 13 weeks the 92nd percentile wait stayed between {p92.min():,.0f} and "
        f"{p92.max():,.0f} days, over 18 weeks, although capacity would have cleared those waits "
        "within weeks if people were seen in order of priority and then of wait, as the "
        "projection assumes. The long waits are a matter of the order people are seen in as "
        "much as of capacity; the projection shows what the present capacity achieves in that "
        "order."
    ]


def _clearance_sentence(extra: str, row: pd.Series) -> str:
    what = MEASURE_WORDS[row["measure"]]
    extra = extra[0].upper() + extra[1:]
    if row["share_cleared"] < 0.5:
        return f"{extra}, {what} does not reach zero within the projection in most " + (
            "runs (in none of them)."
            if row["share_cleared"] == 0
            else f"runs (it does in {row['share_cleared']:.0%} of them)."
        )
    band = (
        f"95% band {_date_text(row['lower_date'])} to {_date_text(row['upper_date'])}"
        if pd.notna(row["upper"])
        else f"in {row['share_cleared']:.0%} of runs; the rest do not within the projection"
    )
    return f"{extra}, {what} reaches zero by {_date_text(row['central_date'])} ({band})."


def _projection_table(data: ReportData, summary: pd.DataFrame) -> pd.DataFrame:
    """Every 13th week (and the last): each measure's central figure and its 95% band."""
    every = summary[(summary["week"] % 13 == 0) | (summary["week"] == summary["week"].max())]
    rows: dict[str, dict[str, str]] = {}
    for _, r in every.iterrows():
        row = rows.setdefault(str(r["week_ending"]), {"Week ending": str(r["week_ending"])})
        name = MEASURE_WORDS[r["measure"]].replace("the ", "", 1).capitalize()
        row[name] = _shown(data, r["central"])
        row[f"{name}: 95% band"] = f"{_shown(data, r['lower'])} to {_shown(data, r['upper'])}"
    return pd.DataFrame(list(rows.values()))


def clearing(data: ReportData, settings: PlanSettings | None = None) -> list:
    """The inverse question: the steady weekly capacity that leaves nobody waiting over 52
    weeks, and over 18, at the end of the last week ending on or before the target date, with
    its 95% band (measures.md section 8)."""
    plan = plan_for(data, settings)
    s, r = plan.settings, plan.rates
    weeks = _weeks_to(plan, s.target_date)
    if weeks < 1:
        return [
            f"The target date {_date_text(s.target_date)} is less than a week after the census."
        ]
    frame = capacity_to_clear(
        plan.waits,
        r.demand,
        weeks,
        runs=s.runs,
        seed=s.seed,
        demand_sd=r.demand_sd,
        capacity_sd=r.capacity_sd,
    )
    by = _date_text(s.target_date)
    items: list = []
    rows = []
    for _, row in frame.iterrows():
        what = row["measure"].replace("over_", "waiting over ").replace("_", " ")
        items.append(_clearing_sentence(data, what, by, row, r.capacity))
        rows.append(
            {
                "Nobody": what,
                "By": str(s.target_date),
                "Removals a week (central)": _shown(data, row["central"]),
                "Lower 95%": _shown(data, row["lower"]),
                "Upper 95%": _shown(data, row["upper"]),
                "Removals a week now": _shown(data, r.capacity),
            }
        )
    return [*items, pd.DataFrame(rows)]


def _clearing_sentence(
    data: ReportData, what: str, by: str, row: pd.Series, capacity: float
) -> str:
    needed = (
        f"The least steady capacity that leaves nobody {what} on {by} is about "
        f"{_shown(data, row['central'])} removals a week from the census (95% band "
        f"{_shown(data, row['lower'])} to {_shown(data, row['upper'])}); capacity now is "
        f"{_shown(data, capacity)} a week, "
    )
    if capacity >= row["upper"]:
        return needed + "so it is enough if it holds."
    gap = row["central"] - capacity
    if gap <= 0:
        return needed + "enough in most runs but not all."
    return needed + f"so about {_shown(data, gap)} more a week are needed."


def urgent_response_demand(data: ReportData) -> list:
    """The urgent response demand pictures (out of hours, by hour and weekday, by reason and by
    source: :func:`workbench.reports.sections.urgent_response.demand`) under their own heading,
    so a plan for urgent response starts from when and why it is needed."""
    return ["## Urgent response demand", *urgent_response.demand(data)]
