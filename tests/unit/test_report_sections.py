"""Every report section, for every kind of organisation, shows only disclosure-controlled
counts and no record-level value (measures.md section 7)."""

import inspect
import re

import matplotlib
import numpy as np
import pandas as pd
import pytest
from shown_items import is_controlled_count, shown_frames

from workbench.reports.data import ReportData
from workbench.reports.sections import (
    data_quality,
    outcomes,
    pathways,
    planning,
    urgent_response,
    waits,
)
from workbench.reports.tables import column_label

matplotlib.use("Agg")

MODULES = [data_quality, waits, urgent_response, outcomes, planning, pathways]
SUBNATIONAL = [("region", "Y56"), ("icb", "QHL"), ("provider", "SYN01")]


def _sections(module):
    """Every section of ``module``: ``(data, ...) -> list`` with any further parameter
    optional (the data say whether disclosure control is on)."""
    found = []
    for name, fn in inspect.getmembers(module, inspect.isfunction):
        if fn.__module__ != module.__name__ or name.startswith("_"):
            continue
        if fn.__annotations__.get("return") not in ("list", list):  # not a section's items
            continue
        params = list(inspect.signature(fn).parameters.values())
        if [p.name for p in params[:1]] == ["data"] and all(
            p.default is not inspect.Parameter.empty for p in params[1:]
        ):
            found.append(fn)
    return found


@pytest.mark.parametrize("level,code", SUBNATIONAL)
@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_sections_show_no_unsuppressed_small_counts(sample_aggregates, module, level, code):
    data = ReportData.open(sample_aggregates, level, code)
    checked = 0
    for section in _sections(module):
        items = section(data)
        assert items or section.__name__ == "urgent_response_demand", section.__name__
        for frame in shown_frames(items):
            control = frame.attrs.get("disclosure_columns")
            if control is None:  # a table of scores or indices, not counts
                continue
            for column in [c for c in control["counts"] if c in frame]:
                for value in frame[column]:
                    assert is_controlled_count(value), (section.__name__, column, value)
                    checked += 1
    assert checked > 0


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_england_is_never_rounded(sample_aggregates, module):
    """Control applies below national level only (measures.md section 7): every table of an
    England report shows the exact figures, except England's breakdown by region, whose rows
    are below national level and so controlled."""
    data = ReportData.open(sample_aggregates, "england", "ENG")
    tables = 0
    for section in _sections(module):
        for frame in shown_frames(section(data)):
            if "disclosure_control" not in frame.attrs:  # a table of scores or indices
                continue
            # England by region; England's councils and providers (the linkage's quality)
            if section.__name__.startswith("by_organisation") or (
                section.__name__ == "linkage_quality"
                and frame.attrs["disclosure_level"] == "subnational"
            ):
                assert frame.attrs["disclosure_level"] == "subnational", section.__name__
                continue
            assert frame.attrs["disclosure_level"] == "national", section.__name__
            assert frame.attrs["disclosure_columns"]["counts"] == [], section.__name__
            tables += 1
    assert tables > 0


def test_england_urgent_response_shows_the_exact_counts(sample_aggregates):
    data = ReportData.open(sample_aggregates, "england", "ENG")
    exact = data.table("ucr_performance", "month")
    shown = urgent_response.out_of_scope(data)[0].data
    clocks = column_label("ucr_performance", "clocks")
    assert shown[clocks].tolist() == exact["clocks"].tolist()
    assert any(v % 5 for v in exact["clocks"])  # the sample holds counts rounding would change
    region = ReportData.open(sample_aggregates, "region", "Y56")
    assert region.national("inequality").attrs["disclosure_level"] == "national"
    assert region.table("ucr_performance").attrs.get("disclosure_level") != "national"


RECORD_ID = re.compile(r"^(P[0-9A-F]{16}|[A-Z]{1,2}[0-9]{9})$")  # synthetic person/record ids


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_sections_carry_no_record_identifiers_or_dates(sample_aggregates, module):
    data = ReportData.open(sample_aggregates, "region", "Y56")
    for section in _sections(module):
        for frame in shown_frames(section(data)):
            for column in frame.columns:
                assert not pd.api.types.is_datetime64_any_dtype(frame[column]), column
                for value in frame[column]:
                    assert not (isinstance(value, str) and RECORD_ID.match(value)), value


def test_turning_control_off_shows_exact_counts(sample_aggregates):
    data = ReportData.open(sample_aggregates, "provider", "SYN01", disclosure_control=False)
    exact = urgent_response.out_of_scope(data)[0].data
    assert exact.attrs["disclosure_control"] is False
    clocks = column_label("ucr_performance", "clocks")  # the header is the registry's label
    assert all(isinstance(v, (int, np.integer)) for v in exact[clocks])


def test_unknown_organisation_names_the_known_codes(sample_aggregates):
    from workbench.errors import WorkbenchError

    with pytest.raises(WorkbenchError, match="known codes: .*Y56"):
        ReportData.open(sample_aggregates, "region", "Y99")
