"""The one translation table: Vietnamese and English labels for codes.

Code uses English codes (``access``, ``online``); anything a reader sees goes
through :func:`label`, so a label is changed in one place.
"""

from __future__ import annotations

LANGUAGES = ("vi", "en")

LABELS: dict[str, dict[str, str]] = {
    # SIPAS components and the overall item
    "access": {"vi": "Tiếp cận dịch vụ", "en": "Access to the service"},
    "procedure": {"vi": "Thủ tục hành chính", "en": "Administrative procedures"},
    "staff": {"vi": "Công chức phục vụ", "en": "Civil servants"},
    "result": {"vi": "Kết quả giải quyết", "en": "Results of the service"},
    "feedback": {"vi": "Tiếp nhận, xử lý ý kiến", "en": "Handling of feedback"},
    "overall": {"vi": "Hài lòng chung", "en": "Overall satisfaction"},
    "index": {"vi": "Chỉ số hài lòng", "en": "Satisfaction index"},
    # channels and respondent groups
    "online": {"vi": "Trực tuyến", "en": "Online"},
    "direct": {"vi": "Trực tiếp", "en": "Direct"},
    "citizen": {"vi": "Người dân", "en": "Citizens"},
    "business": {"vi": "Doanh nghiệp", "en": "Businesses"},
    "budget_unit": {"vi": "Đơn vị sử dụng ngân sách", "en": "Budget-using units"},
    # table headings
    "period": {"vi": "Kỳ", "en": "Period"},
    "compared_period": {"vi": "Kỳ so sánh", "en": "Compared with"},
    "compared_estimate": {"vi": "Chỉ số kỳ so sánh (%)", "en": "Index then (%)"},
    "previous_period": {"vi": "Kỳ trước", "en": "The previous period"},
    "year_earlier": {"vi": "Cùng kỳ năm trước", "en": "The same period a year earlier"},
    "satisfaction.period": {"vi": "Kỳ đánh giá so với kỳ trước và cùng kỳ năm trước",
                            "en": "The period under review against the previous period and a year earlier"},
    "year": {"vi": "Năm", "en": "Year"},
    "block": {"vi": "Khối cơ quan", "en": "Block of agencies"},
    "unit": {"vi": "Cơ quan", "en": "Agency"},
    "channel": {"vi": "Hình thức khảo sát", "en": "Channel"},
    "group": {"vi": "Đối tượng", "en": "Respondent group"},
    "item": {"vi": "Tiêu chí", "en": "Criterion"},
    "component": {"vi": "Thành phần", "en": "Component"},
    "n": {"vi": "Số phiếu", "en": "Respondents"},
    "n_answers": {"vi": "Số câu trả lời", "en": "Answers"},
    "rate": {"vi": "Tỷ lệ hài lòng (%)", "en": "Satisfied (%)"},
    "ci_low": {"vi": "Cận dưới 95%", "en": "95% CI low"},
    "ci_high": {"vi": "Cận trên 95%", "en": "95% CI high"},
    "published": {"vi": "Số liệu công bố (%)", "en": "Published figure (%)"},
    "difference": {"vi": "Chênh lệch (điểm %)", "en": "Difference (points)"},
    "completeness": {"vi": "Tỷ lệ trả lời (%)", "en": "Answered (%)"},
    "target": {"vi": "Mục tiêu (%)", "en": "Target (%)"},
    "suppressed": {"vi": "(ẩn: nhóm nhỏ)", "en": "(suppressed: small group)"},
    "vertical": {"vi": "Cơ quan ngành dọc", "en": "Vertical (central) agency"},
    "measure": {"vi": "Chỉ tiêu", "en": "Measure"},
    "value": {"vi": "Giá trị", "en": "Value"},
    "se": {"vi": "Sai số chuẩn", "en": "Standard error"},
    "answered": {"vi": "Số câu đã trả lời", "en": "Answered"},
    "box": {"vi": "Ô số liệu", "en": "Number box"},
    "low": {"vi": "Cận dưới", "en": "Lower bound"},
    "high": {"vi": "Cận trên", "en": "Upper bound"},
    "beyond_error": {"vi": "Lớn hơn sai số chọn mẫu", "en": "Beyond sampling error"},
    "by": {"vi": "So sánh theo", "en": "Compared by"},
    "first_level": {"vi": "Tên nhóm thứ nhất", "en": "First group (name)"},
    "second_level": {"vi": "Tên nhóm thứ hai", "en": "Second group (name)"},
    # section headings
    "overview.title": {"vi": "Phụ lục: tổng quan dữ liệu khảo sát", "en": "Appendix: overview of the survey data"},
    "overview.shape": {"vi": "Quy mô dữ liệu", "en": "Size of the data"},
    "overview.by_block": {"vi": "Số phiếu theo khối cơ quan và năm", "en": "Respondents by block and year"},
    "overview.by_channel": {"vi": "Số phiếu theo hình thức khảo sát và năm",
                            "en": "Respondents by channel and year"},
    "overview.completeness": {"vi": "Mức độ trả lời đầy đủ theo tiêu chí", "en": "Completeness by criterion"},
    "overview.index": {"vi": "Chỉ số hài lòng toàn tỉnh theo năm", "en": "Province-wide satisfaction index by year"},
    "trends.title": {"vi": "Biến động và điểm gãy của xu hướng", "en": "Changes and breaks in the trend"},
    "trends.yoy": {"vi": "Thay đổi so với năm trước, so với sai số chọn mẫu",
                   "en": "Change on the previous year, against sampling error"},
    "trends.known": {"vi": "Kiểm định gãy tại các năm đã biết", "en": "Tests of a break in known years"},
    "trends.verdict": {"vi": "Kết luận: xu hướng có bị gãy không?", "en": "Verdict: did the trend break?"},
    "trends.unknown": {"vi": "Tìm điểm gãy chưa biết trước (Bai–Perron)", "en": "Breaks at unknown dates (Bai–Perron)"},
    "trends.papi": {"vi": "Số liệu thật: PAPI 63 tỉnh, 2011–2024", "en": "Real data: PAPI, 63 provinces, 2011–2024"},
    "absent.known_years": {"vi": "Không có năm nào đã biết trước để kiểm định điểm gãy: không có chính sách nào "
                                 "bắt đầu trong các năm của chuỗi số liệu (từ năm thứ ba trở đi).",
                           "en": "No known year to test for a break: no policy starts within the series' years "
                                 "(from its third year on)."},
    "absent.one_year": {"vi": "Chuỗi số liệu chỉ có một năm, nên không có thay đổi nào so với năm trước.",
                        "en": "The series has a single year, so there is no change on a previous year."},
    "absent.method_events": {"vi": "Dữ liệu không có sự kiện phương pháp nào, nên không phân biệt được điểm gãy do "
                                   "thay đổi phương pháp với thay đổi thực.",
                             "en": "The data hold no methodology event, so a break caused by a change of method "
                                   "cannot be told from a real change."},
    "previous": {"vi": "Năm trước", "en": "Previous year"},
    "previous_estimate": {"vi": "Tỷ lệ năm trước (%)", "en": "Previous year (%)"},
    "shift": {"vi": "Thay đổi mức (điểm %)", "en": "Level shift (points)"},
    "tau2": {"vi": "Phương sai giữa các năm", "en": "Between-year variance"},
    "tau": {"vi": "Độ lệch chuẩn giữa các năm", "en": "Between-year standard deviation"},
    "chow_f": {"vi": "Thống kê Chow F", "en": "Chow F"},
    "chow_p": {"vi": "Giá trị p (Chow)", "en": "p-value (Chow)"},
    "n_min": {"vi": "Số người trả lời (nhóm nhỏ hơn)", "en": "Respondents (smaller side)"},
    "trends.stability": {"vi": "Kiểm định độ ổn định của xu hướng (sup-F, CUSUM)",
                         "en": "Stability of the trend (sup-F, CUSUM)"},
    "sup_f": {"vi": "sup-F (Andrews): một điểm gãy bất kỳ", "en": "sup-F (Andrews): one break anywhere"},
    "cusum_ols": {"vi": "CUSUM phần dư OLS", "en": "OLS-CUSUM"},
    "cusum_recursive": {"vi": "CUSUM phần dư đệ quy", "en": "Recursive CUSUM"},
    "test_statistic": {"vi": "Thống kê kiểm định", "en": "Test statistic"},
    "years": {"vi": "Số năm", "en": "Years"},
    "regime_from": {"vi": "Năm bắt đầu chế độ mới", "en": "First year of the new regime"},
    "first_low": {"vi": "Sớm nhất (KTC 95%)", "en": "Earliest (95% CI)"},
    "first_high": {"vi": "Muộn nhất (KTC 95%)", "en": "Latest (95% CI)"},
    "before": {"vi": "Trung bình trước", "en": "Mean before"},
    "after": {"vi": "Trung bình sau", "en": "Mean after"},
    "label": {"vi": "Nhận định", "en": "Reading"},
    "name": {"vi": "Tên", "en": "Name"},
    "event": {"vi": "Sự kiện phương pháp", "en": "Methodology event"},
    "break.method": {"vi": "có thể do thay đổi phương pháp", "en": "possible method break"},
    "break.change": {"vi": "thay đổi thực", "en": "real change"},
    "break.unconfirmed": {"vi": "chưa xác nhận (kiểm định độ ổn định không bác bỏ)",
                          "en": "unconfirmed (the stability tests do not reject)"},
    "ci95": {"vi": "KTC 95%", "en": "95% CI"},
    "rose": {"vi": "tăng", "en": "rose"},
    "fell": {"vi": "giảm", "en": "fell"},
    "methods.title": {"vi": "Phụ lục: phương pháp", "en": "Appendix: methods"},
    "methods.glossary": {"vi": "Thuật ngữ", "en": "Glossary"},
    "methods.sources": {"vi": "Nguồn của mục tiêu và các sự kiện", "en": "Where the targets and events come from"},
    "methods.sources_note": {
        "vi": "Mục tiêu và sự kiện lấy từ các tệp của khảo sát (khóa targets: và events: của tệp ánh xạ); cột "
              "“Nguồn” là nguồn mà tệp ghi.",
        "en": "Targets and events come from the survey's files (the mapping's targets: and events: keys); the "
              "“Source” column is the source the file gives."},
    "glossary_term": {"vi": "Thuật ngữ", "en": "Term"},
    "date": {"vi": "Ngày", "en": "Date"},
    "source": {"vi": "Nguồn", "en": "Source"},
    "meaning": {"vi": "Ý nghĩa", "en": "Meaning"},
    "applies_to": {"vi": "Áp dụng cho", "en": "Applies to"},
    "applies.all": {"vi": "mọi cơ quan", "en": "every agency"},
    "applies.provincial": {"vi": "các cơ quan cấp tỉnh (không thuộc ngành dọc)",
                           "en": "provincial agencies (not vertical)"},
    "methods.rules": {"vi": "Quy tắc kết luận cho từng câu hỏi", "en": "The verdict rule for each question"},
    "change": {"vi": "Thay đổi so với năm trước (điểm)", "en": "Change since the year before (points)"},
    "vs_all": {"vi": "Chênh lệch so với tất cả phiếu (điểm)", "en": "Difference from all forms (points)"},
    "vs_all_low": {"vi": "Cận dưới 95% của chênh lệch", "en": "Difference, 95% CI low"},
    "vs_all_high": {"vi": "Cận trên 95% của chênh lệch", "en": "Difference, 95% CI high"},
    "change_low": {"vi": "Cận dưới 95% của thay đổi", "en": "Change, 95% CI low"},
    "change_high": {"vi": "Cận trên 95% của thay đổi", "en": "Change, 95% CI high"},
    "change_p": {"vi": "Giá trị p của thay đổi", "en": "Change, p-value"},
    "scorecards.title": {"vi": "Phiếu kết quả từng cơ quan", "en": "Agency scorecards"},
    "scorecard.agency": {"vi": "Cơ quan", "en": "Agency"},
    "scorecard.scope": {"vi": "Toàn phạm vi", "en": "Whole scope"},
    "scorecard.quotes": {"vi": "Ý kiến tiêu biểu (đã ẩn thông tin cá nhân)", "en": "Sample comments (scrubbed)"},
    "brief.title": {"vi": "Bản tóm tắt một trang", "en": "One-page brief"},
    "brief.index": {"vi": "Chỉ số hài lòng", "en": "Satisfaction index"},
    "brief.change": {"vi": "Thay đổi so với kỳ trước", "en": "Change since the period before"},
    "brief.target": {"vi": "Dự báo so với mục tiêu", "en": "Projection against a target"},
    "brief.best": {"vi": "Cơ quan có chỉ số cao nhất", "en": "Highest-rated agencies"},
    "brief.worst": {"vi": "Cơ quan có chỉ số thấp nhất", "en": "Lowest-rated agencies"},
    "brief.complaints": {"vi": "Vấn đề được góp ý nhiều nhất", "en": "Commonest complaint topics"},
    "brief.act": {"vi": "Việc cần làm", "en": "What to act on"},
    "brief.policies": {"vi": "Chính sách có tác động không?", "en": "Did the policies work?"},
    "brief.trend": {"vi": "Xu hướng", "en": "Trend"},
    "brief.note.intervals": {
        "vi": "KTC 95%: khoảng tin cậy 95% tính theo thiết kế mẫu; “lớn hơn sai số chọn mẫu” nghĩa là khoảng tin "
              "cậy của mức thay đổi không chứa 0.",
        "en": "95% CI: the 95% confidence interval from the survey design; “beyond sampling error” means the "
              "change's interval excludes 0."},
    "brief.note.targets": {
        "vi": "Dự báo: xu hướng các năm đã khảo sát kéo dài đến năm mục tiêu, theo một đường cong không vượt "
              "quá 0–100%; khả năng đạt là xác suất theo khoảng dự báo.",
        "en": "Projection: the trend of the surveyed years carried to the target year along a curve that stays "
              "within 0–100%; the chance is that of the prediction interval."},
    "brief.note.ranking": {
        "vi": "Cơ quan được xếp hạng theo chỉ số đã hiệu chỉnh theo cỡ mẫu (kéo về mức chung của khối, nhiều hơn "
              "khi ít phiếu), số hiển thị là chỉ số đã hiệu chỉnh; “hạng a–b” là khoảng hạng với độ tin cậy 90%.",
        "en": "Agencies are ranked by their index adjusted for sample size (pulled towards their block, more so "
              "with fewer forms), the number shown; “ranks a–b” is the 90% rank interval."},
    "brief.note.policies": {
        "vi": "Tác động chính sách: so sánh cơ quan chịu chính sách với cơ quan không chịu (khác biệt kép) khi có "
              "nhóm đối chứng; quy tắc kết luận ở phụ lục phương pháp.",
        "en": "Policy effects: agencies the policy binds against those it does not (difference-in-differences) "
              "where there is a comparison group; the verdict rules are in the methods appendix."},
    "brief.note.sections": {
        "vi": "Giá trị p, phương pháp và các kiểm định bổ sung ở các mục sau; mọi con số được tính từ dữ liệu gốc.",
        "en": "p-values, methods and further tests are in the sections that follow; every number is computed "
              "from the raw data."},
    "summary.title": {"vi": "Tóm tắt cho lãnh đạo", "en": "Executive summary"},
    "summary.note": {"vi": "Mọi con số dưới đây được tính từ dữ liệu gốc; chi tiết ở các phần sau.",
                     "en": "Every number below is computed from the raw data; details follow in the sections."},
    "ols": {"vi": "Hồi quy tuyến tính (OLS)", "en": "Linear regression (OLS)"},
    "ordered_logit": {"vi": "Logit thứ bậc", "en": "Ordered logit"},
    "model": {"vi": "Mô hình", "en": "Model"},
    "policy.title": {"vi": "Tác động của chính sách", "en": "Did the policies work?"},
    "policy.its": {"vi": "Chuỗi thời gian gián đoạn (toàn tỉnh)", "en": "Interrupted time series (whole province)"},
    "policy.verdict": {"vi": "Kết luận: chính sách có tác động không?", "en": "Verdict: did the policies work?"},
    "design.did": {"vi": "khác biệt kép", "en": "difference-in-differences"},
    "design.its": {"vi": "chuỗi thời gian gián đoạn", "en": "interrupted time series"},
    "design.staggered": {"vi": "khác biệt kép theo nhóm áp dụng", "en": "staggered difference-in-differences"},
    "policy.staggered": {"vi": "Chính sách áp dụng vào những năm khác nhau: tác động theo nhóm và năm áp dụng",
                         "en": "A policy adopted in different years: effects by adoption cohort and year"},
    "cohort": {"vi": "Năm đầu áp dụng", "en": "First year adopted"},
    "base_year": {"vi": "Năm so sánh", "en": "Compared with"},
    "n_treated": {"vi": "Số cơ quan áp dụng", "en": "Adopting agencies"},
    "agencies": {"vi": "Số cơ quan", "en": "Agencies"},
    "n_comparison": {"vi": "Số cơ quan đối chứng", "en": "Comparison agencies"},
    "cohorts": {"vi": "Năm đầu áp dụng (số cơ quan)", "en": "First year adopted (agencies)"},
    "adopters": {"vi": "Số cơ quan áp dụng", "en": "Adopting agencies"},
    "never_adopted": {"vi": "Số cơ quan chưa áp dụng", "en": "Agencies not adopting"},
    "twfe_estimate": {"vi": "Hiệu ứng cố định hai chiều: ước lượng", "en": "Two-way fixed effects: estimate"},
    "twfe_ci_low": {"vi": "Hiệu ứng cố định hai chiều: cận dưới 95%", "en": "Two-way fixed effects: 95% CI low"},
    "twfe_ci_high": {"vi": "Hiệu ứng cố định hai chiều: cận trên 95%", "en": "Two-way fixed effects: 95% CI high"},
    "twfe_negative": {"vi": "Số cơ quan-năm có trọng số âm", "en": "Agency-years weighted negatively"},
    "twfe_cells": {"vi": "Số cơ quan-năm đã áp dụng", "en": "Treated agency-years"},
    "pretrend_p_value": {"vi": "Kiểm định trước áp dụng: giá trị p", "en": "Pre-adoption test: p-value"},
    "pretrend_df": {"vi": "Số chênh lệch trước áp dụng", "en": "Pre-adoption differences tested"},
    "policy.did": {"vi": "So sánh cơ quan cấp tỉnh với cơ quan ngành dọc (khác biệt kép)",
                   "en": "Provincial against vertical agencies (difference in differences)"},
    "policy.event": {"vi": "Nghiên cứu sự kiện: trước và sau chính sách", "en": "Event study: before and after"},
    "policy.synthetic": {"vi": "Đối chứng tổng hợp cho một cơ quan", "en": "Synthetic control for one agency"},
    "policy.synthetic_did": {"vi": "Khác biệt kép tổng hợp cho cùng cơ quan",
                             "en": "Synthetic difference-in-differences for the same agency"},
    "policy.synthetic_did_staggered": {"vi": "Khác biệt kép tổng hợp theo nhóm áp dụng",
                                       "en": "Synthetic difference-in-differences by adoption cohort"},
    "policy.its_bound": {"vi": "Chuỗi thời gian gián đoạn (cả phạm vi báo cáo)",
                         "en": "Interrupted time series (the whole scope of the report)"},
    "policy.did_bound": {"vi": "So sánh cơ quan chịu chính sách với cơ quan đối chứng (khác biệt kép)",
                         "en": "Agencies the policy binds against comparison agencies (difference in differences)"},
    "absent.policies": {"vi": "Dữ liệu không có chính sách nào (sự kiện loại policy) áp dụng cho các cơ quan của "
                              "phạm vi này trong các năm khảo sát, nên không ước lượng được tác động của chính sách.",
                        "en": "The data hold no policy (an event of kind policy) binding this scope's agencies within "
                              "the surveyed years, so no policy effect can be estimated."},
    "absent.treated": {"vi": "Phạm vi này không có cơ quan nào chịu các chính sách, nên chỉ có chuỗi thời gian "
                             "gián đoạn; không có khác biệt kép, nghiên cứu sự kiện hay đối chứng tổng hợp.",
                       "en": "No agency of this scope is bound by the policies, so only the interrupted time series "
                             "is shown: no difference-in-differences, event study or synthetic control."},
    "absent.comparison": {"vi": "Không có cơ quan đối chứng (cơ quan ngành dọc không chịu các chính sách), nên chỉ "
                                "có chuỗi thời gian gián đoạn; không có khác biệt kép, nghiên cứu sự kiện hay "
                                "đối chứng tổng hợp.",
                          "en": "There is no comparison agency (a vertical agency the policies do not bind), so only "
                                "the interrupted time series is shown: no difference-in-differences, event study or "
                                "synthetic control."},
    "absent.synthetic_donors": {"vi": "Chỉ có một cơ quan đối chứng, quá ít để dựng đối chứng tổng hợp và kiểm định "
                                      "giả dược.",
                                "en": "Only one comparison agency: too few for a synthetic control and its placebo "
                                      "test."},
    "absent.synthdid_never": {"vi": "Mọi cơ quan đều đã áp dụng chính sách: không còn cơ quan chưa áp dụng để dựng "
                                    "khác biệt kép tổng hợp.",
                              "en": "Every agency adopted the policy: none is left that never did, for a synthetic "
                                    "difference-in-differences."},
    "absent.its_years": {"vi": "Chuỗi số liệu có quá ít năm so với số chính sách, nên không ước lượng được chuỗi "
                               "thời gian gián đoạn.",
                         "en": "The series has too few years for its number of policies, so no interrupted time "
                               "series is estimated."},
    "intervention": {"vi": "Chính sách", "en": "Policy"},
    "unit_id": {"vi": "Mã cơ quan", "en": "Agency code"},
    "first_post_year": {"vi": "Năm đầu tiên sau chính sách", "en": "First year after the policy"},
    "first_year": {"vi": "Từ năm", "en": "From"},
    "last_year": {"vi": "Đến năm", "en": "To"},
    "clusters": {"vi": "Số cụm (cơ quan)", "en": "Clusters (agencies)"},
    "design": {"vi": "Phương pháp kết luận", "en": "Verdict design"},
    "effect": {"vi": "Có tác động", "en": "Effect"},
    "its_estimate": {"vi": "Chuỗi thời gian gián đoạn: ước lượng", "en": "Interrupted time series: estimate"},
    "its_ci_low": {"vi": "Chuỗi thời gian gián đoạn: cận dưới 95%", "en": "Interrupted time series: 95% CI low"},
    "its_ci_high": {"vi": "Chuỗi thời gian gián đoạn: cận trên 95%", "en": "Interrupted time series: 95% CI high"},
    "its_p_value": {"vi": "Chuỗi thời gian gián đoạn: giá trị p", "en": "Interrupted time series: p-value"},
    "agree": {"vi": "Hai phương pháp thống nhất", "en": "Designs agree"},
    "term": {"vi": "Loại tác động", "en": "Effect"},
    "level": {"vi": "Thay đổi mức", "en": "Level change"},
    "slope": {"vi": "Thay đổi xu hướng (điểm/kỳ)", "en": "Slope change (points per period)"},
    "total": {"vi": "Tác động đến kỳ cuối", "en": "Effect by the last period"},
    "policy": {"vi": "Chính sách", "en": "Policy"},
    "rmspe_ratio": {"vi": "Tỷ số RMSPE sau/trước", "en": "Post/pre RMSPE ratio"},
    "satisfaction.title": {"vi": "Mức độ hài lòng và độ tin cậy của số liệu",
                           "en": "Satisfaction and how sure we are"},
    "satisfaction.index": {"vi": "Chỉ số hài lòng theo năm, với khoảng tin cậy 95%",
                           "en": "Satisfaction index by year, with 95% confidence intervals"},
    "satisfaction.components": {"vi": "Các thành phần của chỉ số", "en": "The components of the index"},
    "satisfaction.items": {"vi": "Từng tiêu chí", "en": "Criterion by criterion"},
    "satisfaction.blocks": {"vi": "Theo khối cơ quan", "en": "By block of agencies"},
    "satisfaction.gaps": {"vi": "Chênh lệch giữa các kênh và nhóm đối tượng", "en": "Gaps between channels and groups"},
    "satisfaction.targets": {"vi": "So với mục tiêu", "en": "Against the targets"},
    "satisfaction.ranking": {"vi": "Xếp hạng cơ quan, có tính đến độ bất định",
                             "en": "Ranking of agencies, with its uncertainty"},
    "rest.channel": {"vi": "các hình thức khảo sát khác", "en": "the other channels"},
    "rest.group": {"vi": "các đối tượng khác", "en": "the other groups"},
    # what a section cannot show, and why: one sentence each (analysis.reporting.narrative.absent)
    "absent.published": {"vi": "Khảo sát này không có số liệu công bố nào để so sánh với chỉ số.",
                         "en": "No published figures were given for this survey to set beside the index."},
    "absent.targets": {"vi": "Khảo sát này không có bảng mục tiêu, nên không so sánh được với mục tiêu "
                             "hay dự báo khả năng đạt mục tiêu.",
                       "en": "No targets were given for this survey, so the index is not compared with targets "
                             "nor projected."},
    "absent.target_years": {"vi": "Không có năm nào đủ số người trả lời để so sánh với mục tiêu hay dự báo.",
                            "en": "No year has enough respondents to be compared with the targets or projected."},
    "absent.targets_ahead": {"vi": "Không có mục tiêu nào cho các năm sau năm cuối của dữ liệu, nên không có dự báo.",
                             "en": "No target lies after the last year of the data, so nothing is projected."},
    "absent.second_channel": {"vi": "Khảo sát chỉ có một hình thức khảo sát, nên không có kênh thứ hai để so sánh.",
                              "en": "The survey has a single channel, so there is no second channel to compare."},
    "absent.second_group": {"vi": "Khảo sát chỉ có một nhóm đối tượng, nên không có nhóm thứ hai để so sánh.",
                            "en": "The survey has a single respondent group, so there is no second group to compare."},
    "absent.second_channel_group": {"vi": "Khảo sát chỉ có một hình thức khảo sát và một nhóm đối tượng, nên không "
                                          "có kênh hay nhóm thứ hai để so sánh.",
                                    "en": "The survey has a single channel and a single respondent group, so there "
                                          "is no second channel or group to compare."},
    "estimate": {"vi": "Ước lượng", "en": "Estimate"},
    "satisfied": {"vi": "Hài lòng (%)", "en": "Satisfied (%)"},
    "satisfied_low": {"vi": "Hài lòng: cận dưới 95%", "en": "Satisfied: 95% CI low"},
    "satisfied_high": {"vi": "Hài lòng: cận trên 95%", "en": "Satisfied: 95% CI high"},
    "dissatisfied": {"vi": "Không hài lòng (%)", "en": "Dissatisfied (%)"},
    "mean": {"vi": "Điểm trung bình (1–5)", "en": "Mean score (1–5)"},
    "dissatisfied_low": {"vi": "Không hài lòng: cận dưới 95%", "en": "Dissatisfied: 95% CI low"},
    "dissatisfied_high": {"vi": "Không hài lòng: cận trên 95%", "en": "Dissatisfied: 95% CI high"},
    "mean_low": {"vi": "Điểm trung bình: cận dưới 95%", "en": "Mean score: 95% CI low"},
    "mean_high": {"vi": "Điểm trung bình: cận trên 95%", "en": "Mean score: 95% CI high"},
    "p_value": {"vi": "Giá trị p", "en": "p-value"},
    "df": {"vi": "Bậc tự do", "en": "Degrees of freedom"},
    "method": {"vi": "Phương pháp", "en": "Method"},
    "target_pct": {"vi": "Mục tiêu (%)", "en": "Target (%)"},
    "gap": {"vi": "Chênh lệch (điểm %)", "en": "Gap (points)"},
    "met": {"vi": "Đạt", "en": "Met"},
    "met_beyond_doubt": {"vi": "Đạt chắc chắn (cả khoảng tin cậy)", "en": "Met beyond doubt (whole CI)"},
    "projected": {"vi": "Dự báo (%)", "en": "Projected (%)"},
    "pi_low": {"vi": "Cận dưới dự báo 95%", "en": "95% PI low"},
    "pi_high": {"vi": "Cận trên dự báo 95%", "en": "95% PI high"},
    "probability": {"vi": "Xác suất đạt (%)", "en": "Probability of reaching (%)"},
    "years_used": {"vi": "Số năm dùng để dự báo", "en": "Years used"},
    "note": {"vi": "Ghi chú", "en": "Note"},
    "too_short": {"vi": "chuỗi quá ngắn để dự báo", "en": "series too short to project"},
    "first": {"vi": "Nhóm thứ nhất (%)", "en": "First group (%)"},
    "second": {"vi": "Nhóm thứ hai (%)", "en": "Second group (%)"},
    "comparison": {"vi": "So sánh", "en": "Comparison"},
    "yes": {"vi": "Có", "en": "Yes"},
    "not_estimable": {"vi": "không ước lượng được", "en": "not estimable"},  # an interval without variance information
    "no": {"vi": "Không", "en": "No"},
    "unit_name": {"vi": "Cơ quan", "en": "Agency"},
    "shrunk": {"vi": "Tỷ lệ sau điều chỉnh EB (%)", "en": "EB-shrunk rate (%)"},
    "rank": {"vi": "Hạng", "en": "Rank"},
    "rank_low": {"vi": "Hạng tốt nhất (90%)", "en": "Best rank (90%)"},
    "rank_high": {"vi": "Hạng kém nhất (90%)", "en": "Worst rank (90%)"},
    # figure legends and titles
    "figure": {"vi": "Biểu đồ", "en": "Figure"},
    "legend.ci95": {"vi": "Khoảng tin cậy 95%", "en": "95% confidence interval"},
    "legend.estimate": {"vi": "Ước lượng từ dữ liệu", "en": "Estimate from the data"},
    "legend.observed": {"vi": "Tỷ lệ quan sát (KTC 95%)", "en": "Observed rate (95% CI)"},
    "legend.shrunk": {"vi": "Sau điều chỉnh về khối (EB)", "en": "Shrunk towards block (EB)"},
    "legend.target": {"vi": "Mục tiêu", "en": "Target"},
    "legend.break": {"vi": "Năm gãy ước lượng (Bai–Perron)", "en": "Estimated break (Bai–Perron)"},
    "legend.break_interval": {"vi": "Khoảng tin cậy 95% của năm gãy", "en": "95% interval of the break year"},
    "satisfaction.distribution": {"vi": "Phân bố câu trả lời theo từng tiêu chí",
                                  "en": "How each criterion was answered"},
    "share_of_answers": {"vi": "Tỷ lệ câu trả lời (%)", "en": "Share of answers (%)"},
    "answer": {"vi": "Mức trả lời", "en": "Answer"},
    "legend.projection": {"vi": "Dự báo theo xu hướng", "en": "Projection of the trend"},
    "legend.prediction": {"vi": "Khoảng dự báo 95%", "en": "95% prediction interval"},
    "satisfaction.projection_title": {"vi": "Chỉ số hài lòng và dự báo đến các năm mục tiêu",
                                      "en": "Satisfaction index and its projection to the target years"},
    "policy.its_title": {"vi": "Chuỗi thời gian gián đoạn", "en": "Interrupted time series"},
    "event.policy": {"vi": "chính sách", "en": "policy"},
    "event.methodology": {"vi": "thay đổi phương pháp", "en": "change of method"},
    "legend.counterfactual": {"vi": "Nếu không có chính sách (KTC 95%)", "en": "Without the policy (95% CI)"},
    "legend.fitted": {"vi": "Đường hồi quy từng đoạn", "en": "Segmented regression"},
    "legend.observed_value": {"vi": "Giá trị quan sát", "en": "Observed"},
    "legend.synthetic": {"vi": "Đối chứng tổng hợp", "en": "Synthetic control"},
    # synthetic difference-in-differences (analysis.analyses.synthdid): its table and figure
    "estimand": {"vi": "Đại lượng ước lượng", "en": "Estimand"},
    "synthdid.overall": {"vi": "Tác động chung", "en": "Overall effect"},
    "synthdid.cohort": {"vi": "Nhóm cùng thời điểm áp dụng", "en": "Adoption cohort"},
    "treated_units": {"vi": "Số đơn vị chịu chính sách", "en": "Treated units"},
    "post_periods": {"vi": "Số kỳ sau chính sách", "en": "Periods after the policy"},
    "cohort_weight": {"vi": "Trọng số của nhóm trong tác động chung", "en": "Cohort's weight in the overall effect"},
    "title.synthetic_did": {"vi": "Khác biệt kép tổng hợp", "en": "Synthetic difference-in-differences"},
    "legend.treated_mean": {"vi": "Các đơn vị chịu chính sách (trung bình)", "en": "Treated units (mean)"},
    "legend.synthetic_did": {"vi": "Đối chứng khác biệt kép tổng hợp", "en": "Synthetic DiD comparison"},
    "legend.time_weight": {"vi": "Trọng số thời gian (các kỳ trước chính sách)",
                           "en": "Time weights (periods before the policy)"},
    "time_weight": {"vi": "Trọng số thời gian", "en": "Time weight"},
    "title.event_study": {"vi": "Chênh lệch nhóm chịu tác động – nhóm đối chứng theo năm",
                          "en": "Treated minus comparison, year by year"},
    "event_time": {"vi": "Số năm kể từ khi có chính sách", "en": "Years since the policy"},
    "title.ranking": {"vi": "Xếp hạng cơ quan và khoảng thứ hạng 90%", "en": "Agency ranking with 90% rank intervals"},
    # rows of the shape table
    "respondents": {"vi": "Số người trả lời", "en": "Respondents"},
    "answers": {"vi": "Số câu trả lời", "en": "Answers"},
    "units": {"vi": "Số cơ quan", "en": "Agencies"},
    "blocks": {"vi": "Số khối cơ quan", "en": "Blocks"},
    "periods": {"vi": "Số kỳ khảo sát", "en": "Survey periods"},
    "first_period": {"vi": "Kỳ đầu tiên", "en": "First period"},
    "last_period": {"vi": "Kỳ cuối cùng", "en": "Last period"},
    "items": {"vi": "Số tiêu chí", "en": "Criteria"},
    "comments": {"vi": "Số ý kiến đóng góp", "en": "Written suggestions"},
    "provincial": {"vi": "Cơ quan cấp tỉnh", "en": "Provincial agency"},
    # Decision 766
    "band": {"vi": "Xếp loại", "en": "Rating"},
    "band.excellent": {"vi": "Xuất sắc", "en": "Excellent"},
    "band.good": {"vi": "Tốt", "en": "Good"},
    "band.fair": {"vi": "Khá", "en": "Fair"},
    "band.average": {"vi": "Trung bình", "en": "Average"},
    "band.weak": {"vi": "Yếu", "en": "Weak"},
    "index_group": {"vi": "Nhóm chỉ số", "en": "Group of indicators"},
    "criterion": {"vi": "Tiêu chí", "en": "Criterion"},
    "indicator": {"vi": "Chỉ số đầu vào", "en": "Input indicator"},
    "rate_pct": {"vi": "Tỷ lệ đạt (%)", "en": "Rate (%)"},
    "threshold": {"vi": "Ngưỡng (%)", "en": "Threshold (%)"},
    "max_points": {"vi": "Điểm tối đa", "en": "Maximum points"},
    "points": {"vi": "Điểm đạt", "en": "Points"},
    "total_points": {"vi": "Tổng điểm", "en": "Total points"},
    "is_missing": {"vi": "Thiếu số liệu", "en": "No data"},
    "n_missing": {"vi": "Số tiêu chí thiếu số liệu", "en": "Criteria without data"},
    "missing_criteria": {"vi": "Tiêu chí thiếu số liệu", "en": "Criteria without data (codes)"},
    "d766.title": {"vi": "Chỉ số phục vụ người dân, doanh nghiệp theo Quyết định 766/QĐ-TTg",
                   "en": "Decision 766/QĐ-TTg index of service to citizens and businesses"},
    "d766.criteria": {"vi": "Điểm theo tiêu chí", "en": "Points by criterion"},
    "d766.groups": {"vi": "Điểm theo nhóm chỉ số", "en": "Points by group of indicators"},
    "d766.offices": {"vi": "Tổng điểm và xếp loại các đơn vị", "en": "Total points and rating of every unit"},
    "d766.trend": {"vi": "Tổng điểm theo tháng", "en": "Total points by month"},
    "d766.bands": {"vi": "Số tháng theo xếp loại trong năm", "en": "Months in each rating during the year"},
    "d766.satisfaction": {"vi": "Tỷ lệ hài lòng theo đối tượng và hình thức khảo sát",
                          "en": "Satisfaction by respondent group and channel"},
    "d766.note": {"vi": "Điểm tối đa của 5 nhóm (18/20/22/22/18) và các mức xếp loại theo Quyết định 766/QĐ-TTg; "
                        "cách chia điểm giữa các tiêu chí trong mỗi nhóm là mặc định của dự án (chưa có số liệu "
                        "chính thức), sửa được trong tệp cấu hình.",
                  "en": "Group maxima (18/20/22/22/18) and bands follow Decision 766/QĐ-TTg; the split of points "
                        "among the criteria of each group is this project's default (the official split is not "
                        "published in our sources) and can be edited in the configuration file."},
    # the workbook (analysis.pipeline.workbook): its contents sheet, data dictionary and the titles of tables
    # the report saves without a heading of their own
    "workbook.contents": {"vi": "Mục lục", "en": "Contents"},
    "workbook.dictionary": {"vi": "Từ điển dữ liệu", "en": "Data dictionary"},
    "workbook.dictionary.title": {"vi": "Nghĩa của từng cột trong các tệp CSV, tiếng Việt và tiếng Anh",
                                  "en": "The meaning of each column of the CSV files, in Vietnamese and English"},
    "workbook.number": {"vi": "STT", "en": "No."},
    "workbook.sheet": {"vi": "Trang tính", "en": "Sheet"},
    "workbook.title": {"vi": "Tên bảng", "en": "Title"},
    "workbook.section": {"vi": "Phần của báo cáo", "en": "Report section"},
    "workbook.source": {"vi": "Nguồn", "en": "Source"},
    "workbook.file": {"vi": "Tệp CSV", "en": "CSV file"},
    "workbook.notes": {"vi": "Ghi chú", "en": "Notes"},
    "workbook.column": {"vi": "Mã cột (trong tệp CSV)", "en": "Column code (in the CSV files)"},
    "workbook.vi": {"vi": "Nghĩa (tiếng Việt)", "en": "Meaning in Vietnamese"},
    "workbook.en": {"vi": "Nghĩa (tiếng Anh)", "en": "Meaning in English"},
    "workbook.tables": {"vi": "Có trong các bảng", "en": "In the tables"},
    "workbook.note.scale": {"vi": "Tỷ lệ hiển thị theo phần trăm, mỗi ô vẫn giữ tỷ lệ (0–1) như tệp CSV; các tệp CSV "
                                  "dùng tên cột dạng mã, nghĩa của từng mã ở trang «Từ điển dữ liệu».",
                            "en": "Shares are shown in percent, each cell keeping the proportion (0–1) of the CSV "
                                  "files; the CSV files name their columns by codes, explained in the data "
                                  "dictionary sheet."},
    "workbook.note.not_shown": {"vi": "Không hiển thị trong báo cáo, chỉ lưu kèm",
                                "en": "Saved, not shown in the report"},
    "workbook.note.same": {"vi": "Cũng được lưu là", "en": "Also saved as"},
    "workbook.note.suppressed": {"vi": "Ô trống ở các hàng bị ẩn: nhóm quá ít phiếu, không công bố",
                                 "en": "Blank cells in suppressed rows: groups too small to publish"},
    "table.brief": {"vi": "Các con số của bản tóm tắt một trang", "en": "The numbers of the one-page brief"},
    "table.policies": {"vi": "Các chính sách được đánh giá", "en": "The policies assessed"},
    "table.targets_met": {"vi": "Mục tiêu các năm đã qua: đạt hay không", "en": "Targets of past years: met or not"},
    "table.targets_projection": {"vi": "Dự báo và khả năng đạt mục tiêu",
                                 "en": "Projection and the chance of reaching each target"},
    "table.driver_differences": {"vi": "Chênh lệch mức độ quan trọng giữa từng cặp thành phần",
                                 "en": "Differences in importance between pairs of components"},
    "table.drivers_by_segment_test": {"vi": "Kiểm định: tác động có khác nhau giữa các nhóm không?",
                                      "en": "Test: do the drivers differ between segments?"},
    "table.driver_importance_by_segment": {"vi": "Mức độ quan trọng trong từng nhóm",
                                           "en": "Importance within each segment"},
    "table.comment_shares_by_year": {"vi": "Tỷ lệ ý kiến theo nhóm và năm, với khoảng tin cậy",
                                     "en": "Comment shares by category and year, with intervals"},
    "table.comment_shares_by_year_wide": {"vi": "Tỷ lệ ý kiến theo nhóm và năm",
                                          "en": "Comment shares by category and year"},
    # comments
    "other": {"vi": "Khác", "en": "Other"},
    "category": {"vi": "Nhóm ý kiến", "en": "Category"},
    "count": {"vi": "Số lượng", "en": "Count"},
    "text": {"vi": "Ý kiến (đã ẩn thông tin cá nhân)", "en": "Comment (personal data masked)"},
    "kind": {"vi": "Loại", "en": "Kind"},
    "kind.word": {"vi": "Từ", "en": "Word"},
    "kind.bigram": {"vi": "Cụm hai từ", "en": "Two-word phrase"},
    "measure.satisfied": {"vi": "Hài lòng (mức 4–5)", "en": "Satisfied (answers 4–5)"},
    "measure.dissatisfied": {"vi": "Không hài lòng (mức 1–2)", "en": "Dissatisfied (answers 1–2)"},
    "phrase": {"vi": "Từ, cụm từ", "en": "Word or phrase"},
    "share": {"vi": "Tỷ lệ (%)", "en": "Share (%)"},
    "others_n": {"vi": "Số phiếu của những người góp ý khác", "en": "Other commenters"},
    "others_estimate": {"vi": "Những người góp ý khác (%)", "en": "Other commenters (%)"},
    "comments.title": {"vi": "Ý kiến đóng góp của người dân, doanh nghiệp", "en": "Written suggestions"},
    "comments.shares": {"vi": "Tỷ lệ ý kiến theo nhóm, với khoảng tin cậy 95%",
                        "en": "Share of comments by category, with 95% confidence intervals"},
    "comments.dissatisfaction": {"vi": "Nhóm ý kiến đi kèm với không hài lòng",
                                 "en": "Which categories go with dissatisfied answers"},
    "comments.examples": {"vi": "Một số ý kiến tiêu biểu", "en": "Example comments"},
    "comments.terms": {"vi": "Từ ngữ thường gặp theo nhóm ý kiến", "en": "Frequent words by category"},
    "comments.by_segment": {"vi": "Tỷ lệ các nhóm ý kiến theo khối, cơ quan hoặc kênh",
                            "en": "Comment categories by block, agency or channel"},
    "absent.comments": {"vi": "Khảo sát này không có ý kiến đóng góp nào (không có cột ý kiến hoặc cột trống), "
                              "nên phần này không có nội dung.",
                        "en": "This survey holds no written comments (no comment column, or an empty one), so this "
                              "section has nothing to show."},
    "feedback.title": {"vi": "Tiếp nhận, xử lý phản ánh, kiến nghị (nhóm 5, Quyết định 766/QĐ-TTg)",
                       "en": "Handling of complaints and feedback (group 5, Decision 766/QĐ-TTg)"},
    "feedback_classified_pct": {"vi": "Phản ánh, kiến nghị được phân loại, chuyển xử lý đúng thẩm quyền (%)",
                                "en": "Feedback classified and routed correctly (%)"},
    "feedback_on_time_pct": {"vi": "Phản ánh, kiến nghị được xử lý đúng hạn (%)", "en": "Feedback handled on time (%)"},
    "feedback_satisfaction_pct": {"vi": "Hài lòng về việc xử lý phản ánh, kiến nghị (%)",
                                  "en": "Satisfied with the handling of feedback (%)"},
    "feedback.absent": {"vi": "Dữ liệu không có chỉ số về phản ánh, kiến nghị",
                        "en": "The data have no indicators of complaints and feedback"},
    # drivers
    "driver": {"vi": "Yếu tố tác động", "en": "Driver"},
    "metric": {"vi": "Cách đo", "en": "Metric"},
    "lmg": {"vi": "LMG (phân rã Shapley của R²)", "en": "LMG (Shapley decomposition of R²)"},
    "johnson": {"vi": "Trọng số tương đối Johnson", "en": "Johnson's relative weight"},
    "r2": {"vi": "R² (phần biến thiên được giải thích)", "en": "R² (variance explained)"},
    "share_low": {"vi": "Cận dưới tỷ trọng 95%", "en": "Share, 95% CI low"},
    "share_high": {"vi": "Cận trên tỷ trọng 95%", "en": "Share, 95% CI high"},
    "rank_ci_low": {"vi": "Hạng tốt nhất (KTC 95%)", "en": "Best rank (95% CI)"},
    "rank_ci_high": {"vi": "Hạng kém nhất (KTC 95%)", "en": "Worst rank (95% CI)"},
    "versus": {"vi": "So với", "en": "Versus"},
    "coef": {"vi": "Hệ số hồi quy", "en": "Coefficient"},
    "std_coef": {"vi": "Hệ số chuẩn hóa", "en": "Standardised coefficient"},
    "std_low": {"vi": "Cận dưới hệ số chuẩn hóa 95%", "en": "Standardised, 95% CI low"},
    "std_high": {"vi": "Cận trên hệ số chuẩn hóa 95%", "en": "Standardised, 95% CI high"},
    "segment": {"vi": "Phân nhóm theo", "en": "Segments by"},
    "levels": {"vi": "Số nhóm", "en": "Groups"},
    "all": {"vi": "Tất cả các yếu tố", "en": "All drivers jointly"},
    "statistic": {"vi": "Thống kê F", "en": "F statistic"},
    "df_num": {"vi": "Bậc tự do tử số", "en": "Numerator df"},
    "df_den": {"vi": "Bậc tự do mẫu số", "en": "Denominator df"},
    "importance": {"vi": "Mức độ quan trọng (% của R²)", "en": "Importance (% of R²)"},
    "importance_low": {"vi": "Cận dưới mức độ quan trọng 95%", "en": "Importance, 95% CI low"},
    "importance_high": {"vi": "Cận trên mức độ quan trọng 95%", "en": "Importance, 95% CI high"},
    "performance": {"vi": "Mức độ thực hiện (% hài lòng)", "en": "Performance (% satisfied)"},
    "performance_low": {"vi": "Cận dưới mức độ thực hiện 95%", "en": "Performance, 95% CI low"},
    "performance_high": {"vi": "Cận trên mức độ thực hiện 95%", "en": "Performance, 95% CI high"},
    "quadrant": {"vi": "Vùng trong ma trận", "en": "Quadrant"},
    "concentrate": {"vi": "Quan trọng cao, hài lòng thấp", "en": "More important, less satisfied"},
    "keep_up": {"vi": "Quan trọng cao, hài lòng cao", "en": "More important, more satisfied"},
    "overkill": {"vi": "Quan trọng thấp, hài lòng cao", "en": "Less important, more satisfied"},
    "low_priority": {"vi": "Quan trọng thấp, hài lòng thấp", "en": "Less important, less satisfied"},
    "mean_performance": {"vi": "Mức độ thực hiện trung bình của các yếu tố", "en": "Mean performance of the drivers"},
    "act": {"vi": "Cần ưu tiên (khoảng cách vượt sai số)", "en": "Act on (gap beyond error)"},
    "legend.mean": {"vi": "Giá trị trung bình", "en": "Mean"},
    "drivers.title": {"vi": "Yếu tố nào quyết định mức độ hài lòng chung?", "en": "What drives overall satisfaction?"},
    "drivers.importance": {"vi": "Mức độ quan trọng tương đối của các thành phần (phân rã R²)",
                           "en": "Relative importance of the components (R² decomposition)"},
    "drivers.models": {"vi": "Mô hình hồi quy: hệ số chuẩn hóa", "en": "Driver models: standardised coefficients"},
    "drivers.segments": {"vi": "Tác động có khác nhau giữa các nhóm không?",
                         "en": "Do the drivers differ between segments?"},
    "drivers.ipa": {"vi": "Ma trận mức độ quan trọng – mức độ thực hiện", "en": "Importance-performance matrix"},
    # the report as a document (analysis.pipeline.document): contents, captions, files, page footer
    "document.contents": {"vi": "Mục lục", "en": "Contents"},
    "document.figures": {"vi": "Danh mục hình", "en": "Figures"},
    "document.figure": {"vi": "Hình", "en": "Figure"},
    "document.table": {"vi": "Bảng", "en": "Table"},
    "document.appendix": {"vi": "Phụ lục", "en": "Appendix"},
    "document.source": {"vi": "Nguồn", "en": "Source"},
    "document.computed": {"vi": "tính từ dữ liệu gốc", "en": "computed from the raw data"},
    "document.data": {"vi": "Số liệu", "en": "Data"},
    "document.files": {"vi": "Tệp kèm theo", "en": "Files"},
    "document.workbook": {"vi": "Bảng số liệu Excel", "en": "Workbook"},
    "document.csv": {"vi": "Từng bảng dạng CSV", "en": "Each table as CSV"},
    "document.brief_pdf": {"vi": "Bản tóm tắt để in", "en": "Printable brief"},
    "document.report_pdf": {"vi": "Báo cáo để in", "en": "Printable report"},
    "document.manifest": {"vi": "Dữ liệu vào, phiên bản và mã kiểm tra của lần chạy",
                          "en": "Inputs, versions and checksums of this run"},
    "document.page": {"vi": "Trang", "en": "Page"},
    "document.no_pdf": {"vi": "Chưa có bản PDF vì máy chưa cài Chromium: cài bằng “sudo apt-get install chromium” "
                              "(Debian, Ubuntu) rồi chạy lại báo cáo.",
                        "en": "No PDF: Chromium is not installed; install it with “sudo apt-get install chromium” "
                              "(Debian, Ubuntu) and run the report again."},
    # section 10: survey integrity
    "integrity.title": {"vi": "Độ tin cậy của phiếu khảo sát", "en": "Is the satisfaction real? Survey integrity"},
    "integrity.headline": {"vi": "Chỉ số phụ thuộc vào đâu", "en": "What the index depends on"},
    "integrity.checks": {"vi": "Các kiểm tra phiếu", "en": "The checks"},
    "integrity.funnel_heading": {"vi": "Biểu đồ phễu: từng cơ quan so với mức chung",
                                 "en": "Funnel plot: each agency against the survey"},
    "integrity.modes_heading": {"vi": "Theo người phát phiếu: công chức, nhóm độc lập, tự điền",
                                "en": "By collector: counter staff, independent team, self-completed"},
    "integrity.groups_heading": {"vi": "Phiếu trả lời một màu theo cơ quan, kênh và người phát phiếu",
                                 "en": "Straight-lined forms by agency, channel and collector"},
    "integrity.bursts_heading": {"vi": "Ngày có số phiếu tăng vọt", "en": "Days with a rush of forms"},
    "integrity.straight_lining": {"vi": "Trả lời một màu (mọi tiêu chí cùng một mức)",
                                  "en": "Straight-lining (every criterion the same answer)"},
    "integrity.duplicates": {"vi": "Phiếu trùng lặp", "en": "Duplicated forms"},
    "integrity.speeders": {"vi": "Điền quá nhanh", "en": "Speeders"},
    "integrity.bursts": {"vi": "Dồn phiếu trong một ngày", "en": "Bursts of forms in a day"},
    "integrity.modes": {"vi": "Chênh lệch theo người phát phiếu (cơ quan có chênh lệch rõ)",
                        "en": "Collector gaps (agencies with a clear gap)"},
    "integrity.funnel": {"vi": "Ngoài giới hạn kiểm soát của biểu đồ phễu", "en": "Beyond the funnel's control limits"},
    "integrity.low_spread": {"vi": "Câu trả lời ít dao động bất thường", "en": "Too little variation"},
    "integrity.all": {"vi": "Tất cả phiếu", "en": "All forms"},
    "integrity.without_flagged": {"vi": "Bỏ các phiếu bị gắn cờ", "en": "Without the flagged forms"},
    "integrity.independent_only": {"vi": "Chỉ phiếu của nhóm khảo sát độc lập",
                                   "en": "The independent team's forms alone"},
    "integrity.high": {"vi": "cao bất thường", "en": "unusually high"},
    "integrity.low": {"vi": "thấp bất thường", "en": "unusually low"},
    "integrity.funnel_title": {"vi": "Chỉ số của từng cơ quan và giới hạn kiểm soát",
                               "en": "Each agency's index and the control limits"},
    "integrity.n_eff": {"vi": "Cỡ mẫu hiệu dụng", "en": "Effective sample size"},
    "integrity.limit_95": {"vi": "Giới hạn 95%", "en": "95% limits"},
    "integrity.limit_99.8": {"vi": "Giới hạn 99,8%", "en": "99.8% limits"},
    "integrity.target": {"vi": "Mức chung", "en": "The survey's index"},
    "integrity.mode_title": {"vi": "Phiếu do công chức phát trừ phiếu của người phát khác, theo cơ quan",
                             "en": "Staff-handed forms minus the other collectors', by agency"},
    "collector": {"vi": "Người phát phiếu", "en": "Collector"},
    "collector.staff": {"vi": "Do công chức phát", "en": "Staff-handed"},
    "collector.independent": {"vi": "Của nhóm khảo sát độc lập", "en": "Independent team"},
    "collector.self": {"vi": "Tự điền trực tuyến", "en": "Self-completed online"},
    "collector.unknown": {"vi": "Không rõ", "en": "Unknown"},
    "design.collector": {"vi": "người phát phiếu", "en": "collector"},
    "design.submitted_at": {"vi": "thời điểm nộp", "en": "submission time"},
    "design.duration": {"vi": "thời gian điền", "en": "duration"},
    "design.session": {"vi": "mã phiên", "en": "session key"},
    "check": {"vi": "Kiểm tra", "en": "Check"},
    "columns": {"vi": "Cột cần có", "en": "Columns needed"},
    "available": {"vi": "Có dữ liệu", "en": "Data present"},
    "checked": {"vi": "Số được kiểm tra", "en": "Checked"},
    "flagged": {"vi": "Số bị gắn cờ", "en": "Flagged"},
    "honest_rate": {"vi": "Gắn cờ nhầm khi dữ liệu trung thực, tối đa (%)",
                    "en": "False flags on honest data, at most (%)"},
    "expected": {"vi": "Tỷ lệ kỳ vọng (%)", "en": "Expected (%)"},
    "z": {"vi": "Điểm z (đã tính dao động giữa cơ quan)", "en": "z (between-agency variation allowed for)"},
    "flag": {"vi": "Gắn cờ", "en": "Flag"},
    "spread": {"vi": "Độ dao động so với mức chung", "en": "Variation against the pooled"},
    "inside": {"vi": "Trong KTC 95% của chỉ số", "en": "Inside the index's 95% CI"},
    "holds": {"vi": "Chỉ số đứng vững", "en": "The index holds"},
    "day": {"vi": "Ngày", "en": "Day"},
    "group_name": {"vi": "Nhóm", "en": "Group"},
    "unchecked": {"vi": "Vì sao không kiểm tra", "en": "Why not checked"},
    "before_deadline": {"vi": "Sát hạn chót cuối tháng", "en": "Just before a month's deadline"},
    "absent.integrity_collector": {"vi": "Dữ liệu không có cột người phát phiếu: không tính được chỉ số chỉ từ phiếu "
                                         "của nhóm khảo sát độc lập.",
                                   "en": "The data have no collector column: the index from the independent team alone "
                                         "cannot be computed."},
    "absent.integrity_speeders": {"vi": "Dữ liệu không có thời gian điền phiếu hay mã phiên kèm thời điểm nộp: không "
                                        "kiểm tra được phiếu điền quá nhanh.",
                                  "en": "The data have no duration, nor session keys with submission times: speeders "
                                        "cannot be checked."},
    "absent.integrity_bursts": {"vi": "Dữ liệu không có thời điểm nộp phiếu: không kiểm tra được việc dồn phiếu trước "
                                      "hạn chót.",
                                "en": "The data have no submission times: bursts before deadlines cannot be checked."},
    "absent.integrity_modes": {"vi": "Dữ liệu không có cột người phát phiếu: không so sánh được phiếu do công chức "
                                     "phát với phiếu của nhóm độc lập.",
                               "en": "The data have no collector column: staff-handed forms cannot be compared with "
                                     "the independent team's."},
    "brief.integrity": {"vi": "Độ tin cậy của phiếu", "en": "Integrity of the forms"},
}

