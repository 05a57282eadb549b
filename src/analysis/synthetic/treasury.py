"""The embedded State Treasury dataset: synthetic monthly indicators and satisfaction answers.

Five provincial State Treasury offices (KBNN Thái Bình, Đà Nẵng, Quảng Ninh,
Nam Định, Hưng Yên), monthly from 2021-01 to 2024-12: the administrative
indicators that Decision 766/QĐ-TTg scores (``indicators.csv``, percent) and
the answers of a monthly satisfaction survey (``survey.csv``, wide, Vietnamese
headers, two respondent groups and two channels, read with
``analysis.data.load.load_survey("mapping.yaml")``).  All of it is synthetic; it
reproduces one published figure (source 002): KBNN Thái Bình's satisfaction in
July 2023 was 93.64%, rated "xuất sắc".

Satisfaction for Decision 766 group (v) is the unweighted share of the
overall-satisfaction answers rated 4-5 for an office and month
(:func:`analysis.analyses.decision766.survey_rates`).  For KBNN Thái Bình, 2023-07 the
generator draws 110 respondents and shifts that month's latent level so that
exactly 103 of them answer 4-5: 103 / 110 = 93.636...% -> 93.64%.  Its
administrative indicators are lifted towards their thresholds, if needed, so
that its Decision 766 total under the shipped configuration is at least
:data:`PUBLISHED_MIN_TOTAL` (xuất sắc).

The model, per office ``o`` and month ``t`` (``ramp`` runs 0 -> 1 over the 48 months)::

    indicator j:  100 * expit(logit(start_j) + (logit(end_j) - logit(start_j)) * ramp[t]
                              + policy_j * after_766[t] + sensitivity_j * quality[o] + month[o, t] + noise)
    answers:      latent z[i, c] = level[o] + trend * ramp[t] + month[o, t] * 0.5 + person[i]
                                   + channel[i] + group[i] + offset[c] + noise[i, c]
                  overall[i] = sum_c weight[c] * z[i, c] + noise[i]; answer = 1 + cut points below
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from scipy.special import expit, logit

from analysis.analyses import decision766
from analysis.data.schema import COMPONENTS
from analysis.reporting.labels import ANSWER_LABELS

SEED = 20230731
MONTHS = [f"{y}-{m:02d}" for y in range(2021, 2025) for m in range(1, 13)]
DECISION_766_MONTH = "2022-07"  # first month after Decision 766/QĐ-TTg of 23/6/2022
PUBLISHED: dict[str, Any] = {"unit_id": "KBTB", "period": "2023-07", "n": 110, "satisfied": 103, "rate_pct": 93.64,
                              "band": "excellent",
                              "source": "seed 002: Kho bạc Nhà nước Thái Bình không ngừng nâng cao chất "
                                        "lượng phục vụ khách hàng (2023)"}
PUBLISHED_MIN_TOTAL = 91.0

# (unit id, name, province, quality of administration in [-1, 1], satisfaction level on the latent scale)
OFFICES = [
    ("KBTB", "KBNN Thái Bình", "Thái Bình", 0.8, -0.15),
    ("KBDN", "KBNN Đà Nẵng", "Đà Nẵng", 0.6, 0.85),
    ("KBQN", "KBNN Quảng Ninh", "Quảng Ninh", 0.2, -0.10),
    ("KBND", "KBNN Nam Định", "Nam Định", -0.4, -0.35),
    ("KBHY", "KBNN Hưng Yên", "Hưng Yên", -1.0, -0.45),
]

# indicator: (start %, end % for an average office, sensitivity to quality, noise sd, Decision 766 effect),
# all on the logit scale except start and end
INDICATORS = {
    "procedures_published_on_time_pct": (92.0, 99.0, 0.5, 0.25, 0.0),
    "procedures_public_pct": (90.0, 99.0, 0.5, 0.25, 0.0),
    "dossier_status_public_pct": (75.0, 92.0, 0.5, 0.20, 0.3),
    "dossiers_on_time_pct": (96.0, 99.5, 0.6, 0.30, 0.0),
    "dossiers_early_pct": (25.0, 40.0, 0.3, 0.15, 0.0),
    "dossiers_digitised_pct": (40.0, 70.0, 0.4, 0.15, 0.4),
    "results_electronic_pct": (45.0, 75.0, 0.4, 0.15, 0.4),
    "data_reused_pct": (12.0, 35.0, 0.4, 0.15, 0.3),
    "dossiers_online_pct": (60.0, 80.0, 0.4, 0.15, 0.2),
    "payments_online_pct": (18.0, 40.0, 0.4, 0.15, 0.2),
    "feedback_classified_pct": (85.0, 99.0, 0.5, 0.30, 0.0),
    "feedback_on_time_pct": (88.0, 99.0, 0.5, 0.30, 0.0),
    "feedback_satisfaction_pct": (80.0, 92.0, 0.4, 0.25, 0.0),
}
# Procedures offered fully online out of the treasury's 12 (the same national portal for every office):
# 100% from Decision 766 on, as source 000 reports for 2023.
FULL_ONLINE = [("2021-01", 10), ("2021-07", 11), (DECISION_766_MONTH, 12)]
N_PROCEDURES = 12
MONTH_SD, MONTH_RHO = 0.15, 0.6

ITEMS = {
    "access.1": "1. Thông tin về thủ tục, dịch vụ được công khai đầy đủ, dễ tìm",
    "procedure.1": "2. Thủ tục đơn giản, thời gian giải quyết hợp lý",
    "staff.1": "3. Công chức giao dịch có thái độ lịch sự, tận tình",
    "staff.2": "4. Công chức giao dịch hướng dẫn rõ ràng, giải quyết đúng quy định",
    "result.1": "5. Kết quả được trả đúng hẹn, chính xác",
    "feedback.1": "6. Ý kiến, phản ánh được tiếp nhận và trả lời kịp thời",
    "overall": "7. Mức độ hài lòng chung về chất lượng phục vụ của Kho bạc",
}
HEADERS = {"respondent_id": "Số phiếu", "period": "Kỳ đánh giá", "unit_id": "Đơn vị KBNN",
           "channel": "Hình thức khảo sát", "group": "Đối tượng khách hàng", "comment": "Ý kiến đóng góp"}
CHANNEL_TEXT = {"online": "Trực tuyến", "direct": "Trực tiếp"}
GROUP_TEXT = {"budget_unit": "Đơn vị sử dụng ngân sách", "citizen": "Cá nhân, tổ chức nộp thuế, phí"}
SAMPLE_PER_MONTH = (40, 80)
BUDGET_UNIT_SHARE = 0.6
ONLINE_SHARE = (0.35, 0.75)  # first and last month
CUTS = np.array([-2.3, -1.6, -0.9, 0.7])
DRIVER_WEIGHTS = {"staff": 0.35, "procedure": 0.25, "result": 0.20, "access": 0.12, "feedback": 0.08}
COMPONENT_OFFSET = {"access": 0.10, "procedure": -0.05, "staff": 0.10, "result": 0.05, "feedback": -0.15}
SD = {"person": 0.5, "component": 0.5, "item": 0.4, "overall": 0.4}
CHANNEL_EFFECT = {"direct": 0.2, "online": 0.0}
GROUP_EFFECT = {"budget_unit": 0.1, "citizen": 0.0}
SATISFACTION_TREND = 0.15
ITEM_MISSING = {"feedback": 0.25, "overall": 0.01, "default": 0.02}
COMMENT_SHARE = 0.06
COMMENTS = {
    "praise": ["Cán bộ giao dịch nhiệt tình, giải quyết nhanh chóng.", "Phục vụ chu đáo, đúng hẹn.",
               "Dịch vụ công trực tuyến thuận tiện, tiết kiệm thời gian."],
    "complaint": ["Hệ thống dịch vụ công trực tuyến đôi khi bị lỗi, đường truyền chậm.",
                  "Thời gian chờ kiểm soát chi còn lâu vào cuối tháng.",
                  "Đề nghị hướng dẫn rõ hơn về chữ ký số khi nộp hồ sơ trực tuyến."],
}
GENERATED_FILES = ["indicators.csv", "survey.csv", "mapping.yaml", "units.csv", "truth.json", "SOURCE.md"]


def unit_table() -> pd.DataFrame:
    """The offices: id, name, block, level, province, vertical, parent."""
    return pd.DataFrame([{"unit_id": uid, "unit_name": name, "block": "Kho bạc Nhà nước", "level": "tỉnh",
                          "province": province, "vertical": 1, "parent": "KBNN"}
                         for uid, name, province, _, _ in OFFICES])


def ramp() -> np.ndarray:
    """0 in the first month, 1 in the last."""
    return np.linspace(0.0, 1.0, len(MONTHS))


def month_effects(rng: np.random.Generator) -> np.ndarray:
    """Office x month AR(1) shocks on the logit / latent scale."""
    shocks = np.zeros((len(OFFICES), len(MONTHS)))
    for t in range(len(MONTHS)):
        previous = shocks[:, t - 1] if t else 0.0
        shocks[:, t] = MONTH_RHO * previous + rng.normal(0, MONTH_SD * np.sqrt(1 - MONTH_RHO**2), len(OFFICES))
    return shocks


def full_online_pct(period: str) -> float:
    """Share of the treasury's procedures offered fully online in a month (percent)."""
    count = [k for start, k in FULL_ONLINE if period >= start][-1]
    return round(100 * count / N_PROCEDURES, 2)


