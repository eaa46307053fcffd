"""Making rendered HTML self-contained and script-free, whatever a notebook output holds.

Removed: every ``<script>`` element (with its content), ``<noscript>``, ``<iframe>``,
``<object>``, ``<embed>``, ``<template>``, every ``<style>`` element (the page's only stylesheet
is the workbench's own, which :func:`workbench.publish.page.html_page` adds after this runs),
SVG animation elements that can rewrite a link (``<set>``, ``<animate>``), ``<base>``, ``<meta>``,
``<link>`` elements, and ``on*`` event attributes.

URLs: before its scheme is checked, a URL has its character references decoded (``&#9;``,
``&colon;``) and every white space and control character (U+0000 to U+0020, U+007F to U+009F)
removed, as a browser does, so ``java&#9;script:`` is seen as ``javascript:``. A URL attribute
(``href``, ``src``, ``action``, ``formaction``, ``srcset``, ``poster``, ``background``, ``data``,
``cite``, ``ping``, ``xlink:href``) is kept only when it is relative (``methods.html``,
``#section``) or, for an image, an embedded ``data:image/...`` picture; any other scheme
(``javascript:``, ``vbscript:``, ``data:text/html``, ``http(s):``, ``//host``) drops the
attribute, so an absolute link is kept as text without the link. CSS ``@import`` and
``url(http...)`` are removed from ``style`` attributes. The page's Content-Security-Policy
(:data:`workbench.publish.page.CONTENT_SECURITY_POLICY`) is the second line of defence.
"""

from __future__ import annotations

import re
from html import escape, unescape
from html.parser import HTMLParser

DROP_WITH_CONTENT = {
    "script",
    "noscript",
    "iframe",
    "object",
    "embed",
    "template",
    "style",
    "set",
    "animate",
    "animatemotion",
    "animatetransform",
}
DROP_TAG = {"base", "link", "meta"}
VOID = {"area", "br", "col", "hr", "img", "input", "param", "source", "track", "wbr"} | DROP_TAG
RESOURCE_ATTRS = {"src", "srcset", "data", "poster", "background", "xlink:href", "action"}
URL_ATTRS = RESOURCE_ATTRS | {"href", "formaction", "cite", "ping", "lowsrc", "dynsrc"}
_REMOTE = re.compile(r"^\s*(https?:|//|ftp:|file:)", re.IGNORECASE)
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f\s]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_EMBEDDED_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp|svg\+xml)[;,]", re.IGNORECASE)


def url_as_browser_reads_it(url: str) -> str:
    """``url`` with character references decoded and white space and control characters
    removed: what a browser acts on, and so what the scheme check must look at."""
    return _IGNORED_IN_URL.sub("", unescape(url or ""))


def safe_url(url: str, image: bool = False) -> bool:
    """Whether ``url`` may stay: relative, a fragment, or (``image``) an embedded picture."""
    seen = url_as_browser_reads_it(url)
    if seen.startswith(("//", "\\\\", "/\\", "\\/")):
        return False  # another machine, however the slashes lean
    if _SCHEME.match(seen):
        return image and bool(_EMBEDDED_IMAGE.match(seen))
    return True


_CSS_REMOTE = re.compile(r"@import[^;]*;?|url\(\s*['\"]?\s*(https?:|//)[^)]*\)", re.IGNORECASE)


def is_remote(url: str) -> bool:
    """True when ``url`` points at another machine (http, https, ftp, file or ``//host``)."""
    return bool(_REMOTE.match(url_as_browser_reads_it(url)))


def _clean_css(text: str) -> str:
    return _CSS_REMOTE.sub("", text)


class _Cleaner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.skip_depth = 0  # inside an element dropped with its content
        self.skip_tag: str | None = None
        self.open_links = 0  # <a> tags whose href was removed (closing tags kept; harmless)

    def _attrs(self, tag: str, attrs: list[tuple[str, str | None]]) -> str:
        kept = []
        for name, value in attrs:
            name = name.lower()
            value = value or ""
            if name.startswith("on"):
                continue
            if name in {"data", "action", "formaction", "ping", "srcset"}:
                continue  # nothing a report needs; each can load or send
            if name in URL_ATTRS and not safe_url(value, image=tag in {"img", "image"}):
                continue
            if name == "style":
                value = _clean_css(value)
            kept.append(f' {name}="{escape(value, quote=True)}"' if value else f" {name}")
        return "".join(kept)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        tag = tag.lower()
        if self.skip_depth:
            if tag == self.skip_tag and not closed:
                self.skip_depth += 1
            return
        if tag in DROP_WITH_CONTENT:
            if not closed:
                self.skip_depth, self.skip_tag = 1, tag
            return
        if tag in DROP_TAG:
            return
        if tag == "img" and not any(
            n.lower() == "src" and safe_url(v or "", image=True) for n, v in attrs
        ):
            return  # an image from elsewhere: left out rather than loaded
        self.out.append(f"<{tag}{self._attrs(tag, attrs)}{' /' if closed else ''}>")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if self.skip_depth:
            if tag == self.skip_tag:
                self.skip_depth -= 1
                if not self.skip_depth:
                    self.skip_tag = None
            return
        if tag in DROP_WITH_CONTENT or tag in VOID:
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        if not self.skip_depth:
            self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        if not self.skip_depth:
            self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        pass  # comments can hide conditional includes; none are needed

    def handle_decl(self, decl: str) -> None:
        if not self.skip_depth:
            self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        pass

    def unknown_decl(self, data: str) -> None:
        if not self.skip_depth and data.upper().startswith("CDATA["):
            self.out.append(escape(data[6:]))


def self_contained(html: str) -> str:
    """``html`` without scripts, event handlers or anything loaded from another machine."""
    cleaner = _Cleaner()
    cleaner.feed(html)
    cleaner.close()
    return "".join(cleaner.out)
