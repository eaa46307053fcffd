"""The adult social care Client Level Data (CLD) specification and the council lookup."""

import re

import numpy as np
import pytest

from workbench.reference.councils import COUNTIES, DISTRICT_COUNCIL, lsoa11_councils
from workbench.spec import CLD_TABLES, CLD_VALUE_SETS, REFERENCE_VALUE_SETS, TABLES, VALUE_SETS
from workbench.spec.cld import CLD_EVENTS, EVENT_TYPE_COLUMNS, LA_CODE, OPEN_EVENT_TYPES, PSEUDONYM
from workbench.spec.document import specification_markdown
from workbench.synthetic.ids import person_ids


def test_cld_key_is_council_and_event_reference_and_both_are_mandatory():
    assert CLD_EVENTS.key == ("la_code", "event_reference")
    assert set(CLD_EVENTS.key) <= set(CLD_EVENTS.mandatory)
    assert set(CLD_EVENTS.mandatory) == {"la_code", "event_type", "event_reference"}


def test_every_cld_value_set_exists_and_every_pattern_compiles():
    for col in CLD_EVENTS.columns:
        if col.value_set:
            assert col.value_set in CLD_VALUE_SETS or col.value_set in REFERENCE_VALUE_SETS
        if col.pattern:
            re.compile(col.pattern)
    named = {c.value_set for c in CLD_EVENTS.columns if c.value_set}
    assert set(CLD_VALUE_SETS) <= named, "a CLD value set no column uses"


def test_cld_names_do_not_clash_with_the_community_extract():
    assert not set(CLD_TABLES) & set(TABLES)
    assert not set(CLD_VALUE_SETS) & set(VALUE_SETS)


def test_the_person_is_a_pseudonym_never_an_nhs_number():
    person = CLD_EVENTS.column("person_id")
    assert not person.is_mandatory  # missing when no NHS number was traced
    assert re.fullmatch(PSEUDONYM, person_ids(3, np.arange(1))[0])
    assert not re.fullmatch(PSEUDONYM, "9434765919")
    names = set(CLD_EVENTS.column_names)
    assert not {"nhs_number", "date_of_birth", "postcode"} & names
    assert {"birth_year", "birth_month"} <= names


def test_the_issue_columns_are_all_there():
    wanted = {
        "la_code",
        "person_id",
        "event_type",
        "event_reference",
        "event_start_date",
        "event_end_date",
        "event_outcome",
        "request_route_of_access",
        "assessment_type",
        "service_type",
        "service_component",
        "delivery_mechanism",
        "primary_support_reason",
        "client_type",
        "birth_year",
        "birth_month",
        "gender",
        "ethnicity",
        "lsoa_2011",
        "date_of_death",
        "unit_cost",
        "cost_frequency",
    }
    assert wanted <= set(CLD_EVENTS.column_names)


def test_release_2_lists_have_their_published_lengths():
    assert list(CLD_VALUE_SETS["cld_event_type"].codes) == [
        "Request",
        "Assessment",
        "Service",
        "Review",
    ]
    assert len(CLD_VALUE_SETS["cld_event_outcome"].codes) == 17
    assert len(CLD_VALUE_SETS["cld_service_type"].codes) == 9
    assert "Short term support: ST-Max" in CLD_VALUE_SETS["cld_service_type"].codes
    assert "Reablement" in CLD_VALUE_SETS["cld_service_component"].codes
    ethnicity = CLD_VALUE_SETS["cld_ethnicity"]
    assert len(ethnicity.known) == 19  # the 2021 census groups
    assert set(ethnicity.defaults) == {"No data: Refused", "No data: Undeclared or not known"}
    for vs in CLD_VALUE_SETS.values():
        assert set(vs.defaults) <= set(vs.codes), vs.name
        assert vs.source, vs.name


def test_only_services_may_be_open_and_type_columns_are_columns():
    assert OPEN_EVENT_TYPES == ("Service",)
    assert not CLD_EVENTS.column("event_end_date").is_mandatory
    assert set(EVENT_TYPE_COLUMNS) == set(CLD_VALUE_SETS["cld_event_type"].codes)
    for columns in EVENT_TYPE_COLUMNS.values():
        assert set(columns) <= set(CLD_EVENTS.column_names)


def test_the_spec_document_prints_cld():
    text = specification_markdown()
    assert "# Adult Social Care Client Level Data (CLD)" in text
    assert "## `cld_events`" in text
    assert "### `cld_event_outcome`" in text
    assert "`^E(06\\|08\\|09\\|10)[0-9]{6}$`" in text  # a pipe in a pattern is escaped


def test_every_lsoa_has_one_of_the_153_councils():
    councils = lsoa11_councils()
    assert councils["la_code"].notna().all()
    assert councils["la_code"].str.fullmatch(LA_CODE).all()
    # DOMAIN.md: CLD comes from all 153 councils with social services responsibilities.
    assert councils["la_code"].nunique() == 153
    assert set(DISTRICT_COUNCIL.values()) == set(COUNTIES)


@pytest.mark.parametrize(
    ("district", "council"),
    [("Canterbury", "E10000016"), ("Harrogate", "E06000065"), ("Norwich", "E10000020")],
)
def test_shire_districts_belong_to_their_county_or_new_unitary(district, council):
    assert DISTRICT_COUNCIL[district] == council
