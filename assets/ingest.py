"""Ingest group: raw/ -> an inventory of files -> documents with clean text."""

from collections.abc import Iterator
from dataclasses import asdict

import dagster as dg
import pandas as pd

from assets.metadata import table_metadata, table_output
from pipeline.documents import read_documents
from pipeline.inventory import RawFile, scan
from pipeline.resources import PipelinePaths
from schemas.derive import records_frame

GROUP = "ingest"


@dg.asset(
    group_name=GROUP,
    kinds={"python", "parquet"},
    description="Every file under raw/ with its size, sha256 and what the inventory decided "
    "(read, duplicate, ignored, refused).",
)
def raw_files(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.Output:
    frame = records_frame("raw_files", [asdict(f) for f in scan(paths.raw)])
    counts = {f"files_{k}": int(v) for k, v in frame["status"].value_counts().items()}
    context.log.info(f"raw_files: {len(frame)} files {counts}")
    return dg.Output(frame, metadata=table_metadata("raw_files", frame, counts))


@dg.multi_asset(
    group_name=GROUP,
    outs={
        "documents": dg.AssetOut(
            kinds={"python", "parquet"},
            description="Decoded, HTML-stripped, boilerplate-free text of each distinct raw "
            "document, with language and title; every offset in the release refers to it.",
        ),
        "rejected_documents": dg.AssetOut(
            kinds={"python", "parquet"},
            description="Raw files that could not become documents, with the reason.",
        ),
    },
)
def documents(
    context: dg.AssetExecutionContext, paths: PipelinePaths, raw_files: pd.DataFrame
) -> Iterator[dg.Output]:
    files = [
        RawFile(**{k: (None if pd.isna(v) else v) for k, v in row.items()})
        for row in raw_files.to_dict("records")
    ]
    docs, rejections = read_documents(paths.raw, files)
    doc_frame = records_frame("documents", [{**asdict(d), "n_chars": len(d.text)} for d in docs])
    rejected = records_frame("rejected_documents", [asdict(r) for r in rejections])
    languages = {k: int(v) for k, v in doc_frame["language"].value_counts().items()}
    context.log.info(f"documents: {len(doc_frame)} parsed, {len(rejected)} rejected")
    yield table_output(
        "documents", doc_frame, languages=languages, documents_rejected=len(rejected)
    )
    yield table_output("rejected_documents", rejected)
