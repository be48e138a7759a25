"""The floors hold (`lint-imports`, the contracts in pyproject.toml), and a forbidden import
added to a copy of the package breaks them."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")


def lint_imports(src: Path) -> subprocess.CompletedProcess:
    assert LINT_IMPORTS, "lint-imports is not installed (make setup installs requirements.lock)"
    return subprocess.run(
        [LINT_IMPORTS, "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        env={**os.environ, "PYTHONPATH": str(src)}, cwd=src, capture_output=True, text=True, timeout=120,
    )


def _only_python(directory, names) -> list[str]:
    return [n for n in names if not n.endswith(".py") and not os.path.isdir(os.path.join(directory, n))]


@pytest.fixture
def copy(tmp_path) -> Path:
    """The package's Python files, to break on purpose."""
    shutil.copytree(ROOT / "src" / "wangge", tmp_path / "wangge", ignore=_only_python)
    return tmp_path


def test_it_keeps_the_contracts_on_the_tree():
    run = lint_imports(ROOT / "src")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_it_keeps_them_on_an_unchanged_copy(copy):
    assert lint_imports(copy).returncode == 0


FLOORS = "The floors"
SIBLINGS = "Domain apps that must not know each other"


@pytest.mark.parametrize(("module", "forbidden", "contract"), [
    ("cases/services.py", "wangge.dashboard.selectors", "No app imports the dashboard"),
    ("core/rows.py", "wangge.geo.models", FLOORS),
    ("geo/locator.py", "wangge.people.selectors.staff", FLOORS),
    ("geo/permissions.py", "wangge.accounts.permissions", FLOORS),
    ("accounts/services.py", "wangge.people.services.persons", FLOORS),
    ("people/services/persons.py", "wangge.cases.models", FLOORS),
    ("matching/services.py", "wangge.people.models", FLOORS),
    ("cases/services.py", "wangge.portal.models", FLOORS),
    ("portal/views/home.py", "wangge.demo.generator", FLOORS),
    ("cases/services.py", "wangge.matching.models", SIBLINGS),
    ("redraw/save.py", "wangge.cases.models", SIBLINGS),
])
def test_it_fails_on_a_forbidden_import(copy, module, forbidden, contract):
    path = copy / "wangge" / module
    path.write_text(path.read_text() + f"\nimport {forbidden}  # noqa\n")
    run = lint_imports(copy)
    assert run.returncode == 1
    assert f"{contract}" in run.stdout and "BROKEN" in run.stdout
    assert forbidden.rsplit(".", 1)[0] in run.stdout


APPS = ["core", "geo", "accounts", "people", "matching", "cases", "redraw", "portal", "ops", "dashboard", "demo"]
BOTH_WAYS = """
import json, sys, grimp
apps = sys.argv[1:]
graph = grimp.build_graph("wangge")
chain = lambda a, b: graph.chain_exists(f"wangge.{a}", f"wangge.{b}", as_packages=True)
print(json.dumps([[a, b] for i, a in enumerate(apps) for b in apps[i + 1:] if chain(a, b) and chain(b, a)]))
"""


def apps_importing_each_other(src: Path) -> list[list[str]]:
    run = subprocess.run(
        [sys.executable, "-c", BOTH_WAYS, *APPS],
        env={**os.environ, "PYTHONPATH": str(src)}, cwd=src, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_no_two_apps_import_each_other():
    assert apps_importing_each_other(ROOT / "src") == []


def test_it_finds_two_apps_that_import_each_other(copy):
    path = copy / "wangge" / "geo" / "locator.py"
    path.write_text(path.read_text() + "\nimport wangge.people.models  # noqa\n")
    assert apps_importing_each_other(copy) == [["geo", "people"]]
