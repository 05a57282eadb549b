"""What a run records so anyone can rerun it and check they got the same numbers.

``manifest.json`` holds the parameters, the SHA-256 of every input and output
file, package versions, the git commit and timings.  :func:`compare` lists what
differs between two manifests; ``python -m analysis check`` uses it to rerun a
past report and say which tables changed.
"""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from analysis.paths import PACKAGE, ROOT

PACKAGES = ["pandas", "numpy", "scipy", "statsmodels", "matplotlib", "seaborn", "papermill", "nbconvert",
            "nbformat", "ipykernel", "openpyxl", "pyyaml", "pyarrow", "duckdb", "underthesea", "underthesea-core",
            "satisfaction-analysis"]


def sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def relative(path: str | Path) -> str:
    """A path relative to the project root when it lies inside it (manifests compare across clones)."""
    path = Path(path).resolve()
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def file_hashes(paths: list[str | Path]) -> list[dict]:
    """``path`` and ``sha256`` of each file; a folder stands for every file in it."""
    files = []
    for path in map(Path, paths):
        files += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    return [{"path": relative(p), "sha256": sha256(p)} for p in files]


def code_hash(package: Path | None = None) -> str:
    """One hash of every file of the package, in every subfolder (part of the cache key).

    Compiled files are skipped; a file's path inside the package is hashed with
    its bytes, so moving a module changes the hash too.
    """
    package = PACKAGE if package is None else package
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.is_file() and p.suffix != ".pyc"):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def git_state() -> dict:
    """The commit the code came from, and whether the work tree had changes."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    try:
        commit = git("rev-parse", "HEAD")
        return {"commit": commit, "dirty": bool(git("status", "--porcelain", "--", "src", "notebooks"))}
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "dirty": None}


def package_versions() -> dict[str, str]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def environment() -> dict:
    """Versions, Python and git state, for the manifest."""
    return {"versions": package_versions(), "python": platform.python_version(), "git": git_state()}


def write(manifest: dict, path: Path) -> None:
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def read(path: str | Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def compare(old: dict, new: dict) -> list[str]:
    """Human-readable differences between two manifests, ignoring time stamps and timings."""
    lines = []
    for key in ("inputs", "outputs"):
        before = {f["path"]: f["sha256"] for f in old.get(key, [])}
        after = {f["path"]: f["sha256"] for f in new.get(key, [])}
        for path in sorted(before.keys() | after.keys()):
            if path not in after:
                lines.append(f"{key[:-1]} missing now: {path}")
            elif path not in before:
                lines.append(f"{key[:-1]} new: {path}")
            elif before[path] != after[path]:
                lines.append(f"{key[:-1]} changed: {path}")
    for key in ("parameters", "versions", "python"):
        if old.get(key) != new.get(key):
            lines.append(f"{key} differ: {old.get(key)} -> {new.get(key)}")
    return lines
