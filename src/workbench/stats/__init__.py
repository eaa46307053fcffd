"""Statistical methods of measures.md section 6.

Wilson score intervals, Byar's / exact Poisson intervals for counts and rates, Wilson-inverted
funnel plot limits, Making Data Count XmR charts and the slope index of inequality, each
following the published definitions used for English public health indicators and NHS SPC.
"""

from .funnel import funnel_limits
from .inequality import relative_rank, slope_index_of_inequality
from .percentages import percentage_with_interval
from .poisson import byars_interval, exact_poisson_interval, rate_interval
from .spc import XmRResult, xmr
from .wilson import wilson_interval

__all__ = [
    "percentage_with_interval",
    "XmRResult",
    "byars_interval",
    "exact_poisson_interval",
    "funnel_limits",
    "rate_interval",
    "relative_rank",
    "slope_index_of_inequality",
    "wilson_interval",
    "xmr",
]
