"""Where the reference data lives, and the one way it is read."""

from __future__ import annotations

import csv
from pathlib import Path

REFERENCE = Path(__file__).resolve().parent / "reference"


def read_reference(file_name: str) -> list[dict[str, str]]:
    """Rows of a reference CSV file (UTF-8, header row) as dicts."""
    with (REFERENCE / file_name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
