"""A corpus of small surveys, each with its mapping and a known truth, for the end-to-end tests.

Each survey is what an analyst of a State Treasury office, a Customs department or a provincial
department would bring: a form of their own (a file with Vietnamese headers, a mapping in the
README's documented format, a ``units.csv``, and the side tables they happen to have). Every one is
drawn from a fixed seed, so the same call writes the same bytes, and comes with its truth: what was
generated, and the satisfaction index computed by brute force in plain pandas from the generated
answers (not through :mod:`analysis.cube`), so a report's numbers can be checked against it.

======================  =====================================================================================
``kbnn_xlsx``           State Treasury (KBNN) offices of a city, yearly 2019-2024: XLSX with a 2-row title
                        block, label answers ("Rất không hài lòng" .. "Rất hài lòng", "Không ý kiến"), three
                        components of its own (``digital``, ``procedure``, ``staff``), only vertical units,
                        no events file, groups ``taxpayer`` / ``budget_unit``; reviewed with ``--year 2024``
``kbnn_monthly``        KBNN offices monthly 2023-01 .. 2024-12 (Excel date cells), the five SIPAS components,
                        a channel ``app``; reviewed at a month, ``--period 2024-06``
``customs``             Customs branches (Chi cục Hải quan), yearly 2020-2024, exactly three components of its
                        own (``clearance``, ``inspection``, ``officers``), survey weights, three groups (one
                        ``agent``), a trailing "Tổng cộng" row; reviewed in English, ``--year 2024 --lang en``
``one_channel``         a provincial department's survey, yearly 2019-2024, Windows-1258 CSV, one channel
                        (direct) and one group (citizen), label answers; ``--year 2024``
``bare``                no targets, no events, no comment column; four of the five SIPAS components;
                        ``--year 2023``
``rounds``              KBNN offices surveyed in two rounds a year, 2021-R1 .. 2024-R2 (KBNN's "đợt I năm
                        2021"), two components of its own (one named in Vietnamese only), only a methodology
                        event; ``--period 2024-R2``
``staggered``           commune one-stop desks, yearly 2016-2024, an electronic one-stop desk opened commune
                        by commune (``adoptions.csv``: cohorts 2019, 2020, 2022 of four communes each, four
                        never), an effect growing with years since adoption, its truth beside; ``--year 2024``
======================  =====================================================================================

Every survey has a personal "Họ và tên" and "Số điện thoại" column; all but ``bare`` have written
suggestions, some with a name after a form of address ("Chị Nguyễn Thị Lan"), a phone number
(09xxxxxxxx), an e-mail or a 12-digit CCCD number. :attr:`CorpusSurvey.personal` lists every such
value written, so a test can check that none reaches any output.

The truth (:class:`CorpusSurvey.truth`, also written as ``truth.json``) follows the documented
definition of the index (ARCHITECTURE.md): a respondent's score is the mean, over the form's
components the respondent answered, of the share of the component's answered criteria rated 4-5 (the
overall item is not part of it); a group's index is the weighted mean of its respondents' scores
(respondents with no answered criterion have no score). The year figures are those of a review of the
reviewed period: the survey cut to the periods up to it (the year to date, for a month or a round).

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     survey = write("bare", folder)
>>> survey.review, survey.truth["respondents"], survey.truth["reviewed"]
(('--year', '2023'), 1180, '2023')
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from analysis.files import fixed_times

# The answer scale as the forms write it (1 .. 5) and the ways they write "no answer".
ANSWER_TEXT = {1: "Rất không hài lòng", 2: "Không hài lòng", 3: "Bình thường", 4: "Hài lòng", 5: "Rất hài lòng"}
NO_OPINION = "Không ý kiến"
SIPAS = ("access", "procedure", "staff", "result", "feedback")
UNIT_COLUMNS = ["unit_id", "unit_name", "block", "level", "province", "vertical", "parent"]
CUTS = np.array([-2.3, -1.6, -0.9, 0.7])  # latent value -> answer 1 + number of cuts below it; 4-5 above -0.9

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Dương"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Quang", "Thu", "Đức", "Hữu", "Kim"]
GIVEN = ["Lan", "Hạnh", "Dũng", "Khoa", "Mai", "Phúc", "Quyên", "Sơn", "Tâm", "Vy", "Tuấn", "Hùng", "Trang",
         "Nhung", "Thắng", "Hiền"]
ADDRESS = ["Chị", "Anh", "Ông", "Bà", "Cô", "Chú", "Em"]
PLAIN_COMMENTS = [
    "Cán bộ nhiệt tình, giải quyết nhanh chóng.", "Phục vụ chu đáo, đúng hẹn.",
    "Thủ tục còn rườm rà, phải bổ sung hồ sơ nhiều lần.", "Thời gian chờ đợi còn lâu vào cuối tháng.",
    "Hệ thống dịch vụ công trực tuyến đôi khi bị lỗi, đường truyền chậm.",
    "Đề nghị hướng dẫn rõ hơn khi nộp hồ sơ trực tuyến.", "Chỗ để xe chật, phòng chờ nóng.",
    "Cảm ơn đơn vị đã hỗ trợ kịp thời.",
]
TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # Windows-1258 writes these as combining marks


# --------------------------------------------------------------------------- what a survey is made of


@dataclass(frozen=True)
class Design:
    """What one corpus survey looks like; :func:`write_design` draws it."""

    name: str
    description: str
    seed: int
    title: str
    periods: tuple[str, ...]
    review: tuple[str, ...]  # the CLI arguments that choose the reviewed period (and language)
    reviewed: str  # the reviewed period
    units: tuple[tuple[str, str, str, str, int], ...]  # id, name, block, level, vertical
    province: str
    items: dict[str, str]  # item code -> header in the form (its question)
    components: dict[str, Any] | None  # the mapping's ``components:`` (None: the SIPAS default, key omitted)
    channels: dict[str, str]  # label in the form -> code
    groups: dict[str, str]
    labels: dict[str, Any] = field(default_factory=dict)  # the mapping's ``labels:`` for own channel/group codes
    headers: dict[str, str] = field(default_factory=dict)  # role -> header
    per_cell: tuple[int, int] = (30, 60)  # respondents per unit and period
    answers_as: str = "numbers"  # numbers | labels | overall-labels (labels for the overall item only)
    file: str = "csv-utf8"  # xlsx | csv-utf8 | csv-bom | csv-1258
    title_rows: tuple[str, ...] = ()
    period_cells: str = "text"  # text | date (Excel date cells, first day of the month) | int (years as numbers)
    unit_cells: str = "id"  # id | name
    weights: bool = False
    comments: bool = True
    total_row: bool = False
    extra_personal: tuple[str, ...] = ()  # personal columns besides "Họ và tên" and "Số điện thoại"
    events: tuple[tuple[str, str, str, str, str], ...] | None = None  # date, kind, applies_to, name, description
    targets: tuple[tuple[str, int, float, str], ...] | None = None  # scope, year, target_pct, source
    survey_id: str = ""  # the mapping's ``id:`` ("" leaves it out: the folder's name)
    parent: str = ""  # the central agency of the vertical units
    lang: str = "vi"
    adoptions: tuple[tuple[str, str, str], ...] = ()  # unit id, policy, date: a policy adopted unit by unit
    adoption_effect: tuple[float, float] = (0.0, 0.0)  # latent shift at adoption and per year since


@dataclass(frozen=True)
class CorpusSurvey:
    """One written survey: where its mapping is, how to review it, its truth and its personal values."""

    name: str
    description: str
    mapping: Path
    review: tuple[str, ...]  # e.g. ("--year", "2024") or ("--period", "2024-06")
    reviewed: str
    lang: str
    truth: dict[str, Any]
    personal: dict[str, tuple[str, ...]]  # names, phones, emails, ids written into the input

    @property
    def component_names(self) -> dict[str, dict[str, str]]:
        """The form's components with their names as the mapping gives them ({} for the SIPAS default)."""
        return self.truth["component_names"]


