"""The rendered report as a document: numbered sections, numbered and captioned figures and tables, the files
that come with it, a table of contents that stays in view, and an A4 print style with page numbers.

:func:`arrange` works on the page :func:`analysis.pipeline.report.render_html` made.  The report opens with
its title (the level-1 heading above the one-page brief, not numbered); its sections are the notebooks'
level-1 headings (and, before the first of them, the level-2 ones: the executive summary), numbered 1, 2, ...;
a section titled "Phụ lục: ..." / "Appendix: ..." is an appendix, lettered A, B, ...; the level-2 headings
under a section are its subsections (2.1, A.1).  Figures and tables are numbered through the report.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup, Tag
from bs4.element import AttributeValueList

from analysis.pipeline import browser
from analysis.reporting.labels import label

NUMBER = re.compile(r"[−+-]?\s*[<>]?\s*\d[\d.,]*\s*%?|")  # a table cell that is a number (or empty)
KEEP_ROWS = 25  # a table of at most this many rows is printed on one page; a longer one may break
WIDE = 30  # a column holding a text longer than this (characters) is kept at least 12em wide


@dataclass
class Heading:
    """A section or subsection: its element, its number ("2", "2.3", "A", "A.1"), its text and subsections."""

    tag: Tag
    number: str
    text: str
    children: list[Heading] = field(default_factory=list)


def text_of(tag: Tag) -> str:
    """An element's words, without nbconvert's "¶" anchor."""
    return " ".join(tag.get_text(" ", strip=True).replace("¶", " ").split())


def unique_id(text: str, taken: set[str]) -> str:
    """A stable id from ``text`` (``"Chỉ số hài lòng"`` -> ``"chi-so-hai-long"``), unique in the page."""
    from analysis.pipeline.report import slug  # imported here: report imports this module

    base = slug(text) if re.search(r"\w", text) else "section"
    name, k = base, 2
    while name in taken:
        name, k = f"{base}-{k}", k + 1
    taken.add(name)
    return name


def outside_brief(tag: Tag) -> bool:
    return tag.find_parent("section", class_="brief") is None


def report_title(page: BeautifulSoup) -> Tag | None:
    """The report's title: the level-1 heading above the one-page brief (notebook 00 writes it), else None."""
    brief, first = page.select_one("section.brief"), page.find("h1")
    if brief is None or not isinstance(first, Tag):
        return None
    return first if brief in first.find_all_next("section") else None


def appendix_word(lang: str) -> str:
    return f"{label('document.appendix', lang)}:"


def outline(page: BeautifulSoup, lang: str) -> list[Heading]:
    """The numbered sections and their subsections (see the module's docstring)."""
    title = report_title(page)
    sections: list[Heading] = []
    seen_h1 = False
    numbered = lettered = 0
    for tag in page.find_all(["h1", "h2"]):
        if tag is title or not outside_brief(tag):
            continue
        text = text_of(tag)
        if tag.name == "h1" or not seen_h1:
            seen_h1 = seen_h1 or tag.name == "h1"
            if text.startswith(appendix_word(lang)):
                lettered += 1
                sections.append(Heading(tag, chr(ord("A") + lettered - 1), text))
            else:
                numbered += 1
                sections.append(Heading(tag, str(numbered), text))
        elif sections:
            parent = sections[-1]
            parent.children.append(Heading(tag, f"{parent.number}.{len(parent.children) + 1}", text))
    return sections


def shown_text(heading: Heading, lang: str) -> str:
    """The heading as the reader sees it: ``2. Mức độ hài lòng``, ``2.3 Từng tiêu chí``, ``Phụ lục A. Phương
    pháp`` (an appendix's "Phụ lục:" becomes its letter)."""
    if heading.text.startswith(appendix_word(lang)):
        rest = heading.text.removeprefix(appendix_word(lang)).strip()
        return f"{label('document.appendix', lang)} {heading.number}. {rest[:1].upper()}{rest[1:]}"
    return f"{heading.number} {heading.text}" if "." in heading.number else f"{heading.number}. {heading.text}"


