"""The pathways report (measures.md section 9) under disclosure control (section 7): every table
and chart of every section, for England, a region, an ICB and a provider, on aggregates in the
shape compute writes (tests/linked_aggregates.py)."""

from __future__ import annotations

import inspect
import re

import matplotlib
import pandas as pd
import pytest
from linked_aggregates import declare_linked, write_linked_aggregates
from shown_items import is_controlled_count, shown_frames

from workbench.charts import Chart
from workbench.reports.chartable import TOO_FEW
from workbench.reports.data import ReportData
from workbench.reports.key_messages import key_messages
from workbench.reports.sections import pathways
from workbench.reports.shown_tables import shown_table
from workbench.reports.tables import column_label

matplotlib.use("Agg")

SUBNATIONAL = [("region", "Y56"), ("icb", "QKK"), ("provider", "SYN02")]
SECTIONS = [
    fn
    for name, fn in inspect.getmembers(pathways, inspect.isfunction)
    if fn.__module__ == pathways.__name__
    and not name.startswith("_")
    and list(inspect.signature(fn).parameters)[:1] == ["data"]
    and not name.endswith("_rows")
]


@pytest.fixture
def aggregates(tmp_path, monkeypatch):
    declare_linked(monkeypatch)
    return write_linked_aggregates(tmp_path / "aggregates")


def test_every_section_is_found():
    names = {fn.__name__ for fn in SECTIONS}
    assert names >= {
        "transitions",
        "after_urgent_response",
        "discharge_to_service",
        "reablement",
        "both_services",
        "linkage_quality",
    }


@pytest.mark.parametrize("level,code", SUBNATIONAL)
def test_pathways_tables_show_no_unsuppressed_small_counts(aggregates, level, code):
    data = ReportData.open(aggregates, level, code)
    checked, suppressed = 0, 0
    for section in SECTIONS:
        items = section(data)
        assert items, section.__name__
        for frame in shown_frames(items):
            control = frame.attrs["disclosure_columns"]
            assert frame.attrs["disclosure_level"] != "national"
            for column in [c for c in control["counts"] if c in frame]:
                for value in frame[column]:
                    assert is_controlled_count(value), (section.__name__, column, value)
                    checked += 1
                    suppressed += value == "*"
    assert checked > 50
    if level != "provider":
        assert suppressed > 0  # the fixture's small counts reached the tables, suppressed


def test_england_is_never_rounded(aggregates):
    data = ReportData.open(aggregates, "england", "ENG")
    exact = data.table("linked_transitions")
    assert any(v % 5 for v in exact["transitions"])  # rounding would change some
    for section in SECTIONS:
        for frame in shown_frames(section(data)):
            if "Council" in frame.columns or "Provider" in frame.columns:  # below England
                assert frame.attrs["disclosure_level"] == "subnational"
                continue
            assert frame.attrs["disclosure_level"] == "national", section.__name__
            assert frame.attrs["disclosure_columns"]["counts"] == [], section.__name__


RECORD_ID = re.compile(r"^(P[0-9A-F]{16}|[A-Z]{1,2}[0-9]{9})$")


def test_no_record_level_value_or_date_reaches_a_table(aggregates):
    data = ReportData.open(aggregates, "region", "Y56")
    for section in SECTIONS:
        for frame in shown_frames(section(data)):
            for column in frame.columns:
                assert not pd.api.types.is_datetime64_any_dtype(frame[column]), column
                assert not re.search(r"person|date|pseudonym_id", str(column), re.I), column
                for value in frame[column]:
                    assert not (isinstance(value, str) and RECORD_ID.match(value)), value


def _chart(items, start: str) -> Chart:
    return next(i for i in items if isinstance(i, Chart) and i.caption.startswith(start))


def test_no_flow_rests_on_a_suppressed_count(aggregates):
    """A transition whose count is suppressed is not drawn, nor named with a share; the bar's
    drawn segments are the controlled shares of the table beside it."""
    data = ReportData.open(aggregates, "region", "Y56")
    items = pathways.transitions(data)
    table = items[-1].data
    chart = _chart(items, "From ")
    share = column_label("linked_transitions", "pct_transitions")
    hidden = table[table[share] == "*"]
    assert len(hidden) > 0
    for _, row in hidden.iterrows():
        sentence = next(
            s for s in chart.caption.split(". ") if s.startswith(f"From {row['From']}:")
        )
        assert f"{row['Next, within 30 days']} " not in sentence.split("; not shown")[0]
        assert row["Next, within 30 days"] in sentence.split("; not shown")[1]
    for _, row in table[table[share] != "*"].iterrows():
        assert f"{row['Next, within 30 days']} {row[share]}%" in chart.caption
    widths = sorted(
        round(p.get_width())
        for p in chart.figure.axes[0].patches
        if p.get_gid() != "remainder" and p.get_width() > 0
    )
    shown = sorted(int(v) for v in table[share] if v != "*" and v > 0)
    assert widths == shown


def test_a_bar_on_too_few_starting_events_is_not_drawn(aggregates):
    data = ReportData.open(aggregates, "icb", "QKK")
    items = pathways.transitions(data, min_chart=10_000)
    chart = _chart(items, "From ")
    assert chart.caption.count(f"not drawn ({TOO_FEW})") == 3
    assert not chart.figure.axes[0].patches