# --------------------------------------------------------------------------- drawing the answers


def person_name(rng: np.random.Generator) -> str:
    """A Vietnamese full name of three syllables."""
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def phone_number(rng: np.random.Generator) -> str:
    """A mobile number 09xxxxxxxx."""
    return f"09{int(rng.integers(10_000_000, 100_000_000))}"


def id_number(rng: np.random.Generator) -> str:
    """A 12-digit CCCD number (province code, sex and century digit, year, serial)."""
    return f"0{int(rng.integers(1, 97)):02d}{int(rng.integers(0, 4))}{int(rng.integers(0, 100_000_000)):08d}"


def ascii_fold(text: str) -> str:
    """Lower case without diacritics or spaces ("Nguyễn Thị Lan" -> "nguyenthilan"), for e-mail addresses."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn" and not ch.isspace()).lower()


def draw_people(design: Design, rng: np.random.Generator) -> pd.DataFrame:
    """One row per respondent: period, unit, channel, group, weight, latent level."""
    channel_codes = list(dict.fromkeys(design.channels.values()))
    group_codes = list(dict.fromkeys(design.groups.values()))
    level = {uid: float(rng.uniform(-0.75, 0.45)) for uid, *_ in design.units}
    channel_effect = {c: float(rng.normal(0, 0.2)) for c in channel_codes}
    group_effect = {g: float(rng.normal(0, 0.2)) for g in group_codes}
    frames = []
    for t, period in enumerate(design.periods):
        trend = 0.3 * t / max(1, len(design.periods) - 1) + float(rng.normal(0, 0.08))
        for uid, *_ in design.units:
            n = int(rng.integers(design.per_cell[0], design.per_cell[1] + 1))
            channel = rng.choice(channel_codes, n, p=share(len(channel_codes)))
            group = rng.choice(group_codes, n, p=share(len(group_codes)))
            frames.append(pd.DataFrame({
                "period": period, "unit_id": uid, "channel": channel, "group": group,
                "weight": [float(f"{w:.3f}") for w in rng.uniform(0.5, 2.5, n)] if design.weights else 1.0,
                "latent": (level[uid] + trend + rng.normal(0, 0.5, n) + pd.Series(channel).map(channel_effect)
                           + pd.Series(group).map(group_effect)).to_numpy(),
                "effect": adoption_effect(design, uid, int(period[:4]))}))
    people = pd.concat(frames, ignore_index=True)
    prefix = design.name[:2].upper()
    people.insert(0, "respondent_id", [f"{prefix}-{k + 1:05d}" for k in range(len(people))])
    return people


def first_full_year(date: str) -> int:
    """The first calendar year wholly after an adoption dated ``date`` (YYYY-MM-DD)."""
    return int(date[:4]) + (0 if date[5:] == "01-01" else 1)


def adoption_effect(design: Design, unit: str, year: int) -> float:
    """The latent shift of ``unit`` in ``year`` from the policy it adopted (the first full year after its
    date, as the analysis counts it): ``at + per_year * years since``; 0 before, or without adoption."""
    dates = [date for uid, _, date in design.adoptions if uid == unit]
    if not dates:
        return 0.0
    first = first_full_year(dates[0])
    at, per_year = design.adoption_effect
    return at + per_year * (year - first) if year >= first else 0.0


def staggered_truth(design: Design, people: pd.DataFrame, answers: pd.DataFrame,
                    untreated: pd.DataFrame) -> dict[str, Any]:
    """The adoption's effect on the index, from the answers drawn with and without it: per adopting unit and
    year the difference of its cell index; averaged over each cohort's units (weighted by the unit's mean
    yearly weight sum, the people it stands for) and its years since adoption up to the reviewed one; and
    over cohorts by their sizes, as :func:`analysis.analyses.staggered.group_time_effects` averages."""
    criteria = [i for i in design.items if i != "overall"]
    components = list(dict.fromkeys(i.split(".")[0] for i in criteria))
    year = people["period"].str[:4].astype(int)
    frame = people.assign(year=year, treated=respondent_scores(answers[criteria], components)[0],
                          untreated=respondent_scores(untreated[criteria], components)[0])
    frame = frame[frame["year"] <= int(design.reviewed[:4])]

    def cell(rows: pd.DataFrame) -> pd.Series:
        kept = rows["treated"].notna()
        w = rows.loc[kept, "weight"]
        return pd.Series({"delta": weighted_mean(rows.loc[kept, "treated"], w)
                          - weighted_mean(rows.loc[kept, "untreated"], w), "w": w.sum()})

    cells = frame.groupby(["unit_id", "year"])[["treated", "untreated", "weight"]].apply(cell).reset_index()
    size = cells.groupby("unit_id")["w"].mean()
    first = {uid: first_full_year(date) for uid, _, date in design.adoptions}
    cohorts: dict[int, float] = {}
    sizes: dict[int, float] = {}
    for cohort in sorted(set(first.values())):
        units = [u for u, f in first.items() if f == cohort]
        post = cells[cells["unit_id"].isin(units) & (cells["year"] >= cohort)]
        by_year = post.groupby("year").apply(lambda c: float(np.average(c["delta"], weights=size[c["unit_id"]])),
                                             include_groups=False)
        cohorts[cohort], sizes[cohort] = float(by_year.mean()), float(size[units].sum())
    overall = sum(cohorts[c] * sizes[c] for c in cohorts) / sum(sizes.values())
    return {"policy": design.adoptions[0][1], "overall": overall, "by_cohort": {str(c): v for c, v in cohorts.items()}}


def share(k: int) -> np.ndarray:
    """Unequal shares of k categories (the first the most common)."""
    weights = np.array([1.0 / (j + 1.5) for j in range(k)])
    return weights / weights.sum()


def draw_answers(design: Design, people: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Answers 1..5 (NaN: no answer) per respondent and item; a few respondents answer no criterion."""
    n = len(people)
    criteria = [i for i in design.items if i != "overall"]
    components = list(dict.fromkeys(i.split(".")[0] for i in criteria))
    offset = {c: float(rng.normal(0, 0.25)) for c in components}
    z = {c: people["latent"].to_numpy() + offset[c] + rng.normal(0, 0.45, n) for c in components}
    latent = {i: z[i.split(".")[0]] + rng.normal(0, 0.35, n) for i in criteria}
    latent["overall"] = np.mean([z[c] for c in components], axis=0) + rng.normal(0, 0.3, n)
    answers = pd.DataFrame({i: 1.0 + (latent[i][:, None] > CUTS).sum(axis=1) for i in design.items})
    missing = rng.random((n, len(design.items))) < 0.04
    answers = answers.mask(missing)
    silent = rng.random(n) < 0.006  # "không ý kiến" to every criterion: no index score
    answers.loc[silent, criteria] = np.nan
    return answers


