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


def test_every_sentence_of_what_a_section_cannot_show_exists_in_both_languages():
    """Each key given to narrative.absent or a Note (and the gaps' single-level keys) is a label, in Vietnamese
    with its diacritics and in English."""
    import re

    package = Path(labels.__file__).parents[1]
    used = {key for path in (package / "sections").glob("*.py")
            for key in re.findall(r"(?:absent|Note)\(\"([a-z_]+)\"[,)]", path.read_text(encoding="utf-8"))}
    used |= {"second_channel", "second_group", "second_channel_group",  # absent("second_" + columns) in gaps
             "treated", "comparison"}  # absent("treated" if ... else "comparison") in the policy setup
    assert {"published", "targets", "policies", "comparison", "comments", "known_years"} <= used
    defined = {key.removeprefix("absent.") for key in labels.LABELS if key.startswith("absent.")}
    assert used <= defined, used - defined
    for key in defined:
        vi, en = label(f"absent.{key}", "vi"), label(f"absent.{key}", "en")
        assert vi != en and vi.endswith(".") and en.endswith(".") and re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệ]", vi)
