"""Tables a screen reader can read (publish/accessible.py)."""

from workbench.publish.accessible import accessible_tables


def test_headers_are_scoped_and_an_anonymous_table_takes_its_heading_as_caption():
    html = (
        "<h2>Waits &amp; lists</h2><p>x</p>"
        "<table><thead><tr><th>Month</th><th>Waiting</th></tr></thead>"
        "<tbody><tr><th>2025-04</th><td>5</td></tr></tbody></table>"
        "<table><tr><th>Organisation</th><td>England</td></tr></table>"
    )
    out = accessible_tables(html)
    assert '<th scope="col">Month</th><th scope="col">Waiting</th>' in out
    assert '<th scope="row">2025-04</th>' in out and '<th scope="row">Organisation</th>' in out
    assert out.count("<caption>Waits &amp; lists</caption>") == 2


def test_a_table_keeps_its_own_caption_and_scopes_and_one_with_no_heading_is_named():
    own = '<table><caption>Mine</caption><thead><tr><th scope="row">a</th></tr></thead></table>'
    assert accessible_tables(own) == own
    assert "<caption>Table</caption>" in accessible_tables("<table><tr><td>1</td></tr></table>")