def draw_comments(design: Design, rng: np.random.Generator, n: int,
                  personal: dict[str, set[str]]) -> list[str]:
    """Written suggestions, about a quarter of the forms; some carry a name, phone, e-mail or CCCD number."""
    texts = []
    for k in range(n):
        if not design.comments or rng.random() >= 0.25:
            texts.append("")
            continue
        kind = rng.random()
        if kind < 0.12:
            name = person_name(rng)
            personal["names"].add(name)
            texts.append(f"{rng.choice(ADDRESS)} {name} hướng dẫn rất tận tình.")
        elif kind < 0.2:
            name, phone = person_name(rng), phone_number(rng)
            personal["names"].add(name)
            personal["phones"].add(phone)
            texts.append(f"{rng.choice(ADDRESS)} {name} (ĐT {phone}) hướng dẫn rất tận tình, cảm ơn.")
        elif kind < 0.26:
            name = person_name(rng)
            personal["names"].add(name)
            texts.append(f"Cảm ơn {rng.choice(ADDRESS).lower()} {name} đã hỗ trợ kịp thời, thủ tục nhanh.")
        elif kind < 0.34:
            phone = phone_number(rng)
            personal["phones"].add(phone)
            texts.append(f"Cần hỗ trợ xin gọi {phone}, hồ sơ chưa có kết quả.")
        elif kind < 0.41:
            mail = f"{ascii_fold(person_name(rng))}{k}@gmail.com"
            personal["emails"].add(mail)
            texts.append(f"Phản hồi kết quả qua {mail} giúp tôi.")
        elif kind < 0.47:
            cccd = id_number(rng)
            personal["ids"].add(cccd)
            texts.append(f"Số CCCD {cccd}, hồ sơ nộp trực tuyến chưa được giải quyết.")
        else:
            texts.append(str(rng.choice(PLAIN_COMMENTS)))
    return texts


# --------------------------------------------------------------------------- the truth, by brute force


def respondent_scores(answers: pd.DataFrame, components: list[str]) -> tuple[pd.Series, pd.DataFrame]:
    """Each respondent's index score and component shares (share of the answered criteria rated 4-5)."""
    shares = {}
    for component in components:
        block = answers[[i for i in answers.columns if i.split(".")[0] == component]]
        answered = block.notna().sum(axis=1)
        satisfied = (block >= 4).sum(axis=1)
        shares[component] = (satisfied / answered).where(answered > 0)
    table = pd.DataFrame(shares)
    return table.mean(axis=1, skipna=True), table


def weighted_mean(values: pd.Series, weights: pd.Series) -> float:
    """Weighted mean over the non-missing values."""
    keep = values.notna()
    return float((values[keep] * weights[keep]).sum() / weights[keep].sum())


