"""Files written the same way every time."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path


def fixed_times(workbook: Path, year: int = 2000) -> None:
    """Rewrite an XLSX with fixed times (its zip entries' dates and the document's created/modified
    stamps), so the same content gives the same bytes on every run."""
    with zipfile.ZipFile(workbook) as archive:
        entries = [(info.filename, archive.read(info.filename)) for info in archive.infolist()]
    stamp = f"{year}-01-01T00:00:00Z".encode()
    with zipfile.ZipFile(workbook, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            archive.writestr(zipfile.ZipInfo(name, date_time=(year, 1, 1, 0, 0, 0)), data,
                             compress_type=zipfile.ZIP_DEFLATED)