def draw_indicators(rng: np.random.Generator, shocks: np.ndarray) -> pd.DataFrame:
    """The administrative indicators, office x month, in percent (2 decimals)."""
    r = ramp()
    after = np.array([m >= DECISION_766_MONTH for m in MONTHS], dtype=float)
    rows = pd.DataFrame([{"unit_id": uid, "unit_name": name, "period": m}
                         for uid, name, _, _, _ in OFFICES for m in MONTHS])
    quality = np.repeat([q for *_, q, _ in OFFICES], len(MONTHS))
    month = shocks.reshape(-1)
    for column, (start, end, sensitivity, sd, policy) in INDICATORS.items():
        low, high = logit(start / 100), logit(end / 100)
        base = np.tile(low + (high - low) * r + policy * after, len(OFFICES))
        value = 100 * expit(base + sensitivity * quality + month + rng.normal(0, sd, len(rows)))
        rows[column] = np.round(value, 2)
    rows.insert(rows.columns.get_loc("dossiers_online_pct"), "services_full_online_pct",
                rows["period"].map(full_online_pct))
    return rows


def draw_respondents(rng: np.random.Generator) -> pd.DataFrame:
    """One row per respondent: office, month, channel, group, person effect."""
    frames = []
    online = np.linspace(*ONLINE_SHARE, len(MONTHS))
    for uid, _, _, _, _ in OFFICES:
        for t, period in enumerate(MONTHS):
            n = (PUBLISHED["n"] if (uid, period) == (PUBLISHED["unit_id"], PUBLISHED["period"])
                 else int(rng.integers(*SAMPLE_PER_MONTH, endpoint=True)))
            frames.append(pd.DataFrame({
                "unit_id": uid, "period": period, "t": t,
                "respondent_id": [f"{uid}-{period}-{k + 1:03d}" for k in range(n)],
                "channel": np.where(rng.random(n) < online[t], "online", "direct"),
                "group": np.where(rng.random(n) < BUDGET_UNIT_SHARE, "budget_unit", "citizen"),
                "person": rng.normal(0, SD["person"], n)}))
    return pd.concat(frames, ignore_index=True)