def truth_of(design: Design, people: pd.DataFrame, answers: pd.DataFrame, comments: list[str]) -> dict[str, Any]:
    """What was generated and the index it gives, in plain pandas."""
    criteria = [i for i in design.items if i != "overall"]
    components = list(dict.fromkeys(i.split(".")[0] for i in criteria))
    score, shares = respondent_scores(answers[criteria], components)
    frame = people.assign(score=score, year=people["period"].str[:4].astype(int))
    cut = frame[frame["period"] <= design.reviewed]
    cut_shares = shares[frame["period"] <= design.reviewed]
    year = int(design.reviewed[:4])
    in_year = cut["year"] == year

    def index(rows: pd.DataFrame) -> float:
        return weighted_mean(rows["score"], rows["weight"])

    levels: dict[str, dict[str, float]] = {}
    rest: dict[str, dict[str, float]] = {}
    for column in ("channel", "group"):
        this = cut[in_year]
        levels[column] = {c: index(this[this[column] == c]) for c in sorted(this[column].unique())}
        rest[column] = {c: index(this[this[column] != c]) for c in levels[column] if this[column].nunique() > 1}
    names = {} if design.components is None else {
        code: (dict(name) if isinstance(name, dict) else {"vi": name}) for code, name in design.components.items()}
    return {
        "survey": design.name,
        "description": design.description,
        "seed": design.seed,
        "synthetic": True,
        "index_definition": "respondent: mean over the form's components answered of the share of the "
                            "component's answered criteria rated 4-5 (overall item not included); group: "
                            "weighted mean of respondent scores; years cut at the reviewed period",
        "reviewed": design.reviewed,
        "review": list(design.review),
        "periods": list(design.periods),
        "units": [uid for uid, *_ in design.units],
        "vertical_units": [uid for uid, _, _, _, vertical in design.units if vertical],
        "components": components,
        "component_names": names,
        "items": list(design.items),
        "channels": sorted(people["channel"].unique()),
        "groups": sorted(people["group"].unique()),
        "respondents": len(people),
        "respondents_by_period": {p: int(v) for p, v in people.groupby("period").size().items()},
        "index_by_period": {p: index(rows) for p, rows in frame.groupby("period")},
        "index_n_by_period": {p: int(rows["score"].notna().sum()) for p, rows in frame.groupby("period")},
        "index_by_year": {int(y): index(rows) for y, rows in cut.groupby("year")},
        "index_n_by_year": {int(y): int(rows["score"].notna().sum()) for y, rows in cut.groupby("year")},
        "respondents_by_year": {int(y): len(rows) for y, rows in cut.groupby("year")},
        "components_of_year": {c: weighted_mean(cut_shares.loc[in_year, c], cut.loc[in_year, "weight"])
                               for c in components},
        "index_by_level_of_year": levels,  # the reviewed year (to date): channel / group code -> index
        "index_of_the_rest_of_year": rest,  # ... of the respondents not in that code
        "comments": int(sum(1 for text in comments if text)),
        "events": len(design.events or ()),
        "targets": len(design.targets or ()),
    }


# --------------------------------------------------------------------------- the files


def windows_1258(text: str) -> bytes:
    """Text as Windows-1258 writes it: base letters precomposed (ơ, â, ă, ...), tone marks combining."""
    out: list[str] = []
    base = -1
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and ch not in TONE_MARKS and base >= 0:
            out[base] = unicodedata.normalize("NFC", out[base] + ch)
        else:
            if not unicodedata.combining(ch):
                base = len(out)
            out.append(ch)
    return "".join(out).encode("cp1258")


def answer_cell(value: float, item: str, style: str, k: int) -> Any:
    """One answer as the form records it: a number or a label; no answer blank or "Không ý kiến"."""
    if np.isnan(value):
        return NO_OPINION if k % 3 else None
    if style == "labels" or (style == "overall-labels" and item == "overall"):
        return ANSWER_TEXT[int(value)]
    return int(value)


def period_cell(period: str, how: str) -> Any:
    """A period as the form records it."""
    if how == "date":
        return datetime.datetime(int(period[:4]), int(period[5:7]), 1)
    if how == "int":
        return int(period)
    return period


def form_rows(design: Design, people: pd.DataFrame, answers: pd.DataFrame, comments: list[str],
              rng: np.random.Generator, personal: dict[str, set[str]]) -> tuple[list[str], list[list[Any]]]:
    """The header row and one row per respondent, as the survey file holds them."""
    h = design.headers
    unit_name = {uid: name for uid, name, *_ in design.units}
    channel_label = {code: text for text, code in reversed(design.channels.items())}
    group_label = {code: text for text, code in reversed(design.groups.items())}
    header = [h["respondent_id"], h["period"], h["unit_id"], "Họ và tên", "Số điện thoại",
              *design.extra_personal, h["channel"], h["group"]]
    header += [h["weight"]] if design.weights else []
    header += list(design.items.values())
    header += [h["comment"]] if design.comments else []
    values = answers[list(design.items)].to_numpy()
    rows = []
    for k, person in enumerate(people.itertuples(index=False)):
        name, phone = person_name(rng), phone_number(rng)
        personal["names"].add(name)
        personal["phones"].add(phone)
        extra = []
        for column in design.extra_personal:
            mail = f"{ascii_fold(name)}.{k}@yahoo.com.vn"
            personal["emails"].add(mail)
            extra.append(mail if "mail" in column.casefold() else "")
        row = [person.respondent_id, period_cell(person.period, design.period_cells),
               unit_name[person.unit_id] if design.unit_cells == "name" else person.unit_id, name, phone, *extra,
               channel_label[person.channel], group_label[person.group]]
        row += [f"{person.weight:.3f}"] if design.weights else []
        row += [answer_cell(v, item, design.answers_as, k) for v, item in zip(values[k], design.items, strict=True)]
        row += [comments[k]] if design.comments else []
        rows.append(row)
    if design.total_row:
        rows.append(["Tổng cộng", "", f"{len(people)} phiếu"] + [""] * (len(header) - 3))
    return header, rows


def write_form(design: Design, folder: Path, header: list[str], rows: list[list[Any]]) -> str:
    """Write the survey file; return its name."""
    if design.file == "xlsx":
        grid = pd.DataFrame([[line] + [None] * (len(header) - 1) for line in design.title_rows] + [header, *rows],
                            dtype=object)
        with pd.ExcelWriter(folder / "survey.xlsx", engine="openpyxl") as writer:
            grid.to_excel(writer, sheet_name="Phieu khao sat", header=False, index=False)
        fixed_times(folder / "survey.xlsx", 2025)
        return "survey.xlsx"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for line in design.title_rows:
        writer.writerow([line])
    writer.writerow(header)
    writer.writerows([["" if cell is None else cell for cell in row] for row in rows])
    text = buffer.getvalue()
    if design.file == "csv-1258":
        (folder / "survey.csv").write_bytes(windows_1258(text))
    else:
        (folder / "survey.csv").write_text(text, encoding="utf-8-sig" if design.file == "csv-bom" else "utf-8")
    return "survey.csv"


