"""The embedded province survey: synthetic answers with a known truth.

No respondent-level Vietnamese survey is public, so the project ships a
synthetic one for a fictional province (tỉnh Sông Lam): 10 blocks of agencies,
2014-2023, two channels, two respondent groups, the five SIPAS components plus
overall satisfaction, survey weights and free-text suggestions.  Its
province-wide index is calibrated to the published path of the 10-year review
(source 004): 2016 below 2015, 76.43% in 2017, 80.6% in 2018, 81.98% in 2022,
85.71% in 2023.  Everything that generated it is written to ``truth.json`` so
analyses can be checked against it.

The model, on a latent scale (answer = 1 + number of cut points below the
latent value plus item noise; 4 and 5 count as satisfied)::

    z[i, c] = year_shift[t] + unit[u] + channel[i] + group[i]
              + 2016 shock (procedures, district and commune committees)
              + policy effects (provincial agencies only) + person[i] + noise[i, c]
    overall[i] = sum_c driver_weight[c] * z[i, c] + noise[i]

``year_shift[t]`` is solved, year by year, so that the weighted index hits the
year's target value on the drawn sample (common random numbers).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from scipy.optimize import brentq

from analysis.analyses.drivers import relative_importance
from analysis.cube.memory import respondent_scores
from analysis.data.schema import COMPONENTS
from analysis.reporting.labels import ANSWER_LABELS

SEED = 20140101
YEARS = list(range(2014, 2024))
PROVINCE = "Sông Lam"

# Year values of the province index (percent).  Published: 2017, 2018, 2022,
# 2023 (source 004; 2017 and 2022 derived from the published rises), and the
# order 2016 < 2015.  The other years are this dataset's design choices.
INDEX_PATH = {2014: 72.80, 2015: 74.60, 2016: 73.40, 2017: 76.43, 2018: 80.60,
              2019: 80.95, 2020: 81.30, 2021: 81.55, 2022: 81.98, 2023: 85.71}
PUBLISHED_YEARS = (2017, 2018, 2022, 2023)

ITEMS = {
    "access.1": "1.1. Thông tin về thủ tục được niêm yết công khai, dễ tìm",
    "access.2": "1.2. Nơi tiếp nhận hồ sơ thuận tiện, dễ tiếp cận",
    "procedure.1": "2.1. Thủ tục hành chính đơn giản, dễ hiểu",
    "procedure.2": "2.2. Thành phần hồ sơ hợp lý",
    "procedure.3": "2.3. Thời hạn giải quyết hợp lý",
    "staff.1": "3.1. Công chức có thái độ lịch sự, tôn trọng",
    "staff.2": "3.2. Công chức hướng dẫn tận tình, dễ hiểu",
    "staff.3": "3.3. Công chức giải quyết hồ sơ đúng quy định",
    "result.1": "4.1. Kết quả đúng quy định, thông tin chính xác",
    "result.2": "4.2. Nhận kết quả đúng hẹn",
    "feedback.1": "5.1. Dễ dàng gửi ý kiến, phản ánh",
    "feedback.2": "5.2. Ý kiến được tiếp nhận, trả lời kịp thời",
    "overall": "6. Mức độ hài lòng chung",
}
HEADERS = {
    "respondent_id": "Số phiếu", "period": "Năm khảo sát", "unit_id": "Mã cơ quan",
    "channel": "Hình thức khảo sát", "group": "Đối tượng", "weight": "Trọng số",
    "stratum": "Tầng mẫu", "comment": "Ý kiến đóng góp",
}
PERSONAL_HEADERS = ("Họ và tên", "Số điện thoại")

# (block, vertical?, [(unit id, unit name, users per year)])
BLOCKS = [
    ("Sở, ban, ngành", False, [("SNV", "Sở Nội vụ", 1800), ("STNMT", "Sở Tài nguyên và Môi trường", 6500),
                               ("SKHDT", "Sở Kế hoạch và Đầu tư", 4200), ("SXD", "Sở Xây dựng", 2600)]),
    ("UBND cấp huyện", False, [("HBA", "UBND huyện Bắc An", 9000), ("HNT", "UBND huyện Nam Thịnh", 7200),
                               ("TXSL", "UBND thị xã Sông Lam", 11000)]),
    ("UBND cấp xã", False, [("XDH", "UBND xã Đông Hòa", 3000), ("XTP", "UBND xã Tân Phú", 2500),
                            ("PTT", "UBND phường Trung Tâm", 5200)]),
    ("Trung tâm Phục vụ hành chính công", False, [("TTHCC", "Trung tâm Phục vụ hành chính công tỉnh", 15000)]),
    ("Đơn vị sự nghiệp y tế", False, [("BVT", "Bệnh viện Đa khoa tỉnh", 12000),
                                      ("TTYT", "Trung tâm Y tế huyện Bắc An", 6000)]),
    ("Đơn vị sự nghiệp giáo dục", False, [("SGD", "Sở Giáo dục và Đào tạo", 3500),
                                          ("TCN", "Trường Cao đẳng nghề tỉnh", 1500)]),
    ("Cơ quan thuế", True, [("CT", "Cục Thuế tỉnh", 14000), ("CCT", "Chi cục Thuế khu vực Bắc An", 6000)]),
    ("Kho bạc Nhà nước", True, [("KBT", "Kho bạc Nhà nước tỉnh", 4000),
                                ("KBH", "Kho bạc Nhà nước huyện Nam Thịnh", 1600)]),
    ("Bảo hiểm xã hội", True, [("BHXH", "Bảo hiểm xã hội tỉnh", 13000),
                               ("BHXHH", "Bảo hiểm xã hội huyện Bắc An", 5000)]),
    ("Công an (thủ tục hành chính)", True, [("CA", "Phòng Cảnh sát QLHC về TTXH", 16000),
                                            ("CAH", "Công an huyện Nam Thịnh", 7000)]),
]
SAMPLE_PER_UNIT = (25, 80)  # sample size range per unit and year

CUTS = np.array([-1.6, -0.9, -0.25, 1.1])  # latent cut points between answers 1..5
DRIVER_WEIGHTS = {"staff": 0.35, "procedure": 0.25, "result": 0.20, "access": 0.12, "feedback": 0.08}
COMPONENT_OFFSET = {"access": 0.15, "procedure": -0.10, "staff": 0.05, "result": 0.10, "feedback": -0.20}
SD = {"person": 0.55, "component": 0.60, "item": 0.45, "overall": 0.45, "unit": 0.20}
CHANNEL_EFFECT = {"direct": 0.30, "online": 0.0}
GROUP_EFFECT = {"citizen": 0.0, "business": -0.10}
VERTICAL_EFFECT = 0.15
SHOCK_2016 = {"year": 2016, "component": "procedure", "blocks": ["UBND cấp huyện", "UBND cấp xã"], "effect": -0.70}
POLICIES: list[dict[str, Any]] = [
    {"name": "Chương trình hành động số 12", "date": "2017-03-31", "from_year": 2018,
     "applies_to": "provincial", "effect_latent": 0.15},
    {"name": "Kết luận số 91", "date": "2022-10-18", "from_year": 2023,
     "applies_to": "provincial", "effect_latent": 0.12},
]
ITEM_MISSING = {"feedback": 0.15, "default": 0.02}
COMMENT_SHARE = 0.18

COMMENTS = {
    "staff_attitude": ["Cán bộ tiếp dân còn thiếu niềm nở, cần cải thiện thái độ phục vụ.",
                       "Thái độ của một số công chức chưa lịch sự, nói chuyện khó nghe.",
                       "Mong cán bộ hướng dẫn tận tình hơn, giao tiếp ứng xử cần thân thiện."],
    "waiting_time": ["Thời gian chờ đợi quá lâu, phải xếp hàng cả buổi sáng.",
                     "Hồ sơ bị trả kết quả trễ hẹn, đề nghị giải quyết nhanh hơn.",
                     "Phải đi lại nhiều lần, mất nhiều thời gian."],
    "paperwork": ["Thủ tục còn rườm rà, giấy tờ yêu cầu quá nhiều.",
                  "Đề nghị giảm bớt thành phần hồ sơ, tránh yêu cầu bổ sung nhiều lần.",
                  "Biểu mẫu khó hiểu, cần hướng dẫn kê khai rõ ràng hơn."],
    "online_system": ["Hệ thống dịch vụ công trực tuyến hay bị lỗi, đường truyền chậm.",
                      "Nộp hồ sơ trực tuyến còn khó khăn, phần mềm không ổn định.",
                      "Cổng dịch vụ công cần dễ sử dụng hơn cho người lớn tuổi."],
    "facilities": ["Phòng chờ chật, thiếu ghế ngồi và nước uống.",
                   "Cơ sở vật chất xuống cấp, chỗ để xe không đủ.",
                   "Cần thêm máy lấy số thứ tự và quạt mát ở nơi tiếp dân."],
    "praise": ["Cán bộ nhiệt tình, chu đáo, tôi rất hài lòng.",
               "Cảm ơn cơ quan đã giải quyết hồ sơ nhanh chóng.",
               "Phục vụ tốt, đúng hẹn, hướng dẫn rõ ràng."],
}
CONTACT_SUFFIXES = [" Liên hệ tôi qua số 0912 345 678.", " SĐT: 0987654321.",
                    " Email: nguoidan.songlam@example.vn.", " Số CCCD của tôi là 036095001234."]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
GIVEN = ["Văn An", "Thị Bình", "Minh Châu", "Quốc Dũng", "Thu Hà", "Đức Huy", "Thị Lan", "Văn Nam", "Ngọc Mai",
         "Hữu Phúc"]


@dataclass
class Draws:
    """All random draws of one generation; answers are a function of these and the year shifts."""

    frame: pd.DataFrame          # one row per respondent: ids, unit, channel, group, weight, fixed part
    component_noise: np.ndarray  # respondents x components
    item_noise: np.ndarray       # respondents x items (without 'overall')
    overall_noise: np.ndarray    # respondents
    missing: np.ndarray          # respondents x items, True = not answered


def unit_table() -> pd.DataFrame:
    """The province's units with their block and vertical flag."""
    rows = [{"unit_id": uid, "unit_name": name, "block": block, "level": level_of(block),
             "province": PROVINCE, "vertical": int(vertical), "parent": ""}
            for block, vertical, units in BLOCKS for uid, name, _ in units]
    return pd.DataFrame(rows)


