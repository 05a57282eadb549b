"""Write design_sample.csv: a small complex-survey sample for the R reference (run once; seed fixed)."""

import numpy as np
import pandas as pd

rng = np.random.default_rng(2024)
rows = []
for stratum in ["S1", "S2", "S3", "S4"]:
    for cluster in range(int(rng.integers(5, 9))):
        psu = f"{stratum}-C{cluster}"
        cluster_effect = rng.normal(0, 0.6)
        for k in range(int(rng.integers(6, 16))):
            latent = cluster_effect + rng.normal(0.4, 1.0, 3)
            answers = [int(np.clip(np.round(3 + x), 1, 5)) for x in latent]
            answers = [a if rng.random() > 0.1 else None for a in answers]
            rows.append({"respondent_id": f"{psu}-{k}", "period": "2023", "stratum": stratum, "psu": psu,
                         "weight": round(float(rng.uniform(5, 60)), 3),
                         "channel": "online" if rng.random() < 0.4 else "direct",
                         "a_access1": answers[0], "a_staff1": answers[1], "a_staff2": answers[2]})
table = pd.DataFrame(rows)
table[["a_access1", "a_staff1", "a_staff2"]] = table[["a_access1", "a_staff1", "a_staff2"]].astype("Int64")
table.to_csv("design_sample.csv", index=False, float_format="%.3f")
