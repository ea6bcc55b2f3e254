"""What `docker build` installs, checked without a Docker daemon: a virtualenv with only pyproject's
[project] dependencies (at the lock's versions, as the Dockerfile resolves them) and the app, in
which every module of bot/ and scheduler/ must import. A module that needs a dev-only package
fails here, not in production.

    python scripts/check_image_imports.py [--venv DIR]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMPORT_ALL = """
import importlib, pkgutil, sys
import bot, scheduler
failed = []
for package in (bot, scheduler):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        try:
            importlib.import_module(module.name)
        except Exception as exc:
            failed.append(f"{module.name}: {type(exc).__name__}: {exc}")
print("\\n".join(failed) or "every module imports")
sys.exit(1 if failed else 0)
"""


def run(*command: str | Path, cwd: Path = ROOT) -> None:
    subprocess.run([str(part) for part in command], cwd=cwd, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, help="where to build it (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        venv = args.venv or Path(scratch) / "venv"
        run(sys.executable, "-m", "venv", "--clear", venv)
        python = venv / "bin" / "python"
        project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
        runtime = Path(scratch) / "runtime-requirements.txt"
        runtime.write_text("\n".join(project["dependencies"]) + "\n")
        pip = (python, "-m", "pip", "install", "-q", "--disable-pip-version-check")
        run(*pip, "--only-binary=:all:", "-c", ROOT / "requirements.lock", "-r", runtime)
        run(*pip, "--no-deps", ROOT)
        # From elsewhere, so the installed copy answers and not this checkout.
        return subprocess.run([str(python), "-c", IMPORT_ALL], cwd=scratch).returncode


if __name__ == "__main__":
    sys.exit(main())