def level_of(block: str) -> str:
    """Administrative level of a block: tỉnh, huyện or xã."""
    return {"UBND cấp huyện": "huyện", "UBND cấp xã": "xã"}.get(block, "tỉnh")


def draw(rng: np.random.Generator) -> Draws:
    """Draw respondents and every noise term once."""
    rows = []
    unit_effect = {}
    for block, vertical, units in BLOCKS:
        for uid, _, users in units:
            unit_effect[uid] = rng.normal(0, SD["unit"]) + (VERTICAL_EFFECT if vertical else 0.0)
            for year in YEARS:
                n = int(rng.integers(*SAMPLE_PER_UNIT, endpoint=True))
                online_share = 0.05 + 0.05 * (year - 2014)
                served = int(users * (1 + 0.03 * (year - 2014)))
                for k in range(n):
                    rows.append({
                        "year": year, "unit_id": uid, "block": block, "vertical": vertical,
                        "respondent_id": f"{year}-{uid}-{k + 1:04d}",
                        "channel": "online" if rng.random() < online_share else "direct",
                        "group": "business" if rng.random() < 0.3 else "citizen",
                        "weight": round(served / n, 4),
                        "person": rng.normal(0, SD["person"]),
                    })
    frame = pd.DataFrame(rows)
    frame["unit_effect"] = frame["unit_id"].map(unit_effect)
    n = len(frame)
    item_codes = [i for i in ITEMS if i != "overall"]
    missing_p = np.array([ITEM_MISSING.get(i.split(".")[0], ITEM_MISSING["default"]) for i in ITEMS])
    return Draws(frame=frame,
                 component_noise=rng.normal(0, SD["component"], (n, len(COMPONENTS))),
                 item_noise=rng.normal(0, SD["item"], (n, len(item_codes))),
                 overall_noise=rng.normal(0, SD["overall"], n),
                 missing=rng.random((n, len(ITEMS))) < missing_p)


