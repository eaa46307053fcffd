"""The compute step: every measure once, at every level, into small aggregate tables."""

import io
import json

import pandas as pd
import pytest

from workbench import load_store
from workbench.cli import main
from workbench.compute import compute
from workbench.ingest import ingest
from workbench.measures.registry import aggregate_tables
from workbench.measures.waits import waiting_list
from workbench.period import Period
from workbench.synthetic import SCALES, generate

PERIOD = Period.of("2024-06-01", "2024-09-30")


@pytest.fixture(scope="module")
def computed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("compute")
    generate(folder / "src", SCALES["small"], progress=False)
    ingest(folder / "src", folder / "store", progress=False)
    store = load_store(folder / "store")
    manifest = compute(store, folder / "aggregates", PERIOD, progress=False)
    return store, folder / "aggregates", manifest


def test_every_aggregate_is_written_with_a_manifest(computed):
    store, out, manifest = computed
    assert set(manifest["tables"]) == {t.name for _, t in aggregate_tables()}
    assert (
        json.loads((out / "manifest.json").read_text())["source_sha256"]
        == (store.report["source_sha256"])
    )
    for _, table in aggregate_tables():
        frame = pd.read_parquet(out / f"{table.name}.parquet")
        assert set(frame["level"]) <= set(table.levels), table.name
        assert {"level", "org_code", "breakdown"} <= set(frame.columns)


def test_percentiles_are_exact_at_every_level(computed):
    store, out, _ = computed
    frame = pd.read_parquet(out / "waiting_list.parquet")
    england = frame[(frame["level"] == "england") & (frame["breakdown"] == "none")].iloc[0]
    direct = waiting_list(store, PERIOD.census).iloc[0]
    assert england["median_days"] == direct["median_days"]
    assert england["p92_days"] == direct["p92_days"]
    providers = frame[(frame["level"] == "provider") & (frame["breakdown"] == "none")]
    assert providers["waiting"].sum() == england["waiting"]


def test_levels_cover_providers_icbs_regions_and_england(computed):
    _, out, _ = computed
    frame = pd.read_parquet(out / "ucr_performance.parquet")
    assert set(frame["level"]) == {"provider", "icb", "region", "england"}
    assert (frame.loc[frame["level"] == "england", "org_code"] == "ENG").all()
    orgs = pd.read_parquet(out / "organisations.parquet")
    assert set(frame.loc[frame["level"] == "provider", "org_code"]) <= set(orgs["provider"])


def test_measure_command_writes_csv(computed, tmp_path, capsys):
    store, _, _ = computed
    out = tmp_path / "waits.csv"
    code = main(
        [
            "measure",
            "waits",
            "--store",
            str(store.path),
            "--what",
            "list",
            "--period-start",
            "2024-06-01",
            "--period-end",
            "2024-09-30",
            "--by",
            "provider,age_group",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    frame = pd.read_csv(out, dtype={"provider": str})
    assert {"provider", "age_group", "waiting", "median_days", "p92_days"} <= set(frame.columns)
    assert f"rows to {out.resolve()}" in capsys.readouterr().out


def test_measure_command_rejects_unknown_choices(computed, tmp_path, capsys):
    store, _, _ = computed
    code = main(
        [
            "measure",
            "waits",
            "--store",
            str(store.path),
            "--what",
            "nonsense",
            "--out",
            str(tmp_path / "x.csv"),
        ]
    )
    assert code == 2
    assert "choose from: list, completed" in capsys.readouterr().err
    code = main(
        [
            "measure",
            "ucr",
            "--store",
            str(store.path),
            "--by",
            "colour",
            "--out",
            str(tmp_path / "x.csv"),
        ]
    )
    assert code == 2
    assert "unknown breakdown colour" in capsys.readouterr().err


def test_compute_of_a_period_without_records_writes_empty_tables(computed, tmp_path):
    store, _, _ = computed
    manifest = compute(store, tmp_path / "empty", Period.of("2020-01-01", "2020-12-31"), False)
    assert set(manifest["tables"]) == {t.name for _, t in aggregate_tables()}
    frame = pd.read_parquet(tmp_path / "empty" / "waiting_list.parquet")
    england = frame[(frame["level"] == "england") & (frame["breakdown"] == "none")]
    assert england["waiting"].tolist() == [0]


def test_measure_refuses_a_breakdown_it_does_not_take(computed, tmp_path, capsys):
    store, _, _ = computed
    args = ["measure", "dq", "--store", str(store.path), "--what", "dqmi", "--by", "month"]
    code = main([*args, "--out", str(tmp_path / "x.csv")])
    assert code == 2
    err = capsys.readouterr().err
    assert "dq dqmi cannot be broken down by month; it takes: provider" in err
    assert not (tmp_path / "x.csv").exists()


def _measure_csv(store, tmp_path, *extra: str) -> str:
    out = tmp_path / "list.csv"
    args = ["measure", "waits", "--store", str(store.path), "--what", "list", "--by", "provider"]
    assert (
        main(
            [*args, "--period-start", "2024-06-01", "--period-end", "2024-09-30"]
            + ["--out", str(out), *extra]
        )
        == 0
    )
    return out.read_text()


def test_measure_csv_is_disclosure_controlled_by_default(computed, tmp_path):
    store, _, _ = computed
    frame = pd.read_csv(io.StringIO(_measure_csv(store, tmp_path)), dtype=str)
    counts = frame["waiting"].tolist() + frame["over_18_weeks"].tolist()
    assert all(c == "[c]" or int(c) % 5 == 0 for c in counts), counts  # [c]: suppressed


def test_measure_csv_without_control_says_so_on_its_first_line(computed, tmp_path):
    store, _, _ = computed
    text = _measure_csv(store, tmp_path, "--no-disclosure-control")
    assert text.splitlines()[0].startswith("# NOT DISCLOSURE CONTROLLED")
    exact = pd.read_csv(io.StringIO(text), comment="#")
    direct = waiting_list(store, PERIOD.census, by="provider")
    assert exact["waiting"].tolist() == direct["waiting"].tolist()


def test_every_organisation_s_rows_come_in_breakdown_order(computed):
    _, out, _ = computed
    frame = pd.read_parquet(out / "ucr_performance.parquet")
    monthly = frame[frame["breakdown"] == "month"]
    for _, rows in monthly.groupby(["level", "org_code"]):
        assert rows["month"].tolist() == sorted(rows["month"])


def test_rows_by_month_reach_back_before_the_period_while_totals_stay_on_it(computed):
    store, out, manifest = computed
    history = PERIOD.history(store.report)
    assert manifest["monthly_start"] == history.start.isoformat() < PERIOD.start.isoformat()
    frame = pd.read_parquet(out / "contact_outcomes.parquet")
    england = frame[frame["level"] == "england"]
    monthly = england[england["breakdown"] == "month"]
    months = pd.to_datetime(monthly["month"].astype(str))
    assert months.min() < pd.Timestamp(PERIOD.start) and months.max() <= pd.Timestamp(PERIOD.end)
    inside = monthly[months >= pd.Timestamp(PERIOD.start)]
    total = england[england["breakdown"] == "none"]
    assert inside["contacts"].sum() == total["contacts"].sum() > 0
