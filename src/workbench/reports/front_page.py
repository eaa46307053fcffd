"""The first thing a report says: which organisation, period and data, whether disclosure
control is on, which version of the workbench made it, and where the methods are written down."""

from __future__ import annotations

import html

from workbench.organisations import LEVEL_NAMES
from workbench.period import moment_text
from workbench.reports.data import ReportData
from workbench.reports.key_messages import KeyMessage, key_messages_html
from workbench.version import __version__

#: The bundle's pages, relative to a report at ``<level>/<org_code>/<notebook>.html``.
METHODOLOGY_HREF = "../../methodology.html"
MEASURES_HREF = "../../measures.html"


def organisation_text(data: ReportData) -> str:
    """The organisation as the front page names it: ``England`` once; otherwise its name, code
    and level (``London (Y56), NHS England region (residence)``)."""
    if data.level == "england":
        return data.name
    return f"{data.name} ({data.code}), {LEVEL_NAMES[data.level]}"


def disclosure_text(level: str, disclosure_control: bool = True) -> str:
    """What the About box says of disclosure control (measures.md section 7): England's figures
    are exact, and says so; below England, the rules as a reader needs them.

    >>> disclosure_text("england").startswith("not applied: England's figures are exact")
    True
    """
    if not disclosure_control:
        return "OFF"
    if level == "england":
        return (
            "not applied: England's figures are exact, neither rounded nor suppressed "
            "(national figures need no disclosure control); it applies to every level below"
        )
    return (
        "on: counts of 1 to 7 are shown as *, other counts are rounded to the nearest 5; "
        "percentages come from the rounded counts, shown as whole numbers (one decimal where "
        "the rounded denominator is at least 4,000), with 95% intervals from the exact counts; "
        "averages only from 8 or more records"
    )


#: The reports about the waiting list, which name its census date (in the header and the "about
#: this report" box); the others cover the period only.
WAITING_LIST_REPORTS = frozenset({"waits", "planning"})


def front_page_html(
    data: ReportData,
    title: str,
    disclosure_control: bool = True,
    methodology_href: str = METHODOLOGY_HREF,
    measures_href: str = MEASURES_HREF,
    key_messages: list[KeyMessage] | None = None,
    census: bool = True,
) -> str:
    """The report's first page as HTML: title, the key messages (when given), then "about this
    report": organisation, period, the waiting list census date (when ``census``: a report about
    the waiting list), data extract (its checksum and load time), disclosure control status,
    package version, and links to the measure definitions and the methodology (the rendered page
    also carries them in its appendix)."""
    m = data.manifest
    control = disclosure_text(data.level, disclosure_control)
    rows = [
        ("Organisation", organisation_text(data)),
        ("Period", f"{m['period_start']} to {m['period_end']}"),
        *([("Waiting list census date", m["census_date"])] if census else []),
        (
            "Data extract",
            f"snapshot {str(m.get('source_sha256') or '')[:12]}, loaded "
            f"{moment_text(m.get('loaded_at'))}",
        ),
        ("Disclosure control", control),
        ("Workbench version", __version__),
    ]
    body = "".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in rows
    )
    warning = (
        '<p class="warning"><strong>Disclosure control is OFF.</strong> This report is for '
        "internal use only: it may show small numbers that could identify people. Do not "
        "share it.</p>"
        if not disclosure_control
        else ""
    )
    return (
        f"<h1>{html.escape(title)}</h1>{warning}{key_messages_html(key_messages or [])}"
        '<section class="about"><h2 id="about-this-report">About this report</h2>'
        f'<table class="front-page">{body}</table>'
        f'<p>How every number is defined: <a href="{html.escape(measures_href)}">measure '
        f'definitions</a> (measures.md) and the <a href="{html.escape(methodology_href)}">'
        "methodology</a>, and the definitions used in this report at its end. Synthetic data "
        "only unless the data extract says otherwise.</p></section>"
    )