def draw_answers(rng: np.random.Generator, people: pd.DataFrame, shocks: np.ndarray) -> tuple[pd.DataFrame, float]:
    """Answers 1..5 (NaN = no answer) per respondent and item; the shift given to the published month."""
    n = len(people)
    office = people["unit_id"].map({uid: k for k, (uid, *_rest) in enumerate(OFFICES)}).to_numpy()
    level = np.array([s for *_, s in OFFICES])[office]
    base = (level + SATISFACTION_TREND * ramp()[people["t"]] + 0.5 * shocks[office, people["t"]]
            + people["person"].to_numpy() + people["channel"].map(CHANNEL_EFFECT).to_numpy()
            + people["group"].map(GROUP_EFFECT).to_numpy())
    z = (base[:, None] + np.array([COMPONENT_OFFSET[c] for c in COMPONENTS])
         + rng.normal(0, SD["component"], (n, len(COMPONENTS))))
    item_codes = [i for i in ITEMS if i != "overall"]
    item_noise = rng.normal(0, SD["item"], (n, len(item_codes)))
    overall_noise = rng.normal(0, SD["overall"], n)
    missing_p = np.array([ITEM_MISSING.get(i.split(".")[0], ITEM_MISSING["default"]) for i in ITEMS])
    missing = rng.random((n, len(ITEMS))) < missing_p

    published = ((people["unit_id"] == PUBLISHED["unit_id"]) & (people["period"] == PUBLISHED["period"])).to_numpy()
    weights = np.array([DRIVER_WEIGHTS[c] for c in COMPONENTS])
    overall = np.sort(z[published] @ weights + overall_noise[published])
    below = PUBLISHED["n"] - PUBLISHED["satisfied"]  # answers 1-3 wanted in the published month
    shift = CUTS[2] - (overall[below - 1] + overall[below]) / 2  # exactly `below` values stay under the cut
    z[published] += shift
    missing[published, list(ITEMS).index("overall")] = False

    comp_index = [COMPONENTS.index(i.split(".")[0]) for i in item_codes]
    latent = np.column_stack([z[:, comp_index] + item_noise, z @ weights + overall_noise])
    answers = 1.0 + (latent[:, :, None] > CUTS).sum(axis=2)
    answers[missing] = np.nan
    return pd.DataFrame(answers, columns=list(ITEMS)), float(shift)


