"""Key messages: the headline numbers of each report, rated in words by their intervals."""

import pytest

from workbench.reports.key_messages import (
    KeyMessage,
    against_england,
    against_standard,
    key_messages,
    key_messages_html,
)


@pytest.mark.parametrize(
    ("value", "lower", "upper", "words"),
    [
        (81.0, 77.7, 83.9, "Above the 70% ambition"),
        (60.0, 52.0, 68.0, "Below the 70% ambition"),
        (75.9, 68.3, 82.1, "Not clearly different from the 70% ambition"),
        (None, None, None, "Not rated (too few records)"),
    ],
)
def test_a_percentage_is_rated_against_a_standard_by_its_interval(value, lower, upper, words):
    assert against_standard(value, lower, upper, 70, "ambition") == words


def test_a_percentage_is_rated_against_england_only_when_england_is_outside_its_interval():
    assert against_england(30.6, 27.0, 34.4, 30.6) == "Similar to England (England 30.6%)"
    assert against_england(40.0, 35.0, 45.0, 30.6) == "Higher than England (England 30.6%)"
    assert against_england(20.0, 15.0, 25.0, 30.6) == "Lower than England (England 30.6%)"
    assert against_england(None, None, None, 30.6) == ""


def test_the_box_shows_value_interval_and_rating_and_escapes_text():
    box = key_messages_html([KeyMessage("A <b>", "75.9%", "95% CI 68.3% to 82.1%", "Good")])
    assert "A &lt;b&gt;" in box and '<strong class="value">75.9%</strong>' in box
    assert "(95% CI 68.3% to 82.1%)" in box and '<span class="rating">Good</span>' in box
    assert key_messages_html([]) == ""


def test_every_report_has_its_key_messages_and_england_is_not_rated_against_itself(
    sample_aggregates,
):
    from workbench.reports.data import ReportData

    england = ReportData.open(sample_aggregates, "england")
    london = ReportData.open(sample_aggregates, "region", "Y56")
    for report in ("urgent_response", "waits", "data_quality", "outcomes"):
        assert 2 <= len(key_messages(london, report)) <= 5, report
        assert not any("England" in m.rating for m in key_messages(england, report)), report
    waits = {m.label: m for m in key_messages(london, "waits")}
    assert "than England" in waits["Waiting over 18 weeks"].rating or (
        waits["Waiting over 18 weeks"].rating.startswith("Similar to England")
    )
    assert any(label.startswith("Children and young people") for label in waits)
    with pytest.raises(KeyError, match="no key messages for report"):
        key_messages(london, "explore")


def test_the_childrens_long_waits_message_is_the_childrens_services_table(sample_aggregates):
    """The key message and the children's services table show one number: the CYP service
    lines added, then controlled (not the 0-18 age group, which counts other lines too)."""
    from workbench.breakdowns import CYP_SERVICE
    from workbench.reports import narrative as say
    from workbench.reports.data import ReportData
    from workbench.reports.services import service_long_waits

    for level, code in (("england", None), ("region", "Y56")):
        data = ReportData.open(sample_aggregates, level, code)
        messages = {m.label: m for m in key_messages(data, "waits")}
        table = service_long_waits(data)
        cyp = table[table["service"] == CYP_SERVICE].iloc[0]
        message = messages["Children and young people's services: waiting over 52 weeks"]
        assert message.value == say.count_text(cyp["over_52_weeks"]), level


def test_key_messages_and_sections_follow_the_reports_disclosure_control(sample_aggregates):
    """A report made without disclosure control says so once, when its data are opened: its
    key messages and sections then show exact counts, and England's figures it is rated against
    are read the same way."""
    from workbench.reports import narrative as say
    from workbench.reports.data import ReportData
    from workbench.reports.sections import waits as section

    exact = ReportData.open(sample_aggregates, "region", "Y56", disclosure_control=False)
    controlled = ReportData.open(sample_aggregates, "region", "Y56")
    assert exact.seen_from("england").disclosure_control is False
    assert controlled.seen_from("england").disclosure_control is True
    waiting = int(exact.table("waiting_list")["waiting"].iloc[0])
    assert waiting % 5  # the sample holds a count that rounding changes
    label = "Waiting at the census date"
    assert {m.label: m for m in key_messages(exact, "waits")}[label].value == say.count_text(
        waiting
    )
    assert {m.label: m for m in key_messages(controlled, "waits")}[label].value != (
        say.count_text(waiting)
    )
    assert f"{say.count_text(waiting)} referrals of people resident in" in section.summary(exact)[0]