def rename(tag: Tag, text: str, taken: set[str]) -> None:
    """Give a heading its shown text and a stable id, keeping nbconvert's anchor link (pointed at the new
    id).  nbconvert's ids (of Markdown headings, those with the anchor) are replaced by :func:`unique_id`'s;
    an id a section gave its own HTML (``scorecard-SNV``) is kept."""
    anchor = tag.find("a", class_="anchor-link")
    ident = unique_id(text_of(tag), taken) if isinstance(anchor, Tag) or not tag.get("id") else str(tag["id"])
    tag.clear()
    tag.append(text)
    tag["id"] = ident
    if isinstance(anchor, Tag):
        anchor["href"] = f"#{ident}"
        tag.append(anchor)


def add_class(tag: Tag, name: str) -> None:
    tag["class"] = AttributeValueList([*tag.get_attribute_list("class"), name])


def number_headings(page: BeautifulSoup, lang: str, taken: set[str]) -> tuple[list[Heading], dict[int, str]]:
    """Number the sections and subsections in the page and give every heading a stable id; return the
    outline and the text of each section and subsection heading (before numbering), by element."""
    sections = outline(page, lang)
    texts = {id(h.tag): h.text for s in sections for h in (s, *s.children)}
    for heading in (h for s in sections for h in (s, *s.children)):
        rename(heading.tag, shown_text(heading, lang), taken)
        add_class(heading.tag, "report-section" if heading in sections else "report-subsection")
    for tag in page.find_all(["h1", "h2", "h3", "h4"]):
        if id(tag) not in texts:
            rename(tag, text_of(tag), taken)
        output = tag.find_parent(class_="jp-OutputArea-child")
        cell = output.find_parent(class_="jp-Cell") if output is not None else None
        if cell is not None and outside_brief(tag) and output is cell.find_all(class_="jp-OutputArea-child")[-1]:
            add_class(cell, "keep-with-next")  # a heading alone in its cell: printed with the next cell
    keep_text_with_next(page)
    return sections, texts


def starts_with_heading(output: Tag) -> bool:
    first = output.find(True, class_="jp-RenderedMarkdown")
    child = first.find(True) if isinstance(first, Tag) else None
    return isinstance(child, Tag) and child.name in ("h1", "h2", "h3", "h4")


def keep_text_with_next(page: BeautifulSoup) -> None:
    """Print a heading or sentence on the page of what follows it in its cell (the table or figure it
    introduces): a heading is kept with the next output of its cell, and so is a sentence unless the next
    opens with a heading (a new part, where a page may break)."""
    for cell in page.find_all(class_="jp-Cell"):
        outputs = cell.find_all(class_="jp-OutputArea-child")
        for output, after in zip(outputs, outputs[1:], strict=False):
            text = output.find(class_="jp-RenderedMarkdown") is not None
            if text and (starts_with_heading(output) or not starts_with_heading(after)):
                add_class(output, "keep-with-next")


def headings_above(page: BeautifulSoup, texts: dict[int, str]) -> dict[int, str]:
    """What each table and figure is shown under, by element: the nearest section or subsection heading, and
    a lower heading after it (a scorecard's agency) when there is one ("Phiếu kết quả — Sở Nội vụ")."""
    above, current, lower = {}, "", ""
    for tag in page.find_all(["h1", "h2", "h3", "table", "img"]):
        if id(tag) in texts:
            current, lower = texts[id(tag)], ""
        elif tag.name == "h3" and outside_brief(tag):
            lower = text_of(tag)
        elif tag.name in ("table", "img"):
            above[id(tag)] = f"{current} — {lower}" if current and lower else current or lower
    return above


def table_name(table: Tag) -> str:
    """The name a table was saved under (pandas' id for it: ``T_<name>``), else ""."""
    ident = str(table.get("id", ""))
    return ident.removeprefix("T_") if ident.startswith("T_") else ""


def csv_link(page: BeautifulSoup, name: str, folder: Path) -> Tag | None:
    """A link to ``tables/<name>.csv`` when it was saved, else None."""
    if not name or not (folder / "tables" / f"{name}.csv").is_file():
        return None
    link = page.new_tag("a", href=f"tables/{name}.csv")
    link.string = f"tables/{name}.csv"
    return link


def numbered(page: BeautifulSoup, kind: str, k: int, lang: str) -> Tag:
    strong = page.new_tag("strong")
    strong.string = f"{label(kind, lang)} {k}."
    return strong


