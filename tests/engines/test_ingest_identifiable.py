"""measures.md section 1: identifiable data is refused before anything is stored, naming the file
and column and printing no value: NHS numbers in every written form, full postcodes in any
spacing and any column, identifier-like column names and a first line that holds data."""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from submission_files import person, referral, write_submission
from workbench.cli import main
from workbench.errors import IdentifiableDataError
from workbench.identifiers import (
    count_birth_dates,
    count_identifiers,
    identifier_column_kind,
    passes_nhs_number_check,
)
from workbench.ingest import ingest
from workbench.spec import EXTRACT_TABLES, TABLES
from workbench.store_layout import LOCK, read_rows

VALID_NHS_NUMBER = "9434765919"  # a published test NHS number (check digit 9)
FAILING_NUMBER = "9434765918"  # the same with a wrong check digit: data, not an identifier
#: Every way a planted NHS number or postcode could show up in an output.
PLANTED = [
    VALID_NHS_NUMBER,
    "943 476 5919",
    "943-476-5919",
    "4765919",
    "4QR",
    "4AP",
    "4ap",
    "1AA",
]

NHS_FORMS = {
    "bare": VALID_NHS_NUMBER,
    "spaced 3-3-4": "943 476 5919",
    "dashed 3-3-4": "943-476-5919",
    "padded": "  9434765919 ",
    "local prefix": "RXA9434765919",
    "suffix": "9434765919X",
    "Excel apostrophe": "'9434765919",
    "Excel formula": '="9434765919"',
    "inside free text": "seen 943 476 5919 at home",
    "no-break spaces": "943\u00a0476\u00a05919",
    "en dashes": "943\u2013476\u20135919",
}


def test_nhs_number_modulus_11_check():
    digits = np.array(
        [
            [int(c) for c in n]
            for n in ["9434765919", "9434765918", "4010232137", "0000000000", "1234567890"]
        ]
    )
    assert passes_nhs_number_check(digits).tolist() == [True, False, True, True, False]


@pytest.mark.parametrize("form", NHS_FORMS)
def test_every_form_of_nhs_number_is_counted(form):
    values = pa.array(["2025-03-14", NHS_FORMS[form], None, "C000012839"])
    assert count_identifiers(values) == (1, 0)


@pytest.mark.parametrize(
    "value",
    [
        FAILING_NUMBER,
        "943 476 5918",
        "109434765919",  # 12 digits: one longer number
        "94347659190",
        "2025-03-14",
        "09:54:00",
        "C000012839",
        "E01000001",
        "M54.5",
        "LS1",
        "SE15",
        "G85001",
        "WB-MSKHQ",
        "1240751000000100",
        "PGBJBHFJPHMCHMGJK",
    ],
)
def test_values_that_are_not_identifiers(value):
    assert count_identifiers(pa.array([value, VALID_NHS_NUMBER[:5]])) == (0, 0)


def test_the_screen_never_passes_a_value_the_patterns_would_find():
    from workbench.identifiers import _ANY_IDENTIFIER, screen

    rng = np.random.default_rng(8)
    alphabet = list("0123456789 -_ABELSaeps.+'=\"\t/\u00a0")
    for _ in range(100):
        values = ["".join(rng.choice(alphabet, size=rng.integers(0, 24))) for _ in range(200)]
        values += ["28/02/2024", "2024-02-28", "943 476 5919", "l s1 4 a p", "x" * 45]
        text = pa.array(values, pa.string())
        shaped = pc.match_substring_regex(text, _ANY_IDENTIFIER).to_numpy(zero_copy_only=False)
        long_enough = pc.binary_length(text).to_numpy() >= 4  # shorter: next test
        assert not (shaped & long_enough & ~screen(text)).any()


def test_no_value_shorter_than_four_characters_holds_an_identifier():
    """The screen passes values under 4 bytes unread: every string of up to 3 digits, points,
    signs and ``e`` (the scientific-notation alphabet) holds no NHS number, while 4 can
    (``15e8`` is 1500000000, which passes the check)."""
    import itertools

    from workbench.identifiers import _nhs_number_rows

    values = [
        "".join(chars)
        for size in range(1, 4)
        for chars in itertools.product("0123456789e.+-", repeat=size)
    ]
    assert "9e9" in values and "1e9" in values
    assert not _nhs_number_rows(pa.array(values)).any()
    assert count_identifiers(pa.array(["15e8", "x"])) == (1, 0)


