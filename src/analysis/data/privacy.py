"""Personal data: which columns are personal, and scrubbing of free text.

Names, phone numbers, e-mails and ID numbers never reach a report: personal
columns are dropped at load and free text is scrubbed before it is stored.
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
    """Replace e-mails, phone numbers and ID numbers in ``text`` with a mask.

    >>> scrub("Gọi 0912 345 678 hoặc a.b@x.vn")
    'Gọi [đã ẩn] hoặc [đã ẩn]'
    """
    for pattern in (EMAIL, PHONE, ID_NUMBER):
        text = pattern.sub(MASK, text)
    return text


def find_personal_data(text: str) -> list[str]:
    """Return the phone, e-mail and ID-number patterns found in ``text``."""
    return [m.group(0) for p in (EMAIL, PHONE, ID_NUMBER) for m in p.finditer(text)]
