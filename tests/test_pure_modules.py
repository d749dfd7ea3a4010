"""The pure computations (docs/architecture.md) import no Django, so the command line and the
benchmarks use them without settings, and a split of one into modules keeps it so."""

import subprocess
import sys

import pytest

PURE = [
    "cohortkit.applications.assignment",
    "cohortkit.applications.selection",
    "cohortkit.applications.selection_io",
    "cohortkit.reviews.allocation",
    "cohortkit.reviews.allocation_io",
    "cohortkit.scheduling.availability",
    "cohortkit.scheduling.planner",
]


@pytest.mark.parametrize("module", PURE)
def test_a_pure_module_imports_no_django(module: str) -> None:
    # A fresh interpreter: this one has Django loaded by pytest-django.
    code = (
        f"import sys, {module}, pkgutil, importlib\n"
        f"package = sys.modules[{module!r}]\n"
        "for found in pkgutil.walk_packages(getattr(package, '__path__', []), package.__name__ + '.'):\n"
        "    importlib.import_module(found.name)\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'django'))\n"
    )
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
