"""Extract group: each document's text -> mentions with character spans."""

import dagster as dg
import pandas as pd

from assets.metadata import table_metadata
from pipeline.extract import EXTRACTOR_VERSION, extract_mentions
from pipeline.extract.model import to_row
from schemas.derive import records_frame


@dg.asset(
    group_name="extract",
    kinds={"python", "parquet"},
    code_version=EXTRACTOR_VERSION,
    description="Every programme, objective, action, territory, project and organisation "
    "named in each document, with its span, the values read nearby and links between them.",
)
def mentions(context: dg.AssetExecutionContext, documents: pd.DataFrame) -> dg.Output:
    rows: list[dict] = []
    for doc in documents[["doc_id", "text", "language"]].to_dict("records"):
        found = extract_mentions(str(doc["text"]), str(doc["language"]))
        rows.extend(to_row(str(doc["doc_id"]), m) for m in found)
    frame = records_frame("mentions", rows)
    by_type = {k: int(v) for k, v in frame["record_type"].value_counts().items()}
    context.log.info(f"mentions: {len(frame)} in {len(documents)} documents {by_type}")
    return dg.Output(frame, metadata=table_metadata("mentions", frame, {"by_type": by_type}))
