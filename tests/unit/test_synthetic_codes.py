"""Code columns held as integer codes (workbench.synthetic.codes) write the same text, from the
same random draws, as the object arrays they replaced."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.synthetic.codes import choose_codes, coded, replace_values, vocabulary
from workbench.synthetic.sampling import choose
from workbench.synthetic.text import categorical_text, code_text

WEIGHTS = {"5": 0.82, "6": 0.04, "3": 0.05, "7": 0.01, "2": 0.035, "4": 0.045}


def test_choose_codes_draws_what_choose_draws() -> None:
    categories = vocabulary(WEIGHTS, ["9"])
    assert categories == ("2", "3", "4", "5", "6", "7", "9")
    codes = choose_codes(np.random.default_rng(3), WEIGHTS, 5_000, categories)
    want = choose(np.random.default_rng(3), WEIGHTS, 5_000)
    assert np.array(categories, dtype=object)[codes].tolist() == want.tolist()


def test_replace_values_keeps_a_code_column_coded_and_sorted() -> None:
    column = pd.Series(coded(np.array([0, 1, 2, 1]), ("01", "02", "11")))
    out = replace_values(column, np.array([False, True, False, True]), ["99", "00"])
    assert isinstance(out, pd.Categorical)
    assert list(out.categories) == ["00", "01", "02", "11", "99"]
    assert out.tolist() == ["01", "99", "11", "00"]


def test_replace_values_of_an_object_column_gives_objects() -> None:
    out = replace_values(np.array(["a", "b"], dtype=object), np.array([1]), ["c"])
    assert out.dtype == object
    assert out.tolist() == ["a", "c"]


def test_categorical_text_equals_code_text() -> None:
    values = np.array(["01", "", None, "A31", "", "Z", None, "99"], dtype=object)
    column = pd.Categorical(values, categories=["", "01", "99", "A31", "Z"])
    got = categorical_text(column[1:])
    assert got.to_pylist() == code_text(values[1:]).tolist()
    assert categorical_text(column[:0]).to_pylist() == []