def write_side_tables(design: Design, folder: Path) -> None:
    """units.csv, and events.csv / targets.csv when the survey has them."""
    units = pd.DataFrame([{"unit_id": uid, "unit_name": name, "block": block, "level": level,
                           "province": design.province, "vertical": vertical,
                           "parent": design.parent if vertical else ""}
                          for uid, name, block, level, vertical in design.units], columns=UNIT_COLUMNS)
    units.to_csv(folder / "units.csv", index=False, lineterminator="\n")
    if design.events is not None:
        pd.DataFrame(list(design.events), columns=["date", "kind", "applies_to", "name", "description"]).to_csv(
            folder / "events.csv", index=False, lineterminator="\n")
    if design.adoptions:
        pd.DataFrame(list(design.adoptions), columns=["unit_id", "policy", "date"]).to_csv(
            folder / "adoptions.csv", index=False, lineterminator="\n")
    if design.targets is not None:
        pd.DataFrame(list(design.targets), columns=["scope", "year", "target_pct", "source"]).to_csv(
            folder / "targets.csv", index=False, lineterminator="\n")


def write_mapping(design: Design, folder: Path, answers_file: str) -> Path:
    """mapping.yaml in the README's documented format."""
    mapping: dict[str, Any] = {}
    if design.survey_id:
        mapping["id"] = design.survey_id
    mapping.update({"title": design.title, "answers": answers_file, "units": "units.csv"})
    if design.events is not None:
        mapping["events"] = "events.csv"
    if design.targets is not None:
        mapping["targets"] = "targets.csv"
    if design.adoptions:
        mapping["adoptions"] = "adoptions.csv"
    mapping["index"] = "sipas"
    if design.components is not None:
        mapping["components"] = design.components
    if design.labels:
        mapping["labels"] = design.labels
    roles = ["respondent_id", "period", "unit_id", "channel", "group"]
    roles += ["weight"] if design.weights else []
    roles += ["comment"] if design.comments else []
    mapping["columns"] = {role: design.headers[role] for role in roles}
    mapping["items"] = dict(design.items)
    mapping["values"] = {"channel": dict(design.channels), "group": dict(design.groups)}
    note = (f"# {design.name}: a survey of the test corpus (analysis.synthetic.corpus; synthetic data, seed "
            f"{design.seed}).\n# Review it with: python -m analysis report --data mapping.yaml "
            f"{' '.join(design.review)}\n")
    path = folder / "mapping.yaml"
    path.write_text(note + yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False, width=1000),
                    encoding="utf-8")
    return path


