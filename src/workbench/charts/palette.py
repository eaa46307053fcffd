"""The one colour palette every chart uses: colour-blind safe (Okabe and Ito, 2008).

Charts take colours only from this module, so a test can check that nothing else is drawn.
Qualitative colours are the eight Okabe-Ito colours; the neutrals are greys for common-cause
points, limits and "Not known" categories; the sequential ramp (ColorBrewer YlGnBu, which is
colour-blind safe and prints legibly in greyscale) is for ordered categories such as wait bands.
Meaning is never carried by colour alone: every chart also uses marker shape, position or words.
"""

from __future__ import annotations

from matplotlib.colors import to_rgb

__all__ = [
    "BLACK",
    "BLUE",
    "DARK_GREY",
    "GREEN",
    "GREY",
    "LIGHT_GREY",
    "NEUTRALS",
    "OKABE_ITO",
    "ORANGE",
    "PURPLE",
    "SEQUENTIAL",
    "SKY_BLUE",
    "VERMILLION",
    "WHITE",
    "all_colours",
    "sequential",
    "text_colour_on",
]

#: The Okabe-Ito qualitative palette, by name.
OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}

ORANGE = OKABE_ITO["orange"]
SKY_BLUE = OKABE_ITO["sky_blue"]
GREEN = OKABE_ITO["bluish_green"]
BLUE = OKABE_ITO["blue"]
VERMILLION = OKABE_ITO["vermillion"]
PURPLE = OKABE_ITO["reddish_purple"]
BLACK = OKABE_ITO["black"]

#: Neutrals: text and axes (dark grey), limits and common cause (grey), "Not known" and
#: ribbons (light grey), and white (bar edges, text on dark bars).
DARK_GREY = "#333333"
GREY = "#7F7F7F"
LIGHT_GREY = "#BDBDBD"
WHITE = "#FFFFFF"
NEUTRALS: tuple[str, ...] = (DARK_GREY, GREY, LIGHT_GREY, WHITE)

#: Sequential ramp, light to dark (ColorBrewer YlGnBu, 9 classes without the two lightest).
SEQUENTIAL: tuple[str, ...] = (
    "#C7E9B4",
    "#7FCDBB",
    "#41B6C4",
    "#1D91C0",
    "#225EA8",
    "#253494",
    "#081D58",
)


def sequential(k: int) -> list[str]:
    """``k`` colours from the sequential ramp, light to dark, spread as evenly as possible.

    Parameters
    ----------
    k : int
        Number of ordered categories, 1 to 7.

    Returns
    -------
    list of str
        Hex colours from :data:`SEQUENTIAL`.

    Examples
    --------
    >>> sequential(3)
    ['#C7E9B4', '#1D91C0', '#081D58']
    """
    n = len(SEQUENTIAL)
    if not 1 <= k <= n:
        raise ValueError(
            f"the sequential palette has {n} colours, so it can show 1 to {n} ordered "
            f"categories (got {k}); combine some categories first"
        )
    if k == 1:
        return [SEQUENTIAL[3]]
    return [SEQUENTIAL[round(i * (n - 1) / (k - 1))] for i in range(k)]


def text_colour_on(colour: str) -> str:
    """Black or white, whichever reads better on ``colour`` (by relative luminance)."""
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return BLACK if luminance > 0.25 else WHITE


def all_colours() -> tuple[str, ...]:
    """Every colour a chart may draw with (for tests and checks)."""
    return (*OKABE_ITO.values(), *NEUTRALS, *SEQUENTIAL)