def satisfaction_by_month(people: pd.DataFrame, answers: pd.DataFrame) -> pd.DataFrame:
    """Unweighted share (percent) of answered overall items rated 4-5, office x month (as the toolkit computes)."""
    answered = answers["overall"].notna()
    satisfied = (answers["overall"] >= 4).where(answered)
    return (satisfied.groupby([people["unit_id"], people["period"]]).mean() * 100).rename(
        "procedure_satisfaction_pct").reset_index()


def lift_published_month(indicators: pd.DataFrame, satisfaction: pd.DataFrame,
                         config: decision766.Scoring) -> tuple[pd.DataFrame, float]:
    """Raise the published office-month's indicators towards their thresholds until its total reaches the target.

    Points are linear in the lift ``lam`` (each rate moves to ``rate + lam x (threshold - rate)``
    while below its threshold), so ``lam`` has a closed form; 0 when no lift is needed.
    """
    row = (indicators["unit_id"] == PUBLISHED["unit_id"]) & (indicators["period"] == PUBLISHED["period"])
    table = indicators[row].merge(satisfaction, on=["unit_id", "period"])
    criteria = decision766.score(table.drop(columns="unit_name"), config).criteria
    total = criteria["points"].sum()
    if total >= PUBLISHED_MIN_TOTAL:
        return indicators, 0.0
    admin = criteria[criteria["indicator"].isin(INDICATORS)]
    room = (admin["max_points"] * (1 - admin["rate_pct"] / admin["threshold"]).clip(lower=0)).sum()
    lam = min(1.0, (PUBLISHED_MIN_TOTAL + 0.05 - total) / room)
    lifted = indicators.copy()
    for _, c in admin.iterrows():
        value = lifted.loc[row, c["indicator"]].iloc[0]
        if value < c["threshold"]:
            lifted.loc[row, c["indicator"]] = round(value + lam * (c["threshold"] - value), 2)
    return lifted, float(lam)


def answer_cell(value: float, item: str, k: int) -> str:
    """How the form records an answer: numbers, labels for the overall item, 'Không ý kiến' or blank."""
    if np.isnan(value):
        return "Không ý kiến" if k % 2 == 0 else ""
    return ANSWER_LABELS[int(value)]["vi"] if item == "overall" else str(int(value))


