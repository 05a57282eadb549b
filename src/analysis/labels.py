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
    "target": {"vi": "Mục tiêu", "en": "Target"},
    "suppressed": {"vi": "(ẩn: nhóm nhỏ)", "en": "(suppressed: small group)"},
    "vertical": {"vi": "Cơ quan ngành dọc", "en": "Vertical (central) agency"},
    "measure": {"vi": "Chỉ tiêu", "en": "Measure"},
    "value": {"vi": "Giá trị", "en": "Value"},
    "se": {"vi": "Sai số chuẩn", "en": "Standard error"},
    "answered": {"vi": "Số câu đã trả lời", "en": "Answered"},
    # section headings
    "overview.title": {"vi": "Tổng quan dữ liệu khảo sát", "en": "Overview of the survey data"},
    "overview.shape": {"vi": "Quy mô dữ liệu", "en": "Size of the data"},
    "overview.by_block": {"vi": "Số phiếu theo khối cơ quan và năm", "en": "Respondents by block and year"},
    "overview.by_channel": {"vi": "Số phiếu theo hình thức khảo sát và năm",
                            "en": "Respondents by channel and year"},
    "overview.completeness": {"vi": "Mức độ trả lời đầy đủ theo tiêu chí", "en": "Completeness by criterion"},
    "overview.index": {"vi": "Chỉ số hài lòng toàn tỉnh theo năm", "en": "Province-wide satisfaction index by year"},
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
}

# The five-point answer scale, best to worst, as printed on Vietnamese forms.
ANSWER_LABELS: dict[int, dict[str, str]] = {
    5: {"vi": "Rất hài lòng", "en": "Very satisfied"},
    4: {"vi": "Hài lòng", "en": "Satisfied"},
    3: {"vi": "Bình thường", "en": "Neutral"},
    2: {"vi": "Không hài lòng", "en": "Dissatisfied"},
    1: {"vi": "Rất không hài lòng", "en": "Very dissatisfied"},
}


def label(code: str, lang: str = "vi") -> str:
    """Return the reader's label for ``code``; unknown codes come back as given.

    >>> label("staff", "vi")
    'Công chức phục vụ'
    """
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {lang!r}")
    return LABELS.get(code, {}).get(lang, code)


def relabel_columns(table, lang: str = "vi"):
    """Return ``table`` with its column names translated for readers."""
    return table.rename(columns={c: label(c, lang) for c in table.columns})


def format_pct(value: float, lang: str = "vi", digits: int = 2) -> str:
    """Format a percentage the reader's way: ``93,64%`` (vi) or ``93.64%`` (en)."""
    text = f"{value:.{digits}f}"
    if lang == "vi":
        text = text.replace(".", ",")
    return f"{text}%"
