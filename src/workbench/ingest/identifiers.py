"""The pseudonymisation guard: refuse direct identifiers before anything is stored.

MEASURES.md section 1: a column named like a direct identifier (NHS number, name, full
postcode, date of birth), or any value that is a 10-digit number passing the NHS number
modulus 11 check, stops the load with an error that names the file, column and row count, and
prints no value. The guard also refuses full postcodes sent in the postcode district column.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_EXACT_IDENTIFIER_NAMES = {
    "name",
    "forename",
    "forenames",
    "surname",
    "firstname",
    "lastname",
    "givenname",
    "familyname",
    "fullname",
    "patientname",
    "personname",
    "middlename",
    "preferredname",
    "dob",
    "dateofbirth",
    "birthdate",
    "personbirthdate",
    "birthdt",
    "address",
    "addressline1",
    "addressline2",
    "patientaddress",
    "telephone",
    "telephonenumber",
    "phone",
    "phonenumber",
    "mobile",
    "email",
    "emailaddress",
}
FULL_POSTCODE = r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$"
_NHS_WEIGHTS = np.arange(10, 1, -1)


def _normalise(column: str) -> str:
    return re.sub(r"[^a-z0-9]", "", column.lower())


def identifier_column_kind(column: str) -> str | None:
    """What direct identifier a column's name suggests ("NHS number", ...), or None.

    Names are compared lower-case with punctuation removed, so ``NHS_Number``, ``nhsno`` and
    ``NHS Number`` all match. ``postcode_district`` is allowed; any other postcode column is
    taken to be a full postcode.
    """
    name = _normalise(column)
    if name.startswith("nhsn") or name in {"nhsno", "nhsnum"}:
        return "NHS number"
    if "postcode" in name and not name.endswith("district"):
        return "postcode"
    if "birth" in name or name == "dob":
        return "date of birth"
    if name in _EXACT_IDENTIFIER_NAMES:
        return "name, address or contact detail"
    return None


def passes_nhs_number_check(digits: np.ndarray) -> np.ndarray:
    """Whether each row of a (n, 10) array of digits is a valid NHS number (modulus 11).

    The check digit is 11 - (sum of the first nine digits weighted 10 down to 2) mod 11, with
    11 read as 0; a check digit of 10 means the number is not valid.
    """
    digits = np.asarray(digits, dtype=np.int64).reshape(-1, 10)
    check = (11 - (digits[:, :9] @ _NHS_WEIGHTS) % 11) % 11
    return (check != 10) & (check == digits[:, 9])


def count_nhs_numbers(values: pa.Array | pa.ChunkedArray) -> int:
    """How many values are 10-digit numbers that pass the NHS number modulus 11 check."""
    values = pc.utf8_trim_whitespace(values.cast(pa.string()))
    candidates = values.filter(
        pc.fill_null(pc.match_substring_regex(values, r"^[0-9]{10}$"), False)
    )
    if len(candidates) == 0:
        return 0
    raw = np.frombuffer("".join(candidates.to_pylist()).encode("ascii"), dtype=np.uint8)
    return int(passes_nhs_number_check(raw.reshape(-1, 10) - ord("0")).sum())


def count_full_postcodes(values: pa.Array | pa.ChunkedArray) -> int:
    """How many values look like a full postcode (outward and inward code, e.g. ``AB1 2CD``)."""
    values = pc.utf8_upper(values.cast(pa.string()))
    return int(
        pc.sum(pc.fill_null(pc.match_substring_regex(values, FULL_POSTCODE), False)).as_py() or 0
    )
