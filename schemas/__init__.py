"""Table declarations (:mod:`schemas.tables`) and what derives from them (:mod:`schemas.derive`)."""
