"""End-to-end: the annual review runs, reruns identically, and fails without damage."""

from __future__ import annotations

import json

import nbformat
import pytest

from analysis.pipeline import manifest
from analysis.pipeline.report import ReportError, ReportParameters, run_report

pytestmark = pytest.mark.slow


def tree(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory, chromium_installed):
    """The default report run twice; with Chromium installed first, so that the runs print the PDF."""
    first = tmp_path_factory.mktemp("first")
    second = tmp_path_factory.mktemp("second")
    return run_report(ReportParameters(), first), run_report(ReportParameters(), second)


def test_report_has_the_overview_with_figures_and_vietnamese_text(two_runs):
    index, _ = two_runs
    html = index.read_text(encoding="utf-8")
    assert "Tổng quan dữ liệu khảo sát" in html
    for heading in ("Chỉ số hài lòng theo năm, với khoảng tin cậy 95%", "Các thành phần của chỉ số",
                    "Chênh lệch giữa các kênh và nhóm đối tượng", "So với mục tiêu",
                    "Xếp hạng cơ quan, có tính đến độ bất định", "Tác động của chính sách",
                    "Nghiên cứu sự kiện: trước và sau chính sách", "Biến động và điểm gãy của xu hướng",
                    "Số liệu thật: PAPI 63 tỉnh, 2011–2024", "Yếu tố nào quyết định mức độ hài lòng chung?",
                    "Ma trận mức độ quan trọng – mức độ thực hiện", "Ý kiến đóng góp của người dân, doanh nghiệp"):
        assert heading in html, heading
    assert html.count("data:image/png;base64") >= 5
    assert "\ufffd" not in html
    assert "Traceback" not in html
    folder = index.parent
    for name in ("manifest.json", "tables.xlsx", "tables/index_by_year.csv", "figures/index_by_year.png",
                 "notebooks/01_data_overview.ipynb"):
        assert (folder / name).exists(), name


def test_the_report_renders_in_a_real_browser(two_runs, chromium_installed, tmp_path_factory):
    from analysis.pipeline import browser

    if not chromium_installed:
        pytest.skip("Chromium is not installed and could not be installed here (apt-get install chromium)")
    index = two_runs[0]
    shot = tmp_path_factory.mktemp("browser") / "report.png"
    page = browser.inspect(index, shot)
    assert page.images >= 5 and page.broken_images == 0, (page.images, page.broken_images)
    assert "\ufffd" not in page.text
    for heading in ("Tổng quan dữ liệu khảo sát", "Mức độ hài lòng và độ tin cậy của số liệu",
                    "Biến động và điểm gãy của xu hướng", "Tác động của chính sách",
                    "Ý kiến đóng góp của người dân, doanh nghiệp"):
        assert heading in page.text, heading
    assert shot.stat().st_size > 10_000
    print(f"screenshot: {shot}")
    assert (index.parent / "report.pdf").read_bytes().startswith(b"%PDF")


def test_the_contents_lead_somewhere_every_figure_has_a_caption_and_the_parts_look_right(two_runs,
                                                                                          chromium_installed,
                                                                                          tmp_path_factory):
    """In Chromium: each link of the table of contents reaches an element of the page, the contents panel
    stays in view (fixed), every figure has its caption; screenshots of the brief, a captioned figure, an
    agency's scorecard and the methods appendix are saved (the paths are printed) for a person to look at."""
    from bs4 import BeautifulSoup

    from analysis.pipeline import browser
    from analysis.pipeline.report import slug
    from analysis.reporting.labels import label

    if not chromium_installed:
        pytest.skip("Chromium is not installed and could not be installed here (apt-get install chromium)")
    index = two_runs[0]
    shots = tmp_path_factory.mktemp("screenshots")
    page = browser.inspect(index, shots / "report.png")
    assert page.toc_links >= 30 and page.unresolved_links == [], page.unresolved_links
    assert page.uncaptioned == 0 and page.toc_position == "fixed"
    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    figure = soup.select_one("figure.report-figure")
    assert figure is not None and figure.figcaption.get_text(" ", strip=True).startswith("Hình 1.")
    card = soup.select_one("section.scorecard [id]")
    assert card is not None, "the report has no agency scorecard"
    parts = {"brief": soup.select_one("section.brief h2")["id"], "figure": figure["id"], "scorecard": card["id"],
             "methods": slug(label("methods.title", "vi"))}
    for name, ident in parts.items():
        shot = browser.screenshot(index, shots / f"{name}.png", ident)
        assert shot.stat().st_size > 10_000, name
        print(f"screenshot of the {name}: {shot}")


