"""The cache key covers every file of the package, in every subfolder."""

import shutil

from analysis.pipeline import manifest


def test_code_hash_changes_when_any_module_changes(tmp_path):
    package = tmp_path / "analysis"
    shutil.copytree(manifest.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    before = manifest.code_hash(package)
    assert manifest.code_hash(package) == before  # stable
    modules = sorted(p for p in package.rglob("*.py") if p.parent != package)
    assert len(modules) > 10, "the package has subpackages"
    for module in [modules[0], modules[-1], *package.rglob("*.yaml")]:
        original = module.read_bytes()
        module.write_bytes(original + b"\n")
        assert manifest.code_hash(package) != before, module
        module.write_bytes(original)
    assert manifest.code_hash(package) == before
    moved = modules[0].with_name("renamed_" + modules[0].name)
    modules[0].rename(moved)
    assert manifest.code_hash(package) != before  # a moved module changes the key