def write_design(design: Design, folder: str | Path) -> CorpusSurvey:
    """Draw ``design`` and write its survey file, side tables, mapping and truth.json into ``folder``."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(design.seed)
    people = draw_people(design, rng)
    before_answers = rng.bit_generator.state
    answers = draw_answers(design, people.assign(latent=people["latent"] + people["effect"]), rng)
    personal: dict[str, set[str]] = {"names": set(), "phones": set(), "emails": set(), "ids": set()}
    comments = draw_comments(design, rng, len(people), personal)
    header, rows = form_rows(design, people, answers, comments, rng, personal)
    answers_file = write_form(design, out, header, rows)
    write_side_tables(design, out)
    mapping = write_mapping(design, out, answers_file)
    truth = {"survey_id": design.survey_id or out.name, **truth_of(design, people, answers, comments)}
    if design.adoptions:  # the same draws without the policy: the counterfactual answers
        again = np.random.default_rng()
        again.bit_generator.state = before_answers
        truth["staggered"] = staggered_truth(design, people, answers, draw_answers(design, people, again))
    frozen = {kind: tuple(sorted(values)) for kind, values in personal.items()}
    (out / "truth.json").write_text(json.dumps({**truth, "personal": frozen}, ensure_ascii=False, indent=1) + "\n",
                                    encoding="utf-8")
    return CorpusSurvey(design.name, design.description, mapping, design.review, design.reviewed, design.lang,
                        truth, frozen)


# --------------------------------------------------------------------------- the corpus


KBNN_HEADERS = {"respondent_id": "Số phiếu", "period": "Năm đánh giá", "unit_id": "Đơn vị KBNN",
                "channel": "Hình thức giao dịch", "group": "Đối tượng khách hàng", "comment": "Ý kiến đóng góp"}


def kbnn_xlsx() -> Design:
    """(a) KBNN offices of a city, yearly, XLSX with a title block, label answers, three own components."""
    return Design(
        name="kbnn_xlsx", seed=20240101, survey_id="kbnn_da_nang", parent="KBNN Đà Nẵng",
        description="KBNN XLSX, 2-row title block, label answers, own components digital/procedure/staff, "
                    "only vertical units, no events file, groups taxpayer/budget_unit, 2019-2024",
        title="Khảo sát mức độ hài lòng của khách hàng giao dịch với Kho bạc Nhà nước Đà Nẵng (dữ liệu thử)",
        periods=tuple(str(y) for y in range(2019, 2025)), review=("--year", "2024"), reviewed="2024",
        units=(("KBHC", "KBNN Hải Châu", "Kho bạc Nhà nước", "huyện", 1),
               ("KBTK", "KBNN Thanh Khê", "Kho bạc Nhà nước", "huyện", 1),
               ("KBST", "KBNN Sơn Trà", "Kho bạc Nhà nước", "huyện", 1),
               ("KBNHS", "KBNN Ngũ Hành Sơn", "Kho bạc Nhà nước", "huyện", 1),
               ("KBCL", "KBNN Cẩm Lệ", "Kho bạc Nhà nước", "huyện", 1)),
        province="Đà Nẵng",
        components={"digital": {"vi": "Dịch vụ công trực tuyến", "en": "Digital services"},
                    "procedure": {"vi": "Thủ tục kiểm soát chi", "en": "Expenditure control procedures"},
                    "staff": {"vi": "Công chức giao dịch", "en": "Transaction officers"}},
        items={"digital.1": "1.1. Dịch vụ công trực tuyến của Kho bạc dễ sử dụng",
               "digital.2": "1.2. Tra cứu tình trạng hồ sơ, chứng từ trực tuyến thuận tiện",
               "procedure.1": "2.1. Hồ sơ kiểm soát chi đơn giản, rõ ràng",
               "procedure.2": "2.2. Thời gian kiểm soát chi đúng quy định",
               "staff.1": "3.1. Công chức giao dịch lịch sự, tận tình",
               "staff.2": "3.2. Công chức hướng dẫn rõ ràng, một lần",
               "overall": "4. Mức độ hài lòng chung về chất lượng phục vụ của Kho bạc"},
        channels={"Dịch vụ công trực tuyến": "online", "Trực tiếp tại quầy": "direct"},
        groups={"Đơn vị sử dụng ngân sách": "budget_unit", "Người nộp thuế, phí, lệ phí": "taxpayer"},
        labels={"taxpayer": {"vi": "Người nộp thuế", "en": "Taxpayers"}},
        headers=KBNN_HEADERS, per_cell=(40, 70), answers_as="labels", file="xlsx",
        title_rows=("KHO BẠC NHÀ NƯỚC ĐÀ NẴNG",
                    "KẾT QUẢ KHẢO SÁT MỨC ĐỘ HÀI LÒNG CỦA KHÁCH HÀNG GIAI ĐOẠN 2019-2024"),
        period_cells="int", unit_cells="name", events=None,
        targets=(("province", 2025, 95.0, "Kế hoạch cải cách hành chính của KBNN"),),
    )


def kbnn_monthly() -> Design:
    """(b) KBNN offices monthly 2023-01 .. 2024-12, Excel date cells, reviewed at 2024-06."""
    return Design(
        name="kbnn_monthly", seed=20240601, parent="KBNN",
        description="KBNN monthly 2023-01..2024-12 (XLSX date cells), five SIPAS components, channel app, "
                    "vertical units, a policy for one office, reviewed at the month 2024-06",
        title="Đánh giá hằng tháng sự hài lòng của khách hàng, 4 Kho bạc Nhà nước tỉnh (dữ liệu thử)",
        periods=tuple(f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)),
        review=("--period", "2024-06"), reviewed="2024-06",
        units=(("KBHT", "KBNN Hà Tĩnh", "Kho bạc Nhà nước", "tỉnh", 1),
               ("KBNA", "KBNN Nghệ An", "Kho bạc Nhà nước", "tỉnh", 1),
               ("KBQB", "KBNN Quảng Bình", "Kho bạc Nhà nước", "tỉnh", 1),
               ("KBQT", "KBNN Quảng Trị", "Kho bạc Nhà nước", "tỉnh", 1)),
        province="Bắc Trung Bộ",
        components=None,
        items={"access.1": "1. Thông tin về thủ tục được công khai đầy đủ, dễ tìm",
               "procedure.1": "2. Thủ tục đơn giản, thời gian giải quyết hợp lý",
               "staff.1": "3. Công chức giao dịch có thái độ lịch sự, tận tình",
               "staff.2": "4. Công chức hướng dẫn rõ ràng, giải quyết đúng quy định",
               "result.1": "5. Kết quả được trả đúng hẹn, chính xác",
               "feedback.1": "6. Ý kiến, phản ánh được tiếp nhận và trả lời kịp thời",
               "overall": "7. Mức độ hài lòng chung"},
        channels={"Ứng dụng di động": "app", "Trực tiếp": "direct"},
        groups={"Đơn vị sử dụng ngân sách": "budget_unit", "Cá nhân, tổ chức nộp thuế, phí": "citizen"},
        labels={"app": {"vi": "Ứng dụng di động", "en": "Mobile app"}},
        headers={**KBNN_HEADERS, "period": "Tháng đánh giá"}, per_cell=(15, 30), answers_as="numbers",
        file="xlsx", period_cells="date", unit_cells="id",
        events=(("2023-10-01", "policy", "KBHT", "Thí điểm ký số trên ứng dụng di động",
                 "Pilot of mobile digital signatures at one office"),),
        targets=(("province", 2025, 97.0, "Kế hoạch của KBNN"),),
    )


def customs() -> Design:
    """(c) Customs branches, yearly, exactly three components of its own, weights, three groups, English."""
    return Design(
        name="customs", seed=20240301, lang="en", parent="Cục Hải quan Hà Tĩnh",
        description="Customs-style CSV, exactly three own components clearance/inspection/officers, weights, "
                    "groups business/agent/citizen, a policy for a block, a trailing total row, 2020-2024, English",
        title="Khảo sát sự hài lòng của doanh nghiệp đối với Chi cục Hải quan (dữ liệu thử)",
        periods=tuple(str(y) for y in range(2020, 2025)), review=("--year", "2024", "--lang", "en"),
        reviewed="2024",
        units=(("HQCT", "Chi cục Hải quan cửa khẩu Cầu Treo", "Chi cục Hải quan cửa khẩu", "huyện", 1),
               ("HQVA", "Chi cục Hải quan cửa khẩu cảng Vũng Áng", "Chi cục Hải quan cửa khẩu", "huyện", 1),
               ("HQLB", "Chi cục Hải quan cửa khẩu quốc tế Lao Bảo", "Chi cục Hải quan cửa khẩu", "huyện", 1),
               ("HQHL", "Chi cục Hải quan Hồng Lĩnh", "Chi cục Hải quan ngoài cửa khẩu", "huyện", 1),
               ("HQDH", "Chi cục Hải quan Đồng Hới", "Chi cục Hải quan ngoài cửa khẩu", "huyện", 1)),
        province="Hà Tĩnh",
        components={"clearance": {"vi": "Thông quan hàng hóa", "en": "Goods clearance"},
                    "inspection": {"vi": "Kiểm tra, giám sát hải quan", "en": "Inspection and supervision"},
                    "officers": {"vi": "Công chức hải quan", "en": "Customs officers"}},
        items={"clearance.1": "A1. Thời gian thông quan hàng hóa nhanh",
               "clearance.2": "A2. Hệ thống khai hải quan điện tử ổn định",
               "inspection.1": "B1. Kiểm tra thực tế hàng hóa đúng quy định",
               "inspection.2": "B2. Tỷ lệ kiểm tra hợp lý, minh bạch",
               "inspection.3": "B3. Giám sát tại cửa khẩu thuận lợi",
               "officers.1": "C1. Công chức hải quan hướng dẫn tận tình",
               "officers.2": "C2. Công chức không gây phiền hà, sách nhiễu",
               "overall": "D. Đánh giá chung về chất lượng phục vụ"},
        channels={"Dịch vụ công trực tuyến": "online", "Trực tiếp tại Chi cục": "direct"},
        groups={"Doanh nghiệp xuất nhập khẩu": "business", "Đại lý làm thủ tục hải quan": "agent",
                "Cá nhân": "citizen"},
        labels={"agent": {"vi": "Đại lý hải quan", "en": "Customs brokers"}},
        headers={"respondent_id": "Mã phiếu", "period": "Năm", "unit_id": "Mã Chi cục", "channel": "Hình thức",
                 "group": "Loại hình khách hàng", "weight": "Trọng số", "comment": "Góp ý khác"},
        per_cell=(35, 60), answers_as="numbers", file="csv-utf8", weights=True, total_row=True,
        extra_personal=("Địa chỉ email",),
        events=(("2021-01-01", "methodology", "all", "Bổ sung câu hỏi về khai báo điện tử",
                 "New questions on electronic declaration"),
                ("2022-07-01", "policy", "Chi cục Hải quan cửa khẩu", "Quyết định 766/QĐ-TTg",
                 "Service index of Decision 766 at border branches")),
        targets=(("province", 2024, 90.0, "Kế hoạch của Cục Hải quan"), ("province", 2025, 92.0, "Kế hoạch")),
    )


def one_channel() -> Design:
    """(d) A provincial department's survey with one channel and one group, Windows-1258 CSV."""
    return Design(
        name="one_channel", seed=20240401, survey_id="so_tu_phap",
        description="provincial department, Windows-1258 CSV, one channel (direct) and one group (citizen), "
                    "five SIPAS components, label answers, a policy for provincial agencies, 2019-2024",
        title="Khảo sát sự hài lòng của người dân về dịch vụ tư pháp, tỉnh Núi Xanh (dữ liệu thử)",
        periods=tuple(str(y) for y in range(2019, 2025)), review=("--year", "2024"), reviewed="2024",
        units=(("STP", "Sở Tư pháp", "Sở, ban, ngành", "tỉnh", 0),
               ("PTPDS", "Phòng Tư pháp huyện Đông Sơn", "UBND cấp huyện", "huyện", 0),
               ("PTPTS", "Phòng Tư pháp huyện Tây Sơn", "UBND cấp huyện", "huyện", 0),
               ("PTPBS", "Phòng Tư pháp huyện Bắc Sơn", "UBND cấp huyện", "huyện", 0),
               ("PTPNS", "Phòng Tư pháp huyện Nam Sơn", "UBND cấp huyện", "huyện", 0)),
        province="Núi Xanh",
        components=None,
        items={"access.1": "1.1. Nơi tiếp nhận hồ sơ thuận tiện", "access.2": "1.2. Thông tin thủ tục dễ tìm",
               "procedure.1": "2.1. Thủ tục đơn giản, dễ hiểu", "staff.1": "3.1. Công chức lịch sự, tôn trọng",
               "staff.2": "3.2. Công chức hướng dẫn tận tình", "result.1": "4.1. Kết quả đúng hẹn",
               "feedback.1": "5.1. Ý kiến được tiếp nhận, trả lời kịp thời", "overall": "6. Hài lòng chung"},
        channels={"Trực tiếp": "direct"}, groups={"Người dân": "citizen"},
        headers={"respondent_id": "STT phiếu", "period": "Năm khảo sát", "unit_id": "Cơ quan",
                 "channel": "Kênh", "group": "Đối tượng", "comment": "Ý kiến khác"},
        per_cell=(30, 60), answers_as="labels", file="csv-1258",
        events=(("2021-01-01", "policy", "provincial", "Đề án một cửa liên thông",
                 "One-stop shop for provincial agencies"),),
        targets=(("province", 2023, 85.0, "Kế hoạch của UBND tỉnh"), ("province", 2025, 90.0, "Nghị quyết")),
    )