def policy_effect(frame: pd.DataFrame, only: str | None = None) -> np.ndarray:
    """Latent shift from the policies in force for each respondent (provincial agencies only)."""
    shift = np.zeros(len(frame))
    for policy in POLICIES:
        if only is not None and policy["name"] != only:
            continue
        binds = ~frame["vertical"].to_numpy() if policy["applies_to"] == "provincial" else True
        shift += policy["effect_latent"] * ((frame["year"].to_numpy() >= policy["from_year"]) & binds)
    return shift


def latent_components(draws: Draws, year_shift: dict[int, float], *, policies: bool = True,
                      shock: bool = True) -> np.ndarray:
    """Latent component values (respondents x components) for given year shifts."""
    f = draws.frame
    base = (f["year"].map(year_shift).to_numpy() + f["unit_effect"].to_numpy() + f["person"].to_numpy()
            + f["channel"].map(CHANNEL_EFFECT).to_numpy() + f["group"].map(GROUP_EFFECT).to_numpy())
    if policies:
        base = base + policy_effect(f)
    z = base[:, None] + np.array([COMPONENT_OFFSET[c] for c in COMPONENTS]) + draws.component_noise
    if shock:
        hit = (f["year"].to_numpy() == SHOCK_2016["year"]) & f["block"].isin(SHOCK_2016["blocks"]).to_numpy()
        z[hit, COMPONENTS.index(SHOCK_2016["component"])] += SHOCK_2016["effect"]
    return z