def align_words_left(table: Tag) -> None:
    """Cells of words (not numbers) aligned left, and the heading of a column of words with them; a column
    of long texts (a criterion's question) kept wide enough to read."""
    words: dict[int, int] = {}
    cells: dict[int, list[Tag]] = {}
    rows = table.select("tbody tr")
    for row in rows:
        for k, cell in enumerate(row.find_all(["td", "th"])):
            cells.setdefault(k, []).append(cell)
            if cell.name == "td" and not NUMBER.fullmatch(cell.get_text(" ", strip=True)):
                add_class(cell, "text")
                words[k] = words.get(k, 0) + 1
    for column in cells.values():
        if max(len(cell.get_text(strip=True)) for cell in column) > WIDE:
            for cell in column:
                add_class(cell, "wide")
    for header in table.select("thead tr"):
        for k, cell in enumerate(header.find_all("th")):
            if 2 * words.get(k, 0) > len(rows):
                add_class(cell, "text")


def caption_tables(page: BeautifulSoup, folder: Path, above: dict[int, str], lang: str) -> dict[str, tuple[str, int]]:
    """Number each saved table ("Bảng 3. <its heading> · Số liệu: tables/x.csv"), let a long one break across
    pages, align the words of every table left; return each saved table's id and number by its name."""
    named = {}
    tables = [t for t in page.find_all("table") if outside_brief(t)]
    for table in tables:
        align_words_left(table)
    for k, table in enumerate((t for t in tables if table_name(t)), start=1):  # the saved tables (not a card's)
        name = table_name(table)
        named[name] = (str(table["id"]), k)
        caption = page.new_tag("caption")
        caption.append(numbered(page, "document.table", k, lang))
        caption.append(f" {above[id(table)]}")
        link = csv_link(page, name, folder)
        if link is not None:
            caption.append(f" · {label('document.data', lang)}: ")
            caption.append(link)
        table.insert(0, caption)
        output = table.find_parent(class_="jp-OutputArea-child")
        if output is not None and len(table.select("tbody tr")) > KEEP_ROWS:
            add_class(output, "may-break")
    return named


def figure_names(folder: Path) -> dict[str, str]:
    """The saved figures' names (``figures/<name>.png``) by their bytes in base64, as the page embeds them."""
    return {base64.b64encode(path.read_bytes()).decode("ascii"): path.stem
            for path in sorted((folder / "figures").glob("*.png"))}


def figure_data(image: Tag, name: str, folder: Path, tables: dict[str, tuple[str, int]]) -> str:
    """The table a figure draws: the one saved under the figure's name, else the one shown with it."""
    if name and (name in tables or (folder / "tables" / f"{name}.csv").is_file()):
        return name
    cell = image.find_parent(class_="jp-Cell")
    beside = [table_name(t) for t in (cell.find_all("table") if cell is not None else []) if table_name(t)]
    return beside[-1] if beside else ""


def figure_title(heading: str, own: str) -> str:
    """A figure's caption title: the heading it is shown under, then its own title (its alt text) when that
    says more (``"Kết luận: xu hướng có bị gãy không? — Tìm điểm gãy chưa biết trước (Bai–Perron)"``)."""
    own = own.strip().rstrip(".")
    if not heading or own.casefold() == heading.casefold():
        return own or heading
    return heading if own.casefold() in heading.casefold() else f"{heading} — {own}"


def caption_figures(page: BeautifulSoup, folder: Path, tables: dict[str, tuple[str, int]], above: dict[int, str],
                    source: str,
                    lang: str, taken: set[str]) -> list[tuple[str, str]]:
    """Put each figure in a ``<figure>`` captioned "Hình 5. <its title>. Nguồn: <survey>, tính từ dữ liệu gốc.
    Số liệu: Bảng 7 · tables/x.csv" (:func:`figure_title`); return each figure's id and numbered title."""
    names = figure_names(folder)
    figures = []
    for k, image in enumerate((i for i in page.find_all("img") if outside_brief(i)), start=1):
        name = names.get("".join(str(image.get("src", "")).split()).removeprefix("data:image/png;base64,"), "")
        ident = unique_id(f"figure {name or k}", taken)
        title = figure_title(above[id(image)], str(image.get("alt", "")))
        wrapper = page.new_tag("figure", id=ident, attrs={"class": "report-figure"})
        image.wrap(wrapper)
        caption = page.new_tag("figcaption")
        caption.append(numbered(page, "document.figure", k, lang))
        caption.append(f" {title}. ")
        note = page.new_tag("span", attrs={"class": "source"})
        note.string = f"{label('document.source', lang)}: {source}, {label('document.computed', lang)}."
        caption.append(note)
        data = figure_data(image, name, folder, tables)
        links = []
        if data in tables:
            ident_of_table, number = tables[data]
            link = page.new_tag("a", href=f"#{ident_of_table}")
            link.string = f"{label('document.table', lang)} {number}"
            links.append(link)
        if (csv := csv_link(page, data, folder)) is not None:
            links.append(csv)
        for j, link in enumerate(links):
            caption.append(f" {label('document.data', lang)}: " if j == 0 else " · ")
            caption.append(link)
        wrapper.append(caption)
        figures.append((ident, f"{label('document.figure', lang)} {k}. {title}"))
    return figures


