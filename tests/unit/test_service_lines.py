"""Service lines as the national statistics show them, and region and ICB reports that show
their own organisations (measures.md section 7, "Service lines"; issue 11 items 2, 4 and 5)."""

import matplotlib
import pandas as pd
import pytest

from workbench.breakdowns import NOT_KNOWN
from workbench.charts.rating import GOOD, NEEDS_ATTENTION, NOT_RATED, POOR
from workbench.measures.dq.labels import OPTIONAL_NOT_RATED, is_rated, item_label, table_label
from workbench.reports.data import ReportData
from workbench.reports.sections import common, data_quality, waits
from workbench.reports.tables import largest_and_rest
from workbench.spec import TABLES, TEAM_TYPE
from workbench.spec.service_lines import service_line_label

matplotlib.use("Agg")

ORGS = [("england", "ENG"), ("region", "Y56"), ("icb", "QKK"), ("provider", "SYN01")]
ADULT, CYP = "(adult)", "(children and young people)"


def _tables(items):
    return [item.data for item in items if isinstance(getattr(item, "data", None), pd.DataFrame)]


def _charts(items):
    return [item for item in items if hasattr(item, "figure")]


def test_no_two_service_lines_share_a_label():
    labels = [service_line_label(code) for code in TEAM_TYPE.codes]
    assert len(set(labels)) == len(labels) == 47
    assert service_line_label("A26") == "Therapy interventions: physiotherapy (adult)"
    assert service_line_label("C14").endswith(CYP)
    assert service_line_label("X99") is None


@pytest.mark.parametrize("level,code", ORGS)
def test_waits_tables_and_charts_keep_adult_and_cyp_lines_apart(sample_aggregates, level, code):
    data = ReportData.open(sample_aggregates, level, code)
    items = waits.by_service_line(data)
    tables, charts = _tables(items), _charts(items)
    assert len(tables) == 2 and len(charts) == 2  # adult, then children and young people's
    for table, chart, suffix in zip(tables, charts, (ADULT, CYP), strict=True):
        lines = table["Service line"].tolist()
        assert len(set(lines)) == len(lines), lines
        assert all(line.endswith(suffix) or line.startswith("All other lines") for line in lines)
        ticks = [t.get_text().replace("\n", " ") for t in chart.figure.axes[0].get_yticklabels()]
        assert ticks == lines  # the chart draws the table's rows, no more, no fewer


@pytest.mark.parametrize("level,code", ORGS)
def test_wait_band_chart_caption_and_alt_text_agree_with_the_table(sample_aggregates, level, code):
    data = ReportData.open(sample_aggregates, level, code)
    items = waits.by_service_line(data)
    for table, chart in zip(_tables(items), _charts(items), strict=True):
        for line, waiting in zip(table["Service line"], table["Waiting"], strict=True):
            said = "fewer than 8" if waiting == "*" else f"{int(waiting):,}"
            assert f"{line} {said} waiting" in chart.caption, (line, waiting)
            assert f"{line} {said} waiting" in chart.alt_text, (line, waiting)


@pytest.mark.parametrize("level,code", ORGS)
def test_every_waits_report_shows_childrens_long_waits(sample_aggregates, level, code):
    data = ReportData.open(sample_aggregates, level, code)
    items = waits.summary(data)
    assert any(isinstance(i, str) and "Children and young people's services:" in i for i in items)
    cyp_lines = [t for t in _tables(items) if "Service line" in t]
    assert cyp_lines, "no table of children's service lines"
    for column in ("Waiting over 52 weeks", "Waiting over 104 weeks"):
        assert column in cyp_lines[0]
    lines = cyp_lines[0]["Service line"]
    assert all(line.endswith(CYP) or line.startswith("All other lines") for line in lines)


def test_largest_lines_and_the_rest_add_up_before_control():
    frame = pd.DataFrame({"line": list("abcdefgh"), "n": [50, 3, 40, 2, 30, 1, 20, 9]})
    out = largest_and_rest(frame, "line", ["n"], "n", size=3)
    assert out["line"].tolist() == ["a", "c", "e", "All other lines (5)"]
    assert out["n"].sum() == frame["n"].sum() and out["n"].iloc[-1] == 35
    assert len(largest_and_rest(frame, "line", ["n"], "n", size=7)) == 8  # no one-line "rest"


def test_the_order_of_lines_never_ranks_suppressed_counts():
    frame = pd.DataFrame({"line": ["x", "y", "z", "w"], "n": [1, 7, 3, 12]})
    out = largest_and_rest(frame, "line", ["n"], "n")
    assert out["line"].tolist() == ["w", "x", "y", "z"]  # 10 first, then 1 to 7 by name


def test_items_are_named_in_words_and_rated_only_when_expected_of_every_record(
    sample_aggregates,
):
    data = ReportData.open(sample_aggregates, "region", "Y56")
    (table,) = _tables(data_quality.items(data))
    names = {
        (table_label(t.name), item_label(c.name)): is_rated(t.name, c.name)
        for t in TABLES.values()
        for c in t.columns
    }
    assert not table["Data item"].str.contains("_").any()
    ratings = {GOOD, NEEDS_ATTENTION, POOR, NOT_RATED}
    seen_optional = 0
    for t, i, rating in zip(
        table["Table"], table["Data item"], table["Rating (% known)"], strict=True
    ):
        if names[(t, i)]:
            assert rating in ratings, (t, i, rating)
        else:
            seen_optional += 1
            assert rating == OPTIONAL_NOT_RATED, (t, i, rating)
    assert seen_optional >= 4  # closure, rejection, discharge dates, closure reason
    assert not is_rated("referrals", "referral_closure_date")
    assert is_rated("mpi", "ethnic_category")


def test_a_region_report_breaks_down_by_its_own_icbs_and_providers(sample_aggregates):
    data = ReportData.open(sample_aggregates, "region", "Y56")
    items = waits.by_organisation_waiting(data)
    icbs, providers = _tables(items)
    assert icbs["ICB"].str.contains("London").all() and len(icbs) >= 1
    assert sorted(providers["Provider"]) == data.providers
    icb = ReportData.open(sample_aggregates, "icb", "QKK")
    (only,) = _tables(waits.by_organisation_waiting(icb))
    assert only["Provider"].tolist() == icb.providers


@pytest.mark.parametrize("level,code", ORGS)
def test_funnels_keep_englands_not_known_and_ring_the_reports_providers(
    sample_aggregates, level, code
):
    # measures.md section 7: a breakdown keeps its Not known row, funnels too, so England's
    # regions add up to England; below England a funnel compares providers, all known
    data = ReportData.open(sample_aggregates, level, code)
    rows, ringed = common.funnel_peers(data, "ucr_performance")
    if level == "england":
        assert ringed is None and NOT_KNOWN in set(rows["org_code"])
        assert rows["in_scope"].sum() == data.table("ucr_performance")["in_scope"].iloc[0]
    else:
        assert NOT_KNOWN not in set(rows["org_code"])
        assert ringed == data.providers and set(ringed) <= set(rows["org_code"])
    (chart,) = data_quality.peers(data)
    if level != "england":
        assert NOT_KNOWN not in chart.caption
    for provider in ringed or []:
        assert f"{provider}: " in chart.caption