def test_numeric_columns_are_checked_through_their_text():
    assert count_identifiers(pa.array([int(VALID_NHS_NUMBER), 7], pa.int64())) == (1, 0)
    assert count_identifiers(pa.array([float(VALID_NHS_NUMBER), 7.5], pa.float64())) == (1, 0)
    assert count_identifiers(pa.array([int(FAILING_NUMBER)], pa.int64())) == (0, 0)


@pytest.mark.parametrize(
    "value", ["SE15 4QR", " LS1 4AP ", "LS1  4AP", "ls1 4ap", "LS14AP", "lives at SW1A 1AA."]
)
def test_full_postcodes_are_counted(value):
    assert count_identifiers(pa.array(["LS1", value, "E01000001"])) == (0, 1)


def test_the_committed_sample_holds_no_identifier(sample_values):
    """Every column of both extracts, the councils' CLD files included; CLD's year and month
    of birth hold no full date of birth."""
    assert {table for table, _ in sample_values} == set(EXTRACT_TABLES)
    for (table, column), values in sample_values.items():
        assert count_identifiers(values) == (0, 0), (table, column)
        part = EXTRACT_TABLES[table].column(column).birth_part
        assert part is None or count_birth_dates(values, part) == 0, (table, column)


@pytest.fixture(scope="module")
def sample_values():
    """Every column of every committed sample file, as text."""
    import pyarrow.csv as pacsv

    from workbench.ingest.discover import discover_submissions
    from workbench.paths import project_root

    columns: dict = {}
    for file in discover_submissions(project_root() / "data" / "synthetic" / "sample"):
        names = EXTRACT_TABLES[file.table].column_names
        table = pacsv.read_csv(
            file.path,
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string())),
        )
        for name in names:
            columns.setdefault((file.table, name), []).extend(table.column(name).chunks)
    return {key: pa.chunked_array(chunks, pa.string()) for key, chunks in columns.items()}


@pytest.mark.parametrize(
    "name,kind",
    [
        ("nhs_number", "NHS number"),
        ("NHSNumber", "NHS number"),
        ("NHS No", "NHS number"),
        ("patient_nhs_num", "NHS number"),
        ("postcode", "postcode"),
        ("Postcode_of_usual_address", "postcode"),
        ("postcode_sector", "postcode"),
        ("date_of_birth", "date of birth"),
        ("DOB", "date of birth"),
        ("patient_dob", "date of birth"),
        ("PatientDOB", "date of birth"),
        ("PersonBirthDate", "date of birth"),
        ("year_of_birth", "date of birth"),
        ("tel_no", "telephone number"),
        ("Telephone", "telephone number"),
        ("HomePhone", "telephone number"),
        ("mobile", "telephone number"),
        ("e_mail", "e-mail address"),
        ("EmailAddress", "e-mail address"),
        ("surname", "name"),
        ("Forename", "name"),
        ("name", "name"),
        ("patient_name", "name"),
        ("first_name", "name"),
        ("home_address", "address"),
        ("AddressLine1", "address"),
        ("postcode_district", None),
        ("provider_name", None),
        ("telehealth_flag", None),
    ],
)
def test_identifier_column_names(name, kind):
    assert identifier_column_kind(name) == kind


def test_no_column_of_the_specification_looks_like_an_identifier():
    """Every column of both extracts, but the year and month of birth CLD declares (which
    the header check lets through by name, in CLD only: tests/engines/test_ingest_cld.py)."""
    names = {
        col.name for table in EXTRACT_TABLES.values() for col in table.columns if not col.birth_part
    }
    assert "postcode_district" in names and "event_reference" in names
    assert {
        name: identifier_column_kind(name) for name in names if identifier_column_kind(name)
    } == {}
    declared = {c.name for t in EXTRACT_TABLES.values() for c in t.columns if c.birth_part}
    assert declared == {"birth_year", "birth_month"}