def files_block(page: BeautifulSoup, lang: str, brief: bool, pdf: bool) -> Tag:
    """Links to what comes with the report (relative paths): the workbook, the CSVs, the PDFs, the manifest;
    without Chromium, the line saying how to get the PDFs instead of links to them."""
    block = page.new_tag("nav", id="files", attrs={"class": "report-files", "aria-label": label("document.files",
                                                                                                 lang)})
    strong = page.new_tag("strong")
    strong.string = f"{label('document.files', lang)}:"
    block.append(strong)
    files = [("tables.xlsx", "document.workbook"), ("tables/", "document.csv")]
    if pdf:
        files += [("brief.pdf", "document.brief_pdf")] if brief else []
        files += [("report.pdf", "document.report_pdf")]
    files += [("manifest.json", "document.manifest"), ("#contents", "document.contents")]
    for k, (path, key) in enumerate(files):
        block.append(" " if k == 0 else " · ")
        link = page.new_tag("a", href=path)
        link.string = label(key, lang) if path.startswith("#") else f"{label(key, lang)} ({path})"
        block.append(link)
    if not pdf:
        hint = page.new_tag("span", attrs={"class": "hint"})
        hint.string = browser.pdf_hint(lang)
        block.append(" · ")
        block.append(hint)
    return block


def contents(page: BeautifulSoup, sections: list[Heading], figures: list[tuple[str, str]], lang: str) -> Tag:
    """The table of contents: the brief, the sections with their subsections, then the figures."""
    nav = page.new_tag("nav", id="contents", attrs={"class": "report-toc", "aria-label": label("document.contents",
                                                                                               lang)})

    def entry(target: str, text: str) -> Tag:
        item = page.new_tag("li")
        link = page.new_tag("a", href=f"#{target}")
        link.string = text
        item.append(link)
        return item

    def part(title: str, entries: list[Tag]) -> None:
        heading = page.new_tag("p", attrs={"class": "toc-title"})
        heading.string = title
        listing = page.new_tag("ul")
        for item in entries:
            listing.append(item)
        nav.append(heading)
        nav.append(listing)

    items = []
    brief = page.select_one("section.brief h2")
    if isinstance(brief, Tag):
        items.append(entry(str(brief["id"]), text_of(brief)))
    for section in sections:
        item = entry(str(section.tag["id"]), text_of(section.tag))
        if section.children:
            inner = page.new_tag("ul")
            for child in section.children:
                inner.append(entry(str(child.tag["id"]), text_of(child.tag)))
            item.append(inner)
        items.append(item)
    part(label("document.contents", lang), items)
    if figures:
        part(label("document.figures", lang), [entry(ident, text) for ident, text in figures])
    return nav


