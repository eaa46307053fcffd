"""Identifiers: pseudonymised person ids and provider-local record ids.

Every id carries a letter prefix, so no value is ever a 10-digit number (ingest refuses
anything that could be an NHS number).
"""

from __future__ import annotations

import numpy as np

#: Odd 64-bit multiplier: n -> n * K mod 2**64 is a bijection, so ids never collide.
_MIX = np.uint64(0x9E3779B97F4A7C15)


def person_ids(provider_index: int, numbers: np.ndarray) -> np.ndarray:
    """Nationally unique, random-looking person ids: 'P' + 16 hex digits of
    ((provider_index << 40) | n) * K mod 2**64."""
    raw = (np.uint64(provider_index) << np.uint64(40)) | numbers.astype(np.uint64)
    with np.errstate(over="ignore"):
        mixed = raw * _MIX
    return np.char.add("P", np.char.zfill(np.char.upper(_hex(mixed)), 16)).astype(object)


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
