"""Rows of a frame as Python values, read column by column.

pandas 3 keeps text in Arrow arrays, and ``DataFrame.to_dict("records")``
boxes every cell one by one (tens of seconds over the million statements of
10,000 pages); converting each column once with ``tolist`` gives the same
dicts in a fraction of the time (tests/test_frames.py compares them).
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa


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
