"""What a reader of the Vietnamese report sees is true and in the reader's words (issue 13, "Done when").

The default report, a block report and a unit report are built once for the module; each page is read as
a reader reads it (its sentences and its displayed tables, from the HTML) and held to: no share outside
0-100%, no code in the Vietnamese text (criteria, components, channels, answer values, kinds of terms,
PAPI's English names), counts as whole numbers, no negative zero, one minus sign in tables, p-values
below 0.001 as "< 0,001", the page's ``lang`` the report's, and an alt text for every figure. Each rule is
a function of the page returning what it found wrong; checks across sections go in
:func:`agreement_problems`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from analysis.data.load import load_survey
from analysis.data.papi import papi_measures
from analysis.pipeline.report import DEFAULT_SURVEY, ReportParameters, run_report
from analysis.reporting.labels import label

SCOPES = {"default": "province", "block": "UBND cấp huyện", "unit": "SNV"}
NUMBER = r"[−-]?\d[\d.]*(?:,\d+)?"  # a number written the Vietnamese way: 12.104,5, −0,62
# Columns of counts (their codes; the page shows their Vietnamese headings)
COUNTS = ("n", "n_min", "n_answers", "answered", "count", "comments", "others_n", "clusters", "years",
          "years_used", "respondents", "df_num", "df_den", "levels")
# Bounds of a share whose heading says so only through the share it bounds (the "(%)" of another column)
SHARE_BOUNDS = ("pi_low", "pi_high", "satisfied_low", "satisfied_high", "dissatisfied_low", "dissatisfied_high",
                "importance_low", "importance_high", "performance_low", "performance_high")
QUOTED = ("text", "phrase")  # columns of the respondents' own words, which may hold any word
ANSWER_CODES = ("satisfied", "dissatisfied", "word", "bigram")


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]

    def columns(self) -> list[tuple[str, list[str]]]:
        """Each column's heading and cells."""
        return [(heading, [row[k] for row in self.rows if k < len(row)]) for k, heading in enumerate(self.headers)]


@dataclass(frozen=True)
class Page:
    """A report page as its reader sees it: the text outside tables, the displayed tables, the HTML."""

    name: str
    soup: BeautifulSoup
    sentences: str
    tables: list[Table]

    def cells(self, skip: tuple[str, ...] = ()) -> list[str]:
        """Every table cell, those under the headings of the codes ``skip`` left out."""
        left_out = {label(code, "vi") for code in skip}
        return [cell for heading, cells in self.columns() if heading not in left_out for cell in cells]

    def columns(self, headings: set[str] | None = None) -> list[tuple[str, list[str]]]:
        """The columns of every table (those with one of ``headings``, when given)."""
        return [(heading, cells) for table in self.tables for heading, cells in table.columns()
                if headings is None or heading in headings]


def parse_page(name: str, html: str) -> Page:
    """A page from its HTML: the tables' headings and cells, the rest of its visible text."""
    soup = BeautifulSoup(html, "html.parser")
    body = BeautifulSoup(html, "html.parser")
    for hidden in body(["style", "script"]):
        hidden.decompose()
    tables = []
    for table in body.find_all("table"):
        headers = [cell.get_text(" ", strip=True) for cell in table.select("thead th")]
        rows = [[cell.get_text(" ", strip=True) for cell in row.find_all(["td", "th"])]
                for row in table.select("tbody tr")]
        tables.append(Table(headers, rows))
        table.decompose()
    return Page(name, soup, body.get_text("\n", strip=True), tables)


def number(text: str) -> float:
    """A number written the Vietnamese way (``1.234,5``, ``−0,62``) as a float."""
    return float(text.replace("−", "-").replace(".", "").replace(",", "."))


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Page]:
    """The default, a block and a unit report (Vietnamese), built once for the module."""
    root = tmp_path_factory.mktemp("reads_true")
    return {name: parse_page(name, run_report(ReportParameters(scope=scope), root).read_text(encoding="utf-8"))
            for name, scope in SCOPES.items()}


@pytest.fixture(scope="module")
def codes() -> list[str]:
    """The codes a Vietnamese page must not show: the survey's criteria, components, channels and groups,
    the answer values and kinds of terms, and PAPI's dimensions by their English names."""
    survey = load_survey(DEFAULT_SURVEY)
    answers = survey.responses
    own = {*answers["item"].unique(), *survey.components, *answers["channel"].unique(), *answers["group"].unique()}
    english = papi_measures(Path(DEFAULT_SURVEY).parent / survey.papi).query("measure == dimension")["name"]
    return sorted({*own, *ANSWER_CODES, *english, "Source"})