def style(title: str, lang: str) -> str:
    """The screen layout (contents at the left) and the print style: A4, the title and "Trang 3 / 35" in the
    footer, headings kept with what follows, figures whole, tables the page's width."""
    def quoted(text: str) -> str:
        return '"' + re.sub(r'["\\<>\n]', lambda m: f"\\{ord(m.group()):x} ", text) + '"'

    return f"""
.report-files a,figure.report-figure figcaption a,.jp-RenderedHTMLCommon caption a:link{{color:#1f4e79;
text-decoration:underline}}
.report-toc a{{color:#1f4e79;text-decoration:none}}.report-toc a:hover{{text-decoration:underline}}
.report-toc{{font-size:13px;line-height:1.35;padding:.8rem 1rem;background:#f6f8fa;border:1px solid #d0d7de}}
.report-toc ul{{list-style:none;margin:0 0 .8rem 0;padding:0}}.report-toc ul ul{{margin:.1rem 0 .3rem .9rem}}
.report-toc li{{margin:.15rem 0}}.report-toc .toc-title{{font-weight:700;margin:.2rem 0 .4rem 0}}
.report-files{{font-size:.9rem;margin:.5rem 0 1.5rem 0;padding:.5rem .8rem;border-left:3px solid #1f4e79;
background:#f6f8fa}}.report-files .hint{{color:#8a4b00}}
figure.report-figure{{margin:.5rem 0 1.2rem 0}}
figure.report-figure figcaption{{font-size:.9rem;color:#333;margin-top:.3rem;max-width:50rem}}
figcaption .source{{color:#5b6670}}
table caption{{caption-side:top;text-align:left;font-size:.9rem;padding:.2rem 0 .4rem 0;color:#333;min-width:24em}}
.jp-RenderedHTMLCommon table{{table-layout:auto}}
.jp-RenderedHTMLCommon td.text,.jp-RenderedHTMLCommon th.text{{text-align:left}}
.jp-RenderedHTMLCommon td:not(.text){{white-space:nowrap}}.jp-RenderedHTMLCommon td.wide{{min-width:12em}}
:target{{scroll-margin-top:1rem}}h1:target,h2:target,figure:target{{background:#fff8d6}}
@media screen and (min-width:1000px){{
body.jp-Notebook{{padding-left:19rem}}
.report-toc{{position:fixed;top:0;left:0;bottom:0;width:16rem;overflow-y:auto;margin:0;border-width:0 1px 0 0;
z-index:10}}}}
@page{{size:A4;margin:14mm 12mm 16mm 12mm;
@bottom-left{{content:{quoted(title)};font-size:8pt;color:#5b6670}}
@bottom-right{{content:{quoted(label('document.page', lang) + ' ')} counter(page) " / " counter(pages);
font-size:8pt;color:#5b6670}}}}
@media print{{
.report-toc,.report-files,a.anchor-link{{display:none}}
body.jp-Notebook{{padding:0}}
h1,h2,h3,h4{{break-after:avoid;break-inside:avoid}}.keep-with-next{{break-after:avoid}}
.keep-with-next+.jp-OutputArea-child>.jp-OutputArea-output>:first-of-type{{break-before:auto}}
.report-section{{break-before:page}}
.jp-OutputArea-child.may-break{{break-inside:auto}}
figure.report-figure{{break-inside:avoid}}figure.report-figure img{{max-height:200mm;max-width:100%}}
.jp-RenderedHTMLCommon table{{width:100%;table-layout:auto;font-size:7.5pt;margin:0 0 4mm 0}}
.jp-RenderedHTMLCommon td,.jp-RenderedHTMLCommon th{{padding:2px 4px;overflow-wrap:break-word}}
.jp-RenderedHTMLCommon thead{{display:table-header-group}}.jp-RenderedHTMLCommon tr{{break-inside:avoid}}
figure.report-figure figcaption,table caption{{font-size:8pt}}
a{{color:inherit;text-decoration:none}}
}}"""


def arrange(page: BeautifulSoup, folder: Path, lang: str = "vi", pdf: bool | None = None) -> None:
    """Make the rendered report a document, in place: numbered sections with stable ids, numbered and
    captioned figures and tables (the saved ``figures/`` and ``tables/`` of ``folder`` name them), the
    files block after the brief, the table of contents (for a page with sections) and the print style.

    ``pdf``: whether the PDFs are printed (default: whether Chromium is installed); without, the files block
    says how to get them.
    """
    pdf = browser.chromium() is not None if pdf is None else pdf
    title_tag = report_title(page)
    title = text_of(title_tag) if title_tag is not None else (page.title.get_text(strip=True) if page.title else "")
    taken = {str(t["id"]) for t in page.find_all(id=True)}
    sections, texts = number_headings(page, lang, taken)
    above = headings_above(page, texts)
    tables = caption_tables(page, folder, above, lang)
    figures = caption_figures(page, folder, tables, above, title, lang, taken)
    head = page.head if page.head is not None else page
    css = page.new_tag("style")
    css.string = style(title, lang)
    head.append(css)
    if not sections:
        return
    brief = page.select_one("section.brief")
    block = files_block(page, lang, brief is not None, pdf)
    anchor = brief if brief is not None else title_tag
    cell = anchor.find_parent(class_="jp-Cell") if anchor is not None else None
    if cell is not None:
        cell.insert_after(block)
    elif page.body is not None:
        page.body.insert(0, block)
    (page.body or page).append(contents(page, sections, figures, lang))
