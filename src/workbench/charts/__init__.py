"""Charts for rendered reports: each returns a :class:`Chart` (figure, caption, alt text).

Every chart has a title, labelled axes with units, a caption in words (returned, not drawn),
colours only from :mod:`workbench.charts.palette` (colour-blind safe) and never carries meaning
by colour alone. Inputs are small aggregate frames, already disclosure-controlled
(measures.md section 7): ``"*"`` entries are treated as unknown and said so in the caption.
Figures are built with :class:`matplotlib.figure.Figure`, outside pyplot, so nothing needs
closing and the interactive backend of a notebook is left alone.
"""

from ._base import Chart
from .completeness_heatmap import completeness_heatmap
from .cumulative_curve import cumulative_curve
from .demand_heatmap import demand_heatmap
from .funnel import funnel_plot
from .planning import dynamics_chart, projection_chart
from .proportion_bars import proportion_bars
from .rating import rating_label, rating_table
from .spc import spc_chart
from .transition_bars import transition_bars
from .trend import trend_chart
from .wait_bands import wait_band_chart

__all__ = [
    "Chart",
    "completeness_heatmap",
    "cumulative_curve",
    "demand_heatmap",
    "dynamics_chart",
    "funnel_plot",
    "projection_chart",
    "proportion_bars",
    "rating_label",
    "rating_table",
    "spc_chart",
    "transition_bars",
    "trend_chart",
    "wait_band_chart",
]