# --------------------------------------------------------------------------- the rules, one per function


def shares_out_of_bounds(page: Page) -> list[str]:
    """Shares outside 0-100%: a number written before "%" in the text, and the cells of columns in percent
    (a heading with "(%", or the bound of such a share)."""
    written = [m for m in re.findall(rf"({NUMBER})\s*%", page.sentences) if not 0 <= number(m) <= 100]
    bounds = {label(code, "vi") for code in SHARE_BOUNDS}
    cells = [cell for heading, cells in page.columns() if "(%" in heading or heading in bounds for cell in cells
             if re.fullmatch(NUMBER, cell) and not 0 <= number(cell) <= 100]
    return [f"{m}% in the text" for m in written] + [f"{cell} in a column in percent" for cell in cells]


def codes_in_text(page: Page, codes: list[str]) -> list[str]:
    """Codes (``access.1``, ``staff``, ``satisfied``, ``bigram``, ``Participation``, ...) in the text or the
    tables, the respondents' own words (comments, frequent phrases) apart."""
    text = "\n".join([page.sentences, *page.cells(skip=QUOTED)])
    return [code for code in codes if re.search(rf"(?<![\w.]){re.escape(code)}(?![\w])", text)]


def counts_with_decimals(page: Page) -> list[str]:
    """Cells of count columns that are not whole numbers with thousands separators (``1.141,00``, ``12104``)."""
    return [f"{heading}: {cell}" for heading, cells in page.columns({label(code, "vi") for code in COUNTS})
            for cell in cells if cell and not re.fullmatch(r"\d{1,3}(?:\.\d{3})*", cell)]


def negative_zeros(page: Page) -> list[str]:
    """Numbers written with a minus sign that are zero (``−0,00``, ``-0``), in the text or the tables."""
    text = "\n".join([page.sentences, *page.cells(skip=QUOTED)])
    return [m for m in re.findall(rf"(?<![\w.,]){NUMBER}", text) if m[0] in "−-" and number(m) == 0]


def hyphens_as_minus(page: Page) -> list[str]:
    """Table cells whose number carries an ASCII hyphen-minus ("-0,62") where the text writes "−"."""
    return [cell for cell in page.cells(skip=QUOTED) if re.fullmatch(r"-\d[\d.,]*", cell)]


def p_values_as_zero(page: Page) -> list[str]:
    """p-values written as 0,000 in a table where the text says "< 0,001"."""
    return [cell for _, cells in page.columns({label("p_value", "vi"), label("chow_p", "vi")}) for cell in cells
            if re.fullmatch(r"0,0+", cell)]


def page_language(page: Page) -> list[str]:
    """The page's ``lang`` attribute when it is not the report's language (vi)."""
    lang = page.soup.html.get("lang") if page.soup.html else None
    return [] if lang == "vi" else [f'lang="{lang}"']


def figures_without_description(page: Page) -> list[str]:
    """Figures whose alt text is missing, empty or nbconvert's "No description has been provided"."""
    alts = [image.get("alt", "") for image in page.soup.find_all("img")]
    return [alt or "(empty)" for alt in alts if not alt.strip() or alt.startswith("No description")]


def outside_the_brief(page: Page) -> str:
    """The page's text and table cells without the one-page brief."""
    rest = BeautifulSoup(str(page.soup), "html.parser")
    for hidden in [*rest(["style", "script"]), *rest.select("section.brief")]:
        hidden.decompose()
    return rest.get_text(" ", strip=True)


def brief_numbers_not_in_sections(page: Page) -> list[str]:
    """Every number with decimals the brief shows must be a number of a section (the brief computes none)."""
    brief = page.soup.select_one("section.brief")
    if brief is None:
        return ["the page has no brief"]
    rest = outside_the_brief(page)
    return [f"brief: {n}" for n in re.findall(r"\d[\d.]*,\d+", brief.get_text(" ", strip=True)) if n not in rest]


