"""What to generate: the data quality defects to inject and the size and shape of the extract."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, Literal


@dataclass(frozen=True)
class DefectRates:
    """Data quality problems injected on purpose; each a share of rows of the table it applies to.

    Person-level defects (ethnicity, LSOA) are drawn once per person, so every version of an MPI
    row carries the same defect. See the package docstring for what each one looks like.
    """

    ethnicity_missing: float = 0.08
    ethnicity_not_stated: float = 0.07
    ethnicity_not_known: float = 0.08
    ethnicity_invalid: float = 0.02
    lsoa_missing: float = 0.03
    lsoa_invalid: float = 0.01
    invalid_codes: float = 0.01
    contact_before_referral: float = 0.005
    duplicate_resubmission: float = 0.02
    orphan_contacts: float = 0.002
    unparseable_dates: float = 0.001

    @classmethod
    def clean(cls) -> DefectRates:
        """No injected defects at all."""
        return cls(**{f.name: 0.0 for f in fields(cls)})

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"defect rate {f.name} must be in [0, 1], got {value}")
        eth = (
            self.ethnicity_missing
            + self.ethnicity_not_stated
            + self.ethnicity_not_known
            + self.ethnicity_invalid
        )
        if eth > 1.0 or self.lsoa_missing + self.lsoa_invalid > 1.0:
            raise ValueError("ethnicity (or LSOA) defect rates add up to more than 1")


@dataclass(frozen=True)
class GeneratorConfig:
    """The size and shape of a synthetic extract.

    variation: how much defect rates differ between providers and drift over months
    (0 = the exact rates everywhere, every month).
    cld: also write the adult social care Client Level Data files of the councils the
    providers' people live in (:mod:`workbench.synthetic.cld`).
    """

    seed: int = 20261124
    providers: int = 8
    referrals_per_provider_year: int = 400
    period_start: date = date(2024, 4, 1)
    months: int = 24
    cadence: Literal["daily", "monthly"] = "monthly"
    file_format: Literal["csv", "csv.gz", "parquet"] = "csv"
    defects: DefectRates = field(default_factory=DefectRates)
    variation: float = 0.5
    cld: bool = True

    def __post_init__(self) -> None:
        if self.providers < 1:
            raise ValueError("providers must be at least 1")
        if self.referrals_per_provider_year < 1:
            raise ValueError("referrals_per_provider_year must be at least 1")
        if self.months < 1:
            raise ValueError("months must be at least 1")
        if self.period_start.day != 1:
            raise ValueError("period_start must be the first day of a month")
        if self.cadence not in ("daily", "monthly"):
            raise ValueError(f"cadence must be 'daily' or 'monthly', got {self.cadence!r}")
        if self.file_format not in ("csv", "csv.gz", "parquet"):
            raise ValueError(
                f"file_format must be 'csv', 'csv.gz' or 'parquet', got {self.file_format!r}"
            )
        if not 0.0 <= self.variation <= 1.0:
            raise ValueError("variation must be in [0, 1]")

    def to_dict(self) -> dict[str, Any]:
        """The configuration as JSON-able values (dates as ISO text)."""
        out = dataclasses.asdict(self)
        out["period_start"] = self.period_start.isoformat()
        return out


#: Ready-made configurations: the committed sample, the default data of ``make report``, a
#: quick test scale and a national scale (sources.md 4: 202 providers, 1.865m referrals and
#: 9.09m contacts a month). ``report`` has 14 providers (1 to 3 in each NHS region) at 16,000
#: referrals a year each, 8 to 24 times the sample's volume in every region, so a region's urgent
#: response has about a hundred 2-hour clocks a month (the committed sample has about a dozen):
#: large enough that most monthly cells are not suppressed, small enough to generate at the
#: first ``make report`` (Parquet, gitignored).
SCALES: dict[str, GeneratorConfig] = {
    "sample": GeneratorConfig(referrals_per_provider_year=2_000, file_format="csv.gz"),
    "report": GeneratorConfig(
        providers=14, referrals_per_provider_year=16_000, file_format="parquet"
    ),
    "small": GeneratorConfig(providers=2, referrals_per_provider_year=150, months=6),
    "national": GeneratorConfig(
        providers=200,
        referrals_per_provider_year=100_000,
        months=12,
        cadence="monthly",
        file_format="parquet",
    ),
}
