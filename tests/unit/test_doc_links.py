"""Every relative link in the project's documents points at a file that exists.

Checked: Markdown links and images (``[text](path)``, ``![alt](path)``), resolved from the
document's own folder, and repository paths written in inline code (```docs/pdf.md```,
```src/workbench/store.py```), resolved from the repository root. An anchor (``#...``) must name a
heading of the Markdown file it points into. Web links, and paths to outputs the workbench makes
(listed in ``MADE_NOT_COMMITTED``), are not checked. Fenced code blocks are skipped: they show
commands and their output, not links.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest


def _root() -> Path:
    """The repository root: the nearest folder above this file holding pyproject.toml."""
    for folder in Path(__file__).resolve().parents:
        if (folder / "pyproject.toml").is_file():
            return folder
    raise RuntimeError("no pyproject.toml above tests/: run the tests from a checkout")


ROOT = _root()

DOCUMENTS = sorted(
    [
        ROOT / "README.md",
        *(ROOT / "docs").glob("*.md"),
        *(ROOT / "src/workbench/docs").glob("*.md"),
        ROOT / "data/synthetic/README.md",
        ROOT / "reports/README.md",
    ]
)

# Paths the documents name that the workbench writes when it runs (gitignored, never committed):
# the store and its feedback folder, the aggregates, the report-scale extract, a batch's index.
MADE_NOT_COMMITTED = (
    "data/store",
    "data/aggregates",
    "data/synthetic/report",
    "reports/index.html",
)

FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
# [text](target "title") or ![alt](<target>); link text may hold one level of [brackets].
MARKDOWN_LINK = re.compile(
    r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]"  # the text
    r"\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)"  # (target "optional title")
)
CODE_SPAN = re.compile(r"`([^`\n]+)`")
REPO_PATH = re.compile(r"(?:docs|src|tests|benchmarks|notebooks|data|reports)/[A-Za-z0-9_./-]*")
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def _prose(document: Path) -> str:
    """The document's text without its fenced code blocks."""
    return FENCE.sub("", document.read_text(encoding="utf-8"))


def markdown_targets(text: str) -> list[str]:
    """The targets of the Markdown links and images in ``text`` that are not web links."""
    return [t for t in MARKDOWN_LINK.findall(text) if not SCHEME.match(t)]


def code_paths(text: str) -> list[str]:
    """Repository paths written whole in inline code, such as ```docs/pdf.md```.

    A span counts only when it is nothing but a path (no spaces, placeholders or wildcards);
    a pytest node id keeps its file (``tests/x.py::test_y`` is ``tests/x.py``).
    """
    paths = []
    for span in CODE_SPAN.findall(text):
        path = span.split("::")[0]
        if REPO_PATH.fullmatch(path) and not path.startswith(MADE_NOT_COMMITTED):
            paths.append(path)
    return paths


def heading_anchors(document: Path) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown file (lower case, punctuation
    dropped, spaces as hyphens, a repeated heading numbered ``-1``, ``-2``...)."""
    anchors: set[str] = set()
    for line in _prose(document).splitlines():
        match = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not match:
            continue
        slug = re.sub(r"[^\w\- ]", "", match.group(1).lower()).replace(" ", "-")
        anchor, n = slug, 0
        while anchor in anchors:
            n += 1
            anchor = f"{slug}-{n}"
        anchors.add(anchor)
    return anchors


def broken_links(document: Path) -> list[str]:
    """Every relative link or repository path in ``document`` that does not resolve."""
    text = _prose(document)
    broken = []
    for target in markdown_targets(text):
        path, _, anchor = target.partition("#")
        resolved = (document.parent / path).resolve() if path else document
        if not resolved.exists():
            broken.append(f"[..]({target}): no such file")
        elif anchor and resolved.suffix == ".md" and anchor not in heading_anchors(resolved):
            broken.append(f"[..]({target}): no heading #{anchor} in {resolved.name}")
    for path in code_paths(text):
        if not (ROOT / path).exists():
            broken.append(f"`{path}`: no such file in the repository")
    return broken


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(document: Path) -> None:
    assert document.is_file(), f"{document.relative_to(ROOT)} is missing"
    broken = broken_links(document)
    assert not broken, f"{document.relative_to(ROOT)}:\n" + "\n".join(broken)


def test_the_checker_finds_a_broken_link_a_missing_anchor_and_a_stale_path(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    (tmp_path / "there.md").write_text("# A heading (2 December 2026)\n", encoding="utf-8")
    page.write_text(
        "[ok](there.md#a-heading-2-december-2026) [web](https://example.org/x)\n"
        "![gone](missing.png) [bad anchor](there.md#nowhere)\n"
        "`docs/no_such_page.md` `reports/index.html` `tests/no_such_test.py::test_x`\n"
        "```sh\nworkbench ingest [x](in_a_code_block.md)\n```\n",
        encoding="utf-8",
    )
    found = broken_links(page)
    assert len(found) == 4, found
    assert any("missing.png" in f for f in found)
    assert any("#nowhere" in f for f in found)
    assert any("docs/no_such_page.md" in f for f in found)
    assert any("tests/no_such_test.py" in f for f in found)
