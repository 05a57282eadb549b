"""The one reduction over respondent-level answers.

Everything downstream reads the cube (answer counts and weight sums per
period x unit x channel x group x item x answer) or the respondent scores (one
row per respondent: the share of satisfied answers per component, averaged
over components), never the long answer table again.
"""

from __future__ import annotations

import pandas as pd

from analysis.schema import OVERALL_ITEM, SATISFIED

CUBE_KEYS = ["period", "year", "unit_id", "channel", "group", "item", "component", "answer"]
RESPONDENT_KEYS = ["period", "respondent_id"]
RESPONDENT_ATTRIBUTES = ["year", "unit_id", "channel", "group", "weight", "stratum", "psu"]


def build_cube(responses: pd.DataFrame) -> pd.DataFrame:
    """Counts (``n``) and weight sums (``weight``) per cube cell; no-answers kept as ``answer`` NA.

    >>> import pandas as pd
    >>> r = pd.DataFrame({"period": ["2023"] * 3, "year": 2023, "unit_id": "A", "channel": "online",
    ...                   "group": "citizen", "item": "staff.1", "component": "staff",
    ...                   "answer": pd.array([5, 4, None], dtype="Int8"), "weight": [1.0, 2.0, 1.0]})
    >>> build_cube(r)[["answer", "n", "weight"]].to_string(index=False)
    'answer  n  weight\\n     4  1     2.0\\n     5  1     1.0\\n  <NA>  1     1.0'
    """
    return (responses.groupby(CUBE_KEYS, dropna=False, observed=True, sort=True)["weight"]
            .agg(n="size", weight="sum").reset_index())


def respondent_scores(responses: pd.DataFrame) -> pd.DataFrame:
    """One row per respondent: ``score`` in [0, 1], the SIPAS-style index of that respondent.

    The score is the mean over the components the respondent answered of the
    share of that component's answered items rated 4 or 5.  The overall item
    is not part of the index.  Respondents with no answered component item
    are left out.
    """
    answered = responses[(responses["item"] != OVERALL_ITEM) & responses["answer"].notna()]
    satisfied = answered["answer"].isin(SATISFIED).astype(float)
    by_component = satisfied.groupby([answered[k] for k in [*RESPONDENT_KEYS, "component"]]).mean()
    scores = by_component.groupby(level=RESPONDENT_KEYS).mean().rename("score").reset_index()
    attributes = [c for c in RESPONDENT_ATTRIBUTES if c in responses.columns]
    first = responses.drop_duplicates(RESPONDENT_KEYS)[[*RESPONDENT_KEYS, *attributes]]
    return scores.merge(first, on=RESPONDENT_KEYS, how="left", validate="one_to_one")