def two_verdicts(page: Page) -> list[str]:
    """One question, one answer: the trend's stability against the breaks' reading (the survey's own, not
    PAPI's), each policy's verdict in the brief against the sections', what to act on, the reviewed change."""
    found = []
    survey_part = page.sentences.split(label("trends.papi", "vi"))[0]
    readings = [cell for table in page.tables if label("label", "vi") in table.headers
                and label("measure", "vi") not in table.headers
                for heading, cells in table.columns() if heading == label("label", "vi") for cell in cells]
    real = re.findall(r"(?<!không phải )thay đổi thực", survey_part) + [c for c in readings if c == "thay đổi thực"]
    if "Chưa đủ bằng chứng xu hướng tuyến tính bị gãy" in survey_part and real:
        found.append(f"the trend is stable, yet {len(real)} break(s) read 'thay đổi thực'")
    if "Xu hướng tuyến tính không ổn định" in survey_part and any(c.startswith("chưa xác nhận") for c in readings):
        found.append("the trend is unstable, yet its breaks read 'chưa xác nhận'")
    brief = page.soup.select_one("section.brief")
    brief_text = brief.get_text("\n", strip=True) if brief is not None else ""
    rest = outside_the_brief(page)
    for name, verdict in re.findall(r"^(.+?): (có tác động|chưa có bằng chứng tác động)", brief_text, re.M):
        sections = set(re.findall(rf"Sau {re.escape(name)},[^\n]*?Kết luận: (chính sách có tác động|chưa có bằng "
                                  rf"chứng chính sách có tác động)", rest))
        said = {"có tác động" if s == "chính sách có tác động" else "chưa có bằng chứng tác động" for s in sections}
        if said != {verdict}:
            found.append(f"{name}: the brief says {verdict!r}, the sections {sorted(said)}")
    if "Cần ưu tiên cải thiện (" in page.sentences and "Chưa yếu tố nào cần ưu tiên" in page.sentences:
        found.append("a driver is both to act on and within error")
    compared = re.search(r"So với (năm \d{4})\n[+−]?[\d,]+ điểm\n(lớn hơn sai số chọn mẫu|trong phạm vi sai số "
                         r"chọn mẫu)", brief_text)
    if compared:
        summary = re.search(rf"So với {compared[1]}, chỉ số năm \d{{4}} [^\n]*?: (thay đổi này lớn hơn sai số chọn mẫu|"
                            rf"chưa vượt quá sai số chọn mẫu)", rest)
        beyond = compared[2] == "lớn hơn sai số chọn mẫu"
        if summary is None or beyond != summary[1].startswith("thay đổi này lớn hơn"):
            found.append(f"the change since {compared[1]}: the brief says {compared[2]!r}, the summary "
                         f"{summary[1] if summary else 'nothing'!r}")
    return found


def agreement_problems(page: Page) -> list[str]:
    """Checks across sections: a brief number that is no section's, two verdicts for one question. (That every
    sentence of the executive summary is a section's, word for word, is tests/test_summary_matches_sections.py.)"""
    return brief_numbers_not_in_sections(page) + two_verdicts(page)


# --------------------------------------------------------------------------- the tests


@pytest.mark.slow
@pytest.mark.parametrize("name", SCOPES)
def test_no_share_outside_0_to_100_percent(pages, name):
    assert shares_out_of_bounds(pages[name]) == []


@pytest.mark.slow
@pytest.mark.parametrize("name", SCOPES)
def test_no_code_in_the_vietnamese_text(pages, codes, name):
    assert codes_in_text(pages[name], codes) == []


@pytest.mark.slow
@pytest.mark.parametrize("name", SCOPES)
def test_counts_are_whole_numbers_with_thousands_separators(pages, name):
    assert counts_with_decimals(pages[name]) == []


@pytest.mark.slow
@pytest.mark.parametrize("name", SCOPES)
def test_no_negative_zero(pages, name):
    assert negative_zeros(pages[name]) == []


@pytest.mark.slow
@pytest.mark.parametrize("name", SCOPES)
def test_tables_write_the_minus_sign_the_text_writes(pages, name):
    assert hyphens_as_minus(pages[name]) == []


@pytest.mark.slow
@pytest.mark.parametrize("name", SCOPES)
def test_tables_write_small_p_values_as_the_text_does(pages, name):
    assert p_values_as_zero(pages[name]) == []


@pytest.mark.slow
@pytest.mark.parametrize("name", SCOPES)
def test_the_page_is_declared_vietnamese(pages, name):
    assert page_language(pages[name]) == []


@pytest.mark.slow
@pytest.mark.parametrize("name", SCOPES)
def test_every_figure_has_a_description(pages, name):
    assert pages[name].soup.find_all("img"), "the page has no figure"
    assert figures_without_description(pages[name]) == []


@pytest.mark.slow
@pytest.mark.parametrize("name", SCOPES)
def test_the_sections_agree(pages, name):
    assert agreement_problems(pages[name]) == []


# --------------------------------------------------------------------------- the rules catch what they name