def _run(args, capsys):
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _refused(src, tmp_path, capsys, *phrases):
    code, said = _run(["ingest", str(src), "--out", str(tmp_path / "store"), "--quiet"], capsys)
    assert code == 3, said
    for phrase in phrases:
        assert phrase in said, said
    for planted in PLANTED:
        assert planted not in said, said
    store = tmp_path / "store"  # nothing written but the writer lock (store_lock.py)
    assert not store.exists() or [p.name for p in store.iterdir()] == [LOCK]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    return said


@pytest.mark.parametrize("form", NHS_FORMS)
def test_every_form_of_nhs_number_is_refused(tmp_path, capsys, form):
    rows = [person("P1"), person("P2", gp_practice_code=NHS_FORMS[form])]
    path = write_submission(tmp_path / "src", "mpi", "RXA", "20250201", rows)
    _refused(
        tmp_path / "src",
        tmp_path,
        capsys,
        str(path),
        "column 'gp_practice_code'",
        "1 row(s)",
        "NHS number check",
    )


@pytest.mark.parametrize("column", ["person_id", "gp_practice_code", "age_years"])
def test_nhs_numbers_in_any_column_are_refused(tmp_path, capsys, column):
    rows = [
        person("P1"),
        person("P2", **{column: VALID_NHS_NUMBER}),
        person("P3", **{column: "943 476 5919"}),
    ]
    path = write_submission(tmp_path / "src", "mpi", "RXA", "20250201", rows)
    said = _refused(tmp_path / "src", tmp_path, capsys, str(path), f"column {column!r}", "2 row(s)")
    assert "P2" not in said


def test_nhs_numbers_in_a_child_table_are_refused(tmp_path, capsys):
    write_submission(tmp_path / "src", "mpi", "RXA", "20250201", [person("P1")])
    path = write_submission(
        tmp_path / "src",
        "referrals",
        "RXA",
        "20250201",
        [referral("R1", "P1", referral_id="R-943-476-5919")],
    )
    _refused(tmp_path / "src", tmp_path, capsys, str(path), "column 'referral_id'")


def _parquet_mpi(folder, column, values):
    names = TABLES["mpi"].column_names
    rows = [person(f"P{i}") for i in range(len(values))]
    data = {n: pa.array([r.get(n) for r in rows], pa.string()) for n in names}
    data[column] = values
    path = folder / "RXA" / "mpi_RXA_20250201.parquet"
    path.parent.mkdir(parents=True)
    pq.write_table(pa.table(data), path)
    return path


@pytest.mark.parametrize("column", ["person_id", "age_years"])
@pytest.mark.parametrize(
    "values",
    [
        pa.array([70, int(VALID_NHS_NUMBER)], pa.int64()),
        pa.array([70.0, float(VALID_NHS_NUMBER)], pa.float64()),
    ],
    ids=["int64", "float64"],
)
def test_nhs_numbers_in_numeric_parquet_columns_are_refused(tmp_path, capsys, column, values):
    path = _parquet_mpi(tmp_path / "src", column, values)
    _refused(tmp_path / "src", tmp_path, capsys, str(path), f"column {column!r}", "1 row(s)")


@pytest.mark.parametrize(
    "column,value",
    [
        ("postcode_district", "SE15 4QR"),
        ("postcode_district", " LS1 4AP "),
        ("postcode_district", "LS1  4AP"),
        ("postcode_district", "ls1 4ap"),
        ("gp_practice_code", "LS1 4AP"),
        ("person_id", "lives at SW1A 1AA"),
    ],
)
def test_full_postcodes_in_any_column_are_refused(tmp_path, capsys, column, value):
    path = write_submission(
        tmp_path / "src", "mpi", "RXA", "20250201", [person("P1", **{column: value})]
    )
    _refused(tmp_path / "src", tmp_path, capsys, str(path), f"column {column!r}", "full postcode")


@pytest.mark.parametrize(
    "column",
    [
        "nhs_number",
        "date_of_birth",
        "patient_dob",
        "postcode",
        "surname",
        "Forename",
        "tel_no",
        "e_mail",
        "home_address",
    ],
)
def test_identifier_columns_are_refused(tmp_path, capsys, column):
    cols = [*TABLES["mpi"].column_names, column]
    path = write_submission(
        tmp_path / "src", "mpi", "RXA", "20250201", [person("P1", **{column: "x"})], columns=cols
    )
    _refused(tmp_path / "src", tmp_path, capsys, str(path), f"column {column!r}", "Refused")


