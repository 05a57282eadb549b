"""The one reduction over respondent rows.

In memory (:mod:`.memory`), or out of core with DuckDB or Dask (:mod:`.engines`).
"""

from analysis.cube.memory import (
                                  CELL_KEYS,
                                  MEASURES,
                                  MOMENTS,
                                  RESPONDENT_KEYS,
                                  SCORES,
                                  Cube,
                                  answer_moments,
                                  build_cube,
                                  respondent_scores,
                                  score_moments,
)

__all__ = ["CELL_KEYS", "MEASURES", "MOMENTS", "RESPONDENT_KEYS", "SCORES", "Cube", "answer_moments", "build_cube",
           "respondent_scores", "score_moments"]
