"""The pseudonymisation guard: what counts as a direct identifier, in a value or a column name.

measures.md section 1: identifiable data is refused before anything is stored. This module owns
the rules; :mod:`workbench.ingest.stage` applies them to every value of every row and
:mod:`workbench.ingest.headers` to every column name. Nothing here returns or prints a value:
callers get counts only.

Values (every column of every table, CSV or Parquet, whatever its type):

- Each value is first normalised (only values holding a non-ASCII character, so the all-ASCII
  path costs nothing more): Unicode NFKC (fullwidth digits and letters become ASCII), every
  Unicode decimal digit (Arabic-Indic ``\u0660``-``\u0669``, ``\u06f0``-``\u06f9``, Devanagari
  and the rest) becomes its ASCII digit, and format characters (Unicode category Cf: zero-width
  spaces and joiners ``\u200b``-``\u200d``, the word joiner ``\u2060``, ``\ufeff``, the soft
  hyphen) are removed. The rules below then apply to the normalised text; the value stored is
  never changed.
- An NHS number is 10 digits that pass the modulus 11 check, written in one of two ways:

  1. bare (``9434765919``) or in 3-3-4 groups, each two groups split by a run of up to four
     separators: spaces, tabs, no-break spaces, ``- _ . /``, Unicode dashes and minus
     (``943 476 5919``, ``943-476-5919``, ``943_476_5919``, ``943 - 476 - 5919``,
     ``943--476--5919``, ``943 . 476 . 5919``, mixed as in ``943 476-5919``), with anything
     that is not a digit either side: letters (``RXA9434765919``), Excel's text forms
     (``'9434765919``, ``="9434765919"``), or free text around it;
  2. in three or more groups of any sizes (``9434 765 919``, ``94 3476 5919``,
     ``943 4765 919``, ``94 34 76 59 19``) split by the same separator, or the same run of
     separators, throughout, with no further digit joined to the 10 by up to four
     separators either side (``2 9434 765 919`` is one 11-digit number). Groups split by
     different separators are not one number (a date and an hour, ``2024-01-05 12``); a
     phone number's 11 digits are not 10 in any groups; two groups are a decimal number
     (``9434765.919``) or a code and a date (``SYN07_20240501``, as in a submission file's
     name), unless they fit rule 1 (``943476 5919``).

  Numeric Parquet columns are read through their text form, so ``9434765919`` as
  int64 or ``9434765919.0`` as float64 is found too, and so is the text ``9434765919.0``. A
  number in scientific notation (``9.434765919E+09``, ``9.434765919e9``, ``943476591.9E1``:
  up to 10 digits, an optional point and up to 9 more, ``e`` or ``E``, an optional sign and one
  or two exponent digits), as a whole value or inside text, is read as a number: if it is a
  whole number of 10 digits it is checked like the others. The digits must not be part of a
  longer run of digits: a 12-digit number is one number, not an NHS number. A 10-digit number
  that fails the check is data and loads.
- A full postcode is an outward code, then an inward code
  (``[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}``), found in three ways:

  1. in any case, with nothing or a run of up to four spaces, tabs, no-break spaces or
     ``- _ . /`` between the two codes (``LS1 4AP``, ``ls14ap``, ``LS1-4AP``, ``LS1_4AP``,
     ``ls1_4ap``, ``LS1.4AP``, ``LS1/4AP``, ``LS1  4AP``, ``LS1 _4AP``, ``LS1 - 4AP``), with
     anything but a letter or digit either side (``lives at SW1A 1AA.``);
  2. in any case, as the whole value with white space anywhere in it (``" l s1 4 a p "``);
  3. glued inside text: in capitals, with the same separators or none between the codes, and
     either side a lower-case letter, anything that is not a letter or digit, or the end of the
     value (``addrLS14APx``, ``at:LS14APhome``). The change of case marks where the postcode
     starts and ends; without it a glued postcode cannot be told from a run of letters and
     digits, so a postcode glued to capitals or digits (``ADDRLS14AP``, ``1LS14AP``) or
     glued in lower case (``addrls14apx``) is not caught, while hexadecimal or capital-letter
     pseudonyms (``3F2A9B1CDE``, ``PAFDGJMKPHFFCEHRH``) are not flagged.

  LSOA codes (``E01011229``), ODS codes (``RXA``, ``R1A``, ``7A1``, ``L87033``), ICD-10 codes
  (``I63.9``, ``M54.5``), SNOMED codes, postcode districts (``LS1``), dates and times are not
  postcode-shaped and never match. A mixed-case pseudonym (base64-like ``aLS14APq``) can
  match rule 3 and be refused: pseudonymise to capitals, digits or lower-case hexadecimal.

Not caught: an NHS number in groups other than 3-3-4 split by different separators
(``9434 765-919``), in two groups other than 3-7 and 6-4 (``94347 65919``), or joined to
other digits by separators (two such numbers written ``9434 765 919 / 9434 765 919`` read as
one 20-digit number), an NHS number whose leading
zero a numeric column dropped (``123456789`` for ``0123456789``), a postcode with a typing
error that breaks its shape or more than four separators between its codes, the glued forms
rule 3 leaves out, and identifiers that have no fixed shape (a name or an address in a column
with an ordinary name). Read as NHS numbers when they pass the check (about 1 in 11 of such
values): any 10 digits written in three or more groups with one separator throughout, such
as a 10-digit number with a space between its thousands (``1 234 567 891``) or an IP address
with 10 digits.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from workbench.errors import DisclosureError

# plain (not raw) strings: Python puts the tab, no-break space and dashes in as characters
_BLANK = " \t\u00a0"
#: The characters that may separate the groups of an NHS number (inside a class).
_SEPARATOR = f"{_BLANK}\\-_./\u2010-\u2015\u2212"
#: A run of up to four separators between two groups of digits (``-``, `` - ``, ``--``).
_SEP = f"[{_SEPARATOR}]{{0,4}}"
#: An NHS-number-shaped run of 10 digits, bounded by non-digits (or the ends of the value).
NHS_NUMBER_SHAPE = (
    rf"(?:^|[^0-9])(?P<a>[0-9]{{3}}){_SEP}(?P<b>[0-9]{{3}}){_SEP}(?P<c>[0-9]{{4}})(?:[^0-9]|$)"
)
#: Where a run of digit groups starts or ends: the value's start or end, or anything but a
#: digit or separator, each with any separators between it and the digits, or five or more
#: separators (too many to join two groups).
_RUN_START = f"(?:^[{_SEPARATOR}]*|[^0-9{_SEPARATOR}][{_SEPARATOR}]*|[{_SEPARATOR}]{{5}})"
_RUN_END = f"(?:[{_SEPARATOR}]*$|[{_SEPARATOR}]*[^0-9{_SEPARATOR}]|[{_SEPARATOR}]{{5}})"
#: The kinds of separator run that may split the groups of one number: white space, or one
#: punctuation mark (any dash, ``_``, ``.`` or ``/``), once or twice, with a blank either side.
_SEPARATOR_KINDS = (
    f"[{_BLANK}]{{1,4}}",
    *(
        f"[{_BLANK}]?{mark}{{1,2}}[{_BLANK}]?"
        for mark in ("[\\-\u2010-\u2015\u2212]", "_", "\\.", "/")
    ),
)
#: Exactly 10 digits in groups of any size split by separators of one kind, with no further
#: digit joined to them either side by up to four separators: ``9434 765 919``,
#: ``94 34 76 59 19``, ``943 - 476 - 5919``. A date and an hour (``2024-01-05 12``) mixes
#: kinds and never matches, so such columns cost no more than a regular expression pass.
NHS_NUMBER_GROUPS = (
    f"{_RUN_START}(?P<n>"
    + "|".join(f"[0-9](?:(?:{kind})?[0-9]){{9}}" for kind in _SEPARATOR_KINDS)
    + f"){_RUN_END}"
)
#: Two separated gaps between digits: what a value needs to hold three groups or more.
_THREE_GROUPS = f"[0-9][{_SEPARATOR}]+[0-9]+[{_SEPARATOR}]+[0-9]"
#: A number in scientific notation, not part of a longer number (``9.434765919E+09``).
SCIENTIFIC_NUMBER = (
    r"(?:^|[^0-9.])(?P<n>[0-9]{1,10}(?:\.[0-9]{1,9})?[eE][-+]?[0-9]{1,2})(?:[^0-9]|$)"
)
_OUTWARD, _INWARD = r"[A-Za-z]{1,2}[0-9][A-Za-z0-9]?", r"[0-9][A-Za-z]{2}"
#: Between the outward and inward codes: up to four spaces, tabs, no-break spaces or ``- _ . /``.
_GAP = f"[{_BLANK}\\-_./]{{0,4}}"
#: A full postcode inside text, bounded by anything but a letter or digit.
POSTCODE_IN_TEXT = rf"(?:^|[^A-Za-z0-9]){_OUTWARD}{_GAP}{_INWARD}(?:[^A-Za-z0-9]|$)"
#: A whole value that is a full postcode once its white space is removed.
POSTCODE_WHOLE = (
    r"^\s*[A-Za-z]\s*(?:[A-Za-z]\s*)?[0-9]\s*(?:[A-Za-z0-9]\s*)?[0-9]\s*[A-Za-z]\s*[A-Za-z]\s*$"
)
#: A full postcode in capitals glued inside text: a change of case (or a non-alphanumeric
#: character, or an end of the value) either side.
POSTCODE_GLUED = rf"(?:^|[^A-Z0-9])[A-Z]{{1,2}}[0-9][A-Z0-9]?{_GAP}[0-9][A-Z]{{2}}(?:[^A-Z0-9]|$)"
FULL_POSTCODE = f"(?:{POSTCODE_IN_TEXT})|(?:{POSTCODE_WHOLE})|(?:{POSTCODE_GLUED})"
_ANY_IDENTIFIER = (
    f"(?:{NHS_NUMBER_SHAPE})|(?:{NHS_NUMBER_GROUPS})|(?:{SCIENTIFIC_NUMBER})|{FULL_POSTCODE}"
)
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


def _rounds(
    candidates: pa.Array, pattern: str, passes: Callable[[pa.StructArray], np.ndarray]
) -> np.ndarray:
    """For each candidate value, whether any run of ``pattern`` in it ``passes``.

    Each round takes the first run of every value still in play, checks it, and blanks it out
    (keeping a boundary that is neither a digit nor a separator) so the next round sees the
    next one: vectorised per round, and there
    are as many rounds as the most runs in one value (one, in practice)."""
    found = np.zeros(len(candidates), dtype=bool)
    rows = np.arange(len(candidates))
    current = candidates
    while len(current):
        parts = pc.extract_regex(current, pattern)
        shaped = np.asarray(pc.is_valid(parts).to_numpy(zero_copy_only=False), dtype=bool)
        if not shaped.any():
            break
        found[rows[shaped]] |= passes(parts.filter(pa.array(shaped)))
        rows = rows[shaped]
        current = pc.replace_substring_regex(
            current.filter(pa.array(shaped)), pattern, "#", max_replacements=1
        )
    return found


def _grouped_digits_pass(parts: pa.StructArray) -> np.ndarray:
    a, b, c = parts.flatten()
    return passes_nhs_number_check(_ten_digit_rows(pc.binary_join_element_wise(a, b, c, "")))


def _separators_differ(gaps: pa.ListArray) -> np.ndarray:
    """For each run's list of separators (an empty text at either end, then the separators
    between its groups in order), whether two of the separators differ."""
    lengths = pc.list_value_length(gaps).to_numpy(zero_copy_only=False).astype(np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    flat = pc.list_flatten(gaps)
    parent = pc.list_parent_indices(gaps).to_numpy(zero_copy_only=False)
    position = np.arange(len(flat)) - starts[parent]
    between = (position > 0) & (position < lengths[parent] - 1)
    first = pc.take(flat, pa.array(np.minimum(starts[parent] + 1, len(flat) - 1)))
    same = np.asarray(pc.equal(flat, first).to_numpy(zero_copy_only=False), dtype=bool)
    return np.bincount(parent[between & ~same], minlength=len(gaps)) > 0


def _digit_groups_pass(parts: pa.StructArray) -> np.ndarray:
    """Whether each run of 10 digits in groups is an NHS number: three groups or more, one
    separator (or run of separators) throughout, passing the check. A date and an hour
    (``2024-01-05 12``) mixes separators; two groups are a decimal number, or a code and a
    date (``SYN07_20240501`` in a submission file's name)."""
    runs = parts.field("n")
    gaps = pc.split_pattern_regex(runs, "[0-9]+")
    groups = pc.list_value_length(gaps).to_numpy(zero_copy_only=False) - 1
    digits = _ten_digit_rows(pc.replace_substring_regex(runs, "[^0-9]", ""))
    return passes_nhs_number_check(digits) & (groups >= 3) & ~_separators_differ(gaps)


def _scientific_number_passes(parts: pa.StructArray) -> np.ndarray:
    """Whether each number in scientific notation is a whole 10-digit number passing the check."""
    numbers = pc.cast(parts.field("n"), pa.float64()).to_numpy(zero_copy_only=False)
    whole = (numbers >= 1e9) & (numbers < 1e10) & (numbers == np.floor(numbers))
    found = np.zeros(len(numbers), dtype=bool)
    if whole.any():
        ints = numbers[whole].astype(np.int64)
        digits = (ints[:, None] // 10 ** np.arange(9, -1, -1, dtype=np.int64)) % 10
        found[whole] = passes_nhs_number_check(digits)
    return found


def _nhs_number_rows(candidates: pa.Array) -> np.ndarray:
    """For each candidate value, whether it holds an NHS number passing the check: 3-3-4
    grouped digits, 10 digits in three or more other groups with one separator throughout,
    or a number in scientific notation that is one (module docstring)."""
    grouped = _rounds(candidates, NHS_NUMBER_SHAPE, _grouped_digits_pass)
    split = np.asarray(
        pc.match_substring_regex(candidates, _THREE_GROUPS).to_numpy(zero_copy_only=False),
        dtype=bool,
    )
    if split.any():
        found = _rounds(candidates.filter(pa.array(split)), NHS_NUMBER_GROUPS, _digit_groups_pass)
        grouped[np.flatnonzero(split)] |= found
    return grouped | _rounds(candidates, SCIENTIFIC_NUMBER, _scientific_number_passes)


@cache
def _decimal_digit_classes() -> tuple[str, ...]:
    """For each digit 0 to 9, a regular expression class of every non-ASCII Unicode decimal
    digit (category Nd) with that value, e.g. Arabic-Indic, Devanagari, mathematical digits."""
    found: list[list[str]] = [[] for _ in range(10)]
    for code in range(128, sys.maxunicode + 1):
        value = unicodedata.decimal(chr(code), None)
        if value is not None:
            found[value].append(chr(code))
    return tuple("[" + "".join(chars) + "]" for chars in found)


def _non_ascii_rows(text: pa.Array) -> np.ndarray:
    """Which values hold a byte at or above 0x80 (a non-ASCII character), from the bytes."""
    n = len(text)
    if n == 0 or text.buffers()[2] is None:
        return np.zeros(n, dtype=bool)
    offsets_type = np.int64 if pa.types.is_large_string(text.type) else np.int32
    offsets = np.frombuffer(text.buffers()[1], dtype=offsets_type)[
        text.offset : text.offset + n + 1
    ]
    data = np.frombuffer(text.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    high = data >= 0x80
    if not high.any():
        return np.zeros(n, dtype=bool)
    before = np.concatenate([[0], np.cumsum(high, dtype=np.int64)])
    return (before[offsets[1:] - offsets[0]] - before[offsets[:-1] - offsets[0]]) > 0


def normalise(text: pa.Array) -> pa.Array:
    """The values as the identifier rules read them (module docstring): NFKC, every Unicode
    decimal digit as its ASCII digit, format characters (category Cf) removed.

    Only values holding a non-ASCII character are rewritten (all-ASCII values are already in
    this form); the rest pass through untouched, so an all-ASCII column costs one byte scan."""
    rows = _non_ascii_rows(text)
    if not rows.any():
        return text
    mask = pa.array(rows)
    subset = pc.replace_substring_regex(pc.utf8_normalize(text.filter(mask), "NFKC"), r"\p{Cf}", "")
    for digit, characters in enumerate(_decimal_digit_classes()):
        subset = pc.replace_substring_regex(subset, characters, str(digit))
    return pc.replace_with_mask(text, mask, subset.cast(text.type))


#: Shortest value that can hold an identifier: ``15e8`` (1500000000) passes the NHS number
#: check; a full postcode needs 5 (``A11AA``), other NHS number forms 10.
_SHORTEST = 4
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
    (10 positions that can be a digit), a full postcode (a position that can be a digit
    followed by two that can be a letter, white space or a non-ASCII byte: the inward code), or
    a number in scientific notation (a digit, then ``e`` or ``E``, then a digit or a sign)."""
    digit = (low <= ord("9")) & (high >= ord("0"))
    follow = (high >= ord("A")) | (low <= ord(" "))
    exponent = ((low <= ord("E")) & (high >= ord("E"))) | ((low <= ord("e")) & (high >= ord("e")))
    power = (low <= ord("9")) & (high >= ord("+"))
    return bool(
        digit.sum() >= 10
        or (digit[:-2] & follow[1:-1] & follow[2:]).any()
        or (digit[:-2] & exponent[1:-1] & power[2:]).any()
    )


def screen(text: pa.Array) -> np.ndarray:
    """Which values could hold an NHS number or a full postcode: a cheap, vectorised superset.

    Values are grouped by byte length; within a group, each byte position's range over all the
    group's values says whether it can ever be a digit or a letter. A date column
    (``2024-02-28``: 8 digit positions), an id column (``C000012839``: 9) or a code column
    can then be passed without looking at any value twice; a group whose ranges cannot rule it
    out (mixed forms) is screened value by value, still vectorised. Values shorter than 4
    bytes pass; values that could hold one, and values longer than 40 bytes, are kept for
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
    more digits, a digit followed by two letters, white space or non-ASCII bytes, or a digit
    followed by ``e``/``E`` and a digit or sign (scientific notation). Used when a
    group mixes forms (``2024-02-28`` and ``28/02/2024``) so its position ranges cannot rule
    it out; a pass per byte position, each over all values at once."""
    by_position = np.ascontiguousarray(values.T)
    digit = (by_position - np.uint8(ord("0"))) < 10
    follow = (by_position >= ord("A")) | (by_position <= ord(" "))
    exponent = (by_position | np.uint8(0x20)) == ord("e")
    power = digit | (by_position == ord("+")) | (by_position == ord("-"))
    enough_digits = digit.sum(axis=0, dtype=np.int32) >= 10
    inward = (digit[:-2] & follow[1:-1] & follow[2:]).any(axis=0)
    return enough_digits | inward | (digit[:-2] & exponent[1:-1] & power[2:]).any(axis=0)


def count_identifiers(values: pa.Array | pa.ChunkedArray) -> tuple[int, int]:
    """How many values hold an NHS number, and how many a full postcode (module docstring).

    A structural screen (:func:`screen`) passes most columns outright; one regular expression
    pass over the values it keeps finds the few shaped like either identifier, and only those
    are looked at further. Nulls never count."""
    text = normalise(_as_text(values))
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


#: The one form a year or a month of birth may take (:func:`count_birth_dates`).
BIRTH_PART_FORMS = {"year": r"^\s*[0-9]{4}\s*$", "month": r"^\s*(?:0?[1-9]|1[0-2])\s*$"}


def count_birth_dates(values: pa.Array | pa.ChunkedArray, part: str) -> int:
    """How many values of a column the specification declares as the year (``part="year"``)
    or the month (``"month"``) of birth are not a bare four-digit year or a month number 1 to
    12 but hold a digit: a full date of birth (``1948-03-12``, ``12/03/1948``, ``19480312``)
    or a number that may be one (measures.md section 1). Empty values and values without a
    digit do not count (validation rejects those that are not numbers)."""
    text = normalise(_as_text(values))
    bare = pc.match_substring_regex(text, BIRTH_PART_FORMS[part])
    digit = pc.match_substring_regex(text, "[0-9]")
    return int(pc.sum(pc.and_(digit, pc.invert(bare))).as_py() or 0)


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
      ``dob``/``yob`` (``patient_dob``); the ingest header check lets through exactly the
      columns a table's specification declares as the year and month of birth
      (``Column.birth_part``: CLD's ``birth_year`` and ``birth_month``), and no other;
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