def _headerless(folder, first_person_id):
    path = folder / "RXA" / "mpi_RXA_20250201.csv"
    path.parent.mkdir(parents=True)
    rows = [person(first_person_id), person("PQWERTYZ")]
    path.write_text(
        "".join(",".join(r.get(c, "") for c in TABLES["mpi"].column_names) + "\n" for r in rows),
        encoding="utf-8",
    )
    return path


def test_a_headerless_file_whose_first_row_holds_an_nhs_number_is_refused(tmp_path, capsys):
    path = _headerless(tmp_path / "src", "943 476 5919")
    said = _refused(tmp_path / "src", tmp_path, capsys, str(path), "looks like data")
    assert "SE15" not in said and "G85001" not in said


def test_a_headerless_file_is_described_not_echoed(tmp_path, capsys):
    path = _headerless(tmp_path / "src", "PASDFGHJ")
    code, said = _run(
        ["ingest", str(tmp_path / "src"), "--out", str(tmp_path / "store"), "--quiet"], capsys
    )
    assert code == 2
    assert str(path) in said and "the first line looks like data, not column names" in said
    for value in ("PASDFGHJ", "G85001", "E01000001", "SE15"):
        assert value not in said


def test_an_unexpected_column_name_that_is_not_name_shaped_is_not_echoed(tmp_path, capsys):
    cols = [*TABLES["mpi"].column_names, "2025-03-14 Mrs X"]
    write_submission(tmp_path / "src", "mpi", "RXA", "20250201", [person("P1")], columns=cols)
    code, said = _run(
        ["ingest", str(tmp_path / "src"), "--out", str(tmp_path / "store"), "--quiet"], capsys
    )
    assert code == 2
    assert "1 that do not look like column names" in said and "Mrs" not in said


def test_ten_digit_numbers_failing_the_check_load(tmp_path, capsys):
    rows = [
        person("1234567890"),
        person(FAILING_NUMBER, gp_practice_code="943 476 5918"),
        person("P3", gp_practice_code="RXA9434765918"),
    ]
    write_submission(tmp_path / "src", "mpi", "RXA", "20250201", rows)
    code, said = _run(
        ["ingest", str(tmp_path / "src"), "--out", str(tmp_path / "store"), "--quiet"], capsys
    )
    assert code == 0, said
    loaded = read_rows(tmp_path / "store", "tables", "mpi")
    assert sorted(loaded.column("person_id").to_pylist()) == ["1234567890", FAILING_NUMBER, "P3"]


def test_refusal_leaves_the_previous_store_intact(tmp_path):
    write_submission(tmp_path / "src", "mpi", "RXA", "20250201", [person("P1")])
    ingest(tmp_path / "src", tmp_path / "store", progress=False)
    before = read_rows(tmp_path / "store", "tables", "mpi")
    write_submission(
        tmp_path / "src",
        "mpi",
        "RXA",
        "20250202",
        [person("P2", gp_practice_code=VALID_NHS_NUMBER)],
    )
    with pytest.raises(IdentifiableDataError):
        ingest(tmp_path / "src", tmp_path / "store", progress=False)
    assert read_rows(tmp_path / "store", "tables", "mpi") == before


def test_rejects_keep_the_key_file_row_and_reasons_only(tmp_path):
    write_submission(
        tmp_path / "src",
        "mpi",
        "RXA",
        "20250201",
        [person("P1", age_years="-4", gp_practice_code="Z99999", lsoa_2011="E01999999")],
    )
    ingest(tmp_path / "src", tmp_path / "store", progress=False)
    rejects = read_rows(tmp_path / "store", "rejects", "mpi").to_pylist()
    assert len(rejects) == 1
    row = rejects[0]
    assert set(row) == {
        "provider_code",
        "person_id",
        "source_file",
        "source_row",
        "submission_date",
        "reasons",
    }
    assert row["person_id"] == "P1" and row["source_row"] == 1
    assert row["reasons"] == ["age_years: impossible value, outside 0 to 120"]


