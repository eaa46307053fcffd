"""Identifiers: pseudonymised person ids and provider-local record ids.

Every id carries a letter prefix and at most nine digits, and person ids have no digits at all,
so no value ever holds a run of 10 digits: ingest refuses any such run that passes the NHS
number check, even inside a longer value (measures.md section 1).
"""

from __future__ import annotations

import numpy as np

#: The 16 "hex digits" of a person id, as letters in ascending order (so ids sort as the hex
#: did): with hex digits, about 1 id in 800 held a run of 10 digits passing the NHS number check.
_LETTERS = np.frombuffer(b"ABCDEFGHJKLMNPQR", dtype=np.uint8)
_HEX = np.zeros(256, dtype=np.uint8)
_HEX[np.frombuffer(b"0123456789ABCDEF", dtype=np.uint8)] = _LETTERS

#: Odd 64-bit multiplier: n -> n * K mod 2**64 is a bijection, so ids never collide.
_MIX = np.uint64(0x9E3779B97F4A7C15)


def person_ids(provider_index: int, numbers: np.ndarray) -> np.ndarray:
    """Nationally unique, random-looking person ids: 'P' + the 16 hex digits of
    ((provider_index << 40) | n) * K mod 2**64, each written as a letter (0 -> A ... F -> R)."""
    if len(numbers) == 0:
        return np.array([], dtype=object)
    raw = (np.uint64(provider_index) << np.uint64(40)) | numbers.astype(np.uint64)
    with np.errstate(over="ignore"):
        mixed = raw * _MIX
    hex_text = np.char.zfill(np.char.upper(_hex(mixed)), 16).astype("S16")
    letters = _HEX[np.frombuffer(hex_text.tobytes(), dtype=np.uint8)].tobytes()
    return np.char.add("P", np.frombuffer(letters, dtype="S16").astype(str)).astype(object)


def _hex(values: np.ndarray) -> np.ndarray:
    return (
        np.array([format(int(v), "x") for v in values], dtype=str)
        if len(values)
        else np.array([], dtype=str)
    )


def local_ids(prefix: str, numbers: np.ndarray, width: int = 9) -> np.ndarray:
    """Provider-local ids like 'R000000123' (prefix + zero-padded number)."""
    if len(numbers) == 0:
        return np.array([], dtype=object)
    return np.char.add(prefix, np.char.zfill(numbers.astype(str), width)).astype(object)


def provider_code(index: int) -> str:
    """Synthetic community provider code, clearly not a real ODS code: SYN01, SYN02, ..."""
    return f"SYN{index:02d}"


def acute_code(index: int) -> str:
    """Synthetic acute provider code linked to community provider ``index``: SYNA1..SYNA99,
    then SYNB1..SYNB99, ... (at most six characters, as the spec's code pattern asks)."""
    block, number = divmod(index - 1, 99)
    return f"SYN{chr(ord('A') + block)}{number + 1}"
