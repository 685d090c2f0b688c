"""The closed code lists columns are validated against, each with its source.

Countries and languages come from pycountry (the ISO 3166-1 and ISO 639-1
tables it ships); NUTS and the 2021-2027 objectives from the reference files
in ``pipeline/reference/``, whose rows name their sources.
"""

from __future__ import annotations

import pycountry

from pipeline.reference_files import read_reference
from schemas.spec import CodeList

# Kosovo has no ISO 3166-1 code; XK is the user-assigned code the EU uses for it.
EXTRA_COUNTRY_CODES = ("XK",)
# NUTS writes Greece EL and the United Kingdom UK where ISO 3166 has GR and GB.
NUTS_COUNTRY_TO_ISO = {"EL": "GR", "UK": "GB"}


COUNTRIES = CodeList(
    "ISO 3166-1 alpha-2",
    f"pycountry {pycountry.__version__} (ISO 3166-1), plus XK for Kosovo",
    tuple(sorted({c.alpha_2 for c in pycountry.countries} | set(EXTRA_COUNTRY_CODES))),
)
LANGUAGES = CodeList(
    "ISO 639-1",
    f"pycountry {pycountry.__version__} (ISO 639-3 entries with an ISO 639-1 code)",
    tuple(sorted(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2"))),
)
LANGUAGES_OR_UNDETERMINED = CodeList(
    "ISO 639-1, or 'und'",
    LANGUAGES.source + "; 'und' (undetermined) from ISO 639-2",
    tuple(sorted((*LANGUAGES.codes, "und"))),
)
NUTS_2021 = CodeList(
    "NUTS 2021",
    "Eurostat NUTS 2021 classification, all levels incl. extra-regio codes "
    "(pipeline/reference/nuts2021.csv)",
    tuple(sorted(row["nuts_code"] for row in read_reference("nuts2021.csv"))),
)
_POLICY_OBJECTIVES = read_reference("policy_objectives_2021_2027.csv")
_SPECIFIC_OBJECTIVES = read_reference("specific_objectives_2021_2027.csv")
POLICY_OBJECTIVES = CodeList(
    "2021-2027 policy objectives",
    "Regulation (EU) 2021/1060 Art. 5(1) (PO1-PO5) and Regulation (EU) 2021/1059 Art. 14 "
    "(Interreg-specific ISO1, ISO2) (pipeline/reference/policy_objectives_2021_2027.csv)",
    tuple(sorted(row["code"] for row in _POLICY_OBJECTIVES)),
)
# Programmes write the Interreg-specific objectives ISO6.x and ISO7.x in the
# numbering of the other specific objectives (RSO6.1 for ISO6.1, "ISO1 (a)"):
# the release keeps the code the programme uses, so RSO6.x and RSO7.x are
# valid codes too, under ISO1 and ISO2.
INTERREG_AS_RSO = {
    "RSO" + row["code"].removeprefix("ISO"): row["policy_objective"]
    for row in _SPECIFIC_OBJECTIVES
    if row["code"].startswith("ISO")
}
OBJECTIVE_CODES = CodeList(
    "2021-2027 policy and specific objectives",
    "Regulations (EU) 2021/1058 Art. 3, 2021/1059 Art. 14 and 2021/1060 Art. 5 "
    "(pipeline/reference/policy_objectives_2021_2027.csv, specific_objectives_2021_2027.csv); "
    "ISO6.x/ISO7.x also as programmes write them, RSO6.x/RSO7.x",
    tuple(
        sorted(
            {row["code"] for row in _POLICY_OBJECTIVES + _SPECIFIC_OBJECTIVES}
            | set(INTERREG_AS_RSO)
        )
    ),
)
# Which policy objective each code falls under (a policy objective under itself).
POLICY_OBJECTIVE_OF: dict[str, str] = {
    **{row["code"]: row["code"] for row in _POLICY_OBJECTIVES},
    **{row["code"]: row["policy_objective"] for row in _SPECIFIC_OBJECTIVES},
    **INTERREG_AS_RSO,
}