# The five-point answer scale, best to worst, as printed on Vietnamese forms.
ANSWER_LABELS: dict[int, dict[str, str]] = {
    5: {"vi": "Rất hài lòng", "en": "Very satisfied"},
    4: {"vi": "Hài lòng", "en": "Satisfied"},
    3: {"vi": "Bình thường", "en": "Neutral"},
    2: {"vi": "Không hài lòng", "en": "Dissatisfied"},
    1: {"vi": "Rất không hài lòng", "en": "Very dissatisfied"},
}


RENAMEABLE = {"access", "procedure", "staff", "result", "feedback", "online", "direct", "citizen", "business",
              "budget_unit"}  # shipped codes a survey may name its own way
_VOCABULARY: dict[str, dict[str, str]] = {}  # the names the survey in use gives its own codes


def use_vocabulary(words: dict[str, dict[str, str]]) -> None:
    """Name codes as the survey being reported does (:attr:`analysis.data.schema.Survey.vocabulary`:
    its components, criteria, channels and groups); replaces the previous survey's names.  A survey may
    rename the shipped components, channels and groups, not the report's own words (headings, comment
    categories): a code of its own that clashes with one of those keeps the shipped name."""
    _VOCABULARY.clear()
    _VOCABULARY.update({code: names for code, names in words.items() if code not in LABELS or code in RENAMEABLE})


