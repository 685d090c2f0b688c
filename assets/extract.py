"""Extract group: each document's text -> mentions with character spans.

Extraction is cached by the hash of each document's text and the extractor
version, and what is not cached runs over batches on all cores (see
``pipeline.batch``). The ``extract_shards`` job fills the same cache one hash
shard of documents per step, so that a distributed executor can spread
extraction over machines while the asset graph stays as it is
(docs/scaling.md).
"""

from pathlib import Path

import dagster as dg
import pandas as pd

from assets.metadata import definition_metadata, table_metadata
from pipeline.batch import extract_cached, worker_count
from pipeline.extract import EXTRACTOR_VERSION
from pipeline.frames import arrow_frame
from pipeline.gc_pause import return_free_memory
from pipeline.resources import PipelinePaths, asset_path, read_parquet
from schemas.derive import conform


@dg.asset(
    group_name="extract",
    kinds={"pandas", "parquet"},
    metadata=definition_metadata("mentions"),
    code_version=EXTRACTOR_VERSION,
    description="Every programme, objective, action, territory, project and organisation "
    "named in each document, with its span, the values read nearby and links between them.",
)
def mentions(
    context: dg.AssetExecutionContext, paths: PipelinePaths, documents: pd.DataFrame
) -> dg.Output:
    docs = document_inputs(documents)
    rows, extracted, failures = extract_cached(docs, cache_root(paths))
    for doc_id, error in sorted(failures.items()):
        context.log.warning(f"extraction failed on {doc_id}, kept with no mentions: {error}")
    frame = conform("mentions", arrow_frame(rows))
    del docs, rows
    return_free_memory()  # what the unsorted rows held, before the next step builds on it
    by_type = {k: int(v) for k, v in frame["record_type"].value_counts().items()}
    context.log.info(
        f"mentions: {len(frame)} in {len(documents)} documents {by_type}; "
        f"{extracted} extracted, {len(documents) - extracted} from the cache"
    )
    extra = {
        "by_type": by_type,
        "documents_extracted": extracted,
        "extraction_failures": len(failures),
        "extraction_failed_documents": dg.MetadataValue.md(
            "\n".join(f"- {d}: {e}" for d, e in sorted(failures.items())) or "none"
        ),
    }
    return dg.Output(frame, metadata=table_metadata("mentions", frame, extra))


def cache_root(paths: PipelinePaths) -> Path:
    return paths.warehouse / "cache"


def document_inputs(documents: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(doc_id, text, language) of each document, as extraction reads them."""
    columns = [documents[c].astype(str).tolist() for c in ("doc_id", "text", "language")]
    return list(zip(*columns, strict=True))


# ------------------------------------------------------------ sharded extraction


def shard_of(doc_id: str, shards: int) -> int:
    """Documents spread evenly and stably over shards: doc ids are hashes."""
    return int(doc_id.removeprefix("doc-")[:8], 16) % shards


class ShardsConfig(dg.Config):
    shards: int = 8


# The ops pass small values (shard numbers, counts), not tables: they are
# pickled by their own IO manager, under the warehouse (docs/scaling.md).
OP_IO = "op_io_manager"


@dg.op(out=dg.DynamicOut(tuple, io_manager_key=OP_IO))
def plan_shards(config: ShardsConfig):
    """One step per shard: (shard, number of shards)."""
    for shard in range(config.shards):
        yield dg.DynamicOutput((shard, config.shards), mapping_key=f"shard_{shard}")


@dg.op(out=dg.Out(int, io_manager_key=OP_IO))
def extract_shard(context: dg.OpExecutionContext, paths: PipelinePaths, shard: tuple) -> int:
    """Extract one shard of the stored documents into the shared cache."""
    index, shards = shard
    documents = read_parquet(asset_path(paths.warehouse, "documents"))
    docs = [d for d in document_inputs(documents) if shard_of(d[0], shards) == index]
    _, extracted, _ = extract_cached(docs, cache_root(paths), workers=worker_count())
    context.log.info(f"shard {index}/{shards}: {len(docs)} documents, {extracted} extracted")
    return extracted


@dg.op(out=dg.Out(int, io_manager_key=OP_IO))
def shards_done(context: dg.OpExecutionContext, extracted: list[int]) -> int:
    context.log.info(f"{sum(extracted)} documents extracted over {len(extracted)} shards")
    return sum(extracted)


@dg.job(
    description="Fill the extraction cache one hash shard of the stored documents per step, "
    "for a distributed executor; the next build's mentions asset then reads the cache.",
)
def extract_shards() -> None:
    shards_done(plan_shards().map(extract_shard).collect())
