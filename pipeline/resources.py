"""Dagster resources: where the pipeline reads and writes, and how assets are stored.

Paths default to the repository's raw/ and warehouse/; the command line and
the tests point them elsewhere. Every table asset is stored as Parquet under
``<warehouse>/assets/`` with the Arrow schema derived from its declaration,
so what the UI shows is what a release would publish.
"""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.inventory import DEFAULT_MAX_FILE_MB, megabytes_to_bytes
from schemas.derive import arrow_schema
from schemas.tables import TABLES

REPO = Path(__file__).resolve().parent.parent
DEFAULT_RAW = REPO / "raw"
DEFAULT_WAREHOUSE = REPO / "warehouse"
DEFAULT_OVERRIDES = REPO / "pipeline" / "overrides.yaml"


def default_raw_dir() -> str:
    return os.environ.get("TCD_RAW_DIR", str(DEFAULT_RAW))


def default_warehouse_dir() -> str:
    return os.environ.get("TCD_WAREHOUSE_DIR", str(DEFAULT_WAREHOUSE))


class PipelinePaths(dg.ConfigurableResource):
    """The input folder, the folder everything is written to, and the
    reviewed corrections applied after resolution."""

    raw_dir: str
    warehouse_dir: str
    overrides_file: str = str(DEFAULT_OVERRIDES)
    # Raw files larger than this are refused unread (--max-file-mb).
    max_file_mb: float = DEFAULT_MAX_FILE_MB

    @property
    def raw(self) -> Path:
        return Path(self.raw_dir)

    @property
    def max_file_bytes(self) -> int:
        return megabytes_to_bytes(self.max_file_mb)

    @property
    def warehouse(self) -> Path:
        return Path(self.warehouse_dir)


def frame_to_arrow(name: str, frame: pd.DataFrame) -> pa.Table:
    """A frame as an Arrow table with the declared schema and no pandas metadata."""
    schema = arrow_schema(name)
    table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
    return table.replace_schema_metadata(schema.metadata)


# Releases are compressed hard (written once, downloaded often); the assets
# between steps lightly, since each is written once and read back at once.
RELEASE_COMPRESSION_LEVEL = 9
ASSET_COMPRESSION_LEVEL = 1


def write_parquet(
    name: str, frame: pd.DataFrame, path: Path, compression_level: int = RELEASE_COMPRESSION_LEVEL
) -> None:
    write_arrow_parquet(frame_to_arrow(name, frame), path, compression_level)


def write_arrow_parquet(
    table: pa.Table, path: Path, compression_level: int = RELEASE_COMPRESSION_LEVEL
) -> None:
    pq.write_table(
        table,
        path,
        compression="zstd",
        compression_level=compression_level,
        use_dictionary=True,
        write_statistics=True,
    )


def read_parquet(path: Path) -> pd.DataFrame:
    return arrow_to_frame(pq.read_table(path))


def arrow_to_frame(table: pa.Table) -> pd.DataFrame:
    return table.to_pandas(types_mapper=pd.ArrowDtype).pipe(_nullable_dtypes)


def _nullable_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """Arrow-backed columns back to the pandas nullable dtypes the code expects."""
    mapping = {"string": "string", "int64": "Int64", "double": "Float64", "bool": "boolean"}
    for col in frame.columns:
        arrow_type = str(getattr(frame[col].dtype, "pyarrow_dtype", ""))
        frame[col] = frame[col].astype(mapping.get(arrow_type, "object"))  # type: ignore[call-overload]
    return frame


def asset_path(warehouse: Path, name: str) -> Path:
    return warehouse / "assets" / f"{name}.parquet"


def stored_rows(warehouse: Path, name: str) -> int:
    """Rows of a stored table, from its Parquet footer (the table is not read)."""
    return pq.read_metadata(asset_path(warehouse, name)).num_rows


class ParquetIOManager(dg.ConfigurableIOManager):
    """Stores each table asset as ``<warehouse>/assets/<name>.parquet``."""

    warehouse_dir: str

    def _path(self, key: dg.AssetKey) -> Path:
        return asset_path(Path(self.warehouse_dir), key.path[-1])

    def handle_output(self, context: dg.OutputContext, obj: pd.DataFrame) -> None:
        name = context.asset_key.path[-1]
        if name not in TABLES:
            raise TypeError(f"asset {name} is not a declared table (schemas/tables.py)")
        path = self._path(context.asset_key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".parquet.tmp")
        write_parquet(name, obj, tmp, ASSET_COMPRESSION_LEVEL)
        os.replace(tmp, path)
        context.add_output_metadata({"path": dg.MetadataValue.path(str(path))})

    def load_input(self, context: dg.InputContext) -> pd.DataFrame:
        return read_parquet(self._path(context.asset_key))