def test_no_output_holds_a_planted_identifier(tmp_path, capsys):
    """Every file the workbench writes from a submission with identifiers planted in rows that
    would also be rejected, and every message, is searched for the identifiers."""
    src, out = tmp_path / "src", tmp_path / "out"
    write_submission(src, "mpi", "RXA", "20250201", [person("P1"), person("P2", age_years="-1")])
    messages = []
    code, said = _run(["ingest", str(src), "--out", str(out / "store"), "--quiet"], capsys)
    assert code == 0
    messages.append(said)
    planted_rows = [
        person(f"Q{i}", age_years="-1", gp_practice_code=value)
        for i, value in enumerate([*NHS_FORMS.values(), "LS1 4AP", "ls1  4ap"])
    ]
    write_submission(src, "mpi", "RXA", "20250202", planted_rows)
    write_submission(
        src, "referrals", "RXA", "20250202", [referral("R1", "P1", referral_id="943-476-5919")]
    )
    code, said = _run(["ingest", str(src), "--out", str(out / "store"), "--quiet"], capsys)
    assert code == 3
    messages.append(said)
    code, said = _run(
        [
            "measure",
            "dq",
            "--what",
            "rejects",
            "--store",
            str(out / "store"),
            "--out",
            str(out / "rejects.csv"),
        ],
        capsys,
    )
    assert code == 0, said
    messages.append(said)
    written = [p for p in out.rglob("*") if p.is_file()]
    assert {p.suffix for p in written} >= {".parquet", ".csv", ".json", ".txt"}
    for blob in [p.read_bytes() for p in written] + [m.encode() for m in messages]:
        for planted in PLANTED:
            assert planted.encode() not in blob


# --- forms found by the normalisation, the separators and scientific notation -----------------


def _digits(first: int) -> str:
    """The valid NHS number written in the ten decimal digits starting at code point ``first``."""
    return "".join(chr(first + int(d)) for d in VALID_NHS_NUMBER)


MORE_NHS_FORMS = {
    "underscores": "943_476_5919",
    "full stops": "943.476.5919",
    "slashes": "943/476/5919",
    "mixed separators": "943_476-5919",
    "full stops glued in text": "id943.476.5919x",
    "zero-width spaces": "943\u200b476\u200b5919",
    "zero-width non-joiners": "943\u200c476\u200c5919",
    "zero-width joiners": "9\u200d43\u200d476\u200d5919",
    "word joiners": "943\u2060476\u20605919",
    "byte order marks": "\ufeff943\ufeff476\ufeff5919",
    "fullwidth digits": _digits(0xFF10),
    "Arabic-Indic digits": _digits(0x0660),
    "extended Arabic-Indic digits": _digits(0x06F0),
    "Devanagari digits": _digits(0x0966),
    "scientific, capital E": "9.434765919E+09",
    "scientific, small e": "9.434765919e9",
    "scientific in text": "seen 9.434765919E+09 today",
    "float text": "9434765919.0",
}
MORE_POSTCODE_FORMS = {
    "hyphen": "LS1-4AP",
    "underscore": "LS1_4AP",
    "full stop": "LS1.4AP",
    "slash": "LS1/4AP",
    "lower case with a full stop": "ls1.4ap",
    "glued inside text": "addrLS14APx",
    "glued with a separator": "homeSW1A-1AAnow",
    "fullwidth": "\uff2c\uff33\uff11 \uff14\uff21\uff30",
    "zero-width space inside": "LS1\u200b4AP",
}


@pytest.mark.parametrize("form", MORE_NHS_FORMS)
def test_more_forms_of_nhs_number_are_counted(form):
    values = pa.array(["2025-03-14", MORE_NHS_FORMS[form], None, "E01011229"])
    assert count_identifiers(values) == (1, 0)


@pytest.mark.parametrize("form", MORE_POSTCODE_FORMS)
def test_more_forms_of_postcode_are_counted(form):
    values = pa.array(["LS1", MORE_POSTCODE_FORMS[form], None, "E01011229"])
    assert count_identifiers(values) == (0, 1)


