"""The data `make report` reports on (``--scale report``): every NHS region has providers, and
each region gets several times the committed sample's volume, so that a region's monthly urgent
response has about a hundred clocks (the sample has about a dozen). Generating it takes minutes,
so this checks the preset against the sample's shape; the README gives the measured counts."""

from collections import Counter

from workbench.synthetic import SCALES
from workbench.synthetic.providers import make_providers

REGIONS = 7


def _referrals_per_region_year(scale: str) -> Counter:
    config = SCALES[scale]
    regions = Counter(p.region for p in make_providers(config.providers))
    return Counter({r: n * config.referrals_per_provider_year for r, n in regions.items()})


def test_every_region_has_providers_in_the_report_data():
    assert len(_referrals_per_region_year("report")) == REGIONS


def test_every_region_gets_several_times_the_samples_volume():
    sample = _referrals_per_region_year("sample")
    report = _referrals_per_region_year("report")
    # the sample's smallest region has about 6 clocks a month: 8 times that is about 50
    assert min(report.values()) >= 8 * min(sample.values())
    assert report.total() >= 12 * sample.total()


def test_the_report_data_is_parquet_and_deterministic():
    config = SCALES["report"]
    assert config.file_format == "parquet"  # fast to ingest, small on disk
    assert config.seed == SCALES["sample"].seed  # a fixed seed: every machine gets the same data
