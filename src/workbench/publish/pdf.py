"""A PDF of a rendered report without a browser: the report's HTML laid out by xhtml2pdf
(pure Python, on ReportLab). Embedded PNG figures and tables come through; the layout is
simpler than the HTML (xhtml2pdf supports a subset of CSS), so the HTML stays the main format."""

from __future__ import annotations

import io
import re

from workbench.errors import WorkbenchError

# xhtml2pdf understands little modern CSS; give it a small stylesheet of its own.
PDF_CSS = """
@page { size: a4 portrait; margin: 1.6cm; }
body { font-family: Helvetica; font-size: 9pt; color: #212b32; }
h1 { font-size: 16pt; color: #005eb8; } h2 { font-size: 13pt; color: #005eb8; }
h3 { font-size: 11pt; }
table { border: 0.5pt solid #d8dde0; padding: 2pt; }
th { background-color: #f0f4f5; font-weight: bold; }
img { zoom: 60%; }
pre { font-size: 7pt; }
header.page, footer.page { color: #4c6272; }
"""


def html_to_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML page (as :func:`workbench.publish.page.html_page`
    writes). WorkbenchError if xhtml2pdf is missing or cannot lay the page out."""
    try:
        from xhtml2pdf import pisa
    except ImportError:  # pragma: no cover - a declared dependency
        raise WorkbenchError(
            "PDF output needs xhtml2pdf: pip install xhtml2pdf (or use --format html)"
        ) from None
    simple = re.sub(
        r"<style>.*?</style>", f"<style>{PDF_CSS}</style>", html, count=1, flags=re.DOTALL
    )
    out = io.BytesIO()
    status = pisa.CreatePDF(simple, dest=out, encoding="utf-8")
    if status.err:
        raise WorkbenchError(f"xhtml2pdf could not lay the report out ({status.err} errors)")
    return out.getvalue()
