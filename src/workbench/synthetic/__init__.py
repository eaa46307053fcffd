"""Synthetic CSDS-shaped extracts for developing and testing the workbench.

``generate(out_dir, config)`` writes what providers would submit:
``OUT/<provider>/<table>_<provider>_<YYYYMMDD>.csv`` (or ``.parquet``), one file per table per
submission day (daily cadence: the day after the changes) or month (monthly cadence: the first
day of the next month), each holding every record whose state changed in the period, in its state
at the end of the period, plus ``OUT/generation.json``. Providers are SYN01, SYN02, ...; their
linked acute providers SYNA1, SYNA2, ... Catchments are real 2011 LSOAs of real ICBs; everything
else (persons, postcode districts, GP practice codes, events) is made up. Beside them, the
councils' adult social care Client Level Data files, ``OUT/<LA code>/cld_<LA code>_<YYYYMMDD>``
(:mod:`workbench.synthetic.cld`): some clients are the providers' people, with the same pseudonym.

Realism parameters live in :mod:`workbench.synthetic.calibration`, each with its source;
data quality defects are injected on purpose at the rates of :class:`DefectRates`.
"""

from workbench.synthetic.config import SCALES, DefectRates, GeneratorConfig
from workbench.synthetic.generate import GenerationSummary, generate

__all__ = ["SCALES", "DefectRates", "GenerationSummary", "GeneratorConfig", "generate"]
