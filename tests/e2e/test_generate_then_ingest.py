"""The generator and the validator read one specification: what one writes, the other accepts."""

import dataclasses
from pathlib import Path

import pytest

from workbench import load_store
from workbench.ingest import ingest
from workbench.synthetic import SCALES, DefectRates, generate

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "synthetic" / "sample"


def test_a_clean_extract_loads_with_no_rejects(tmp_path):
    config = dataclasses.replace(SCALES["small"], defects=DefectRates.clean())
    generate(tmp_path / "src", config, progress=False)
    report = ingest(tmp_path / "src", tmp_path / "store", progress=False)
    assert report["reconciled"]
    assert {name: t["rejected"] for name, t in report["tables"].items()} == dict.fromkeys(
        report["tables"], 0
    )
    assert report["tables"]["care_contacts"]["loaded"] > 0


def test_injected_defects_are_rejected_for_the_right_reasons(tmp_path):
    config = dataclasses.replace(
        SCALES["small"],
        defects=dataclasses.replace(DefectRates(), orphan_contacts=0.02, unparseable_dates=0.02),
    )
    generate(tmp_path / "src", config, progress=False)
    report = ingest(tmp_path / "src", tmp_path / "store", progress=False)
    reasons = report["tables"]["care_contacts"]["reject_reasons"]
    assert reasons["referral_id: no matching record in referrals (orphan)"] > 0
    assert reasons["contact_date: not a date (YYYY-MM-DD)"] > 0
    assert report["tables"]["care_contacts"]["superseded"] > 0


def test_the_committed_sample_is_what_the_documented_command_makes(tmp_path):
    generate(tmp_path / "sample", SCALES["sample"], progress=False)
    made = {
        p.relative_to(tmp_path / "sample"): p.read_bytes()
        for p in (tmp_path / "sample").rglob("*")
        if p.is_file()
    }
    committed = {
        p.relative_to(SAMPLE): p.read_bytes()
        for p in SAMPLE.rglob("*")
        if p.is_file() and p.name != "README.md"
    }
    assert made.keys() == committed.keys()
    changed = [str(k) for k in made if made[k] != committed[k]]
    assert not changed, f"regenerate the sample (data/synthetic/README.md): {changed[:5]}"


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample") / "store"
    ingest(SAMPLE, out, progress=False)
    return load_store(out)


def test_the_committed_sample_loads_and_reconciles(sample_store):
    report = sample_store.report
    assert report["reconciled"]
    assert len(report["providers"]) == 8 + 8  # community providers and their acute trusts
    for name, t in report["tables"].items():
        assert t["read"] == t["loaded"] + t["superseded"] + t["rejected"], name
    assert sample_store["referrals"].count().execute() > 5_000


def test_the_sample_covers_every_nhs_region(sample_store):
    from workbench.reference import lsoa11_geography

    lsoas = sample_store["mpi"].select("lsoa_2011").distinct().to_pandas()["lsoa_2011"]
    regions = lsoa11_geography().set_index("lsoa11_code").reindex(lsoas)["region_code"].dropna()
    assert regions.nunique() == 7
