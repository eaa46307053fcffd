"""The index grid links the reports of batches in its sub-folders (publish/grid.py, index.py)."""

import json

from workbench.publish.grid import grid_rows, nested_records
from workbench.publish.index import refresh_parent_index


def _record(level, code):
    return {
        "notebook": "waits",
        "level": level,
        "org_code": code,
        "status": "ok",
        "outputs": {"html": f"{level}/{code}/waits.html"},
        "spreadsheet": f"{level}/{code}/waits.xlsx",
    }


def test_rows_are_england_the_regions_then_every_icb_under_its_region():
    rows = grid_rows()
    assert rows[0][:2] == ("england", "ENG") and len(rows) == 1 + 7 + 42
    groups = [group for _, _, group in rows if group]
    assert len(groups) == 7 and all(g.startswith("ICBs in ") for g in groups)


def test_an_icb_batch_below_is_linked_from_the_index_above(tmp_path):
    (tmp_path / "manifest.json").write_text(json.dumps({"reports": [_record("england", "ENG")]}))
    icbs = tmp_path / "all_icbs"
    icbs.mkdir()
    failed = {**_record("icb", "QWE"), "status": "failed"}
    (icbs / "manifest.json").write_text(json.dumps({"reports": [_record("icb", "QKK"), failed]}))
    found = nested_records(tmp_path)
    assert [r["org_code"] for r in found] == ["QKK"]
    assert found[0]["outputs"] == {"html": "all_icbs/icb/QKK/waits.html"}
    index = refresh_parent_index(icbs)
    page = index.read_text(encoding="utf-8")
    assert 'href="all_icbs/icb/QKK/waits.html"' in page and 'href="england/ENG/waits.html"' in page
    assert 'href="all_icbs/icb/QWE/waits.html"' not in page
    assert refresh_parent_index(tmp_path / "nowhere" / "x") is None
