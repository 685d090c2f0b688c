"""The kinds of record the dataset publishes, in the order of their tables.

Kept apart from :mod:`schemas.tables` so that extraction, which gives every
mention one of them, reads them without importing pandas: that import alone
cost each extraction worker 0.35 s and 90 MB.
"""

RECORD_TYPES = (
    "programme",
    "objective",
    "objective_action",
    "territory",
    "project",
    "organisation",
)