def comments_for(rng: np.random.Generator, answers: pd.DataFrame) -> list[str]:
    """A few written suggestions, praise from satisfied respondents, complaints from the others."""
    texts = []
    for overall in answers["overall"].to_numpy():
        if rng.random() >= COMMENT_SHARE:
            texts.append("")
            continue
        kind = "praise" if overall >= 4 else "complaint"
        texts.append(COMMENTS[kind][int(rng.integers(len(COMMENTS[kind])))])
    return texts


def generate(out_dir: str | Path, seed: int = SEED) -> dict:
    """Write the Treasury dataset to ``out_dir`` (``data/raw/treasury`` when shipped); return its truth."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    shocks = month_effects(rng)
    indicators = draw_indicators(rng, shocks)
    people = draw_respondents(rng)
    answers, shift = draw_answers(rng, people, shocks)
    comments = comments_for(np.random.default_rng(seed + 1), answers)

    satisfaction = satisfaction_by_month(people, answers)
    published = satisfaction.set_index(["unit_id", "period"]).loc[(PUBLISHED["unit_id"], PUBLISHED["period"])]
    if round(published.iloc[0], 2) != PUBLISHED["rate_pct"]:
        raise RuntimeError(f"the published month came out at {published.iloc[0]:.4f}%, not {PUBLISHED['rate_pct']}%")
    config = decision766.load_scoring(decision766.DEFAULT_SCORING)
    indicators, lift = lift_published_month(indicators, satisfaction, config)
    scores = decision766.score(indicators.drop(columns="unit_name").merge(satisfaction, on=["unit_id", "period"]),
                               config)

    indicators.to_csv(out / "indicators.csv", index=False, float_format="%.2f", lineterminator="\n")
    write_survey(out, people, answers, comments)
    unit_table().to_csv(out / "units.csv", index=False, lineterminator="\n")
    truth = truth_record(seed, scores, satisfaction, shift, lift)
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out / "SOURCE.md").write_text(source_note(truth), encoding="utf-8")
    return truth


def write_survey(out: Path, people: pd.DataFrame, answers: pd.DataFrame, comments: list[str]) -> None:
    """The wide survey file (Vietnamese headers, office names as units) and its mapping."""
    names = dict(zip(unit_table()["unit_id"], unit_table()["unit_name"], strict=True))
    wide = pd.DataFrame({
        HEADERS["respondent_id"]: people["respondent_id"],
        HEADERS["period"]: people["period"],
        HEADERS["unit_id"]: people["unit_id"].map(names),
        HEADERS["channel"]: people["channel"].map(CHANNEL_TEXT),
        HEADERS["group"]: people["group"].map(GROUP_TEXT),
    })
    for item, header in ITEMS.items():
        wide[header] = [answer_cell(v, item, k) for k, v in enumerate(answers[item].to_numpy())]
    wide[HEADERS["comment"]] = comments
    wide.to_csv(out / "survey.csv", index=False, encoding="utf-8-sig", lineterminator="\n")
    mapping = {
        "title": "Khảo sát mức độ hài lòng của khách hàng, 5 Kho bạc Nhà nước tỉnh, thành phố (dữ liệu mô phỏng)",
        "answers": "survey.csv", "units": "units.csv",
        "columns": dict(HEADERS),
        "items": ITEMS,
        "values": {"channel": {v: k for k, v in CHANNEL_TEXT.items()}, "group": {v: k for k, v in GROUP_TEXT.items()}},
    }
    header = ("# Mapping of the Treasury survey form (synthetic, analysis.synthetic.treasury) to the tidy data model.\n"
              "# Offices are given by name in the form ('KBNN Thái Bình'); units.csv resolves them to ids.\n"
              "# 'Cá nhân, tổ chức nộp thuế, phí' (taxpayers and fee payers) is coded 'citizen'.\n"
              "# Decision 766 group (v) uses the overall item: unweighted share of answers 4-5 per office and month.\n")
    (out / "mapping.yaml").write_text(header + yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False),
                                      encoding="utf-8")


def truth_record(seed: int, scores: decision766.Scores, satisfaction: pd.DataFrame, shift: float,
                 lift: float) -> dict:
    """What generated the data and what it gives under the shipped Decision 766 configuration."""
    totals = scores.totals.set_index(["unit_id", "period"])
    key = (PUBLISHED["unit_id"], PUBLISHED["period"])
    rate = satisfaction.set_index(["unit_id", "period"]).loc[key, "procedure_satisfaction_pct"]
    yearly = satisfaction.assign(year=satisfaction["period"].str[:4]).groupby(["unit_id", "year"])[
        "procedure_satisfaction_pct"].mean()
    unit_names = dict(zip(unit_table()["unit_id"], unit_table()["unit_name"], strict=True))
    return {
        "description": "Truth of the embedded synthetic State Treasury dataset (analysis.synthetic.treasury).",
        "seed": seed,
        "synthetic": True,
        "published_figure": {**PUBLISHED, "unit_name": unit_names[key[0]],
                             "rate_exact_pct": round(float(rate), 6),
                             "decision766_total": round(float(totals.loc[key, "total_points"]), 4),
                             "decision766_band": totals.loc[key, "band"],
                             "latent_shift_of_the_month": round(shift, 6),
                             "indicator_lift_towards_thresholds": round(lift, 6)},
        "satisfaction_definition": "unweighted share of the answered overall-satisfaction items rated 4-5, "
                                   "per office and month (analysis.analyses.decision766.survey_rates)",
        "decision766_config": "analysis/config/decision766.yaml (the project's documented default split)",
        "band_counts": {code: int((scores.totals["band"] == code).sum()) for code, _ in decision766.BANDS},
        "mean_monthly_satisfaction_pct_by_year": {uid: {y: round(float(v), 4) for y, v in yearly.loc[uid].items()}
                                                  for uid, *_ in OFFICES},
        "offices": [{"unit_id": uid, "quality": q, "satisfaction_level": s} for uid, _, _, q, s in OFFICES],
        "indicator_model": {k: dict(zip(["start_pct", "end_pct", "quality_sensitivity", "noise_sd",
                                         "decision766_effect"], v, strict=True)) for k, v in INDICATORS.items()},
        "full_online_procedures": {"of": N_PROCEDURES, "from_month": dict(FULL_ONLINE)},
        "latent_model": {"cuts": CUTS.tolist(), "sd": SD, "channel_effect": CHANNEL_EFFECT,
                         "group_effect": GROUP_EFFECT, "component_offset": COMPONENT_OFFSET,
                         "driver_weights": DRIVER_WEIGHTS, "trend": SATISFACTION_TREND,
                         "month_sd": MONTH_SD, "month_rho": MONTH_RHO},
    }


def source_note(truth: dict) -> str:
    """SOURCE.md: what the folder is, what it reproduces, how to regenerate it."""
    figure = truth["published_figure"]
    return f"""# State Treasury offices, 2021-2024: SYNTHETIC data