def label(code: str, lang: str = "vi") -> str:
    """Return the reader's label for ``code``; unknown codes come back as given.

    The survey's own names (:func:`use_vocabulary`) come first, then the shipped ones; a name the
    survey gives only in Vietnamese is used in English too (the form's own words, not a shipped guess).
    Last, an English word of a shipped source (PAPI's dimensions and methodology events,
    :data:`analysis.data.papi.VIETNAMESE`) is given its Vietnamese name.

    >>> label("staff", "vi"), label("Participation", "vi")
    ('Công chức phục vụ', 'Tham gia của người dân ở cấp cơ sở')
    """
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {lang!r}")
    own = _VOCABULARY.get(code, {}) if isinstance(code, str) else {}
    return own.get(lang) or own.get("vi") or LABELS.get(code, {}).get(lang) or source_word(code, lang)


def source_word(word: str, lang: str = "vi") -> str:
    """``word``, an English word of a shipped source, in ``lang`` (PAPI's own Vietnamese names); as given
    when it is not one."""
    from analysis.data.papi import VIETNAMESE  # imported here: analysis.data reads this module's answer scale

    return VIETNAMESE.get(word, word) if lang == "vi" and isinstance(word, str) else word


def value_label(column: str, code: str, lang: str = "vi") -> str:
    """The reader's word for ``code`` as a value of ``column``: ``<column>.<code>`` when the table has
    one (a value read apart from the heading of the same name), else :func:`label`.

    >>> value_label("measure", "dissatisfied", "vi"), value_label("kind", "bigram", "en")
    ('Không hài lòng (mức 1–2)', 'Two-word phrase')
    """
    key = f"{column}.{code}"
    return label(key, lang) if key in LABELS else label(code, lang)