@pytest.mark.parametrize(
    "value",
    [
        "9.434765918E+09",  # fails the check
        "9.43476592E+09",  # rounded: 9434765920 fails the check
        "1e+20",
        "2.5e3",
        "9.434765919E+10",  # 11 digits
        "\u0669\u0664\u0663",  # three Arabic-Indic digits
        "3F2A9B1CDE",  # capital hexadecimal pseudonym
        "a3f9c2de41b7",  # lower-case hexadecimal pseudonym
        "PAFDGJMKPHFFCEHRH",
        "ADDRLS14AP",  # glued to capitals: not caught (module docstring)
        "addrls14apx",  # glued in lower case: not caught
        "E01011229",
        "E01033292",
        "RXA",
        "R1A",
        "7A1",
        "L87033",
        "I63.9",
        "M54.5",
        "S72.0",
        "LS1",
        "TQ7",
        "SW1A",
        "LS1-4",
        "2024-02-28",
        "28/02/2024",
        "2024-02-28T09:54:00",
        "09:54:00",
        "WB-EQVAS",
        "WB-MSKHQ",
        "R000000012",
        "1240751000000100",
        "Referred by GP for MSK physiotherapy",
        "\u00e9t\u00e9 \u200b caf\u00e9",
    ],
)
def test_more_values_that_are_not_identifiers(value):
    assert count_identifiers(pa.array([value, "x"])) == (0, 0)


def _refused_without(src, tmp_path, capsys, value, *phrases):
    """Ingest refuses, and neither what it said nor any file it left holds ``value``."""
    said = _refused(src, tmp_path, capsys, *phrases)
    assert value not in said
    for path in tmp_path.rglob("*"):
        if path.is_file() and src not in path.parents:
            assert value.encode() not in path.read_bytes(), path


@pytest.mark.parametrize("form", MORE_NHS_FORMS)
def test_more_forms_of_nhs_number_are_refused_in_csv(tmp_path, capsys, form):
    value = MORE_NHS_FORMS[form]
    path = write_submission(
        tmp_path / "src", "mpi", "RXA", "20250201", [person("P1"), person("P2", person_id=value)]
    )
    _refused_without(
        tmp_path / "src", tmp_path, capsys, value, str(path), "column 'person_id'", "1 row(s)"
    )


@pytest.mark.parametrize("form", MORE_NHS_FORMS)
def test_more_forms_of_nhs_number_are_refused_in_parquet(tmp_path, capsys, form):
    value = MORE_NHS_FORMS[form]
    path = _parquet_mpi(tmp_path / "src", "gp_practice_code", pa.array(["L87033", value]))
    _refused_without(tmp_path / "src", tmp_path, capsys, value, str(path), "1 row(s)")


@pytest.mark.parametrize("column", ["person_id", "age_years"])
def test_scientific_float_in_a_numeric_parquet_column_is_refused(tmp_path, capsys, column):
    values = pa.array([70.0, float("9.434765919E+09")], pa.float64())
    path = _parquet_mpi(tmp_path / "src", column, values)
    _refused_without(tmp_path / "src", tmp_path, capsys, VALID_NHS_NUMBER, str(path), "1 row(s)")


@pytest.mark.parametrize("form", MORE_POSTCODE_FORMS)
def test_more_forms_of_postcode_are_refused_in_csv(tmp_path, capsys, form):
    value = MORE_POSTCODE_FORMS[form]
    path = write_submission(
        tmp_path / "src", "mpi", "RXA", "20250201", [person("P1", postcode_district=value)]
    )
    _refused_without(
        tmp_path / "src", tmp_path, capsys, value, str(path), "column 'postcode_district'"
    )


@pytest.mark.parametrize("form", MORE_POSTCODE_FORMS)
def test_more_forms_of_postcode_are_refused_in_parquet(tmp_path, capsys, form):
    value = MORE_POSTCODE_FORMS[form]
    path = _parquet_mpi(tmp_path / "src", "person_id", pa.array(["P1", value]))
    _refused_without(
        tmp_path / "src", tmp_path, capsys, value, str(path), "column 'person_id'", "full postcode"
    )


