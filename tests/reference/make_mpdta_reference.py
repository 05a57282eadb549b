"""Reference for tests/test_staggered.py: Callaway and Sant'Anna group-time effects on R did's ``mpdta``.

``mpdta.csv`` is R did's ``data(mpdta)`` (did 2.5.1, github bcallaway11/did at 71ba8a5, written by
``write.csv``): 500 US counties, 2003-2007, log teen employment ``lemp``, first year of a minimum-wage
rise ``first.treat`` (0 = never).  R did's own documentation (vignette "Getting Started", did-basics.md
at that commit) prints the point estimates the test also checks (to their 4 decimals); this script
adds the analytic standard errors, which R prints only from its bootstrap, using moderndid 0.2.0, a
Python port of R did that reproduces those printed estimates and the pre-test p-value 0.16812.

Run in a separate environment (moderndid is not a dependency of this project):
    python -m venv /tmp/ref && /tmp/ref/bin/pip install moderndid==0.2.0
    /tmp/ref/bin/python tests/reference/make_mpdta_reference.py
"""

import json
import warnings
from pathlib import Path

import moderndid as md
import numpy as np
import pandas as pd

HERE = Path(__file__).parent
warnings.simplefilter("ignore")
data = pd.read_csv(HERE / "mpdta.csv")
data["weight"] = np.exp(data["lpop"])  # county population: group-time effects weighted as well
out = {}
for control in ("nevertreated", "notyettreated"):
    for weighted in (False, True):
        fit = md.att_gt(data=data, yname="lemp", tname="year", idname="countyreal", gname="first.treat",
                        xformla=None, boot=False, control_group=control, est_method="dr",
                        weightsname="weight" if weighted else None)
        run = {"group_time": {"cohort": [int(g) for g in fit.groups], "year": [int(t) for t in fit.times],
                              "estimate": list(map(float, fit.att_gt)), "se": list(map(float, fit.se_gt))},
               "pretrend_p_value": float(fit.wald_pvalue)}
        if weighted:  # moderndid 0.2.0 averages cohorts with unweighted cohort sizes; R did weights them
            out[f"{control}_weighted"] = run
            continue
        for kind in ("simple", "dynamic", "group"):
            agg = md.aggte(fit, type=kind, boot=False)
            run[kind] = {"estimate": float(agg.overall_att), "se": float(agg.overall_se)}
            if agg.event_times is not None:
                run[kind]["by"] = [int(e) for e in agg.event_times]
                run[kind]["by_estimate"] = list(map(float, agg.att_by_event))
                run[kind]["by_se"] = list(map(float, agg.se_by_event))
        out[control] = run
(HERE / "mpdta_reference.json").write_text(json.dumps(out, indent=1))