def answers_from_latent(draws: Draws, z: np.ndarray) -> pd.DataFrame:
    """Answers 1..5 (NaN when not answered), one column per item."""
    item_codes = [i for i in ITEMS if i != "overall"]
    comp_index = [COMPONENTS.index(i.split(".")[0]) for i in item_codes]
    item_latent = z[:, comp_index] + draws.item_noise
    overall_latent = z @ np.array([DRIVER_WEIGHTS[c] for c in COMPONENTS]) + draws.overall_noise
    latent = np.column_stack([item_latent, overall_latent])
    answers = 1.0 + (latent[:, :, None] > CUTS).sum(axis=2)
    answers[draws.missing] = np.nan
    return pd.DataFrame(answers, columns=list(ITEMS), index=draws.frame.index)


def long_answers(draws: Draws, answers: pd.DataFrame) -> pd.DataFrame:
    """Answers in the tidy long shape (the columns the index needs)."""
    wide = pd.concat([draws.frame[["respondent_id", "year", "unit_id", "weight"]], answers], axis=1)
    long = wide.melt(id_vars=["respondent_id", "year", "unit_id", "weight"], var_name="item", value_name="answer")
    long["period"] = long["year"].astype(str)
    long["component"] = long["item"].str.split(".").str[0]
    return long


def province_index(draws: Draws, year_shift: dict[int, float], **switches: bool) -> pd.Series:
    """Weighted province index (percent) by year for given year shifts."""
    long = long_answers(draws, answers_from_latent(draws, latent_components(draws, year_shift, **switches)))
    people = respondent_scores(long)
    weighted = (people["score"] * people["weight"]).groupby(people["year"]).sum()
    return 100 * weighted / people["weight"].groupby(people["year"]).sum()


