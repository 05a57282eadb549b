"""analysis.data.privacy: which headers are personal, and scrubbing of free text."""

from __future__ import annotations

import pytest

from analysis.data.privacy import (
    MASK,
    find_personal_data,
    fold,
    is_personal_header,
    scrub,
)


def test_fold_strips_diacritics_and_case():
    assert fold("Số Điện Thoại") == "so dien thoai"
    assert fold("  HỌ VÀ   TÊN ") == "ho va ten"
    assert fold("Số CCCD/CMND") == "so cccd/cmnd"


@pytest.mark.parametrize("header", [
    # Vietnamese, with and without diacritics, any case
    "Họ và tên", "Ho va ten", "HỌ VÀ TÊN", "Họ tên", "Ho ten", "Họ tên người trả lời",
    "Tên người nộp hồ sơ", "Người trả lời",
    "Số điện thoại", "So dien thoai", "Điện thoại liên hệ", "SĐT", "SDT", "Số ĐT",
    "Email", "E-mail", "Địa chỉ email", "Thư điện tử",
    "Số CCCD", "So CCCD", "CMND", "Số CMND/CCCD", "Căn cước công dân", "Số chứng minh nhân dân",
    "Số định danh cá nhân", "Địa chỉ", "Dia chi thuong tru",
    # English
    "Name", "Full name", "Respondent name", "Phone", "Phone number", "Mobile", "E-mail address",
    "ID number", "Passport",
])
def test_personal_headers(header):
    assert is_personal_header(header)


@pytest.mark.parametrize("header", [
    "Mã cơ quan", "Ma co quan", "Cơ quan", "Đối tượng", "Doi tuong", "Tên thủ tục", "Ten thu tuc",
    "Tên cơ quan", "Tên đơn vị", "Số phiếu", "Năm khảo sát", "Kỳ khảo sát", "Hình thức khảo sát",
    "Trọng số", "Tầng mẫu", "Ý kiến đóng góp", "Giới tính", "Độ tuổi", "Nghề nghiệp",
    "Lĩnh vực", "Mã hồ sơ", "6. Mức độ hài lòng chung",
    "3.2. Công chức hướng dẫn tận tình, dễ hiểu", "1.2. Nơi tiếp nhận hồ sơ thuận tiện, dễ tiếp cận",
    "Channel", "Weight", "Respondent group",
])
def test_ordinary_headers_are_not_personal(header):
    assert not is_personal_header(header)


@pytest.mark.parametrize("text, found", [
    ("Gọi tôi: 0912 345 678", "0912 345 678"),
    ("Gọi tôi: 0912.345.678", "0912.345.678"),
    ("Gọi tôi: 0912-345-678", "0912-345-678"),
    ("Gọi tôi: +84 912 345 678", "+84 912 345 678"),
    ("Gọi tôi: +84912345678", "+84912345678"),
    ("SĐT 0987654321.", "0987654321"),
    ("máy bàn 024 3825 1234", "024 3825 1234"),
    ("Email: nguyen.van.a@gmail.com", "nguyen.van.a@gmail.com"),
    ("gửi hotro@dichvucong.gov.vn giúp", "hotro@dichvucong.gov.vn"),
    ("CCCD 001203004567 đã nộp", "001203004567"),
    ("CMND: 123456789", "123456789"),
])
def test_scrub_masks_phones_emails_and_ids(text, found):
    assert found in find_personal_data(text)
    scrubbed = scrub(text)
    assert found not in scrubbed
    assert MASK in scrubbed
    assert find_personal_data(scrubbed) == []
    assert scrub(scrubbed) == scrubbed


def test_scrub_keeps_the_rest_of_the_sentence():
    text = "Liên hệ 0912 345 678 hoặc a.b@x.vn, CCCD 001203004567, cảm ơn."
    assert scrub(text) == f"Liên hệ {MASK} hoặc {MASK}, CCCD {MASK}, cảm ơn."


@pytest.mark.parametrize("text", [
    "Năm 2023 thủ tục nhanh hơn năm 2022.",
    "Phải chờ 15 ngày mới có kết quả.",
    "Tôi đi lại 3 lần.",
    "Lệ phí 500.000 đồng, quá cao.",
    "Hẹn ngày 15/7/2023 nhưng 20/07/2023 mới trả.",
    "Nộp hồ sơ lúc 8:30, mất 2 giờ 45 phút.",
    "Điểm 4,5/5; 84% người hài lòng.",
    "Hồ sơ số 2023-07-15, mục 1.2.3.",
    "",
])
def test_scrub_leaves_ordinary_numbers_alone(text):
    assert find_personal_data(text) == []
    assert scrub(text) == text


@pytest.mark.parametrize("text, masked", [
    ("Chị Nguyễn Thị Lan (ĐT 0912345678) hướng dẫn rất tận tình",
     f"Chị {MASK} (ĐT {MASK}) hướng dẫn rất tận tình"),
    ("Cảm ơn anh Tuấn ở bộ phận một cửa", f"Cảm ơn anh {MASK} ở bộ phận một cửa"),
    ("Em Trần Văn Bình giải thích rõ", f"Em {MASK} giải thích rõ"),
    ("cô Hoa, chú Ba và bà Năm đều tận tình", f"cô {MASK}, chú {MASK} và bà {MASK} đều tận tình"),
    ("Đồng chí Lê Minh làm nhanh", f"Đồng chí {MASK} làm nhanh"),
    ("Giao dịch viên Phạm Thu Hà rất chu đáo", f"Giao dịch viên {MASK} rất chu đáo"),
    ("cô Lan Anh rất nhiệt tình", f"cô {MASK} rất nhiệt tình"),  # a form of address inside the name
    ("Chị NGUYỄN THỊ LAN hướng dẫn", f"Chị {MASK} hướng dẫn"),  # a name in capitals
    ("Bác sĩ Nguyễn Văn Nam khám kỹ", f"Bác sĩ {MASK} khám kỹ"),
    ("chị Hà UBND xã tiếp dân", f"chị {MASK} UBND xã tiếp dân"),
])
def test_names_after_a_form_of_address_are_masked(text, masked):
    assert scrub(text) == masked
    assert find_personal_data(text), "the scanner finds the name too"


@pytest.mark.parametrize("text", [
    "Cô ấy rất nhiệt tình", "bà con phản ánh thủ tục chậm", "Tỉnh Bà Rịa - Vũng Tàu", "huyện đảo Cô Tô",
    "cán bộ Kho bạc nhiệt tình", "công chức Hải quan hướng dẫn tốt", "Ông Chủ tịch UBND tiếp dân",
    "Anh Chị cần bổ sung giấy tờ", "anh chị em công chức phục vụ tốt", "Đề nghị cán bộ UBND xã trả lời",
    "anh UBND xã",
])
def test_words_after_a_form_of_address_that_are_not_names_stay(text):
    assert scrub(text) == text
    assert find_personal_data(text) == []
