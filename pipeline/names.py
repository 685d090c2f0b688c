"""Name normalisation shared by resolution and tables: one definition of
"the same name" for the whole pipeline."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

NON_WORD = re.compile(r"[^\w]+")
LEADING_ARTICLE = re.compile(r"^(the|le|la|les|l|de|het|der|die|das) ")
ACRONYM = re.compile(r"^[A-Z0-9][A-Z0-9&./+\-]{1,11}$")


@lru_cache(maxsize=1 << 16)  # the same words and names are folded over and over
def fold(text: str) -> str:
    """Accents dropped, case folded: 'Région' and 'REGION' fold alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def norm_name(text: str) -> str:
    """Fold, turn every run of punctuation into a space, drop a leading article."""
    out = NON_WORD.sub(" ", fold(text)).strip()
    out = out.replace("_", " ")
    out = re.sub(r"\s+", " ", out)
    return LEADING_ARTICLE.sub("", out)


def is_acronym(text: str) -> bool:
    """'MEL', 'FWVL', 'ESF+', 'SPW/DG06': short and written in capitals."""
    stripped = text.strip()
    return bool(ACRONYM.match(stripped)) and any(c.isalpha() for c in stripped)
