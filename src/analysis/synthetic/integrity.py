"""Surveys with a known integrity truth: an honest survey with design columns, and the patterns the
integrity checks look for injected into it, the truth written beside the data.

:func:`honest` draws one year of forms from ``OFFICES`` offices: who collected each form (counter staff,
an independent team, self-completed online: independent of the answers), when it was submitted
(uniform over the year's days, office hours), how long it took (log-normal around four minutes) and a
session key for online forms.  Answers follow the province survey's latent model
(:data:`analysis.synthetic.province.CUTS`): office effect + person + component + item noise.

:func:`inject` adds, each from its own random stream, the patterns of issue 15:

- straight-liners in two offices (a share of their forms rated "Rất hài lòng" on every criterion);
- a batch of duplicated online submissions on the day before a month's deadline (copies of honest
  forms, same answers and comment, minutes apart);
- an office whose staff-handed forms run 8 points high (criteria below 4 raised to 4 or 5 on a share of
  its staff-handed forms chosen so the expected rise of the index is 0.08);
- an office with near-zero variance (every criterion 5, now and then 4);
- speeders (forms filled in seconds).

:func:`write` saves the result as a survey file with its mapping (Vietnamese headers and labels, the
design columns mapped) and ``truth.json``, so the loader and the report read it as any survey.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from analysis.cube.memory import respondent_scores
from analysis.data.schema import COMPONENTS, RESPONSE_COLUMNS, Survey
from analysis.synthetic.province import COMMENTS, CUTS, ITEMS

SEED = 20230615
YEAR = 2023
OFFICES = 20
FORMS = (300, 400)  # forms per office
COLLECTOR_SHARES = {"staff": 0.40, "independent": 0.35, "self": 0.25}
SD = {"office": 0.25, "person": 0.55, "component": 0.60, "item": 0.45}
LEVEL = 0.85  # latent shift: an index near 80%
MEDIAN_SECONDS, SECONDS_SPREAD = 240.0, 0.35
COMMENT_SHARE = 0.15
STRAIGHT_OFFICES, STRAIGHT_SHARE = (3, 11), 0.30  # two offices, a share of their forms all "Rất hài lòng"
DUPLICATE_OFFICE, DUPLICATE_ORIGINALS, DUPLICATE_DAY = 7, 40, f"{YEAR}-06-29"  # the day before June's deadline
STAFF_OFFICE, STAFF_EFFECT = 15, 0.08  # its staff-handed forms run 8 points high
FLAT_OFFICE = 19  # near-zero variance
SPEEDER_SHARE = 0.03
HEADERS = {"respondent_id": "Số phiếu", "period": "Năm", "unit_id": "Mã cơ quan", "channel": "Hình thức",
           "group": "Đối tượng", "stratum": "Tầng mẫu", "collector": "Người phát phiếu",
           "submitted_at": "Thời điểm nộp", "duration": "Thời gian điền (giây)", "session": "Mã phiên",
           "comment": "Ý kiến"}
WORDS = {"channel": {"online": "Trực tuyến", "direct": "Trực tiếp"},
         "group": {"citizen": "Người dân", "business": "Doanh nghiệp"},
         "collector": {"staff": "Công chức một cửa", "independent": "Nhóm khảo sát độc lập",
                       "self": "Tự điền trực tuyến"}}
CRITERIA = [item for item in ITEMS if item != "overall"]


def office_id(k: int) -> str:
    return f"CQ{k:02d}"


def answers_from(latent: np.ndarray) -> np.ndarray:
    """Answers 1-5 from latent values (the province survey's cut points)."""
    return 1 + (latent[..., None] > CUTS).sum(axis=-1)


def honest(seed: int = SEED, offices: int = OFFICES) -> Survey:
    """One honest year of forms with every design column (see the module doc)."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(*FORMS, size=offices, endpoint=True)
    unit = np.repeat([office_id(k + 1) for k in range(offices)], sizes)
    n = len(unit)
    effect = np.repeat(rng.normal(0, SD["office"], offices), sizes)
    collector = rng.choice(list(COLLECTOR_SHARES), size=n, p=list(COLLECTOR_SHARES.values()))
    group = np.where(rng.random(n) < 0.3, "business", "citizen")
    component = rng.normal(0, SD["component"], (n, len(COMPONENTS)))
    base = LEVEL + effect + rng.normal(0, SD["person"], n)
    columns = [COMPONENTS.index(item.split(".")[0]) for item in CRITERIA]
    latent = base[:, None] + component[:, columns] + rng.normal(0, SD["item"], (n, len(CRITERIA)))
    overall = base + component.mean(axis=1) + rng.normal(0, SD["item"], n)
    answers = answers_from(np.column_stack([latent, overall])).astype(float)
    answers[rng.random(answers.shape) < 0.02] = np.nan
    day = rng.integers(0, 365, n)
    submitted = (pd.Timestamp(f"{YEAR}-01-01") + pd.to_timedelta(day, "D")
                 + pd.to_timedelta(rng.integers(7 * 3600, 17 * 3600, n), "s"))
    seconds = np.round(MEDIAN_SECONDS * np.exp(rng.normal(0, SECONDS_SPREAD, n)))
    ids = [f"{u}-{k:05d}" for u, size in zip(unit[np.cumsum(sizes) - 1], sizes, strict=True)
           for k in range(1, size + 1)]
    pool = [text for texts in COMMENTS.values() for text in texts]
    said = rng.random(n) < COMMENT_SHARE
    text = np.where(said, rng.choice(pool, n), "")
    wide = pd.DataFrame({"respondent_id": ids, "period": str(YEAR), "unit_id": unit,
                         "channel": np.where(collector == "self", "online", "direct"), "group": group,
                         "collector": collector, "submitted_at": submitted, "duration": seconds,
                         "session": pd.Series([f"S{k:06d}" for k in range(n)]).where(collector == "self"),
                         "text": text})
    return assemble(wide, pd.DataFrame(answers, columns=list(ITEMS)))


def assemble(wide: pd.DataFrame, answers: pd.DataFrame) -> Survey:
    """A :class:`Survey` from one row per form (keys, design columns, comment ``text``) and its answers."""
    long = pd.concat([wide[["respondent_id", "period", "unit_id", "channel", "group"]], answers], axis=1).melt(
        id_vars=["respondent_id", "period", "unit_id", "channel", "group"], var_name="item", value_name="answer")
    long = long.assign(year=long["period"].str[:4].astype(int), component=long["item"].str.split(".").str[0],
                       answer=long["answer"].astype("Int8"), weight=1.0, stratum=long["unit_id"],
                       psu=long["respondent_id"])[RESPONSE_COLUMNS]
    units = pd.DataFrame({"unit_id": sorted(wide["unit_id"].unique())})
    units = units.assign(unit_name="Cơ quan " + units["unit_id"].str[2:], block="Tất cả cơ quan", level="",
                         province="", vertical=False, parent="")
    comments = wide.loc[wide["text"] != "", ["respondent_id", "period", "unit_id", "text"]].reset_index(drop=True)
    forms = wide[["respondent_id", "period", "unit_id", "collector", "submitted_at", "duration", "session"]]
    return Survey(responses=long, units=units, comments=comments, forms=forms.reset_index(drop=True),
                  title="Khảo sát mô phỏng có lỗi cài sẵn", survey_id="integrity_test")


def wide_answers(survey: Survey) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per form (keys, design columns, comment) and its answers (items as columns), in form order."""
    answers = survey.long_answers().pivot(index="respondent_id", columns="item", values="answer")
    keys = survey.long_answers().drop_duplicates("respondent_id")[["respondent_id", "period", "unit_id", "channel",
                                                               "group"]]
    keys = keys.merge(survey.forms.drop(columns=["period", "unit_id"]), on="respondent_id", how="left")
    keys = keys.merge(survey.comments[["respondent_id", "text"]], on="respondent_id", how="left").fillna({"text": ""})
    return keys.reset_index(drop=True), answers.reindex(keys["respondent_id"])[list(ITEMS)].astype(float).reset_index(
        drop=True)


def inject(survey: Survey, seed: int = SEED + 1) -> tuple[Survey, dict]:
    """``survey`` (from :func:`honest`) with the patterns of the module doc injected, and their truth."""
    streams = iter(np.random.default_rng(seed).spawn(5))
    wide, answers = wide_answers(survey)
    scores = respondent_scores(survey.long_answers()).set_index("respondent_id")["score"].reindex(wide["respondent_id"])
    criteria = answers[CRITERIA].to_numpy()
    truth: dict = {"seed": seed}

    rng = next(streams)  # straight-liners in two offices
    offices = [office_id(k) for k in STRAIGHT_OFFICES]
    chosen = wide["unit_id"].isin(offices).to_numpy() & (rng.random(len(wide)) < STRAIGHT_SHARE)
    answers.loc[chosen, :] = 5.0
    truth["straight_offices"], truth["straight_liners"] = offices, wide.loc[chosen, "respondent_id"].tolist()

    rng = next(streams)  # staff-handed forms 8 points high
    office = office_id(STAFF_OFFICE)
    staff = (wide["unit_id"] == office).to_numpy() & (wide["collector"] == "staff").to_numpy() & ~chosen
    room = 1 - scores.to_numpy()[staff]
    lifted = np.flatnonzero(staff)[rng.random(staff.sum()) < STAFF_EFFECT / np.nanmean(room)]
    low = (criteria[lifted] < 4) & ~np.isnan(criteria[lifted])
    criteria[lifted] = np.where(low, rng.choice([4.0, 5.0], size=low.shape), criteria[lifted])
    answers.loc[lifted, CRITERIA] = criteria[lifted]
    truth["staff_effect"] = {"unit_id": office, "effect": STAFF_EFFECT,
                             "realised": float(np.nansum(1 - scores.to_numpy()[lifted]) / staff.sum())}

    rng = next(streams)  # an office with near-zero variance
    flat = (wide["unit_id"] == office_id(FLAT_OFFICE)).to_numpy()
    answers.loc[flat, :] = np.where(rng.random((flat.sum(), answers.shape[1])) < 0.97, 5.0, 4.0)
    truth["flat_office"] = office_id(FLAT_OFFICE)

    rng = next(streams)  # duplicated online submissions the day before a deadline
    office = office_id(DUPLICATE_OFFICE)
    honest_rows = (wide["unit_id"] == office) & (wide["collector"] == "self")
    honest_rows &= answers[CRITERIA].nunique(axis=1).gt(1) & answers[CRITERIA].notna().sum(axis=1).ge(5)
    originals = rng.choice(np.flatnonzero(honest_rows), DUPLICATE_ORIGINALS, replace=False)
    day = pd.Timestamp(DUPLICATE_DAY)
    wide.loc[originals, "submitted_at"] = day + pd.to_timedelta(rng.integers(14 * 3600, 16 * 3600,
                                                                             len(originals)), "s")
    copies = np.repeat(originals, rng.integers(1, 3, len(originals)))
    extra = wide.loc[copies].reset_index(drop=True)
    extra["respondent_id"] = [f"{office}-D{k:04d}" for k in range(1, len(extra) + 1)]
    extra["submitted_at"] = extra["submitted_at"] + pd.to_timedelta(rng.integers(60, 20 * 60, len(extra)), "s")
    extra["session"] = [f"D{k:06d}" for k in range(len(extra))]
    wide = pd.concat([wide, extra], ignore_index=True)
    answers = pd.concat([answers, answers.loc[copies]], ignore_index=True)
    truth["duplicates"] = extra["respondent_id"].tolist()
    truth["burst"] = {"unit_id": office, "day": DUPLICATE_DAY}

    rng = next(streams)  # speeders
    fast = rng.random(len(wide)) < SPEEDER_SHARE
    wide.loc[fast, "duration"] = rng.integers(10, 40, fast.sum()).astype(float)
    truth["speeders"] = wide.loc[fast, "respondent_id"].tolist()
    return replace(assemble(wide, answers), title=survey.title), truth


def write(folder: str | Path, seed: int = SEED) -> dict:
    """The injected survey as ``survey.csv`` (Vietnamese headers and labels), ``mapping.yaml`` (the design
    columns mapped), ``units.csv`` and ``truth.json`` in ``folder``; returns the truth."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    survey, truth = inject(honest(seed), seed + 1)
    wide, answers = wide_answers(survey)
    wide = wide.assign(stratum=wide["unit_id"], comment=wide["text"],
                       submitted_at=wide["submitted_at"].dt.strftime("%Y-%m-%d %H:%M:%S"),
                       **{role: wide[role].map(words) for role, words in WORDS.items()})
    table = wide[list(HEADERS)].rename(columns=HEADERS)
    table = pd.concat([table, answers.rename(columns=ITEMS).astype("Int8")], axis=1)
    table.to_csv(folder / "survey.csv", index=False, encoding="utf-8-sig", lineterminator="\n")
    survey.units.assign(vertical=0).to_csv(folder / "units.csv", index=False, encoding="utf-8", lineterminator="\n")
    mapping = {"title": survey.title, "id": "integrity_test", "answers": "survey.csv", "units": "units.csv",
               "columns": HEADERS, "items": ITEMS,
               "values": {role: {text: code for code, text in words.items()} for role, words in WORDS.items()}}
    (folder / "mapping.yaml").write_text(yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False),
                                         encoding="utf-8")
    (folder / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth
