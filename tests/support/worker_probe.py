"""A pool task that reports what an extraction worker holds when its first batch
starts; a module of its own so that the worker imports nothing else to run it."""

from __future__ import annotations

import gc
import json
import sys


def worker_state(items: list[int]) -> list[str]:
    from pipeline.extract import organisations, territories

    tables = (territories.gazetteer, organisations.place_table)
    state = {
        "frozen": gc.get_freeze_count(),
        "tables": [table.cache_info().currsize for table in tables],
        "parsing_or_frames": sorted({"ftfy", "lingua", "selectolax", "pandas"} & set(sys.modules)),
    }
    return [json.dumps(state)] * len(items)