Not real data. Generated by `analysis.synthetic.treasury.generate` (seed {truth['seed']}); regenerate with

    .venv/bin/python -c "from analysis.synthetic import treasury as s; s.generate('data/raw/treasury')"

which gives these files byte for byte (`tests/test_treasury_data.py` checks it).

- `indicators.csv`: office x month (2021-01 .. 2024-12) administrative indicators of Decision 766/QĐ-TTg,
  in percent; the column names are the `indicator` names of `analysis/config/decision766.yaml`.
- `survey.csv` + `mapping.yaml` + `units.csv`: the monthly satisfaction survey, one row per respondent,
  Vietnamese headers, read with `analysis.data.load.load_survey("data/raw/treasury/mapping.yaml")`.
- `truth.json`: the model that generated the data and what it gives.

Published figure reproduced: {figure['unit_name']}, {figure['period']}, satisfaction {figure['rate_pct']}%
({figure['satisfied']} of {figure['n']} overall-satisfaction answers rated 4-5, unweighted), rated "xuất sắc"
({figure['source']}). Its Decision 766 total under the project's default configuration is
{figure['decision766_total']:.2f}/100.

KBNN Đà Nẵng is drawn with satisfaction above 99% every year, in line with source 001 (a design level,
not calibrated). Everything else (the other offices and months, the indicators) is this dataset's
design, not published figures.
"""