def bare() -> Design:
    """(e) No targets, no events, no comments; four of the five SIPAS components."""
    return Design(
        name="bare", seed=20240501, parent="Cục Thuế",
        description="no targets, events or comment column; four SIPAS components (no feedback); XLSX without "
                    "title; numbers; one vertical unit among five; 2018-2023",
        title="Khảo sát sự hài lòng đối với dịch vụ hành chính công cấp huyện (dữ liệu thử)",
        periods=tuple(str(y) for y in range(2018, 2024)), review=("--year", "2023"), reviewed="2023",
        units=(("HA", "UBND huyện An Hòa", "UBND cấp huyện", "huyện", 0),
               ("HB", "UBND huyện Bình Phú", "UBND cấp huyện", "huyện", 0),
               ("HC", "UBND huyện Cát Tiên", "UBND cấp huyện", "huyện", 0),
               ("HD", "UBND huyện Định Quán", "UBND cấp huyện", "huyện", 0),
               ("CCT", "Chi cục Thuế khu vực", "Cơ quan ngành dọc", "huyện", 1)),
        province="Núi Xanh",
        components=None,
        items={"access.1": "Câu 1. Tiếp cận dịch vụ thuận tiện", "procedure.1": "Câu 2. Thủ tục hợp lý",
               "procedure.2": "Câu 3. Thời hạn giải quyết hợp lý", "staff.1": "Câu 4. Cán bộ tận tình",
               "result.1": "Câu 5. Kết quả đúng quy định", "overall": "Câu 6. Hài lòng chung"},
        channels={"Trực tuyến": "online", "Trực tiếp": "direct"},
        groups={"Người dân": "citizen", "Doanh nghiệp": "business"},
        headers={"respondent_id": "Mã phiếu", "period": "Năm", "unit_id": "Mã đơn vị", "channel": "Kênh",
                 "group": "Nhóm"},
        per_cell=(30, 50), answers_as="numbers", file="xlsx", period_cells="int", comments=False,
    )


