"""A rendered report opens in a real browser with no console errors and its figures visible.

Needs Chromium (Debian's ``chromium`` package: ``.ci/run`` installs it) and the ``playwright``
Python package (a dev dependency), which drives the installed browser; no browser is
downloaded. Skipped, saying which is missing, otherwise.
"""

import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (apt-get install chromium)"),
    pytest.mark.skipif(sync_playwright is None, reason="playwright is not installed"),
]
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def test_report_opens_without_console_errors_and_shows_its_figures(sample_aggregates, tmp_path):
    from workbench.publish.render import render_notebook

    root = sample_aggregates.parents[0]
    result = render_notebook(
        __import__("pathlib").Path(__file__).resolve().parents[2]
        / "notebooks"
        / "urgent_response.ipynb",
        tmp_path,
        {
            "aggregates": str(sample_aggregates),
            "store": str(root / "store"),
            "org_level": "region",
            "org_code": "Y56",
        },
    )
    assert result.ok, result.error
    messages, failed_requests = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("console", lambda m: messages.append((m.type, m.text)))
        page.on("pageerror", lambda e: messages.append(("error", str(e))))
        page.on("requestfailed", lambda r: failed_requests.append(r.url))
        page.goto(result.html.as_uri())
        page.wait_for_load_state("load")
        images = page.eval_on_selector_all(
            "img",
            "imgs => imgs.map(i => ({w: i.naturalWidth, h: i.naturalHeight, "
            "shown: i.getBoundingClientRect().width > 100}))",
        )
        title = page.title()
        contents = page.eval_on_selector_all(
            "nav.contents a", "as => as.map(a => !!document.getElementById(a.hash.slice(1)))"
        )
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        browser.close()
    assert title == "Urgent community response report: London"
    assert len(contents) >= 5 and all(contents), contents  # every contents link has its target
    assert [m for m in messages if m[0] == "error"] == []
    assert failed_requests == []
    assert len(images) >= 3
    assert all(i["w"] > 0 and i["h"] > 0 and i["shown"] for i in images), images
