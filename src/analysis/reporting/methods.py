"""The methods appendix: the rule by which the report answers each question, in the reader's language.

Each rule names the one method whose result is the verdict and what the other methods are for; the
sections apply them (:class:`analysis.sections.trends.BreakHeadline`,
:class:`analysis.sections.policy.PolicyHeadline`, :func:`analysis.analyses.drivers.importance_performance`,
:func:`analysis.analyses.targets.project`), and ``tests/test_report_reads_true.py`` checks that no
question gets two verdicts.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.reporting.labels import label

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
              "sách khỏi những thay đổi cùng thời điểm. Khi chính sách được các cơ quan áp dụng vào những năm "
              "khác nhau (tệp ngày áp dụng `adoptions`), kết luận là tác động trung bình theo nhóm và năm áp dụng "
              "(Callaway–Sant'Anna, so với cơ quan chưa bao giờ áp dụng, mỗi nhóm theo quy mô), ở mức 5%; hồi "
              "quy hiệu ứng cố định hai chiều được nêu bên cạnh nhưng không dùng làm kết luận, và kiểm định đồng "
              "thời các chênh lệch trước áp dụng cho biết giả định xu hướng song song có đáng tin không.",
        "en": "**Did the policy work?** With a comparison group (agencies the policy does not bind) the verdict is "
              "the difference-in-differences (agency and year fixed effects, errors clustered by agency, each "
              "policy on its own window), at 5%. The interrupted time series of the report's scope is the "
              "robustness check: the two “agree” when they reach the same verdict (and the same sign when both "
              "find an effect); when they differ the report says why the verdict rests on the "
              "difference-in-differences. Without a comparison group the interrupted time series is the verdict, "
              "with the caveat that it cannot separate the policy from other changes of the same time. A policy "
              "adopted by agencies in different years (the `adoptions` file) is judged by its group-time average "
              "effect (Callaway–Sant'Anna, against agencies that never adopted it, cohorts weighted by size) at "
              "5%; two-way fixed effects is shown beside it but is not the verdict, and the joint test of the "
              "pre-adoption differences says whether parallel trends are credible.",
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
    "integrity": {
        "vi": "**Chỉ số có thật không?** Chỉ số được tính lại khi bỏ các phiếu bị gắn cờ (trả lời một màu ở cơ quan "
              "vượt giới hạn kiểm soát, phiếu trùng lặp, phiếu điền quá nhanh) và khi chỉ tính phiếu của nhóm khảo "
              "sát độc lập. Chỉ số “đứng vững” khi mỗi giá trị tính lại nằm trong khoảng tin cậy 95% của chỉ số (hoặc, "
              "nếu nằm ngoài, mức lệch vẫn trong sai số chọn mẫu: khoảng tin cậy của mức lệch chứa 0; mức lệch khi "
              "bỏ phiếu bị gắn cờ là tỷ trọng của chúng nhân chênh lệch giữa hai phần, tính theo thiết kế mẫu). Đây "
              "là phép so độ lớn, không phải kiểm định rằng phiếu bị gắn cờ là trung thực: giá trị tính lại nằm "
              "trong khoảng tin cậy nghĩa là bỏ phiếu đáng ngờ làm chỉ số đổi ít hơn sai số chọn mẫu của chính nó. "
              "Từng kiểm tra, quy tắc và cột dữ liệu cần có được nêu trong bảng thuật ngữ.",
        "en": "**Is the index real?** The index is recomputed without the flagged forms (straight-lined forms in an "
              "agency beyond the control limit, duplicates, speeders) and from the independent team's forms alone. "
              "It “survives” when each recomputed value lies inside the index's 95% interval (or, outside it, "
              "its change is within sampling error: the change's interval contains 0; dropping flagged forms "
              "changes the index by their weight share times the design-based gap between the two parts). This "
              "compares sizes and does not test that the flagged forms are honest: a recomputed value inside the "
              "interval means dropping the doubtful forms moves the index less than its own sampling error. "
              "Each check, its rule and the columns it needs are in the glossary.",
    },
}


GLOSSARY: dict[str, dict[str, Any]] = {  # term: its name in each language; vi, en: its meaning
    "satisfied": {
        "term": {"vi": "Hài lòng", "en": "Satisfied"},
        "vi": "Câu trả lời mức 4 (hài lòng) hoặc 5 (rất hài lòng) trên thang 5 mức; “không hài lòng” là mức 1–2. "
              "Câu bỏ trống và “không ý kiến” không được tính.",
        "en": "An answer of 4 (satisfied) or 5 (very satisfied) on the five-point scale; “dissatisfied” is 1–2. "
              "Blank and “no opinion” answers are not counted."},
    "index": {
        "term": {"vi": "Chỉ số hài lòng (SIPAS)", "en": "Satisfaction index (SIPAS)"},
        "vi": "Với mỗi người trả lời: trung bình theo các thành phần của tỷ lệ tiêu chí được đánh giá hài lòng; "
              "chỉ số của một nhóm là trung bình có trọng số của các người trả lời (cách tính của Bộ Nội vụ).",
        "en": "For each respondent: the mean over the components of the share of criteria rated satisfied; a "
              "group's index is the weighted mean over its respondents (the Ministry of Home Affairs' method)."},
    "ci": {
        "term": {"vi": "KTC 95% (khoảng tin cậy)", "en": "95% CI (confidence interval)"},
        "vi": "Khoảng chứa giá trị thật với độ tin cậy 95%, tính theo thiết kế mẫu (trọng số, phân tầng, cụm).",
        "en": "The range that holds the true value with 95% confidence, from the survey design (weights, strata, "
              "clusters)."},
    "p": {
        "term": {"vi": "Giá trị p", "en": "p-value"},
        "vi": "Xác suất thấy khác biệt lớn như vậy nếu thực ra không có khác biệt; dưới 0,05 được coi là vượt sai "
              "số chọn mẫu.",
        "en": "The chance of a difference this large if there were none; below 0.05 counts as beyond sampling "
              "error."},
    "eb": {
        "term": {"vi": "Hiệu chỉnh theo cỡ mẫu (Bayes thực nghiệm, EB)", "en": "Empirical Bayes (EB) shrinkage"},
        "vi": "Chỉ số của cơ quan ít phiếu được kéo về mức chung của khối, để xếp hạng không thưởng hay phạt "
              "sự may rủi của mẫu nhỏ.",
        "en": "The index of an agency with few forms is pulled towards its block's, so ranks do not reward or "
              "punish the luck of a small sample."},
    "breaks": {
        "term": {"vi": "Bai–Perron, sup-F, CUSUM, Chow", "en": "Bai–Perron, sup-F, CUSUM, Chow"},
        "vi": "Các kiểm định điểm gãy của chuỗi năm: Bai–Perron tìm năm gãy chưa biết trước (Bai và Perron, "
              "2003); sup-F (Andrews, 1993) và CUSUM kiểm định xu hướng có ổn định không; Chow kiểm định gãy tại "
              "một năm cho trước.",
        "en": "Tests of breaks in a yearly series: Bai–Perron finds breaks at unknown years (Bai and Perron, "
              "2003); sup-F (Andrews, 1993) and CUSUM test whether the trend is stable; Chow tests a given year."},
    "lmg": {
        "term": {"vi": "LMG (Shapley), Johnson", "en": "LMG (Shapley), Johnson"},
        "vi": "Hai cách chia phần biến thiên được giải thích (R²) của mức hài lòng chung cho từng yếu tố; LMG lấy "
              "trung bình đóng góp của yếu tố qua mọi thứ tự đưa vào mô hình (Lindeman, Merenda và Gold, 1980).",
        "en": "Two ways of sharing the explained variation (R²) of overall satisfaction among the drivers; LMG "
              "averages a driver's contribution over every order of entry (Lindeman, Merenda and Gold, 1980)."},
    "models": {
        "term": {"vi": "OLS, logit thứ bậc", "en": "OLS, ordered logit"},
        "vi": "Hồi quy tuyến tính (bình phương nhỏ nhất) và hồi quy cho câu trả lời có thứ bậc 1–5, dùng để kiểm "
              "tra kết quả của các yếu tố tác động.",
        "en": "Linear (least-squares) regression and regression for ordered 1–5 answers, used to check the "
              "drivers' results."},
    "did": {
        "term": {"vi": "Khác biệt kép (DiD)", "en": "Difference-in-differences (DiD)"},
        "vi": "So sánh thay đổi trước–sau chính sách của cơ quan chịu chính sách với thay đổi cùng kỳ của cơ quan "
              "không chịu; phần chênh lệch là tác động.",
        "en": "The before–after change of the agencies a policy binds against that of the agencies it does not; "
              "the difference is the effect."},
    "staggered": {
        "term": {"vi": "Khác biệt kép theo nhóm áp dụng (Callaway–Sant'Anna)",
                 "en": "Staggered difference-in-differences (Callaway–Sant'Anna)"},
        "vi": "Khi các cơ quan áp dụng chính sách vào những năm khác nhau: mỗi nhóm cùng năm áp dụng được so với "
              "cơ quan chưa áp dụng, từng năm một, rồi lấy trung bình; tránh lấy cơ quan đã áp dụng làm đối chứng "
              "như hồi quy hiệu ứng cố định hai chiều (TWFE).",
        "en": "When agencies adopt a policy in different years: each cohort adopting in the same year is compared "
              "with agencies not adopting, year by year, then averaged; unlike two-way fixed effects (TWFE) it "
              "never uses agencies already treated as controls."},
    "synthetic_did": {
        "term": {"vi": "Khác biệt kép tổng hợp (synthetic DiD)", "en": "Synthetic difference-in-differences"},
        "vi": "Kết hợp đối chứng tổng hợp và khác biệt kép (Arkhangelsky và cộng sự, 2021): các cơ quan đối chứng "
              "và các năm trước chính sách được gán trọng số để khớp xu hướng trước đó, rồi so sánh trước–sau; "
              "khoảng tin cậy từ kiểm định giả dược. Chỉ để bổ trợ, không dùng làm kết luận.",
        "en": "Synthetic control and difference-in-differences combined (Arkhangelsky et al., 2021): comparison "
              "agencies and pre-policy years are weighted to match the earlier trend, then before and after are "
              "compared; the interval comes from placebo draws. A complement, never the verdict."},
    "its": {
        "term": {"vi": "Chuỗi thời gian gián đoạn (ITS)", "en": "Interrupted time series (ITS)"},
        "vi": "So sánh chỉ số sau chính sách với xu hướng trước đó kéo dài; không có nhóm đối chứng.",
        "en": "The index after a policy against its earlier trend carried on; no comparison group."},
    "synthetic": {
        "term": {"vi": "Đối chứng tổng hợp, RMSPE, giả dược", "en": "Synthetic control, RMSPE, placebo"},
        "vi": "Một cơ quan được so với tổ hợp có trọng số của các cơ quan không chịu chính sách, khớp nhất trước "
              "chính sách (Abadie và cộng sự, 2010); RMSPE đo độ lệch; kiểm định giả dược lặp lại với từng cơ quan "
              "đối chứng để xem chênh lệch có bất thường không.",
        "en": "One agency against a weighted mix of agencies the policy does not bind, matched before the policy "
              "(Abadie et al., 2010); RMSPE measures the gap; the placebo test repeats it for each comparison "
              "agency to see whether the gap is unusual."},
    # the integrity checks (section 10): rule, columns, false flags on honest data
    "straight_lining": {
        "term": {"vi": "Trả lời một màu", "en": "Straight-lining"},
        "vi": "Phiếu trả lời ít nhất 5 tiêu chí, tất cả cùng một mức. Người trả lời thật cũng làm vậy, với tỷ lệ "
              "tùy từng khảo sát, nên tỷ lệ phiếu một màu của từng cơ quan được so với tỷ lệ chung của khảo sát: "
              "phiếu chỉ bị gắn cờ khi tỷ lệ của cơ quan vượt giới hạn kiểm soát 99,8% của biểu đồ phễu; kênh và "
              "người phát phiếu được so với phần còn lại bằng kiểm định "
              "nhị thức (Bonferroni, 1%). Chỉ cần các câu trả lời. Gắn cờ nhầm với dữ liệu trung thực: dưới 1% phiếu.",
        "en": "A form with at least 5 criteria answered, all alike. Honest respondents do this too, at a rate "
              "each survey shows, so each agency's share is judged against the survey's: a form is flagged only "
              "when its agency's share is beyond the funnel's 99.8% control limit; channels and collectors are "
              "compared with the rest by a binomial test "
              "(Bonferroni, 1%). Needs the answers only. False flags on honest data: under 1% of forms."},
    "duplicates": {
        "term": {"vi": "Phiếu trùng lặp", "en": "Duplicated forms"},
        "vi": "Cùng cơ quan và kỳ, cùng câu trả lời mọi tiêu chí, cùng ý kiến (không phân biệt hoa thường, dấu câu) "
              "và, khi có cột thời điểm nộp (submitted_at), nộp cách nhau không quá 30 phút. Không có cột đó, người "
              "trả lời thật với ít tiêu chí cũng hay trả lời giống nhau, nên bản sao chỉ bị gắn cờ khi trùng cả ý "
              "kiến không rỗng, hoặc khi cơ quan có số phiếu lặp lại cùng một kiểu trả lời vượt xa mức phần còn lại "
              "của khảo sát dự báo (so trong từng nhóm phiếu cùng số tiêu chí và cùng tổng điểm; Poisson, "
              "Bonferroni trên các cơ quan, 1%). Phiếu một màu và phiếu trả lời dưới 5 tiêu chí để cho các kiểm "
              "tra khác. Mọi bản sao sau bản đầu bị gắn cờ. Gắn cờ nhầm với dữ liệu trung thực: dưới 1% phiếu.",
        "en": "Same agency and period, the same answer to every criterion, the same comment (case and punctuation "
              "aside) and, with a submission time (submitted_at), within 30 minutes. Without it, honest respondents "
              "with few criteria often answer alike, so a copy is flagged only when it repeats a non-empty comment "
              "too, or when its agency repeats answer patterns far more than the rest of the survey predicts "
              "(within forms of the same number of answers and the same total; Poisson, Bonferroni over agencies, "
              "1%). Straight-lined forms and forms with under 5 answers are left to the other checks. Every copy "
              "after the first is flagged. False flags on honest data: under 1% of forms."},
    "speeders": {
        "term": {"vi": "Điền quá nhanh", "en": "Speeders"},
        "vi": "Phiếu điền trong chưa tới 30% thời gian trung vị của cùng người phát phiếu (hoặc cùng kênh). Cần cột "
              "thời gian điền (duration, giây), hoặc mã phiên (session) cùng thời điểm nộp. Gắn cờ nhầm: dưới 0,1%.",
        "en": "A form filled in under 30% of the median time of its collector (or channel). Needs a duration "
              "column (seconds), or a session key with submission times. False flags: under 0.1%."},
    "bursts": {
        "term": {"vi": "Dồn phiếu", "en": "Bursts"},
        "vi": "Số phiếu một ngày của cơ quan so với trung bình các ngày khác có phiếu của chính nó (những "
              "tháng giữa hai đợt khảo sát không tính là ngày trống; phân phối Poisson, Bonferroni trên mọi cơ "
              "quan-ngày có phiếu, 0,1%); ngày trong vòng 3 ngày trước cuối tháng được đánh dấu là "
              "sát hạn chót. Cần cột thời điểm nộp.",
        "en": "An agency's forms of one day against the mean of its other days with forms (the months "
              "between two collection rounds are not empty days; Poisson, Bonferroni over the agency-days with "
              "forms, 0.1%); a day within 3 days before a month's end is marked as before a deadline. Needs "
              "submission times."},
    "modes": {
        "term": {"vi": "Chênh lệch theo người phát phiếu", "en": "Collector (mode) effects"},
        "vi": "Chỉ số phiếu do công chức phát, của nhóm khảo sát độc lập và tự điền trực tuyến so với nhau trong "
              "từng cơ quan, và gộp trong cùng cơ quan và cùng đối tượng (trọng số của từng ô), khoảng tin cậy theo "
              "thiết kế mẫu. Cần cột người phát phiếu (collector).",
        "en": "The index of staff-handed, independent and self-completed forms compared within each agency, and "
              "pooled within agency and respondent group (each cell's weight), with design-based intervals. Needs "
              "the collector column."},
    "funnel": {
        "term": {"vi": "Biểu đồ phễu, ít dao động", "en": "Funnel plot, too little variation"},
        "vi": "Chỉ số của từng cơ quan so với chỉ số chung; giới hạn kiểm soát 95% và 99,8% từ phương sai thiết kế "
              "khi cơ quan ở mức chung (phương sai gộp trong cơ quan chia cỡ mẫu hiệu dụng) cộng dao động thật "
              "giữa các cơ quan τ², ước lượng từ điểm z đã cắt đuôi 5% (hiệu ứng ngẫu nhiên cộng, Spiegelhalter "
              "2005). Cơ quan ngoài giới hạn 99,8% bị gắn cờ, cao hay thấp; cơ quan có độ dao động (phương sai chia "
              "cho giá trị lớn nhất có thể ở mức của nó) dưới một phần tư mức chung bị gắn cờ “ít dao động”. Chỉ "
              "cần các câu trả lời. Gắn cờ nhầm: dưới 1% cơ quan.",
        "en": "Each agency's index against the survey's; 95% and 99.8% control limits from the design variance at "
              "the survey's level (the pooled within-agency variance over the effective sample size) plus the real "
              "variation between agencies tau², estimated from z-scores Winsorised at 5% (additive random effects, "
              "Spiegelhalter 2005). An agency beyond the 99.8% limits is flagged, high or low; one whose variation "
              "(variance over the most its level allows) is under a quarter of the pooled is flagged for too little "
              "variation. Needs the answers only. False flags: under 1% of agencies."},
}


def glossary(lang: str = "vi") -> pd.DataFrame:
    """The glossary: a term and its meaning in ``lang``."""
    return pd.DataFrame([{"glossary_term": entry["term"][lang], "meaning": entry[lang]} for entry in GLOSSARY.values()])


def events(table: pd.DataFrame) -> pd.DataFrame:
    """The survey's events as the appendix lists them (codes kept, for the CSV): date (day/month/year),
    kind, name, the agencies bound."""
    return pd.DataFrame({"date": table["date"].dt.strftime("%d/%m/%Y"), "kind": table["kind"],
                         "name": table["name"], "applies_to": table["applies_to"]})


def events_in_words(table: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """:func:`events` for readers: the kind in words and ``all`` / ``provincial`` said as agencies."""
    def bound(applies_to: str) -> str:
        parts = [part.strip() for part in str(applies_to).split(";")]
        return "; ".join(label(f"applies.{part}", lang) if part in ("all", "provincial") else part for part in parts)

    return table.assign(kind=table["kind"].map(lambda kind: label(f"event.{kind}", lang)),
                        applies_to=table["applies_to"].map(bound))


def verdict_rules(lang: str = "vi") -> str:
    """The rules as a Markdown list, in the order a reader meets the questions."""
    return "\n".join(f"- {rule[lang]}" for rule in RULES.values())
