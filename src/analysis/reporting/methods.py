"""The methods appendix: the rule by which the report answers each question, in the reader's language.

Each rule names the one method whose result is the verdict and what the other methods are for; the
sections apply them (:class:`analysis.sections.trends.BreakHeadline`,
:class:`analysis.sections.policy.PolicyHeadline`, :func:`analysis.analyses.drivers.importance_performance`,
:func:`analysis.analyses.targets.project`), and ``tests/test_report_reads_true.py`` checks that no
question gets two verdicts.
"""

from __future__ import annotations

RULES: dict[str, dict[str, str]] = {
    "change": {
        "vi": "**Thay đổi có thực không?** Chỉ số của kỳ được so với kỳ trước (và với cùng kỳ năm trước khi kỳ "
              "ngắn hơn một năm). Khoảng tin cậy 95% của mức thay đổi tính theo thiết kế mẫu (tuyến tính hóa, "
              "phân tầng theo kỳ). Thay đổi được gọi là “lớn hơn sai số chọn mẫu” khi khoảng này không chứa 0 "
              "(p < 0,05).",
        "en": "**Is the change real?** The period's index is compared with the period before (and with the same "
              "period a year earlier when periods are shorter than a year). The change's 95% interval comes from "
              "the survey design (linearisation, strata within period). A change is “beyond sampling error” when "
              "that interval excludes 0 (p < 0.05).",
    },
    "break": {
        "vi": "**Xu hướng có bị gãy không?** Tại năm biết trước (năm đầu sau một chính sách, hoặc năm người phân "
              "tích chỉ định), kiểm định dịch chuyển mức quyết định, ở mức 5%; kiểm định dùng sai số chuẩn của "
              "từng năm và cộng thêm dao động giữa các năm vượt sai số chọn mẫu. Tại thời điểm không biết trước, "
              "một điểm gãy chỉ được công nhận khi kiểm định độ ổn định (sup-F hoặc CUSUM, hiệu chỉnh "
              "Bonferroni: hai lần giá trị p nhỏ hơn của hai kiểm định dưới 0,05) bác bỏ xu hướng tuyến tính ổn "
              "định và thuật toán Bai–Perron "
              "(chọn số điểm gãy theo BIC) xác định được năm; nếu không, các năm Bai–Perron gợi ý chỉ là “chưa "
              "xác nhận”. Điểm gãy mà khoảng tin cậy chứa một thay đổi phương pháp được đọc là “có thể do thay "
              "đổi phương pháp”.",
        "en": "**Did the trend break?** At a year known beforehand (the first year after a policy, or a year the "
              "analyst names) the level-shift test decides, at 5%; it uses each year's standard error plus the "
              "variation between years beyond sampling error. At a date not known beforehand a break is accepted "
              "only when a stability test (sup-F or CUSUM, Bonferroni-adjusted: twice the smaller p below 0.05) "
              "rejects a stable linear trend and Bai–Perron (the number of breaks chosen by BIC) places it; "
              "otherwise the years Bai–Perron proposes are “unconfirmed”. A break whose interval holds a change "
              "of method is read as a possible method break.",
    },
    "policy": {
        "vi": "**Chính sách có tác động không?** Khi có nhóm đối chứng (cơ quan không chịu chính sách), kết luận "
              "dựa trên khác biệt kép (hồi quy hiệu ứng cố định cơ quan và năm, sai số chuẩn theo cụm cơ quan, "
              "mỗi chính sách trên khoảng năm của nó), ở mức 5%. Chuỗi thời gian gián đoạn của phạm vi báo cáo "
              "là kiểm tra độ vững: hai phương pháp “thống nhất” khi cùng kết luận (và cùng chiều nếu cùng thấy "
              "tác động); khi khác nhau, báo cáo nói rõ vì sao kết luận dựa trên khác biệt kép. Khi không có "
              "nhóm đối chứng, chuỗi thời gian gián đoạn là kết luận, kèm lưu ý rằng nó không tách được chính "
              "sách khỏi những thay đổi cùng thời điểm.",
        "en": "**Did the policy work?** With a comparison group (agencies the policy does not bind) the verdict is "
              "the difference-in-differences (agency and year fixed effects, errors clustered by agency, each "
              "policy on its own window), at 5%. The interrupted time series of the report's scope is the "
              "robustness check: the two “agree” when they reach the same verdict (and the same sign when both "
              "find an effect); when they differ the report says why the verdict rests on the "
              "difference-in-differences. Without a comparison group the interrupted time series is the verdict, "
              "with the caveat that it cannot separate the policy from other changes of the same time.",
    },
    "priority": {
        "vi": "**Cần ưu tiên cải thiện gì?** Một yếu tố cần ưu tiên khi mức độ quan trọng của nó (phần R² theo "
              "LMG) không thấp hơn mức trung bình của các yếu tố và cả khoảng tin cậy 95% của tỷ lệ hài lòng "
              "nằm dưới mức trung bình của các yếu tố. Yếu tố quan trọng có tỷ lệ thấp hơn trung bình nhưng "
              "trong phạm vi sai số được ghi là “nên theo dõi”. Vị trí trong ma trận chỉ để mô tả.",
        "en": "**What to act on?** A driver is to be acted on when its importance (LMG share of R²) is at least the "
              "drivers' mean and the whole 95% interval of its satisfaction lies below the drivers' mean. An "
              "important driver below the mean but within error is “worth watching”. The matrix quadrant only "
              "describes.",
    },
    "target": {
        "vi": "**Có đạt mục tiêu không?** Đường xu hướng tuyến tính trên thang logit của chỉ số các năm đủ số "
              "người trả lời, kéo dài đến năm mục tiêu; dự báo và khoảng dự báo 95% đổi ngược về tỷ lệ nên luôn "
              "trong 0–100%. Khả năng đạt là xác suất theo phân phối dự báo.",
        "en": "**Will the target be reached?** A straight line on the logit scale through the index of the years "
              "with enough respondents, carried to the target year; the projection and its 95% prediction "
              "interval are turned back into shares, so they stay within 0–100%. The chance is that of the "
              "predictive distribution.",
    },
    "ranking": {
        "vi": "**Xếp hạng cơ quan.** Chỉ số của từng cơ quan được co về mức của khối theo cỡ mẫu (Bayes thực "
              "nghiệm); khoảng hạng 90% từ mô phỏng. Hai cơ quan có khoảng hạng chồng nhau chưa chắc khác hạng.",
        "en": "**Ranking agencies.** Each agency's index is shrunk towards its block's by its sample size "
              "(empirical Bayes); 90% rank intervals come from simulation. Two agencies whose rank intervals "
              "overlap may not differ in rank.",
    },
    "estimable": {
        "vi": "**Khi nào không ước lượng được.** Nhóm có ít hơn số người trả lời tối thiểu bị ẩn. Nhóm nằm trong "
              "một đơn vị mẫu duy nhất (bậc tự do thiết kế bằng 0) hoặc có tỷ lệ đúng bằng 0% hay 100% khi ước "
              "lượng theo thiết kế thì không có khoảng tin cậy (“không ước lượng được”); chênh lệch có sai số "
              "chuẩn bằng 0 không được kiểm định.",
        "en": "**When nothing can be estimated.** Groups under the minimum number of respondents are suppressed. "
              "A group inside a single sampling unit (design degrees of freedom 0) or with a design-based share of "
              "exactly 0% or 100% gets no interval (“not estimable”); a difference with a zero standard error is "
              "not tested.",
    },
}


def verdict_rules(lang: str = "vi") -> str:
    """The rules as a Markdown list, in the order a reader meets the questions."""
    return "\n".join(f"- {rule[lang]}" for rule in RULES.values())
