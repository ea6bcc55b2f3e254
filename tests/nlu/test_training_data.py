"""Loading Rasa NLU YAML, and the project's own data check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.nlu.training_data import TrainingDataError, load_examples, parse_examples
from tests.nlu.conftest import PROJECT, TRAINING_FILE


def test_project_data_check_passes() -> None:
    script = PROJECT / "check_data.py"
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_training_file_covers_every_intent() -> None:
    intents = {intent for _, intent in load_examples(TRAINING_FILE)}
    assert intents >= {
        "greet", "goodbye", "thanks", "affirm", "deny", "mood_good", "mood_low",
        "report_warning_sign", "report_trigger", "report_lapse", "request_return", "crisis",
        "ask_plan", "ask_coping", "pause_checkins", "change_schedule", "bot_challenge",
        "out_of_scope",
    }  # fmt: skip


def test_entities_stripped_and_other_sections_skipped(tmp_path: Path) -> None:
    path = tmp_path / "nlu.yml"
    path.write_text(
        'version: "3.1"\n'
        "nlu:\n"
        "- synonym: therapist\n"
        "  examples: |\n"
        "    - counsellor\n"
        "- intent: report_trigger\n"
        "  examples: |\n"
        "    - my [ex](person) texted me\n"
        '    - saw [my dad]{"entity": "person"} today\n'
        "    -   extra   spaces  \n"
        "- regex: phone\n"
        "  examples: |\n"
        "    - \\d{10}\n"
        "- intent: greet\n"
        "  examples:\n"
        "  - hi\n"
        "  - text: hello\n",
        encoding="utf-8",
    )
    assert load_examples(path) == [
        ("my ex texted me", "report_trigger"),
        ("saw my dad today", "report_trigger"),
        ("extra spaces", "report_trigger"),
        ("hi", "greet"),
        ("hello", "greet"),
    ]


def test_parse_examples_ignores_blank_lines() -> None:
    assert parse_examples("- a\n\n- b\n") == ["a", "b"]
    assert parse_examples(None) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("nlu: [unclosed", "not valid YAML"),
        ("stories: []", "no `nlu:` list"),
        ("nlu:\n- synonym: x\n  examples: '- y'", "no intent examples"),
    ],
)
def test_bad_files_raise_one_clear_error(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "nlu.yml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(TrainingDataError, match=message):
        load_examples(path)
