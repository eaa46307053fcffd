"""A measure is written once and gives the same result on DuckDB and on Spark.

Every measure in the registry runs on both engines over the same synthetic store, and the
frames must be equal; so must every aggregate table `workbench compute` writes. Each engine has
its own copy of the store, so each builds its own facts. Needs pyspark (the ``spark`` extra,
installed by ``make setup``) and Java 17; skipped, saying which is missing, otherwise.
"""

import dataclasses
import shutil

import pandas as pd
import pytest

from workbench import load_store
from workbench.compute import compute
from workbench.engine import spark_available
from workbench.ingest import ingest
from workbench.measures.registry import aggregate_tables, registry
from workbench.period import Period
from workbench.synthetic import SCALES, generate

pytestmark = pytest.mark.skipif(
    spark_available() is not None,
    reason=f"Spark parity needs pyspark and Java: {spark_available()}",
)

PERIOD = Period.of("2024-06-01", "2024-09-30")
BREAKDOWNS = {
    "dq": "provider,council",
    "waits": "provider,age_group",
    "ucr": "month,imd_quintile",
    "outcomes": "provider",
    "dynamics": "provider,service",
    "linked": "provider",  # the council-anchored ones: England (few linked episodes here)
}


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    folder = tmp_path_factory.mktemp("parity")
    config = dataclasses.replace(SCALES["small"], referrals_per_provider_year=400, months=6)
    generate(folder / "src", config, progress=False)
    ingest(folder / "src", folder / "store", progress=False)
    shutil.copytree(folder / "store", folder / "spark_store")
    return load_store(folder / "store"), load_store(folder / "spark_store", engine="spark")


def _by(measure) -> list[str]:
    wanted = BREAKDOWNS[measure.family].split(",")
    return [b for b in wanted if b in measure.breakdowns]


@pytest.mark.parametrize("family,what", sorted(registry()))
def test_measure_gives_the_same_frame_on_duckdb_and_spark(stores, family, what):
    duck, spark = stores
    measure = registry()[(family, what)]
    by = _by(measure)
    expected = measure.run(duck, PERIOD, by)
    got = measure.run(spark, PERIOD, by)
    assert len(expected) > 0
    pd.testing.assert_frame_equal(
        expected.reset_index(drop=True),
        got.reset_index(drop=True),
        check_dtype=False,
        check_exact=False,
        rtol=1e-9,
    )


@pytest.fixture(scope="module")
def computed(stores, tmp_path_factory):
    duck, spark = stores
    folder = tmp_path_factory.mktemp("parity_compute")
    compute(duck, folder / "duckdb", PERIOD, progress=False)
    compute(spark, folder / "spark", PERIOD, progress=False)
    return folder / "duckdb", folder / "spark"


@pytest.mark.parametrize("table", sorted(t.name for _, t in aggregate_tables()))
def test_compute_gives_the_same_aggregates_on_duckdb_and_spark(computed, table):
    duck, spark = (pd.read_parquet(folder / f"{table}.parquet") for folder in computed)
    assert len(duck) > 0
    keys = [c for c in duck.columns if not pd.api.types.is_numeric_dtype(duck[c])]
    duck = duck.sort_values(keys, kind="stable").reset_index(drop=True)
    spark = spark[duck.columns].sort_values(keys, kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(duck, spark, check_dtype=False, check_exact=False, rtol=1e-9)