def rounds() -> Design:
    """(f) KBNN offices surveyed in two rounds a year (2021-R1 .. 2024-R2), reviewed at 2024-R2."""
    return Design(
        name="rounds", seed=20240701, parent="KBNN Quảng Ninh",
        description="KBNN in rounds 2021-R1..2024-R2, two own components (one named in Vietnamese only), "
                    "only a methodology event, no targets, XLSX with a title row, labels for the overall item",
        title="Khảo sát sự hài lòng của khách hàng theo đợt, Kho bạc Nhà nước khu vực (dữ liệu thử)",
        periods=tuple(f"{y}-R{r}" for y in range(2021, 2025) for r in (1, 2)),
        review=("--period", "2024-R2"), reviewed="2024-R2",
        units=(("KBCP", "KBNN Cẩm Phả", "Kho bạc Nhà nước", "huyện", 1),
               ("KBUB", "KBNN Uông Bí", "Kho bạc Nhà nước", "huyện", 1),
               ("KBMC", "KBNN Móng Cái", "Kho bạc Nhà nước", "huyện", 1),
               ("KBHL", "KBNN Hạ Long", "Kho bạc Nhà nước", "huyện", 1)),
        province="Quảng Ninh",
        components={"service": {"vi": "Chất lượng dịch vụ", "en": "Service quality"},
                    "staff": "Cán bộ, công chức Kho bạc"},
        items={"service.1": "1. Quy trình giao dịch nhanh gọn", "service.2": "2. Chứng từ được xử lý đúng hẹn",
               "service.3": "3. Cơ sở vật chất nơi giao dịch tốt", "staff.1": "4. Cán bộ tận tình, chu đáo",
               "staff.2": "5. Cán bộ giải thích rõ ràng", "overall": "6. Mức độ hài lòng chung"},
        channels={"Trực tuyến": "online", "Trực tiếp": "direct"},
        groups={"Đơn vị sử dụng ngân sách": "budget_unit", "Cá nhân, tổ chức": "citizen"},
        headers={**KBNN_HEADERS, "period": "Đợt khảo sát"}, per_cell=(25, 45), answers_as="overall-labels",
        file="xlsx", title_rows=("KẾT QUẢ KHẢO SÁT THEO ĐỢT (đợt I và đợt II hằng năm)",),
        events=(("2022-01-01", "methodology", "all", "Đổi mẫu phiếu khảo sát", "New questionnaire"),),
    )


ONE_STOP = "Bộ phận Một cửa điện tử liên thông"
ADOPTING = {"2018-07-01": ("XAT", "XBH", "XCL", "XDT"), "2019-10-01": ("XEH", "XGL", "XHM", "XKN"),
            "2021-04-01": ("XLS", "XMT", "XNT", "XPH")}  # date -> communes: first full years 2019, 2020, 2022
COMMUNES = (("XAT", "An Thạnh"), ("XBH", "Bình Hòa"), ("XCL", "Cẩm Lệ"), ("XDT", "Đức Thạnh"), ("XEH", "Eo Hẹp"),
            ("XGL", "Gia Lộc"), ("XHM", "Hòa Mỹ"), ("XKN", "Kim Ngọc"), ("XLS", "Lâm Sơn"), ("XMT", "Minh Tân"),
            ("XNT", "Nam Trung"), ("XPH", "Phú Hưng"), ("XQT", "Quảng Thành"), ("XSH", "Sơn Hà"),
            ("XTL", "Tân Lập"), ("XVA", "Vĩnh An"))


def staggered() -> Design:
    """(g) A Home Affairs department's survey of commune one-stop desks, 2016-2024, whose electronic one-stop
    desk opened commune by commune (three cohorts, four communes never), with an effect that grows."""
    return Design(
        name="staggered", seed=20240801, parent="Cục Thuế tỉnh",
        description="communes adopting an electronic one-stop desk in 2018, 2019 and 2021 (adoptions.csv), four "
                    "never, two vertical branches; the effect grows with years since adoption; 2016-2024",
        title="Khảo sát sự hài lòng tại Bộ phận Một cửa cấp xã, tỉnh Đông Hải (dữ liệu thử)",
        periods=tuple(str(y) for y in range(2016, 2025)), review=("--year", "2024"), reviewed="2024",
        units=(*((uid, f"UBND xã {name}", "UBND cấp xã", "xã", 0) for uid, name in COMMUNES),
               ("CTA", "Chi cục Thuế khu vực Bắc Đông Hải", "Cơ quan ngành dọc", "huyện", 1),
               ("CTB", "Chi cục Thuế khu vực Nam Đông Hải", "Cơ quan ngành dọc", "huyện", 1)),
        province="Đông Hải",
        components=None,
        items={"access.1": "Câu 1. Dễ tìm thông tin thủ tục", "procedure.1": "Câu 2. Thủ tục đơn giản",
               "procedure.2": "Câu 3. Thời hạn giải quyết hợp lý", "staff.1": "Câu 4. Cán bộ tận tình",
               "result.1": "Câu 5. Nhận kết quả đúng hẹn", "feedback.1": "Câu 6. Phản ánh được tiếp nhận",
               "overall": "Câu 7. Hài lòng chung"},
        channels={"Trực tuyến": "online", "Trực tiếp": "direct"},
        groups={"Người dân": "citizen", "Doanh nghiệp": "business"},
        headers={"respondent_id": "Mã phiếu", "period": "Năm", "unit_id": "Mã đơn vị", "channel": "Kênh",
                 "group": "Đối tượng", "comment": "Góp ý"},
        per_cell=(60, 90), answers_as="numbers", file="csv-utf8",
        events=((min(ADOPTING), "policy", "UBND cấp xã", ONE_STOP,
                 "Electronic one-stop desks opened commune by commune"),),
        adoptions=tuple((uid, ONE_STOP, date) for date, units in ADOPTING.items() for uid in units),
        adoption_effect=(0.15, 0.08),
    )


DESIGNS: dict[str, Callable[[], Design]] = {
    "kbnn_xlsx": kbnn_xlsx, "kbnn_monthly": kbnn_monthly, "customs": customs,
    "one_channel": one_channel, "bare": bare, "rounds": rounds, "staggered": staggered,
}
NAMES = tuple(DESIGNS)


def write(name: str, folder: str | Path) -> CorpusSurvey:
    """Write the corpus survey ``name`` (one of :data:`NAMES`) into ``folder``; return it with its truth."""
    return write_design(DESIGNS[name](), folder)


def write_all(folder: str | Path) -> dict[str, CorpusSurvey]:
    """Every corpus survey, each in ``folder/<name>/``."""
    return {name: write(name, Path(folder) / name) for name in NAMES}