WRONG = """<html lang="en"><body>
<p>Năm 2025 chỉ số dự báo đạt 94,51% (khoảng dự báo 95%: 89,09% – 113,72%); chênh lệch −0,00 điểm.</p>
<p>Tiêu chí access.1 và thành phần staff; Nguồn/Source: PAPI.</p>
<table><thead><tr><th>Chỉ tiêu</th><th>Số phiếu</th><th>Dự báo (%)</th><th>Cận trên dự báo 95%</th>
<th>Chênh lệch (điểm %)</th><th>Giá trị p</th><th>Ý kiến (đã ẩn thông tin cá nhân)</th></tr></thead>
<tbody><tr><td>dissatisfied</td><td>1.141,00</td><td>87,74</td><td>100,75</td><td>-1,52</td><td>0,000</td>
<td>Dịch vụ online tốt, word</td></tr></tbody></table>
<img src="data:image/png;base64,AAAA" alt="No description has been provided for this image">
</body></html>"""


def test_each_rule_finds_what_it_names():
    page = parse_page("wrong", WRONG)
    assert shares_out_of_bounds(page) == ["113,72% in the text", "100,75 in a column in percent"]
    assert codes_in_text(page, ["access.1", "staff", "dissatisfied", "online", "word", "Source"]) == [
        "access.1", "staff", "dissatisfied", "Source"]  # the comment's own "online" and "word" apart
    assert counts_with_decimals(page) == ["Số phiếu: 1.141,00"]
    assert negative_zeros(page) == ["−0,00"]
    assert hyphens_as_minus(page) == ["-1,52"]
    assert p_values_as_zero(page) == ["0,000"]
    assert page_language(page) == ['lang="en"']
    assert figures_without_description(page) == ["No description has been provided for this image"]


CONTRADICTORY = """<html lang="vi"><body>
<section class="brief"><div class="box"><div class="what">So với năm 2022</div><div class="big">+3,73 điểm</div>
<div class="small">lớn hơn sai số chọn mẫu</div></div><div class="box">85,71% 99,12%</div>
<p>Kết luận số 91: có tác động, 0,73 điểm so với cơ quan ngành dọc (KTC 95%: −1,52 đến 2,98).</p></section>
<p>So với năm 2022, chỉ số năm 2023 tăng 3,73 điểm (KTC 95%: 1,76 đến 5,70; p = 0,120): chưa vượt quá sai số
chọn mẫu.</p><p>Năm 2023: 85,71%.</p>
<p>Sau Kết luận số 91, cơ quan cấp tỉnh thay đổi 0,73 điểm (KTC 95%: −1,52 đến 2,98). Kết luận: chưa có bằng chứng
chính sách có tác động.</p>
<p>Điểm gãy: chế độ mới bắt đầu năm 2022; nhận định: thay đổi thực.</p>
<p>Chưa đủ bằng chứng xu hướng tuyến tính bị gãy (xét cả hai kiểm định).</p>
<p>Cần ưu tiên cải thiện (quan trọng hơn): Thủ tục.</p><p>Chưa yếu tố nào cần ưu tiên vượt sai số.</p>
<h2>Số liệu thật: PAPI 63 tỉnh, 2011–2024</h2><p>đó là gãy do phương pháp, không phải thay đổi thực về quản trị.</p>
</body></html>"""


def test_the_agreement_rules_find_two_verdicts_and_a_number_of_no_section():
    problems = agreement_problems(parse_page("contradictory", CONTRADICTORY))
    assert "brief: 99,12" in problems and "brief: 85,71" not in problems  # 85,71 is a section's number
    assert any(p.startswith("the trend is stable, yet 1 break(s)") for p in problems), problems  # not PAPI's
    assert any(p.startswith("Kết luận số 91: the brief says 'có tác động'") for p in problems), problems
    assert "a driver is both to act on and within error" in problems
    assert any(p.startswith("the change since năm 2022") for p in problems), problems
    assert len(problems) == 5


def test_the_rules_pass_a_page_written_right():
    right = (WRONG.replace('lang="en"', 'lang="vi"').replace("113,72", "99,93").replace("−0,00", "0,00")
             .replace("access.1", "1.1. Thông tin").replace("staff", "Công chức phục vụ").replace("/Source", "")
             .replace(">dissatisfied<", ">Không hài lòng (mức 1–2)<").replace("1.141,00", "1.141")
             .replace("100,75", "99,93").replace("-1,52", "−1,52").replace("0,000", "&lt; 0,001")
             .replace("No description has been provided for this image", "Chỉ số hài lòng"))
    page = parse_page("right", right)
    rules = [shares_out_of_bounds, counts_with_decimals, negative_zeros, hyphens_as_minus, p_values_as_zero,
             page_language, figures_without_description]
    assert [rule.__name__ for rule in rules if rule(page)] == []
    assert codes_in_text(page, ["access.1", "staff", "dissatisfied", "Source"]) == []


