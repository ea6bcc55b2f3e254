"""Running the real `aftercare` entry point in-process, against the test database."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.cli.main import run_cli


@dataclass
class Outcome:
    code: int
    out: str
    err: str


Cli = Callable[..., Outcome]


def invoke(*args: str) -> Outcome:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            run_cli(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return Outcome(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli_env(
    monkeypatch: pytest.MonkeyPatch, database_url: str, nlu_dir: Path, tmp_path: Path
) -> str:
    # The CLI reads .env from the working directory: a developer's own must not leak in.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DATA_DIR", str(nlu_dir))
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "aftercare_test_bot")
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.delenv("RASA_URL", raising=False)
    return database_url
