"""Ingest group: raw/ -> an inventory of files -> documents with clean text."""

from collections.abc import Hashable, Iterator, Mapping
from dataclasses import asdict
from typing import Any

import dagster as dg
import pandas as pd

from assets.metadata import definition_metadata, table_metadata, table_out, table_output
from pipeline.batch import read_documents_cached
from pipeline.documents import unaccounted_paths
from pipeline.frames import frame_records
from pipeline.gc_pause import paused_gc
from pipeline.inventory import HashMemo, RawFile, scan
from pipeline.resources import PipelinePaths
from schemas.derive import records_frame
from schemas.tables import TABLES

GROUP = "ingest"


@dg.asset(
    group_name=GROUP,
    kinds={"pandas", "parquet"},
    metadata=definition_metadata("raw_files"),
    description="Every file under raw/ with its size, sha256 and what the inventory decided "
    "(read, duplicate, ignored, refused).",
)
def raw_files(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.Output:
    # The listing and the memo are 100,000 objects and no cycle: a collection
    # they set off would rescan every object of the process for nothing.
    with paused_gc():
        hashes = HashMemo(paths.warehouse / "cache" / "raw_hashes.json", paths.raw)
        files = scan(paths.raw, paths.max_file_bytes, hashes)
        hashes.save()
    frame = records_frame("raw_files", [vars(f) for f in files])  # asdict deep-copies each field
    statuses = TABLES["raw_files"].column("status").allowed or ()
    counts = {f"files_{s}": int((frame["status"] == s).sum()) for s in statuses}
    context.log.info(f"raw_files: {len(frame)} files {counts}")
    return dg.Output(frame, metadata=table_metadata("raw_files", frame, counts))


def raw_file(row: Mapping[Hashable, Any]) -> RawFile:
    fields: dict[str, Any] = {str(k): (None if pd.isna(v) else v) for k, v in row.items()}
    return RawFile(**fields)


@dg.multi_asset(
    group_name=GROUP,
    outs={
        "documents": table_out("documents"),
        "rejected_documents": table_out("rejected_documents"),
    },
)
def documents(
    context: dg.AssetExecutionContext, paths: PipelinePaths, raw_files: pd.DataFrame
) -> Iterator[dg.Output]:
    with paused_gc():  # as in raw_files: 10,000 files, documents and rows, no cycle
        files = [raw_file(row) for row in frame_records(raw_files)]
        docs, rejections = read_documents_cached(paths.raw, files, paths.warehouse / "cache")
        lost = unaccounted_paths(files, docs, rejections)
        if lost:
            raise dg.Failure(f"raw files neither published, rejected nor ignored: {lost[:20]}")
        for r in rejections:
            context.log.warning(f"rejected {r.source}: {r.reason}")
        # vars, not asdict: the fields are plain strings and numbers, and asdict's
        # field-by-field deep copy was nearly half the cost of this frame
        doc_frame = records_frame("documents", [{**vars(d), "n_chars": len(d.text)} for d in docs])
        rejected = records_frame("rejected_documents", [asdict(r) for r in rejections])
    languages = {k: int(v) for k, v in doc_frame["language"].value_counts().items()}
    counts = {
        "raw_files": len(files),
        "documents_rejected": len(rejected),
        "files_ignored": sum(f.status == "ignored" for f in files),
        "files_duplicate": sum(f.status == "duplicate" for f in files),
    }
    context.log.info(f"documents: {len(doc_frame)} parsed {counts}")
    yield table_output("documents", doc_frame, languages=languages, **counts)
    yield table_output("rejected_documents", rejected)