# --------------------------------------------------------------------------- the sources write it so


def test_displayed_tables_write_numbers_and_words_the_readers_way(tmp_path):
    import pandas as pd

    from analysis.reporting.outputs import Outputs

    table = pd.DataFrame({"measure": ["dissatisfied", "satisfied"], "kind": ["word", "bigram"],
                          "n": [12104.0, float("nan")], "event_time": [-4, 0], "estimate": [-0.00001, 0.5],
                          "difference": [-0.0152, 0.0], "p_value": [0.0004, 0.3164], "probability": [0.1239, 0.42]})
    shown = {lang: parse_page(lang, Outputs(tmp_path, lang).table(table, "t").data).tables[0] for lang in ("vi", "en")}
    assert shown["vi"].rows == [["Không hài lòng (mức 1–2)", "Từ", "12.104", "−4", "0,00", "−1,52", "< 0,001", "12"],
                                ["Hài lòng (mức 4–5)", "Cụm hai từ", "", "0", "50,00", "0,00", "0,316", "42"]]
    assert shown["en"].rows[0] == ["Dissatisfied (answers 1–2)", "Word", "12,104", "−4", "0.00", "−1.52", "< 0.001",
                                   "12"]
    saved = pd.read_csv(tmp_path / "tables" / "t.csv", encoding="utf-8-sig")
    assert saved["measure"].tolist() == ["dissatisfied", "satisfied"]  # the CSV keeps codes and proportions
    assert saved["probability"].tolist() == [0.1239, 0.42]


def test_figures_have_vietnamese_decimals_on_their_axes_and_their_title_as_alt_text(tmp_path):
    import matplotlib.pyplot as plt

    from analysis.reporting.outputs import Outputs
    from analysis.reporting.plots import describe, localise

    fig, ax = plt.subplots()
    ax.plot([2014, 2023], [-2.5, 12.5])
    ax.set_yticks([-2.5, 0, 12.5])
    ax.set_title("Chỉ số hài lòng")
    localise(fig, "vi").canvas.draw()
    assert {"−2,5", "0,0", "12,5"} <= {t.get_text() for t in ax.get_yticklabels()}
    assert all("." not in t.get_text() and "," not in t.get_text() for t in ax.get_xticklabels())  # years
    assert describe(fig) == "Chỉ số hài lòng"
    image = Outputs(tmp_path, "vi").figure(fig, "f")
    assert image._repr_mimebundle_()[1] == {"image/png": {"alt": "Chỉ số hài lòng"}}
    assert (tmp_path / "figures" / "f.png").exists()


def test_the_page_declares_its_language_and_each_figure_its_alt_text(tmp_path):
    import io

    import matplotlib.pyplot as plt
    import nbformat
    from IPython.display import Image

    from analysis.pipeline.report import render_html

    def png(title: str) -> bytes:
        fig, ax = plt.subplots()
        ax.set_title(title)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        plt.close(fig)
        return buffer.getvalue()

    outputs = [Image(data=png("a"), format="png", alt="Chỉ số hài lòng")._repr_mimebundle_(),
               Image(data=png("b"), format="png")._repr_mimebundle_()]  # no alt: the heading above it
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## Tổng quan"), *(
        nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("display_data", data=data, metadata=metadata)])
        for data, metadata in outputs)])
    render_html(notebook, tmp_path / "index.html", "vi")
    page = parse_page("vi", (tmp_path / "index.html").read_text(encoding="utf-8"))
    assert page_language(page) == [] and figures_without_description(page) == []
    assert [image["alt"] for image in page.soup.find_all("img")] == ["Chỉ số hài lòng", "Tổng quan"]


def test_an_estimate_without_an_interval_says_not_estimable_and_a_suppressed_row_stays_blank(tmp_path):
    import pandas as pd

    from analysis.reporting.outputs import Outputs

    table = pd.DataFrame({"unit": ["a", "b", "c"], "estimate": [0.5, 1.0, None], "ci_low": [0.4, None, None],
                          "ci_high": [0.6, None, None], "suppressed": [False, False, True]})
    rows = parse_page("t", Outputs(tmp_path, "vi").table(table, "t").data).tables[0].rows
    assert [row[2:4] for row in rows] == [["40,00", "60,00"], ["không ước lượng được", ""], ["", ""]]
