"""Rows of a frame as Python values, read column by column.

pandas 3 keeps text in Arrow arrays, and ``DataFrame.to_dict("records")``
boxes every cell one by one (tens of seconds over the million statements of
10,000 pages); converting each column once with ``tolist`` gives the same
dicts in a fraction of the time (tests/test_frames.py compares them).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def column_values(series: pd.Series) -> list:
    """The cells as ``to_dict`` gives them: Python scalars, pandas' NA as None."""
    values = series.tolist()
    if series.hasnans:
        values = [None if v is pd.NA else v for v in values]
    return values


def frame_records(frame: pd.DataFrame) -> list[dict]:
    """``frame.to_dict("records")``: one dict per row, column order kept."""
    names = list(frame.columns)
    columns = [column_values(frame[name]) for name in names]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def arrow_frame(table: pa.Table) -> pd.DataFrame:
    """An Arrow table as a frame of pandas' nullable dtypes (``string``, ``Int64``,
    ``Float64``, ``boolean``), the dtypes ``conform`` gives; text stays in Arrow."""
    nullable = {
        pa.string(): pd.StringDtype("pyarrow"),
        pa.large_string(): pd.StringDtype("pyarrow"),
        pa.int64(): pd.Int64Dtype(),
        pa.float64(): pd.Float64Dtype(),
        pa.bool_(): pd.BooleanDtype(),
    }
    return table.to_pandas(types_mapper=nullable.get)


def text_is_in(values: pd.Series, *known: pd.Series) -> np.ndarray:
    """Per text value, whether it equals one of the known texts (a missing value
    matches a missing one), as pandas' ``isin`` says for text, found in Arrow:
    ``isin`` makes a Python object of every known value (the 300,000 evidence rows
    of 10,000 pages)."""
    value_set = pa.concat_arrays([_text_array(k) for k in known])
    return pc.is_in(_text_array(values), value_set=value_set).to_numpy(zero_copy_only=False)


def _text_array(values: pd.Series) -> pa.Array:
    """The values as text, in one Arrow array."""
    array = pa.array(values, type=pa.large_string())
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
