"""`aftercare nlu parse|eval|train` through typer's test runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.config import Settings
from bot.nlu.cli import app

runner = CliRunner()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path, rasa_url=None)


def test_parse_one_message(settings: Settings) -> None:
    result = runner.invoke(app, ["parse", "I want to diiiie"], obj=settings)
    assert result.exit_code == 0, result.output
    parsed = json.loads(result.stdout)
    assert parsed["risk"] == "crisis"
    assert "want_to_die" in parsed["net_matches"]
    assert parsed["source"] == "embedded"


def test_parse_reads_lines_from_stdin(settings: Settings) -> None:
    result = runner.invoke(
        app, ["parse", "--backend", "embedded"], obj=settings, input="hello\nthank you!\n"
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["intent"] for line in lines] == ["greet", "thanks"]


def test_parse_rasa_unreachable_is_one_clear_line(settings: Settings) -> None:
    result = runner.invoke(
        app, ["parse", "hi", "--backend", "rasa", "--rasa-url", "http://127.0.0.1:9"], obj=settings
    )
    assert result.exit_code == 1
    assert "rasa backend unavailable" in result.stderr
    assert "Traceback" not in result.output


def test_eval_all_reports_rasa_unavailable_and_embedded_numbers(
    settings: Settings, tmp_path: Path
) -> None:
    data = tmp_path / "small.yml"
    data.write_text(
        'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hello there\n'
        "- intent: crisis\n  examples: |\n    - i want to kill myself\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["eval", "--data", str(data), "--backend", "all"], obj=settings)
    assert result.exit_code == 0, result.output
    assert "macro-F1" in result.stdout
    assert "crisis recall (net+clf)" in result.stdout
    assert "100.0%" in result.stdout
    assert "[rasa] unavailable: RASA_URL is not set" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"), [(None, "no such file"), ("nlu: [", "not valid YAML")]
)
def test_eval_bad_file(
    settings: Settings, tmp_path: Path, content: str | None, message: str
) -> None:
    data = tmp_path / "bad.yml"
    if content is not None:
        data.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["eval", "--data", str(data)], obj=settings)
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_eval_rasa_only_unreachable_fails(settings: Settings) -> None:
    result = runner.invoke(
        app, ["eval", "--backend", "rasa", "--rasa-url", "http://127.0.0.1:9"], obj=settings
    )
    assert result.exit_code == 1
    assert "rasa unavailable" in result.stderr


def test_train_writes_the_cache(settings: Settings) -> None:
    result = runner.invoke(app, ["train"], obj=settings)
    assert result.exit_code == 0, result.output
    assert "trained in" in result.stdout
    assert list((settings.data_dir / "nlu").glob("*.pkl"))


def test_train_missing_file(settings: Settings, tmp_path: Path) -> None:
    result = runner.invoke(app, ["train", "--data", str(tmp_path / "nope.yml")], obj=settings)
    assert result.exit_code == 1
    assert "no such file" in result.stderr
