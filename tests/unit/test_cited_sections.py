"""Every "measures.md section N" and "sources.md section N" cited in the package, its docs and
its notebooks exists in the shipped documents (src/workbench/docs/), so a reader can follow any
number to its definition. Old-style citations ("MEASURES.md", "DOMAIN.md") are checked the same
way until they are rewritten."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workbench.publish.methodology import shipped_markdown

ROOT = Path(__file__).resolve().parents[2]
SCANNED = [
    *sorted((ROOT / "src" / "workbench").rglob("*.py")),
    *sorted((ROOT / "src" / "workbench" / "docs").glob("*.md")),
    *sorted((ROOT / "notebooks").glob("*.ipynb")),
    *sorted((ROOT / "docs").glob("*.md")),
    ROOT / "README.md",
]
DOCUMENTS = {"measures": "measures.md", "sources": "sources.md"}
# "measures.md section 3", "MEASURES.md sections 2-5", "MEASURES.md 1-2", "sources.md 2a",
# "DOMAIN.md section 1.4", "sources.md open question 6", "(MEASURES.md section\n5"
CITATION = re.compile(
    r"\b(measures|sources|MEASURES|DOMAIN)\.md\b[,;]?[\s\"#]*(?:(?:sections?|§)\s*)?"
    r"(open questions?\s+\d+|\d+(?:\.\d+)?[a-z]?(?:\s*(?:-|–|and)\s*\d+)?)?",
)


def _document(kind: str) -> str:
    return "measures" if kind.lower() == "measures" else "sources"


def _sections(name: str) -> tuple[set[str], set[str]]:
    """The section numbers (``"2"``, ``"1.4"``, ``"2a"``) and open question numbers of a page."""
    text = shipped_markdown(DOCUMENTS[name])
    numbers = set(re.findall(r"^#{2,3} (\d+(?:\.\d+)?[a-z]?)\.? ", text, re.MULTILINE))
    questions = set(re.findall(r"^(\d+)\. ", text.split("## Open questions")[-1], re.MULTILINE))
    return numbers, questions if "## Open questions" in text else set()


def _citations() -> list[tuple[str, str, str]]:
    """(file, document, cited number) for every citation that names a section."""
    found = []
    for path in SCANNED:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".ipynb":
            text = text.replace("\\n", "\n")
        for match in CITATION.finditer(text):
            kind, cited = match.groups()
            if cited:
                found.append((str(path.relative_to(ROOT)), _document(kind), cited))
    return found


def _expand(cited: str) -> list[str]:
    if cited.startswith("open"):
        return ["q" + cited.split()[-1]]
    parts = re.split(r"\s*(?:-|–|and)\s*", cited)
    if len(parts) == 2 and ("-" in cited or "–" in cited):
        return [str(n) for n in range(int(parts[0]), int(parts[1]) + 1)]
    return parts


def test_the_scan_finds_the_citations_it_should():
    citations = _citations()
    assert len(citations) > 60  # the package cites its definitions throughout
    assert ("src/workbench/stats/wilson.py", "measures", "6") in citations
    assert any(doc == "sources" and number.startswith("open") for _, doc, number in citations)


@pytest.mark.parametrize("document", sorted(DOCUMENTS))
def test_every_cited_section_exists(document):
    numbers, questions = _sections(document)
    assert numbers, f"no numbered sections found in {DOCUMENTS[document]}"
    missing = []
    for path, cited_document, cited in _citations():
        if cited_document != document:
            continue
        for number in _expand(cited):
            exists = number[1:] in questions if number.startswith("q") else number in numbers
            if not exists:
                missing.append(f"{path}: {DOCUMENTS[document]} section {cited}")
    assert not missing, "\n".join(missing)


def test_ranges_and_open_questions_are_read_as_written():
    numbers, _ = _sections("measures")
    assert numbers == {"1", "2", "3", "4", "5", "6", "7", "8", "9"}  # "section 10" is reported
    assert _expand("2-5") == ["2", "3", "4", "5"]
    assert _expand("5 and 6") == ["5", "6"]
    assert _expand("open question 6") == ["q6"]
    sources, questions = _sections("sources")
    assert {"1.4", "2a", "2g", "3", "4"} <= sources and "6" in questions