def calibrate(draws: Draws) -> dict[int, float]:
    """Year shifts so the drawn sample's index hits :data:`INDEX_PATH`."""
    shift = {}
    for year in YEARS:
        mask = draws.frame["year"].to_numpy() == year
        sub = Draws(draws.frame[mask].reset_index(drop=True), draws.component_noise[mask],
                    draws.item_noise[mask], draws.overall_noise[mask], draws.missing[mask])

        def gap(x: float, sub: Draws = sub, year: int = year) -> float:
            return province_index(sub, {year: x}).loc[year] - INDEX_PATH[year]

        shift[year] = brentq(gap, -2.0, 3.0, xtol=1e-7)
    return shift


def comment_for(rng: np.random.Generator, row: pd.Series) -> tuple[str, str]:
    """A suggestion (and its category) that fits the respondent's answers."""
    if row["overall"] >= 4 and rng.random() < 0.6:
        category = "praise"
    else:
        worst = min(("staff", "procedure", "result", "access"), key=lambda c: row[c])
        category = {"staff": "staff_attitude", "procedure": "paperwork", "result": "waiting_time",
                    "access": "facilities"}[worst]
        if row["channel"] == "online" and rng.random() < 0.5:
            category = "online_system"
    text = COMMENTS[category][int(rng.integers(len(COMMENTS[category])))]
    if rng.random() < 0.08:
        text += CONTACT_SUFFIXES[int(rng.integers(len(CONTACT_SUFFIXES)))]
    return text, category


def answer_cell(value: float, item: str, k: int) -> str:
    """How the form records an answer: numbers, labels for the overall item, 'Không ý kiến'."""
    if np.isnan(value):
        return "Không ý kiến" if k % 3 == 0 else ""
    if item == "overall":
        return ANSWER_LABELS[int(value)]["vi"]
    return str(int(value))


