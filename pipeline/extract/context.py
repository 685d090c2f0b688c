"""The state one document's extraction passes along from extractor to extractor."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.extract.model import Mention


@dataclass
class Context:
    """A document's text and language, and the mentions found so far.

    Extractors run in order (see ``pipeline.extract.EXTRACTORS``); later ones
    may read earlier mentions, e.g. to link a project to the programme whose
    heading it sits under.
    """

    text: str
    language: str = "und"
    mentions: list[Mention] = field(default_factory=list)

    def of_type(self, record_type: str) -> list[Mention]:
        return [m for m in self.mentions if m.record_type == record_type]
