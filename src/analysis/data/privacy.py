"""Personal data: which columns are personal, and scrubbing of free text.

Names, phone numbers, e-mails and ID numbers never reach a report: personal
columns are dropped at load and free text is scrubbed before it is stored.
In free text a name is recognised by the Vietnamese form of address or title
before it ("chị Nguyễn Thị Lan", "anh Tuấn", "cán bộ Hoa"): the capitalised
syllables after the form of address are masked, the form of address stays.
"""

from __future__ import annotations

import re
import unicodedata

# Header words that mark a personal column (matched on the folded header).
PERSONAL_HEADER_WORDS = (
    "ho va ten", "ho ten", "ten nguoi", "nguoi tra loi", "dien thoai", "sdt",
    "so dt", "email", "e-mail", "thu dien tu", "cccd", "cmnd", "can cuoc",
    "chung minh", "so dinh danh", "dia chi", "name", "phone", "mobile",
    "id number", "passport",
)

# A leading 0 (or +84 / 84) then a non-zero digit: decimals such as 0.8878321057 are not phones.
PHONE = re.compile(r"(?<![\d.,])(?:\+84[\s.\-]?|84|0)[1-9](?:[\s.\-]?\d){7,9}(?!\d)")
EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
ID_NUMBER = re.compile(r"(?<![\d.,])(?:\d{12}|\d{9})(?![\d]|[.,]\d)")
MASK = "[đã ẩn]"
# Forms of address and titles that come before a person's name in Vietnamese.
ADDRESS_WORDS = ("anh", "chị", "ông", "bà", "cô", "chú", "bác", "em", "bạn", "cậu", "dì", "thím", "đồng chí",
                 "đ/c", "cán bộ", "công chức", "chuyên viên", "kế toán", "giao dịch viên", "bác sĩ", "thầy",
                 "thầy giáo", "cô giáo", "luật sư", "kiểm soát viên")
# What may follow a form of address capitalised without being a name: places ("Bà Rịa", "Cô Tô"),
# titles ("Ông Chủ tịch") and agencies ("cán bộ Kho bạc", "công chức Hải quan").
NOT_NAMES = ("Rịa", "Tô", "Chiểu", "Đen", "Chủ tịch", "Giám đốc", "Phó", "Trưởng", "Bí thư", "Tổng", "Kho bạc",
             "Hải quan", "Thuế", "Sở", "Phòng", "Ủy ban", "Bộ", "Trung tâm", "Cục", "Chi cục", "Công an",
             "Ngân hàng", "Bảo hiểm", "Văn phòng", "Bộ phận", "Một cửa", "UBND", "HĐND")
_WORD = re.compile(r"[^\W\d_]+")
_LONGEST_FIRST = sorted(ADDRESS_WORDS, key=len, reverse=True)  # "bác sĩ" before "bác"
NAME = re.compile(rf"(?<![^\W\d_])((?i:{'|'.join(map(re.escape, _LONGEST_FIRST))}))\s+(?=[^\W\d_])")


def is_name_word(word: str, first: bool) -> bool:
    """A syllable that may be part of a name: capitalised; the first not itself a form of address
    ("Anh Chị ..."), a later one may be ("Lan Anh")."""
    return word[0].isupper() and not (first and word.lower() in ADDRESS_WORDS)


def name_length(words: list[str]) -> int:
    """How many of the capitalised ``words`` after a form of address are a name: written in capitals, a
    name has at least two syllables (one capitalised word such as "UBND" is an acronym)."""
    if not words[0].isupper() or len(words[0]) == 1:
        return next((i for i, w in enumerate(words) if w.isupper() and len(w) > 1), len(words))
    capitals = next((i for i, w in enumerate(words) if not w.isupper()), len(words))
    return capitals if capitals >= 2 else 0


def name_spans(text: str) -> list[tuple[int, int]]:
    """Where names stand in ``text``: up to four capitalised syllables right after a form of address."""
    spans = []
    for match in NAME.finditer(text):
        if text.startswith(NOT_NAMES, match.end()):
            continue
        end, words, stops = match.end(), list[str](), list[int]()
        while len(words) < 4:
            word = _WORD.match(text, end)
            if word is None or not is_name_word(word.group(0), not words):
                break
            words.append(word.group(0))
            stops.append(word.end())
            gap = re.match(r"[ \t]+", text[word.end():])
            if gap is None:
                break
            end = word.end() + len(gap.group(0))
        length = name_length(words) if words else 0
        if length:
            spans.append((match.end(), stops[length - 1]))
    return spans


def names_in(text: str) -> list[str]:
    """The names :func:`scrub` masks in ``text``."""
    return [text[a:b] for a, b in name_spans(text)]


def mask_names(text: str) -> str:
    """``text`` with each name after a form of address replaced by the mask (the form of address stays)."""
    for a, b in reversed(name_spans(text)):
        text = text[:a] + MASK + text[b:]
    return text


def fold(text: str) -> str:
    """Lower-case ``text`` and strip Vietnamese diacritics (đ -> d), for matching.

    >>> fold("Số Điện Thoại")
    'so dien thoai'
    """
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return " ".join(text.lower().split())


def is_personal_header(header: str) -> bool:
    """True when a column header names personal data (name, phone, e-mail, ID)."""
    folded = fold(header)
    return any(re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", folded) for w in PERSONAL_HEADER_WORDS)


def scrub(text: str) -> str:
    """Replace e-mails, phone numbers, ID numbers and names after a form of address with a mask.

    >>> scrub("Gọi 0912 345 678 hoặc a.b@x.vn")
    'Gọi [đã ẩn] hoặc [đã ẩn]'
    >>> scrub("Chị Nguyễn Thị Lan hướng dẫn tận tình, bà con hài lòng")
    'Chị [đã ẩn] hướng dẫn tận tình, bà con hài lòng'
    """
    for pattern in (EMAIL, PHONE, ID_NUMBER):
        text = pattern.sub(MASK, text)
    return mask_names(text)


def find_personal_data(text: str) -> list[str]:
    """Return the phone, e-mail, ID-number and name patterns found in ``text``."""
    return [m.group(0) for p in (EMAIL, PHONE, ID_NUMBER) for m in p.finditer(text)] + names_in(text)
