"""Build the ``mostrador-server`` wheel: the backend alone, installable with pip.

    python packaging/server/build.py [--dist DIR]

Stages, in a temporary folder, this folder's ``pyproject.toml`` and ``README.md``, the ``sync``
package (protocol, client, fiscal records, server and its Alembic migrations) and the pure core
the backend shares with the register (``pos_app/__init__.py`` and ``pos_app/domain``), with a
``VERSION`` file holding the version of the project's ``pyproject.toml``, the app's. Then pip
builds the wheel there (setuptools from the package index, or pip's cache) into ``DIR``
(``dist/`` at the top of the checkout by default) and the wheel's path is printed. Needs only
Python 3.11+ with pip.
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DISTRIBUTION = "mostrador_server"

# What the wheel holds, relative to the top of the checkout: whole folders, then single files.
PACKAGE_TREES = ("sync", "pos_app/domain")
PACKAGE_FILES = ("pos_app/__init__.py", "pos_app/py.typed")


class BuildError(Exception):
    """The wheel cannot be built (said in one line)."""


def app_version(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """The version of the project's distribution, ``mostrador``: its ``[project] version``, or
    what its setuptools ``dynamic`` version names (``attr`` or ``file``)."""
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    project = data.get("project", {})
    if "version" in project:
        return str(project["version"])
    dynamic = data.get("tool", {}).get("setuptools", {}).get("dynamic", {}).get("version", {})
    if "file" in dynamic:
        files = dynamic["file"]
        first = files[0] if isinstance(files, list) else files
        return (pyproject.parent / str(first)).read_text(encoding="utf-8").strip()
    if "attr" in dynamic:
        return _attribute_value(pyproject.parent, str(dynamic["attr"]))
    raise BuildError(f"{pyproject}: no [project] version and no setuptools dynamic version")


def _attribute_value(root: Path, dotted: str) -> str:
    """The string assigned to ``module.NAME`` in the module's source (it is not imported)."""
    module, _, name = dotted.rpartition(".")
    base = root.joinpath(*module.split("."))
    source = base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
    for node in ast.parse(source.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == name for target in node.targets
        ):
            value = ast.literal_eval(node.value)
            if isinstance(value, str):
                return value
    raise BuildError(f"{source}: no string assigned to {name}")


def stage(into: Path, version: str) -> None:
    """Lay out the distribution's source tree in ``into``."""
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(HERE / name, into / name)
    (into / "VERSION").write_text(version + "\n", encoding="utf-8")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo")
    for tree in PACKAGE_TREES:
        shutil.copytree(ROOT / tree, into / tree, ignore=ignore)
    for file in PACKAGE_FILES:
        (into / file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / file, into / file)


def build(dist: Path) -> Path:
    """Build the wheel into ``dist`` and return its path."""
    version = app_version()
    dist.mkdir(parents=True, exist_ok=True)
    wheel = dist / f"{DISTRIBUTION}-{version}-py3-none-any.whl"
    wheel.unlink(missing_ok=True)  # pip would keep a stale wheel of the same name
    with tempfile.TemporaryDirectory(prefix="mostrador-server-build-") as tmp:
        staging = Path(tmp) / "src"
        staging.mkdir()
        stage(staging, version)
        command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(dist)]
        result = subprocess.run(
            [*command, "--quiet", str(staging)],
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise BuildError(f"pip wheel failed (exit {result.returncode})")
    if not wheel.is_file():
        raise BuildError(f"pip did not write {wheel.name} into {dist}")
    return wheel


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Build the mostrador-server wheel: the backend alone, installable with pip."
    )
    parser.add_argument(
        "--dist", type=Path, default=ROOT / "dist", help="where to write the wheel (dist/)"
    )
    args = parser.parse_args(argv)
    try:
        wheel = build(args.dist.resolve())
    except (BuildError, OSError) as exc:
        sys.stderr.write(f"build.py: error: {exc}\n")
        return 1
    sys.stdout.write(f"{wheel}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