def short_label(code: str, lang: str = "vi", width: int = 38) -> str:
    """:func:`label` cut at a word to at most ``width`` characters and ``…`` (a criterion's question on a
    figure's axis; the tables beside it give the whole wording).

    >>> short_label("staff", "vi"), short_label("a long question about the service", "en", 20)
    ('Công chức phục vụ', 'a long question…')
    """
    text = label(code, lang)
    if len(text) <= width:
        return text
    cut = text[:width].rsplit(" ", 1)[0] if " " in text[:width] else text[:width - 1]
    return f"{cut.rstrip(' ,;:')}…"


PERIOD_WORDS = {"month": {"vi": "tháng {k}/{year}", "en": "{month} {year}"},
                "quarter": {"vi": "quý {k}/{year}", "en": "Q{k} {year}"},
                "round": {"vi": "đợt {k} năm {year}", "en": "round {k} of {year}"},
                "year": {"vi": "năm {year}", "en": "{year}"}}
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]


def period_kind(period: str) -> str:
    """``"year"``, ``"month"`` (2023-07), ``"quarter"`` (2023-Q3) or ``"round"`` (2023-R1)."""
    text = str(period)
    if len(text) == 4:
        return "year"
    return {"Q": "quarter", "R": "round"}.get(text[5:6], "month")


