"""A kernel kept from one notebook to the next: the second notebook runs in the same process, as a fresh
kernel would run it (no name of the first, in its own folder as in JupyterLab, execution counts from 1)."""

from __future__ import annotations

import json

import nbformat
import pytest

from analysis.pipeline import kernels
from analysis.pipeline.report import ensure_kernel, run_sections

pytestmark = pytest.mark.slow

RECORD = ("import json, os\n"
          "json.dump({'pid': os.getpid(), 'cwd': os.getcwd(), 'left': 'leftover' in globals()},"
          " open(os.path.join(output_dir, 'seen.json'), 'w'))\n")


def notebook(path, *sources: str):
    cells = [nbformat.v4.new_code_cell("output_dir = ''", metadata={"tags": ["parameters"]}),
             *(nbformat.v4.new_code_cell(source) for source in sources)]
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata={"language_info": {"name": "python"}}), path)
    return path


def test_the_second_notebook_runs_in_the_first_one_s_kernel_as_in_a_fresh_one(tmp_path):
    kernel = ensure_kernel()
    figures = "import matplotlib.pyplot as plt\n"
    (tmp_path / "elsewhere").mkdir()
    first = notebook(tmp_path / "first.ipynb", "leftover = 42", RECORD, figures + "plt.figure()")
    second = notebook(tmp_path / "elsewhere" / "second.ipynb", RECORD, figures + "assert not plt.get_fignums()")
    sections = [tmp_path / "sections" / "first", tmp_path / "sections" / "second"]
    results = run_sections([(first, sections[0], {}, [], None, kernel), (second, sections[1], {}, [], None, kernel)],
                           workers=1)
    assert [cached for _, cached in results] == [False, False]
    seen = [json.loads((section / "seen.json").read_text()) for section in sections]
    assert seen[0]["pid"] == seen[1]["pid"]  # one kernel for both
    assert [s["cwd"] for s in seen] == [str(tmp_path), str(tmp_path / "elsewhere")]  # each notebook's folder
    assert seen[1]["left"] is False  # the first notebook's names are gone
    executed = nbformat.read(sections[1] / "second.ipynb", as_version=4)
    assert [c.execution_count for c in executed.cells if c.cell_type == "code"] == [1, 2, 3, 4]
    assert kernels._warm == {}  # stopped at the end of the run (this process may run more)