def pdf_pages(pdf) -> list[str]:
    """Each page's text as pdftotext lays it out."""
    import re
    import subprocess

    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info, info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return [subprocess.run(["pdftotext", "-f", str(k), "-l", str(k), "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout for k in range(1, pages + 1)]


def test_the_pdfs_are_a4_with_page_numbers_and_no_heading_left_at_a_page_foot(two_runs, chromium_installed):
    """report.pdf: A4, "<title> ... Trang k / N" at the foot of every page, and no page whose last line is a
    heading (a heading is printed with what follows it); brief.pdf: one A4 page."""
    import shutil

    from bs4 import BeautifulSoup

    if not chromium_installed or shutil.which("pdfinfo") is None:
        pytest.skip("Chromium or poppler-utils (pdfinfo, pdftotext) is not installed")
    folder = two_runs[0].parent
    assert len(pdf_pages(folder / "brief.pdf")) == 1
    pages = pdf_pages(folder / "report.pdf")
    soup = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    title = soup.h1.get_text(" ", strip=True).rstrip("¶").strip()
    headings = [h.get_text(" ", strip=True).rstrip("¶").strip() for h in soup.select("main h1, main h2, main h3")]
    for k, text in enumerate(pages, start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        footer = f"Trang {k} / {len(pages)}"
        assert lines[-1].startswith(title) and lines[-1].endswith(footer), (k, lines[-1])
        last = " ".join(lines[-2].split())
        tail = " ".join(" ".join(lines[-3:-1]).split())  # a heading wrapped over its last two lines
        ends = [h for h in headings if h == last or (len(last.split()) > 1 and h.endswith(last)
                                                      and (h.endswith(tail) or tail.endswith(h)))]
        assert not ends, f"page {k} ends on the heading {ends[0]!r}"


def test_report_reproduces_the_published_path_with_intervals(two_runs):
    import pandas as pd

    table = pd.read_csv(two_runs[0].parent / "tables" / "satisfaction_index_by_year.csv", encoding="utf-8-sig")
    table = table.set_index("year")
    published = table.dropna(subset=["published"])
    assert set(published.index) == {2017, 2018, 2022, 2023}
    assert (published["estimate"] - published["published"]).abs().max() < 0.005
    assert table.loc[2016, "estimate"] < table.loc[2015, "estimate"]
    assert (table["ci_low"] < table["estimate"]).all() and (table["estimate"] < table["ci_high"]).all()


def test_the_summary_states_the_numbers_of_the_sections(two_runs):
    import pandas as pd

    from analysis.reporting.labels import format_share

    folder = two_runs[0].parent
    html = (folder / "index.html").read_text(encoding="utf-8")
    index = pd.read_csv(folder / "tables" / "satisfaction_index_by_year.csv", encoding="utf-8-sig").set_index("year")
    assert f"chỉ số hài lòng đạt {format_share(index.loc[2023, 'estimate'], 'vi')}" in html
    projection = pd.read_csv(folder / "tables" / "targets_projection.csv", encoding="utf-8-sig").set_index("year")
    chance = format_share(projection.loc[2025, "probability"], "vi", 0)  # saved as a proportion
    assert f"xác suất đạt mục tiêu 90% là {chance}" in html
    assert html.index("Tóm tắt cho lãnh đạo") < html.index("Tổng quan dữ liệu khảo sát")


def test_no_personal_data_reaches_the_report(two_runs):
    """No phone, e-mail or ID-number pattern, and no respondent name, in any text the run wrote.

    Hashes (git commit, SHA-256) and embedded images are taken out first: they are not personal data.
    """
    import re

    from analysis.data.privacy import find_personal_data

    index, _ = two_runs
    for path in index.parent.rglob("*"):
        if path.suffix not in (".html", ".csv", ".json", ".ipynb"):
            continue
        text = path.read_text(encoding="utf-8-sig")
        hashes_and_images = (r"data:image/png;base64,[A-Za-z0-9+/=]+|\b[0-9a-f]{32,64}\b"  # keys, commits, SHA-256
                             r"|\"image/png\": \"[^\"]*\"")
        text = re.sub(hashes_and_images, "", text)
        assert find_personal_data(text) == [], path.name
        assert "Nguyễn Văn An" not in text, path.name


def test_a_rerun_gives_identical_tables_figures_workbook_html_and_manifest(two_runs):
    first, second = (index.parent for index in two_runs)
    assert tree(first / "tables") == tree(second / "tables")
    assert tree(first / "figures") == tree(second / "figures")
    assert (first / "tables.xlsx").read_bytes() == (second / "tables.xlsx").read_bytes()
    assert (first / "index.html").read_bytes() == (second / "index.html").read_bytes()
    old, new = manifest.read(first / "manifest.json"), manifest.read(second / "manifest.json")
    assert manifest.compare(old, new) == []
    assert [n["cached"] for n in new["notebooks"]] == [False] * len(new["notebooks"])


def test_an_unchanged_notebook_comes_from_the_cache(two_runs):
    """A rerun with nothing changed takes every section from the cache and writes the same report.

    How much faster that is depends on the machine and its load: benchmarks/bench_rerun.py measures it.
    """
    out_root = two_runs[0].parents[4]  # <out>/song_lam/province/2023/vi/index.html
    assert two_runs[0].relative_to(out_root).as_posix() == "song_lam/province/2023/vi/index.html"
    before = manifest.read(two_runs[0].parent / "manifest.json")
    again = manifest.read(run_report(ReportParameters(), out_root).parent / "manifest.json")
    assert [n["name"] for n in again["notebooks"]] == [n["name"] for n in before["notebooks"]]
    assert [n["name"] for n in again["notebooks"] if not n["cached"]] == []  # the sections not from the cache
    assert manifest.compare(before, again) == []


def test_manifest_records_inputs_versions_and_commit(two_runs):
    manifest = json.loads((two_runs[0].parent / "manifest.json").read_text(encoding="utf-8"))
    paths = [i["path"] for i in manifest["inputs"]]
    assert "data/raw/province_survey/survey.csv" in paths and "data/raw/published_figures.csv" in paths
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])
    assert manifest["versions"]["pandas"] != "not installed"
    assert manifest["parameters"]["year"] == 2023
    assert "commit" in manifest["git"]


def test_a_failing_notebook_leaves_the_previous_report_intact(two_runs, tmp_path):
    out_root = two_runs[0].parents[4]
    before = tree(out_root)
    broken = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("output_dir = ''", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("raise RuntimeError('deliberate failure')"),
    ], metadata={"language_info": {"name": "python"}})
    nbformat.write(broken, tmp_path / "01_data_overview.ipynb")
    fine = nbformat.v4.new_notebook(cells=[broken.cells[0], nbformat.v4.new_code_cell("import time; time.sleep(2)")],
                                    metadata=broken.metadata)
    nbformat.write(fine, tmp_path / "00_fine.ipynb")
    for workers in (1, 2):  # the failure comes back from a worker process as from this one
        with pytest.raises(ReportError, match=r"\(01_data_overview.ipynb\) không chạy được / section "
                                              r"'data overview' failed: RuntimeError: deliberate failure "
                                              r"\(cell 2, .* kept in .*\.failed"):
            run_report(ReportParameters(notebooks=["00_fine.ipynb", "01_data_overview.ipynb"]), out_root,
                       notebook_dir=tmp_path, use_cache=False, workers=workers)
        failed = out_root / ".failed"
        assert tree(out_root) == {**before, **{k: v for k, v in tree(out_root).items() if k.startswith(".failed/")}}
        assert len(list(failed.iterdir())) == workers  # one folder per failed run: its notebook and traceback
        assert all(sorted(p.name for p in run.iterdir()) == ["01_data_overview.ipynb",
                                                             "01_data_overview.traceback.txt"]
                   for run in failed.iterdir())