def period_name(period: str, lang: str = "vi") -> str:
    """A period as a reader says it.

    >>> period_name("2024-06", "vi"), period_name("2024-R1", "en"), period_name("2023-Q3", "vi")
    ('tháng 6/2024', 'round 1 of 2024', 'quý 3/2023')
    """
    text, kind = str(period), period_kind(period)
    k = int(text[5:].lstrip("QR")) if kind != "year" else 0
    month = MONTHS_EN[k - 1] if kind == "month" else ""
    return PERIOD_WORDS[kind][lang].format(k=k, year=text[:4], month=month)


def relabel_columns(table, lang: str = "vi"):
    """Return ``table`` with its column names translated for readers."""
    return table.rename(columns={c: label(c, lang) for c in table.columns})


def relabel_values(table, *columns: str, lang: str = "vi"):
    """Return ``table`` with the codes in ``columns`` replaced by the reader's labels."""
    return table.assign(**{c: table[c].map(lambda code: label(code, lang)) for c in columns})


def format_number(value: float, lang: str = "vi", digits: int = 2) -> str:
    """A number the reader's way: ``12.104,5`` (vi) or ``12,104.5`` (en); minus sign as '−', and no
    negative zero (a value that rounds to zero is ``0,00``).

    >>> format_number(12104.5, "vi", 1), format_number(-1.5, "en"), format_number(-0.001, "vi")
    ('12.104,5', '−1.50', '0,00')
    """
    if float(f"{value:.{digits}f}") == 0:
        value = 0.0
    text = f"{value:,.{digits}f}".replace("-", "−")
    if lang == "vi":
        text = text.translate(str.maketrans(",.", ".,"))
    return text


