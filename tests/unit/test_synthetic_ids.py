"""The vectorised id formatting of workbench.synthetic.ids equals the per-value formatting it
replaced (so a generation for a given seed writes the same ids as before)."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.synthetic.ids import (
    ID_TEXT,
    ORPHAN_REFERRAL,
    local_ids,
    person_id_text,
    person_ids,
    person_keys,
    referral_id_text,
)
from workbench.synthetic.sampling import stable_order

_MIX = 0x9E3779B97F4A7C15
_LETTER_OF_HEX = dict(zip("0123456789abcdef", "ABCDEFGHJKLMNPQR", strict=True))
#: 2**24 - 1 is the largest provider index whose ids stay unique (index << 40 fits in 64 bits).
PROVIDER_INDEXES = (0, 1, 2, 199, 200, 2**24 - 1)
NUMBERS = np.array(
    [0, 1, 9, 10, 15, 16, 255, 999_999_999, 10**9, 2**32, 2**40 - 2, 2**40 - 1], dtype=np.int64
)


def _person_id_one_by_one(provider_index: int, number: int) -> str:
    """The formatting before vectorising: hex text of the mixed value, zero-filled to 16
    digits, each digit written as a letter."""
    mixed = (((provider_index << 40) | number) * _MIX) % 2**64
    return "P" + "".join(_LETTER_OF_HEX[c] for c in format(mixed, "x").zfill(16))


def _local_id_one_by_one(prefix: str, number: int, width: int) -> str:
    return prefix + str(number).zfill(width)


@pytest.mark.parametrize("provider_index", PROVIDER_INDEXES)
def test_person_ids_equal_per_value_formatting(provider_index: int) -> None:
    rng = np.random.default_rng(provider_index)
    numbers = np.concatenate([NUMBERS, rng.integers(0, 2**40, 2_000)])
    got = person_ids(provider_index, numbers)
    assert got.dtype == object
    assert all(isinstance(v, str) for v in got)
    want = [_person_id_one_by_one(provider_index, int(n)) for n in numbers]
    assert got.tolist() == want
    assert all(len(v) == 17 and v.isalpha() for v in got)


def test_person_ids_of_mixed_value_zero_are_all_a() -> None:
    # n = 0 at provider 0 mixes to 0: every one of the 16 digits is a leading zero.
    assert person_ids(0, np.array([0])).tolist() == ["P" + "A" * 16]


def test_person_ids_are_unique_across_providers() -> None:
    numbers = np.arange(5_000)
    ids = np.concatenate([person_ids(p, numbers) for p in PROVIDER_INDEXES])
    assert len(set(ids.tolist())) == len(ids)


@pytest.mark.parametrize(
    ("prefix", "width"), [("C", 9), ("R", 9), ("S", 8), ("RO", 8), ("", 3), ("X", 1)]
)
def test_local_ids_equal_per_value_formatting(prefix: str, width: int) -> None:
    rng = np.random.default_rng(width)
    numbers = np.concatenate(
        [[0, 1, 9, 10, 10**width - 1], rng.integers(0, 10**width, 2_000)]
    ).astype(np.int64)
    got = local_ids(prefix, numbers, width)
    assert got.dtype == object
    assert got.tolist() == [_local_id_one_by_one(prefix, int(n), width) for n in numbers]


def test_local_ids_longer_than_width_are_written_in_full() -> None:
    numbers = np.array([5, 10**8, 2**40 - 1, 10**12])
    got = local_ids("RO", numbers, 8)
    assert got.tolist() == [_local_id_one_by_one("RO", int(n), 8) for n in numbers]


def test_empty_numbers_give_empty_ids() -> None:
    assert person_ids(3, np.array([], dtype=np.int64)).tolist() == []
    assert local_ids("C", np.array([], dtype=np.int64)).tolist() == []


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_stable_order_equals_lexsort(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 5_000
    day = rng.integers(19_000, 19_010, n)
    minute = rng.integers(0, 4, n) * 15
    rnum = rng.integers(0, 50, n)
    want = np.lexsort((rnum, minute, day))
    assert np.array_equal(stable_order(day, minute, rnum), want)
    # keys too wide to combine take the lexsort path, with the same answer
    wide = rng.integers(-(2**40), 2**40, n)
    assert np.array_equal(stable_order(wide, day, wide), np.lexsort((wide, day, wide)))
    assert len(stable_order(np.array([], dtype=np.int64))) == 0


def _text_order(texts: np.ndarray) -> list[int]:
    return sorted(range(len(texts)), key=lambda i: (texts[i], i))


def test_person_keys_sort_as_their_ids_and_write_them() -> None:
    rng = np.random.default_rng(7)
    numbers = rng.integers(0, 2**40, 3_000)
    keys = person_keys(5, numbers)
    assert keys.dtype == np.uint64
    texts = person_id_text(keys)
    assert texts.tolist() == person_ids(5, numbers).tolist()
    assert ID_TEXT["person_id"](keys).to_pylist() == texts.tolist()
    assert np.argsort(keys, kind="stable").tolist() == _text_order(texts)


def test_referral_numbers_with_orphans_sort_as_their_ids() -> None:
    rng = np.random.default_rng(8)
    numbers = np.concatenate(
        [rng.integers(0, 10**9, 2_000), ORPHAN_REFERRAL + rng.integers(0, 10**8, 500), [0, 5]]
    ).astype(np.int64)
    texts = np.array(referral_id_text(numbers).to_pylist(), dtype=object)
    assert texts[-1] == "R000000005"
    assert all(t.startswith("RO") and len(t) == 10 for t in texts[2_000:2_500])
    assert texts[2_000] == "RO" + str(int(numbers[2_000] - ORPHAN_REFERRAL)).zfill(8)
    assert np.argsort(numbers, kind="stable").tolist() == _text_order(texts)


@pytest.mark.parametrize(
    ("column", "prefix", "width"), [("contact_id", "C", 9), ("spell_id", "S", 8)]
)
def test_record_numbers_are_written_with_their_prefix(column: str, prefix: str, width: int) -> None:
    numbers = np.array([0, 7, 10**width - 1], dtype=np.int64)
    assert ID_TEXT[column](numbers).to_pylist() == [
        _local_id_one_by_one(prefix, int(n), width) for n in numbers
    ]
