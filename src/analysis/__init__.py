"""Analysis of satisfaction with public services (Viet Nam).

Stages, one module each (see ARCHITECTURE.md):
``load`` (files -> validated tidy tables), ``cube`` (the one reduction over
respondent rows), ``indices`` (rates with intervals), ``papi`` (the real PAPI
panel), ``synthetic`` (the embedded province survey), ``plots``, ``report``
(papermill runs and manifests).
"""

from analysis.errors import InputError

__all__ = ["InputError"]
__version__ = "0.1.0"
