"""The rendered-page sanitiser reads URLs as a browser does, keeps no stylesheet but the
workbench's own, and every page carries a Content-Security-Policy that allows no script and no
remote load."""

import re

import pytest

from workbench.publish.page import CONTENT_SECURITY_POLICY, html_page
from workbench.publish.sanitize import safe_url, self_contained


@pytest.mark.parametrize(
    "href",
    [
        "java&#9;script:alert(1)",
        "java\tscript:alert(1)",
        "jav&#x0A;ascript:alert(1)",
        "&#106;avascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "java\x00script:alert(1)",
        "javascript&colon;alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "https://evil.example/",
        "//evil.example/",
        "\\\\evil.example/",
    ],
)
def test_scripted_and_remote_links_lose_their_href(href):
    clean = self_contained(f'<p><a href="{href}">click</a></p>')
    assert "href" not in clean and "click" in clean


@pytest.mark.parametrize("href", ["methods.html", "#waits", "../docs/methodology.md"])
def test_relative_links_are_kept(href):
    assert f'href="{href}"' in self_contained(f'<a href="{href}">m</a>')


def test_only_embedded_pictures_are_kept_as_images():
    assert safe_url("data:image/png;base64,AAAA", image=True)
    assert not safe_url("data:image/png;base64,AAAA")  # a link to a data: URL is not an image
    clean = self_contained(
        '<img src="data:image/png;base64,AAAA"><img src="java&#9;script:x">'
        '<img src="data:text/html,x"><img src="https://example.org/a.png">'
    )
    assert clean == '<img src="data:image/png;base64,AAAA">'


def test_style_elements_and_link_rewriting_animations_are_dropped():
    clean = self_contained(
        "<style>body { background: red }</style><p>kept</p>"
        '<svg><a href="#x"><set attributeName="href" to="javascript:alert(1)"/>'
        '<animate attributeName="href" values="javascript:alert(1)"/>t</a></svg>'
    )
    assert "<style" not in clean and "background" not in clean
    assert "javascript" not in clean and "<set" not in clean and "<animate" not in clean
    assert "<p>kept</p>" in clean


def test_every_page_carries_a_policy_allowing_no_script_and_no_remote_load():
    page = html_page("T", self_contained("<p>x</p>"))
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert meta and meta.group(1) == CONTENT_SECURITY_POLICY
    rules = dict(rule.strip().split(" ", 1) for rule in CONTENT_SECURITY_POLICY.split(";"))
    assert rules["default-src"] == "'none'" and rules["script-src"] == "'none'"
    assert rules["img-src"] == "data:" and "http" not in CONTENT_SECURITY_POLICY
    assert page.count("<style>") == 1  # the workbench's own stylesheet only
