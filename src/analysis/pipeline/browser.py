"""Headless Chromium (Debian's package): print a report to PDF and look at it as a reader would.

Nothing here is needed for a report: without Chromium the PDF is skipped and
said so.  The browser is started with no network and a fresh profile.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--virtual-time-budget=10000"]
CHECK_SCRIPT = """<script>window.addEventListener("load", () => {
  const broken = [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).length;
  document.body.setAttribute("data-images", document.images.length);
  document.body.setAttribute("data-broken-images", broken);
});</script>"""


def chromium() -> str | None:
    """Path of the Chromium executable, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


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
    """What a reader's browser saw: images, broken images, the visible text, a screenshot."""

    images: int
    broken_images: int
    text: str
    screenshot: Path


def inspect(html: Path, screenshot: Path, width: int = 1200, height: int = 4000) -> PageCheck:
    """Load ``html`` (and a copy with a checking script, in a scratch folder) and report what rendered.

    Reports embed their figures, so the copy renders like the original.
    """
    with tempfile.TemporaryDirectory() as scratch:
        probe = Path(scratch) / html.name
        probe.write_text(html.read_text(encoding="utf-8").replace("</body>", CHECK_SCRIPT + "</body>"),
                         encoding="utf-8")
        dom = run(["--dump-dom", probe.as_uri()]).stdout
    run([f"--window-size={width},{height}", f"--screenshot={screenshot}", html.resolve().as_uri()])
    images = re.search(r'data-images="(\d+)"', dom)
    broken = re.search(r'data-broken-images="(\d+)"', dom)
    text = re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<(script|style)[^>]*>.*?</\1>", " ", dom))
    return PageCheck(int(images.group(1)) if images else -1, int(broken.group(1)) if broken else -1,
                     " ".join(text.split()), screenshot)
