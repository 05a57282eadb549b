"""The one vi/en label table: every key once, both languages, numbers in each language's format."""

from __future__ import annotations

import ast
from pathlib import Path

from analysis.reporting import labels
from analysis.reporting.labels import format_pct, label


def test_no_label_is_written_twice():
    """A repeated key in a dict literal silently keeps only the last text (a column header and a code collided)."""
    tree = ast.parse(Path(labels.__file__).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
            assert len(keys) == len(set(keys)), sorted({k for k in keys if keys.count(k) > 1})


def test_break_readings_and_the_method_column_have_their_own_texts():
    assert label("break.method", "vi") == "có thể do thay đổi phương pháp"
    assert label("method", "en") == "Method" and label("regime_from", "en") == "First year of the new regime"


def test_percent_format_follows_the_language():
    assert format_pct(93.64, "vi") == "93,64%" and format_pct(93.64, "en") == "93.64%"
