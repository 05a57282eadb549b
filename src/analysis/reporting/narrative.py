"""Sentences generated from the numbers, in Vietnamese or English.

Every number in a sentence comes from a table passed in; templates live in
:data:`TEMPLATES`, one entry per sentence and language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from analysis.data.schema import Survey
from analysis.reporting.labels import (
    format_chance,
    format_number,
    format_p_value,
    format_pct,
    format_points,
    format_share,
    label,
    period_name,
)

TEMPLATES = {
    "data": {
        "vi": "Dữ liệu gồm {n} phiếu của {units} cơ quan, {first}–{last}.",
        "en": "The data hold {n} respondents from {units} agencies, {first}–{last}.",
    },
    "dropped": {
        "vi": " Các cột thông tin cá nhân đã bị loại bỏ khi đọc dữ liệu: {columns}.",
        "en": " Personal columns dropped at load: {columns}.",
    },
    "index": {
        "vi": "Năm {year}, chỉ số hài lòng đạt {value} (khoảng tin cậy 95%: {interval}).",
        "en": "In {year} the satisfaction index was {value} (95% CI {interval}).",
    },
    "published": {
        "vi": " Số liệu công bố: {value}.",
        "en": " Published figure: {value}.",
    },
    "change_real": {
        "vi": "So với năm {before}, chỉ số năm {after} {direction} {points} điểm (KTC 95%: {interval}): "
              "thay đổi này lớn hơn sai số chọn mẫu.",
        "en": "Compared with {before}, the index in {after} {direction} {points} points (95% CI {interval}): "
              "larger than sampling error.",
    },
    "change_noise": {
        "vi": "So với năm {before}, chỉ số năm {after} {direction} {points} điểm (KTC 95%: {interval}): "
              "chưa vượt quá sai số chọn mẫu.",
        "en": "Compared with {before}, the index in {after} {direction} {points} points (95% CI {interval}): "
              "within sampling error.",
    },
    "index_suppressed": {
        "vi": "Chỉ số năm {year} không công bố vì có ít người trả lời hơn cỡ nhóm tối thiểu.",
        "en": "The {year} index is not published: fewer respondents than the minimum group size.",
    },
    "comparison_suppressed": {
        "vi": "So sánh {first} với {second}: không công bố vì một bên có ít người trả lời hơn cỡ nhóm tối thiểu.",
        "en": "{first} against {second}: not published, one side has fewer respondents than the minimum group size.",
    },
    "up": {"vi": "tăng", "en": "rose by"},
    "down": {"vi": "giảm", "en": "fell by"},
    "projection": {
        "vi": "Nếu giữ xu hướng {first}–{last}, năm {year} chỉ số dự báo đạt {value} (khoảng dự báo 95%: "
              "{low} – {high}); xác suất đạt mục tiêu {target} là {probability}.",
        "en": "On the {first}–{last} trend, the index is projected at {value} in {year} (95% prediction interval "
              "{low} to {high}); the chance of reaching the {target} target is {probability}.",
    },
    "too_short": {
        "vi": "Chuỗi số liệu chỉ có {years} năm: quá ngắn để dự báo khả năng đạt mục tiêu {target} năm {year}.",
        "en": "The series has only {years} years: too short to say whether the {target} target of {year} "
              "will be reached.",
    },
    "gap": {
        "vi": "Chênh lệch {first} – {second}: {points} điểm (KTC 95%: {interval}).",
        "en": "Gap {first} minus {second}: {points} points (95% CI {interval}).",
    },
    "effect": {
        "vi": "{what}: {points} điểm (KTC 95%: {low} đến {high}; p {p}).",
        "en": "{what}: {points} points (95% CI {low} to {high}; p {p}).",
    },
    "single_period": {
        "vi": " ({name} mới có một kỳ số liệu sau chính sách: tác động là chênh lệch giữa giá trị quan sát và "
              "giá trị dự báo theo xu hướng trước đó.)",
        "en": " ({name} has a single period after it: the effect is the observed value minus the value "
              "the earlier trend predicts.)",
    },
    "did": {
        "vi": "Sau {name}, cơ quan cấp tỉnh thay đổi {points} điểm so với cơ quan ngành dọc (KTC 95%: {low} đến "
              "{high}; p {p}; sai số chuẩn theo cụm, {clusters} cơ quan).",
        "en": "After {name}, provincial agencies changed by {points} points relative to vertical agencies "
              "(95% CI {low} to {high}; p {p}; errors clustered by agency, {clusters} agencies).",
    },
    "brief_policy_effect": {"vi": "{name}: có tác động, {points} điểm {against} (KTC 95%: {low} đến {high}).",
                            "en": "{name}: an effect of {points} points {against} (95% CI {low} to {high})."},
    "brief_policy_none": {"vi": "{name}: chưa có bằng chứng tác động ({points} điểm {against}, KTC 95%: {low} đến "
                                "{high}).",
                          "en": "{name}: no evidence of an effect ({points} points {against}, 95% CI {low} to "
                                "{high})."},
    "brief_against_vertical": {"vi": "so với cơ quan ngành dọc", "en": "against the vertical agencies"},
    "brief_against_others": {"vi": "so với các cơ quan đối chứng", "en": "against the comparison agencies"},
    "brief_against_trend": {"vi": "so với xu hướng trước đó, không có nhóm đối chứng",
                            "en": "against the earlier trend, without a comparison group"},
    "brief_disagree": {"vi": "Hai phương pháp cho kết quả khác nhau; phần “{section}” giải thích vì sao.",
                       "en": "The two designs differ; the section “{section}” says why."},
    "yoy_which": {"vi": "Dưới đây là các năm có thay đổi so với năm trước lớn hơn sai số chọn mẫu; bảng có mọi năm.",
                  "en": "Below are the years whose change since the year before exceeds sampling error; the table "
                        "has every year."},
    "yoy_which_known": {"vi": "Dưới đây là các năm có thay đổi so với năm trước lớn hơn sai số chọn mẫu, và các năm "
                              "biết trước được kiểm định riêng ({years}); bảng có mọi năm.",
                        "en": "Below are the years whose change since the year before exceeds sampling error, and "
                              "the years known beforehand that are tested ({years}); the table has every year."},
    "whole_series": {"vi": "Mục này dùng toàn bộ chuỗi số liệu, từ {first} đến {last}, không chỉ năm {year}.",
                     "en": "This section uses the whole series, from {first} to {last}, not {year} alone."},
    "whole_series_none": {"vi": "Mục này dùng toàn bộ chuỗi số liệu, nhưng chưa năm nào đủ số người trả lời.",
                          "en": "This section uses the whole series, but no year has enough respondents."},
    "brief_points": {"vi": "điểm", "en": "points"},
    "brief_index": {"vi": "Chỉ số hài lòng {period}", "en": "Satisfaction index, {period}"},
    "brief_change": {"vi": "So với {period}", "en": "Since {period}"},
    "brief_beyond": {"vi": "lớn hơn sai số chọn mẫu", "en": "beyond sampling error"},
    "brief_within": {"vi": "trong phạm vi sai số chọn mẫu", "en": "within sampling error"},
    "brief_target": {"vi": "Dự báo {period} (mục tiêu {target})", "en": "Projected {period} (target {target})"},
    "brief_chance": {"vi": "khả năng đạt mục tiêu: {chance} (khoảng dự báo 95%: {interval})",
                     "en": "chance of the target: {chance} (95% prediction interval {interval})"},
    "brief_untested": {"vi": "không kiểm định được", "en": "cannot be tested"},
    "brief_rank": {"vi": "hạng {low}–{high} trong {n}", "en": "ranks {low}–{high} of {n}"},
    "brief_rank_one": {"vi": "hạng {low} trong {n}", "en": "rank {low} of {n}"},
    "scorecard_suppressed": {"vi": "Năm nay cơ quan có quá ít phiếu trả lời để công bố kết quả.",
                             "en": "Too few forms this year to publish the agency's results."},
    "scorecard_adjusted": {"vi": "chỉ số đã hiệu chỉnh theo cỡ mẫu: {value}",
                           "en": "index adjusted for sample size: {value}"},
    "brief_comments_base": {"vi": "trong {n} ý kiến của kỳ", "en": "of the period's {n} comments"},
    "brief_comment_share": {"vi": "{share} số ý kiến", "en": "{share} of comments"},
    "brief_trend_none": {"vi": "Xu hướng: không có điểm gãy nào được xác nhận.",
                         "en": "Trend: no break is confirmed."},
    "brief_trend_broke": {"vi": "Xu hướng gãy năm {years}; không xác nhận điểm gãy nào khác.",
                          "en": "The trend broke in {years}; no other break is confirmed."},
    "verdict_effect": {"vi": "Kết luận: chính sách có tác động.", "en": "Verdict: the policy had an effect."},
    "verdict_none": {"vi": "Kết luận: chưa có bằng chứng chính sách có tác động.",
                     "en": "Verdict: no evidence that the policy had an effect."},
    "its_agrees": {
        "vi": "Chuỗi thời gian gián đoạn (thay đổi mức so với xu hướng của chính phạm vi này) cho kết quả nhất "
              "quán: {points} điểm (KTC 95%: {low} đến {high}).",
        "en": "The interrupted time series (the level change against the scope's own trend) agrees: {points} "
              "points (95% CI {low} to {high}).",
    },
    "its_differs": {
        "vi": "Chuỗi thời gian gián đoạn cho mức thay đổi {points} điểm (KTC 95%: {low} đến {high}), khác kết luận "
              "trên: phương pháp này chỉ so với xu hướng của chính phạm vi này, không có nhóm đối chứng, nên không "
              "tách được chính sách khỏi những thay đổi cùng thời điểm ở mọi cơ quan; kết luận dựa trên khác biệt kép.",
        "en": "The interrupted time series gives a level change of {points} points (95% CI {low} to {high}), unlike "
              "the verdict: it compares the scope with its own trend, without a comparison group, so it cannot tell "
              "the policy from what changed for every agency at the same time; the verdict rests on the "
              "difference-in-differences.",
    },
    "its_alone": {
        "vi": "(Không có nhóm đối chứng: kết quả so với xu hướng trước chính sách, có thể lẫn với những thay đổi "
              "khác cùng thời điểm.)",
        "en": "(No comparison group: the result is against the trend before the policy and may include other "
              "changes of the same time.)",
    },
    "did_bound": {
        "vi": "Sau {name}, các cơ quan chịu chính sách thay đổi {points} điểm so với các cơ quan đối chứng (KTC 95%: "
              "{low} đến {high}; p {p}; sai số chuẩn theo cụm, {clusters} cơ quan).",
        "en": "After {name}, the agencies it binds changed by {points} points relative to the comparison agencies "
              "(95% CI {low} to {high}; p {p}; errors clustered by agency, {clusters} agencies).",
    },
    "pretrend_ok": {
        "vi": "Trước chính sách, hai nhóm không khác nhau về xu hướng (kiểm định đồng thời các năm trước: p {p}).",
        "en": "Before the policy the two groups moved alike (joint test of the leads: p {p}).",
    },
    "pretrend_bad": {
        "vi": "Trước chính sách, hai nhóm đã có xu hướng khác nhau (p {p}): cần thận trọng khi diễn giải.",
        "en": "The groups already moved differently before the policy (p {p}): interpret with care.",
    },
    "not_comparable": {
        "vi": "Phạm vi này không có cả cơ quan chịu tác động của chính sách cấp tỉnh lẫn cơ quan đối chứng "
              "(ngành dọc), nên không so sánh khác biệt kép, nghiên cứu sự kiện hay đối chứng tổng hợp.",
        "en": "This scope lacks either agencies the provincial policies bind or comparison (vertical) agencies, "
              "so no difference-in-differences, event study or synthetic control is made.",
    },
    "synthetic": {
        "vi": "{unit}: sau chính sách, chênh lệch trung bình so với đối chứng tổng hợp là {points} điểm; "
              "kiểm định giả dược theo không gian: p {p} ({donors} đơn vị đối chứng).",
        "en": "{unit}: after the policy the mean gap to its synthetic control is {points} points; "
              "placebo-in-space p {p} ({donors} donors).",
    },
    "shift": {
        "vi": "Kiểm định gãy năm {year} (dùng toàn bộ phiếu qua sai số chuẩn từng năm): thay đổi mức {points} điểm "
              "(KTC 95%: {low} đến {high}; p {p}).",
        "en": "Break test at {year} (using every answer through each year's standard error): level shift "
              "{points} points (95% CI {low} to {high}; p {p}).",
    },
    "no_break": {
        "vi": "Thuật toán Bai–Perron không tìm thấy điểm gãy nào trong chuỗi.",
        "en": "Bai–Perron finds no break in the series.",
    },
    "break": {
        "vi": "Điểm gãy: chế độ mới bắt đầu năm {first} (KTC 95%: {low}–{high}), trung bình {before} → {after}; "
              "nhận định: {reading}.",
        "en": "Break: a new regime from {first} (95% CI {low}–{high}), mean {before} → {after}; reading: {reading}.",
    },
    "known_break": {
        "vi": "Năm {year}{why}: xu hướng gãy, chỉ số {direction} bậc {points} điểm so với xu hướng trước đó "
              "(KTC 95%: {low} đến {high}).",
        "en": "{year}{why}: the trend broke, the index {direction} by {points} points against its earlier trend "
              "(95% CI {low} to {high}).",
    },
    "first_year_after": {"vi": "năm đầu sau {name}", "en": "the first year after {name}"},
    "known_no_break": {
        "vi": "Năm {year}{why}: chưa có bằng chứng xu hướng gãy (thay đổi mức {points} điểm so với xu hướng "
              "trước đó, KTC 95%: {low} đến {high}, trong phạm vi sai số).",
        "en": "{year}{why}: no evidence that the trend broke (a shift of {points} points against the earlier "
              "trend, 95% CI {low} to {high}, within error).",
    },
    "breaks_unconfirmed": {
        "vi": "Ngoài các năm đã biết, chưa xác nhận điểm gãy nào: thuật toán Bai–Perron gợi ý {dates}, nhưng "
              "các kiểm định độ ổn định (sup-F, CUSUM) không bác bỏ một xu hướng tuyến tính ổn định.",
        "en": "Beyond the known years no break is confirmed: Bai–Perron proposes {dates}, but the stability "
              "tests (sup-F, CUSUM) do not reject a stable linear trend.",
    },
    "breaks_known_only": {
        "vi": "Ngoài các năm đã biết, không có điểm gãy nào khác: năm Bai–Perron gợi ý ({dates}) là năm đã biết, "
              "đã kiểm định ở trên.",
        "en": "Beyond the known years there is no other break: the year Bai–Perron proposes ({dates}) is a known "
              "year, tested above.",
    },
    "breaks_untested": {
        "vi": "Ngoài các năm đã biết, chưa xác nhận điểm gãy nào: thuật toán Bai–Perron gợi ý {dates}, nhưng "
              "chuỗi quá ngắn cho các kiểm định độ ổn định.",
        "en": "Beyond the known years no break is confirmed: Bai–Perron proposes {dates}, but the series is "
              "too short for the stability tests.",
    },
    "stability": {
        "vi": "Trên cả chuỗi {first}–{last} ({years} năm): kiểm định sup-F p {p_sup_f} (nếu có một điểm gãy, "
              "khả dĩ nhất từ năm {period}), CUSUM p {p_cusum}. {verdict}",
        "en": "Over {first}–{last} ({years} years): sup-F test p {p_sup_f} (a single break would most likely start "
              "in {period}), CUSUM p {p_cusum}. {verdict}",
    },
    "segments_one": {
        "vi": "Chỉ có một nhóm theo {segment} đủ số người trả lời, nên không so sánh được các yếu tố tác động "
              "giữa các nhóm.",
        "en": "Only one {segment} has enough respondents, so the drivers cannot be compared between groups.",
    },
    "drivers_one": {
        "vi": "Phiếu khảo sát chỉ có một tiêu chí ngoài câu hỏi hài lòng chung, nên không so sánh được tầm quan "
              "trọng của các yếu tố.",
        "en": "The form has a single criterion besides the overall question, so there are no drivers to compare.",
    },
    "drivers_no_overall": {
        "vi": "Phiếu khảo sát không có câu hỏi về mức độ hài lòng chung, nên không ước lượng được yếu tố nào "
              "tác động đến sự hài lòng.",
        "en": "The form has no overall satisfaction question, so what drives satisfaction cannot be estimated.",
    },
    "drivers_too_few": {
        "vi": "Năm {year} chỉ có {n} người trả lời đủ các thành phần: quá ít để ước lượng tác động của từng yếu tố.",
        "en": "Only {n} respondents answered every component in {year}: too few to estimate what drives satisfaction.",
    },
    "too_few_years": {
        "vi": "Chuỗi chỉ có {years} năm đủ số người trả lời: quá ngắn cho kiểm định độ ổn định.",
        "en": "Only {years} years with enough respondents: too short for the stability tests.",
    },
    "breaks_too_short": {
        "vi": "Chuỗi số liệu chỉ có {years} năm: quá ngắn để tìm điểm gãy chưa biết trước (cần ít nhất {need} năm).",
        "en": "The series has only {years} years: too short to search for breaks at unknown dates "
              "(at least {need} are needed).",
    },
    "stable": {
        "vi": "Chưa đủ bằng chứng xu hướng tuyến tính bị gãy (xét cả hai kiểm định, hiệu chỉnh Bonferroni); "
              "với chuỗi ngắn, các kiểm định này chỉ phát hiện được thay đổi lớn và giá trị p chỉ là gần đúng.",
        "en": "No evidence that the linear trend broke (both tests, Bonferroni-adjusted); on a short series these "
              "tests detect only large changes and their p-values are approximate.",
    },
    "unstable": {
        "vi": "Xu hướng tuyến tính không ổn định (xét cả hai kiểm định, hiệu chỉnh Bonferroni): có thay đổi lớn "
              "hơn dao động ngẫu nhiên; với chuỗi ngắn, giá trị p chỉ là gần đúng.",
        "en": "The linear trend is not stable (both tests, Bonferroni-adjusted): it changed by more than random "
              "variation; on a short series the p-values are approximate.",
    },
    "papi_method": {
        "vi": "PAPI: {n_method} trong {n_total} chỉ số có điểm gãy trùng với thay đổi phương pháp ({events}); "
              "đó là gãy do phương pháp, không phải thay đổi thực về quản trị.",
        "en": "PAPI: {n_method} of {n_total} measures break where the method changed ({events}); "
              "these are method breaks, not changes in governance.",
    },
    "implausible": {
        "vi": "Lưu ý: tỷ lệ hài lòng của kênh {channel} năm {year} là {value}, cao bất thường (trên 99%); "
              "nếu phiếu do chính công chức được đánh giá phát, kết quả có thể thiên lệch.",
        "en": "Note: the {channel} channel's satisfaction in {year} is {value}, implausibly high (over 99%); "
              "if forms are handed out by the staff being rated, the result may be biased.",
    },
}


def format_p(p: float, lang: str = "vi") -> str:
    """A p-value with its relation sign: ``= 0,316`` or ``< 0,001`` (the tables' :func:`format_p_value`)."""
    text = format_p_value(p, lang)
    return text if text.startswith("<") else f"= {text}"


def say(key: str, lang: str, **values) -> str:
    """Fill the template ``key`` in ``lang``."""
    return TEMPLATES[key][lang].format(**values)


TEMPLATES.update({
    "interval_share": {"vi": "{low} – {high}", "en": "{low} to {high}"},
    "interval_points": {"vi": "{low} đến {high}", "en": "{low} to {high}"},  # "đến": no dash beside a minus sign
})


def interval(low: float, high: float, lang: str = "vi", points: bool = False, p: float | None = None) -> str:
    """A 95% interval in a sentence: of shares (``76,00% – 78,00%``) or, with ``points``, of a difference
    in percentage points (``−1,20 đến 3,40``), followed by ``; p = 0,012`` when ``p`` is given; or
    "không ước lượng được" / "not estimable" when it has no bounds (a domain without variance information,
    a difference without a test: :data:`analysis.analyses.indices.NOT_ESTIMABLE`).

    >>> interval(0.7612, 0.7803, "vi"), interval(float("nan"), float("nan"), "en", points=True, p=0.5)
    ('76,12% – 78,03%', 'not estimable')
    """
    if pd.isna(low) or pd.isna(high):
        return label("not_estimable", lang)
    number = format_points if points else format_share
    text = say("interval_points" if points else "interval_share", lang, low=number(low, lang), high=number(high, lang))
    return text if p is None else f"{text}; p {format_p(p, lang)}"


def data_sentence(survey: Survey, lang: str = "vi") -> str:
    """What was loaded, and which personal columns were dropped."""
    r = survey.respondents()
    text = say("data", lang, n=format_number(survey.n_respondents, lang, 0), units=r["unit_id"].nunique(),
               first=r["period"].min(), last=r["period"].max())
    if survey.dropped_columns:
        text += say("dropped", lang, columns=", ".join(survey.dropped_columns))
    return text


def index_sentence(table: pd.DataFrame, year: int, lang: str = "vi") -> str:
    """The index of ``year`` with its interval, and the published figure when there is one
    (a table of :func:`analysis.analyses.describe.index_by_year`, proportions)."""
    row = table.set_index("year").loc[year]
    if row.get("suppressed", False):
        return say("index_suppressed", lang, year=year)
    text = say("index", lang, year=year, value=format_share(row["estimate"], lang),
               interval=interval(row["ci_low"], row["ci_high"], lang))
    if "published" in row and pd.notna(row["published"]):
        text += say("published", lang, value=format_share(row["published"], lang))
    return text


def change_sentence(row: pd.Series, before: int, after: int, lang: str = "vi") -> str:
    """A year-on-year change (a row of :func:`analysis.analyses.indices.difference`, proportions) and
    whether it is real."""
    if row.get("suppressed", False):
        return say("comparison_suppressed", lang, first=after, second=before)
    key = "change_real" if row["p_value"] < 0.05 else "change_noise"
    return say(key, lang, before=before, after=after, direction=label_word(row["difference"], lang),
               points=format_points(abs(row["difference"]), lang),
               interval=interval(row["ci_low"], row["ci_high"], lang, points=True, p=row["p_value"]))


TEMPLATES.update({
    "period_index": {
        "vi": "Chỉ số hài lòng {period}: {value} (KTC 95%: {interval}; {n} người trả lời).",
        "en": "Satisfaction index, {period}: {value} (95% CI {interval}; {n} respondents).",
    },
    "period_index_suppressed": {
        "vi": "Chỉ số hài lòng {period}: không công bố vì có ít người trả lời hơn cỡ nhóm tối thiểu.",
        "en": "Satisfaction index, {period}: not published, fewer respondents than the minimum group size.",
    },
    "period_change_real": {
        "vi": "So với {other} ({what}), chỉ số {direction} {points} điểm (KTC 95%: {interval}): "
              "thay đổi này lớn hơn sai số chọn mẫu.",
        "en": "Against {other} ({what}), the index {direction} {points} points (95% CI {interval}): "
              "larger than sampling error.",
    },
    "period_change_noise": {
        "vi": "So với {other} ({what}), chỉ số {direction} {points} điểm (KTC 95%: {interval}): "
              "chưa vượt quá sai số chọn mẫu.",
        "en": "Against {other} ({what}), the index {direction} {points} points (95% CI {interval}): "
              "within sampling error.",
    },
    "period_year_to_date": {
        "vi": "Các số liệu của năm {year} trong báo cáo này tính đến hết {period}.",
        "en": "The report's figures for {year} run up to the end of {period}.",
    },
    "period_first": {
        "vi": "{period} là kỳ khảo sát đầu tiên trong dữ liệu: chưa có kỳ trước để so sánh.",
        "en": "{period} is the first period in the data: there is no earlier period to compare with.",
    },
})


def period_index_sentence(row: pd.Series, period: str, lang: str = "vi") -> str:
    """The index of a reviewed period (a row of :func:`analysis.analyses.indices.estimate`, proportions)."""
    if pd.isna(row["estimate"]):
        return say("period_index_suppressed", lang, period=period)
    return say("period_index", lang, period=period, value=format_share(row["estimate"], lang),
               interval=interval(row["ci_low"], row["ci_high"], lang), n=format_number(row["n"], lang, 0))


def period_change_sentence(row: pd.Series, lang: str = "vi") -> str:
    """A reviewed period against another (a row of :class:`analysis.sections.period.PeriodReview`)."""
    other = period_name(row["compared_period"], lang)
    if row["suppressed"]:
        return say("comparison_suppressed", lang, first=period_name(row["period"], lang), second=other)
    key = "period_change_real" if row["p_value"] < 0.05 else "period_change_noise"
    return say(key, lang, other=other, what=label(row["comparison"], lang).lower(),
               direction=label_word(row["difference"], lang), points=format_points(abs(row["difference"]), lang),
               interval=interval(row["ci_low"], row["ci_high"], lang, points=True, p=row["p_value"]))


def label_word(value: float, lang: str) -> str:
    return TEMPLATES["up" if value >= 0 else "down"][lang]


def projection_sentence(row: pd.Series, first: int, last: int, lang: str = "vi") -> str:
    """The projection of one target year (a row of :func:`analysis.analyses.targets.project`)."""
    target = format_share(row["target"], lang, 0)
    if row["note"] == "too_short":
        return say("too_short", lang, years=row["years_used"], target=target, year=row["year"])
    return say("projection", lang, first=first, last=last, year=int(row["year"]),
               value=format_share(row["projected"], lang), low=format_share(row["pi_low"], lang),
               high=format_share(row["pi_high"], lang), target=target,
               probability=format_chance(row["probability"], lang))


def level_label(code: str, column: str, lang: str = "vi") -> str:
    """The reader's name of one side of a gap: a level of ``column`` (``"online"``), or the other levels
    pooled (:data:`analysis.analyses.indices.REST`: "the other channels")."""
    from analysis.analyses.indices import REST

    return label(f"rest.{column}", lang) if code == REST else label(code, lang)


def gap_sentence(row: pd.Series, first: str, second: str, lang: str = "vi", column: str = "") -> str:
    """A gap between two groups of ``column`` (a row of :func:`analysis.analyses.indices.difference`,
    proportions)."""
    first, second = level_label(first, column, lang), level_label(second, column, lang)
    if row.get("suppressed", False):
        return say("comparison_suppressed", lang, first=first, second=second)
    return say("gap", lang, first=first, second=second, points=format_points(row["difference"], lang),
               interval=interval(row["ci_low"], row["ci_high"], lang, points=True, p=row["p_value"]))


def absent(key: str, lang: str = "vi") -> str:
    """The one sentence a section says when it cannot show something, and why (``absent.<key>`` of
    :data:`analysis.reporting.labels.LABELS`)."""
    return label(f"absent.{key}", lang)


@dataclass(frozen=True)
class Note:
    """A part of a section that cannot be shown, as a result (:class:`analysis.results.Result`): its one
    sentence (:func:`absent`), no table, no figure.  Its sentence is a note, never an executive-summary finding.
    """

    key: str  # the ``absent.<key>`` label

    percent = ()

    def table(self, lang: str | None = None) -> pd.DataFrame:
        return pd.DataFrame()

    def summary(self, lang: str = "vi") -> list[str]:
        return self.notes(lang)

    def notes(self, lang: str = "vi") -> list[str]:
        return [absent(self.key, lang)]

    def plot(self, lang: str = "vi") -> None:
        return None


def implausible_sentences(table: pd.DataFrame, lang: str = "vi", threshold: float = 0.99) -> list[str]:
    """Notes for channel-years whose satisfaction (a proportion) is above ``threshold``."""
    high = table[table["estimate"] > threshold]
    return [say("implausible", lang, channel=label(r["channel"], lang).lower(), year=r["year"],
                value=format_share(r["estimate"], lang)) for _, r in high.iterrows()]


def amount(value: float, lang: str = "vi", share: bool = True) -> str:
    """A change of a series: percentage points when the series is a proportion (``share``), else the
    number in the series' own unit (a PAPI score)."""
    return format_points(value, lang) if share else format_number(value, lang)


def effect_sentence(row: pd.Series, what: str, lang: str = "vi", share: bool = True) -> str:
    """An effect with its interval and p-value (``estimate, ci_low, ci_high, p_value``; see :func:`amount`)."""
    return say("effect", lang, what=what, points=amount(row["estimate"], lang, share),
               low=amount(row["ci_low"], lang, share), high=amount(row["ci_high"], lang, share),
               p=format_p(row["p_value"], lang))


def its_sentences(effects: pd.DataFrame, single_period: list[str], lang: str = "vi", share: bool = True) -> list[str]:
    """One sentence per intervention: its effect by the last period
    (:func:`analysis.analyses.policy.interrupted_time_series`)."""
    sentences = []
    for row in effects[effects["term"] == "total"].itertuples():
        text = effect_sentence(pd.Series(row._asdict()), f"{row.intervention} – {label('total', lang).lower()}", lang,
                               share)
        if row.intervention in single_period:
            text += say("single_period", lang, name=row.intervention)
        sentences.append(text)
    return sentences


def did_sentence(row: pd.Series, clusters: int, lang: str = "vi", share: bool = True, provincial: bool = True) -> str:
    """A difference-in-differences effect (a row of :func:`analysis.analyses.policy.difference_in_differences`):
    provincial against vertical agencies, or (``provincial`` false) the agencies bound against the others."""
    return say("did" if provincial else "did_bound", lang, name=row["policy"],
               points=amount(row["estimate"], lang, share),
               low=amount(row["ci_low"], lang, share), high=amount(row["ci_high"], lang, share),
               p=format_p(row["p_value"], lang), clusters=clusters)


TEMPLATES.update({
    "unranked": {"vi": "Không xếp hạng: {names} (chỉ số không ước lượng được sai số: mọi phiếu cùng hài lòng "
                       "hoặc cùng không hài lòng, hoặc chỉ có một cụm mẫu).",
                 "en": "Not ranked: {names} (the index has no standard error: every form satisfied, or none, or a "
                       "single sampling cluster)."},
    "staggered": {
        "vi": "{name} được áp dụng vào những năm khác nhau (năm đầu áp dụng và số cơ quan: {cohorts}), nên tác "
              "động được ước lượng theo từng nhóm và năm áp dụng (Callaway–Sant'Anna), so với {comparison} cơ quan "
              "chưa áp dụng: trung bình sau khi áp dụng {points} điểm (KTC 95%: {low} đến {high}; p {p}; "
              "{clusters} cơ quan).",
        "en": "{name} was adopted in different years (first year and agencies: {cohorts}), so its effect is "
              "estimated by adoption cohort and year (Callaway–Sant'Anna) against {comparison} agencies that had "
              "not adopted it: on average {points} points after adoption (95% CI {low} to {high}; p {p}; "
              "{clusters} agencies).",
    },
    "staggered_one": {
        "vi": "{name} được {cohorts} cơ quan áp dụng cùng năm, so với {comparison} cơ quan chưa áp dụng "
              "(Callaway–Sant'Anna): trung bình sau khi áp dụng {points} điểm (KTC 95%: {low} đến {high}; p {p}; "
              "{clusters} cơ quan).",
        "en": "{name} was adopted by {cohorts} agencies in the same year; against {comparison} agencies that had "
              "not adopted it (Callaway–Sant'Anna): on average {points} points after adoption (95% CI {low} to "
              "{high}; p {p}; {clusters} agencies).",
    },
    "staggered_twfe": {
        "vi": "Hồi quy hiệu ứng cố định hai chiều cho {points} điểm (KTC 95%: {low} đến {high}) nhưng không dùng "
              "làm kết luận: khi các cơ quan áp dụng vào những năm khác nhau, phương pháp này lấy cả cơ quan đã áp "
              "dụng từ trước làm đối chứng cho cơ quan áp dụng sau, và ở đây gán trọng số âm cho {negative} trong "
              "{cells} cơ quan-năm đã áp dụng.",
        "en": "Two-way fixed effects gives {points} points (95% CI {low} to {high}) but is not the verdict: with "
              "adoption in different years it uses agencies already treated as controls for later adopters, and "
              "here it weights {negative} of the {cells} treated agency-years negatively.",
    },
    "staggered_twfe_positive": {
        "vi": "Hồi quy hiệu ứng cố định hai chiều cho {points} điểm (KTC 95%: {low} đến {high}) nhưng không dùng "
              "làm kết luận: khi các cơ quan áp dụng vào những năm khác nhau, phương pháp này lấy cả cơ quan đã áp "
              "dụng từ trước làm đối chứng và gộp các năm theo trọng số của hồi quy chứ không theo số cơ quan (ở "
              "đây không cơ quan-năm nào có trọng số âm).",
        "en": "Two-way fixed effects gives {points} points (95% CI {low} to {high}) but is not the verdict: with "
              "adoption in different years it also uses agencies already treated as controls and averages the "
              "years by regression weights rather than by agencies (here no agency-year is weighted negatively).",
    },
    "staggered_pretrend_ok": {
        "vi": "Không có bằng chứng cơ quan áp dụng đã thay đổi khác cơ quan đối chứng trước khi áp dụng (kiểm "
              "định đồng thời {df} chênh lệch trước áp dụng: p {p}).",
        "en": "No evidence that the adopters changed differently from the comparison agencies before adoption "
              "(joint test of {df} pre-adoption differences: p {p}).",
    },
    "synthetic_did_left_out": {
        "vi": "Khác biệt kép tổng hợp cần số liệu mọi năm, hoặc hai năm trước khi áp dụng: {n} cơ quan bị loại "
              "({units}).",
        "en": "The synthetic difference-in-differences needs every year, or two years before adoption: {n} "
              "agencies are left out ({units}).",
    },
    "supplementary_designs": {
        "vi": "Phần này và phần khác biệt kép tổng hợp sau đây chỉ xét một cơ quan với {donors} cơ quan đối "
              "chứng, để bổ trợ; kết luận về chính sách là phần “{verdict}”.",
        "en": "This part and the synthetic difference-in-differences after it look at one agency against "
              "{donors} comparison agencies, as a complement; the verdict on the policy is the part “{verdict}”.",
    },
    "too_few_adopters": {
        "vi": "{name}: phạm vi này có ít hơn {n} cơ quan áp dụng trong các năm của số liệu, hoặc không có cơ quan "
              "nào để so sánh, nên không ước lượng tác động theo nhóm áp dụng.",
        "en": "{name}: this scope has fewer than {n} agencies adopting it within the data's years, or none to "
              "compare them with, so no effect by adoption cohort is estimated.",
    },
    "staggered_pretrend_bad": {
        "vi": "Trước khi áp dụng, cơ quan áp dụng đã thay đổi khác cơ quan đối chứng (kiểm định đồng thời {df} "
              "chênh lệch trước áp dụng: p {p}): cần thận trọng.",
        "en": "Before adoption the adopters already changed differently from the comparison agencies (joint "
              "test of {df} pre-adoption differences: p {p}): interpret with care.",
    },
    "staggered_pretrend_none": {
        "vi": "Không kiểm định được xu hướng trước khi áp dụng (quá ít năm hoặc quá ít cơ quan trước áp dụng).",
        "en": "The trend before adoption cannot be tested (too few years or agencies before adoption).",
    },
    "staggered_pretrend_meaning": {
        "vi": "Ước lượng dựa trên giả định nếu không có chính sách, hai nhóm sẽ thay đổi như nhau; nếu giả định "
              "này sai, ước lượng gộp cả chênh lệch xu hướng có sẵn giữa hai nhóm vào tác động của chính sách.",
        "en": "The estimate assumes that without the policy both groups would have changed alike; were that "
              "wrong, it would count a difference in trends that was already there as the policy's effect.",
    },
    "brief_against_adopters": {"vi": "so với các cơ quan chưa áp dụng", "en": "against agencies not adopting it"},
})


def staggered_sentence(row: pd.Series, lang: str = "vi", share: bool = True) -> str:
    """A policy adopted agency by agency (a row of :meth:`analysis.analyses.staggered.StaggeredDiD.verdict_row`):
    who adopted when, and the overall effect against the agencies that had not adopted."""
    one = "," not in str(row["cohorts"])
    return say("staggered_one" if one else "staggered", lang, name=row["policy"],
               cohorts=int(row["adopters"]) if one else row["cohorts"], comparison=int(row["never_adopted"]),
               points=amount(row["estimate"], lang, share), low=amount(row["ci_low"], lang, share),
               high=amount(row["ci_high"], lang, share), p=format_p(row["p_value"], lang),
               clusters=int(row["clusters"]))


def staggered_sentences(row: pd.Series, lang: str = "vi", share: bool = True) -> list[str]:
    """The section's sentences on a policy adopted agency by agency: the effect, the two-way fixed-effects
    estimate and why it is not the verdict, the pre-adoption test and what a violation would mean."""
    twfe = say("staggered_twfe" if row["twfe_negative"] else "staggered_twfe_positive", lang,
               points=amount(row["twfe_estimate"], lang, share),
               low=amount(row["twfe_ci_low"], lang, share), high=amount(row["twfe_ci_high"], lang, share),
               negative=int(row["twfe_negative"]), cells=int(row["twfe_cells"]))
    p = row["pretrend_p_value"]
    pretrend = say("staggered_pretrend_none", lang) if pd.isna(p) else say(
        "staggered_pretrend_ok" if p >= 0.05 else "staggered_pretrend_bad", lang, df=int(row["pretrend_df"]),
        p=format_p(p, lang))
    return [staggered_sentence(row, lang, share), twfe, f"{pretrend} {say('staggered_pretrend_meaning', lang)}"]


def policy_verdict(row: pd.Series, lang: str = "vi", share: bool = True, provincial: bool = True) -> str:
    """A policy's verdict (a row of :attr:`analysis.sections.policy.PolicyHeadline.verdicts`): the verdict
    design's estimate, the verdict in words, and beside a difference-in-differences whether the interrupted
    time series agrees; an interrupted time series alone says it has no comparison group; a policy adopted
    agency by agency, its group-time effect and why two-way fixed effects is not the verdict."""
    verdict = say("verdict_effect" if row["effect"] else "verdict_none", lang)
    if row["design"] == "staggered":
        first, twfe, _ = staggered_sentences(row, lang, share)
        return f"{first} {verdict} {twfe}"
    if row["design"] == "its":
        what = f"{row['policy']} – {label('level', lang).lower()}"
        return f"{effect_sentence(row, what, lang, share)} {verdict} {say('its_alone', lang)}"
    text = f"{did_sentence(row, int(row['clusters']), lang, share, provincial)} {verdict}"
    if pd.isna(row.get("agree", pd.NA)):
        return text
    return f"{text} " + say("its_agrees" if row["agree"] else "its_differs", lang,
                            points=amount(row["its_estimate"], lang, share),
                            low=amount(row["its_ci_low"], lang, share), high=amount(row["its_ci_high"], lang, share))


def whole_series_sentence(periods: pd.Series, year: int, lang: str = "vi") -> str:
    """The first sentence of a section that uses every period of the series, not the reviewed year only."""
    if periods.empty:
        return say("whole_series_none", lang, year=year)
    return say("whole_series", lang, first=period_name(str(periods.min()), lang),
               last=period_name(str(periods.max()), lang), year=year)


def policy_brief_line(row: pd.Series, lang: str = "vi", share: bool = True, provincial: bool = True) -> str:
    """A policy's verdict in one plain line for the brief (no p-value, no method name): the verdict, the
    estimate with its interval, and when the two designs disagree that the policy section says why."""
    against = {"did": say("brief_against_vertical" if provincial else "brief_against_others", lang),
               "staggered": say("brief_against_adopters", lang)}.get(row["design"], say("brief_against_trend", lang))
    text = say("brief_policy_effect" if row["effect"] else "brief_policy_none", lang, name=row["policy"],
               points=amount(row["estimate"], lang, share), low=amount(row["ci_low"], lang, share),
               high=amount(row["ci_high"], lang, share), against=against)
    why = say("brief_disagree", lang, section=label("policy.title", lang))
    return text + (f" {why}" if row.get("agree") is False else "")


def rank_words(low: int, high: int, n: int, lang: str = "vi") -> str:
    """A rank interval in words: "hạng 18–23 trong 23", or "hạng 1 trong 19" when it is one rank."""
    return say("brief_rank_one" if low == high else "brief_rank", lang, low=low, high=high, n=n)


def trend_brief_line(head, lang: str = "vi") -> str:
    """Did the trend break, in one plain line for the brief (:class:`analysis.sections.trends.BreakHeadline`):
    the known years where it broke and the confirmed breaks at unknown dates, or that none is confirmed."""
    tests = getattr(head.known, "tests", pd.DataFrame(columns=["year", "shift", "p_value"]))
    broke = [f"{int(r.year)} ({label('rose' if r.shift > 0 else 'fell', lang)} "
             f"{amount(abs(r.shift), lang, head.yearly.share)} {say('brief_points', lang)})"
             for r in tests.itertuples() if r.p_value < 0.05]
    found = [str(r.regime_from) for r in head.breaks.found.itertuples() if r.label != "unconfirmed"]
    if not broke and not found:
        return say("brief_trend_none", lang)
    return say("brief_trend_broke", lang, years="; ".join(broke + found))


def pretrend_sentence(p_value: float, lang: str = "vi") -> str:
    """The verdict of the joint test of no pre-trend."""
    return say("pretrend_ok" if p_value >= 0.05 else "pretrend_bad", lang, p=format_p(p_value, lang))


def synthetic_sentence(unit: str, effect: float, p_value: float, donors: int, lang: str = "vi",
                       share: bool = True) -> str:
    """A synthetic-control effect (the mean post-period gap, see :func:`amount`) and its placebo p-value, and
    that it complements the section's verdict."""
    return (say("synthetic", lang, unit=unit, points=amount(effect, lang, share), p=format_p(p_value, lang),
                donors=donors) + " "
            + say("supplementary_designs", lang, donors=donors, verdict=label("policy.verdict", lang)))


TEMPLATES.update({
    "synthetic_did": {
        "vi": "{unit}: theo khác biệt kép tổng hợp, sau chính sách thay đổi {points} điểm so với nhóm đối chứng "
              "có trọng số (KTC {level}%: {low} đến {high}; sai số chuẩn giả dược, {replications} lần lặp, "
              "{controls} đơn vị đối chứng).",
        "en": "{unit}: by synthetic difference-in-differences, after the policy the change relative to the "
              "weighted comparison group is {points} points ({level}% CI {low} to {high}; placebo standard "
              "error, {replications} replications, {controls} comparison units).",
    },
    "synthetic_did_staggered": {
        "vi": "{units} đơn vị áp dụng chính sách vào {cohorts} thời điểm khác nhau; theo khác biệt kép tổng hợp, "
              "mỗi nhóm cùng thời điểm so với {controls} đơn vị chưa áp dụng, tác động bình quân (trọng số theo "
              "số đơn vị × số kỳ sau chính sách) là {points} điểm (KTC {level}%: {low} đến {high}; sai số chuẩn "
              "giả dược, {replications} lần lặp).",
        "en": "{units} units adopted the policy at {cohorts} different times; by synthetic "
              "difference-in-differences, each cohort against the {controls} units that never adopted it, the "
              "average effect (weighted by units × periods after the policy) is {points} points ({level}% CI "
              "{low} to {high}; placebo standard error, {replications} replications).",
    },
    "synthetic_did_units": {"vi": "Các đơn vị chịu chính sách ({n})", "en": "The {n} treated units"},
    "synthetic_did_no_interval": {
        "vi": "{unit}: theo khác biệt kép tổng hợp, sau chính sách thay đổi {points} điểm so với nhóm đối chứng "
              "có trọng số; không có khoảng tin cậy vì kiểm định giả dược cần số đơn vị đối chứng nhiều hơn số "
              "đơn vị chịu chính sách, mà ở đây chỉ có {controls} đơn vị đối chứng so với {treated}.",
        "en": "{unit}: by synthetic difference-in-differences, after the policy the change relative to the "
              "weighted comparison group is {points} points; there is no interval, since the placebo needs more "
              "comparison units than treated ones, and here there are {controls} against {treated}.",
    },
})


def synthetic_did_sentence(row: pd.Series, unit: str | None, controls: int, replications: int, cohorts: int,
                           level: float = 0.95, lang: str = "vi", share: bool = True) -> str:
    """A synthetic difference-in-differences effect (the overall row of
    :class:`analysis.analyses.synthdid.SyntheticDiD`) and its placebo interval; with several adoption
    ``cohorts``, their weighted average; no interval without more comparison than treated units.  ``unit``
    names a single treated unit."""
    name = unit or say("synthetic_did_units", lang, n=int(row["treated_units"]))
    points = amount(row["estimate"], lang, share)
    if pd.isna(row["se"]):
        return say("synthetic_did_no_interval", lang, unit=name, points=points, controls=controls,
                   treated=int(row["treated_units"]))
    values = {"points": points, "low": amount(row["ci_low"], lang, share), "high": amount(row["ci_high"], lang, share),
              "level": format_number(100 * level, lang, 0), "replications": replications, "controls": controls}
    if cohorts > 1:
        return say("synthetic_did_staggered", lang, units=int(row["treated_units"]), cohorts=cohorts, **values)
    return say("synthetic_did", lang, unit=name, **values)


def shift_sentence(row: pd.Series, year: int, lang: str = "vi", share: bool = True) -> str:
    """A known-year level-shift test (a row of :func:`analysis.analyses.trends.known_year_tests`)."""
    return say("shift", lang, year=year, points=amount(row["shift"], lang, share),
               low=amount(row["ci_low"], lang, share), high=amount(row["ci_high"], lang, share),
               p=format_p(row["p_value"], lang))


def break_sentences(table: pd.DataFrame, lang: str = "vi", share: bool = True) -> list[str]:
    """One sentence per labelled break (:func:`analysis.analyses.trends.labelled_breaks`); segment means in
    percent without the sign when ``share`` (as :func:`amount`)."""
    if table.empty:
        return [say("no_break", lang)]
    return [say("break", lang, first=r.regime_from, low=r.first_low, high=r.first_high,
                before=amount(r.before, lang, share), after=amount(r.after, lang, share),
                reading=label(f"break.{r.label}", lang) + (f" ({r.event})" if r.event else ""))
            for r in table.itertuples()]


def known_break_verdicts(tests: pd.DataFrame, lang: str = "vi", share: bool = True, alpha: float = 0.05,
                         why: dict[int, str] | None = None) -> list[str]:
    """The verdict at each known year (rows of :class:`analysis.analyses.trends.KnownYearTests`): the level
    rose or fell when its test rejects at ``alpha``, else no evidence of a break; ``why`` names the policy
    that made a year known (its first year after it)."""
    def reason(year: int) -> str:
        return f" ({say('first_year_after', lang, name=(why or {})[year])})" if year in (why or {}) else ""

    return [say("known_break" if row.p_value < alpha else "known_no_break", lang, year=int(row.year),
                why=reason(int(row.year)), direction=label("rose" if row.shift > 0 else "fell", lang),
                points=amount(abs(row.shift) if row.p_value < alpha else row.shift, lang, share),
                low=amount(row.ci_low, lang, share), high=amount(row.ci_high, lang, share))
            for row in tests.itertuples()]


def unconfirmed_breaks_sentence(found: pd.DataFrame, unstable: bool | None, lang: str = "vi",
                                known: tuple[int, ...] = ()) -> str:
    """Bai-Perron's dates as candidates: the stability tests do not reject a stable trend (``unstable``
    false), or the series is too short for them (None); dates that are ``known`` years (tested by their own
    test) are not "other" breaks."""
    def dates(rows: pd.DataFrame) -> str:
        return "; ".join(f"{r.regime_from} ({label('ci95', lang)}: {r.first_low}–{r.first_high})"
                         for r in rows.itertuples())

    others = found[~found["regime_from"].isin(known)]
    if others.empty:
        return say("breaks_known_only", lang, dates=dates(found))
    return say("breaks_unconfirmed" if unstable is False else "breaks_untested", lang, dates=dates(others))


def stability_sentence(table: pd.DataFrame, years: pd.Series, unstable: bool, lang: str = "vi") -> str:
    """The sup-F and OLS-CUSUM tests of one yearly trend (rows ``method, p_value, break`` of
    :mod:`analysis.analyses.breaks`; ``break`` counts the years before it, so the new regime starts at that
    position of ``years``) and their verdict (:attr:`analysis.analyses.trends.StabilityTests.unstable`)."""
    rows = table.set_index("method")
    start = sorted(years)[int(rows.loc["sup_f", "break"])]
    return say("stability", lang, first=int(years.min()), last=int(years.max()), years=len(years),
               p_sup_f=format_p(rows.loc["sup_f", "p_value"], lang), period=int(start),
               p_cusum=format_p(rows.loc["cusum_ols", "p_value"], lang),
               verdict=say("unstable" if unstable else "stable", lang))


def papi_sentence(table: pd.DataFrame, n_measures: int, lang: str = "vi") -> str:
    """How many of ``n_measures`` PAPI measures break where the method changed, and the source."""
    method = table[table["label"] == "method"]
    return say("papi_method", lang, n_method=method["measure"].nunique(), n_total=n_measures,
               events="; ".join(sorted({label(e, lang) for e in method["event"]})) or "—") + say("papi_source", lang)


# structural-break tests (analysis.analyses.breaks): one sentence per result

TEMPLATES.update({
    "papi_source": {"vi": " (Nguồn: PAPI, papi.org.vn.)", "en": " (Source: PAPI, papi.org.vn.)"},
    "chow": {
        "vi": "Kiểm định Chow về một điểm gãy sau {period}: F({df_num}, {df_den}) = {f}, p {p}.",
        "en": "Chow test of a break after {period}: F({df_num}, {df_den}) = {f}, p {p}.",
    },
    "wald_hac": {
        "vi": "Kiểm định Wald với hiệp phương sai Newey–West ({lags} độ trễ) về một điểm gãy sau {period}: "
              "F({df_num}, {df_den}) = {f}, p {p}.",
        "en": "Wald test with Newey-West covariance ({lags} lags) of a break after {period}: "
              "F({df_num}, {df_den}) = {f}, p {p}.",
    },
    "sup_f_test": {
        "vi": "Kiểm định sup-F trên mọi điểm gãy khả dĩ: sup F = {f} với điểm gãy sau {period}, p {p}.",
        "en": "sup-F test over candidate breaks: sup F = {f} for a break after {period}, p {p}.",
    },
    "bai_perron_none": {
        "vi": "Bai–Perron với mỗi đoạn ít nhất {h} trong {n} quan sát: BIC chọn không có điểm gãy nào "
              "(tối đa {max_breaks}).",
        "en": "Bai-Perron with segments of at least {h} of {n} observations: BIC chooses no break "
              "(of up to {max_breaks}).",
    },
    "bai_perron": {
        "vi": "Bai–Perron với mỗi đoạn ít nhất {h} trong {n} quan sát: BIC chọn {k} điểm gãy (tối đa {max_breaks}), "
              "{dates}.",
        "en": "Bai-Perron with segments of at least {h} of {n} observations: BIC chooses {k} {breaks} "
              "(of up to {max_breaks}), {dates}.",
    },
    "break_word": {"vi": "điểm gãy", "en": "break"},
    "breaks_word": {"vi": "điểm gãy", "en": "breaks"},
    "bai_perron_date": {
        "vi": "sau {period} (khoảng tin cậy {level}: {low} đến {high})",
        "en": "after {period} ({level} interval {low} to {high})",
    },
    "bai_perron_date_open": {"vi": "sau {period} (không có khoảng tin cậy)", "en": "after {period} (no interval)"},
    "observation": {"vi": "quan sát thứ {b}", "en": "observation {b}"},
    "cusum_test": {
        "vi": "Kiểm định CUSUM {kind} về độ ổn định của các hệ số: S = {s}, p {p}.",
        "en": "{kind} CUSUM test of stable coefficients: S = {s}, p {p}.",
    },
    "cusum.ols": {"vi": "phần dư OLS", "en": "OLS-based"},
    "cusum.recursive": {"vi": "phần dư đệ quy", "en": "recursive"},
})


def period_text(period: object) -> str:
    """A period label in a sentence (1898.0 -> '1898')."""
    return str(int(period)) if isinstance(period, float) and period.is_integer() else str(period)


def chow_sentence(test, lang: str = "vi") -> str:
    """A test of a break at a known date (:class:`analysis.analyses.breaks.ChowTest`)."""
    values = dict(period=period_text(test.period), df_num=test.df_num, df_den=test.df_den,
                  f=format_number(test.statistic, lang), p=format_p(test.p_value, lang))
    if test.hac_lags is None:
        return say("chow", lang, **values)
    return say("wald_hac", lang, lags=test.hac_lags, **values)


def sup_f_sentence(test, lang: str = "vi") -> str:
    """Andrews' sup-F test (:class:`analysis.analyses.breaks.SupFTest`)."""
    return say("sup_f_test", lang, f=format_number(test.statistic, lang), period=period_text(test.period),
               p=format_p(test.p_value, lang))


def bai_perron_sentence(fit, lang: str = "vi", level: float = 0.95) -> str:
    """BIC's number of breaks and their dates with ``level`` intervals
    (:class:`analysis.analyses.breaks.Breakpoints`)."""
    head = dict(h=fit.min_size, n=fit.data.n, max_breaks=fit.max_breaks)
    if fit.n_breaks == 0:
        return say("bai_perron_none", lang, **head)

    def where(b) -> str:
        period = None if pd.isna(b) else fit.data.period(int(b))
        return say("observation", lang, b=b) if period is None else period_text(period)

    dates = [say("bai_perron_date", lang, period=where(r.estimate), level=format_share(level, lang, 0),
                 low=where(r.lower), high=where(r.upper)) if not pd.isna(r.lower)
             else say("bai_perron_date_open", lang, period=where(r.estimate)) for r in fit.confint(level).itertuples()]
    word = say("break_word" if fit.n_breaks == 1 else "breaks_word", lang)
    return say("bai_perron", lang, k=fit.n_breaks, breaks=word, dates="; ".join(dates), **head)


def cusum_sentence(test, lang: str = "vi") -> str:
    """A CUSUM test (:class:`analysis.analyses.breaks.CusumTest`)."""
    return say("cusum_test", lang, kind=say(f"cusum.{test.kind}", lang), s=format_number(test.statistic, lang, 3),
               p=format_p(test.p_value, lang))


# comments

TEMPLATES.update({
    "comments_top_year": {
        "vi": "Năm {year} có {n} ý kiến đóng góp; nhiều nhất là nhóm “{first}”: {value} số ý kiến (KTC 95%: {low} – "
              "{high}).",
        "en": "In {year} there are {n} written comments; the most common category is “{first}”: {value} of them "
              "(95% CI {low} to {high}).",
    },
    "comments_pooled": {
        "vi": "Phần này gộp ý kiến của mọi năm, {first}–{last} ({n} ý kiến), để đủ số liệu so sánh.",
        "en": "This part pools every year's comments, {first}–{last} ({n} comments), to have enough to compare.",
    },
    "comments_top": {
        "vi": "Có {n} ý kiến đóng góp; nhiều nhất là nhóm “{first}”: {value} số ý kiến (KTC 95%: {low} – {high}).",
        "en": "There are {n} written comments; the most common category is “{first}”: {value} of them "
              "(95% CI {low} to {high}).",
    },
    "comments_worse": {
        "vi": "Người góp ý về “{category}” không hài lòng chung nhiều hơn những người góp ý khác: {value} so với "
              "{others} (KTC 95%: {low} – {high}; p {p}).",
        "en": "Commenters on “{category}” were more often dissatisfied overall than other commenters: {value} "
              "against {others} (95% CI {low} to {high}; p {p}).",
    },
    "comments_too_few": {
        "vi": "Năm {year} có ít ý kiến đóng góp hơn cỡ nhóm tối thiểu ({min_cell}), nên không công bố tỷ lệ theo "
              "nhóm ý kiến của năm.",
        "en": "{year} has fewer written comments than the minimum group size ({min_cell}), so the year's category "
              "shares are not published.",
    },
    "comments_none_worse": {
        "vi": "Không nhóm ý kiến nào đi kèm với tỷ lệ không hài lòng cao hơn rõ rệt so với những người góp ý khác.",
        "en": "No category goes with clearly more dissatisfied answers than the other commenters give.",
    },
    "feedback_measure": {
        "vi": "{measure}: {value} (trung bình trên {n} đơn vị – kỳ).",
        "en": "{measure}: {value} (mean over {n} unit-periods).",
    },
})


def comments_sentence(shares: pd.DataFrame, lang: str = "vi", name: Callable[[str, str], str] = label,
                      year: int | None = None) -> str:
    """The number of comments (of ``year``, when given) and the most common category.

    ``shares`` is the table of :func:`analysis.analyses.comments.category_shares` over all
    comments (proportions); ``name`` gives a category's name (the dictionary's ``keywords.name``).
    """
    rows = shares[shares["category"] != "other"]
    top = rows.loc[rows["estimate"].idxmax()]
    return say("comments_top" if year is None else "comments_top_year", lang, year=year,
               n=format_number(top["comments"], lang, 0), first=name(top["category"], lang),
               value=format_share(top["estimate"], lang), low=format_share(top["ci_low"], lang),
               high=format_share(top["ci_high"], lang))


def dissatisfaction_sentences(table: pd.DataFrame, lang: str = "vi", name: Callable[[str, str], str] = label,
                              alpha: float = 0.05) -> list[str]:
    """The categories whose commenters are more often dissatisfied than other commenters, or that none is.

    ``table`` is :func:`analysis.analyses.comments.with_dissatisfaction` (proportions).
    """
    worse = table[(table["measure"] == "dissatisfied") & ~table["suppressed"]
                  & (table["p_value"] < alpha).fillna(False) & (table["difference"] > 0).fillna(False)]
    if worse.empty:
        return [say("comments_none_worse", lang)]
    return [say("comments_worse", lang, category=name(r.category, lang), value=format_share(r.estimate, lang),
                others=format_share(r.others_estimate, lang), low=format_share(r.ci_low, lang),
                high=format_share(r.ci_high, lang), p=format_p(r.p_value, lang)) for r in worse.itertuples()]


def feedback_sentences(table: pd.DataFrame, lang: str = "vi") -> list[str]:
    """One sentence per feedback measure of :func:`analysis.analyses.comments.feedback_summary` (``by=[]``;
    its ``value`` is a Decision 766 rate, in percent), or that the data have none."""
    if table.empty:
        return [label("feedback.absent", lang) + "."]
    return [say("feedback_measure", lang, measure=label(r.measure, lang).removesuffix(" (%)"),
                value=format_pct(r.value, lang), n=r.n) for r in table.itertuples()]


# drivers

TEMPLATES.update({
    "drivers_fit": {
        "vi": "{k} yếu tố giải thích được {r2} biến thiên của mức độ hài lòng chung (R², KTC 95%: {low} – {high}; "
              "{n} phiếu trả lời đủ các câu hỏi).",
        "en": "The {k} drivers explain {r2} of the variation in overall satisfaction (R², 95% CI {low} to {high}; "
              "{n} respondents who answered every question).",
    },
    "drivers_dropped": {
        "vi": " {dropped} phiếu thiếu câu trả lời không được đưa vào phân tích.",
        "en": " {dropped} respondents with a missing answer were left out.",
    },
    "drivers_top": {
        "vi": " Quan trọng nhất là “{first}”, chiếm {share} phần được giải thích (KTC 95%: {low} – {high}), "
              "tiếp theo là “{second}” ({share2}).",
        "en": " The most important is “{first}”, with {share} of the explained variation (95% CI {low} to {high}), "
              "followed by “{second}” ({share2}).",
    },
    "drivers_unsure": {
        "vi": " Tuy vậy, vị trí dẫn đầu này chưa chắc chắn (hạng 1–{worst} với độ tin cậy 95%).",
        "en": " Its first place is not certain, though (95% rank interval 1–{worst}).",
    },
    "ipa_act": {
        "vi": "Cần ưu tiên cải thiện (quan trọng hơn mức trung bình, và tỷ lệ hài lòng thấp hơn mức trung bình "
              "{mean} của các yếu tố, vượt sai số chọn mẫu): {names}.",
        "en": "Act on (more important than average, with satisfaction below the drivers' mean of {mean} beyond "
              "sampling error): {names}.",
    },
    "ipa_within_error": {
        "vi": "Chưa yếu tố nào cần ưu tiên vượt sai số chọn mẫu; nên theo dõi (quan trọng hơn mức trung bình, tỷ lệ "
              "hài lòng thấp hơn mức trung bình {mean} nhưng trong phạm vi sai số): {names}.",
        "en": "No driver needs priority beyond sampling error; worth watching (more important than average, "
              "satisfaction below the mean of {mean} but within error): {names}.",
    },
    "ipa_none": {
        "vi": "Không có yếu tố nào vừa quan trọng hơn mức trung bình vừa có tỷ lệ hài lòng thấp hơn trung bình.",
        "en": "No driver is both more important than average and below average in satisfaction.",
    },
    "drivers_differ": {
        "vi": "Tác động của các yếu tố khác nhau theo {segment} (kiểm định Wald, sai số chuẩn HC3: F = {f}, p {p}).",
        "en": "The drivers' effects differ by {segment} (Wald test, HC3 errors: F = {f}, p {p}).",
    },
    "drivers_same": {
        "vi": "Chưa có bằng chứng cho thấy tác động của các yếu tố khác nhau theo {segment} (F = {f}, p {p}).",
        "en": "No evidence that the drivers' effects differ by {segment} (F = {f}, p {p}).",
    },
})


def drivers_sentence(shares: pd.DataFrame, fit: pd.DataFrame, lang: str = "vi", dropped: int = 0) -> str:
    """R² and the two most important drivers, for one segment of :func:`analysis.analyses.drivers.relative_importance`.

    ``shares`` holds one metric's rows, ``fit`` one row (proportions); ``dropped``
    respondents were left out for a missing answer
    (:attr:`analysis.analyses.drivers.DriverData.dropped` of the same respondents).
    """
    top = shares.sort_values("rank")
    first, second, fit = top.iloc[0], top.iloc[1], fit.iloc[0]
    text = say("drivers_fit", lang, k=len(shares), r2=format_share(fit["r2"], lang),
               low=format_share(fit["ci_low"], lang), high=format_share(fit["ci_high"], lang),
               n=format_number(fit["n"], lang, 0))
    if dropped:
        text += say("drivers_dropped", lang, dropped=format_number(dropped, lang, 0))
    text += say("drivers_top", lang, first=label(first["driver"], lang), share=format_share(first["share"], lang),
                low=format_share(first["share_low"], lang), high=format_share(first["share_high"], lang),
                second=label(second["driver"], lang), share2=format_share(second["share"], lang))
    if first["rank_ci_high"] > 1:
        text += say("drivers_unsure", lang, worst=int(first["rank_ci_high"]))
    return text


def segment_sentence(key: dict, sentence: str, lang: str = "vi") -> str:
    """A sentence about one segment, led by the segment's name: ``"Trực tuyến: ..."``."""
    return f"{', '.join(label(str(value), lang) for value in key.values())}: {sentence}"


def ipa_sentence(table: pd.DataFrame, lang: str = "vi") -> str:
    """The drivers to concentrate on, from one segment's
    :attr:`analysis.analyses.drivers.ImportancePerformance.points`."""
    focus = table[table["quadrant"] == "concentrate"].sort_values("importance", ascending=False)
    if focus.empty:
        return say("ipa_none", lang)
    act = focus[focus["act"]]

    def named(rows: pd.DataFrame) -> str:
        return "; ".join(f"{label(r.driver, lang)}, {format_share(r.performance, lang)} ({label('ci95', lang)}: "
                         f"{interval(r.performance_low, r.performance_high, lang)})" for r in rows.itertuples())

    return say("ipa_act" if len(act) else "ipa_within_error", lang, names=named(act if len(act) else focus),
               mean=format_share(focus["mean_performance"].iloc[0], lang))


def differ_sentence(table: pd.DataFrame, lang: str = "vi", alpha: float = 0.05) -> str:
    """The joint test of :func:`analysis.analyses.drivers.drivers_differ`: do the drivers differ between segments?"""
    row = table[table["driver"] == "all"].iloc[0]
    return say("drivers_differ" if row["p_value"] < alpha else "drivers_same", lang,
               segment=label(row["segment"], lang).lower(), f=format_number(row["statistic"], lang),
               p=format_p(row["p_value"], lang))


def segments_left_out_sentence(levels: list[str], lang: str = "vi") -> str:
    """The segments under the minimum group size, left out of the comparison."""
    return f"{', '.join(label(level, lang) for level in levels)}: {label('suppressed', lang)}"


# Decision 766

TEMPLATES.update({
    "d766_unit": {
        "vi": "{unit}, {period}:{rate} tổng điểm {total}/100, xếp loại {band}.",
        "en": "{unit}, {period}:{rate} total score {total}/100, rated {band}.",
    },
    "d766_rate": {"vi": " tỷ lệ hài lòng {value},", "en": " satisfaction {value},"},
    "d766_missing": {
        "vi": " Thiếu số liệu {n} tiêu chí ({criteria}), tính 0 điểm.",
        "en": " {n} criteria have no data ({criteria}) and earn 0 points.",
    },
    "d766_bands": {
        "vi": "{n} lượt đơn vị – kỳ được chấm điểm: {counts}.",
        "en": "{n} unit-periods scored: {counts}.",
    },
})


def decision766_sentence(scores, unit_id: str, period: str, unit_name: str | None = None, lang: str = "vi") -> str:
    """One unit and period of :class:`analysis.analyses.decision766.Scores`: satisfaction (the survey-based
    criterion's rate, in percent as the Decision scores it), total points, band, criteria without data.

    >>> decision766_sentence(scores, "KBTB", "2023-07", "KBNN Thái Bình")  # doctest: +SKIP
    'KBNN Thái Bình, tháng 7/2023: tỷ lệ hài lòng 93,64%, tổng điểm 92,89/100, xếp loại xuất sắc.'
    """
    from analysis.analyses.decision766 import KEYS, band_label, period_text

    totals = scores.totals.set_index(KEYS)
    if (unit_id, period) not in totals.index:
        raise ValueError(f"no score for unit {unit_id!r} in period {period!r}")
    row = totals.loc[(unit_id, period)]
    survey_codes = [c.code for c in scores.scoring.criteria if c.survey_item]
    criteria = scores.criteria
    rates = criteria[(criteria["unit_id"] == unit_id) & (criteria["period"] == period)
                     & criteria["criterion"].isin(survey_codes)]["rate_pct"].dropna()
    text = say("d766_unit", lang, unit=unit_name or unit_id, period=period_text(period, lang),
               rate=say("d766_rate", lang, value=format_pct(rates.iloc[0], lang)) if len(rates) else "",
               total=format_number(row["total_points"], lang), band=band_label(row["band"], lang).lower())
    if row["n_missing"]:
        text += say("d766_missing", lang, n=int(row["n_missing"]), criteria=row["missing_criteria"])
    return text


def bands_sentence(totals: pd.DataFrame, lang: str = "vi") -> str:
    """How many unit-periods of a Decision 766 totals table fall in each band, best band first."""
    from analysis.analyses.decision766 import BANDS, band_label

    counts = totals["band"].value_counts()
    return say("d766_bands", lang, n=format_number(len(totals), lang, 0),
               counts=", ".join(f"{band_label(code, lang).lower()} {int(counts.get(code, 0))}" for code, _ in BANDS))


# --------------------------------------------------------------------------- integrity (section 10)

TEMPLATES.update({
    "integrity_survives": {
        "vi": "Chỉ số năm {year} ({value}) đứng vững trước các kiểm tra độ tin cậy của phiếu: {parts}; không giá "
              "trị tính lại nào vừa ra ngoài khoảng tin cậy 95% của chỉ số vừa lệch vượt sai số chọn mẫu.",
        "en": "The {year} index ({value}) survives the integrity checks: {parts}; no recomputed value is both "
              "outside the index's 95% interval and beyond sampling error from it.",
    },
    "integrity_falls": {
        "vi": "Chỉ số năm {year} ({value}) phụ thuộc vào các phiếu đáng ngờ: {parts}; có giá trị tính lại vừa "
              "ra ngoài khoảng tin cậy 95% của chỉ số vừa lệch vượt sai số chọn mẫu.",
        "en": "The {year} index ({value}) depends on doubtful forms: {parts}; at least one recomputed value is "
              "both outside the index's 95% interval and beyond sampling error from it.",
    },
    "integrity_interval": {"vi": ", KTC 95%: {interval}", "en": ", 95% CI {interval}"},
    "integrity_clean": {
        "vi": "Các kiểm tra không gắn cờ phiếu nào của năm {year}: chỉ số {value} không phụ thuộc vào phiếu đáng ngờ.",
        "en": "The checks flag no form of {year}: the index of {value} rests on no doubtful form.",
    },
    "integrity_without": {
        "vi": "bỏ {flagged} phiếu bị gắn cờ, chỉ số là {value} (thay đổi {points} điểm{interval})",
        "en": "without the {flagged} flagged forms it is {value} (a change of {points} points{interval})",
    },
    "integrity_independent": {
        "vi": "chỉ tính phiếu của nhóm khảo sát độc lập, chỉ số là {value} (chênh lệch {points} điểm{interval})",
        "en": "from the independent team's forms alone it is {value} (a difference of {points} points{interval})",
    },
    "integrity_brief_survives": {
        "vi": "Độ tin cậy của phiếu: chỉ số vẫn đứng vững khi tính lại (bỏ {flagged} phiếu bị gắn cờ{independent}).",
        "en": "Integrity: the index survives when recomputed (without the {flagged} flagged forms{independent}).",
    },
    "integrity_brief_falls": {
        "vi": "Độ tin cậy của phiếu: chỉ số không đứng vững khi tính lại: {parts}, ra ngoài khoảng tin cậy 95% "
              "của chỉ số và vượt sai số chọn mẫu.",
        "en": "Integrity: the index does not survive when recomputed: {parts}, outside the index's 95% interval "
              "and beyond sampling error.",
    },
    "integrity_brief_part": {"vi": "{what} thì chỉ số thay đổi {points} điểm (còn {value})",
                             "en": "{what}, the index changes by {points} points (to {value})"},
    "integrity_brief_without": {"vi": "bỏ {flagged} phiếu bị gắn cờ", "en": "without the {flagged} flagged forms"},
    "integrity_brief_only": {"vi": "chỉ tính phiếu của nhóm độc lập", "en": "from the independent team alone"},
    "integrity_brief_independent": {"vi": "; chỉ tính phiếu của nhóm độc lập",
                                    "en": "; from the independent team alone"},
    "integrity_straight": {
        "vi": "{count} phiếu (trả lời mọi tiêu chí cùng một mức) tập trung bất thường ở {units}, vượt giới hạn "
              "kiểm soát so với tỷ lệ chung {share}; chúng được gắn cờ.",
        "en": "{count} straight-lined forms (every criterion the same answer) gather at {units}, beyond the control "
              "limit against the survey's share of {share}; they are flagged.",
    },
    "integrity_straight_none": {
        "vi": "{share} số phiếu trả lời mọi tiêu chí cùng một mức, như người trả lời thật vẫn làm; không cơ quan "
              "nào vượt giới hạn kiểm soát, nên không phiếu nào bị gắn cờ vì lý do này.",
        "en": "{share} of the forms answer every criterion alike, as honest respondents do too; no agency is beyond "
              "the control limit, so no form is flagged for it.",
    },
    "integrity_duplicates": {
        "vi": "{count} phiếu là bản sao của phiếu khác (cùng cơ quan, cùng mọi câu trả lời, cùng ý kiến, nộp cách "
              "nhau không quá {minutes} phút).",
        "en": "{count} forms copy another (same agency, same answer to every criterion, same comment, submitted "
              "within {minutes} minutes of each other).",
    },
    "integrity_duplicates_exact": {
        "vi": "{count} phiếu trùng hoàn toàn với phiếu khác (cùng cơ quan, cùng mọi câu trả lời, cùng ý kiến). Dữ "
              "liệu không có thời điểm nộp, nên bản trùng chỉ bị gắn cờ khi trùng cả ý kiến không rỗng hoặc khi cơ "
              "quan lặp lại cùng kiểu trả lời nhiều hơn hẳn mức phần còn lại của khảo sát dự báo.",
        "en": "{count} forms exactly duplicate another (same agency, same answer to every criterion, same comment). "
              "The data have no submission times, so a copy is flagged only when it repeats a non-empty comment too "
              "or its agency repeats answer patterns far more than the rest of the survey predicts.",
    },
    "integrity_speeders": {
        "vi": "{count} phiếu được điền quá nhanh (dưới {fraction} thời gian trung vị của cùng người phát phiếu).",
        "en": "{count} forms were filled in too fast (under {fraction} of the median time of their collector).",
    },
    "integrity_bursts": {
        "vi": "{count} ngày có số phiếu tăng vọt bất thường so với các ngày khác của cùng cơ quan: {days}.",
        "en": "{count} days with far more forms than the agency's other days: {days}.",
    },
    "integrity_bursts_none": {
        "vi": "Không ngày nào có số phiếu tăng vọt bất thường so với các ngày khác của cùng cơ quan.",
        "en": "No day has far more forms than the agency's other days.",
    },
    "integrity_deadline": {"vi": " (sát hạn chót cuối tháng)", "en": " (just before a month's deadline)"},
    "integrity_funnel": {
        "vi": "{units} nằm ngoài giới hạn kiểm soát 99,8% của biểu đồ phễu (đã tính dao động thật giữa các cơ quan).",
        "en": "{units} lie beyond the 99.8% control limits of the funnel plot (real variation between agencies "
              "allowed for).",
    },
    "integrity_funnel_none": {
        "vi": "Không cơ quan nào nằm ngoài giới hạn kiểm soát 99,8% của biểu đồ phễu.",
        "en": "No agency lies beyond the 99.8% control limits of the funnel plot.",
    },
    "integrity_spread": {
        "vi": "Câu trả lời ở {units} ít dao động hơn nhiều so với mẫu trung thực (phương sai dưới một phần tư mức "
              "chung).",
        "en": "The answers at {units} vary far less than an honest sample would (variance under a quarter of the "
              "pooled one).",
    },
    "integrity_modes": {
        "vi": "Phiếu {first} so với phiếu {second}, trong cùng cơ quan và cùng đối tượng: {points} điểm "
              "(KTC 95%: {interval}).",
        "en": "{first} forms against {second} forms, within agency and respondent group: {points} points "
              "(95% CI {interval}).",
    },
    "integrity_modes_largest": {
        "vi": "Chênh lệch phiếu {first} – {second} lớn nhất ở {unit}: {points} điểm (KTC 95%: {interval}).",
        "en": "The {first} minus {second} gap is largest at {unit}: {points} points (95% CI {interval}).",
    },
})


def names(values) -> str:
    """A list of names in a sentence."""
    return ", ".join(str(v) for v in values)


def recomputed_part(row: pd.Series, key: str, flagged: int, lang: str) -> str:
    """A recomputed index and its change; the change's interval left out when it reads as the change itself
    (both bounds round to it: ``−0,01 đến −0,01``)."""
    points = format_points(row["vs_all"], lang)
    bounds = {format_points(row["vs_all_low"], lang), format_points(row["vs_all_high"], lang)}
    shown = "" if bounds == {points} else say("integrity_interval", lang, interval=interval(
        row["vs_all_low"], row["vs_all_high"], lang, points=True))
    return say(key, lang, flagged=flagged, value=format_share(row["estimate"], lang), points=points, interval=shown)


def integrity_sentences(head, lang: str = "vi") -> list[str]:
    """Whether the year's index survives without flagged forms and from the independent collector alone
    (:class:`analysis.sections.integrity.IntegrityHeadline`)."""
    rows = head.frame.set_index("measure")
    whole = rows.loc["integrity.all"]
    if pd.isna(whole["estimate"]):
        return []
    parts = []
    without = "integrity.without_flagged"
    if head.flagged and without in rows.index and pd.notna(rows.loc[without, "estimate"]):
        parts.append(recomputed_part(rows.loc[without], "integrity_without", head.flagged, lang))
    if "integrity.independent_only" in rows.index and pd.notna(rows.loc["integrity.independent_only", "estimate"]):
        parts.append(recomputed_part(rows.loc["integrity.independent_only"], "integrity_independent", 0, lang))
    value = format_share(whole["estimate"], lang)
    if not parts:
        return [say("integrity_clean", lang, year=head.year, value=value)]
    key = "integrity_survives" if head.survives else "integrity_falls"
    return [say(key, lang, year=head.year, value=value, parts="; ".join(parts))]


def integrity_brief_line(head, lang: str = "vi") -> str | None:
    """The brief's one line: whether the headline survives without flagged forms (None: nothing to say)."""
    if head.survives is None:
        return None
    flagged = format_number(head.flagged, lang, 0)
    if head.survives:
        independent = say("integrity_brief_independent", lang) if head.independent else ""
        return say("integrity_brief_survives", lang, flagged=flagged, independent=independent)
    what = {"integrity.without_flagged": say("integrity_brief_without", lang, flagged=flagged),
            "integrity.independent_only": say("integrity_brief_only", lang)}
    parts = [say("integrity_brief_part", lang, what=what[row.measure], points=format_points(row.vs_all, lang),
                 value=format_share(row.estimate, lang))
             for row in head.frame.itertuples() if row.measure in what and not row.holds]
    return say("integrity_brief_falls", lang, parts="; ".join(parts))


def check_sentences(overview: pd.DataFrame, lined: pd.DataFrame, copies: pd.DataFrame, timed: bool,
                    bursts: pd.DataFrame, lang: str = "vi") -> list[str]:
    """One sentence per check of the integrity overview, or its absence."""
    from analysis.analyses.integrity import DUPLICATE_WINDOW, SPEED_FRACTION

    rows = overview.set_index("check")
    out = []
    flagged = lined[lined["flagged"]]
    share = format_share(float(lined["straight"].mean()) if len(lined) else 0.0, lang)
    if len(flagged):
        out.append(say("integrity_straight", lang, count=format_number(len(flagged), lang, 0), share=share,
                       units=names(sorted(set(flagged["unit_name"])))))
    else:
        out.append(say("integrity_straight_none", lang, share=share))
    count = format_number(int(copies["duplicate"].sum()), lang, 0)
    out.append(say("integrity_duplicates", lang, count=count, minutes=int(DUPLICATE_WINDOW.total_seconds() // 60))
               if timed else say("integrity_duplicates_exact", lang, count=count))
    for check, key in (("speeders", "integrity_speeders"), ("bursts", "integrity_bursts")):
        row = rows.loc[f"integrity.{check}"]
        if not row["available"]:
            out.append(absent(f"integrity_{check}", lang))
        elif check == "speeders":
            out.append(say(key, lang, count=format_number(int(row["flagged"]), lang, 0),
                           fraction=format_pct(100 * SPEED_FRACTION, lang, 0)))
        elif len(bursts):
            deadline = say("integrity_deadline", lang)
            days = [f"{r.unit_name}, {pd.Timestamp(r.day):%d/%m/%Y}" + (deadline if r.before_deadline else "")
                    for r in bursts.itertuples()]
            out.append(say(key, lang, count=len(days), days="; ".join(days)))
        else:
            out.append(say("integrity_bursts_none", lang))
    if not rows.loc["integrity.modes", "available"]:
        out.append(absent("integrity_modes", lang))
    return out


def funnel_sentences(table: pd.DataFrame, lang: str = "vi") -> list[str]:
    """The units beyond the funnel's control limits, and those with too little variation."""
    shown = table[~table["suppressed"].astype(bool)]
    beyond = shown[shown["flag"].isin(["high", "low"])]
    out = [say("integrity_funnel", lang, units=names(
        f"{r.unit_name} ({label('integrity.' + r.flag, lang)}, {format_share(r.estimate, lang)})"
        for r in beyond.itertuples())) if len(beyond) else say("integrity_funnel_none", lang)]
    flat = shown[shown["low_spread"].astype(bool)]
    if len(flat):
        out.append(say("integrity_spread", lang, units=names(flat["unit_name"])))
    return out


def capitalised(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def mode_sentences(pooled: pd.DataFrame, units: pd.DataFrame, lang: str = "vi") -> list[str]:
    """The pooled gap between collectors, and the agency where the staff-handed gap is largest."""
    out = []
    for r in pooled.itertuples():
        out.append(capitalised(say("integrity_modes", lang, first=label(f"collector.{r.first_level}", lang).lower(),
                       second=label(f"collector.{r.second_level}", lang).lower(),
                       points=format_points(r.difference, lang), interval=interval(r.ci_low, r.ci_high, lang, True))))
    staff = units[(units["first_level"] == "staff") & units["difference"].notna()] if len(units) else units
    if len(staff):
        top = staff.loc[staff["difference"].idxmax()]
        out.append(say("integrity_modes_largest", lang, first=label(f"collector.{top['first_level']}", lang).lower(),
                       second=label(f"collector.{top['second_level']}", lang).lower(), unit=top["unit_name"],
                       points=format_points(top["difference"], lang),
                       interval=interval(top["ci_low"], top["ci_high"], lang, True)))
    return out
