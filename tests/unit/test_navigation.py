"""A report's way out: its spreadsheet, the index, the organisations above and below it, and
definition links that work wherever it is written (publish/navigation.py)."""

import re
from pathlib import Path

from workbench.publish.navigation import (
    absolute_links,
    definition_links,
    navigation_html,
    related,
)

FRONT = (
    '<p><a href="../../measures.html">measure definitions</a> and '
    '<a href="../../methodology.html#x">m</a></p>'
)


def _bundle(tmp_path: Path) -> Path:
    (tmp_path / "measures.html").write_text("m")
    out = tmp_path / "region" / "Y56"
    out.mkdir(parents=True)
    return out


def test_definition_links_point_at_the_bundle_or_the_embedded_definitions(tmp_path):
    out = _bundle(tmp_path)
    assert 'href="../../measures.html"' in definition_links(FRONT, out)
    deeper = tmp_path / "region" / "Y56"
    assert 'href="../../methodology.html#x"' in definition_links(FRONT, deeper)
    alone = tmp_path / "elsewhere" / "a" / "b" / "c"
    alone.mkdir(parents=True)
    assert definition_links(FRONT, alone).count('href="#definitions"') == 2


def test_a_region_links_england_its_icbs_its_spreadsheet_and_the_index(tmp_path):
    out = _bundle(tmp_path)
    england = tmp_path / "england" / "ENG"
    england.mkdir(parents=True)
    (england / "waits.html").write_text("x")
    nav = navigation_html(out, "waits", {"org_level": "region", "org_code": "Y56"}, True)
    assert 'href="waits.xlsx"' in nav and 'href="../../index.html"' in nav
    assert 'href="../../england/ENG/waits.html">England<' in nav  # written: linked directly
    assert re.search(r"index.html#icb-QKK\">[^<]*South East London", nav)  # not yet: grid row
    assert "Up:" in nav and "Organisations in this one:" in nav


def test_outside_a_bundle_only_the_spreadsheet_is_linked(tmp_path):
    nav = navigation_html(tmp_path, "waits", {"org_level": "england", "org_code": "ENG"}, True)
    assert 'href="waits.xlsx"' in nav and "index.html" not in nav
    assert navigation_html(tmp_path, "waits", {}, False) == ""


def test_england_is_above_every_icb_and_the_regions_below_england():
    above, below = related("icb", "QKK")
    assert above == [("england", "ENG"), ("region", "Y56")] and below == []
    assert len(related("england", "ENG")[1]) == 7
    assert ("icb", "QKK") in related("region", "Y56")[1]


def test_a_pdf_carries_absolute_links_and_keeps_anchors_and_addresses(tmp_path):
    page = '<a href="waits.xlsx">x</a><a href="#top">t</a><a href="https://e.org">e</a>'
    out = absolute_links(page, tmp_path)
    assert f'href="{(tmp_path / "waits.xlsx").resolve().as_uri()}"' in out
    assert 'href="#top"' in out and 'href="https://e.org"' in out
