"""Making rendered HTML self-contained and script-free, whatever a notebook output holds.

Removed: every ``<script>`` element (with its content), ``<noscript>``, ``<iframe>``,
``<object>``, ``<embed>``, ``<base>``, stylesheets or other ``<link>`` elements that load a file,
``on*`` event attributes and ``javascript:`` URLs. Any attribute that would load a resource from
another machine (``src``, ``srcset``, ``data``, ``poster``, ``background``, ``href`` of
``<link>``/``<image>``/``<use>``, ``//host`` and ``http(s):`` URLs) is dropped; ordinary ``<a>``
links to other pages are kept only when they are relative (an absolute ``<a href="http...">`` is
kept as text without the link). CSS ``@import`` and ``url(http...)`` are removed from styles.
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

DROP_WITH_CONTENT = {"script", "noscript", "iframe", "object", "embed", "template"}
DROP_TAG = {"base", "link", "meta"}
VOID = {"area", "br", "col", "hr", "img", "input", "param", "source", "track", "wbr"} | DROP_TAG
RESOURCE_ATTRS = {"src", "srcset", "data", "poster", "background", "xlink:href", "action"}
_REMOTE = re.compile(r"^\s*(https?:|//|ftp:|file:)", re.IGNORECASE)
_SCRIPTED = re.compile(r"^\s*(javascript|vbscript):", re.IGNORECASE)
_CSS_REMOTE = re.compile(r"@import[^;]*;?|url\(\s*['\"]?\s*(https?:|//)[^)]*\)", re.IGNORECASE)


def is_remote(url: str) -> bool:
    """True when ``url`` points at another machine (http, https, ftp, file or ``//host``)."""
    return bool(_REMOTE.match(url or ""))


def _clean_css(text: str) -> str:
    return _CSS_REMOTE.sub("", text)


class _Cleaner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.skip_depth = 0  # inside an element dropped with its content
        self.skip_tag: str | None = None
        self.open_links = 0  # <a> tags whose href was removed (closing tags kept; harmless)
        self.in_style = False

    def _attrs(self, tag: str, attrs: list[tuple[str, str | None]]) -> str:
        kept = []
        for name, value in attrs:
            name = name.lower()
            value = value or ""
            if name.startswith("on") or _SCRIPTED.match(value):
                continue
            if name in RESOURCE_ATTRS and (is_remote(value) or name in {"data", "action"}):
                continue
            if name == "href" and is_remote(value):
                continue
            if name == "style":
                value = _clean_css(value)
            kept.append(f' {name}="{escape(value, quote=True)}"' if value else f" {name}")
        return "".join(kept)

    def _start(self, tag: str, attrs, closed: bool) -> None:
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
            n.lower() == "src" and not is_remote(v or "") for n, v in attrs
        ):
            return  # an image from elsewhere: left out rather than loaded
        self.in_style = tag == "style"
        self.out.append(f"<{tag}{self._attrs(tag, attrs)}{' /' if closed else ''}>")

    def handle_starttag(self, tag, attrs):
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag, attrs):
        self._start(tag, attrs, closed=True)

    def handle_endtag(self, tag):
        tag = tag.lower()
        if self.skip_depth:
            if tag == self.skip_tag:
                self.skip_depth -= 1
                if not self.skip_depth:
                    self.skip_tag = None
            return
        if tag in DROP_WITH_CONTENT or tag in VOID:
            return
        if tag == "style":
            self.in_style = False
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if not self.skip_depth:
            self.out.append(_clean_css(data) if self.in_style else data)

    def handle_entityref(self, name):
        if not self.skip_depth:
            self.out.append(f"&{name};")

    def handle_charref(self, name):
        if not self.skip_depth:
            self.out.append(f"&#{name};")

    def handle_comment(self, data):
        pass  # comments can hide conditional includes; none are needed

    def handle_decl(self, decl):
        if not self.skip_depth:
            self.out.append(f"<!{decl}>")

    def handle_pi(self, data):
        pass

    def unknown_decl(self, data):
        if not self.skip_depth and data.upper().startswith("CDATA["):
            self.out.append(escape(data[6:]))


def self_contained(html: str) -> str:
    """``html`` without scripts, event handlers or anything loaded from another machine."""
    cleaner = _Cleaner()
    cleaner.feed(html)
    cleaner.close()
    return "".join(cleaner.out)
