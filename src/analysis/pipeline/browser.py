"""Headless Chromium (Debian's package): print a report to PDF and look at it as a reader would.

Nothing here is needed for a report: without Chromium the PDF is skipped and
said so.  The browser is started with no network and a fresh profile.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

from analysis.reporting.labels import label

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--virtual-time-budget=10000"]
CHECK_SCRIPT = """<script>window.addEventListener("load", () => {
  const body = document.body, images = [...document.images];
  const broken = images.filter(i => !(i.complete && i.naturalWidth > 0)).length;
  const links = [...document.querySelectorAll("nav.report-toc a")];
  const unresolved = links.map(a => a.getAttribute("href"))
    .filter(h => !h.startsWith("#") || !document.getElementById(decodeURIComponent(h.slice(1))));
  const uncaptioned = images.filter(i => !i.closest("section.brief")).filter(i => {
    const caption = i.closest("figure") && i.closest("figure").querySelector("figcaption");
    return !(caption && caption.textContent.trim());
  }).length;
  const toc = document.querySelector("nav.report-toc");
  body.setAttribute("data-images", images.length);
  body.setAttribute("data-broken-images", broken);
  body.setAttribute("data-toc-links", links.length);
  body.setAttribute("data-unresolved", unresolved.join(" "));
  body.setAttribute("data-uncaptioned", uncaptioned);
  body.setAttribute("data-toc-position", toc ? getComputedStyle(toc).position : "");
});</script>"""


def chromium() -> str | None:
    """Path of the Chromium executable, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def pdf_hint(lang: str = "vi") -> str:
    """The one line that says how to get the PDFs when Chromium is missing."""
    return label("document.no_pdf", lang)


def run(arguments: list[str], timeout: int = 120) -> subprocess.CompletedProcess:
    executable = chromium()
    if executable is None:
        raise FileNotFoundError("Chromium is not installed (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([executable, *FLAGS, f"--user-data-dir={profile}", *arguments],
                              capture_output=True, text=True, timeout=timeout, check=False)


def print_pdf(html: Path, pdf: Path) -> bool:
    """Print ``html`` to ``pdf``; False (and no file) when Chromium is missing or fails."""
    if chromium() is None:
        return False
    run(["--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.resolve().as_uri()])
    return pdf.exists() and pdf.stat().st_size > 0


@dataclass
class PageCheck:
    """What a reader's browser saw: images, broken images, the visible text, a screenshot; the links of the
    table of contents, those that lead nowhere, the figures without a caption and how the contents panel is
    placed (``fixed``: it stays in view)."""

    images: int
    broken_images: int
    text: str
    screenshot: Path
    toc_links: int = 0
    unresolved_links: list[str] = field(default_factory=list)
    uncaptioned: int = 0
    toc_position: str = ""


def attribute(dom: str, name: str) -> str:
    """The value the checking script gave the page's ``body``, "" when it has none."""
    found = re.search(rf'{name}="([^"]*)"', dom)
    return unescape(found.group(1)) if found else ""


def inspect(html: Path, screenshot: Path, width: int = 1200, height: int = 4000) -> PageCheck:
    """Load ``html`` (and a copy with a checking script, in a scratch folder) and report what rendered.

    Reports embed their figures, so the copy renders like the original.
    """
    with tempfile.TemporaryDirectory() as scratch:
        probe = Path(scratch) / html.name
        probe.write_text(html.read_text(encoding="utf-8").replace("</body>", CHECK_SCRIPT + "</body>"),
                         encoding="utf-8")
        dom = run([f"--window-size={width},{height}", "--dump-dom", probe.as_uri()]).stdout
    run([f"--window-size={width},{height}", f"--screenshot={screenshot}", html.resolve().as_uri()])
    text = re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<(script|style)[^>]*>.*?</\1>", " ", dom))
    count = {name: int(attribute(dom, name) or -1) for name in ("data-images", "data-broken-images",
                                                                 "data-toc-links", "data-uncaptioned")}
    return PageCheck(count["data-images"], count["data-broken-images"], " ".join(text.split()), screenshot,
                     count["data-toc-links"], attribute(dom, "data-unresolved").split(), count["data-uncaptioned"],
                     attribute(dom, "data-toc-position"))


def screenshot(html: Path, target: Path, element: str = "", width: int = 1200, height: int = 1600) -> Path:
    """A screenshot of ``html`` in a window of ``width`` x ``height``; with ``element`` (an id), of the page
    from that element on: a scratch copy leaves out what comes before it but the styles (the contents panel,
    placed after, stays)."""
    from bs4 import BeautifulSoup

    page = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    shown = page.find(id=element) if element else None
    if element and shown is None:
        raise ValueError(f"{html.name} has no element with id {element!r}")
    node = shown
    while node is not None and node.parent is not None and node.name != "body":
        for before in node.find_previous_siblings():
            if before.name not in ("style", "script", "link"):  # the styles stay: the part looks as in the page
                before.decompose()
        node = node.parent
    with tempfile.TemporaryDirectory() as scratch:
        probe = Path(scratch) / html.name
        probe.write_text(str(page), encoding="utf-8")
        run([f"--window-size={width},{height}", f"--screenshot={target.resolve()}", probe.as_uri()])
    return target
