"""A PDF of a rendered report that a person would print: the report's own HTML page laid out by
WeasyPrint (from PyPI; it draws text with Pango, a system library present on ordinary Linux,
macOS and Windows installs) under the page's print stylesheet (:data:`workbench.publish.page.CSS`:
A4, page numbers, the organisation's name in the running header of every page, headings kept
with what follows, tables that fit the page, no ``¶`` links). The PDF is tagged (PDF/UA-1:
headings, tables and figures with their text alternatives are marked for screen readers).

Why WeasyPrint and not xhtml2pdf or a browser: see docs/pdf.md. Nothing is fetched: the page is
self-contained (embedded images, inline CSS) and any URL but ``data:`` is refused.
"""

from __future__ import annotations

import logging

from workbench.errors import WorkbenchError

#: The only kind of URL a self-contained page holds (embedded images): nothing is fetched.
ALLOWED_PROTOCOLS = ("data",)
#: The accessible, tagged PDF variant WeasyPrint writes (PDF/UA-1, ISO 14289-1).
PDF_VARIANT = "pdf/ua-1"


def html_to_pdf(html: str) -> bytes:
    """The tagged PDF (:data:`PDF_VARIANT`) of a self-contained HTML page (as
    :func:`workbench.publish.page.html_page` writes), printed with the page's ``@media print``
    rules. WorkbenchError if WeasyPrint or its
    system library (Pango) is missing, or the page cannot be laid out."""
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as err:  # OSError: Pango (a system library) is missing
        raise WorkbenchError(
            "PDF output needs WeasyPrint and the Pango library: pip install weasyprint, and on "
            "Debian or Ubuntu apt-get install libpango-1.0-0 libpangoft2-1.0-0 (or use --format "
            f"html); {type(err).__name__}: {err}"
        ) from None
    # CSS the print layout does not use (e.g. scrolling tables on screen) is not worth a warning
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    try:
        pdf = HTML(
            string=html, url_fetcher=URLFetcher(allowed_protocols=ALLOWED_PROTOCOLS)
        ).write_pdf(pdf_variant=PDF_VARIANT)
    except Exception as err:  # noqa: BLE001 - any layout failure is reported, never a traceback
        raise WorkbenchError(f"WeasyPrint could not lay the report out: {err}") from None
    if not pdf:
        raise WorkbenchError("WeasyPrint wrote an empty PDF")
    return bytes(pdf)
