"""The extract specification is consistent with itself, the reference data and its document."""

import re
from pathlib import Path

from workbench import reference
from workbench.spec import REFERENCE_VALUE_SETS, TABLES, VALUE_SETS
from workbench.spec.clinical_areas import clinical_area
from workbench.spec.document import specification_markdown
from workbench.spec.service_lines import TEAM_TYPE, UCR_TEAM_TYPE, is_cyp_service_line

ROOT = Path(__file__).resolve().parents[2]


def test_every_value_set_named_by_a_column_exists():
    for table in TABLES.values():
        for col in table.columns:
            if col.value_set:
                assert col.value_set in VALUE_SETS or col.value_set in REFERENCE_VALUE_SETS, (
                    table.name,
                    col.name,
                )
            if col.pattern:
                re.compile(col.pattern)


def test_keys_parents_and_mandatory_columns_are_columns_of_their_tables():
    for table in TABLES.values():
        names = set(table.column_names)
        assert set(table.key) <= names
        assert set(table.key) <= set(table.mandatory), table.name
        assert "provider_code" in names
        if table.parent:
            assert list(TABLES).index(table.parent.table) < list(TABLES).index(table.name)
            assert set(table.parent.columns) <= names
            assert tuple(table.parent.columns) == TABLES[table.parent.table].key


def test_default_codes_are_valid_codes():
    for vs in VALUE_SETS.values():
        assert set(vs.defaults) <= set(vs.codes), vs.name
        assert set(vs.known) | set(vs.defaults) == set(vs.codes)


def test_ethnicity_known_and_default_codes_follow_measures_section_2():
    vs = VALUE_SETS["ethnic_category"]
    assert sorted(vs.known) == sorted("ABCDEFGHJKLMNPRS")
    assert vs.defaults == ("Z", "99")


def test_service_lines_are_the_30_adult_and_17_cyp_lines():
    codes = list(TEAM_TYPE.codes)
    assert sum(not is_cyp_service_line(c) for c in codes) == 30
    assert sum(is_cyp_service_line(c) for c in codes) == 17
    assert "Urgent community response" in TEAM_TYPE.codes[UCR_TEAM_TYPE]


def test_clinical_areas():
    assert clinical_area("ICD10", "J44.1", cyp=False) == "Chronic respiratory disease"
    assert clinical_area("ICD10", "J45", cyp=True) == "Asthma"
    assert clinical_area("ICD10", "M54", cyp=False) is None
    assert clinical_area("SNOMED", "38341003", cyp=False) == "Hypertension"
    assert clinical_area("SNOMED", "38341003", cyp=True) is None


def test_lsoa_value_sets_are_the_shipped_lookups():
    assert len(reference.lsoa11_to_icb()) == 32_844
    assert len(reference.lsoa21_to_icb()) == 33_755


def test_the_committed_spec_document_is_up_to_date():
    committed = (ROOT / "docs" / "extract_spec.md").read_text(encoding="utf-8")
    assert committed == specification_markdown(), "run: workbench spec > docs/extract_spec.md"
