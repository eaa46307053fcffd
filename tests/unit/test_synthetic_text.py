"""Text columns held in pandas' Arrow string storage are written as the object-array path wrote
them: '' and missing become null, every other value unchanged."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from workbench.synthetic.text import code_text, code_text_arrow


def test_code_text_arrow_equals_code_text() -> None:
    values = np.array(["01", "", None, "A31", "", "Z", None, "99"], dtype=object)
    series = pd.Series(values, dtype=pd.StringDtype("pyarrow", na_value=np.nan))
    got = code_text_arrow(series.iloc[1:])  # a slice, as after sorting and filtering
    assert got.type == pa.string()
    assert got.to_pylist() == code_text(values[1:]).tolist()
    assert got.to_pylist() == [None, None, "A31", None, "Z", None, "99"]


def test_code_text_arrow_of_an_empty_column() -> None:
    series = pd.Series([], dtype=pd.StringDtype("pyarrow", na_value=np.nan))
    assert code_text_arrow(series).to_pylist() == []
