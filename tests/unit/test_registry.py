"""One measure registry: every measure and every output column declared once (issue 9)."""

from pathlib import Path

import pandas as pd
import pytest

from workbench.breakdowns import ALL_BREAKDOWNS, COUNCIL_LEVELS, LEVELS
from workbench.measures.declare import ROLES
from workbench.measures.document import catalogue_markdown
from workbench.measures.registry import aggregate_tables, registry
from workbench.reports.tables import column_label

ROOT = Path(__file__).resolve().parents[2]
AGGREGATE_COLUMNS = {"level", "org_code", "breakdown"}


def test_every_measure_is_declared_once_with_roles_and_labels():
    measures = registry()
    assert {f for f, _ in measures} == {"dq", "waits", "ucr", "outcomes", "dynamics", "linked"}
    for measure in measures.values():
        names = [c.name for c in measure.columns]
        assert len(names) == len(set(names)), measure.name
        assert set(measure.breakdowns) <= set(ALL_BREAKDOWNS)
        for column in measure.columns:
            assert column.role in ROLES and column.label.strip(), column.name
            if column.role == "rate":
                assert {column.numerator, column.denominator} <= set(names), column.name
            if column.role == "average":
                assert column.based_on in names, column.name
        for table in measure.tables:
            assert set(table.levels) <= {*LEVELS, *COUNCIL_LEVELS}


@pytest.mark.parametrize("table", sorted(t.name for _, t in aggregate_tables()))
def test_every_aggregate_column_has_a_declared_role_and_label(sample_aggregates, table):
    frame = pd.read_parquet(sample_aggregates / f"{table}.parquet")
    for column in frame.columns:
        if column in AGGREGATE_COLUMNS:
            continue
        assert column_label(table, column), column  # raises when declared nowhere


def test_the_committed_catalogue_is_current():
    committed = (ROOT / "docs" / "measure_catalogue.md").read_text(encoding="utf-8")
    assert committed == catalogue_markdown(), "run: workbench measures > docs/measure_catalogue.md"
