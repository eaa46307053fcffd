"""A measure is written once and gives the same result on DuckDB and on Spark (DESIGN.md).

Every measure in the catalogue runs on both engines over the same synthetic store, and the
frames must be equal. Needs pyspark (the ``spark`` extra, installed by ``make setup``) and
Java 17; skipped, saying which is missing, otherwise.
"""

import dataclasses

import pandas as pd
import pytest

from workbench import load_store
from workbench.engine import spark_available
from workbench.ingest import ingest
from workbench.measures.catalogue import catalogue
from workbench.period import Period
from workbench.synthetic import SCALES, generate

pytestmark = pytest.mark.skipif(
    spark_available() is not None,
    reason=f"Spark parity needs pyspark and Java: {spark_available()}",
)

PERIOD = Period.of("2024-06-01", "2024-09-30")
BREAKDOWNS = {
    "dq": "provider",
    "waits": "provider,age_group",
    "ucr": "month,imd_quintile",
    "outcomes": "provider",
}


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    folder = tmp_path_factory.mktemp("parity")
    config = dataclasses.replace(SCALES["small"], referrals_per_provider_year=400, months=6)
    generate(folder / "src", config, progress=False)
    ingest(folder / "src", folder / "store", progress=False)
    return load_store(folder / "store"), load_store(folder / "store", engine="spark")


@pytest.mark.parametrize("family,what", sorted(catalogue()))
def test_measure_gives_the_same_frame_on_duckdb_and_spark(stores, family, what):
    duck, spark = stores
    fn = catalogue()[(family, what)]
    by = BREAKDOWNS[family]
    expected = fn(duck, PERIOD, by)
    got = fn(spark, PERIOD, by)
    assert len(expected) > 0
    pd.testing.assert_frame_equal(
        expected.reset_index(drop=True),
        got.reset_index(drop=True),
        check_dtype=False,
        check_exact=False,
        rtol=1e-9,
    )
