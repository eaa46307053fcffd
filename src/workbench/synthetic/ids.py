"""Identifiers: pseudonymised person ids and provider-local record ids.

While a provider is generated, every id column is held as integers that sort as the ids' text
does (person keys, record numbers); :data:`ID_TEXT` writes them as text when a file is written,
so no Python string is made per id before then and sorts compare integers.

Every id carries a letter prefix and at most nine digits, and person ids have no digits at all,
so no value ever holds a run of 10 digits: ingest refuses any such run that passes the NHS
number check, even inside a longer value (measures.md section 1).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: The 16 "hex digits" of a person id, as letters in ascending order (so ids sort as the hex
#: did): with hex digits, about 1 id in 800 held a run of 10 digits passing the NHS number check.
_LETTERS = np.frombuffer(b"ABCDEFGHJKLMNPQR", dtype=np.uint8).astype(np.uint32)
#: Right shifts that bring each hex digit of a 64-bit value, most significant first, to the
#: lowest four bits.
_NIBBLE_SHIFTS = np.arange(60, -1, -4, dtype=np.uint64)

#: Odd 64-bit multiplier: n -> n * K mod 2**64 is a bijection, so ids never collide.
_MIX = np.uint64(0x9E3779B97F4A7C15)


def person_keys(provider_index: int, numbers: np.ndarray) -> np.ndarray:
    """The integers behind person ids: ((provider_index << 40) | n) * K mod 2**64, as uint64
    (distinct for distinct (provider, n); their order is the order of the ids' text)."""
    raw = (np.uint64(provider_index) << np.uint64(40)) | np.asarray(numbers).astype(np.uint64)
    with np.errstate(over="ignore"):
        return raw * _MIX


def person_id_text(keys: np.ndarray) -> np.ndarray:
    """Person keys as ids: 'P' + the 16 hex digits of the key, each written as a letter
    (0 -> A ... F -> R)."""
    return _person_unicode(keys).astype(object)


def _person_unicode(keys: np.ndarray) -> np.ndarray:
    mixed = np.asarray(keys, dtype=np.uint64)
    codes = np.empty((len(mixed), 17), dtype=np.uint32)
    codes[:, 0] = ord("P")
    codes[:, 1:] = _LETTERS[(mixed[:, None] >> _NIBBLE_SHIFTS) & np.uint64(0xF)]
    return _as_unicode(codes)


def person_ids(provider_index: int, numbers: np.ndarray) -> np.ndarray:
    """Nationally unique, random-looking person ids: 'P' + the 16 hex digits of
    ((provider_index << 40) | n) * K mod 2**64, each written as a letter (0 -> A ... F -> R)."""
    return person_id_text(person_keys(provider_index, numbers))


def local_ids(prefix: str, numbers: np.ndarray, width: int = 9) -> np.ndarray:
    """Provider-local ids like 'R000000123' (prefix + the number, zero-padded to ``width``
    digits; a number with more digits is written in full)."""
    values = np.asarray(numbers, dtype=np.int64)
    if len(values) and (values.min() < 0 or values.max() >= 10**width):
        return np.array([prefix + str(int(v)).zfill(width) for v in values], dtype=object)
    return _local_unicode(prefix, values, width).astype(object)


def _local_unicode(prefix: str, values: np.ndarray, width: int) -> np.ndarray:
    """``local_ids`` of numbers in [0, 10**width) as a numpy unicode array."""
    codes = np.empty((len(values), len(prefix) + width), dtype=np.uint32)
    codes[:, : len(prefix)] = [ord(c) for c in prefix]
    rest = values.copy()
    for column in range(len(prefix) + width - 1, len(prefix) - 1, -1):
        rest, digit = np.divmod(rest, 10)
        codes[:, column] = digit + ord("0")
    return _as_unicode(codes)


def _as_unicode(codes: np.ndarray) -> np.ndarray:
    """Rows of a (n, width) array of code points as a numpy unicode array."""
    return np.ascontiguousarray(codes).view(f"<U{codes.shape[1]}").ravel()


def _local_arrow(prefix: str, numbers: np.ndarray, width: int = 9) -> pa.Array:
    """``local_ids`` as an Arrow string array, made without a Python string per id."""
    values = np.asarray(numbers, dtype=np.int64)
    if len(values) and (values.min() < 0 or values.max() >= 10**width):
        return pa.array(local_ids(prefix, values, width), type=pa.string())
    digits = pc.utf8_lpad(pa.array(values).cast(pa.string()), width=width, padding="0")
    return pc.binary_join_element_wise(pa.scalar(prefix), digits, "")


#: Referral numbers from here on stand for orphan references ('RO' + 8 digits, number - this):
#: every 'RO' id sorts after every 'R' + 9 digits id, as these numbers sort after record numbers.
ORPHAN_REFERRAL = 10**9


def referral_id_text(numbers: np.ndarray) -> pa.Array:
    """Referral numbers as ids: 'R' + 9 digits, or 'RO' + 8 digits for an orphan reference
    (a number of :data:`ORPHAN_REFERRAL` or more)."""
    values = np.asarray(numbers, dtype=np.int64)
    orphan = values >= ORPHAN_REFERRAL
    if not orphan.any():
        return _local_arrow("R", values)
    record = _local_arrow("R", np.where(orphan, 0, values))
    orphan_ref = _local_arrow("RO", np.where(orphan, values - ORPHAN_REFERRAL, 0), 8)
    return pc.if_else(pa.array(orphan), orphan_ref, record)


def person_id_arrow(keys: np.ndarray) -> pa.Array:
    """``person_id_text`` as an Arrow string array."""
    return pa.array(_person_unicode(keys), type=pa.string())


def contact_id_text(numbers: np.ndarray) -> pa.Array:
    """Contact numbers as ids: 'C' + 9 digits."""
    return _local_arrow("C", numbers)


def spell_id_text(numbers: np.ndarray) -> pa.Array:
    """Spell numbers as ids: 'S' + 8 digits."""
    return _local_arrow("S", numbers, 8)


#: How an id column held as integers is written (see the module docstring).
ID_TEXT: dict[str, Callable[[np.ndarray], pa.Array]] = {
    "person_id": person_id_arrow,
    "referral_id": referral_id_text,
    "contact_id": contact_id_text,
    "spell_id": spell_id_text,
}


def provider_code(index: int) -> str:
    """Synthetic community provider code, clearly not a real ODS code: SYN01, SYN02, ..."""
    return f"SYN{index:02d}"


def acute_code(index: int) -> str:
    """Synthetic acute provider code linked to community provider ``index``: SYNA1..SYNA99,
    then SYNB1..SYNB99, ... (at most six characters, as the spec's code pattern asks)."""
    block, number = divmod(index - 1, 99)
    return f"SYN{chr(ord('A') + block)}{number + 1}"
