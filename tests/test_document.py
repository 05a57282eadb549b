"""The report as a document (analysis.pipeline.document): numbers, ids, captions, contents, files and the
print style, on a small page shaped as nbconvert writes the report; and its PDF, A4 with page numbers."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess

import pytest
from bs4 import BeautifulSoup

from analysis.pipeline import browser, document
from analysis.reporting.labels import label

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAAB"
                       "JRU5ErkJggg==")  # one pixel


def cell(*outputs: str) -> str:
    """A code cell as nbconvert renders it, each output in its own area."""
    shown = "".join(f'<div class="jp-OutputArea-child"><div class="jp-RenderedHTMLCommon jp-RenderedMarkdown '
                    f'jp-OutputArea-output">{output}</div></div>' for output in outputs)
    return f'<div class="jp-Cell jp-CodeCell"><div class="jp-OutputArea">{shown}</div></div>'


def heading(level: int, text: str) -> str:
    return f'<h{level} id="{text.replace(" ", "-")}">{text}<a class="anchor-link" href="#x">¶</a></h{level}>'


def table(name: str, rows: int = 2) -> str:
    body = "".join(f'<tr><td class="data">Sở Nội vụ</td><td class="data">{85 + k},71</td></tr>' for k in range(rows))
    return (f'<table id="T_{name}"><thead><tr><th class="col_heading">Cơ quan</th><th class="col_heading">Tỷ lệ (%)'
            f"</th></tr></thead><tbody>{body}</tbody></table>")


def image(alt: str) -> str:
    return f'<img alt="{alt}" src="data:image/png;base64,{base64.b64encode(PNG).decode()}"/>'


REPORT = "".join([
    '<html lang="vi"><head><title>Khảo sát — 2023</title></head><body class="jp-Notebook"><main>',
    cell(heading(1, "Khảo sát mức độ hài lòng, tỉnh Sông Lam, năm 2023")),
    cell('<section class="brief"><h2>Bản tóm tắt một trang</h2><h3>Xu hướng</h3><p>…</p></section>'),
    cell(heading(2, "Tóm tắt cho lãnh đạo"), "<ul><li>Năm 2023 …</li></ul>"),
    cell(heading(1, "Mức độ hài lòng")),
    cell(heading(2, "Chỉ số hài lòng theo năm"), "<p>Năm 2023 …</p>", table("index_by_year"), image("Chỉ số hài lòng")),
    cell(heading(2, "Các thành phần"), table("components", 30)),
    cell('<section class="scorecard"><h3 id="scorecard-SNV">Sở Nội vụ</h3><table><tbody><tr><td>Tiếp cận dịch vụ'
         "</td><td>86,36%</td></tr></tbody></table></section>"),  # a card's own table: not a saved one
    cell(heading(1, "Phụ lục: phương pháp"), heading(2, "Quy tắc kết luận")),
    "</main></body></html>"])


@pytest.fixture
def folder(tmp_path):
    """A report folder with the figure and the CSV of the page's first table."""
    (tmp_path / "figures").mkdir()
    (tmp_path / "tables").mkdir()
    (tmp_path / "figures" / "index_by_year.png").write_bytes(PNG)
    (tmp_path / "tables" / "index_by_year.csv").write_text("year,estimate\n2023,0.8571\n", encoding="utf-8")
    return tmp_path


def arranged(folder, lang: str = "vi", pdf: bool = True, html: str = REPORT) -> BeautifulSoup:
    page = BeautifulSoup(html, "html.parser")
    document.arrange(page, folder, lang, pdf=pdf)
    return page


def texts(page: BeautifulSoup, selector: str) -> list[str]:
    return [document.text_of(tag) for tag in page.select(selector)]


def test_sections_and_subsections_are_numbered_and_appendices_lettered(folder):
    page = arranged(folder)
    assert texts(page, "h1, h2") == ["Khảo sát mức độ hài lòng, tỉnh Sông Lam, năm 2023", "Bản tóm tắt một trang",
                                     "1. Tóm tắt cho lãnh đạo", "2. Mức độ hài lòng", "2.1 Chỉ số hài lòng theo năm",
                                     "2.2 Các thành phần", "Phụ lục A. Phương pháp", "A.1 Quy tắc kết luận"]
    assert texts(page, "section.brief h3") == ["Xu hướng"]  # the brief's own headings are not numbered
    english = arranged(folder, "en", html=REPORT.replace("Phụ lục: phương pháp", "Appendix: methods"))
    assert "Appendix A. Methods" in texts(english, "h1")


def test_every_heading_has_a_stable_ascii_id_and_every_contents_link_resolves(folder):
    page = arranged(folder)
    ids = [tag["id"] for tag in page.find_all(["h1", "h2", "h3"])]
    assert ids[:4] == ["khao-sat-muc-do-hai-long-tinh-song-lam-nam-2023", "ban-tom-tat-mot-trang", "xu-huong",
                       "tom-tat-cho-lanh-dao"]
    assert "scorecard-SNV" in ids  # the id a section gave its own HTML is kept: other pages link to it
    assert all(re.fullmatch(r"[a-z0-9-]+", i) for i in ids if i != "scorecard-SNV") and len(set(ids)) == len(ids)
    assert str(arranged(folder)) == str(page)  # the same page gives the same ids, numbers and captions
    links = [a["href"] for a in page.select("nav.report-toc a")]
    assert links and all(page.find(id=link.removeprefix("#")) is not None for link in links)
    assert [a.get_text() for a in page.select("nav.report-toc a")] == [
        "Bản tóm tắt một trang", "1. Tóm tắt cho lãnh đạo", "2. Mức độ hài lòng", "2.1 Chỉ số hài lòng theo năm",
        "2.2 Các thành phần", "Phụ lục A. Phương pháp", "A.1 Quy tắc kết luận", "Hình 1. Chỉ số hài lòng theo năm"]
    anchors = page.select("h2 a.anchor-link")
    assert all(a["href"] == f"#{a.parent['id']}" for a in anchors)


