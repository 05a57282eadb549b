"""A report run killed midway (SIGKILL, no clean-up) leaves the previous report intact and no partial files.

The previous report is a real run (one notebook, to keep the test short).  A
second run, the full default review from the command line, is started as a
subprocess in its own session; once its staging folder exists and a notebook
is executing in a kernel, the run's process group and its kernels are killed.
Then the previous report and everything else under the output root but
``.staging`` are byte for byte as before, the staging folder of the dead run
is all that is left, and the next run removes it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from analysis.pipeline.privacy_check import scan_outputs
from analysis.pipeline.report import (
    ROOT,
    ReportParameters,
    remove_stale_staging,
    run_report,
)

pytestmark = pytest.mark.slow

PREVIOUS = ReportParameters(notebooks=["01_data_overview.ipynb"])
WAIT = 180  # seconds for the second run to reach a notebook (a cold start takes about 10)


def tree(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    """Every file (and folder, as None) under ``folder`` but those under the top-level names in ``skip``."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*")) if p.relative_to(folder).parts[0] not in skip}


def executing_kernels(pid: int) -> list[psutil.Process]:
    """Kernel processes started (directly or not) by process ``pid``."""
    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    kernels = []
    for child in children:
        try:
            if "ipykernel" in " ".join(child.cmdline()):
                kernels.append(child)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return kernels


def start_second_run(out_root: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "analysis", "report", "--out", str(out_root), "--no-cache"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
                            env={**os.environ, "MPLBACKEND": "Agg"})


def wait_until_a_notebook_runs(process: subprocess.Popen, staging_root: Path) -> tuple[Path, list[psutil.Process]]:
    """The run's staging folder once a notebook is executing in a kernel, and the kernels."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the second run ended (code {process.returncode}) before it could be killed: "
                        f"{process.stderr.read().decode(errors='replace')[-2000:]}")
        folders = list(staging_root.glob(f"{process.pid}-*")) if staging_root.exists() else []
        if folders and any((folders[0] / "sections").glob("*/*.ipynb")):
            kernels = executing_kernels(process.pid)
            if kernels:
                return folders[0], kernels
        time.sleep(0.2)
    pytest.fail(f"no notebook was executing after {WAIT} s")


def kill(process: subprocess.Popen, kernels: list[psutil.Process]) -> None:
    """SIGKILL the run's process group, then its kernels (jupyter starts each in a session of its own)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # its own session: the group is the run and what it started there
    process.wait(timeout=30)
    for kernel in kernels:
        with contextlib.suppress(psutil.NoSuchProcess):
            kernel.kill()
    gone, alive = psutil.wait_procs(kernels, timeout=30)
    assert not alive, f"kernels still running: {[k.pid for k in alive]}"


def test_a_killed_run_leaves_the_previous_report_intact_and_no_partial_files(tmp_path):
    out_root = tmp_path / "reports"
    index = run_report(PREVIOUS, out_root)
    report = index.parent
    assert report == out_root / "song_lam" / "province" / "2023" / "vi"
    assert scan_outputs(report, PREVIOUS.survey) == []  # the previous report passes the privacy check
    before = tree(out_root)
    assert not (out_root / ".staging").exists()

    process = start_second_run(out_root)
    kernels: list[psutil.Process] = []
    try:
        staging, kernels = wait_until_a_notebook_runs(process, out_root / ".staging")
        time.sleep(1.0)  # let the notebook get well under way
    finally:
        kill(process, [*kernels, *executing_kernels(process.pid)])
    for kernel in kernels:
        assert not kernel.is_running() or kernel.status() == psutil.STATUS_ZOMBIE

    # the previous report, its index page and the cache are byte for byte as they were
    folder = "song_lam/province/2023/vi/"
    assert tree(report) == {k[len(folder):]: v for k, v in before.items() if k.startswith(folder)}
    after = tree(out_root, skip=(".staging",))
    assert after == before, sorted(set(after) ^ set(before)) or [k for k in after if after[k] != before.get(k)]
    # what the killed run wrote is in its staging folder, and only there
    leftovers = list((out_root / ".staging").iterdir())
    assert leftovers == [staging], leftovers
    assert staging.name.startswith(f"{process.pid}-song_lam-province-2023-vi-")
    assert any(staging.rglob("*.ipynb")), "the killed run had a notebook under way"

    # the next run removes the dead run's staging folder and replaces the report in one move
    index = run_report(PREVIOUS, out_root)
    assert not (out_root / ".staging").exists()
    assert tree(index.parent / "tables") == {k[len(f"{folder}tables/"):]: v for k, v in before.items()
                                             if k.startswith(f"{folder}tables/")}
    assert sorted(p.name for p in report.parent.iterdir()) == ["vi"]  # no '.vi.old-*' left


def test_remove_stale_staging_keeps_folders_of_live_runs(tmp_path):
    staging = tmp_path / ".staging"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (staging / f"{dead.pid}-province-2023-0badf00d" / "sections").mkdir(parents=True)
    (staging / f"{os.getpid()}-province-2023-0c0ffee0").mkdir()
    remove_stale_staging(staging)
    assert [p.name for p in staging.iterdir()] == [f"{os.getpid()}-province-2023-0c0ffee0"]
