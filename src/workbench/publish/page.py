"""The project's own HTML page around a report or the batch index: one file, inline CSS, system
fonts, no scripts and nothing loaded from elsewhere. A clean NHS-like style: a blue header band,
a readable measure, styled tables, centred figures."""

from __future__ import annotations

from html import escape

NHS_BLUE = "#005eb8"
#: Every page's policy: nothing runs, nothing is loaded from anywhere; only the inline
#: stylesheet and embedded (``data:``) pictures and fonts are used. Links still work.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'none'; object-src 'none'; img-src data:; "
    "style-src 'unsafe-inline'; font-src data:; base-uri 'none'; form-action 'none'"
)

CSS = f"""
:root {{ --blue: {NHS_BLUE}; --dark: #212b32; --grey: #4c6272; --pale: #f0f4f5;
  --border: #d8dde0; --red: #d5281b; --green: #007f3b; }}
* {{ box-sizing: border-box; }}
html {{ background: var(--pale); }}
body {{ margin: 0; color: var(--dark); line-height: 1.5; font-size: 16px;
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue",
  Arial, sans-serif; }}
header.page {{ background: var(--blue); color: #fff; padding: 1.2rem 1rem; }}
header.page .inner, main, footer.page {{ max-width: 1000px; margin: 0 auto; }}
header.page h1 {{ margin: 0; font-size: 1.8rem; line-height: 1.2; }}
header.page p {{ margin: .3rem 0 0; opacity: .95; }}
main {{ background: #fff; padding: 1.5rem 2rem 2rem; }}
footer.page {{ padding: 1rem 2rem 2rem; color: var(--grey); font-size: .85rem; }}
h1, h2, h3, h4 {{ line-height: 1.25; margin: 1.6rem 0 .6rem; }}
h2 {{ font-size: 1.5rem; border-bottom: 2px solid var(--blue); padding-bottom: .2rem; }}
h3 {{ font-size: 1.2rem; }}
a {{ color: var(--blue); }}
a.anchor-link {{ visibility: hidden; text-decoration: none; margin-left: .3rem; }}
h1:hover a.anchor-link, h2:hover a.anchor-link, h3:hover a.anchor-link {{ visibility: visible; }}
p, li {{ max-width: 46rem; }}
table {{ border-collapse: collapse; margin: 1rem 0; font-size: .9rem;
  font-variant-numeric: tabular-nums; }}
th, td {{ border-bottom: 1px solid var(--border); padding: .35rem .7rem; text-align: left;
  vertical-align: top; }}
thead th {{ border-bottom: 2px solid var(--dark); }}
caption {{ caption-side: top; text-align: left; font-weight: 600; padding: .2rem 0 .4rem; }}
tbody tr:nth-child(even) {{ background: #f8fafb; }}
td.num, .dataframe td {{ text-align: right; }}
img, svg {{ display: block; max-width: 100%; height: auto; margin: 1rem auto; }}
pre {{ white-space: pre-wrap; font-size: .85rem; background: var(--pale); padding: .6rem;
  border-radius: 3px; overflow-x: auto; }}
.jp-OutputArea-output, .output_area {{ overflow-x: auto; }}
.jp-InputArea, .jp-InputPrompt, .jp-OutputPrompt, .input, .prompt {{ display: none; }}
.status-ok, .status-skipped {{ color: var(--green); font-weight: 600; }}
.status-failed {{ color: var(--red); font-weight: 600; }}
.note {{ border-left: 6px solid var(--blue); background: var(--pale); padding: .6rem 1rem; }}
.failure {{ border-left: 6px solid var(--red); background: #fdf1f0; padding: .6rem 1rem;
  margin: .8rem 0; }}
header.page .organisation {{ margin: 0 0 .2rem; font-size: 1.3rem; font-weight: 600;
  opacity: 1; }}
.key-messages {{ border: 2px solid var(--blue); border-left-width: 8px; background: var(--pale);
  padding: .4rem 1.2rem .8rem; margin: 0 0 1.2rem; }}
.key-messages h2 {{ margin-top: .6rem; border: 0; font-size: 1.3rem; }}
.key-messages ul {{ margin: 0; padding-left: 1.2rem; }}
.key-messages li {{ margin: .3rem 0; max-width: none; }}
.key-messages .value {{ font-size: 1.15rem; }}
.key-messages .interval {{ color: var(--grey); }}
.key-messages .rating {{ display: inline-block; margin-left: .4rem; padding: 0 .4rem;
  border: 1px solid var(--grey); border-radius: 3px; font-size: .85rem; }}
nav.related ul {{ list-style: none; margin: 0 0 1rem; padding: .5rem 1rem;
  border: 1px solid var(--border); background: var(--pale); }}
nav.related li {{ margin: .15rem 0; max-width: none; }}
nav.contents h2 {{ font-size: 1.2rem; border: 0; margin-top: .4rem; }}
nav.contents ol {{ margin: 0; columns: 2; }}
table.index td, table.index th {{ font-size: .85rem; }}
table.index ul.headlines {{ margin: 0 0 .3rem; padding-left: 1rem; }}
table.index li {{ margin: 0 0 .2rem; }}
table.index .rating, table.index .code {{ color: var(--grey); }}
table.index .rating::before {{ content: "· "; }}
.grid-wrap {{ overflow-x: auto; }}
body:has(table.grid) header.page .inner, body:has(table.grid) main {{ max-width: 1400px; }}
table.grid {{ font-size: .8rem; }}
table.grid thead th {{ vertical-align: bottom; }}
table.grid .qualifier {{ font-weight: 400; color: var(--grey); }}
table.grid .files, table.grid .files a {{ color: var(--grey); font-size: .7rem; }}
table.grid caption {{ text-align: left; color: var(--grey); caption-side: top; padding: .3rem 0; }}
table.grid td {{ text-align: right; white-space: nowrap; }}
table.grid td:last-child, table.grid td.note-cell {{ text-align: left; }}
table.grid .interval {{ color: var(--grey); font-size: .75rem; }}
table.grid .rating {{ font-size: .75rem; white-space: normal; }}
table.grid .rating::before {{ content: none; }}
table.grid tr.region th, table.grid tr.england th {{ font-weight: 700; }}
table.grid tr.icb th {{ font-weight: 400; padding-left: 1.2rem; }}
table.grid tr.group th {{ background: var(--pale); color: var(--blue); padding-top: .6rem; }}
table.grid ul.reports {{ margin: 0; padding: 0; list-style: none; }}
table.grid ul.reports li {{ margin: 0; white-space: nowrap; }}
section.definitions h3 {{ font-size: 1.1rem; }}
dl.meta {{ display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }}
dl.meta dt {{ font-weight: 600; }}
dl.meta dd {{ margin: 0; }}
@page {{ size: A4 portrait; margin: 1.7cm 1.3cm 1.5cm;
  @top-left {{ content: string(organisation); font-size: 8pt; color: #4c6272;
    font-family: Arial, Helvetica, sans-serif; }}
  @top-right {{ content: string(title); font-size: 8pt; color: #4c6272;
    font-family: Arial, Helvetica, sans-serif; }}
  @bottom-right {{ content: "Page " counter(page) " of " counter(pages); font-size: 8pt;
    color: #4c6272; font-family: Arial, Helvetica, sans-serif; }} }}
@page :first {{ @top-left {{ content: none; }} @top-right {{ content: none; }} }}
@media print {{ html {{ background: #fff; }} body {{ font-size: 10pt; }}
  header.page {{ color: #000; background: #fff; border-bottom: 3px solid var(--blue);
    padding: 0 0 .4rem; }}
  main, footer.page {{ padding: 0; max-width: none; }}
  header.page .organisation {{ string-set: organisation content(); }}
  header.page h1 {{ string-set: title content(); }}
  h2, h3, h4 {{ break-after: avoid; break-inside: avoid; }}
  img, svg, tr, .key-messages, li, figure {{ break-inside: avoid; }}
  .text_cell, .jp-MarkdownCell {{ break-after: avoid; }}
  footer.page {{ break-before: avoid; font-size: 7pt; }}
  footer.page dl.meta {{ gap: 0 .6rem; }}
  table {{ font-size: 7.5pt; width: 100%; }} th, td {{ padding: .15rem .3rem; }}
  thead {{ display: table-header-group; }}
  nav.contents ol {{ columns: 2; }} a {{ color: inherit; }} }}
"""


def html_page(
    title: str, body: str, subtitle: str = "", footer: str = "", organisation: str | None = None
) -> str:
    """A complete HTML document: ``organisation`` (its name, when the page is for one),
    ``title`` and ``subtitle`` (text) in the header band, ``body`` and ``footer`` (HTML) below;
    the browser tab reads "title: organisation". Styled by the inline stylesheet :data:`CSS`,
    under the
    :data:`CONTENT_SECURITY_POLICY`. ``body`` and ``footer`` must already be sanitised
    (:func:`workbench.publish.sanitize.self_contained` drops every ``<style>``: this stylesheet
    is the only one)."""
    sub = f"<p>{escape(subtitle)}</p>" if subtitle else ""
    org = f'<p class="organisation">{escape(organisation)}</p>' if organisation else ""
    tab = f"{title}: {organisation}" if organisation else title
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(tab)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f'<header class="page"><div class="inner">{org}<h1>{escape(title)}</h1>{sub}</div>'
        "</header>\n"
        f"<main>\n{body}\n</main>\n"
        f'<footer class="page">{footer}</footer>\n</body>\n</html>\n'
    )