def test_a_figure_is_numbered_and_captioned_with_its_source_and_its_data(folder):
    page = arranged(folder)
    figure = page.select_one("figure.report-figure")
    assert figure["id"] == "figure-index-by-year" and figure.img is not None
    caption = document.text_of(figure.figcaption)
    assert caption == ("Hình 1. Chỉ số hài lòng theo năm. Nguồn: Khảo sát mức độ hài lòng, tỉnh Sông Lam, năm 2023, "
                       "tính từ dữ liệu gốc. Số liệu: Bảng 1 · tables/index_by_year.csv")
    assert [a["href"] for a in figure.figcaption.find_all("a")] == ["#T_index_by_year", "tables/index_by_year.csv"]


def test_a_figure_title_adds_the_figures_own_words_to_its_heading():
    assert document.figure_title("Chỉ số hài lòng theo năm", "Chỉ số hài lòng") == "Chỉ số hài lòng theo năm"
    assert document.figure_title("Kết luận: xu hướng có bị gãy không?", "Tìm điểm gãy (Bai–Perron)") == (
        "Kết luận: xu hướng có bị gãy không? — Tìm điểm gãy (Bai–Perron)")
    assert document.figure_title("", "Thành phần") == "Thành phần"


def test_tables_are_numbered_linked_to_their_csv_and_their_words_aligned_left(folder):
    page = arranged(folder)
    captions = texts(page, "table caption")
    assert captions == ["Bảng 1. Chỉ số hài lòng theo năm · Số liệu: tables/index_by_year.csv",
                        "Bảng 2. Các thành phần"]  # no CSV saved for the second: no link; the card's: none
    assert [td.get_text() for td in page.select("td.text")] == ["Sở Nội vụ"] * 32 + ["Tiếp cận dịch vụ"]
    assert [th.get_text() for th in page.select("th.text")] == ["Cơ quan", "Cơ quan"]
    long = page.find("table", id="T_components").find_parent(class_="jp-OutputArea-child")
    assert "may-break" in long["class"]  # 30 rows: may break across pages; the short one is kept whole


def test_the_files_block_follows_the_brief_with_relative_links(folder):
    page = arranged(folder)
    block = page.select_one("nav.report-files")
    assert block.find_previous(class_="jp-Cell").select_one("section.brief") is not None
    assert [a["href"] for a in block.find_all("a")] == ["tables.xlsx", "tables/", "brief.pdf", "report.pdf",
                                                        "manifest.json", "#contents"]
    without = arranged(folder, pdf=False).select_one("nav.report-files")
    assert "report.pdf" not in str(without) and browser.pdf_hint("vi") in without.get_text()
    assert "apt-get install chromium" in browser.pdf_hint("en")


def test_the_print_style_is_a4_with_the_title_and_page_numbers_in_the_footer(folder):
    css = arranged(folder).head.find_all("style")[-1].string
    assert "size:A4" in css and 'counter(page) " / " counter(pages)' in css
    assert '"Khảo sát mức độ hài lòng, tỉnh Sông Lam, năm 2023"' in css and f'"{label("document.page")} "' in css
    assert ".report-toc,.report-files,a.anchor-link{display:none}" in css  # hidden on paper
    assert document.style('a "quoted" <b>', "vi").count('"a \\22 quoted\\22  \\3c b\\3e "') == 1


def test_a_page_without_sections_gets_the_print_style_only(folder):
    """The brief alone (brief.html): no contents, no files block, no numbers; still A4 with its footer."""
    brief = ('<html><head><title>T</title></head><body><section class="brief"><h2>Bản tóm tắt</h2></section>'
             "</body></html>")
    page = arranged(folder, html=brief)
    assert page.select("nav") == [] and texts(page, "h2") == ["Bản tóm tắt"]
    assert "size:A4" in page.head.style.string


needs_pdf_tools = pytest.mark.skipif(browser.chromium() is None or shutil.which("pdfinfo") is None,
                                     reason="Chromium or poppler-utils (pdfinfo, pdftotext) is not installed")


@needs_pdf_tools
def test_the_printed_page_is_a4_with_page_numbers_and_the_title_in_the_footer(folder):
    long = REPORT.replace('table("components", 30)', "").replace("</main>", "<p>…</p>" * 120 + "</main>")
    html = folder / "index.html"
    html.write_text(str(arranged(folder, html=long)), encoding="utf-8")
    assert browser.print_pdf(html, folder / "report.pdf")
    info = subprocess.run(["pdfinfo", str(folder / "report.pdf")], capture_output=True, text=True).stdout
    assert "(A4)" in info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 3
    text = subprocess.run(["pdftotext", "-layout", str(folder / "report.pdf"), "-"], capture_output=True,
                          text=True).stdout
    for k in range(1, pages + 1):
        assert re.search(rf"Khảo sát mức độ hài lòng, tỉnh Sông Lam, năm 2023\s+Trang {k} / {pages}", text), k
    assert "Mục lục" not in text  # the contents panel is for the screen