def test_after_urgent_response_adds_up_to_the_clocks_in_england(aggregates):
    data = ReportData.open(aggregates, "england", "ENG")
    table = pathways.after_ucr_rows(data)
    exact = data.table("linked_after_ucr").iloc[0]
    for window, part in table.groupby("window"):
        assert part["followed"].sum() == exact["clocks"] == part["clocks"].iloc[0], window
    assert list(table["next"][:3]) == ["emergency admission", "social care request", "neither"]


def test_shares_come_from_rounded_counts_with_intervals_from_exact_ones(aggregates):
    data = ReportData.open(aggregates, "region", "Y56")
    table = pathways.after_ucr_rows(data)
    shown = table[table["followed"] != "*"]
    assert (shown["pct"] == (100 * shown["followed"] / shown["clocks"]).round()).all()
    exact = data.table("linked_after_ucr").iloc[0]
    row = table[(table["window"] == "30 days") & (table["next"] == "neither")].iloc[0]
    assert row["pct_lower"] == round(exact["pct_neither_30_days_lower"])


def test_reablement_rows_keep_both_follow_ups_for_each_discharge(aggregates):
    data = ReportData.open(aggregates, "region", "Y56")
    table = pathways.reablement_rows(data)
    assert list(table["discharge_setting"]) == [
        s for s in ("acute", "community bed", "either") for _ in (84, 91)
    ]
    assert list(table["follow_up"]) == ["84 days", "91 days"] * 3
    items = pathways.reablement(data)
    assert any(isinstance(i, str) and "(ASCOF 2D)" in i for i in items)


def test_the_curve_is_drawn_only_from_enough_discharges(aggregates):
    data = ReportData.open(aggregates, "region", "Y56")
    drawn = pathways.service_curve(data)[0]
    assert "by day 30" in drawn.caption
    assert "%" in drawn.caption and ".0%" not in drawn.caption  # whole, as the table shows
    withheld = pathways.service_curve(data, min_chart=10_000)[0]
    assert "Too few to chart: fewer than 10000 discharges" in withheld.caption


def test_breakdowns_keep_their_not_known_rows(aggregates):
    data = ReportData.open(aggregates, "icb", "QKK")
    tables = list(shown_frames(pathways.both_services(data)))
    assert len(tables) == 4  # the whole, then age, deprivation and ethnicity
    for frame in tables[1:]:
        assert frame.iloc[-1, 0] == "Not known"


def test_linkage_lists_the_councils_with_residents_in_a_region(aggregates):
    london = list(
        shown_frames(pathways.linkage_quality(ReportData.open(aggregates, "region", "Y56")))
    )
    councils = next(f for f in london if "Council" in f.columns)["Council"].tolist()
    assert any("E09000001" in c for c in councils) and any("E09000002" in c for c in councils)
    assert not any("E08000025" in c for c in councils)  # Birmingham is not in London
    england = list(shown_frames(pathways.linkage_quality(ReportData.open(aggregates, "england"))))
    assert len(next(f for f in england if "Council" in f.columns)) == 3


def test_key_messages_carry_their_counts_and_rating(aggregates):
    data = ReportData.open(aggregates, "region", "Y56")
    messages = key_messages(data, "pathways")
    assert len(messages) == 3
    for m in messages:
        assert re.fullmatch(r"[\d,]+ of [\d,]+", m.counts), m
        assert m.rating.startswith(("Higher", "Lower", "Similar")), m
    reablement = pathways.reablement_rows(data)
    either = reablement[
        (reablement["discharge_setting"] == "either") & (reablement["follow_up"] == "84 days")
    ].iloc[0]
    assert messages[2].value == f"{either['pct']}%"


def test_every_table_has_a_record_for_the_spreadsheet(aggregates):
    data = ReportData.open(aggregates, "region", "Y56")
    for section in SECTIONS:
        for item in section(data):
            if isinstance(getattr(item, "data", None), pd.DataFrame):
                record = shown_table(item)
                assert record.section == "9" and record.counts, section.__name__


def test_a_long_list_of_councils_is_cut_to_the_largest_and_the_rest_added(aggregates, monkeypatch):
    monkeypatch.setattr(pathways, "COUNCILS_SHOWN", 1)
    england = ReportData.open(aggregates, "england")
    tables = [f for f in shown_frames(pathways.linkage_quality(england)) if "Council" in f.columns]
    assert len(tables) == 2  # events with a pseudonym; pseudonyms found in community data
    exact = england.peers("linkage_quality_councils", level="council")
    largest = exact["events"].idxmax()
    for table, count in zip(tables, ["events", "pseudonyms"], strict=True):
        shown = column_label("linkage_quality_councils", count)
        assert table["Council"].iloc[-1] == "All other councils (2)"
        assert table[shown].iloc[0] == 5 * round(exact.at[largest, count] / 5)
        rest = exact[count].sum() - exact.at[largest, count]
        assert table[shown].iloc[-1] == 5 * round(rest / 5)  # summed before rounding
