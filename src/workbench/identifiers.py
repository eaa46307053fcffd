"""The pseudonymisation guard: what counts as a direct identifier, in a value or a column name.

measures.md section 1: identifiable data is refused before anything is stored. This module owns
the rules; :mod:`workbench.ingest.stage` applies them to every value of every row and
:mod:`workbench.ingest.headers` to every column name. Nothing here returns or prints a value:
callers get counts only.

Values (every column of every table, CSV or Parquet, whatever its type):

- An NHS number is 10 digits that pass the modulus 11 check, written bare (``9434765919``),
  in 3-3-4 groups split by up to three spaces, tabs or no-break spaces, or by one of
  ``- . /`` or a Unicode dash (``943 476 5919``, ``943-476-5919``), with anything that is not a
  digit either side: letters (``RXA9434765919``), Excel's text forms (``'9434765919``,
  ``="9434765919"``), or free text around it. Numeric Parquet columns are read through their
  text form, so ``9434765919`` as int64 or ``9434765919.0`` as float64 is found too. The
  digits must not be part of a longer run of digits: a 12-digit number is one number, not an
  NHS number. A 10-digit number that fails the check is data and loads.
- A full postcode is an outward code, optional white space, then an inward code
  (``[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}``) in any case, either as the whole value with white
  space anywhere in it (``" ls1 4ap "``, ``LS1  4AP``) or inside longer text with anything but a
  letter or digit either side. LSOA codes, ODS codes, ICD-10 and SNOMED codes and postcode
  districts (``LS1``) are not postcode-shaped and never match.

Not caught: an NHS number written in scientific notation (``9.434765919E+09``) or with its
digits split other than 3-3-4, a postcode with a typing error that breaks its shape, and
identifiers that have no fixed shape (a name or an address in a column with an ordinary name).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from workbench.errors import DisclosureError

# plain (not raw) strings: Python puts the tab, no-break space and dashes in as characters
_BLANK = " \t\u00a0"
_SEP = f"(?:[{_BLANK}]{{1,3}}|[-./\u2010-\u2015])?"
#: An NHS-number-shaped run of 10 digits, bounded by non-digits (or the ends of the value).
NHS_NUMBER_SHAPE = (
    rf"(?:^|[^0-9])(?P<a>[0-9]{{3}}){_SEP}(?P<b>[0-9]{{3}}){_SEP}(?P<c>[0-9]{{4}})(?:[^0-9]|$)"
)
_OUTWARD, _INWARD = r"[A-Za-z]{1,2}[0-9][A-Za-z0-9]?", r"[0-9][A-Za-z]{2}"
#: A full postcode inside text, bounded by anything but a letter or digit.
POSTCODE_IN_TEXT = rf"(?:^|[^A-Za-z0-9]){_OUTWARD}[{_BLANK}]{{0,3}}{_INWARD}(?:[^A-Za-z0-9]|$)"
#: A whole value that is a full postcode once its white space is removed.
POSTCODE_WHOLE = (
    r"^\s*[A-Za-z]\s*(?:[A-Za-z]\s*)?[0-9]\s*(?:[A-Za-z0-9]\s*)?[0-9]\s*[A-Za-z]\s*[A-Za-z]\s*$"
)
FULL_POSTCODE = f"(?:{POSTCODE_IN_TEXT})|(?:{POSTCODE_WHOLE})"
_ANY_IDENTIFIER = f"(?:{NHS_NUMBER_SHAPE})|{FULL_POSTCODE}"
_NHS_WEIGHTS = np.arange(10, 1, -1)


def passes_nhs_number_check(digits: np.ndarray) -> np.ndarray:
    """Whether each row of a (n, 10) array of digits is a valid NHS number (modulus 11).

    The check digit is 11 - (sum of the first nine digits weighted 10 down to 2) mod 11, with
    11 read as 0; a check digit of 10 means the number is not valid (measures.md section 1).
    """
    digits = np.asarray(digits, dtype=np.int64).reshape(-1, 10)
    check = (11 - (digits[:, :9] @ _NHS_WEIGHTS) % 11) % 11
    return (check != 10) & (check == digits[:, 9])


def _as_text(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        values = values.cast(pa.string())
    return values


def _ten_digit_rows(joined: pa.Array) -> np.ndarray:
    """A (n, 10) digit array from a string array whose every value is 10 ASCII digits."""
    joined = pc.cast(joined, pa.large_string()) if len(joined) else joined
    if len(joined) == 0:
        return np.zeros((0, 10), dtype=np.int64)
    offsets = np.frombuffer(joined.buffers()[1], dtype=np.int64)[
        joined.offset : joined.offset + len(joined) + 1
    ]
    data = np.frombuffer(joined.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    return data.reshape(-1, 10).astype(np.int64) - ord("0")


def _nhs_number_rows(candidates: pa.Array) -> np.ndarray:
    """For each candidate value, whether any NHS-number-shaped run in it passes the check.

    Each round takes the first shaped run of every value still in play, checks it, and blanks
    it out (keeping a boundary) so the next round sees the next one: vectorised per round, and
    there are as many rounds as the most runs in one value (one, in practice)."""
    found = np.zeros(len(candidates), dtype=bool)
    rows = np.arange(len(candidates))
    current = candidates
    while len(current):
        parts = pc.extract_regex(current, NHS_NUMBER_SHAPE)
        shaped = np.asarray(pc.is_valid(parts).to_numpy(zero_copy_only=False), dtype=bool)
        if not shaped.any():
            break
        parts = parts.filter(pa.array(shaped))
        a, b, c = parts.flatten()
        joined = pc.binary_join_element_wise(a, b, c, "")
        found[rows[shaped]] |= passes_nhs_number_check(_ten_digit_rows(joined))
        rows = rows[shaped]
        current = pc.replace_substring_regex(
            current.filter(pa.array(shaped)), NHS_NUMBER_SHAPE, " ", max_replacements=1
        )
    return found


#: Shortest value that can hold a full postcode (``A11AA``); an NHS number needs 10.
_SHORTEST = 5
#: Longer values skip the structural screen and go straight to the regular expressions.
_WIDEST_SCREENED = 40


def _position_range(flat: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Byte minimum and maximum at each position of ``width``-byte values laid end to end.

    Reduced over blocks of many values at once (rows of ~4 KB), which numpy does far faster
    than a reduction over a 10-byte-wide axis."""
    n = len(flat) // width
    per_block = max(1, 4096 // width)
    full = (n // per_block) * per_block
    lows, highs = [], []
    if full:
        blocks = flat[: full * width].reshape(full // per_block, per_block * width)
        lows.append(np.minimum.reduce(blocks, axis=0).reshape(per_block, width))
        highs.append(np.maximum.reduce(blocks, axis=0).reshape(per_block, width))
    if full < n:
        rest = flat[full * width : n * width].reshape(n - full, width)
        lows.append(rest)
        highs.append(rest)
    return np.minimum.reduce(np.concatenate(lows), axis=0), np.maximum.reduce(
        np.concatenate(highs), axis=0
    )


def _could_hold(low: np.ndarray, high: np.ndarray) -> bool:
    """Whether values whose byte at each position lies in [low, high] could hold an NHS number
    (10 positions that can be a digit) or a full postcode (a position that can be a digit
    followed by two that can be a letter, white space or a non-ASCII byte: the inward code)."""
    digit = (low <= ord("9")) & (high >= ord("0"))
    follow = (high >= ord("A")) | (low <= ord(" "))
    return bool(digit.sum() >= 10 or (digit[:-2] & follow[1:-1] & follow[2:]).any())


def screen(text: pa.Array) -> np.ndarray:
    """Which values could hold an NHS number or a full postcode: a cheap, vectorised superset.

    Values are grouped by byte length; within a group, each byte position's range over all the
    group's values says whether it can ever be a digit or a letter. A date column
    (``2024-02-28``: 8 digit positions), an id column (``C000012839``: 9) or a code column
    can then be passed without looking at any value twice; a group whose ranges cannot rule it
    out (mixed forms) is screened value by value, still vectorised. Values shorter than a
    postcode pass; values that could hold one, and values longer than 40 bytes, are kept for
    the regular expressions."""
    n = len(text)
    lengths = pc.fill_null(pc.binary_length(text), 0).to_numpy(zero_copy_only=False)
    keep = lengths > _WIDEST_SCREENED
    if not (lengths >= _SHORTEST).any():
        return keep
    offsets_type = np.int64 if pa.types.is_large_string(text.type) else np.int32
    offsets = np.frombuffer(text.buffers()[1], dtype=offsets_type)[
        text.offset : text.offset + n + 1
    ]
    data = np.frombuffer(text.buffers()[2], dtype=np.uint8)
    counts = np.bincount(np.minimum(lengths, _WIDEST_SCREENED + 1))
    for width in np.flatnonzero(counts[_SHORTEST : _WIDEST_SCREENED + 1]) + _SHORTEST:
        rows: slice | np.ndarray
        if counts[width] == n and offsets[-1] - offsets[0] == n * width:
            flat = data[offsets[0] : offsets[-1]]
            rows = slice(None)
        else:
            rows = np.flatnonzero(lengths == width)
            flat = data[np.add(offsets[rows][:, None], np.arange(width)).ravel()]
        if _could_hold(*_position_range(flat, int(width))):
            keep[rows] = _rows_that_could_hold(flat.reshape(-1, int(width)))
    return keep


def _rows_that_could_hold(values: np.ndarray) -> np.ndarray:
    """For a (n, width) array of same-length values, which could hold either identifier: 10 or
    more digits, or a digit followed by two letters, white space or non-ASCII bytes. Used when a
    group mixes forms (``2024-02-28`` and ``28/02/2024``) so its position ranges cannot rule
    it out; a pass per byte position, each over all values at once."""
    by_position = np.ascontiguousarray(values.T)
    digit = (by_position - np.uint8(ord("0"))) < 10
    follow = (by_position >= ord("A")) | (by_position <= ord(" "))
    enough_digits = digit.sum(axis=0, dtype=np.int32) >= 10
    return enough_digits | (digit[:-2] & follow[1:-1] & follow[2:]).any(axis=0)


def count_identifiers(values: pa.Array | pa.ChunkedArray) -> tuple[int, int]:
    """How many values hold an NHS number, and how many a full postcode (module docstring).

    A structural screen (:func:`screen`) passes most columns outright; one regular expression
    pass over the values it keeps finds the few shaped like either identifier, and only those
    are looked at further. Nulls never count."""
    text = _as_text(values)
    kept = screen(text)
    if not kept.any():
        return 0, 0
    text = text.filter(pa.array(kept))
    shaped = pc.fill_null(pc.match_substring_regex(text, _ANY_IDENTIFIER), False)
    if not pc.any(shaped).as_py():
        return 0, 0
    candidates = text.filter(shaped)
    nhs = int(_nhs_number_rows(candidates).sum())
    postcodes = int(pc.sum(pc.match_substring_regex(candidates, FULL_POSTCODE)).as_py() or 0)
    return nhs, postcodes


def count_nhs_numbers(values: pa.Array | pa.ChunkedArray) -> int:
    """How many values hold an NHS number that passes the modulus 11 check, in any written form
    this module's docstring lists (measures.md section 1)."""
    return count_identifiers(values)[0]


def count_full_postcodes(values: pa.Array | pa.ChunkedArray) -> int:
    """How many values hold a full postcode, in any case, spacing or padding, whole or inside
    text (measures.md section 1)."""
    return count_identifiers(values)[1]


# --- column names ----------------------------------------------------------------------------

_NAME_WORDS = {
    "forename",
    "forenames",
    "surname",
    "surnames",
    "firstname",
    "lastname",
    "givenname",
    "givennames",
    "familyname",
    "fullname",
    "middlename",
    "maidenname",
    "preferredname",
    "patientname",
    "personname",
    "clientname",
}
_PERSON_WORDS = {
    "patient",
    "person",
    "client",
    "user",
    "first",
    "last",
    "given",
    "family",
    "full",
    "middle",
    "maiden",
    "preferred",
    "child",
    "mother",
    "father",
    "carer",
    "kin",
}
_PHONE_WORDS = {"tel", "telno", "telephone", "phone", "phoneno", "mobile", "mob", "mobileno", "fax"}


def _normalise(column: str) -> str:
    return re.sub(r"[^a-z0-9]", "", column.lower())


def _tokens(column: str) -> set[str]:
    """Lower-case words of a column name: split at punctuation, spaces and camelCase humps."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", column)
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", spaced)
    return {t for t in re.split(r"[^a-z0-9]+", spaced.lower()) if t}


def identifier_column_kind(column: str) -> str | None:
    """What direct identifier a column's name suggests, or None (measures.md section 1).

    Names are compared lower-case, split into words at punctuation, spaces and camelCase, and
    also with every separator removed, so ``NHS_Number``, ``nhsno`` and ``NHS Number`` all
    match. Refused as identifiable:

    - NHS number: ``nhsno``, ``nhsnum``, ``nhsnumber``, ``nhsnbr`` anywhere in the name;
    - postcode: any name holding ``postcode``, ``postalcode`` or ``zip``, except
      ``postcode_district`` (the district is what the specification asks for);
    - date of birth: ``birth`` anywhere (``date_of_birth``, ``PersonBirthDate``), or the word
      ``dob``/``yob`` (``patient_dob``);
    - telephone: the words ``tel``, ``telno``, ``telephone``, ``phone``, ``mobile``, ``fax``, or
      ``phone`` anywhere (``HomePhone``);
    - e-mail: ``email`` once separators are removed (``e_mail``, ``E-mail``);
    - name: ``forename``, ``surname`` and the like, the bare name ``name``, or the word ``name``
      with a word about a person (``patient_name``, ``first_name``); ``provider_name`` is not;
    - address: ``address`` or ``street`` anywhere, or the word ``addr``.
    """
    name = _normalise(column)
    words = _tokens(column)
    if any(part in name for part in ("nhsno", "nhsnum", "nhsnbr")):
        return "NHS number"
    if any(part in name for part in ("postcode", "postalcode", "zip")) and name not in {
        "postcodedistrict"
    }:
        return "postcode"
    if "birth" in name or words & {"dob", "yob"} or name in {"dob", "yob"}:
        return "date of birth"
    if words & _PHONE_WORDS or "phone" in name:
        return "telephone number"
    if "email" in name:
        return "e-mail address"
    if (
        name in _NAME_WORDS
        or name == "name"
        or words & _NAME_WORDS
        or ("name" in words and words & _PERSON_WORDS)
        or name.endswith(("forename", "forenames", "surname"))
    ):
        return "name"
    if "address" in name or "street" in name or "addr" in words:
        return "address"
    return None


#: Words that, as the last word of a column name ending ``_id``/``_identifier``, name an
#: organisation, geography or service rather than a record (``provider_id``, ``team_id``).
_NOT_RECORD_ID_STEMS = frozenset(
    {
        "provider",
        "org",
        "organisation",
        "organization",
        "site",
        "trust",
        "icb",
        "ccg",
        "region",
        "lsoa",
        "msoa",
        "la",
        "authority",
        "pcn",
        "practice",
        "gp",
        "team",
        "service",
        "commissioner",
        "ward",
        "unit",
        "submitter",
        "submission",
    }
)
#: Last words of a column name that mark a record identifier.
_ID_WORDS = frozenset({"id", "ids", "identifier", "uid"})
#: Last words of a column name that mark an exact date or time.
_DATE_WORDS = frozenset({"date", "time", "datetime", "timestamp", "dttm", "dt"})
#: Words that mark a reporting period rather than an individual's event.
_PERIOD_WORDS = frozenset(
    {"period", "month", "census", "year", "quarter", "week", "snapshot", "reporting"}
)
#: What :func:`pandas.api.types.infer_dtype` calls a column of dates or times.
_DATE_KINDS = frozenset({"date", "datetime", "datetime64", "time"})


# Record-level columns in a released table (measures.md section 7)
# --------------------------------------------------------------------------------------------


def _words(name: str) -> list[str]:
    """A column name as lower-case words: snake_case, CamelCase, spaces and punctuation."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name)
    return [w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if w]


def record_level_reason(name: str, values: pd.Series | pd.Index | None = None) -> str | None:
    """Why a column looks record-level (measures.md section 7), or None if it does not.

    The rule looks at the column's name and dtype only, never at its values' contents:

    1. Identifier names. A name whose last word is ``id``, ``ids``, ``identifier`` or ``uid``
       (``person_id``, ``referral_id``, ``contact_id``, ``spell_id``, ``assessment_id``,
       ``Person_ID``, ``ServiceRequestID``) is refused, unless the word before it names an
       organisation, geography or service (``provider_id``, ``team_id``, ``lsoa_id``). Any name
       the ingest guard treats as a direct identifier is refused too: NHS number
       (``nhs_number``, ``NHSNumber``), name, address, telephone, e-mail, date of birth and any
       postcode column other than ``postcode_district``.
    2. Exact dates and times of individuals. A name whose last word is ``date``, ``time``,
       ``datetime``, ``timestamp`` (``contact_date``, ``discharge_date``, ``clock_start_time``)
       or that starts ``date_of``, or a column whose dtype holds dates or times (datetime64,
       or Python/pyarrow dates or times), is refused unless the name contains a reporting
       period word: ``period``, ``month``, ``census``, ``year``, ``quarter``, ``week``,
       ``snapshot`` or ``reporting`` (``census_date``, ``period_start``, ``month``). Name a
       daily reporting period ``period_date``.
    3. One row per person is not inferred from values (a ``count`` column of all 1s is not
       evidence enough); a person-level frame is caught by rule 1 or 2, through the identifier
       or event date it carries.

    Parameters
    ----------
    name : str
        The column (or index level) name.
    values : pandas.Series or pandas.Index, optional
        The column, whose dtype is checked for dates and times.

    Returns
    -------
    str or None
        A short description of what the column looks like, e.g. ``"a record identifier"``.

    Examples
    --------
    >>> record_level_reason("referral_id")
    'a record identifier'
    >>> record_level_reason("provider_id") is None
    True
    >>> record_level_reason("contact_date")
    'an exact event date or time'
    >>> record_level_reason("census_date") is None
    True
    """
    words = _words(str(name))
    if not words:
        stem, last = "", ""
    else:
        stem, last = (words[-2] if len(words) > 1 else ""), words[-1]
    kind = identifier_column_kind(str(name))
    if kind is not None or ("nhs" in words and ("number" in words or "no" in words)):
        return f"a direct identifier ({kind or 'NHS number'})"
    if last in _ID_WORDS and stem not in _NOT_RECORD_ID_STEMS:
        return "a record identifier"
    if _PERIOD_WORDS.intersection(words):
        return None
    if last in _DATE_WORDS or words[:2] == ["date", "of"]:
        return "an exact event date or time"
    if values is not None and _holds_dates(values):
        return "an exact event date or time (its values are dates or times)"
    return None


def _holds_dates(values: pd.Series | pd.Index) -> bool:
    dtype = values.dtype
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return True
    if isinstance(dtype, pd.ArrowDtype):
        t = dtype.pyarrow_dtype
        return pa.types.is_temporal(t) and not pa.types.is_duration(t)
    if pd.api.types.is_object_dtype(dtype):
        return pd.api.types.infer_dtype(values, skipna=True) in _DATE_KINDS
    return False


def assert_no_record_level(frame: pd.DataFrame) -> None:
    """Refuse a frame that carries record-level values (measures.md section 7).

    Checks every column and every named (or date-typed) index level with
    :func:`record_level_reason`: identifier names and exact event dates or times of
    individuals are refused; reporting period columns (``month``, ``census_date``,
    ``period_start``) are allowed. The check uses names and dtypes only.

    Parameters
    ----------
    frame : pandas.DataFrame
        An aggregate table about to be released.

    Raises
    ------
    DisclosureError
        Naming the first offending column (or index level) and what it looks like.

    Examples
    --------
    >>> assert_no_record_level(pd.DataFrame({"provider_code": ["RXA"], "referrals": [40]}))
    >>> assert_no_record_level(pd.DataFrame({"person_id": ["P1"], "contacts": [3]}))
    Traceback (most recent call last):
    ...
    workbench.errors.DisclosureError: column 'person_id' looks like a record identifier; \
a released table must hold aggregates only (measures.md section 7): drop the column, or \
aggregate over it
    """
    for column in frame.columns:
        label = "_".join(map(str, column)) if isinstance(column, tuple) else str(column)
        values = frame[column] if frame.columns.is_unique else None
        if isinstance(values, pd.DataFrame):
            values = None
        reason = record_level_reason(label, values)
        if reason:
            _refuse(f"column {label!r}", reason)
    index = frame.index
    for level, name in enumerate(index.names):
        values = index.get_level_values(level)
        if name is None:
            if _holds_dates(values):
                _refuse(f"index level {level} (unnamed)", "an exact event date or time")
            continue
        reason = record_level_reason(str(name), values)
        if reason:
            _refuse(f"index level {str(name)!r}", reason)


def _refuse(what: str, reason: str) -> None:
    raise DisclosureError(
        f"{what} looks like {reason}; a released table must hold aggregates only "
        "(measures.md section 7): drop the column, or aggregate over it"
    )
