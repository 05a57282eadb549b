"""One Jupyter kernel per worker process, kept from one notebook to the next.

Starting a kernel and importing the package's modules in it take about 4.5 s, more than most notebooks
take to run; a report runs ten notebooks in two worker processes, so each worker keeps its kernel
(:func:`warm`) and runs its notebooks in it one after another.  Before each notebook the kernel is made
as a fresh one would be for it (:meth:`WarmKernel.prepare`): every name the previous notebook defined
is removed (``%reset -f``), its figures closed, the working folder set to the notebook's own and the
execution count started again at 1, so an executed notebook reads as if it had its own kernel; what stays
is what a fresh kernel would rebuild the same way, the imported modules.  A kernel whose notebook failed
or that died is not reused (:meth:`WarmKernel.shutdown`).  Kernels are kept only where a run says so (its
worker processes: :func:`keep_for_this_process`; the run's own process: :func:`kept`); a notebook
executed anywhere else gets a kernel of its own, stopped after it.
"""

from __future__ import annotations

import contextlib
import multiprocessing.util
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from jupyter_core.utils import run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines

ENGINE = "warm-kernel"  # papermill's engine name for a notebook run in a kept kernel
READY_SECONDS = 60

_warm: dict[str, WarmKernel] = {}  # this process's kernel, by kernel name
_keeping = False  # whether a notebook's kernel is kept for the next (inside kept() or a report's worker)


class WarmKernel:
    """A started kernel and its client; what the kernel prints goes to :attr:`log`."""

    def __init__(self, kernel_name: str, manager_class: type) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="kernel-"))
        self.log = self.folder / "kernel.log"
        self.km = manager_class(kernel_name=kernel_name, log_file=str(self.log))
        if self.km.transport == "ipc":  # socket files by absolute path: the kernel changes folder, the client not
            self.km.ip = str(self.folder / "ipc")
        run_sync(self.km.start_kernel)(cwd=str(self.folder))
        self.kc = self.km.client()
        self.kc.start_channels()
        try:
            run_sync(self.kc.wait_for_ready)(timeout=READY_SECONDS)
        except RuntimeError:
            self.shutdown()
            raise

    def alive(self) -> bool:
        return bool(run_sync(self.km.is_alive)())

    def prepare(self, folder: Path) -> None:
        """Make the kernel as a fresh one would be for a notebook run in ``folder`` (module doc)."""
        code = ("get_ipython().run_line_magic('reset', '-f')\n"
                "import matplotlib.pyplot as _figures, os as _os\n"
                f"_figures.close('all'); _os.chdir({str(folder)!r})\n"
                "del _figures, _os\n"
                "get_ipython().execution_count = 1")
        reply = run_sync(self.kc.execute_interactive)(code, store_history=False, timeout=READY_SECONDS,
                                                      output_hook=lambda message: None)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"the kernel could not be prepared: {reply['content'].get('evalue', '')}")

    def shutdown(self) -> None:
        """Stop the kernel and forget it."""
        for name, warm in list(_warm.items()):
            if warm is self:
                del _warm[name]
        try:
            self.kc.stop_channels()
            if run_sync(self.km.is_alive)():
                run_sync(self.km.shutdown_kernel)(now=True)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def warm(kernel_name: str, manager_class: type) -> WarmKernel:
    """This process's live kernel ``kernel_name``, started (with ``manager_class``) when it has none."""
    kept = _warm.get(kernel_name)
    if kept is not None and kept.alive():
        return kept
    if kept is not None:
        kept.shutdown()
    if not _warm:  # the first kernel of this process: stop the kernels when the process ends
        multiprocessing.util.Finalize(None, shutdown_all, exitpriority=10)
    _warm[kernel_name] = started = WarmKernel(kernel_name, manager_class)
    return started


def shutdown_all() -> None:
    """Stop every kernel this process keeps."""
    for kept in list(_warm.values()):
        kept.shutdown()


def keeping() -> bool:
    """Whether this process keeps a notebook's kernel for its next notebook (else it is stopped after it)."""
    return _keeping


def keep_for_this_process() -> None:
    """Keep kernels from notebook to notebook for the rest of this process (a report's worker process)."""
    global _keeping
    _keeping = True


@contextlib.contextmanager
def kept() -> Iterator[None]:
    """Keep kernels from notebook to notebook inside the block; stop them at its end."""
    global _keeping
    before, _keeping = _keeping, True
    try:
        yield
    finally:
        _keeping = before
        if not before:
            shutdown_all()


class WarmKernelEngine(NBClientEngine):
    """papermill's nbclient engine, run in a kernel already started (``km``, ``kc``), left running after."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, km=None, kc=None, **kwargs):
        client = PapermillNotebookClient(nb_man, km=km, kernel_name=kernel_name, log_output=False,
                                         startup_timeout=READY_SECONDS, timeout=kwargs.get("execution_timeout"))
        client.kc = kc  # the kept kernel's client: nbclient neither starts nor stops one
        return client.execute()


papermill_engines.register(ENGINE, WarmKernelEngine)