def format_pct(value: float, lang: str = "vi", digits: int = 2) -> str:
    """A value already in percent the reader's way: ``93,64%`` (vi) or ``93.64%`` (en)."""
    return f"{format_number(value, lang, digits)}%"


def format_chance(probability: float, lang: str = "vi") -> str:
    """A probability in whole percent, never a false certainty: ``12%``, ``< 1%``, ``> 99%``.

    >>> format_chance(0.1239, "vi"), format_chance(0.0004, "vi"), format_chance(0.9999, "en")
    ('12%', '< 1%', '> 99%')
    """
    if probability < 0.005:
        return f"< {format_pct(1, lang, 0)}"
    if probability > 0.995:
        return f"> {format_pct(99, lang, 0)}"
    return format_share(probability, lang, 0)


def format_share(share: float, lang: str = "vi", digits: int = 2) -> str:
    """A proportion as a percentage the reader's way (analyses return proportions).

    >>> format_share(0.93644, "vi"), format_share(0.5, "en", 0)
    ('93,64%', '50%')
    """
    return format_pct(100 * share, lang, digits)


def format_points(difference: float, lang: str = "vi", digits: int = 2) -> str:
    """A difference of two proportions in percentage points, the reader's way (no unit).

    >>> format_points(-0.0121, "vi")
    '−1,21'
    """
    return format_number(100 * difference, lang, digits)


def format_p_value(p: float, lang: str = "vi") -> str:
    """A p-value to three decimals, ``< 0,001`` below that (tables and sentences alike).

    >>> format_p_value(0.3164, "vi"), format_p_value(0.00002, "en")
    ('0,316', '< 0.001')
    """
    return f"< {format_number(0.001, lang, 3)}" if p < 0.001 else format_number(p, lang, 3)