def test_codes_dates_and_words_that_look_near_an_identifier_load(tmp_path, capsys):
    rows = [
        person("PAFDGJMKPHFFCEHRH", postcode_district="TQ7", gp_practice_code="L87033"),
        person("3F2A9B1CDE", postcode_district="LS1", gp_practice_code="R1A"),
        person("a3f9c2de41b7", postcode_district="SW1A", gp_practice_code="7A1"),
        person("I63.9", postcode_district="E01011229", gp_practice_code="9.434765918E+09"),
        person("2024-02-28", postcode_district="M54.5", gp_practice_code="1240751000000100"),
    ]
    write_submission(tmp_path / "src", "mpi", "RXA", "20250201", rows)
    code, said = _run(
        ["ingest", str(tmp_path / "src"), "--out", str(tmp_path / "store"), "--quiet"], capsys
    )
    assert code == 0, said
    loaded = read_rows(tmp_path / "store", "tables", "mpi")
    assert sorted(loaded.column("person_id").to_pylist()) == sorted(r["person_id"] for r in rows)


#: The valid NHS number in groups other than 3-3-4, and 3-3-4 with runs of separators.
GROUPED_NHS_FORMS = {
    "4-3-3 spaced": "9434 765 919",
    "2-4-4 spaced": "94 3476 5919",
    "3-4-3 spaced": "943 4765 919",
    "2-2-2-2-2 spaced": "94 34 76 59 19",
    "one digit at a time": "9 4 3 4 7 6 5 9 1 9",
    "4-3-3 dashed": "9434-765-919",
    "2-4-4 underscores": "94_3476_5919",
    "4-3-3 full stops": "9434.765.919",
    "3-4-3 tabs": "943\t4765\t919",
    "4-3-3 in free text": "nhs no 9434 765 919, seen at home",
    "2-4-4 spaced dashes": "94 - 3476 - 5919",
    "3-3-4 spaced dashes": "943 - 476 - 5919",
    "3-3-4 double dashes": "943--476--5919",
    "3-3-4 spaced full stops": "943 . 476 . 5919",
    "3-3-4 spaced slashes in text": "ref: 943 / 476 / 5919.",
}
#: Full postcodes with an underscore or a run of separators between the two codes.
RUN_POSTCODE_FORMS = {
    "space and underscore": "LS1 _4AP",
    "two spaces": "LS1  4AP",
    "hyphen": "LS1-4AP",
    "lower case with an underscore": "ls1_4ap",
    "spaced hyphen": "LS1 - 4AP",
    "two underscores": "LS1__4AP",
    "lower case, space and underscore": "ls1 _ 4ap",
    "in free text": "lives at LS1 _4AP now",
    "glued inside text": "addrLS1 _4APx",
}
#: Values whose digits would pass the check were they read as one NHS number, but that are
#: not one: a date and an hour or time (mixed separators), a decimal number, a code and a date
#: (two groups), a number with an eleventh digit joined to it, a phone number.
NEAR_MISSES_WITH_PASSING_DIGITS = [
    "2024-01-05 12",  # 2024010512 passes the check
    "2024-01-05 12:00",
    "2024-01-02 10:30:00",
    "04/01/2024 10:15",
    "seen 02/01/2024 09",
    "9434765.919",  # a decimal number
    "94.34765919",
    "mpi_SYN07_20240506.csv",  # a code and a date: 0720240506 passes the check
    "SYN07-20240506",
    "2 9434 765 919",  # eleven digits in groups
    "9434 765 919 2",
    "0 94347 65919",  # a phone number's 11 digits
]
#: Other values near the new forms that are data: the number with a wrong check digit in the
#: new groupings, dates, times, codes of the specification's value sets, decimals, ODS and LSOA
#: codes, postcode districts and postcode-like codes with too many separators.
NEAR_MISSES = [
    "9434 765 918",
    "94 34 76 59 18",
    "943 - 476 - 5918",
    "943--476--5918",
    "2024-01-05",
    "05/01/2024",
    "12:30:45",
    "25.50",
    "1234.5678",
    "E01000001",
    "E01011229",
    "RXA",
    "L87033",
    "LS1",
    "LS1 -",
    "LS1     4AP x",  # five spaces inside text: two words, not a postcode
    "I63.9",
    "1240751000000100",
    "Long Term Support: Community",
    "No data: Undeclared or not known",
]


