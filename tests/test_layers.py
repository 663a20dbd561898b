"""The layers contract: the application on top, collecting / reporting / the replay web beside
each other, the base below (``[tool.importlinter]`` in pyproject.toml).

``make lint`` runs the same check; here it runs with the tests so an upward import fails CI.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
CONFIG = PYPROJECT["tool"]["importlinter"]
LAYERS = next(c for c in CONFIG["contracts"]
              if c["type"] == "layers" and "containers" not in c)["layers"]
BASE_LAYERS = next(c for c in CONFIG["contracts"]
                   if c.get("containers") == ["pipeline"])["layers"]


def _layer_names(layer: str) -> list[str]:
    return [name.strip() for name in layer.split("|")]


def test_import_linter_keeps_every_contract() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--config", str(ROOT / "pyproject.toml")], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert f"{len(CONFIG['contracts'])} kept, 0 broken" in done.stdout


def test_every_shipped_package_is_in_a_layer() -> None:
    """A new top-level package cannot escape the contract by not being listed."""
    shipped = {p.rstrip("*") for p in PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]}
    layered = {name for layer in LAYERS for name in _layer_names(layer)}
    assert shipped == layered == set(CONFIG["root_packages"])
    on_disk = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests"}
    assert on_disk == shipped


def _drawing(readme: str, marker: str, pattern: str) -> list[str]:
    block = re.search(rf"<!-- {marker}: .*? -->\n```\n(.*?)```\n<!-- /{marker} -->", readme, re.S)
    assert block, f"README's {marker} drawing is missing"
    drawn = []
    for line in block.group(1).splitlines():
        names = re.findall(pattern, line.split("  ")[0])
        if names:
            drawn.append(" | ".join(names))
    return drawn


def test_readme_drawings_match_the_contracts() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert _drawing(readme, "layers", r"(\w+)/") == [
        " | ".join(_layer_names(layer)) for layer in LAYERS]
    assert _drawing(readme, "base layers", r"\w+") == [
        " | ".join(_layer_names(layer)) for layer in BASE_LAYERS]


def test_dags_import_only_the_applications_task_functions() -> None:
    project = set(CONFIG["root_packages"])
    for dag in sorted((ROOT / "dags").glob("*.py")):
        tree = ast.parse(dag.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                modules = [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            for module in modules:
                if module.split(".")[0] in project:
                    assert module == "steppewatch.tasks", f"{dag.name} imports {module}"