def generate(out_dir: str | Path, seed: int = SEED) -> dict:
    """Write the embedded province survey and its truth to ``out_dir``; return the truth."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    draws = draw(rng)
    shift = calibrate(draws)
    z = latent_components(draws, shift)
    answers = answers_from_latent(draws, z)
    f = draws.frame

    comment_rng = np.random.default_rng(seed + 1)
    comp_mean = pd.DataFrame({c: answers[[i for i in ITEMS if i.startswith(c + ".")]].mean(axis=1)
                              for c in COMPONENTS}).fillna(3)
    profile = pd.concat([comp_mean, answers[["overall"]].fillna(3), f[["channel"]]], axis=1)
    comments, categories = [], []
    for k in range(len(f)):
        if comment_rng.random() < COMMENT_SHARE:
            text, category = comment_for(comment_rng, profile.iloc[k])
            comments.append(text)
            categories.append({"respondent_id": f.at[k, "respondent_id"], "period": str(f.at[k, "year"]),
                               "category": category})
        else:
            comments.append("")

    wide = pd.DataFrame({
        HEADERS["respondent_id"]: f["respondent_id"],
        HEADERS["period"]: f["year"],
        HEADERS["unit_id"]: f["unit_id"],
        HEADERS["channel"]: f["channel"].map({"online": "Trực tuyến", "direct": "Trực tiếp"}),
        HEADERS["group"]: f["group"].map({"citizen": "Người dân", "business": "Doanh nghiệp"}),
        PERSONAL_HEADERS[0]: [f"{FAMILY[k % 10]} {GIVEN[(k * 7) % 10]}" for k in range(len(f))],
        PERSONAL_HEADERS[1]: [f"09{(k * 7919) % 100000000:08d}" for k in range(len(f))],
        HEADERS["weight"]: f["weight"],
        HEADERS["stratum"]: f["unit_id"],
    })
    for item, header in ITEMS.items():
        wide[header] = [answer_cell(v, item, k) for k, v in enumerate(answers[item].to_numpy())]
    wide[HEADERS["comment"]] = comments
    wide.to_csv(out / "survey.csv", index=False, encoding="utf-8-sig", lineterminator="\n")
    pd.DataFrame(categories).to_csv(out / "comment_categories.csv", index=False, lineterminator="\n")
    unit_table().to_csv(out / "units.csv", index=False, lineterminator="\n")
    write_side_tables(out)
    truth = truth_record(draws, shift, seed)
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return truth


def write_side_tables(out: Path) -> None:
    """Mapping, events and targets of the embedded survey."""
    mapping = {
        "title": f"Khảo sát mức độ hài lòng, tỉnh {PROVINCE} (dữ liệu mô phỏng)",
        "id": "song_lam", "published": "../published_figures.csv", "published_scope": "province_review",
        "papi": "../papi",
        "answers": "survey.csv", "units": "units.csv", "events": "events.csv", "targets": "targets.csv",
        "columns": {role: header for role, header in HEADERS.items()},
        "items": ITEMS,
        "values": {"channel": {"Trực tuyến": "online", "Trực tiếp": "direct"},
                   "group": {"Người dân": "citizen", "Doanh nghiệp": "business"}},
    }
    header = ("# Mapping of the survey form's columns to the tidy data model.\n"
              "# To load your own survey: copy this file, point 'answers' at your file and put\n"
              "# your form's headers on the right-hand side (and drop id, published, published_scope\n"
              "# and papi: they are this survey's own). Item codes are <component>.<k>,\n"
              "# components: access, procedure, staff, result, feedback (or your own, declared\n"
              "# under 'components:'); 'overall' is overall satisfaction.  README: \"Your own survey\".\n")
    (out / "mapping.yaml").write_text(header + yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False),
                                      encoding="utf-8")
    events = pd.DataFrame([
        {"date": "2016-01-01", "kind": "policy", "applies_to": "UBND cấp huyện; UBND cấp xã",
         "name": "Quy trình đăng ký đất đai mới",
         "description": "New land-registration procedures rolled out in district and commune committees "
                        "(dataset design: cause of the 2016 dip)"},
        {"date": "2017-03-31", "kind": "policy", "applies_to": "provincial", "name": "Chương trình hành động số 12",
         "description": "Provincial Party Committee action programme on administrative reform (source 004)"},
        {"date": "2021-05-26", "kind": "methodology", "applies_to": "Kho bạc Nhà nước",
         "name": "Quyết định 2537/QĐ-KBNN",
         "description": "State Treasury regulation on satisfaction surveys (source 001)"},
        {"date": "2022-10-18", "kind": "policy", "applies_to": "provincial", "name": "Kết luận số 91",
         "description": "Standing Committee conclusion on further administrative reform (source 004)"},
    ])
    events.to_csv(out / "events.csv", index=False, lineterminator="\n")
    targets = pd.DataFrame([
        {"scope": "province", "year": 2018, "target_pct": 78.0, "source": "004"},
        {"scope": "province", "year": 2023, "target_pct": 84.01, "source": "004"},
        {"scope": "province", "year": 2025, "target_pct": 90.0, "source": "004"},
        {"scope": "province", "year": 2030, "target_pct": 95.0, "source": "004"},
    ])
    targets.to_csv(out / "targets.csv", index=False, lineterminator="\n")


def population_driver_shares(draws: Draws, shift: dict[int, float], seed: int, copies: int = 33) -> dict:
    """LMG shares of the overall answer's R² in the population the survey is drawn from.

    The driver weights are latent slopes, not shares of R², so the truth for
    :func:`analysis.analyses.drivers.relative_importance` is computed: the drawn design
    (each respondent's year, unit, channel, group and weight) is copied
    ``copies`` times and every person effect and noise term drawn afresh
    (``seed + 2``; the survey uses ``seed`` and ``seed + 1``).  Drivers are the
    mean answers over each component's answered items, taken from the wide
    answers (not through :mod:`analysis.cube.memory`); weighted, as the analysis is.
    """
    rng = np.random.default_rng(seed + 2)
    frame = pd.concat([draws.frame] * copies, ignore_index=True)
    n = len(frame)
    frame["person"] = rng.normal(0, SD["person"], n)
    missing_p = np.array([ITEM_MISSING.get(i.split(".")[0], ITEM_MISSING["default"]) for i in ITEMS])
    population = Draws(frame=frame, component_noise=rng.normal(0, SD["component"], (n, len(COMPONENTS))),
                       item_noise=rng.normal(0, SD["item"], (n, len(ITEMS) - 1)),
                       overall_noise=rng.normal(0, SD["overall"], n), missing=rng.random((n, len(ITEMS))) < missing_p)
    answers = answers_from_latent(population, latent_components(population, shift))
    data = pd.DataFrame({c: answers[[i for i in ITEMS if i.startswith(c + ".")]].mean(axis=1) for c in COMPONENTS})
    data = data.assign(overall=answers["overall"], weight=frame["weight"]).dropna()
    importance = relative_importance(data, drivers=list(COMPONENTS), replicates=0)
    lmg = importance.shares[importance.shares["metric"] == "lmg"].set_index("driver")
    return {
        "description": "LMG (Shapley) decomposition of the weighted R² of the overall answer on the components' "
                       "mean answers, in the population: the drawn design copied, every person and noise term "
                       "redrawn; 'lmg' sums to 'r2', 'share' (of R²) to 1",
        "copies": copies, "seed": seed + 2, "respondents": len(data),
        "r2": round(float(importance.fit["r2"].iloc[0]), 6),
        "lmg": {c: round(float(lmg.loc[c, "estimate"]), 6) for c in COMPONENTS},
        "share": {c: round(float(lmg.loc[c, "share"]), 6) for c in COMPONENTS},
    }


def truth_record(draws: Draws, shift: dict[int, float], seed: int) -> dict:
    """What generated the data, with effects on the index scale from counterfactual runs."""
    actual = province_index(draws, shift)
    no_shock = province_index(draws, shift, shock=False)
    provincial = ~draws.frame["vertical"].to_numpy()
    treated = Draws(draws.frame[provincial].reset_index(drop=True), draws.component_noise[provincial],
                    draws.item_noise[provincial], draws.overall_noise[provincial], draws.missing[provincial])
    with_policies = province_index(treated, shift)
    policy_truth = []
    for policy in POLICIES:
        without = Draws(treated.frame.copy(), treated.component_noise, treated.item_noise,
                        treated.overall_noise, treated.missing)
        # remove just this policy: its effect on provincial agencies' index, year by year
        others = sum(p["effect_latent"] * (without.frame["year"] >= p["from_year"])
                     for p in POLICIES if p is not policy)
        without.frame["unit_effect"] = without.frame["unit_effect"] + others
        counterfactual = province_index(without, shift, policies=False)
        effect = (with_policies - counterfactual).round(4)
        policy_truth.append({**policy, "effect_on_provincial_index_points": {
            str(y): float(effect.loc[y]) for y in YEARS if y >= policy["from_year"]}})
    return {
        "description": "Truth of the embedded synthetic province survey (analysis.synthetic.province).",
        "seed": seed,
        "province": PROVINCE,
        "index_definition": "weighted mean over respondents of the mean over the five SIPAS components of "
                            "the share of the component's answered items rated 4 or 5",
        "index_path_pct": {str(y): round(float(actual.loc[y]), 4) for y in YEARS},
        "published_years": list(PUBLISHED_YEARS),
        "latent_model": {"cuts": CUTS.tolist(), "sd": SD, "channel_effect": CHANNEL_EFFECT,
                         "group_effect": GROUP_EFFECT, "vertical_effect": VERTICAL_EFFECT,
                         "component_offset": COMPONENT_OFFSET,
                         "year_shift": {str(y): round(s, 6) for y, s in shift.items()}},
        "driver_weights": DRIVER_WEIGHTS,
        "driver_lmg_share_population": population_driver_shares(draws, shift, seed),
        "dip_2016": {**SHOCK_2016, "cause": "new land-registration procedures in district and commune "
                                             "committees lowered the procedures component",
                     "effect_on_province_index_points": round(float(actual.loc[2016] - no_shock.loc[2016]), 4)},
        "policies": policy_truth,
        "comment_share": COMMENT_SHARE,
        "comment_categories_file": "comment_categories.csv",
    }