def _digits_pass(value: str) -> bool:
    """Whether some 10 digits in a row of ``value``'s digits pass the check."""
    digits = [int(c) for c in value if c.isdigit()]
    windows = [digits[i : i + 10] for i in range(len(digits) - 9)]
    return bool(windows) and bool(passes_nhs_number_check(np.array(windows)).any())


@pytest.mark.parametrize("form", GROUPED_NHS_FORMS)
def test_nhs_numbers_in_any_grouping_or_runs_of_separators_are_counted(form):
    values = pa.array(["2025-03-14", GROUPED_NHS_FORMS[form], None, "E01011229", "2024-01-05 12"])
    assert count_identifiers(values) == (1, 0)


@pytest.mark.parametrize("form", RUN_POSTCODE_FORMS)
def test_postcodes_with_runs_of_separators_are_counted(form):
    values = pa.array(["LS1", RUN_POSTCODE_FORMS[form], None, "E01011229"])
    assert count_identifiers(values) == (0, 1)


@pytest.mark.parametrize("value", NEAR_MISSES_WITH_PASSING_DIGITS)
def test_numbers_that_are_not_one_nhs_number_are_not_counted(value):
    assert _digits_pass(value)  # so the value would be refused if read as one number
    assert count_identifiers(pa.array([value, "x"])) == (0, 0)


@pytest.mark.parametrize("value", NEAR_MISSES)
def test_values_near_the_new_forms_are_not_counted(value):
    assert count_identifiers(pa.array([value, "x"])) == (0, 0)


def test_the_value_sets_of_both_specifications_hold_no_identifier():
    """Every code and label of both extracts' code lists loads (codes are what a submitter
    writes; labels are the kind of free text that sits beside them)."""
    from workbench.spec import VALUE_SETS
    from workbench.spec.cld_value_sets import CLD_VALUE_SETS

    lists = [s for sets in (VALUE_SETS, CLD_VALUE_SETS) for s in sets.values()]
    values = [text for s in lists for code, label in s.codes.items() for text in (code, label)]
    assert len(values) > 200
    assert count_identifiers(pa.array(values, pa.string())) == (0, 0)


def test_many_values_are_checked_at_once_as_one_by_one():
    values = [*GROUPED_NHS_FORMS.values(), *RUN_POSTCODE_FORMS.values()]
    values += NEAR_MISSES_WITH_PASSING_DIGITS + NEAR_MISSES
    one_by_one = np.array([count_identifiers(pa.array([v])) for v in values]).sum(axis=0)
    assert tuple(one_by_one) == (len(GROUPED_NHS_FORMS), len(RUN_POSTCODE_FORMS))
    assert count_identifiers(pa.array(values * 50)) == tuple(50 * one_by_one)


@pytest.mark.parametrize("form", GROUPED_NHS_FORMS)
def test_nhs_numbers_in_any_grouping_are_refused_in_csv(tmp_path, capsys, form):
    value = GROUPED_NHS_FORMS[form]
    path = write_submission(
        tmp_path / "src", "mpi", "RXA", "20250201", [person("P1"), person("P2", person_id=value)]
    )
    _refused_without(
        tmp_path / "src", tmp_path, capsys, value, str(path), "column 'person_id'", "1 row(s)"
    )


@pytest.mark.parametrize("form", RUN_POSTCODE_FORMS)
def test_postcodes_with_runs_of_separators_are_refused_in_csv(tmp_path, capsys, form):
    value = RUN_POSTCODE_FORMS[form]
    path = write_submission(
        tmp_path / "src", "mpi", "RXA", "20250201", [person("P1", postcode_district=value)]
    )
    _refused_without(
        tmp_path / "src", tmp_path, capsys, value, str(path), "column 'postcode_district'"
    )


def test_dates_decimals_and_codes_near_the_new_forms_load(tmp_path, capsys):
    near = NEAR_MISSES_WITH_PASSING_DIGITS + NEAR_MISSES
    rows = [person(f"P{i}", gp_practice_code=value) for i, value in enumerate(near)]
    write_submission(tmp_path / "src", "mpi", "RXA", "20250201", rows)
    code, said = _run(
        ["ingest", str(tmp_path / "src"), "--out", str(tmp_path / "store"), "--quiet"], capsys
    )
    assert code == 0, said
    assert read_rows(tmp_path / "store", "tables", "mpi").num_rows == len(near)
